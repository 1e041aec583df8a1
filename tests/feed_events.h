/*
 * tests/feed_events.h: build hand-made events and push them through a real
 * pipeline (so fd -> path resolution works as in real runs) into a stats
 * sink.  Header-only, for the report-side suites.
 */
#ifndef IOSPY_TEST_FEED_EVENTS_H
#define IOSPY_TEST_FEED_EVENTS_H

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/options.h"
#include "model/pipeline.h"
#include "analysis/stats.h"
#include "model/syscalls.h"

#define MiB (1024ULL * 1024)

struct feed {
	struct config cfg;
	struct pipeline *pl;
	struct stats *st;
	int64_t now;		/* ts of the next event, ns */
};

static inline void
feed_init_cfg(struct feed *fd)
{
	fd->pl = pipeline_new();
	fd->st = stats_new(&fd->cfg.notable, &fd->cfg.limits);
	pipeline_add_sink(fd->pl, stats_event, fd->st);
	fd->now = 1592755197000000000LL;	/* 2020-06-21 15:59:57 UTC */
}

static inline void
feed_init(struct feed *fd)
{
	options_defaults(&fd->cfg);
	feed_init_cfg(fd);
}

static inline void
feed_fini(struct feed *fd)
{
	stats_free(fd->st);
	pipeline_free(fd->pl);
	options_free(&fd->cfg);
}

static inline void
feed_ev(struct feed *fd, pid_t tid, enum io_sys sys, struct io_event *ev)
{
	ev->tid = tid;
	ev->sys = sys;
	ev->cls = syscalls_class(sys);
	ev->name = syscalls_name(sys);
	ev->ts_ns = fd->now;
	fd->now += 1000000;	/* 1 ms per event */
	pipeline_event(fd->pl, ev);
}

static inline void
feed_name(struct feed *fd, pid_t pid, const char *comm, const char *cmdline)
{
	pipeline_name_process(fd->pl, pid, comm, cmdline);
}

static inline void
feed_open(struct feed *fd, pid_t tid, const char *path, int flags, int ret)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.fd = AT_FDCWD;
	ev.path = path;
	ev.flags = (uint64_t)flags;
	ev.ret = ret;
	if (ret < 0) {
		ev.err = -ret;
		ev.ret = -1;
	}
	feed_ev(fd, tid, IOSYS_OPENAT, &ev);
}

static inline void
feed_close(struct feed *fd, pid_t tid, int f)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.fd = f;
	ev.ret = 0;
	feed_ev(fd, tid, IOSYS_CLOSE, &ev);
}

/* write(f, ..., count) = ret (ret < 0: -errno) */
static inline void
feed_write_ret(struct feed *fd, pid_t tid, int f, uint64_t count, int64_t ret)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.fd = f;
	ev.count = count;
	ev.ret = ret;
	if (ret < 0) {
		ev.err = (int)-ret;
		ev.ret = -1;
	}
	feed_ev(fd, tid, IOSYS_WRITE, &ev);
}

static inline void
feed_write(struct feed *fd, pid_t tid, int f, uint64_t n)
{
	feed_write_ret(fd, tid, f, n, (int64_t)n);
}

static inline void
feed_mmap(struct feed *fd, pid_t tid, uint64_t addr, uint64_t len)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.len = len;
	ev.prot = PROT_READ | PROT_WRITE;
	ev.flags = MAP_PRIVATE | MAP_ANONYMOUS;
	ev.ret = (int64_t)addr;
	feed_ev(fd, tid, IOSYS_MMAP, &ev);
}

static inline void
feed_munmap(struct feed *fd, pid_t tid, uint64_t addr, uint64_t len)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.addr = addr;
	ev.len = len;
	ev.ret = 0;
	feed_ev(fd, tid, IOSYS_MUNMAP, &ev);
}

static inline void
feed_mremap(struct feed *fd, pid_t tid, uint64_t old, uint64_t old_len,
    uint64_t new_len, uint64_t ret)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.addr = old;
	ev.len = old_len;
	ev.new_len = new_len;
	ev.flags = MREMAP_MAYMOVE;
	ev.ret = (int64_t)ret;
	feed_ev(fd, tid, IOSYS_MREMAP, &ev);
}

static inline void
feed_path_call(struct feed *fd, pid_t tid, enum io_sys sys, const char *path,
    const char *path2, int64_t size)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.fd = AT_FDCWD;
	ev.fd2 = AT_FDCWD;
	if (sys == IOSYS_RENAME || sys == IOSYS_UNLINK || sys == IOSYS_STAT ||
	    sys == IOSYS_TRUNCATE || sys == IOSYS_LINK)
		ev.fd = ev.fd2 = -1;
	ev.path = path;
	ev.path2 = path2;
	ev.size = size;
	ev.ret = 0;
	feed_ev(fd, tid, sys, &ev);
}

