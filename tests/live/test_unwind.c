/*
 * tests/test_unwind.c: libunwind-ptrace stacks of a real traced process.
 *
 * Each test runs tests/helpers/stackapp under PTRACE_TRACEME, stops it at
 * the entry of a big write (PTRACE_SYSCALL until write with count >= 4 MiB)
 * and unwinds it.  Skipped when ptrace is denied or iospy was built without
 * libunwind (then only the stubs are checked).
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live/unwind.h"

#define BIG (4u << 20)

/* A traced stackapp. */
struct child {
	pid_t pid;
	char dir[512];
	char out[1024];
};

static void
child_kill(struct child *c)
{
	int st;

	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		while (waitpid(-1, &st, __WALL) > 0)
			;
		c->pid = 0;
	}
	if (c->out[0] != '\0')
		unlink(c->out);
	if (c->dir[0] != '\0')
		rmdir(c->dir);
}

/* Start stackapp with args (NULL-terminated) stopped before its exec. */
static void
child_start(struct child *c, const char *const *args)
{
	const char *helpers = getenv("HELPERS");
	const char *tmp = getenv("TMPDIR");
	char prog[1024];
	char *argv[16];
	int n = 0, st;

	memset(c, 0, sizeof(*c));
	snprintf(prog, sizeof(prog), "%s/stackapp",
	    helpers != NULL ? helpers : "tests/helpers");
	if (access(prog, X_OK) != 0)
		cr_skip_test("%s not built", prog);
	snprintf(c->dir, sizeof(c->dir), "%s/iospy-unwind.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(c->dir));
	snprintf(c->out, sizeof(c->out), "%s/out", c->dir);
	argv[n++] = prog;
	while (*args != NULL && n < 14)
		argv[n++] = (char *)*args++;
	argv[n++] = c->out;
	argv[n] = NULL;

	c->pid = fork();
	cr_assert_geq(c->pid, 0);
	if (c->pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(77);
		raise(SIGSTOP);
		execv(prog, argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(c->pid, &st, 0), c->pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		c->pid = 0;
		child_kill(c);
		cr_skip_test("ptrace is denied here");
	}
	cr_assert(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	cr_assert_eq(ptrace(PTRACE_SETOPTIONS, c->pid, NULL,
	    (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL |
	    PTRACE_O_TRACEEXEC | PTRACE_O_TRACECLONE)), 0);
	cr_assert_eq(ptrace(PTRACE_SYSCALL, c->pid, NULL, NULL), 0);
}

/*
 * Resume every thread until one enters write(2) with count >= min; returns
 * that thread's id (stopped), or -1 if the process ended first.  On x86_64
 * a syscall-entry stop has rax = -ENOSYS.
 */
static pid_t
child_run_to_write(struct child *c, unsigned long min)
{
	for (;;) {
		int st, sig = 0;
		pid_t tid = waitpid(-1, &st, __WALL);

		if (tid < 0)
			return -1;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid == c->pid) {
				c->pid = 0;
				return -1;
			}
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			struct user_regs_struct r;

			cr_assert_eq(ptrace(PTRACE_GETREGS, tid, NULL, &r), 0);
			if (r.orig_rax == SYS_write &&
			    r.rax == (unsigned long long)-ENOSYS &&
			    r.rdx >= min)
				return tid;
		} else if (WSTOPSIG(st) != SIGTRAP && WSTOPSIG(st) != SIGSTOP) {
			sig = WSTOPSIG(st);	/* a real signal: deliver it */
		}
		ptrace(PTRACE_SYSCALL, tid, NULL, (void *)(long)sig);
	}
}

static void
child_resume(pid_t tid)
{
	cr_assert_eq(ptrace(PTRACE_SYSCALL, tid, NULL, NULL), 0);
}

static void
stack_log(const struct io_stack *s)
{
	int i;

	for (i = 0; i < s->nframes; i++) {
		const struct io_frame *f = &s->frames[i];

		cr_log_info("#%d 0x%llx %.80s+0x%llx in %s", i,
		    (unsigned long long)f->ip, f->func ? f->func : "?",
		    (unsigned long long)f->offset,
		    f->module ? f->module : "?");
	}
}

static bool
func_is(const struct io_frame *f, const char *name)
{
	return f->func != NULL && strcmp(f->func, name) == 0;
}

static bool
module_ends(const struct io_frame *f, const char *suffix)
{
	size_t n, m = strlen(suffix);

	if (f->module == NULL)
		return false;
	n = strlen(f->module);
	return n >= m && strcmp(f->module + n - m, suffix) == 0;
}

/* Assert the innermost frames are write, flush_buffer, emit_record, top. */
static void
assert_chain(const struct io_stack *s, const char *top)
{
	cr_assert_geq(s->nframes, 4, "only %d frames", s->nframes);
	cr_assert_not_null(s->frames[0].func);
	cr_expect(strstr(s->frames[0].func, "write") != NULL,
	    "innermost frame is %s", s->frames[0].func);
	cr_expect(s->frames[0].module != NULL &&
	    strstr(s->frames[0].module, "libc") != NULL);
	cr_assert(func_is(&s->frames[1], "flush_buffer"));
	cr_assert(func_is(&s->frames[2], "emit_record"));
	cr_assert(func_is(&s->frames[3], top), "frame 3 is %s",
	    s->frames[3].func ? s->frames[3].func : "?");
	/* the file offset of a return address in a PIE is below its size */
	cr_expect(s->frames[1].modoff > 0 && s->frames[1].modoff < 0x100000);
	cr_expect(s->frames[1].ip - s->frames[1].modoff ==
	    s->frames[2].ip - s->frames[2].modoff);
	cr_expect(module_ends(&s->frames[1], "/stackapp"));
	cr_expect(module_ends(&s->frames[3], "/stackapp"));
	/* return addresses lie a little past the start of their function */
	cr_expect(s->frames[1].offset > 0 && s->frames[1].offset < 0x400);
	cr_expect(s->frames[2].offset > 0 && s->frames[2].offset < 0x400);
}

static struct unwinder *
need_unwinder(void)
{
	struct unwinder *u;

	if (!unwind_available())
		cr_skip_test("built without libunwind");
	u = unwind_new();
	cr_assert_not_null(u);
	return u;
}

Test(unwind, available_or_stubs)
{
	struct unwinder *u = unwind_new();
	struct io_stack s;

#ifdef HAVE_LIBUNWIND
	cr_assert(unwind_available());
	cr_assert_not_null(u);
#else
	cr_assert(!unwind_available());
	cr_assert_null(u);
	cr_expect_eq(unwind_capture(u, 1, 1, &s), -1);
#endif
	cr_expect_eq(unwind_count(u), 0);
	unwind_thread_gone(u, 12345);
	unwind_maps_changed(u, 12345);
	unwind_range_changed(u, 12345, 4096, 4096, true);
	(void)s;
	unwind_free(u);
}

Test(unwind, untraced_process_fails)
{
	struct unwinder *u = need_unwinder();
	struct unwind_stats st;
	struct io_stack s;
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	/* alive but not traced by us: ptrace reads fail */
	cr_expect_eq(unwind_capture(u, pid, pid, &s), -1);
	cr_expect_eq(s.nframes, 0);
	unwind_get_stats(u, &st);
	cr_expect_eq(st.failures, 1);
	unwind_thread_gone(u, pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unwind_free(u);
}

Test(unwind, big_write_chain)
{
	static const char *const args[] = { "-b", "2", "-s", "5", NULL };
	struct unwinder *u = need_unwinder();
	struct child c;
	struct io_stack s;
	pid_t tid;

	child_start(&c, args);
	tid = child_run_to_write(&c, BIG);
	cr_assert_eq(tid, c.pid);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	stack_log(&s);
	assert_chain(&s, "main");
	cr_expect_eq(unwind_count(u), 1);
	child_kill(&c);
	unwind_thread_gone(u, tid);
	unwind_free(u);
}

Test(unwind, caches_names_and_maps)
{
	static const char *const args[] = { "-b", "3", "-s", "2", NULL };
	struct unwinder *u = need_unwinder();
	struct unwind_stats st1, st2, st3;
	struct child c;
	struct io_stack s1, s2, s3;
	pid_t tid;
	int i;

	child_start(&c, args);
	tid = child_run_to_write(&c, BIG);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s1), 0);
	unwind_get_stats(u, &st1);
	cr_expect_eq(st1.maps_reads, 1);
	cr_expect_eq(st1.name_hits, 0);
	cr_expect_geq(st1.name_lookups, (unsigned long)s1.nframes);
	/* libunwind's memory reads went through whole pages */
	cr_expect_gt(st1.mem_pages, 0);
	child_resume(tid);

	/* the same stack again: every name from the cache, maps not re-read */
	tid = child_run_to_write(&c, BIG);
	cr_assert_gt(tid, 0);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s2), 0);
	unwind_get_stats(u, &st2);
	assert_chain(&s2, "main");
	cr_expect_eq(s2.nframes, s1.nframes);
	for (i = 0; i < s1.nframes && i < s2.nframes; i++) {
		cr_expect_eq(s1.frames[i].ip, s2.frames[i].ip);
		/* interned: the very same strings */
		cr_expect_eq(s1.frames[i].func, s2.frames[i].func);
		cr_expect_eq(s1.frames[i].module, s2.frames[i].module);
	}
	cr_expect_eq(st2.maps_reads, 1);
	cr_expect_eq(st2.name_lookups, st1.name_lookups);
	cr_expect_eq(st2.name_hits, (unsigned long)s2.nframes);

	/* a change of mappings: read once more, names looked up again; the
	   strings of the earlier stacks stay valid */
	unwind_maps_changed(u, c.pid);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s3), 0);
	assert_chain(&s3, "main");
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s3), 0);
	unwind_get_stats(u, &st3);
	cr_expect_eq(st3.maps_reads, 2);
	cr_expect_eq(st3.name_lookups, st2.name_lookups +
	    (unsigned long)s3.nframes);
	cr_expect_str_eq(s1.frames[1].func, "flush_buffer");
	cr_expect_eq(unwind_count(u), 4);
	child_kill(&c);
	unwind_free(u);
}

