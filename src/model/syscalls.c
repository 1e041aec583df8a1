/*
 * syscalls.c: per-architecture syscall tables and argument decoding.
 *
 * Numbers come from the kernel's arch/x86/entry/syscalls/syscall_{64,32}.tbl
 * (the same values as <asm/unistd_64.h> and <asm/unistd_32.h>); they are
 * spelled out here so the table does not depend on the build host's headers
 * and a 64-bit iospy can decode a 32-bit tracee.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>

#include "model/syscalls.h"

#define N (-1)

/* One description per enum io_sys, in enum order. */
static const struct syscalls_desc descs[IOSYS__COUNT] = {
	/* name            class         path path2 buf mem          live */
	[IOSYS_UNKNOWN] =  { "?",                IOC_OTHER,    N, N, N, SCM_NONE, false },
	[IOSYS_WRITE] =    { "write",            IOC_WRITE,    N, N, 1, SCM_BUF, true },
	[IOSYS_WRITEV] =   { "writev",           IOC_WRITE,    N, N, 1, SCM_IOV, true },
	[IOSYS_PWRITE64] = { "pwrite64",         IOC_WRITE,    N, N, 1, SCM_BUF, true },
	[IOSYS_PWRITEV] =  { "pwritev",          IOC_WRITE,    N, N, 1, SCM_IOV, true },
	[IOSYS_PWRITEV2] = { "pwritev2",         IOC_WRITE,    N, N, 1, SCM_IOV, true },
	[IOSYS_SENDFILE] = { "sendfile",         IOC_WRITE,    N, N, N, SCM_NONE, true },
	[IOSYS_COPY_FILE_RANGE] = { "copy_file_range", IOC_WRITE, N, N, N, SCM_NONE, true },
	[IOSYS_SPLICE] =   { "splice",           IOC_WRITE,    N, N, N, SCM_NONE, true },
	[IOSYS_MMAP] =     { "mmap",             IOC_MAP,      N, N, N, SCM_NONE, true },
	[IOSYS_MUNMAP] =   { "munmap",           IOC_MAP,      N, N, N, SCM_NONE, true },
	[IOSYS_MREMAP] =   { "mremap",           IOC_MAP,      N, N, N, SCM_NONE, true },
	[IOSYS_BRK] =      { "brk",              IOC_MAP,      N, N, N, SCM_NONE, true },
	[IOSYS_OPEN] =     { "open",             IOC_OPEN,     0, N, N, SCM_NONE, true },
	[IOSYS_OPENAT] =   { "openat",           IOC_OPEN,     1, N, N, SCM_NONE, true },
	[IOSYS_OPENAT2] =  { "openat2",          IOC_OPEN,     1, N, 2, SCM_OPEN_HOW, true },
	[IOSYS_CREAT] =    { "creat",            IOC_OPEN,     0, N, N, SCM_NONE, true },
	[IOSYS_PIPE] =     { "pipe",             IOC_FDNEW,    N, N, 0, SCM_PIPEFDS, true },
	[IOSYS_PIPE2] =    { "pipe2",            IOC_FDNEW,    N, N, 0, SCM_PIPEFDS, true },
	[IOSYS_SOCKET] =   { "socket",           IOC_FDNEW,    N, N, N, SCM_NONE, true },
	[IOSYS_SOCKETPAIR] = { "socketpair",     IOC_FDNEW,    N, N, 3, SCM_PIPEFDS, true },
	[IOSYS_ACCEPT] =   { "accept",           IOC_FDNEW,    N, N, N, SCM_NONE, true },
	[IOSYS_ACCEPT4] =  { "accept4",          IOC_FDNEW,    N, N, N, SCM_NONE, true },
	[IOSYS_EVENTFD] =  { "eventfd2",         IOC_FDNEW,    N, N, N, SCM_NONE, true },
	[IOSYS_EPOLL_CREATE] = { "epoll_create1", IOC_FDNEW,   N, N, N, SCM_NONE, true },
	[IOSYS_MEMFD_CREATE] = { "memfd_create", IOC_FDNEW,    N, N, N, SCM_NONE, true },
	[IOSYS_SIGNALFD] = { "signalfd4",        IOC_FDNEW,    N, N, N, SCM_NONE, true },
	[IOSYS_TIMERFD_CREATE] = { "timerfd_create", IOC_FDNEW, N, N, N, SCM_NONE, true },
	[IOSYS_INOTIFY_INIT] = { "inotify_init1", IOC_FDNEW,   N, N, N, SCM_NONE, true },
	[IOSYS_PIDFD_OPEN] = { "pidfd_open",     IOC_FDNEW,    N, N, N, SCM_NONE, true },
	[IOSYS_CLOSE] =    { "close",            IOC_CLOSE,    N, N, N, SCM_NONE, true },
	[IOSYS_CLOSE_RANGE] = { "close_range",   IOC_CLOSE,    N, N, N, SCM_NONE, true },
	[IOSYS_DUP] =      { "dup",              IOC_DUP,      N, N, N, SCM_NONE, true },
	[IOSYS_DUP2] =     { "dup2",             IOC_DUP,      N, N, N, SCM_NONE, true },
	[IOSYS_DUP3] =     { "dup3",             IOC_DUP,      N, N, N, SCM_NONE, true },
	[IOSYS_FCNTL] =    { "fcntl",            IOC_DUP,      N, N, N, SCM_NONE, true },
	[IOSYS_RENAME] =   { "rename",           IOC_RENAME,   0, 1, N, SCM_NONE, true },
	[IOSYS_RENAMEAT] = { "renameat",         IOC_RENAME,   1, 3, N, SCM_NONE, true },
	[IOSYS_RENAMEAT2] = { "renameat2",       IOC_RENAME,   1, 3, N, SCM_NONE, true },
	[IOSYS_LINK] =     { "link",             IOC_LINK,     0, 1, N, SCM_NONE, true },
	[IOSYS_LINKAT] =   { "linkat",           IOC_LINK,     1, 3, N, SCM_NONE, true },
	[IOSYS_UNLINK] =   { "unlink",           IOC_UNLINK,   0, N, N, SCM_NONE, true },
	[IOSYS_UNLINKAT] = { "unlinkat",         IOC_UNLINK,   1, N, N, SCM_NONE, true },
	[IOSYS_TRUNCATE] = { "truncate",         IOC_TRUNCATE, 0, N, N, SCM_NONE, true },
	[IOSYS_FTRUNCATE] = { "ftruncate",       IOC_TRUNCATE, N, N, N, SCM_NONE, true },
	[IOSYS_FSYNC] =    { "fsync",            IOC_SYNC,     N, N, N, SCM_NONE, true },
	[IOSYS_FDATASYNC] = { "fdatasync",       IOC_SYNC,     N, N, N, SCM_NONE, true },
	[IOSYS_CHDIR] =    { "chdir",            IOC_CWD,      0, N, N, SCM_NONE, true },
	[IOSYS_FCHDIR] =   { "fchdir",           IOC_CWD,      N, N, N, SCM_NONE, true },
	[IOSYS_EXECVE] =   { "execve",           IOC_EXEC,     0, N, 1, SCM_ARGV, true },
	[IOSYS_EXECVEAT] = { "execveat",         IOC_EXEC,     1, N, 2, SCM_ARGV, true },
	[IOSYS_CLONE] =    { "clone",            IOC_FORK,     N, N, N, SCM_NONE, true },
	[IOSYS_CLONE3] =   { "clone3",           IOC_FORK,     N, N, 0, SCM_CLONE_ARGS, true },
	[IOSYS_FORK] =     { "fork",             IOC_FORK,     N, N, N, SCM_NONE, true },
	[IOSYS_VFORK] =    { "vfork",            IOC_FORK,     N, N, N, SCM_NONE, true },
	[IOSYS_EXIT] =     { "exit",             IOC_EXIT,     N, N, N, SCM_NONE, true },
	[IOSYS_EXIT_GROUP] = { "exit_group",     IOC_EXIT,     N, N, N, SCM_NONE, true },
	[IOSYS_STAT] =     { "stat",             IOC_INFO,     0, N, N, SCM_NONE, false },
	[IOSYS_LSEEK] =    { "lseek",            IOC_INFO,     N, N, N, SCM_NONE, false },
	[IOSYS_PROC_EXIT] = { "+++ exit",        IOC_PSEUDO,   N, N, N, SCM_NONE, false },
	[IOSYS_SIGNAL] =   { "--- signal",       IOC_PSEUDO,   N, N, N, SCM_NONE, false },
	[IOSYS_DETACH] =   { "detach",           IOC_PSEUDO,   N, N, N, SCM_NONE, false },
};

