/* tests/model/test_pipeline.c: normalisation, fd resolution, fork/exec handling. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>

#include "model/pipeline.h"
#include "model/syscalls.h"
#include "base/util.h"

#define MAXSEEN 64

static struct {
	int n;
	struct {
		enum io_sys sys;
		pid_t pid;
		char path[256];
		bool deleted;
		bool unknown;
		bool nameless;
	} ev[MAXSEEN];
} seen;

static void
sink(void *ctx, const struct io_event *ev)
{
	(void)ctx;
	if (seen.n >= MAXSEEN)
		return;
	seen.ev[seen.n].sys = ev->sys;
	seen.ev[seen.n].pid = ev->pid;
	snprintf(seen.ev[seen.n].path, 256, "%s", ev->path ? ev->path : "");
	seen.ev[seen.n].deleted = ev->path_deleted;
	seen.ev[seen.n].unknown = ev->fd_unknown;
	seen.ev[seen.n].nameless = ev->path_nameless;
	seen.n++;
}

static struct pipeline *pl;

static void
setup(void)
{
	memset(&seen, 0, sizeof(seen));
	pl = pipeline_new();
	pipeline_add_sink(pl, sink, NULL);
}

static void
teardown(void)
{
	pipeline_free(pl);
}

TestSuite(pipeline, .init = setup, .fini = teardown);

static void
feed(pid_t tid, enum io_sys sys, int fd, const char *path, int64_t ret,
    uint64_t flags)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.tid = tid;
	ev.sys = sys;
	ev.cls = syscalls_class(sys);
	ev.name = syscalls_name(sys);
	ev.fd = fd;
	ev.path = path;
	ev.ret = ret;
	ev.flags = flags;
	if (sys == IOSYS_OPEN || sys == IOSYS_UNLINK || sys == IOSYS_RENAME)
		ev.fd = AT_FDCWD;
	pipeline_event(pl, &ev);
}

static void
write_(pid_t tid, int fd, int64_t n)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.tid = tid;
	ev.sys = IOSYS_WRITE;
	ev.cls = IOC_WRITE;
	ev.fd = fd;
	ev.count = (uint64_t)n;
	ev.ret = n;
	pipeline_event(pl, &ev);
}

Test(pipeline, open_then_write_resolves)
{
	feed(100, IOSYS_OPEN, -1, "/tmp/logtest.txt", 3, O_WRONLY | O_CREAT | O_APPEND);
	write_(100, 3, 10);
	cr_assert_eq(seen.n, 2);
	cr_expect_str_eq(seen.ev[1].path, "/tmp/logtest.txt");
	cr_expect_eq(seen.ev[1].pid, 100);
}

Test(pipeline, unknown_fd_is_labelled)
{
	write_(100, 7, 10);
	cr_expect(seen.ev[0].unknown);
	cr_expect(strstr(seen.ev[0].path, "fd 7") != NULL, "%s", seen.ev[0].path);
}

Test(pipeline, given_path_is_learned)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.tid = 5;
	ev.sys = IOSYS_WRITE;
	ev.cls = IOC_WRITE;
	ev.fd = 4;
	ev.path = "/var/log/app.log";	/* as strace -y shows it */
	ev.ret = 3;
	pipeline_event(pl, &ev);
	write_(5, 4, 1);
	cr_expect_str_eq(seen.ev[1].path, "/var/log/app.log");
}

Test(pipeline, threads_share_process_and_fds)
{
	struct io_event ev;

	feed(100, IOSYS_OPEN, -1, "/tmp/a", 3, 0);
	io_event_init(&ev);
	ev.tid = 100;
	ev.sys = IOSYS_CLONE;
	ev.cls = IOC_FORK;
	ev.flags = CLONE_VM | CLONE_FILES | CLONE_THREAD | CLONE_SIGHAND;
	ev.ret = 101;
	pipeline_event(pl, &ev);
	write_(101, 3, 1);
	cr_expect_eq(seen.ev[2].pid, 100, "a thread reports its process");
	cr_expect_str_eq(seen.ev[2].path, "/tmp/a");
	cr_expect_eq(pipeline_pid_of(pl, 101), 100);
}