Test(unwind, range_changes)
{
	static const char *const args[] = { "-b", "1", "-s", "0", NULL };
	struct unwinder *u = need_unwinder();
	struct unwind_stats a, b;
	struct child c;
	struct io_stack s;
	pid_t tid;

	child_start(&c, args);
	tid = child_run_to_write(&c, BIG);
	cr_assert_gt(tid, 0);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	unwind_get_stats(u, &a);

	/* a data buffer unmapped (no code there): nothing dropped or read */
	unwind_range_changed(u, c.pid, 0x10000, 4u << 20, false);
	unwind_range_changed(u, c.pid, 0x10000, 4u << 20, false);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	assert_chain(&s, "main");
	unwind_get_stats(u, &b);
	cr_expect_eq(b.maps_reads, a.maps_reads);
	cr_expect_eq(b.name_lookups, a.name_lookups);
	cr_expect_eq(b.invalidations, 0);

	/* new code elsewhere: the maps are read again, the names kept */
	unwind_range_changed(u, c.pid, 0x10000, 4096, true);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	unwind_get_stats(u, &a);
	cr_expect_eq(a.maps_reads, b.maps_reads + 1);
	cr_expect_eq(a.name_lookups, b.name_lookups);

	/* stackapp's code unmapped: everything about the process dropped */
	unwind_range_changed(u, c.pid, s.frames[1].ip & ~0xfffULL, 4096,
	    false);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	assert_chain(&s, "main");
	unwind_get_stats(u, &b);
	cr_expect_eq(b.invalidations, 1);
	cr_expect_eq(b.maps_reads, a.maps_reads + 1);
	cr_expect_eq(b.name_lookups, a.name_lookups +
	    (unsigned long)s.nframes);

	/* another process's changes do not touch this one */
	unwind_range_changed(u, c.pid + 1, s.frames[1].ip, 1, true);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	unwind_get_stats(u, &a);
	cr_expect_eq(a.maps_reads, b.maps_reads);
	cr_expect_eq(a.name_lookups, b.name_lookups);
	child_kill(&c);
	unwind_free(u);
}