#undef N

/* x86_64: syscall number -> io_sys. */
static const struct syscalls_ent x86_64_table[] = {
	[1] = { "write", IOSYS_WRITE },
	[2] = { "open", IOSYS_OPEN },
	[3] = { "close", IOSYS_CLOSE },
	[9] = { "mmap", IOSYS_MMAP },
	[11] = { "munmap", IOSYS_MUNMAP },
	[12] = { "brk", IOSYS_BRK },
	[18] = { "pwrite64", IOSYS_PWRITE64 },
	[20] = { "writev", IOSYS_WRITEV },
	[22] = { "pipe", IOSYS_PIPE },
	[25] = { "mremap", IOSYS_MREMAP },
	[32] = { "dup", IOSYS_DUP },
	[33] = { "dup2", IOSYS_DUP2 },
	[40] = { "sendfile", IOSYS_SENDFILE },
	[41] = { "socket", IOSYS_SOCKET },
	[43] = { "accept", IOSYS_ACCEPT },
	[53] = { "socketpair", IOSYS_SOCKETPAIR },
	[56] = { "clone", IOSYS_CLONE },
	[57] = { "fork", IOSYS_FORK },
	[58] = { "vfork", IOSYS_VFORK },
	[59] = { "execve", IOSYS_EXECVE },
	[60] = { "exit", IOSYS_EXIT },
	[72] = { "fcntl", IOSYS_FCNTL },
	[74] = { "fsync", IOSYS_FSYNC },
	[75] = { "fdatasync", IOSYS_FDATASYNC },
	[76] = { "truncate", IOSYS_TRUNCATE },
	[77] = { "ftruncate", IOSYS_FTRUNCATE },
	[80] = { "chdir", IOSYS_CHDIR },
	[81] = { "fchdir", IOSYS_FCHDIR },
	[82] = { "rename", IOSYS_RENAME },
	[85] = { "creat", IOSYS_CREAT },
	[86] = { "link", IOSYS_LINK },
	[87] = { "unlink", IOSYS_UNLINK },
	[213] = { "epoll_create", IOSYS_EPOLL_CREATE },
	[231] = { "exit_group", IOSYS_EXIT_GROUP },
	[253] = { "inotify_init", IOSYS_INOTIFY_INIT },
	[257] = { "openat", IOSYS_OPENAT },
	[263] = { "unlinkat", IOSYS_UNLINKAT },
	[264] = { "renameat", IOSYS_RENAMEAT },
	[265] = { "linkat", IOSYS_LINKAT },
	[275] = { "splice", IOSYS_SPLICE },
	[282] = { "signalfd", IOSYS_SIGNALFD },
	[283] = { "timerfd_create", IOSYS_TIMERFD_CREATE },
	[284] = { "eventfd", IOSYS_EVENTFD },
	[288] = { "accept4", IOSYS_ACCEPT4 },
	[289] = { "signalfd4", IOSYS_SIGNALFD },
	[290] = { "eventfd2", IOSYS_EVENTFD },
	[291] = { "epoll_create1", IOSYS_EPOLL_CREATE },
	[292] = { "dup3", IOSYS_DUP3 },
	[293] = { "pipe2", IOSYS_PIPE2 },
	[294] = { "inotify_init1", IOSYS_INOTIFY_INIT },
	[296] = { "pwritev", IOSYS_PWRITEV },
	[316] = { "renameat2", IOSYS_RENAMEAT2 },
	[319] = { "memfd_create", IOSYS_MEMFD_CREATE },
	[322] = { "execveat", IOSYS_EXECVEAT },
	[326] = { "copy_file_range", IOSYS_COPY_FILE_RANGE },
	[328] = { "pwritev2", IOSYS_PWRITEV2 },
	[434] = { "pidfd_open", IOSYS_PIDFD_OPEN },
	[435] = { "clone3", IOSYS_CLONE3 },
	[436] = { "close_range", IOSYS_CLOSE_RANGE },
	[437] = { "openat2", IOSYS_OPENAT2 },
};

