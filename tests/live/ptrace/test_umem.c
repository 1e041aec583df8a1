/* tests/live/ptrace/test_umem.c: reading a stopped child's memory, with
 * process_vm_readv and with the PTRACE_PEEKDATA fallback; strings that end
 * right before an unmapped page. */
#include "config.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live/ptrace/umem.h"

static char text[] = "hello, tracee";
static char *edge;		/* a string ending at the end of a page */
static pid_t child;

/* A child that shares our layout (fork), traced and stopped. */
static void
start(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;

	cr_assert_neq(map, MAP_FAILED);
	cr_assert_eq(munmap(map + pg, (size_t)pg), 0);
	edge = map + pg - 6;
	memcpy(edge, "edge!", 6);	/* the NUL is the page's last byte */
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	cr_assert_eq(waitpid(child, &st, 0), child);
	if (!WIFSTOPPED(st))
		cr_skip_test("ptrace is not permitted here");
}

static void
stop(void)
{
	umem_set_peek_only(0);
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
}

TestSuite(umem, .init = start, .fini = stop);

static void
check_reads(void)
{
	char buf[64];
	int trunc = -1;

	cr_assert_eq(umem_read(child, (uintptr_t)text, buf, 5), 5);
	cr_assert_eq(memcmp(buf, "hello", 5), 0);
	/* an odd start and length (PEEKDATA reads whole words) */
	cr_assert_eq(umem_read(child, (uintptr_t)text + 3, buf, 7), 7);
	cr_assert_eq(memcmp(buf, "lo, tra", 7), 0);
	cr_assert_eq(umem_read_str(child, (uintptr_t)text, buf, sizeof(buf),
	    &trunc), (ssize_t)strlen(text));
	cr_assert_str_eq(buf, text);
	cr_assert_eq(trunc, 0);
	/* too small a buffer: truncated, still NUL-terminated */
	cr_assert_eq(umem_read_str(child, (uintptr_t)text, buf, 6, &trunc), 5);
	cr_assert_str_eq(buf, "hello");
	cr_assert_eq(trunc, 1);
	/* a string that ends at the last byte before an unmapped page */
	cr_assert_eq(umem_read_str(child, (uintptr_t)edge, buf, sizeof(buf),
	    &trunc), 5);
	cr_assert_str_eq(buf, "edge!");
	/* unmapped and NULL addresses fail */
	cr_assert_eq(umem_read(child, (uintptr_t)edge + 6, buf, 4), -1);
	cr_assert_eq(umem_read(child, 0, buf, 4), -1);
	cr_assert_eq(umem_read_str(child, 0, buf, sizeof(buf), NULL), -1);
}

Test(umem, process_vm_readv)
{
	umem_set_peek_only(0);
	check_reads();
}

Test(umem, peekdata_fallback)
{
	umem_set_peek_only(1);
	check_reads();
}
