/*
 * event.h: struct io_event, the one record every source produces.
 *
 * The live tracer and the strace-log replay both turn each syscall they see
 * into one struct io_event and hand it to the pipeline (pipeline.h).  Nothing
 * after the pipeline knows where an event came from, so live tracing and
 * replay give the same report by construction.
 *
 * The struct is flat on purpose: every field is meaningful for some syscalls
 * and zero/-1 for the others (see io_event_init).  Pointers (paths, data,
 * stack, comm) belong to the producer and are valid only for the duration of
 * the call that delivers the event; a consumer that keeps one copies it.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_EVENT_H
#define IOSPY_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Architecture-independent syscall identity.  The per-architecture tables in
 * syscalls.c map numbers to these; the replay parser maps names to these.
 * Calls iospy does not decode are IOSYS_UNKNOWN (the name is still carried).
 */
enum io_sys {
	IOSYS_UNKNOWN = 0,
	/* write class: bytes moved into an fd */
	IOSYS_WRITE,
	IOSYS_WRITEV,
	IOSYS_PWRITE64,
	IOSYS_PWRITEV,
	IOSYS_PWRITEV2,
	IOSYS_SENDFILE,		/* fd = out_fd, fd2 = in_fd */
	IOSYS_COPY_FILE_RANGE,	/* fd = fd_out, fd2 = fd_in */
	IOSYS_SPLICE,		/* fd = fd_out, fd2 = fd_in */
	/* map class: address-space changes */
	IOSYS_MMAP,		/* also mmap2 (offset already in bytes) */
	IOSYS_MUNMAP,
	IOSYS_MREMAP,
	IOSYS_BRK,
	/* open class: a path becomes an fd (ret) */
	IOSYS_OPEN,
	IOSYS_OPENAT,
	IOSYS_OPENAT2,
	IOSYS_CREAT,
	/* fdnew class: an fd without a path (path set to "pipe:", "socket:"...) */
	IOSYS_PIPE,		/* ret = 0; fd = read end, fd2 = write end */
	IOSYS_PIPE2,
	IOSYS_SOCKET,
	IOSYS_SOCKETPAIR,	/* fd, fd2 = the pair */
	IOSYS_ACCEPT,
	IOSYS_ACCEPT4,
	IOSYS_EVENTFD,
	IOSYS_EPOLL_CREATE,
	IOSYS_MEMFD_CREATE,
	IOSYS_SIGNALFD,
	IOSYS_TIMERFD_CREATE,
	IOSYS_INOTIFY_INIT,
	IOSYS_PIDFD_OPEN,
	/* close class */
	IOSYS_CLOSE,
	IOSYS_CLOSE_RANGE,	/* fd = first, fd2 = last, flags */
	/* dup class: fd = old fd, fd2 = requested new fd (dup2/dup3), ret = new */
	IOSYS_DUP,
	IOSYS_DUP2,
	IOSYS_DUP3,
	IOSYS_FCNTL,		/* cmd; F_DUPFD* behave as dup, F_SETFD as cloexec */
	/* rename class: path -> path2 (fd/fd2 = dirfds for the *at forms) */
	IOSYS_RENAME,
	IOSYS_RENAMEAT,
	IOSYS_RENAMEAT2,
	/* link class: path2 becomes a new name of path (fd/fd2 = dirfds for
	   linkat; with AT_EMPTY_PATH, fd itself is the file) */
	IOSYS_LINK,
	IOSYS_LINKAT,
	/* unlink class: path (fd = dirfd for unlinkat) */
	IOSYS_UNLINK,
	IOSYS_UNLINKAT,
	/* truncate class: size = new length */
	IOSYS_TRUNCATE,
	IOSYS_FTRUNCATE,
	/* sync class */
	IOSYS_FSYNC,
	IOSYS_FDATASYNC,
	/* cwd class: the working directory relative paths start from */
	IOSYS_CHDIR,		/* path as given; path2 = where it went */
	IOSYS_FCHDIR,		/* fd */
	/* process bookkeeping */
	IOSYS_EXECVE,		/* path = program, data = argv (see io_event) */
	IOSYS_EXECVEAT,
	IOSYS_CLONE,		/* flags = clone flags, ret = child tid */
	IOSYS_CLONE3,
	IOSYS_FORK,
	IOSYS_VFORK,
	IOSYS_EXIT,		/* one thread ends; ret = status argument */
	IOSYS_EXIT_GROUP,
	/* information the replay can use (never stopped on live) */
	IOSYS_STAT,		/* stat/lstat/newfstatat/statx/fstat: size = st_size */
	IOSYS_LSEEK,		/* ret = resulting offset, cmd = whence */
	/*
	 * Pseudo-syscalls: not calls, but facts a source reports through the
	 * same channel.  PROC_EXIT: a thread/process is gone ("+++ exited with
	 * N +++", waitpid status), ret = exit code or sig = killing signal.
	 * SIGNAL: a signal was delivered (sig).  DETACH: the source stops
	 * seeing this thread while it lives (attach mode end, strace detach).
	 */
	IOSYS_PROC_EXIT,
	IOSYS_SIGNAL,
	IOSYS_DETACH,
	IOSYS__COUNT
};

/* What a syscall means for iospy; one class per enum io_sys. */
enum io_class {
	IOC_OTHER = 0,
	IOC_WRITE,
	IOC_MAP,
	IOC_OPEN,
	IOC_FDNEW,
	IOC_CLOSE,
	IOC_DUP,
	IOC_RENAME,
	IOC_LINK,
	IOC_UNLINK,
	IOC_TRUNCATE,
	IOC_SYNC,
	IOC_CWD,
	IOC_EXEC,
	IOC_FORK,
	IOC_EXIT,
	IOC_INFO,		/* stat, lseek: replay-only hints */
	IOC_PSEUDO,		/* PROC_EXIT, SIGNAL, DETACH */
	IOC__COUNT
};