Test(pipeline, fork_copies_fds)
{
	struct io_event ev;

	feed(100, IOSYS_OPEN, -1, "/tmp/a", 3, 0);
	io_event_init(&ev);
	ev.tid = 100;
	ev.sys = IOSYS_FORK;
	ev.cls = IOC_FORK;
	ev.flags = SIGCHLD;
	ev.ret = 200;
	pipeline_event(pl, &ev);
	feed(100, IOSYS_CLOSE, 3, NULL, 0, 0);
	write_(200, 3, 1);
	cr_expect_eq(seen.ev[3].pid, 200);
	cr_expect_str_eq(seen.ev[3].path, "/tmp/a", "the child keeps its copy");
}

Test(pipeline, child_seen_before_clone_returns)
{
	struct io_event ev;

	feed(100, IOSYS_OPEN, -1, "/tmp/a", 3, 0);
	write_(300, 3, 1);	/* child runs first: fd unknown so far */
	io_event_init(&ev);
	ev.tid = 100;
	ev.sys = IOSYS_CLONE;
	ev.cls = IOC_FORK;
	ev.flags = SIGCHLD;
	ev.ret = 300;
	pipeline_event(pl, &ev);
	write_(300, 3, 1);
	cr_expect_str_eq(seen.ev[3].path, "/tmp/a");
}

Test(pipeline, exec_drops_cloexec)
{
	struct io_event ev;

	feed(100, IOSYS_OPEN, -1, "/tmp/keep", 3, 0);
	feed(100, IOSYS_OPEN, -1, "/tmp/drop", 4, O_CLOEXEC);
	io_event_init(&ev);
	ev.tid = 100;
	ev.sys = IOSYS_EXECVE;
	ev.cls = IOC_EXEC;
	ev.path = "/usr/bin/python3";
	ev.ret = 0;
	pipeline_event(pl, &ev);
	write_(100, 3, 1);
	write_(100, 4, 1);
	cr_expect_str_eq(seen.ev[3].path, "/tmp/keep");
	cr_expect(seen.ev[4].unknown);
}

Test(pipeline, unlink_marks_open_fd_deleted)
{
	feed(100, IOSYS_OPEN, -1, "/tmp/gone", 3, 0);
	feed(100, IOSYS_UNLINK, -1, "/tmp/gone", 0, 0);
	write_(100, 3, 5);
	cr_expect(seen.ev[2].deleted);
}

Test(pipeline, dup2_and_fcntl_dupfd)
{
	struct io_event ev;

	feed(100, IOSYS_OPEN, -1, "/tmp/x", 3, 0);
	io_event_init(&ev);
	ev.tid = 100;
	ev.sys = IOSYS_DUP2;
	ev.cls = IOC_DUP;
	ev.fd = 3;
	ev.fd2 = 1;
	ev.ret = 1;
	pipeline_event(pl, &ev);
	io_event_init(&ev);
	ev.tid = 100;
	ev.sys = IOSYS_FCNTL;
	ev.cls = IOC_DUP;
	ev.fd = 3;
	ev.cmd = F_DUPFD_CLOEXEC;
	ev.flags = 10;
	ev.ret = 12;
	pipeline_event(pl, &ev);
	write_(100, 1, 1);
	write_(100, 12, 1);
	cr_expect_str_eq(seen.ev[3].path, "/tmp/x");
	cr_expect_str_eq(seen.ev[4].path, "/tmp/x");
}

Test(pipeline, failed_open_learns_nothing)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.tid = 100;
	ev.sys = IOSYS_OPENAT;
	ev.cls = IOC_OPEN;
	ev.fd = AT_FDCWD;
	ev.path = "/nope";
	ev.ret = -1;
	ev.err = 2;
	pipeline_event(pl, &ev);
	write_(100, 3, 1);
	cr_expect(seen.ev[1].unknown);
}