static inline void
feed_fsync(struct feed *fd, pid_t tid, int f)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.fd = f;
	ev.ret = 0;
	feed_ev(fd, tid, IOSYS_FSYNC, &ev);
}

/* clone(CLONE_VM|CLONE_FILES|CLONE_THREAD...) = child */
static inline void
feed_thread(struct feed *fd, pid_t tid, pid_t child)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.flags = 0x00010000 | 0x00000100 | 0x00000400 | 0x00000800;
	ev.ret = child;
	feed_ev(fd, tid, IOSYS_CLONE, &ev);
}

static inline void
feed_lseek_end(struct feed *fd, pid_t tid, int f, int64_t ret)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.fd = f;
	ev.offset = 0;
	ev.cmd = SEEK_END;
	ev.ret = ret;
	feed_ev(fd, tid, IOSYS_LSEEK, &ev);
}

static inline void
feed_ftruncate(struct feed *fd, pid_t tid, int f, int64_t size)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.fd = f;
	ev.size = size;
	ev.ret = 0;
	feed_ev(fd, tid, IOSYS_FTRUNCATE, &ev);
}

/*
 * The seed: python (pid 6648) logging 300 MiB messages to /tmp/logtest.txt
 * through fd 3.  One message, as in the seed's strace output: two fresh
 * 300 MiB anonymous maps, the write, the newline, both maps dropped; then
 * the size check (two more maps made and dropped before the next write).
 */
#define SEED_PID 6648
#define SEED_MSG 314572844ULL
#define SEED_MAP 314576896ULL

static inline void
feed_seed_message(struct feed *fd)
{
	const uint64_t A = 0x7fed00372000ULL, B = 0x7feced771000ULL,
	    C = 0x7fece8c71000ULL;

	feed_mmap(fd, SEED_PID, A, SEED_MAP);
	feed_mmap(fd, SEED_PID, B, SEED_MAP);
	feed_write(fd, SEED_PID, 3, SEED_MSG);
	feed_munmap(fd, SEED_PID, B, SEED_MAP);
	feed_write(fd, SEED_PID, 3, 1);
	feed_munmap(fd, SEED_PID, A, SEED_MAP);
	fd->now += 100000000;	/* select(.., 0.1 s) */
	/* shouldRollover formats the record again */
	feed_mmap(fd, SEED_PID, A, SEED_MAP);
	feed_mmap(fd, SEED_PID, C, 393220096ULL);
	feed_mremap(fd, SEED_PID, C, 393220096ULL, SEED_MAP, C);
	feed_munmap(fd, SEED_PID, A, SEED_MAP);
	feed_munmap(fd, SEED_PID, C, SEED_MAP);
}

/* The rollover: close, stat+unlink of the old backup, rename, reopen. */
static inline void
feed_seed_rollover(struct feed *fd, int64_t size)
{
	feed_lseek_end(fd, SEED_PID, 3, size);
	feed_close(fd, SEED_PID, 3);
	feed_path_call(fd, SEED_PID, IOSYS_STAT, "/tmp/logtest.txt.1", NULL, size);
	feed_path_call(fd, SEED_PID, IOSYS_UNLINK, "/tmp/logtest.txt.1", NULL, -1);
	feed_path_call(fd, SEED_PID, IOSYS_STAT, "/tmp/logtest.txt", NULL, size);
	feed_path_call(fd, SEED_PID, IOSYS_RENAME, "/tmp/logtest.txt",
	    "/tmp/logtest.txt.1", -1);
	feed_open(fd, SEED_PID, "/tmp/logtest.txt",
	    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 3);
}

/* The whole seed run: 3 messages, rollover, 3 messages, rollover... */
static inline void
feed_seed(struct feed *fd, int rotations)
{
	int r, m;

	feed_name(fd, SEED_PID, "python", "python /app.py");
	feed_open(fd, SEED_PID, "/tmp/logtest.txt",
	    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 3);
	feed_lseek_end(fd, SEED_PID, 3, 0);
	for (r = 0; r < rotations; r++) {
		for (m = 0; m < 3; m++)
			feed_seed_message(fd);
		feed_seed_rollover(fd, (int64_t)(3 * (SEED_MSG + 1)));
	}
}

/* Find the record of (pid, path). */
static inline struct stats_file *
feed_file(struct feed *fd, pid_t pid, const char *path)
{
	struct stats_proc *pr;
	struct stats_file *sf;

	HASH_FIND(hh, fd->st->procs, &pid, sizeof(pid), pr);
	if (pr == NULL)
		return NULL;
	HASH_FIND_STR(pr->files, path, sf);
	return sf;
}

static inline struct stats_proc *
feed_proc(struct feed *fd, pid_t pid)
{
	struct stats_proc *pr;

	HASH_FIND(hh, fd->st->procs, &pid, sizeof(pid), pr);
	return pr;
}

#endif /* IOSPY_TEST_FEED_EVENTS_H */
