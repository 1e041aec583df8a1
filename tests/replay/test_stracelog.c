/* tests/replay/test_stracelog.c: the strace-log replay, line by line and by file. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/options.h"
#include "model/pipeline.h"
#include "replay/stracelog.h"
#include "replay/stracelog_int.h"
#include "model/syscalls.h"
#include "base/util.h"

#define MAXEV 256
#define S 256

/* A copy of what the sink saw (event pointers die with the call). */
struct seen_ev {
	enum io_sys sys;
	enum io_class cls;
	pid_t pid, tid;
	int64_t ts, dur, ret, offset, size;
	int err, fd, fd2, sig, cmd, iovcnt, abi;
	uint32_t mode;
	uint64_t count, flags, prot, addr, len, new_len;
	bool deleted, unknown, trunc;
	uint64_t argv_cut;
	int envc;
	char name[32], path[S], path2[S], data[S], comm[32];
	size_t data_len;
	int nframes;
	char f0func[64], f0mod[S];
	uint64_t f0ip, f0off;
};

static struct seen_ev seen[MAXEV];
static int nseen;

/* Bytes per path (the parity check) */
#define MAXPATHS 64
static struct {
	char path[S];
	uint64_t calls, bytes;
} per_path[MAXPATHS];
static int npaths;

static void
add_bytes(const char *path, uint64_t bytes)
{
	int i;

	for (i = 0; i < npaths; i++)
		if (strcmp(per_path[i].path, path) == 0)
			break;
	if (i == npaths) {
		if (npaths == MAXPATHS)
			return;
		snprintf(per_path[npaths++].path, S, "%s", path);
	}
	per_path[i].calls++;
	per_path[i].bytes += bytes;
}

static void
sink(void *ctx, const struct io_event *ev)
{
	struct seen_ev *s;

	(void)ctx;
	if (ev->cls == IOC_WRITE && ev->path != NULL)
		add_bytes(ev->path, io_event_bytes(ev));
	if (nseen >= MAXEV)
		return;
	s = &seen[nseen++];
	memset(s, 0, sizeof(*s));
	s->sys = ev->sys;
	s->cls = ev->cls;
	s->pid = ev->pid;
	s->tid = ev->tid;
	s->ts = ev->ts_ns;
	s->dur = ev->dur_ns;
	s->ret = ev->ret;
	s->err = ev->err;
	s->fd = ev->fd;
	s->fd2 = ev->fd2;
	s->sig = ev->sig;
	s->cmd = ev->cmd;
	s->iovcnt = ev->iovcnt;
	s->abi = ev->abi;
	s->mode = ev->mode;
	s->offset = ev->offset;
	s->size = ev->size;
	s->count = ev->count;
	s->flags = ev->flags;
	s->prot = ev->prot;
	s->addr = ev->addr;
	s->len = ev->len;
	s->new_len = ev->new_len;
	s->deleted = ev->path_deleted;
	s->unknown = ev->fd_unknown;
	s->trunc = ev->data_trunc;
	s->argv_cut = ev->argv_cut;
	s->envc = ev->envc;
	snprintf(s->name, sizeof(s->name), "%s", ev->name ? ev->name : "");
	snprintf(s->comm, sizeof(s->comm), "%s", ev->comm ? ev->comm : "");
	snprintf(s->path, S, "%s", ev->path ? ev->path : "");
	snprintf(s->path2, S, "%s", ev->path2 ? ev->path2 : "");
	if (ev->data != NULL) {
		size_t n = ev->data_len < S - 1 ? ev->data_len : S - 1;

		memcpy(s->data, ev->data, n);
		s->data[n] = '\0';
		s->data_len = ev->data_len;
	}
	if (ev->stack != NULL) {
		s->nframes = ev->stack->nframes;
		if (s->nframes > 0) {
			const struct io_frame *f = &ev->stack->frames[0];

			snprintf(s->f0func, sizeof(s->f0func), "%s",
			    f->func ? f->func : "");
			snprintf(s->f0mod, S, "%s", f->module ? f->module : "");
			s->f0ip = f->ip;
			s->f0off = f->offset;
		}
	}
}

static struct pipeline *pl;
static FILE *diag;
static char diagbuf[65536];
static struct stracelog_result res;

static void
setup(void)
{
	nseen = 0;
	npaths = 0;
	memset(&res, 0, sizeof(res));
	pl = pipeline_new();
	pipeline_add_sink(pl, sink, NULL);
	memset(diagbuf, 0, sizeof(diagbuf));
	diag = fmemopen(diagbuf, sizeof(diagbuf) - 1, "w");
}

static void
teardown(void)
{
	pipeline_free(pl);
	if (diag != NULL)
		fclose(diag);
}

TestSuite(stracelog, .init = setup, .fini = teardown);

/* Feed text (lines separated by \n) as one file; pid = its -ff pid. */
static void
replay_text_pid(const char *text, pid_t pid)
{
	struct stracelog *sl = stracelog_new(pl, diag);
	int f = stracelog_add_file(sl, "test.log", pid);
	const char *p = text, *nl;

	stracelog_set_first_pid(sl, stracelog_guess_first_pid(text, strlen(text)));
	while (*p) {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			stracelog_feed(sl, f, p, strlen(p), true);
			break;
		}
		stracelog_feed(sl, f, p, (size_t)(nl - p), false);
		p = nl + 1;
	}
	stracelog_finish(sl, &res);
	stracelog_free(sl);
	fflush(diag);
}

static void
replay_text(const char *text)
{
	replay_text_pid(text, 0);
}

/* Feed len bytes (which may hold NULs) as one file. */
static void
replay_mem(const char *text, size_t len)
{
	struct stracelog *sl = stracelog_new(pl, diag);
	int f = stracelog_add_file(sl, "test.log", 0);
	const char *p = text, *e = text + len, *nl;

	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL) {
			stracelog_feed(sl, f, p, (size_t)(e - p), true);
			break;
		}
		stracelog_feed(sl, f, p, (size_t)(nl - p), false);
		p = nl + 1;
	}
	stracelog_finish(sl, &res);
	stracelog_free(sl);
	fflush(diag);
}

/* The first seen event of sys, or NULL. */
static struct seen_ev *
find(enum io_sys sys, int nth)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (seen[i].sys == sys && nth-- == 0)
			return &seen[i];
	return NULL;
}

static struct seen_ev *
must(enum io_sys sys, int nth)
{
	struct seen_ev *s = find(sys, nth);

	cr_assert_not_null(s, "no event %d of %s", nth, syscalls_name(sys));
	return s;
}

static uint64_t
path_bytes(const char *path, uint64_t *calls)
{
	int i;

	for (i = 0; i < npaths; i++)
		if (strcmp(per_path[i].path, path) == 0) {
			if (calls)
				*calls = per_path[i].calls;
			return per_path[i].bytes;
		}
	if (calls)
		*calls = 0;
	return 0;
}

/* ------------------------------------------------------------ seed */

static const char *
srcdir(void)
{
	const char *s = getenv("TOP_SRCDIR");

	return s ? s : ".";
}

static int
replay_files(const char **files, size_t n)
{
	struct config cfg;
	char err[512];
	int rc;

	options_defaults(&cfg);
	cfg.mode = MODE_REPLAY;
	cfg.replay.files = (char **)files;
	cfg.replay.nfiles = n;
	err[0] = '\0';
	rc = stracelog_replay(&cfg.replay, pl, NULL, diag, &res, err, sizeof(err));
	if (rc != 0 && diag != NULL)
		fprintf(diag, "ERROR: %s\n", err);
	fflush(diag);
	return rc;
}