/* A call stack: innermost frame first. */
struct io_frame {
	uint64_t ip;		/* absolute instruction pointer (0 if unknown) */
	uint64_t offset;	/* offset of ip within func (or within module) */
	const char *module;	/* path of the mapped object, or NULL */
	const char *func;	/* the function holding ip, or NULL */
	const char *near;	/* func unknown: the nearest symbol below ip,
				   a guess (a stripped binary), or NULL */
	uint64_t modoff;	/* offset of ip in module's file: strace -k's
				   "[0x...]"; the same in every process that
				   maps the file (0 if unknown) */
};

#define IO_STACK_MAX 32

struct io_stack {
	int nframes;
	struct io_frame frames[IO_STACK_MAX];
};

/* The result of a call that never returned (or whose return is unknown). */
#define IO_RET_UNKNOWN INT64_MIN
/* Timestamps that the source could not give. */
#define IO_TIME_UNKNOWN INT64_MIN

struct io_event {
	/* who */
	pid_t pid;		/* thread group (process) id; 0 = let the pipeline decide */
	pid_t tid;		/* thread id (== pid for the main thread) */
	const char *comm;	/* command name, filled by the pipeline */
	const char *cwd;	/* the caller's working directory when the
				   source tells it (strace -y's
				   AT_FDCWD</path>), else NULL */
	const char *cmdline;	/* command line (argv joined by spaces), filled
				   by the pipeline when known, else NULL */
	const char *proc_argv;	/* the same argv as its strings, each with its
				   NUL (proc_argv_len bytes), or NULL */
	size_t proc_argv_len;
	uint64_t proc_argv_cut;	/* bit i: string i was cut by the source */

	/* when */
	int64_t ts_ns;		/* CLOCK_REALTIME ns since the epoch, or ns since
				   the start when only relative time is known;
				   IO_TIME_UNKNOWN if neither */
	int64_t dur_ns;		/* time spent in the call, -1 if unknown */

	/* what */
	enum io_sys sys;
	enum io_class cls;
	const char *name;	/* the name the source used ("mmap2", "_llseek") */
	int abi;		/* 64 = x86_64, 32 = i386 compat */

	/* arguments */
	int fd;			/* main fd argument (or dirfd), -1 if none */
	int fd2;		/* second fd (source fd, new fd, dirfd2), -1 if none */
	const char *path;	/* resolved path of fd, or the path argument
				   (open class: the path as the call gave it) */
	const char *path2;	/* second path: rename target, fd2's path;
				   open class: the absolute path of the new fd
				   when known (strace -y result annotation);
				   chdir: the directory it went to */
	bool path_deleted;	/* path is a file unlinked while still open */
	bool path_nameless;	/* ...and it never had a name while written:
				   O_TMPFILE, or its own process unlinked it
				   first (a temporary file by design) */
	bool path2_deleted;
	bool fd_unknown;	/* fd's path could not be learned (opened before
				   the trace began and unreadable) */
	uint64_t count;		/* requested size: write count, iovec total */
	int iovcnt;		/* writev/pwritev: number of iovecs */
	int64_t offset;		/* file offset (pwrite, mmap, lseek), -1 if none */
	uint64_t flags;		/* open/mmap/clone/dup3/unlinkat/rename flags */
	uint64_t prot;		/* mmap protection */
	uint32_t mode;		/* open/creat mode */
	int cmd;		/* fcntl command, lseek whence */
	uint64_t addr;		/* mmap hint/munmap/mremap old address, brk arg */
	uint64_t len;		/* mmap/munmap length, mremap old length */
	uint64_t new_len;	/* mremap new length */
	int64_t size;		/* truncate length, st_size of a stat, size of
				   the file an unlink removes (live), -1 if none */
	int sig;		/* signal number (SIGNAL, PROC_EXIT by signal) */

	/* result */
	int64_t ret;		/* return value when err == 0; IO_RET_UNKNOWN if
				   the call never returned ("= ?") */
	int err;		/* errno (positive) when the call failed, else 0 */

	/* payload: the first bytes of the written buffer, raw (not escaped);
	   for execve the argv elements, each ended by a NUL (as in
	   /proc/PID/cmdline), data_len counting the NULs */
	const char *data;
	size_t data_len;
	bool data_trunc;	/* data holds fewer bytes than the call moved;
				   execve: argv has more elements than data */
	uint64_t argv_cut;	/* execve: bit i set = argv[i] in data is cut
				   short (a "..." string in a log; a string
				   longer than the live source's buffer) */
	int envc;		/* execve: number of environment strings, -1
				   if unknown; addr holds the envp pointer */

	/* stack of the caller (--stack, strace -k), or NULL */
	const struct io_stack *stack;
};

/* Reset an event to "nothing known": fds -1, offsets -1, times unknown. */
void io_event_init(struct io_event *ev);

/* Bytes a write-class call moved: ret when it succeeded, else 0. */
uint64_t io_event_bytes(const struct io_event *ev);

/* An execve's argv joined by spaces (malloc'ed), "..." after each string
   the source cut and " ..." when strings were left out; NULL if none. */
char *io_event_argv_join(const struct io_event *ev);

/* True if the call completed without error. */
bool io_event_ok(const struct io_event *ev);

#endif /* IOSPY_EVENT_H */