Test(unwind, two_processes)
{
	static const char *const args1[] = { "-b", "1", "-s", "0", NULL };
	static const char *const args2[] = { "-b", "1", "-s", "0", "-L", NULL };
	struct unwinder *u = need_unwinder();
	struct unwind_stats a, b;
	struct child c1, c2;
	struct io_stack s1, s2;
	pid_t t1, t2;
	int i;

	/* c1 stays stopped in its write while c2 runs to its own */
	child_start(&c1, args1);
	t1 = child_run_to_write(&c1, BIG);
	cr_assert_gt(t1, 0);
	child_start(&c2, args2);
	t2 = child_run_to_write(&c2, BIG);
	cr_assert_eq(t2, c2.pid);
	cr_assert_eq(unwind_capture(u, c1.pid, t1, &s1), 0);
	cr_assert_eq(unwind_capture(u, c2.pid, t2, &s2), 0);
	unwind_get_stats(u, &a);
	/* alternating: each keeps its own names, maps and rules */
	for (i = 0; i < 5; i++) {
		cr_assert_eq(unwind_capture(u, c1.pid, t1, &s1), 0);
		assert_chain(&s1, "main");
		cr_assert_eq(unwind_capture(u, c2.pid, t2, &s2), 0);
		cr_assert(func_is(&s2.frames[2], "emit_record"));
		cr_assert(s2.frames[3].func != NULL &&
		    strncmp(s2.frames[3].func, "long_name_part_", 15) == 0);
	}
	unwind_get_stats(u, &b);
	cr_expect_eq(b.maps_reads, 2);
	cr_expect_eq(b.name_lookups, a.name_lookups);
	/* one process's exec does not touch the other's caches */
	unwind_maps_changed(u, c2.pid);
	cr_assert_eq(unwind_capture(u, c1.pid, t1, &s1), 0);
	unwind_get_stats(u, &a);
	cr_expect_eq(a.maps_reads, b.maps_reads);
	cr_expect_eq(a.name_lookups, b.name_lookups);
	kill(c1.pid, SIGKILL);
	kill(c2.pid, SIGKILL);
	child_kill(&c1);
	child_kill(&c2);
	unwind_free(u);
}