Test(stracelog, seed_story)
{
	char path[4096];
	const char *files[1] = { path };
	struct seen_ev *s;
	uint64_t calls;
	int i;

	snprintf(path, sizeof(path), "%s/tests/data/seed.strace", srcdir());
	cr_assert_eq(replay_files(files, 1), 0, "%s", diagbuf);
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(res.unfinished, 0);
	/* "strace: Process 6648 attached": the bare lines are 6648's */
	s = must(IOSYS_WRITE, 0);
	cr_assert_eq(s->pid, 6648);
	cr_assert_str_eq(s->path, "/tmp/logtest.txt");
	cr_assert_eq(s->ret, 314572844);
	cr_assert(s->trunc);
	cr_assert_eq(strncmp(s->data, "2020-06-21 15:59:57,806 - __main", 32), 0);
	/* before the open, fd 3 was opened before the trace */
	s = must(IOSYS_LSEEK, 0);
	cr_assert_str_eq(s->path, "fd 3 (opened before the trace)");
	cr_assert_eq(s->ret, 943718535);
	s = must(IOSYS_STAT, 0);
	cr_assert_str_eq(s->path, "/tmp/logtest.txt.1");
	cr_assert_eq(s->size, 943718535);
	s = must(IOSYS_OPEN, 0);
	cr_assert_eq(s->flags, (uint64_t)(O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC));
	cr_assert_eq(s->ret, 3);
	s = must(IOSYS_FCNTL, 0);
	cr_assert_eq(s->cmd, F_SETFD);
	cr_assert_eq(s->flags, FD_CLOEXEC);
	s = must(IOSYS_MMAP, 0);
	cr_assert_eq(s->len, 314576896);
	cr_assert_eq(s->prot, 3);
	cr_assert_eq(s->flags, 0x22);
	cr_assert_eq((uint64_t)s->ret, 0x7fed00372000ULL);
	s = must(IOSYS_MREMAP, 0);
	cr_assert_eq(s->addr, 0x7fece8c71000ULL);
	cr_assert_eq(s->len, 393220096);
	cr_assert_eq(s->new_len, 314576896);
	cr_assert_eq(path_bytes("/tmp/logtest.txt", &calls), 2 * 314572844ULL + 1);
	cr_assert_eq(calls, 3);
	for (i = 0; i < nseen; i++)
		cr_assert_eq(seen[i].pid, 6648);
}

/* ------------------------------------------------------------ prefixes */

Test(stracelog, prefixes)
{
	replay_text(
	    "[pid 12085] write(1, \"a\", 1) = 1\n"
	    "12086 write(1, \"b\", 1) = 1\n"
	    "12087<python3> write(1, \"c\", 1) = 1\n"
	    "[00007f0d1c3b2e47] write(1, \"d\", 1) = 1\n"
	    "12088 02:44:27.736995 [00007f0d1c3b2e47] write(1, \"e\", 1) = 1\n");
	cr_assert_eq(nseen, 5);
	cr_assert_eq(seen[0].tid, 12085);
	cr_assert_eq(seen[1].tid, 12086);
	cr_assert_eq(seen[2].tid, 12087);
	cr_assert_eq(seen[3].tid, 12085, "bare line: the first process");
	cr_assert_eq(seen[4].tid, 12088);
	cr_assert_eq(seen[4].ts, ((2 * 60 + 44) * 60 + 27) * 1000000000LL + 736995000LL);
	cr_assert_eq(res.skipped, 0);
}

Test(stracelog, child_speaks_before_clone_returns)
{
	/* strace -f often prints a child's first calls before its parent's
	   clone result: the child's fds are still its parent's */
	replay_text(
	    "100 openat(AT_FDCWD, \"/tmp/ec/a.log\", O_WRONLY|O_CREAT, 0644) = 3\n"
	    "100 clone(child_stack=NULL, flags=CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>\n"
	    "101 write(3, \"child\", 5) = 5\n"
	    "100 <... clone resumed>, child_tidptr=0x7f) = 101\n"
	    "102 write(3, \"x\", 1) = 1\n"
	    "100 clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM <unfinished ...>\n"
	    "103 write(3, \"thread\", 6) = 6\n"
	    "100 <... clone resumed>) = 103\n");
	cr_assert_str_eq(must(IOSYS_WRITE, 0)->path, "/tmp/ec/a.log");
	cr_expect_eq(must(IOSYS_WRITE, 0)->pid, 101);
	cr_expect(must(IOSYS_WRITE, 1)->unknown, "no clone pending: unknown");
	cr_assert_str_eq(must(IOSYS_WRITE, 2)->path, "/tmp/ec/a.log");
	cr_expect_eq(must(IOSYS_WRITE, 2)->pid, 100, "a thread reports its process");
	cr_expect_eq(res.skipped, 0);
}

Test(stracelog, dash_Y_names_the_process)
{
	replay_text(
	    "12087<strace> execve(\"/usr/bin/python3\", [\"python3\"], 0x7ffe /* 3 vars */) = 0\n"
	    "12087<python3> write(1, \"c\", 1) = 1\n");
	cr_assert_eq(nseen, 2);
	cr_expect_str_eq(seen[1].comm, "python3");
	cr_expect_str_eq(pipeline_comm_of(pl, 12087), "python3");
}

Test(stracelog, ff_file_pid)
{
	replay_text_pid("write(1, \"a\", 1) = 1\n", 4242);
	cr_assert_eq(seen[0].tid, 4242);
}

Test(stracelog, timestamps)
{
	replay_text(
	    "1 23:59:59.900000 write(1, \"a\", 1) = 1 <0.000197>\n"
	    "1 00:00:00.100000 write(1, \"a\", 1) = 1\n"
	    "1 1795315463.737059 write(1, \"a\", 1) = 1\n"
	    "1 02:44:27 write(1, \"a\", 1) = 1\n");
	cr_assert_eq(nseen, 4);
	cr_assert_eq(seen[0].dur, 197000);
	cr_assert_eq(seen[1].dur, -1);
	cr_assert_eq(seen[1].ts - seen[0].ts, 200000000LL, "midnight wrap");
	cr_assert_eq(seen[2].ts, 1795315463737059000LL);
	cr_assert_eq(seen[3].ts, 86400LL * 1000000000LL +
	    ((2 * 60 + 44) * 60 + 27) * 1000000000LL);
}

Test(stracelog, relative_timestamps)
{
	replay_text(
	    "     0.000000 write(1, \"a\", 1) = 1\n"
	    "     0.001586 write(1, \"a\", 1) = 1\n"
	    "     0.000414 write(1, \"a\", 1) = 1\n"
	    "02:44:27.000000 (+     0.001586) write(1, \"a\", 1) = 1\n");
	cr_assert_eq(nseen, 4);
	cr_assert_eq(seen[1].ts, 1586000);
	cr_assert_eq(seen[2].ts, 2000000);
	cr_assert_eq(seen[3].ts, ((2 * 60 + 44) * 60 + 27) * 1000000000LL);
	cr_assert_eq(res.start_ns, 0);
}

/* ------------------------------------------------------------ results */

Test(stracelog, results)
{
	replay_text(
	    "openat(AT_FDCWD, \"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory)\n"
	    "write(3, \"x\", 1) = -1 (errno 531)\n"
	    "write(3, \"x\", 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n"
	    "write(3, \"x\", 1) = ? <unavailable>\n"
	    "openat(AT_FDCWD, \"/etc/x\", O_RDONLY) = 3 (flags O_RDONLY)\n"
	    "write(3, \"x\", 1) = 1 (INJECTED)\n");
	cr_assert_eq(nseen, 6, "%s", diagbuf);
	cr_assert_eq(seen[0].ret, -1);
	cr_assert_eq(seen[0].err, ENOENT);
	cr_assert_eq(seen[1].err, 531);
	cr_assert_eq(seen[2].ret, IO_RET_UNKNOWN);
	cr_assert_eq(seen[2].err, 512);
	cr_assert_eq(seen[3].ret, IO_RET_UNKNOWN);
	cr_assert_eq(seen[4].ret, 3);
	cr_assert_str_eq(seen[5].path, "/etc/x");
	cr_assert_eq(res.skipped, 0);
}

/* ------------------------------------------------------------ halves */

Test(stracelog, unfinished_resumed)
{
	replay_text(
	    "11928 openat(AT_FDCWD, \"/tmp/a\", O_WRONLY|O_CREAT, 0644) = 3\n"
	    "11928 write(3, \"abc\",  <unfinished ...>\n"
	    "11929 write(1, \"zz\", 2) = 2\n"
	    "11928 <... write resumed>3) = 3 <0.000512>\n"
	    "11928 wait4(11929,  <unfinished ...>\n"
	    "11928 <... wait4 resumed>NULL, 0, NULL) = 11929\n");
	cr_assert_eq(nseen, 3);
	cr_assert_eq(seen[1].tid, 11929);
	cr_assert_eq(seen[2].tid, 11928);
	cr_assert_str_eq(seen[2].path, "/tmp/a");
	cr_assert_eq(seen[2].count, 3);
	cr_assert_eq(seen[2].ret, 3);
	cr_assert_eq(seen[2].dur, 512000);
	cr_assert_str_eq(seen[2].data, "abc");
	cr_assert_eq(res.unfinished, 0);
	cr_assert_eq(res.skipped, 0);
}

