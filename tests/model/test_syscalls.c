/* tests/model/test_syscalls.c: the x86_64 and i386 tables and argument decoding. */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#include "model/syscalls.h"

struct want {
	long nr;
	const char *name;
	enum io_sys sys;
	enum io_class cls;
};

/* Every syscall the spine requires, checked against <sys/syscall.h>. */
static const struct want x64[] = {
	{ SYS_write, "write", IOSYS_WRITE, IOC_WRITE },
	{ SYS_writev, "writev", IOSYS_WRITEV, IOC_WRITE },
	{ SYS_pwrite64, "pwrite64", IOSYS_PWRITE64, IOC_WRITE },
	{ SYS_pwritev, "pwritev", IOSYS_PWRITEV, IOC_WRITE },
	{ SYS_pwritev2, "pwritev2", IOSYS_PWRITEV2, IOC_WRITE },
	{ SYS_sendfile, "sendfile", IOSYS_SENDFILE, IOC_WRITE },
	{ SYS_copy_file_range, "copy_file_range", IOSYS_COPY_FILE_RANGE, IOC_WRITE },
	{ SYS_splice, "splice", IOSYS_SPLICE, IOC_WRITE },
	{ SYS_mmap, "mmap", IOSYS_MMAP, IOC_MAP },
	{ SYS_munmap, "munmap", IOSYS_MUNMAP, IOC_MAP },
	{ SYS_mremap, "mremap", IOSYS_MREMAP, IOC_MAP },
	{ SYS_brk, "brk", IOSYS_BRK, IOC_MAP },
	{ SYS_open, "open", IOSYS_OPEN, IOC_OPEN },
	{ SYS_openat, "openat", IOSYS_OPENAT, IOC_OPEN },
	{ SYS_openat2, "openat2", IOSYS_OPENAT2, IOC_OPEN },
	{ SYS_creat, "creat", IOSYS_CREAT, IOC_OPEN },
	{ SYS_close, "close", IOSYS_CLOSE, IOC_CLOSE },
	{ SYS_close_range, "close_range", IOSYS_CLOSE_RANGE, IOC_CLOSE },
	{ SYS_dup, "dup", IOSYS_DUP, IOC_DUP },
	{ SYS_dup2, "dup2", IOSYS_DUP2, IOC_DUP },
	{ SYS_dup3, "dup3", IOSYS_DUP3, IOC_DUP },
	{ SYS_fcntl, "fcntl", IOSYS_FCNTL, IOC_DUP },
	{ SYS_rename, "rename", IOSYS_RENAME, IOC_RENAME },
	{ SYS_renameat, "renameat", IOSYS_RENAMEAT, IOC_RENAME },
	{ SYS_renameat2, "renameat2", IOSYS_RENAMEAT2, IOC_RENAME },
	{ SYS_unlink, "unlink", IOSYS_UNLINK, IOC_UNLINK },
	{ SYS_unlinkat, "unlinkat", IOSYS_UNLINKAT, IOC_UNLINK },
	{ SYS_truncate, "truncate", IOSYS_TRUNCATE, IOC_TRUNCATE },
	{ SYS_ftruncate, "ftruncate", IOSYS_FTRUNCATE, IOC_TRUNCATE },
	{ SYS_fsync, "fsync", IOSYS_FSYNC, IOC_SYNC },
	{ SYS_fdatasync, "fdatasync", IOSYS_FDATASYNC, IOC_SYNC },
	{ SYS_execve, "execve", IOSYS_EXECVE, IOC_EXEC },
	{ SYS_execveat, "execveat", IOSYS_EXECVEAT, IOC_EXEC },
	{ SYS_clone, "clone", IOSYS_CLONE, IOC_FORK },
	{ SYS_clone3, "clone3", IOSYS_CLONE3, IOC_FORK },
	{ SYS_fork, "fork", IOSYS_FORK, IOC_FORK },
	{ SYS_vfork, "vfork", IOSYS_VFORK, IOC_FORK },
	{ SYS_exit_group, "exit_group", IOSYS_EXIT_GROUP, IOC_EXIT },
	{ SYS_pipe2, "pipe2", IOSYS_PIPE2, IOC_FDNEW },
	{ SYS_socket, "socket", IOSYS_SOCKET, IOC_FDNEW },
};

