/* tests/live/ptrace/test_seccomp.c: the launch-mode filter, run for real in a child:
 * with no tracer attached, SECCOMP_RET_TRACE makes a traced call fail with
 * ENOSYS, so the calls the filter selects are visible without ptrace. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live/ptrace/seccomp.h"
#include "model/filter.h"
#include "model/syscalls.h"

Test(seccomp, builds_a_short_enough_filter)
{
	struct sock_filter f[SECCOMP_MAX_INSNS];
	long nrs[SECCOMP_MAX_NRS];
	size_t n = seccomp_build_filter(f);
	size_t n64 = syscalls_live_numbers(SYSCALLS_ABI_X86_64, nrs, SECCOMP_MAX_NRS);
	size_t n32 = syscalls_live_numbers(SYSCALLS_ABI_I386, nrs, SECCOMP_MAX_NRS);

	cr_assert_gt(n, 0);
	cr_assert_leq(n, SECCOMP_MAX_INSNS);
	/* two instructions per number, per architecture, plus the arch
	   dispatch */
	cr_assert_eq(n, 2 * (n64 + n32) + 8);
}

/* In a child: install the filter, then report what dup() and getppid()
 * did (bit 0: dup failed with ENOSYS, bit 1: getppid worked) as the
 * signal that kills it: exit_group itself is traced, so the child cannot
 * exit normally, but kill() is not. */
static int
probe(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int r = 0;

		if (seccomp_install_filter() != 0)
			_exit(100);
		errno = 0;
		if (syscall(SYS_dup, 0) < 0 && errno == ENOSYS)
			r |= 1;
		if (syscall(SYS_getppid) > 0)
			r |= 2;
		syscall(SYS_kill, getpid(), SIGRTMIN + r);
		abort();	/* not reached */
	}
	cr_assert_gt(pid, 0);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	cr_assert(WIFSIGNALED(st));
	return WTERMSIG(st) - SIGRTMIN;
}

Test(seccomp, traces_the_decoded_calls_only)
{
	int r = probe();

	if (r == 100)
		cr_skip_test("seccomp filters are not available here");
	cr_assert_eq(r & 1, 1, "dup was not selected by the filter");
	cr_assert_eq(r & 2, 2, "getppid was stopped by the filter");
}

/* In a child under the filter: did fsync(0) and dup(0) reach the (absent)
 * tracer (ENOSYS)?  bit 0: fsync stopped, bit 1: dup stopped. */
static int
probe_selection(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int r = 0;

		if (seccomp_install_filter() != 0)
			_exit(100);
		errno = 0;
		if (syscall(SYS_fsync, 0) < 0 && errno == ENOSYS)
			r |= 1;
		errno = 0;
		if (syscall(SYS_dup, 0) < 0 && errno == ENOSYS)
			r |= 2;
		syscall(SYS_kill, getpid(), SIGRTMIN + r);
		abort();	/* not reached */
	}
	cr_assert_gt(pid, 0);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	cr_assert(WIFSIGNALED(st));
	return WTERMSIG(st) - SIGRTMIN;
}

/* -e trace=write: fsync runs without a stop, dup (the fd table needs
 * it) still stops; without a selection both stop. */
Test(seccomp, narrowed_by_trace_set)
{
	struct io_filter *f = filter_new();
	char err[256];
	int r;

	cr_assert_eq(filter_qualify(f, "trace=write", err, sizeof(err)), 0);
	seccomp_set_selection(f, false);
	r = probe_selection();
	seccomp_set_selection(NULL, false);
	if (r == 100)
		cr_skip_test("seccomp filters are not available here");
	cr_expect_eq(r, 2, "trace=write: fsync %s, dup %s", r & 1 ? "stopped" :
	    "ran", r & 2 ? "stopped" : "ran");
	r = probe_selection();
	cr_expect_eq(r, 3, "no selection: fsync %s, dup %s", r & 1 ? "stopped" :
	    "ran", r & 2 ? "stopped" : "ran");
	filter_free(f);
}