Test(stracelog, never_resumed)
{
	replay_text(
	    "5 write(3, \"abc\", 3 <unfinished ...>\n"
	    "6 futex(0x1, FUTEX_WAIT, 0, NULL <unfinished ...>\n"
	    "7 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=5, tv_nsec=0},  <unfinished ...>) = ?\n"
	    "7 +++ killed by SIGKILL +++\n");
	cr_assert_eq(res.unfinished, 2);
	cr_assert_eq(res.skipped, 0);
	cr_assert_not_null(strstr(diagbuf, "test.log:1: write call never resumed"),
	    "%s", diagbuf);
	/* the write is still delivered, with an unknown result */
	cr_assert_eq(must(IOSYS_WRITE, 0)->ret, IO_RET_UNKNOWN);
	cr_assert_eq(must(IOSYS_PROC_EXIT, 0)->sig, SIGKILL);
}

Test(stracelog, strace_message_splits_line)
{
	replay_text(
	    "openat(AT_FDCWD, \"/tmp/log\", O_WRONLY|O_CREAT, 0644) = 3\n"
	    "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 11929 attached\n"
	    ", child_tidptr=0x7f0a) = 11929\n"
	    "[pid 11929] write(3, \"x\", 1) = 1\n"
	    "[pid 11928] clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, exit_signal=0}strace: Process 11930 attached\n"
	    " => {parent_tid=[11930]}, 88) = 11930\n"
	    "[pid 11930] write(3, \"y\", 1) = 1\n");
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(must(IOSYS_CLONE, 0)->flags, 0x1200000ULL | SIGCHLD);
	cr_assert_eq(must(IOSYS_CLONE, 0)->ret, 11929);
	cr_assert_eq(must(IOSYS_CLONE, 0)->tid, 11928, "first pid guessed");
	cr_assert_str_eq(must(IOSYS_WRITE, 0)->path, "/tmp/log");
	cr_assert_eq(must(IOSYS_CLONE3, 0)->flags,
	    (uint64_t)(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD));
	cr_assert_eq(must(IOSYS_WRITE, 1)->pid, 11928, "a thread of 11928");
	cr_assert_str_eq(must(IOSYS_WRITE, 1)->path, "/tmp/log");
}

Test(stracelog, program_output_splits_line)
{
	replay_text(
	    "open(\"/tmp/t\", O_WRONLY) = 6\n"
	    "write(6, \"1..16\\n\", 61..16\n"
	    ")                  = 6\n");
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(must(IOSYS_WRITE, 0)->ret, 6);
	cr_assert_eq(path_bytes("/tmp/t", NULL), 6);
}

Test(stracelog, superseded_by_execve)
{
	replay_text(
	    "[pid 201] execve(\"/bin/true\", [\"true\"], 0x7ff /* 3 vars */ <unfinished ...>\n"
	    "[pid 200] +++ superseded by execve in pid 201 +++\n"
	    "[pid 201] +++ superseded by execve in pid 200 +++\n"
	    "[pid 200] <... execve resumed>) = 0\n");
	cr_assert_eq(res.unfinished, 0, "%s", diagbuf);
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_str_eq(must(IOSYS_EXECVE, 0)->path, "/bin/true");
	cr_assert_eq(must(IOSYS_EXECVE, 0)->tid, 200);
}

/* ------------------------------------------------------------ -y */

Test(stracelog, fd_annotations)
{
	replay_text(
	    "write(3</tmp/x.log>, \"a\", 1) = 1\n"
	    "write(4</tmp/t/app.log.1>(deleted), \"b\", 1) = 1\n"
	    "write(5</dev/null<char 1:3>>, \"c\", 1) = 1\n"
	    "write(6<TCP:[127.0.0.1:80->127.0.0.1:5000]>, \"d\", 1) = 1\n"
	    "write(7</tmp/a\\76b\\nc>, \"e\", 1) = 1\n"
	    "write(8<\\x2f\\x74\\x6d\\x70\\x2f\\x68>, \"\\x66\", 1) = 1\n"
	    "write(9</tmp/old (deleted)>, \"g\", 1) = 1\n");
	cr_assert_eq(nseen, 7);
	cr_assert_str_eq(seen[0].path, "/tmp/x.log");
	cr_assert_str_eq(seen[1].path, "/tmp/t/app.log.1");
	cr_assert(seen[1].deleted);
	cr_assert_str_eq(seen[2].path, "/dev/null");
	cr_assert_str_eq(seen[3].path, "TCP:[127.0.0.1:80->127.0.0.1:5000]");
	cr_assert_str_eq(seen[4].path, "/tmp/a>b\nc");
	cr_assert_str_eq(seen[5].path, "/tmp/h");
	cr_assert_str_eq(seen[5].data, "f");
	cr_assert_str_eq(seen[6].path, "/tmp/old");
	cr_assert(seen[6].deleted);
}

Test(stracelog, open_class)
{
	replay_text(
	    "openat(AT_FDCWD</root>, \"app.log\", O_WRONLY|O_CREAT|O_APPEND, 0644) = 3</root/app.log>\n"
	    "openat(AT_FDCWD</srv>, \"b.log\", O_WRONLY|O_CREAT) = 4\n"
	    "openat(-100 /* AT_FDCWD */</tmp/rp>, \"z\", 0x241 /* O_WRONLY|O_CREAT|O_TRUNC */, 0666) = 5</tmp/rp/z>\n"
	    "openat(-100, \"app.log\", 0x441, 0644) = 6\n"
	    "creat(\"/tmp/c\", 0600) = 7\n"
	    "open(\"\\x2f\\x74\\x6d\\x70\\x2f\\x78\", O_RDONLY|O_CLOEXEC) = 8\n"
	    "openat2(AT_FDCWD, \"/tmp/o2\", {flags=O_RDONLY|O_CLOEXEC, resolve=0}, 24) = 9\n"
	    "write(4, \"x\", 1) = 1\n");
	cr_assert_eq(nseen, 8, "%s", diagbuf);
	cr_assert_str_eq(seen[0].path, "app.log");
	cr_assert_str_eq(seen[0].path2, "/root/app.log");
	cr_assert_eq(seen[0].flags, (uint64_t)(O_WRONLY | O_CREAT | O_APPEND));
	cr_assert_eq(seen[0].fd, AT_FDCWD);
	cr_assert_str_eq(seen[1].path2, "/srv/b.log");
	cr_assert_str_eq(seen[2].path2, "/tmp/rp/z");
	cr_assert_eq(seen[2].flags, 0x241);
	cr_assert_eq(seen[2].fd, AT_FDCWD);
	cr_assert_eq(seen[3].flags, 0x441);
	cr_assert_eq(seen[3].mode, 0644);
	cr_assert_eq(seen[4].flags, (uint64_t)(O_WRONLY | O_CREAT | O_TRUNC));
	cr_assert_str_eq(seen[5].path, "/tmp/x");
	cr_assert_eq(seen[6].flags, (uint64_t)O_CLOEXEC);
	cr_assert_str_eq(seen[7].path, "/srv/b.log");
}

/* ------------------------------------------------------------ writes */