Test(pipeline, rename_follows_open_fd)
{
	feed(100, IOSYS_OPEN, -1, "/tmp/log", 3, 0);
	{
		struct io_event ev;

		io_event_init(&ev);
		ev.tid = 100;
		ev.sys = IOSYS_RENAME;
		ev.cls = IOC_RENAME;
		ev.fd = ev.fd2 = AT_FDCWD;
		ev.path = "/tmp/log";
		ev.path2 = "/tmp/log.1";
		ev.ret = 0;
		pipeline_event(pl, &ev);
	}
	write_(100, 3, 1);
	cr_expect_str_eq(seen.ev[2].path, "/tmp/log.1");
}

/* A live source's resolver that names every fd it is asked about. */
static const char *
late_fd_path(void *ctx, pid_t pid, int fd, char *buf, size_t bufsz,
    bool *deleted)
{
	(void)ctx;
	(void)pid;
	*deleted = false;
	snprintf(buf, bufsz, fd == AT_FDCWD ? "/late/cwd" : "/late/fd%d", fd);
	return buf;
}

/* A call that failed with EBADF on an fd the table does not know was
   not on an open fd: the resolver is not asked (a later look would name
   whatever the fd became since), and no path is given. */
Test(pipeline, ebadf_fd_is_not_resolved)
{
	struct pipeline_resolver r = { .fd_path = late_fd_path };
	struct io_event ev;

	pipeline_set_resolver(pl, &r);
	io_event_init(&ev);
	ev.tid = 10;
	ev.sys = IOSYS_FCNTL;
	ev.cls = syscalls_class(IOSYS_FCNTL);
	ev.fd = 255;
	ev.ret = -1;
	ev.err = EBADF;
	pipeline_event(pl, &ev);
	cr_assert_eq(seen.n, 1);
	cr_expect_str_eq(seen.ev[0].path, "");
	write_(10, 7, 5);
	cr_expect_str_eq(seen.ev[1].path, "/late/fd7");
}

/* The working directory follows chdir (relative, "..", absolute) and
   fchdir, from the one the source set, and is inherited at fork. */
Test(pipeline, cwd_follows_chdir)
{
	struct pipeline_resolver r = { .fd_path = late_fd_path };

	pipeline_set_resolver(pl, &r);
	pipeline_set_cwd(pl, 10, "/w");
	feed(10, IOSYS_CHDIR, AT_FDCWD, "a/b", 0, 0);
	feed(10, IOSYS_CHDIR, AT_FDCWD, "..", 0, 0);
	feed(10, IOSYS_OPEN, AT_FDCWD, "f", 3, O_WRONLY);
	write_(10, 3, 1);
	cr_expect_str_eq(seen.ev[3].path, "/w/a/f");
	feed(10, IOSYS_CHDIR, AT_FDCWD, "nope", -1, 0);	/* failed: stays */
	feed(10, IOSYS_OPEN, AT_FDCWD, "/d", 4, O_RDONLY);
	feed(10, IOSYS_FCHDIR, 4, NULL, 0, 0);
	feed(10, IOSYS_CLONE, -1, NULL, 11, SIGCHLD);
	feed(11, IOSYS_OPEN, AT_FDCWD, "g", 5, O_WRONLY);
	write_(11, 5, 1);
	cr_expect_str_eq(seen.ev[seen.n - 1].path, "/d/g");
}

/* O_TMPFILE: the fd is an unnamed file in the directory, deleted from the
   start, one per open (the live engines give the directory as path2);
   a name the source gives ("/tmp/#INODE (deleted)") is kept */
Test(pipeline, o_tmpfile_is_unnamed_file_not_directory)
{
	struct io_event ev;

	feed(100, IOSYS_OPEN, -1, "/tmp", 3, O_RDWR | O_TMPFILE);
	io_event_init(&ev);
	ev.tid = 100;
	ev.sys = IOSYS_OPENAT;
	ev.cls = IOC_OPEN;
	ev.fd = AT_FDCWD;
	ev.path = ev.path2 = "/tmp";
	ev.flags = O_WRONLY | O_TMPFILE;
	ev.ret = 4;
	pipeline_event(pl, &ev);
	ev.ret = 5;
	ev.path2 = "/tmp/#4711 (deleted)";
	pipeline_event(pl, &ev);
	write_(100, 3, 1);
	write_(100, 4, 1);
	write_(100, 5, 1);
	cr_expect_str_eq(seen.ev[3].path, "/tmp/#tmpfile-1");
	cr_expect_str_eq(seen.ev[4].path, "/tmp/#tmpfile-2");
	cr_expect_str_eq(seen.ev[5].path, "/tmp/#4711");
	cr_expect(seen.ev[3].deleted && seen.ev[4].deleted && seen.ev[5].deleted);
}