Test(unwind, long_name_whole)
{
	static const char *const args[] = { "-b", "1", "-s", "0", "-L", NULL };
	struct unwinder *u = need_unwinder();
	struct child c;
	struct io_stack s;
	char want[8192];
	size_t len = 0;
	int i;
	pid_t tid;

	/* the name stackapp's LONGNAME macro builds */
	for (i = 0; i < 512; i++) {
		memcpy(want + len, "long_name_part_", 15);
		len += 15;
	}
	strcpy(want + len, "_end_of_a_very_long_function_nm");
	cr_assert_eq(strlen(want), 7711);

	child_start(&c, args);
	tid = child_run_to_write(&c, BIG);
	cr_assert_gt(tid, 0);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	stack_log(&s);
	cr_assert_geq(s.nframes, 5);
	cr_assert(func_is(&s.frames[2], "emit_record"));
	cr_assert_not_null(s.frames[3].func);
	cr_expect_eq(strlen(s.frames[3].func), 7711);
	cr_expect(strcmp(s.frames[3].func, want) == 0, "long name cut");
	cr_expect(func_is(&s.frames[4], "main"));
	child_kill(&c);
	unwind_free(u);
}

Test(unwind, second_thread)
{
	static const char *const args[] = { "-b", "2", "-s", "1", "-T", NULL };
	struct unwinder *u = need_unwinder();
	struct child c;
	struct io_stack s;
	pid_t tid;

	child_start(&c, args);
	tid = child_run_to_write(&c, BIG);
	cr_assert_gt(tid, 0);
	cr_expect_neq(tid, c.pid);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	stack_log(&s);
	assert_chain(&s, "writer_thread");
	/* the thread's state dropped: the next unwind makes a new one */
	unwind_thread_gone(u, tid);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	assert_chain(&s, "writer_thread");
	child_resume(tid);
	tid = child_run_to_write(&c, BIG);
	cr_assert_gt(tid, 0);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	assert_chain(&s, "writer_thread");
	cr_expect_eq(unwind_count(u), 3);
	child_kill(&c);
	unwind_free(u);
}

/* Not a timed assertion: logs what a cached and an uncached unwind cost. */
Test(unwind, cost_logged)
{
	static const char *const args[] = { "-b", "1", "-s", "0", NULL };
	struct unwinder *u = need_unwinder();
	struct child c;
	struct io_stack s;
	struct timespec a, b;
	double cached, cold;
	int i, n = 200;
	pid_t tid;

	child_start(&c, args);
	tid = child_run_to_write(&c, BIG);
	cr_assert_gt(tid, 0);
	cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);	/* warm up */
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	cached = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n / 10; i++) {
		unwind_maps_changed(u, c.pid);
		cr_assert_eq(unwind_capture(u, c.pid, tid, &s), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	cold = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) /
	    (n / 10);
	cr_log_info("unwind of %d frames: %.1f us cached (%.0f/s), %.1f us "
	    "after a maps change", s.nframes, cached / 1e3, 1e9 / cached,
	    cold / 1e3);
	if (getenv("UNWIND_COST") != NULL)
		fprintf(stderr, "unwind of %d frames: %.1f us cached (%.0f/s), "
		    "%.1f us after a maps change\n", s.nframes, cached / 1e3,
		    1e9 / cached, cold / 1e3);
	child_kill(&c);
	unwind_free(u);
}