Test(stracelog, writev_and_friends)
{
	replay_text(
	    "writev(3, [{iov_base=\"abc\", iov_len=3}, {iov_base=\"defgh\\n\", iov_len=6}], 2) = 9\n"
	    "writev(3, [...], 2) = 9\n"
	    "writev(3, [{\"ab\", 2}, {\"cd\", 2}], 2) = 4\n"
	    "pwrite64(3, \"hello\", 5, 4096) = 5\n"
	    "pwritev(3, [{iov_base=\"a\", iov_len=1}], 1, 100) = 1\n"
	    "sendfile(4, 3, [0] => [100], 100) = 100\n"
	    "copy_file_range(3, NULL, 4, NULL, 50, 0) = 50\n"
	    "write(3, \"2020-06-21 15:59:57,806 - __main\"..., 314572844) = 314572844\n"
	    "write(3, \"\"..., 10) = 10\n"
	    "write(fd=3, buf=\"named\", count=5) = 5\n");
	cr_assert_eq(nseen, 10, "%s", diagbuf);
	cr_assert_eq(seen[0].count, 9);
	cr_assert_eq(seen[0].iovcnt, 2);
	cr_assert_str_eq(seen[0].data, "abcdefgh\n");
	cr_assert_eq(seen[1].count, 9);
	cr_assert_eq(seen[2].count, 4);
	cr_assert_str_eq(seen[2].data, "abcd");
	cr_assert_eq(seen[3].offset, 4096);
	cr_assert_str_eq(seen[3].data, "hello");
	cr_assert_eq(seen[4].offset, 100);
	cr_assert_eq(seen[5].fd, 4);
	cr_assert_eq(seen[5].fd2, 3);
	cr_assert_eq(seen[5].count, 100);
	cr_assert_eq(seen[6].fd, 4);
	cr_assert_eq(seen[6].fd2, 3);
	cr_assert_eq(seen[7].count, 314572844);
	cr_assert(seen[7].trunc);
	cr_assert_eq(seen[8].data_len, 0);
	cr_assert(seen[8].trunc);
	cr_assert_eq(seen[9].fd, 3);
	cr_assert_str_eq(seen[9].data, "named");
	cr_assert_eq(seen[9].count, 5);
}

Test(stracelog, fast_write_matches_general)
{
	/* the first of each pair takes the one-pass write decoder, the
	   second (-N names) the general one: the events must agree */
	replay_text(
	    "write(3</tmp/ab>(deleted), \"x\\ny\\\"\"..., 500) = 300 <0.000010>\n"
	    "write(fd=3</tmp/ab>(deleted), buf=\"x\\ny\\\"\"..., count=500) = 300 <0.000010>\n"
	    "write(1, \"\", 0) = 0\n"
	    "write(fd=1, buf=\"\", count=0) = 0\n");
	cr_assert_eq(nseen, 4, "%s", diagbuf);
	for (int i = 0; i < 4; i += 2) {
		struct seen_ev *x = &seen[i], *y = &seen[i + 1];

		cr_assert_eq(x->fd, y->fd);
		cr_assert_str_eq(x->path, y->path);
		cr_assert_eq(x->deleted, y->deleted);
		cr_assert_eq(x->data_len, y->data_len);
		cr_assert_eq(memcmp(x->data, y->data, x->data_len), 0);
		cr_assert_eq(x->trunc, y->trunc);
		cr_assert_eq(x->count, y->count);
		cr_assert_eq(x->ret, y->ret);
		cr_assert_eq(x->dur, y->dur);
	}
	cr_assert_str_eq(seen[0].path, "/tmp/ab");
	cr_assert(seen[0].deleted);
	cr_assert_str_eq(seen[0].data, "x\ny\"");
	cr_assert_eq(seen[0].count, 500);
	cr_assert_eq(seen[0].ret, 300);
}

Test(stracelog, string_escapes)
{
	replay_text("write(1, \"hello\\tworld\\n\\1\\377\\0001\\\"\\\\\", 18) = 18\n");
	cr_assert_eq(seen[0].data_len, 18);
	cr_assert_eq(memcmp(seen[0].data, "hello\tworld\n\1\377\0" "1\"\\", 18), 0);
}

/* ------------------------------------------------------------ memory */

Test(stracelog, maps)
{
	replay_text(
	    "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f48cee00000\n"
	    "mmap2(0xb7000000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x2) = 0xb7000000\n"
	    "munmap(0x7f48cee00000, 8192) = 0\n"
	    "mremap(0x7fece8c71000, 393220096, 314576896, MREMAP_MAYMOVE) = 0x7fece8c71000\n"
	    "brk(NULL) = 0x562f59fea000\n"
	    "brk(0x562f5a00b000) = 0x562f5a00b000\n");
	cr_assert_eq(nseen, 6);
	cr_assert_eq(seen[0].len, 8192);
	cr_assert_eq(seen[0].fd, -1);
	cr_assert_eq(seen[1].offset, 2 * 4096, "mmap2 counts pages");
	cr_assert_eq(seen[1].abi, 32);
	cr_assert_eq(seen[1].fd, 3);
	cr_assert_eq(seen[1].flags, 0x12);
	cr_assert_eq(seen[2].addr, 0x7f48cee00000ULL);
	cr_assert_eq(seen[3].flags, 1);
	cr_assert_eq(seen[4].addr, 0);
	cr_assert_eq(seen[5].addr, 0x562f5a00b000ULL);
}

/* ------------------------------------------------------------ fds */

Test(stracelog, dup_fcntl_pipe_close)
{
	replay_text(
	    "1 openat(AT_FDCWD, \"/tmp/f\", O_WRONLY) = 3\n"
	    "1 fcntl(3, F_DUPFD_CLOEXEC, 10) = 10\n"
	    "1 fcntl(3, 0 /* F_DUPFD */, 20) = 20\n"
	    "1 dup2(3, 1) = 1\n"
	    "1 dup3(3, 4, O_CLOEXEC) = 4\n"
	    "1 dup(3) = 5\n"
	    "1 pipe2([6, 7], O_CLOEXEC) = 0\n"
	    "1 pipe([8<pipe:[123]>, 9<pipe:[123]>]) = 0\n"
	    "1 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 11\n"
	    "1 write(10, \"a\", 1) = 1\n"
	    "1 write(20, \"a\", 1) = 1\n"
	    "1 write(1, \"a\", 1) = 1\n"
	    "1 write(5, \"a\", 1) = 1\n"
	    "1 close(3) = 0\n"
	    "1 close_range(4, ~0U, 0) = 0\n"
	    "1 write(4, \"a\", 1) = 1\n");
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(must(IOSYS_FCNTL, 0)->cmd, F_DUPFD_CLOEXEC);
	cr_assert_eq(must(IOSYS_FCNTL, 1)->cmd, F_DUPFD);
	cr_assert_eq(must(IOSYS_DUP3, 0)->flags, (uint64_t)O_CLOEXEC);
	cr_assert_eq(must(IOSYS_PIPE2, 0)->fd, 6);
	cr_assert_eq(must(IOSYS_PIPE2, 0)->fd2, 7);
	cr_assert_str_eq(must(IOSYS_PIPE, 0)->path2, "pipe:[123]");
	cr_assert_eq(must(IOSYS_SOCKET, 0)->flags, (uint64_t)O_CLOEXEC);
	cr_assert_eq(must(IOSYS_CLOSE_RANGE, 0)->fd2, INT32_MAX);
	cr_assert_eq(path_bytes("/tmp/f", NULL), 4);
	cr_assert(must(IOSYS_WRITE, 4)->unknown, "fd 4 closed by close_range");
}

Test(stracelog, fork_and_exec)
{
	replay_text(
	    "100 openat(AT_FDCWD, \"/tmp/keep\", O_WRONLY) = 3\n"
	    "100 openat(AT_FDCWD, \"/tmp/cx\", O_WRONLY|O_CLOEXEC) = 4\n"
	    "100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101\n"
	    "101 execve(\"/bin/sh\", [\"sh\", \"-c\", \"echo hi\"], 0x7ffe /* 66 vars */) = 0\n"
	    "101 write(3, \"a\", 1) = 1\n"
	    "101 write(4, \"a\", 1) = 1\n"
	    "101 exit_group(3) = ?\n"
	    "101 +++ exited with 3 +++\n"
	    "100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---\n"
	    "100 --- SIGCHLD (Child exited) @ 0 (0) ---\n"
	    "100 --- stopped by SIGSTOP ---\n");
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(must(IOSYS_EXECVE, 0)->data_len, 14);
	cr_assert(memcmp(must(IOSYS_EXECVE, 0)->data, "sh\0-c\0echo hi\0", 14) == 0);
	cr_assert_eq(must(IOSYS_EXECVE, 0)->envc, 66);
	cr_assert_eq(must(IOSYS_EXECVE, 0)->addr, 0x7ffe);
	cr_assert_str_eq(must(IOSYS_WRITE, 0)->path, "/tmp/keep");
	cr_assert_str_eq(must(IOSYS_WRITE, 0)->comm, "sh");
	cr_assert(must(IOSYS_WRITE, 1)->unknown, "O_CLOEXEC fd gone after exec");
	cr_assert_eq(must(IOSYS_EXIT_GROUP, 0)->ret, 3);
	cr_assert_eq(must(IOSYS_PROC_EXIT, 0)->ret, 3);
	cr_assert_eq(must(IOSYS_SIGNAL, 0)->sig, SIGCHLD);
	cr_assert_eq(must(IOSYS_SIGNAL, 1)->sig, SIGCHLD);
	cr_assert_null(find(IOSYS_SIGNAL, 2));
}