Test(syscalls, x86_64_table_matches_kernel_numbers)
{
	size_t i;

	for (i = 0; i < sizeof(x64) / sizeof(x64[0]); i++) {
		const struct syscalls_ent *e = syscalls_lookup(SYSCALLS_ABI_X86_64, x64[i].nr);

		cr_assert_not_null(e, "nr %ld (%s) missing", x64[i].nr, x64[i].name);
		cr_expect_str_eq(e->name, x64[i].name);
		cr_expect_eq(e->sys, x64[i].sys, "%s", x64[i].name);
		cr_expect_eq(syscalls_class(e->sys), x64[i].cls, "%s", x64[i].name);
	}
}

/* i386 numbers from the kernel's syscall_32.tbl */
static const struct want i386[] = {
	{ 4, "write", IOSYS_WRITE, IOC_WRITE },
	{ 146, "writev", IOSYS_WRITEV, IOC_WRITE },
	{ 181, "pwrite64", IOSYS_PWRITE64, IOC_WRITE },
	{ 192, "mmap2", IOSYS_MMAP, IOC_MAP },
	{ 91, "munmap", IOSYS_MUNMAP, IOC_MAP },
	{ 163, "mremap", IOSYS_MREMAP, IOC_MAP },
	{ 45, "brk", IOSYS_BRK, IOC_MAP },
	{ 5, "open", IOSYS_OPEN, IOC_OPEN },
	{ 295, "openat", IOSYS_OPENAT, IOC_OPEN },
	{ 6, "close", IOSYS_CLOSE, IOC_CLOSE },
	{ 63, "dup2", IOSYS_DUP2, IOC_DUP },
	{ 221, "fcntl64", IOSYS_FCNTL, IOC_DUP },
	{ 38, "rename", IOSYS_RENAME, IOC_RENAME },
	{ 10, "unlink", IOSYS_UNLINK, IOC_UNLINK },
	{ 194, "ftruncate64", IOSYS_FTRUNCATE, IOC_TRUNCATE },
	{ 11, "execve", IOSYS_EXECVE, IOC_EXEC },
	{ 120, "clone", IOSYS_CLONE, IOC_FORK },
	{ 252, "exit_group", IOSYS_EXIT_GROUP, IOC_EXIT },
	{ 437, "openat2", IOSYS_OPENAT2, IOC_OPEN },
};

Test(syscalls, i386_table)
{
	size_t i;

	for (i = 0; i < sizeof(i386) / sizeof(i386[0]); i++) {
		const struct syscalls_ent *e = syscalls_lookup(SYSCALLS_ABI_I386, i386[i].nr);

		cr_assert_not_null(e, "i386 nr %ld missing", i386[i].nr);
		cr_expect_str_eq(e->name, i386[i].name);
		cr_expect_eq(e->sys, i386[i].sys);
	}
}

Test(syscalls, lookup_out_of_range)
{
	cr_expect_null(syscalls_lookup(SYSCALLS_ABI_X86_64, -1));
	cr_expect_null(syscalls_lookup(SYSCALLS_ABI_X86_64, 100000));
	cr_expect_null(syscalls_lookup(SYSCALLS_ABI_X86_64, SYS_getppid));
	cr_expect_null(syscalls_lookup(SYSCALLS_ABI_X86_64, SYS_read));
}

Test(syscalls, names_from_logs)
{
	cr_expect_eq(syscalls_by_name("write", 5), IOSYS_WRITE);
	cr_expect_eq(syscalls_by_name("writev(", 6), IOSYS_WRITEV);
	cr_expect_eq(syscalls_by_name("mmap2", 5), IOSYS_MMAP);
	cr_expect_eq(syscalls_by_name("_llseek", 7), IOSYS_LSEEK);
	cr_expect_eq(syscalls_by_name("fstat64", 7), IOSYS_STAT);
	cr_expect_eq(syscalls_by_name("newfstatat", 10), IOSYS_STAT);
	cr_expect_eq(syscalls_by_name("writ", 4), IOSYS_UNKNOWN);
	cr_expect_eq(syscalls_by_name("writes", 6), IOSYS_UNKNOWN);
	cr_expect_eq(syscalls_by_name("getpid", 6), IOSYS_UNKNOWN);
	cr_expect_eq(syscalls_by_name("", 0), IOSYS_UNKNOWN);
}

Test(syscalls, by_name_table_is_sorted)
{
	/* every canonical name must be found by name */
	int s;

	for (s = IOSYS_WRITE; s < IOSYS_PROC_EXIT; s++) {
		const char *n = syscalls_name((enum io_sys)s);

		cr_expect_eq(syscalls_by_name(n, strlen(n)), (enum io_sys)s,
		    "%s not found by name", n);
	}
}