/* i386 (and the x86_64 kernel's ia32 compat entry): number -> io_sys. */
static const struct syscalls_ent i386_table[] = {
	[1] = { "exit", IOSYS_EXIT },
	[2] = { "fork", IOSYS_FORK },
	[4] = { "write", IOSYS_WRITE },
	[5] = { "open", IOSYS_OPEN },
	[6] = { "close", IOSYS_CLOSE },
	[8] = { "creat", IOSYS_CREAT },
	[9] = { "link", IOSYS_LINK },
	[10] = { "unlink", IOSYS_UNLINK },
	[11] = { "execve", IOSYS_EXECVE },
	[12] = { "chdir", IOSYS_CHDIR },
	[38] = { "rename", IOSYS_RENAME },
	[41] = { "dup", IOSYS_DUP },
	[42] = { "pipe", IOSYS_PIPE },
	[45] = { "brk", IOSYS_BRK },
	[55] = { "fcntl", IOSYS_FCNTL },
	[63] = { "dup2", IOSYS_DUP2 },
	[90] = { "mmap", IOSYS_MMAP },	/* old_mmap: args in memory */
	[91] = { "munmap", IOSYS_MUNMAP },
	[92] = { "truncate", IOSYS_TRUNCATE },
	[93] = { "ftruncate", IOSYS_FTRUNCATE },
	[118] = { "fsync", IOSYS_FSYNC },
	[120] = { "clone", IOSYS_CLONE },
	[133] = { "fchdir", IOSYS_FCHDIR },
	[146] = { "writev", IOSYS_WRITEV },
	[148] = { "fdatasync", IOSYS_FDATASYNC },
	[163] = { "mremap", IOSYS_MREMAP },
	[181] = { "pwrite64", IOSYS_PWRITE64 },
	[187] = { "sendfile", IOSYS_SENDFILE },
	[190] = { "vfork", IOSYS_VFORK },
	[192] = { "mmap2", IOSYS_MMAP },
	[193] = { "truncate64", IOSYS_TRUNCATE },
	[194] = { "ftruncate64", IOSYS_FTRUNCATE },
	[221] = { "fcntl64", IOSYS_FCNTL },
	[239] = { "sendfile64", IOSYS_SENDFILE },
	[252] = { "exit_group", IOSYS_EXIT_GROUP },
	[254] = { "epoll_create", IOSYS_EPOLL_CREATE },
	[291] = { "inotify_init", IOSYS_INOTIFY_INIT },
	[295] = { "openat", IOSYS_OPENAT },
	[301] = { "unlinkat", IOSYS_UNLINKAT },
	[302] = { "renameat", IOSYS_RENAMEAT },
	[303] = { "linkat", IOSYS_LINKAT },
	[313] = { "splice", IOSYS_SPLICE },
	[321] = { "signalfd", IOSYS_SIGNALFD },
	[322] = { "timerfd_create", IOSYS_TIMERFD_CREATE },
	[323] = { "eventfd", IOSYS_EVENTFD },
	[327] = { "signalfd4", IOSYS_SIGNALFD },
	[328] = { "eventfd2", IOSYS_EVENTFD },
	[329] = { "epoll_create1", IOSYS_EPOLL_CREATE },
	[330] = { "dup3", IOSYS_DUP3 },
	[331] = { "pipe2", IOSYS_PIPE2 },
	[332] = { "inotify_init1", IOSYS_INOTIFY_INIT },
	[334] = { "pwritev", IOSYS_PWRITEV },
	[353] = { "renameat2", IOSYS_RENAMEAT2 },
	[356] = { "memfd_create", IOSYS_MEMFD_CREATE },
	[358] = { "execveat", IOSYS_EXECVEAT },
	[359] = { "socket", IOSYS_SOCKET },
	[360] = { "socketpair", IOSYS_SOCKETPAIR },
	[364] = { "accept4", IOSYS_ACCEPT4 },
	[377] = { "copy_file_range", IOSYS_COPY_FILE_RANGE },
	[379] = { "pwritev2", IOSYS_PWRITEV2 },
	[434] = { "pidfd_open", IOSYS_PIDFD_OPEN },
	[435] = { "clone3", IOSYS_CLONE3 },
	[436] = { "close_range", IOSYS_CLOSE_RANGE },
	[437] = { "openat2", IOSYS_OPENAT2 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Names strace prints -> io_sys, sorted by name for bsearch.  Includes the
 * i386 and old-kernel spellings a log may carry.
 */
static const struct syscalls_ent by_name[] = {
	{ "_llseek", IOSYS_LSEEK },
	{ "accept", IOSYS_ACCEPT },
	{ "accept4", IOSYS_ACCEPT4 },
	{ "brk", IOSYS_BRK },
	{ "chdir", IOSYS_CHDIR },
	{ "clone", IOSYS_CLONE },
	{ "clone2", IOSYS_CLONE },
	{ "clone3", IOSYS_CLONE3 },
	{ "close", IOSYS_CLOSE },
	{ "close_range", IOSYS_CLOSE_RANGE },
	{ "copy_file_range", IOSYS_COPY_FILE_RANGE },
	{ "creat", IOSYS_CREAT },
	{ "dup", IOSYS_DUP },
	{ "dup2", IOSYS_DUP2 },
	{ "dup3", IOSYS_DUP3 },
	{ "epoll_create", IOSYS_EPOLL_CREATE },
	{ "epoll_create1", IOSYS_EPOLL_CREATE },
	{ "eventfd", IOSYS_EVENTFD },
	{ "eventfd2", IOSYS_EVENTFD },
	{ "execve", IOSYS_EXECVE },
	{ "execveat", IOSYS_EXECVEAT },
	{ "exit", IOSYS_EXIT },
	{ "exit_group", IOSYS_EXIT_GROUP },
	{ "fchdir", IOSYS_FCHDIR },
	{ "fcntl", IOSYS_FCNTL },
	{ "fcntl64", IOSYS_FCNTL },
	{ "fdatasync", IOSYS_FDATASYNC },
	{ "fork", IOSYS_FORK },
	{ "fstat", IOSYS_STAT },
	{ "fstat64", IOSYS_STAT },
	{ "fstatat64", IOSYS_STAT },
	{ "fsync", IOSYS_FSYNC },
	{ "ftruncate", IOSYS_FTRUNCATE },
	{ "ftruncate64", IOSYS_FTRUNCATE },
	{ "inotify_init", IOSYS_INOTIFY_INIT },
	{ "inotify_init1", IOSYS_INOTIFY_INIT },
	{ "link", IOSYS_LINK },
	{ "linkat", IOSYS_LINKAT },
	{ "llseek", IOSYS_LSEEK },
	{ "lseek", IOSYS_LSEEK },
	{ "lstat", IOSYS_STAT },
	{ "lstat64", IOSYS_STAT },
	{ "memfd_create", IOSYS_MEMFD_CREATE },
	{ "mmap", IOSYS_MMAP },
	{ "mmap2", IOSYS_MMAP },
	{ "mremap", IOSYS_MREMAP },
	{ "munmap", IOSYS_MUNMAP },
	{ "newfstatat", IOSYS_STAT },
	{ "old_mmap", IOSYS_MMAP },
	{ "open", IOSYS_OPEN },
	{ "openat", IOSYS_OPENAT },
	{ "openat2", IOSYS_OPENAT2 },
	{ "pidfd_open", IOSYS_PIDFD_OPEN },
	{ "pipe", IOSYS_PIPE },
	{ "pipe2", IOSYS_PIPE2 },
	{ "pwrite", IOSYS_PWRITE64 },
	{ "pwrite64", IOSYS_PWRITE64 },
	{ "pwritev", IOSYS_PWRITEV },
	{ "pwritev2", IOSYS_PWRITEV2 },
	{ "rename", IOSYS_RENAME },
	{ "renameat", IOSYS_RENAMEAT },
	{ "renameat2", IOSYS_RENAMEAT2 },
	{ "sendfile", IOSYS_SENDFILE },
	{ "sendfile64", IOSYS_SENDFILE },
	{ "signalfd", IOSYS_SIGNALFD },
	{ "signalfd4", IOSYS_SIGNALFD },
	{ "socket", IOSYS_SOCKET },
	{ "socketpair", IOSYS_SOCKETPAIR },
	{ "splice", IOSYS_SPLICE },
	{ "stat", IOSYS_STAT },
	{ "stat64", IOSYS_STAT },
	{ "statx", IOSYS_STAT },
	{ "timerfd_create", IOSYS_TIMERFD_CREATE },
	{ "truncate", IOSYS_TRUNCATE },
	{ "truncate64", IOSYS_TRUNCATE },
	{ "unlink", IOSYS_UNLINK },
	{ "unlinkat", IOSYS_UNLINKAT },
	{ "vfork", IOSYS_VFORK },
	{ "write", IOSYS_WRITE },
	{ "writev", IOSYS_WRITEV },
};

/* The description of sys. */
const struct syscalls_desc *
syscalls_desc(enum io_sys sys)
{
	if ((unsigned)sys >= IOSYS__COUNT)
		sys = IOSYS_UNKNOWN;
	return &descs[sys];
}

/* The class of sys. */
enum io_class
syscalls_class(enum io_sys sys)
{
	return syscalls_desc(sys)->cls;
}

/* The canonical name of sys. */
const char *
syscalls_name(enum io_sys sys)
{
	return syscalls_desc(sys)->name;
}

static const struct syscalls_ent *
table_for(int abi, size_t *n)
{
	if (abi == SYSCALLS_ABI_I386) {
		*n = NELEM(i386_table);
		return i386_table;
	}
	*n = NELEM(x86_64_table);
	return x86_64_table;
}

/* Highest syscall number in abi's table, plus one. */
long
syscalls_table_size(int abi)
{
	size_t n;

	table_for(abi, &n);
	return (long)n;
}

/* The table row for syscall number nr of abi, or NULL. */
const struct syscalls_ent *
syscalls_lookup(int abi, long nr)
{
	size_t n;
	const struct syscalls_ent *t = table_for(abi, &n);

	if (nr < 0 || (size_t)nr >= n || t[nr].name == NULL)
		return NULL;
	return &t[nr];
}

/* The io_sys for a syscall name as strace prints it. */
enum io_sys
syscalls_by_name(const char *name, size_t len)
{
	size_t lo = 0, hi = NELEM(by_name);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *m = by_name[mid].name;
		int c = strncmp(m, name, len);

		if (c == 0 && m[len] != '\0')
			c = 1;	/* m is longer: it sorts after name */
		if (c == 0)
			return by_name[mid].sys;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return IOSYS_UNKNOWN;
}

/* Numbers of abi's syscalls the live tracer stops on. */
size_t
syscalls_live_numbers(int abi, long *nrs, size_t max)
{
	size_t n, i, count = 0;
	const struct syscalls_ent *t = table_for(abi, &n);

	for (i = 0; i < n; i++) {
		if (t[i].name == NULL || !descs[t[i].sys].live)
			continue;
		if (count < max)
			nrs[count] = (long)i;
		count++;
	}
	return count;
}

static int
arg_fd(uint64_t v)
{
	/* fds are C ints in every ABI: the low 32 bits, sign-extended
	   (AT_FDCWD is -100). */
	return (int)(int32_t)(uint32_t)v;
}

/* A 64-bit file offset passed as two registers on i386 (low, high). */
static int64_t
arg_off64(int abi, const uint64_t args[6], int i)
{
	if (abi == SYSCALLS_ABI_I386)
		return (int64_t)((args[i] & 0xffffffffu) |
		    ((args[i + 1] & 0xffffffffu) << 32));
	return (int64_t)args[i];
}

/* Fill the argument fields of ev from the raw register arguments. */
void
syscalls_decode_args(struct io_event *ev, enum io_sys sys, int abi,
    const char *name, const uint64_t args[6])
{
	uint64_t a[6];
	int i;

	/* On i386 every register argument is 32 bits wide. */
	for (i = 0; i < 6; i++)
		a[i] = abi == SYSCALLS_ABI_I386 ? (args[i] & 0xffffffffu) : args[i];

	ev->sys = sys;
	ev->cls = syscalls_class(sys);
	ev->abi = abi;
	ev->name = name ? name : syscalls_name(sys);

	switch (sys) {
	case IOSYS_WRITE:
		ev->fd = arg_fd(a[0]);
		ev->addr = a[1];
		ev->count = a[2];
		break;
	case IOSYS_PWRITE64:
		ev->fd = arg_fd(a[0]);
		ev->addr = a[1];
		ev->count = a[2];
		ev->offset = arg_off64(abi, a, 3);
		break;
	case IOSYS_WRITEV:
	case IOSYS_PWRITEV:
	case IOSYS_PWRITEV2:
		ev->fd = arg_fd(a[0]);
		ev->addr = a[1];
		ev->iovcnt = (int)a[2];
		if (sys != IOSYS_WRITEV) {
			/* pos_l, pos_h on both ABIs; x86_64 passes it whole in pos_l */
			ev->offset = abi == SYSCALLS_ABI_I386 ?
			    arg_off64(abi, a, 3) : (int64_t)a[3];
		}
		if (sys == IOSYS_PWRITEV2)
			ev->flags = a[5];
		break;
	case IOSYS_SENDFILE:
		ev->fd = arg_fd(a[0]);
		ev->fd2 = arg_fd(a[1]);
		ev->count = a[3];
		break;
	case IOSYS_COPY_FILE_RANGE:
	case IOSYS_SPLICE:
		ev->fd = arg_fd(a[2]);
		ev->fd2 = arg_fd(a[0]);
		ev->count = a[4];
		ev->flags = a[5];
		break;
	case IOSYS_MMAP:
		ev->addr = a[0];
		ev->len = a[1];
		ev->prot = a[2];
		ev->flags = a[3];
		ev->fd = arg_fd(a[4]);
		/* mmap2 takes the offset in 4096-byte units */
		if (name && strcmp(name, "mmap2") == 0)
			ev->offset = (int64_t)(a[5] * 4096);
		else
			ev->offset = (int64_t)a[5];
		break;
	case IOSYS_MUNMAP:
		ev->addr = a[0];
		ev->len = a[1];
		break;
	case IOSYS_MREMAP:
		ev->addr = a[0];
		ev->len = a[1];
		ev->new_len = a[2];
		ev->flags = a[3];
		break;
	case IOSYS_BRK:
		ev->addr = a[0];
		break;
	case IOSYS_OPEN:
		ev->fd = AT_FDCWD;
		ev->flags = a[1];
		ev->mode = (uint32_t)a[2];
		break;
	case IOSYS_OPENAT:
		ev->fd = arg_fd(a[0]);
		ev->flags = a[2];
		ev->mode = (uint32_t)a[3];
		break;
	case IOSYS_OPENAT2:
		ev->fd = arg_fd(a[0]);
		ev->addr = a[2];	/* struct open_how; flags read by the tracer */
		break;
	case IOSYS_CREAT:
		ev->fd = AT_FDCWD;
		ev->flags = O_CREAT | O_WRONLY | O_TRUNC;
		ev->mode = (uint32_t)a[1];
		break;
	case IOSYS_PIPE:
		ev->addr = a[0];
		break;
	case IOSYS_PIPE2:
		ev->addr = a[0];
		ev->flags = a[1];
		break;
	case IOSYS_SOCKET:
		ev->cmd = (int)a[0];	/* domain */
		ev->flags = a[1];	/* type (SOCK_CLOEXEC lives here) */
		break;
	case IOSYS_SOCKETPAIR:
		ev->cmd = (int)a[0];
		ev->flags = a[1];
		ev->addr = a[3];
		break;
	case IOSYS_ACCEPT:
		ev->fd = arg_fd(a[0]);
		break;
	case IOSYS_ACCEPT4:
		ev->fd = arg_fd(a[0]);
		ev->flags = a[3];
		break;
	case IOSYS_EVENTFD:
		ev->flags = a[1];
		break;
	case IOSYS_EPOLL_CREATE:
	case IOSYS_INOTIFY_INIT:
		ev->flags = a[0];	/* size for the old forms: harmless */
		break;
	case IOSYS_MEMFD_CREATE:
		ev->addr = a[0];
		ev->flags = a[1];
		break;
	case IOSYS_SIGNALFD:
		ev->fd2 = arg_fd(a[0]);
		ev->flags = a[3];
		break;
	case IOSYS_TIMERFD_CREATE:
		ev->cmd = (int)a[0];
		ev->flags = a[1];
		break;
	case IOSYS_PIDFD_OPEN:
		ev->flags = a[1];
		break;
	case IOSYS_CLOSE:
		ev->fd = arg_fd(a[0]);
		break;
	case IOSYS_CLOSE_RANGE:
		ev->fd = arg_fd(a[0]);
		ev->fd2 = (a[1] & 0xffffffffu) >= 0x7fffffffu ? 0x7fffffff : (int)a[1];
		ev->flags = a[2];
		break;
	case IOSYS_DUP:
		ev->fd = arg_fd(a[0]);
		break;
	case IOSYS_DUP2:
		ev->fd = arg_fd(a[0]);
		ev->fd2 = arg_fd(a[1]);
		break;
	case IOSYS_DUP3:
		ev->fd = arg_fd(a[0]);
		ev->fd2 = arg_fd(a[1]);
		ev->flags = a[2];
		break;
	case IOSYS_FCNTL:
		ev->fd = arg_fd(a[0]);
		ev->cmd = (int)a[1];
		ev->flags = a[2];
		break;
	case IOSYS_RENAME:
		ev->fd = AT_FDCWD;
		ev->fd2 = AT_FDCWD;
		break;
	case IOSYS_RENAMEAT:
	case IOSYS_RENAMEAT2:
		ev->fd = arg_fd(a[0]);
		ev->fd2 = arg_fd(a[2]);
		if (sys == IOSYS_RENAMEAT2)
			ev->flags = a[4];
		break;
	case IOSYS_LINK:
		ev->fd = AT_FDCWD;
		ev->fd2 = AT_FDCWD;
		break;
	case IOSYS_LINKAT:
		ev->fd = arg_fd(a[0]);
		ev->fd2 = arg_fd(a[2]);
		ev->flags = a[4];
		break;
	case IOSYS_UNLINK:
		ev->fd = AT_FDCWD;
		break;
	case IOSYS_UNLINKAT:
		ev->fd = arg_fd(a[0]);
		ev->flags = a[2];
		break;
	case IOSYS_TRUNCATE:
		/* truncate64 on i386 passes the length as two registers */
		ev->size = (name && strcmp(name, "truncate64") == 0) ?
		    arg_off64(abi, a, 1) : (int64_t)a[1];
		break;
	case IOSYS_FTRUNCATE:
		ev->fd = arg_fd(a[0]);
		ev->size = (name && strcmp(name, "ftruncate64") == 0) ?
		    arg_off64(abi, a, 1) : (int64_t)a[1];
		break;
	case IOSYS_FSYNC:
	case IOSYS_FDATASYNC:
	case IOSYS_FCHDIR:
		ev->fd = arg_fd(a[0]);
		break;
	case IOSYS_CHDIR:
		ev->fd = AT_FDCWD;
		break;
	case IOSYS_EXECVE:
		ev->addr = a[1];
		break;
	case IOSYS_EXECVEAT:
		ev->fd = arg_fd(a[0]);
		ev->addr = a[2];
		ev->flags = a[4];
		break;
	case IOSYS_CLONE:
		ev->flags = a[0];
		break;
	case IOSYS_CLONE3:
		ev->addr = a[0];	/* struct clone_args; flags read by the tracer */
		break;
	case IOSYS_FORK:
		ev->flags = SIGCHLD;
		break;
	case IOSYS_VFORK:
		ev->flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		break;
	case IOSYS_EXIT:
	case IOSYS_EXIT_GROUP:
		ev->size = (int64_t)(int32_t)(uint32_t)a[0];
		break;
	case IOSYS_LSEEK:
		ev->fd = arg_fd(a[0]);
		ev->offset = (int64_t)a[1];
		ev->cmd = (int)a[2];
		break;
	case IOSYS_STAT:
	case IOSYS_UNKNOWN:
	case IOSYS_PROC_EXIT:
	case IOSYS_SIGNAL:
	case IOSYS_DETACH:
	case IOSYS__COUNT:
		break;
	}
}