Test(stracelog, rename_unlink_truncate_stat)
{
	replay_text(
	    "rename(\"/tmp/a\", \"/tmp/a.1\") = 0\n"
	    "renameat2(AT_FDCWD</w>, \"x\", AT_FDCWD</w>, \"x.1\", RENAME_NOREPLACE) = 0\n"
	    "unlink(\"/tmp/a.1\") = 0\n"
	    "unlinkat(AT_FDCWD, \"/tmp/d\", AT_REMOVEDIR) = 0\n"
	    "truncate(\"/tmp/t\", 1024) = 0\n"
	    "ftruncate(3</tmp/t>, 0) = 0\n"
	    "fstat(3</tmp/t>, {st_mode=S_IFREG|0644, st_size=77, ...}) = 0\n"
	    "newfstatat(AT_FDCWD, \"/tmp/n\", {st_mode=S_IFREG|0644, st_size=88, ...}, 0) = 0\n"
	    "newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=99, ...}, AT_EMPTY_PATH) = 0\n"
	    "statx(AT_FDCWD, \"/tmp/s\", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL, stx_size=111, ...}) = 0\n"
	    "stat64(\"/tmp/64\", {st_size=5, ...}) = 0\n"
	    "stat(\"/nope\", 0x7ffd) = -1 ENOENT (No such file or directory)\n"
	    "lseek(3, 0, SEEK_END) = 943718535\n"
	    "_llseek(3, 0, [1234], SEEK_CUR) = 0\n");
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_str_eq(must(IOSYS_RENAME, 0)->path2, "/tmp/a.1");
	cr_assert_str_eq(must(IOSYS_RENAMEAT2, 0)->path, "/w/x");
	cr_assert_str_eq(must(IOSYS_RENAMEAT2, 0)->path2, "/w/x.1");
	cr_assert_eq(must(IOSYS_RENAMEAT2, 0)->flags, 1);
	cr_assert_str_eq(must(IOSYS_UNLINK, 0)->path, "/tmp/a.1");
	cr_assert_eq(must(IOSYS_UNLINKAT, 0)->flags, 0x200);
	cr_assert_eq(must(IOSYS_TRUNCATE, 0)->size, 1024);
	cr_assert_eq(must(IOSYS_FTRUNCATE, 0)->size, 0);
	cr_assert_eq(must(IOSYS_STAT, 0)->size, 77);
	cr_assert_str_eq(must(IOSYS_STAT, 0)->path, "/tmp/t");
	cr_assert_eq(must(IOSYS_STAT, 1)->size, 88);
	cr_assert_str_eq(must(IOSYS_STAT, 1)->path, "/tmp/n");
	cr_assert_eq(must(IOSYS_STAT, 2)->size, 99);
	cr_assert_eq(must(IOSYS_STAT, 2)->fd, 3);
	cr_assert_eq(must(IOSYS_STAT, 3)->size, 111);
	cr_assert_eq(must(IOSYS_STAT, 4)->size, 5);
	cr_assert_eq(must(IOSYS_STAT, 4)->abi, 32);
	cr_assert_eq(must(IOSYS_STAT, 5)->size, -1);
	cr_assert_eq(must(IOSYS_LSEEK, 0)->ret, 943718535);
	cr_assert_eq(must(IOSYS_LSEEK, 0)->cmd, SEEK_END);
	cr_assert_eq(must(IOSYS_LSEEK, 1)->ret, 1234);
	cr_assert_eq(must(IOSYS_LSEEK, 1)->cmd, SEEK_CUR);
}

/* ------------------------------------------------------------ extras */