Test(syscalls, decode_write_and_pwrite)
{
	struct io_event ev;
	uint64_t a[6] = { 3, 0x1000, 314572844, 0, 0, 0 };

	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_WRITE, 64, NULL, a);
	cr_expect_eq(ev.fd, 3);
	cr_expect_eq(ev.count, 314572844);
	cr_expect_eq(ev.cls, IOC_WRITE);
	cr_expect_str_eq(ev.name, "write");

	uint64_t p[6] = { 4, 0x1000, 10, 0x100000001ULL, 0, 0 };
	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_PWRITE64, 64, NULL, p);
	cr_expect_eq(ev.offset, 0x100000001LL);

	/* i386 splits the 64-bit offset in two registers */
	uint64_t q[6] = { 4, 0x1000, 10, 0x1, 0x1, 0 };
	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_PWRITE64, 32, NULL, q);
	cr_expect_eq(ev.offset, 0x100000001LL);
}

Test(syscalls, decode_fds_are_sign_extended_ints)
{
	struct io_event ev;
	uint64_t a[6] = { 0xffffff9cULL /* AT_FDCWD, 32-bit */, 0x1000, O_WRONLY | O_CREAT, 0644, 0, 0 };

	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_OPENAT, 32, NULL, a);
	cr_expect_eq(ev.fd, AT_FDCWD);
	cr_expect_eq(ev.flags, O_WRONLY | O_CREAT);
	cr_expect_eq(ev.mode, 0644);
	a[0] = (uint64_t)(int64_t)AT_FDCWD;
	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_OPENAT, 64, NULL, a);
	cr_expect_eq(ev.fd, AT_FDCWD);
}

Test(syscalls, decode_maps)
{
	struct io_event ev;
	uint64_t m[6] = { 0, 314576896, 3, 0x22, (uint64_t)-1, 0 };

	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_MMAP, 64, NULL, m);
	cr_expect_eq(ev.len, 314576896);
	cr_expect_eq(ev.prot, 3);
	cr_expect_eq(ev.flags, 0x22);
	cr_expect_eq(ev.fd, -1);

	uint64_t m2[6] = { 0, 8192, 1, 2, 5, 3 };
	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_MMAP, 32, "mmap2", m2);
	cr_expect_eq(ev.offset, 3 * 4096, "mmap2 offsets are in pages");

	uint64_t r[6] = { 0x7fece8c71000ULL, 393220096, 314576896, 1, 0, 0 };
	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_MREMAP, 64, NULL, r);
	cr_expect_eq(ev.addr, 0x7fece8c71000ULL);
	cr_expect_eq(ev.len, 393220096);
	cr_expect_eq(ev.new_len, 314576896);
}

Test(syscalls, decode_copy_and_splice_target_fd)
{
	struct io_event ev;
	uint64_t a[6] = { 5, 0, 7, 0, 65536, 0 };

	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_COPY_FILE_RANGE, 64, NULL, a);
	cr_expect_eq(ev.fd, 7, "the destination is fd_out");
	cr_expect_eq(ev.fd2, 5);
	cr_expect_eq(ev.count, 65536);
	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_SPLICE, 64, NULL, a);
	cr_expect_eq(ev.fd, 7);
}

Test(syscalls, decode_fork_family)
{
	struct io_event ev;
	uint64_t a[6] = { CLONE_VM | CLONE_FILES | CLONE_THREAD, 0, 0, 0, 0, 0 };

	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_CLONE, 64, NULL, a);
	cr_expect_eq(ev.flags, CLONE_VM | CLONE_FILES | CLONE_THREAD);
	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_VFORK, 64, NULL, a);
	cr_expect(ev.flags & CLONE_VFORK);
	io_event_init(&ev);
	syscalls_decode_args(&ev, IOSYS_FORK, 64, NULL, a);
	cr_expect_eq(ev.flags, SIGCHLD);
}

Test(syscalls, live_numbers_exclude_replay_only)
{
	long nrs[256];
	size_t n = syscalls_live_numbers(SYSCALLS_ABI_X86_64, nrs, 256);
	size_t i;
	bool has_write = false;

	cr_assert_leq(n, 256);
	for (i = 0; i < n; i++) {
		cr_expect_neq(nrs[i], SYS_read);
		cr_expect_neq(nrs[i], SYS_getppid);
		if (nrs[i] == SYS_write)
			has_write = true;
	}
	cr_expect(has_write);
	cr_expect_gt(n, 40);
}