/* A socketpair or pipe the source gives no inode for is named by the
   process and its fds: two of them never share an empty "socket:[]"; a
   name the source gives is kept */
Test(pipeline, unnamed_socketpair_and_pipe_are_distinct)
{
	struct io_event ev;
	int i;

	for (i = 0; i < 3; i++) {
		io_event_init(&ev);
		ev.tid = 100;
		ev.sys = i < 2 ? IOSYS_SOCKETPAIR : IOSYS_PIPE2;
		ev.cls = IOC_FDNEW;
		ev.fd = 3 + 2 * i;
		ev.fd2 = 4 + 2 * i;
		ev.ret = 0;
		pipeline_event(pl, &ev);
	}
	ev.fd = 9;
	ev.fd2 = 10;
	ev.path2 = "pipe:[4711]";
	pipeline_event(pl, &ev);
	write_(100, 4, 1);
	write_(100, 5, 1);
	write_(100, 8, 1);
	write_(100, 10, 1);
	cr_expect_str_eq(seen.ev[4].path, "socketpair:[pid 100 fds 3,4]");
	cr_expect_str_eq(seen.ev[5].path, "socketpair:[pid 100 fds 5,6]");
	cr_expect_str_eq(seen.ev[6].path, "pipe:[pid 100 fds 7,8]");
	cr_expect_str_eq(seen.ev[7].path, "pipe:[4711]");
}

/* Writes to a deleted file: a leak when the file was written while it had
   a name or another process deleted it; a temporary file by design when
   its own process unlinked it before writing (mkstemp + unlink). */
Test(pipeline, deleted_file_written_or_temporary)
{
	feed(10, IOSYS_OPEN, AT_FDCWD, "/t/tmp", 3, O_RDWR | O_CREAT | O_EXCL);
	feed(10, IOSYS_UNLINK, AT_FDCWD, "/t/tmp", 0, 0);
	write_(10, 3, 5);
	cr_expect(seen.ev[2].deleted);
	cr_expect(seen.ev[2].nameless, "unlinked by its maker before writing");
	feed(10, IOSYS_OPEN, AT_FDCWD, "/t/log", 4, O_WRONLY | O_CREAT);
	write_(10, 4, 5);
	feed(10, IOSYS_UNLINK, AT_FDCWD, "/t/log", 0, 0);
	write_(10, 4, 5);
	cr_expect(seen.ev[6].deleted);
	cr_expect_not(seen.ev[6].nameless, "written while named");
	feed(10, IOSYS_OPEN, AT_FDCWD, "/t/other", 5, O_WRONLY | O_CREAT);
	feed(11, IOSYS_UNLINK, AT_FDCWD, "/t/other", 0, 0);
	write_(10, 5, 5);
	cr_expect(seen.ev[9].deleted);
	cr_expect_not(seen.ev[9].nameless, "deleted by another process");
}

/* ".." in an absolute path is folded: from a subdirectory,
   rename("../a.tmp", "../a") names the file open("/w/a.tmp") made. */
Test(pipeline, dotdot_folded_in_absolute_paths)
{
	pipeline_set_cwd(pl, 10, "/w/sub");
	feed(10, IOSYS_OPEN, AT_FDCWD, "/w/a.tmp", 3, O_WRONLY | O_CREAT);
	feed(10, IOSYS_RENAME, AT_FDCWD, "../a.tmp", 0, 0);
	cr_expect_str_eq(seen.ev[1].path, "/w/a.tmp");
	feed(10, IOSYS_OPEN, AT_FDCWD, "../x/../b", 4, O_WRONLY | O_CREAT);
	write_(10, 4, 1);
	cr_expect_str_eq(seen.ev[3].path, "/w/b");
}