Test(stracelog, stack_frames)
{
	replay_text(
	    "write(1, \"hi\\n\", 3) = 3\n"
	    " > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x10) [0xf8350]\n"
	    " > /usr/bin/dash() [0x13652]\n"
	    " > /tmp/app(unexpected_backtracking+0x0) [0x4c4]\n"
	    "write(1, \"x\", 1) = 1\n");
	cr_assert_eq(nseen, 2);
	cr_assert_eq(seen[0].nframes, 3);
	cr_assert_str_eq(seen[0].f0func, "__write");
	cr_assert_str_eq(seen[0].f0mod, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	cr_assert_eq(seen[0].f0off, 0x10);
	cr_assert_eq(seen[0].f0ip, 0xf8350);
	cr_assert_eq(seen[1].nframes, 0);
}

Test(stracelog, quiet_extras)
{
	replay_text(
	    "write(3, \"abc\", 3) = 3\n"
	    " | 00000  61 62 63                                          abc              |\n"
	    "futex(0x7f, FUTEX_WAKE_PRIVATE, 1) = 0\n"
	    "restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0\n"
	    "[ Process PID=77 runs in 32 bit mode. ]\n"
	    "strace: Process 77 detached\n"
	    " <detached ...>\n"
	    "% time     seconds  usecs/call     calls    errors syscall\n"
	    "------ ----------- ----------- --------- --------- ----------------\n"
	    " 99.94 1125.381151         113   9895754   3531478 futex\n"
	    "100.00    0.000100           1       100           total\n"
	    "\033[1;32mwrite\033[0m(3, \"c\", 1) = 1\n");
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(res.summary, 4);
	cr_assert_eq(must(IOSYS_WRITE, 1)->ret, 1, "colours stripped");
	cr_assert_not_null(find(IOSYS_DETACH, 0));
}

Test(stracelog, garbage_is_counted)
{
	static const char bin[] = "\x7f" "ELF\x02\x01\x01\x00\x00\xff\xfe(\"=\n"
	    "hello world\n"
	    "write(3, \"unterminated\n"
	    "<... write resumed>) = 3\n"
	    "write(3\n"
	    "+++ what +++\n"
	    "write(1, \"ok\", 2) = 2\n"
	    "write(1, \"cut";
	replay_mem(bin, sizeof(bin) - 1);
	cr_assert_eq(res.lines, 8);
	cr_assert_geq(res.skipped, 5, "%s", diagbuf);
	cr_assert_not_null(strstr(diagbuf, "test.log:2: not a strace line"),
	    "%s", diagbuf);
	cr_assert_not_null(strstr(diagbuf, "truncated last line"), "%s", diagbuf);
	/* the unterminated string swallows its "resumed" half: skipped;
	   "write(3" is cut and never completed; the good write counts */
	cr_assert_eq(must(IOSYS_WRITE, 0)->ret, IO_RET_UNKNOWN);
	cr_assert_eq(must(IOSYS_WRITE, 1)->ret, 2);
	cr_assert_null(find(IOSYS_WRITE, 2));
	cr_assert_eq(res.unfinished, 1);
}

Test(stracelog, hostile_numbers)
{
	replay_text(
	    "write(2000000000</tmp/x>, \"a\", 1) = 1\n"
	    "openat(AT_FDCWD, \"/tmp/y\", O_RDONLY) = 2147483647\n"
	    "9999999999999999999.5 write(1, \"a\", 1) = 1\n"
	    "23:00:00.000000 write(1, \"a\", 1) = 1\n"
	    "mmap2(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0x7fffffffffffffff) = 0x1000\n"
	    "write(1, \"a\", 99999999999999999999999) = -9223372036854775808\n");
	/* two absurd fds, a 19-digit stamp and a 23-digit count */
	cr_assert_eq(res.skipped, 4, "%s", diagbuf);
	cr_assert_not_null(strstr(diagbuf, "test.log:6: number out of range"), "%s", diagbuf);
	cr_assert_not_null(strstr(diagbuf, "fd number out of range"), "%s", diagbuf);
}

Test(stracelog, fuzz_regressions)
{
	/* found by tests/fuzz: a lone backslash ending an annotation read
	   one byte past the line */
	static const char line[] = "openat(AT_FDCWD, \"x\", O_RDONLY) = 3</tmp\\";

	replay_mem(line, sizeof(line) - 1);
	cr_assert_eq(res.lines, 1);
}

Test(stracelog, fuzz_regression_comm_with_nul)
{
	/* found by tests/fuzz: a -Y name holding a NUL was stored short and
	   then compared past its end */
	static const char text[] =
	    "12<a\0b> write(1, \"x\", 1) = 1\n"
	    "12<a\0b> write(1, \"x\", 1) = 1\n"
	    "12<ab> write(1, \"x\", 1) = 1\n"
	    "12<ab> write(1, \"x\", 1) = 1\n";

	replay_mem(text, sizeof(text) - 1);
	cr_assert_eq(res.lines, 4);
	cr_expect_str_eq(pipeline_comm_of(pl, 12), "ab");
}

Test(stracelog, unknown_calls_cost_nothing)
{
	replay_text(
	    "getpid() = 1\n"
	    "ioctl(3, TIOCGWINSZ, 0x7fffb9c0c190) = -1 ENOTTY (Inappropriate ioctl for device)\n"
	    "select(0, NULL, NULL, NULL, {0, 100000}) = 0 (Timeout)\n");
	cr_assert_eq(nseen, 0);
	cr_assert_eq(res.skipped, 0);
	cr_assert_eq(res.calls, 3);
}

Test(stracelog, report_limit)
{
	char text[4096] = "";
	int i;

	for (i = 0; i < 30; i++)
		strcat(text, "garbage line\n");
	replay_text(text);
	cr_assert_eq(res.skipped, 30);
	cr_assert_not_null(strstr(diagbuf, "test.log:20: not a strace line"));
	cr_assert_null(strstr(diagbuf, "test.log:21:"));
	cr_assert_not_null(strstr(diagbuf, "10 more problems not shown"), "%s", diagbuf);
}

/* ------------------------------------------------------------ files */

static char tmpdir[256];

static const char *
tmpfile_with(const char *name, const char *text, size_t len)
{
	static char path[8][512];
	static int k;
	char *p = path[k++ % 8];
	FILE *f;

	if (tmpdir[0] == '\0') {
		snprintf(tmpdir, sizeof(tmpdir), "%s/stracelog-test.XXXXXX",
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		cr_assert_not_null(mkdtemp(tmpdir));
	}
	snprintf(p, 512, "%s/%s", tmpdir, name);
	f = fopen(p, "w");
	cr_assert_not_null(f);
	fwrite(text, 1, len, f);
	fclose(f);
	return p;
}

Test(stracelog, empty_file)
{
	const char *files[1];

	files[0] = tmpfile_with("empty.log", "", 0);
	cr_assert_eq(replay_files(files, 1), 0);
	cr_assert_not_null(strstr(diagbuf, "empty, nothing to replay"), "%s", diagbuf);
	cr_assert_eq(res.lines, 0);
}

Test(stracelog, missing_file)
{
	const char *files[1] = { "/nonexistent/trace.log" };

	cr_assert_eq(replay_files(files, 1), -1);
	cr_assert_not_null(strstr(diagbuf, "cannot open"), "%s", diagbuf);
}

Test(stracelog, long_lines)
{
	size_t big = 10u << 20, huge = 17u << 20;
	char *text = malloc(huge + 200);
	const char *files[1];
	size_t n;

	/* a 10 MB write line (strace -s 10000000): parsed */
	n = (size_t)sprintf(text, "write(3</tmp/big>, \"");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)sprintf(text + n, "\", %zu) = %zu\nwrite(1, \"a\", 1) = 1\n",
	    big, big);
	files[0] = tmpfile_with("big.log", text, n);
	cr_assert_eq(replay_files(files, 1), 0);
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(path_bytes("/tmp/big", NULL), big);
	cr_assert_eq(nseen, 2);

	/* a 17 MB line: skipped with a message, the next line still read */
	memset(text, 'y', huge);
	n = huge;
	n += (size_t)sprintf(text + n, "\nwrite(1, \"a\", 1) = 1\n");
	files[0] = tmpfile_with("huge.log", text, n);
	cr_assert_eq(replay_files(files, 1), 0);
	cr_assert_eq(res.skipped, 1, "%s", diagbuf);
	cr_assert_eq(res.lines, 2);
	cr_assert_not_null(strstr(diagbuf, "huge.log:1: line longer than 16 MiB"),
	    "%s", diagbuf);
	free(text);
}

Test(stracelog, gzip_and_ff_merge)
{
	const char *files[2];
	char cmd[1024];
	const char *plain;

	/* thread 101 shares 100's fd table: only the time-merged order gets
	   its write right (fd 4 is open from t=3 to t=5) */
	files[0] = tmpfile_with("trace.100",
	    "1700000001.000000 openat(AT_FDCWD, \"/tmp/m0\", O_WRONLY) = 3\n"
	    "1700000002.000000 clone(child_stack=0x1, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM) = 101\n"
	    "1700000003.000000 openat(AT_FDCWD, \"/tmp/m1\", O_WRONLY) = 4\n"
	    "1700000005.000000 close(4) = 0\n"
	    "1700000006.000000 write(3, \"a\", 1) = 1\n",
	    strlen("1700000001.000000 openat(AT_FDCWD, \"/tmp/m0\", O_WRONLY) = 3\n"
	    "1700000002.000000 clone(child_stack=0x1, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM) = 101\n"
	    "1700000003.000000 openat(AT_FDCWD, \"/tmp/m1\", O_WRONLY) = 4\n"
	    "1700000005.000000 close(4) = 0\n"
	    "1700000006.000000 write(3, \"a\", 1) = 1\n"));
	plain = tmpfile_with("trace.101",
	    "1700000004.000000 write(4, \"bb\", 2) = 2\n",
	    strlen("1700000004.000000 write(4, \"bb\", 2) = 2\n"));
	snprintf(cmd, sizeof(cmd), "gzip -f '%s'", plain);
	if (system(cmd) != 0)
		cr_skip_test("gzip is not available");
	snprintf(cmd, sizeof(cmd), "%s.gz", plain);
	files[1] = cmd;
	cr_assert_eq(replay_files(files, 2), 0, "%s", diagbuf);
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(path_bytes("/tmp/m1", NULL), 2, "%s", diagbuf);
	cr_assert_eq(path_bytes("/tmp/m0", NULL), 1);
	cr_assert_eq(must(IOSYS_WRITE, 0)->tid, 101);
	cr_assert_eq(must(IOSYS_WRITE, 0)->pid, 100);
}

/* ------------------------------------------------------------ corpus */

/* Expected counts for the real logs in $SHARED_DIR/corpus: every
   non-call line the parser cannot use, with the reason in the comment. */
static const struct {
	const char *file;
	uint64_t skipped, unfinished;
} corpus[] = {
	/* writev cut by "<ptrace(SYSCALL):No such process>": joined */
	{ "Pilfer_Dwarf__strace.log", 0, 0 },
	{ "akawashiro_straceprof__npm-install.log", 0, 0 },
	{ "arastoob_strace-parser__trace-examples_multithread_strace1.log", 0, 0 },
	{ "comboshreddies_py-strace2pcap__example_straceSample", 0, 0 },
	/* 3 calls interrupted by SIGINT (+++ killed by) */
	{ "dkopecek_strace2seccomp__examples_ex1.strace.log", 0, 3 },
	{ "javierhonduco_parca-agent__strace_out.txt", 0, 0 },
	/* attach ended while a futex waited */
	{ "jonEbird_strace-summary__tests_data_anaconda.strace", 0, 1 },
	/* the last line is cut ("[pid 17393] 1"); 22 calls still waiting */
	{ "jonEbird_strace-summary__tests_data_catalina.strace", 1, 22 },
	{ "jonEbird_strace-summary__tests_data_sssd_be.strace", 0, 0 },
	/* the test's own output cut write lines: joined again */
	{ "mongodb-labs_mongo-perl-driver__strace.out", 0, 0 },
	/* line 1 is the shell command, not strace output; 4 calls cut by
	   "strace: Process N attached" never completed */
	{ "pdtpartners_nix-snapshotter__strace.out", 1, 4 },
	{ "pkmoore_posix-omni-parser__test.strace", 0, 0 },
	/* line 551 lost its syscall name in the log itself */
	{ "pkmoore_posix-omni-parser__testbins_shell.strace", 1, 0 },
	{ "privateMwb_PulseThreadPool__strace_summary.txt", 0, 0 },
	{ "tee-vee_strace-parser__benches_strace_parse.rs__DATA.strace", 0, 26 },
	{ "aboutcode-org_tracecode-toolkit-strace__tests_data_filtering_t_trace.70676", 0, 0 },
};

static const char *
corpus_dir(void)
{
	static char dir[4096];
	const char *s = getenv("SHARED_DIR");
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/corpus", s ? s : "../shared");
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return dir;
}

Test(stracelog, corpus_logs)
{
	const char *dir = corpus_dir();
	size_t i;

	if (dir == NULL)
		cr_skip_test("no corpus ($SHARED_DIR/corpus)");
	for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		char path[4096];
		const char *files[1] = { path };

		snprintf(path, sizeof(path), "%s/%s", dir, corpus[i].file);
		if (access(path, R_OK) != 0)
			continue;
		diagbuf[0] = '\0';
		rewind(diag);
		if (strstr(corpus[i].file, "strace_summary")) {
			/* a strace -c table: refused, it holds no per-file data */
			cr_expect_neq(replay_files(files, 1), 0, "%s", corpus[i].file);
			continue;
		}
		cr_assert_eq(replay_files(files, 1), 0, "%s: %s", corpus[i].file,
		    diagbuf);
		cr_expect_eq(res.skipped, corpus[i].skipped,
		    "%s: %" PRIu64 " skipped, expected %" PRIu64 "\n%s",
		    corpus[i].file, res.skipped, corpus[i].skipped, diagbuf);
		cr_expect_eq(res.unfinished, corpus[i].unfinished,
		    "%s: %" PRIu64 " unfinished, expected %" PRIu64,
		    corpus[i].file, res.unfinished, corpus[i].unfinished);
		cr_expect_gt(res.events + res.summary, 0, "%s", corpus[i].file);
	}
}

Test(stracelog, corpus_ff_set)
{
	const char *dir = corpus_dir();
	const char *files[18];
	static char paths[18][4096];
	int i, n = 0;

	if (dir == NULL)
		cr_skip_test("no corpus ($SHARED_DIR/corpus)");
	for (i = 2800285; i <= 2800302; i++) {
		snprintf(paths[n], 4096, "%s/aboutcode-org_tracecode-toolkit-strace__"
		    "tests_data_analy_patchelf_trace-archive.tar.bz2__trace_t.%d",
		    dir, i);
		if (access(paths[n], R_OK) == 0) {
			files[n] = paths[n];
			n++;
		}
	}
	if (n == 0)
		cr_skip_test("no -ff set in the corpus");
	cr_assert_eq(replay_files(files, (size_t)n), 0, "%s", diagbuf);
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(res.unfinished, 0, "%s", diagbuf);
	/* the assembler's output, by the as process (pid from the name) */
	cr_assert_gt(path_bytes("/home/nexb/tools/patchelf/patchelf-0.5/src/patchelf.o",
	    NULL), 0);
}

/* ------------------------------------------------------------ workers */

/* What a replay worker makes of each kind of line: complete calls are
   decoded (used) or marked unused; anything that needs the parser's state
   (halves, frames, signals, strace's messages) stays raw. */
Test(stracelog, worker_kinds)
{
	static const char text[] =
	    "100 10:00:00.000001 write(3</tmp/a>, \"hi\\n\", 3) = 3 <0.000010>\n"
	    "100 10:00:00.000002 futex(0x7f00, FUTEX_WAKE_PRIVATE, 1) = 0\n"
	    "100 10:00:00.000003 write(3</tmp/a>, \"x\", 1 <unfinished ...>\n"
	    "101 10:00:00.000004 <... write resumed>) = 1\n"
	    " > /lib/libc.so.6(__write+0x10) [0xf8350]\n"
	    "100 10:00:00.000005 --- SIGCHLD {si_signo=SIGCHLD} ---\n"
	    "100 10:00:00.000006 +++ exited with 0 +++\n"
	    "[pid   102] openat(AT_FDCWD, \"/etc/x\", O_RDONLY) = 4\n"
	    "100 10:00:00.000007 close(3) = 0";
	static const uint8_t want[] = { SLR_CALL, SLR_UNUSED, SLR_RAW, SLR_RAW,
	    SLR_RAW, SLR_RAW, SLR_RAW, SLR_CALL, SLR_RAW };
	struct sl_worker *w = sl_worker_new();
	struct sl_batch b;
	size_t i;

	memset(&b, 0, sizeof(b));
	sl_worker_batch(w, text, strlen(text), true, &b);
	cr_assert_eq(b.nrec, sizeof(want));
	for (i = 0; i < b.nrec; i++)
		cr_expect_eq(b.rec[i].kind, want[i], "line %zu: kind %d, want %d",
		    i + 1, b.rec[i].kind, want[i]);
	cr_expect(b.rec[4].frame);
	cr_expect(b.rec[8].partial, "the last line has no newline");
	cr_expect_eq(b.ev[b.rec[0].evi].ret, 3);
	cr_expect_str_eq(b.ev[b.rec[0].evi].path, "/tmp/a");
	cr_expect_eq(b.rec[0].pre.tid, 100);
	cr_expect_eq(b.ev[b.rec[7].evi].ret, 4);
	cr_expect_eq(b.rec[7].pre.tid, 102);
	sl_batch_free(&b);
	sl_worker_free(w);
}

/* Fed through a worker's batch, a log gives the events line-by-line
   feeding gives, in the same order. */
Test(stracelog, worker_same_events)
{
	static const char text[] =
	    "100 10:00:00.000001 openat(AT_FDCWD, \"/tmp/log\", O_WRONLY|O_CREAT|O_APPEND, 0644) = 3\n"
	    "100 10:00:00.000002 write(3, \"one\\n\", 4) = 4\n"
	    "100 10:00:00.000003 mmap(NULL, 314576896, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n"
	    "100 10:00:00.000004 write(3, \"two\\n\", 4 <unfinished ...>\n"
	    "101 10:00:00.000005 getpid() = 100\n"
	    "100 10:00:00.000006 <... write resumed>) = 4\n"
	    "100 23:59:59.000000 munmap(0x7f0000000000, 314576896) = 0\n"
	    "100 00:00:01.000000 rename(\"/tmp/log\", \"/tmp/log.1\") = 0\n"
	    "100 00:00:02.000000 write(3, \"three\\n\", 6) = 6\n"
	    "100 00:00:03.000000 close(3) = 0\n";
	struct seen_ev a[16];
	struct stracelog *sl;
	struct sl_worker *w;
	struct sl_batch b;
	int na, f, i;
	size_t k;

	replay_text(text);
	na = nseen;
	cr_assert(na >= 8 && na <= 16, "%d events", na);
	memcpy(a, seen, (size_t)na * sizeof(a[0]));

	nseen = 0;
	sl = stracelog_new(pl, diag);
	f = stracelog_add_file(sl, "test.log", 0);
	w = sl_worker_new();
	memset(&b, 0, sizeof(b));
	sl_worker_batch(w, text, strlen(text), false, &b);
	for (k = 0; k < b.nrec; k++) {
		if (!b.rec[k].frame)
			stracelog_flush(sl);
		sl_feed_rec(sl, f, &b, k);
	}
	stracelog_finish(sl, &res);
	stracelog_free(sl);
	sl_batch_free(&b);
	sl_worker_free(w);

	cr_assert_eq(nseen, na);
	for (i = 0; i < na; i++) {
		cr_expect_eq(seen[i].sys, a[i].sys, "event %d", i);
		cr_expect_eq(seen[i].ts, a[i].ts, "event %d: time", i);
		cr_expect_eq(seen[i].ret, a[i].ret, "event %d", i);
		cr_expect_eq(seen[i].tid, a[i].tid, "event %d", i);
		cr_expect_str_eq(seen[i].path, a[i].path, "event %d", i);
		cr_expect_str_eq(seen[i].path2, a[i].path2, "event %d", i);
	}
}

/* ------------------------------------------------------------ hostile input */

Test(stracelog, path_with_unmatched_bracket)
{
	/* strace 6.1 -y, a file named "a[b" (then "a, b)"): a bracket or a
	   comma in a path is text, not nesting */
	replay_text(
	    "openat(AT_FDCWD</tmp/t>, \"a[b\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</tmp/t/a[b>\n"
	    "fcntl(1</tmp/out>, F_DUPFD, 10) = 11</tmp/out>\n"
	    "close(1</tmp/out>) = 0\n"
	    "fcntl(11</tmp/out>, F_SETFD, FD_CLOEXEC) = 0\n"
	    "dup2(3</tmp/t/a[b>, 1)     = 1</tmp/t/a[b>\n"
	    "close(3</tmp/t/a[b>)       = 0\n"
	    "write(1</tmp/t/a[b>, \"x\\n\", 2) = 2\n"
	    "dup2(11</tmp/out>, 1</tmp/t/a[b>) = 1</tmp/out>\n"
	    "openat(AT_FDCWD</tmp/t>, \"a, b)\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</tmp/t/a, b)>\n"
	    "write(3</tmp/t/a, b)>, \"y\\n\", 2) = 2\n"
	    "write(5<TCP:[127.0.0.1:80->127.0.0.1:5000]>, \"z\", 1) = 1\n");
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_eq(res.unfinished, 0, "%s", diagbuf);
	cr_assert_eq(path_bytes("/tmp/t/a[b", NULL), 2, "%s", diagbuf);
	cr_assert_eq(path_bytes("/tmp/t/a, b)", NULL), 2, "%s", diagbuf);
	cr_assert_eq(must(IOSYS_DUP2, 0)->fd, 3);
	cr_assert_eq(must(IOSYS_DUP2, 0)->fd2, 1);
	cr_assert_eq(must(IOSYS_DUP2, 1)->fd, 11);
	cr_assert_eq(must(IOSYS_CLOSE, 1)->fd, 3);
	cr_expect_str_eq(must(IOSYS_WRITE, 2)->path,
	    "TCP:[127.0.0.1:80->127.0.0.1:5000]");
}

Test(stracelog, numbers_out_of_range)
{
	/* each number that does not fit is a problem at its line, never a
	   wrapped value */
	replay_text(
	    "write(4294967299</tmp/a>, \"x\", 1) = 1\n"
	    "write(1</tmp/b>, \"x\", 9223372036854775807) = 9223372036854775807\n"
	    "write(1</tmp/b>, \"x\", 9223372036854775807) = 9223372036854775807\n"
	    "write(1</tmp/b>, \"x\", 9223372036854775807) = 9223372036854775807\n"
	    "write(1</tmp/c>, \"x\", 1) = 1234567890123456789012345678901234567890\n"
	    "write(1</tmp/d>, \"x\", 1) = 18446744073709551615\n"
	    "write(1</tmp/e>, \"x\", 1) = 1 <99999999999.000000>\n"
	    "dup2(3, 4294967297) = 1\n"
	    "write(1</tmp/f>, \"x\", 18446744073709551615) = -1 EFAULT (Bad address)\n");
	cr_assert_eq(res.skipped, 6, "%s", diagbuf);
	cr_assert_not_null(strstr(diagbuf, "test.log:1: number out of range"), "%s", diagbuf);
	cr_assert_not_null(strstr(diagbuf, "test.log:5: number out of range"), "%s", diagbuf);
	cr_assert_not_null(strstr(diagbuf, "test.log:6: number out of range"), "%s", diagbuf);
	cr_assert_not_null(strstr(diagbuf, "test.log:7: number out of range"), "%s", diagbuf);
	cr_assert_not_null(strstr(diagbuf, "test.log:8: number out of range"), "%s", diagbuf);
	/* the third 2^63 - 1 would take the sum past 2^64: said, not wrapped */
	cr_assert_not_null(strstr(diagbuf, "test.log:4: bytes written pass 2^64"),
	    "%s", diagbuf);
	cr_assert_eq(path_bytes("/tmp/b", NULL), 2 * (uint64_t)INT64_MAX);
	cr_assert_eq(path_bytes("/tmp/a", NULL), 0);
	cr_assert_null(find(IOSYS_DUP2, 0));
	/* an unsigned count past INT64_MAX is a count, not a problem */
	cr_assert_eq(must(IOSYS_WRITE, 2)->count, UINT64_MAX);
	cr_assert_eq(must(IOSYS_WRITE, 2)->err, EFAULT);
}

/* execve's argv as strace cuts it (-s 3): cut strings and the strings left
   out are kept, and so is the environment count */
Test(stracelog, execve_argv_cut)
{
	const struct seen_ev *x;

	replay_text(
	    "7 execve(\"/bin/true\", [\"/bi\"..., \"a b\", \"\", ...], 0x7fff9293c6d0 /* 1 var */) = 0\n"
	    "8 execve(\"/bin/true\", [\"true\"], [/* 0 vars */]) = 0\n");
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	x = must(IOSYS_EXECVE, 0);
	cr_assert_eq(x->data_len, 9);
	cr_assert(memcmp(x->data, "/bi\0a b\0\0", 9) == 0);
	cr_assert(x->trunc, "the strings left out");
	cr_assert_eq(x->argv_cut, 1);
	cr_assert_eq(x->envc, 1);
	cr_assert_eq(x->addr, 0x7fff9293c6d0ULL);
	x = must(IOSYS_EXECVE, 1);
	cr_assert_eq(x->envc, 0);
	cr_assert_not(x->trunc);
	cr_assert_eq(x->argv_cut, 0);
}

/* A -ff set without times across the pid wrap: the parent (32700) opens
   the file its child (310, after the wrap) writes; read in pid order the
   child's write would come first, on an fd not yet known */
Test(stracelog, ff_set_across_pid_wrap)
{
	static const char parent[] =
	    "openat(AT_FDCWD, \"/tmp/wrap\", O_WRONLY|O_CREAT, 0644) = 3\n"
	    "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = 310\n"
	    "+++ exited with 0 +++\n";
	static const char child[] =
	    "write(3, \"abc\", 3) = 3\n"
	    "+++ exited with 0 +++\n";
	const char *files[2];

	files[0] = tmpfile_with("wrap.310", child, strlen(child));
	files[1] = tmpfile_with("wrap.32700", parent, strlen(parent));
	cr_assert_eq(replay_files(files, 2), 0, "%s", diagbuf);
	cr_assert_eq(res.skipped, 0, "%s", diagbuf);
	cr_assert_str_eq(must(IOSYS_WRITE, 0)->path, "/tmp/wrap", "%s", diagbuf);
	cr_assert_eq(must(IOSYS_WRITE, 0)->pid, 310);
	cr_assert_eq(path_bytes("/tmp/wrap", NULL), 3);
}

/* --replay FILE finds the FILE.PID set strace -ff -o FILE leaves */
Test(stracelog, ff_set_from_its_base_name)
{
	struct replay_settings rs;
	char base[600];
	const char *a;

	a = tmpfile_with("set.1200", "write(1, \"a\", 1) = 1\n", 22);
	tmpfile_with("set.1100", "write(1, \"b\", 1) = 1\n", 22);
	tmpfile_with("set.x", "not part of the set\n", 20);
	tmpfile_with("settle.1300", "not part of the set\n", 20);
	snprintf(base, sizeof(base), "%.*s", (int)(strrchr(a, '.') - a), a);
	rs.files = malloc(2 * sizeof(char *));
	rs.files[0] = strdup(base);
	rs.files[1] = NULL;
	rs.nfiles = 1;
	cr_assert_eq(stracelog_expand_ff(&rs), 2);
	cr_assert_eq(rs.nfiles, 2);
	cr_assert_str_eq(strrchr(rs.files[0], '.'), ".1100");
	cr_assert_str_eq(strrchr(rs.files[1], '.'), ".1200");
	cr_assert_eq(strncmp(rs.files[0], base, strlen(base)), 0);
	/* an existing file is itself, not a set */
	free(rs.files[1]);
	rs.files[1] = NULL;
	rs.nfiles = 1;
	cr_assert_eq(stracelog_expand_ff(&rs), 0);
	free(rs.files[0]);
	free(rs.files);
}
