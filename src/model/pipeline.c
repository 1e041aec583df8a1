/*
 * pipeline.c: event normalisation, the process table and the fd tables.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "model/fdtable.h"
#include "model/filter.h"
#include "model/pipeline.h"
#include "model/syscalls.h"
#include "base/util.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define PATHBUF 4096

/* The kernel's __O_TMPFILE bit (O_TMPFILE is it with O_DIRECTORY). */
#define TMPFILE_BIT 020000000

/* A process (thread group): its name and its fd table. */
struct proc {
	pid_t pid;
	char *comm;
	char *cmdline;		/* argv joined by spaces */
	char *argv;		/* the strings, each with its NUL */
	size_t argv_len;
	uint64_t argv_cut;
	struct fdtable *fds;
	char *cwd;		/* the working directory as the calls tell it
				   (seeded at launch/attach, inherited at
				   fork, moved by chdir/fchdir), NULL if
				   unknown (then the resolver is asked) */
	int nthreads;
	bool buried;		/* in dead[], out of procs */
	bool implicit;		/* first seen without a fork event */
	UT_hash_handle hh;
};

/* A thread: which process it belongs to. */
struct thread {
	pid_t tid;
	struct proc *proc;
	UT_hash_handle hh;
};

struct sink {
	pipeline_sink_fn fn;
	void *ctx;
};

#define TCACHE_SIZE 64

struct pipeline {
	struct proc *procs;		/* by pid (live ones) */
	struct proc **dead;		/* exited: kept so pointers stay valid */
	size_t ndead;
	struct thread *threads;		/* by tid */
	struct thread *last;		/* one-entry cache for the hot path */
	struct thread *tcache[TCACHE_SIZE];	/* by tid % size: interleaved
						   threads miss last */
	struct sink *sinks;
	size_t nsinks;
	struct pipeline_resolver res;
	bool has_res;
	const struct io_filter *filter;	/* -e trace=, -P...: or NULL */
	bool badfd;			/* the event failed with EBADF: an
					   fd not in the table was not open
					   (no resolver, no label) */
	uint64_t withheld;		/* events the filter kept from the sinks */
	uint64_t tmpfiles;		/* O_TMPFILE opens named so far */
	char buf1[PATHBUF], buf2[PATHBUF], buf3[PATHBUF];
};

struct pipeline *
pipeline_new(void)
{
	return xcalloc(1, sizeof(struct pipeline));
}

static void
proc_free(struct proc *pr)
{
	fdtable_unref(pr->fds);
	free(pr->cwd);
	free(pr->comm);
	free(pr->cmdline);
	free(pr->argv);
	free(pr);
}

void
pipeline_free(struct pipeline *p)
{
	struct proc *pr, *ptmp;
	struct thread *th, *ttmp;
	size_t i;

	if (p == NULL)
		return;
	HASH_ITER(hh, p->threads, th, ttmp) {
		HASH_DEL(p->threads, th);
		free(th);
	}
	HASH_ITER(hh, p->procs, pr, ptmp) {
		HASH_DEL(p->procs, pr);
		proc_free(pr);
	}
	for (i = 0; i < p->ndead; i++)
		proc_free(p->dead[i]);
	free(p->dead);
	free(p->sinks);
	free(p);
}

void
pipeline_set_resolver(struct pipeline *p, const struct pipeline_resolver *r)
{
	p->res = *r;
	p->has_res = true;
}

void
pipeline_set_filter(struct pipeline *p, const struct io_filter *f)
{
	p->filter = filter_active(f) ? f : NULL;
}

uint64_t
pipeline_withheld(const struct pipeline *p)
{
	return p->withheld;
}

void
pipeline_add_sink(struct pipeline *p, pipeline_sink_fn fn, void *ctx)
{
	p->sinks = xrealloc(p->sinks, (p->nsinks + 1) * sizeof(*p->sinks));
	p->sinks[p->nsinks].fn = fn;
	p->sinks[p->nsinks].ctx = ctx;
	p->nsinks++;
}

const char *
pipeline_unknown_label(int fd, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "fd %d (opened before the trace)", fd);
	return buf;
}

static struct thread *
thread_find(struct pipeline *p, pid_t tid)
{
	struct thread *th;

	if (p->last != NULL && p->last->tid == tid)
		return p->last;
	th = p->tcache[(unsigned)tid % TCACHE_SIZE];
	if (th != NULL && th->tid == tid) {
		p->last = th;
		return th;
	}
	HASH_FIND(hh, p->threads, &tid, sizeof(tid), th);
	if (th != NULL) {
		p->last = th;
		p->tcache[(unsigned)tid % TCACHE_SIZE] = th;
	}
	return th;
}

/* The process's argv (len bytes of strings with their NULs; cut: the
   strings the source cut), and its command line from it. */
static void
proc_set_argv(struct proc *pr, const char *argv, size_t len, uint64_t cut,
    bool trunc)
{
	struct io_event tmp;

	free(pr->argv);
	free(pr->cmdline);
	pr->argv = NULL;
	pr->argv_len = 0;
	pr->argv_cut = 0;
	pr->cmdline = NULL;
	if (argv == NULL || len == 0)
		return;
	pr->argv = xmalloc(len + 1);
	memcpy(pr->argv, argv, len);
	pr->argv[len] = '\0';
	pr->argv_len = argv[len - 1] == '\0' ? len : len + 1;
	pr->argv_cut = cut;
	io_event_init(&tmp);
	tmp.data = argv;
	tmp.data_len = len;
	tmp.argv_cut = cut;
	tmp.data_trunc = trunc;
	pr->cmdline = io_event_argv_join(&tmp);
}

static void
proc_copy_argv(struct proc *to, const struct proc *from)
{
	if (from->argv != NULL) {
		proc_set_argv(to, from->argv, from->argv_len, from->argv_cut,
		    false);
		if (from->cmdline != NULL) {	/* keep its " ..." */
			free(to->cmdline);
			to->cmdline = xstrdup(from->cmdline);
		}
	} else if (from->cmdline != NULL) {
		free(to->cmdline);
		to->cmdline = xstrdup(from->cmdline);
	}
}

static struct proc *
proc_new(struct pipeline *p, pid_t pid, struct fdtable *fds)
{
	struct proc *pr = xcalloc(1, sizeof(*pr));

	pr->pid = pid;
	pr->fds = fds ? fds : fdtable_new();
	HASH_ADD(hh, p->procs, pid, sizeof(pid), pr);
	if (p->has_res && p->res.proc_info != NULL) {
		char comm[64], cmd[4096];

		memset(cmd, 0, sizeof(cmd));
		if (p->res.proc_info(p->res.ctx, pid, comm, sizeof(comm), cmd,
		    sizeof(cmd))) {
			size_t n = 0;

			pr->comm = xstrdup(comm);
			while (n + 1 < sizeof(cmd) && !(cmd[n] == '\0' &&
			    (n == 0 || cmd[n - 1] == '\0')))
				n++;
			/* n: the end of the last string's NUL + 1, or 0 */
			if (n > 0)
				proc_set_argv(pr, cmd, n, 0, false);
		}
	}
	return pr;
}

/* Out of the table, kept for the end.  Once only: a pid reused while the
   old process still had threads in the log buries it first, and its last
   thread's exit must not bury it again. */
static void
proc_bury(struct pipeline *p, struct proc *pr)
{
	if (pr->buried)
		return;
	pr->buried = true;
	HASH_DEL(p->procs, pr);
	p->dead = xrealloc(p->dead, (p->ndead + 1) * sizeof(*p->dead));
	p->dead[p->ndead++] = pr;
}

static struct thread *
thread_add(struct pipeline *p, pid_t tid, struct proc *pr)
{
	struct thread *th = xcalloc(1, sizeof(*th));

	th->tid = tid;
	th->proc = pr;
	pr->nthreads++;
	HASH_ADD(hh, p->threads, tid, sizeof(tid), th);
	return th;
}

static void
thread_del(struct pipeline *p, struct thread *th)
{
	struct proc *pr = th->proc;

	if (p->last == th)
		p->last = NULL;
	if (p->tcache[(unsigned)th->tid % TCACHE_SIZE] == th)
		p->tcache[(unsigned)th->tid % TCACHE_SIZE] = NULL;
	HASH_DEL(p->threads, th);
	free(th);
	if (--pr->nthreads <= 0)
		proc_bury(p, pr);
}

/* The thread record for an event, creating its process when unseen. */
static struct thread *
thread_get(struct pipeline *p, pid_t pid, pid_t tid)
{
	struct thread *th = thread_find(p, tid);
	struct proc *pr;

	if (th != NULL)
		return th;
	if (pid <= 0)
		pid = tid;
	HASH_FIND(hh, p->procs, &pid, sizeof(pid), pr);
	if (pr == NULL) {
		pr = proc_new(p, pid, NULL);
		pr->implicit = true;
	}
	return thread_add(p, tid, pr);
}

bool
pipeline_fd_known(struct pipeline *p, pid_t tid, int fd)
{
	struct thread *th = thread_find(p, tid);

	return th != NULL && fdtable_get(th->proc->fds, fd) != NULL;
}

const char *
pipeline_comm_of(struct pipeline *p, pid_t tid)
{
	struct thread *th = thread_find(p, tid);

	return th ? th->proc->comm : NULL;
}

pid_t
pipeline_pid_of(struct pipeline *p, pid_t tid)
{
	struct thread *th = thread_find(p, tid);

	return th ? th->proc->pid : tid;
}

void
pipeline_set_cwd(struct pipeline *p, pid_t pid, const char *dir)
{
	struct thread *th = thread_get(p, pid, pid);

	free(th->proc->cwd);
	th->proc->cwd = dir != NULL && dir[0] == '/' ? xstrdup(dir) : NULL;
}

void
pipeline_name_process(struct pipeline *p, pid_t pid, const char *comm,
    const char *cmdline)
{
	struct thread *th = thread_get(p, pid, pid);

	if (comm != NULL) {
		free(th->proc->comm);
		th->proc->comm = xstrdup(comm);
	}
	if (cmdline != NULL) {
		free(th->proc->cmdline);
		th->proc->cmdline = xstrdup(cmdline);
	}
}

/* Join dir and a relative path into buf. */
static const char *
join(const char *dir, const char *rel, char *buf, size_t bufsz)
{
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	if (strcmp(dir, "/") == 0)
		snprintf(buf, bufsz, "/%s", rel);
	else
		snprintf(buf, bufsz, "%s/%s", dir, rel);
	return buf;
}

/* The directory an *at call's dirfd names, or NULL. */
static const char *
dir_of(struct pipeline *p, struct proc *pr, int dirfd, char *buf, size_t bufsz)
{
	const struct fd_entry *e;
	bool deleted = false;

	if (dirfd == AT_FDCWD) {
		if (pr->cwd != NULL)
			return pr->cwd;
		if (p->has_res && p->res.fd_path != NULL)
			return p->res.fd_path(p->res.ctx, pr->pid, AT_FDCWD, buf,
			    bufsz, &deleted);
		return NULL;
	}
	e = fdtable_get(pr->fds, dirfd);
	if (e != NULL && e->path != NULL && e->path[0] == '/' && !e->unknown)
		return e->path;
	return NULL;
}

/* Make a path argument absolute when the dirfd tells how, and clean
   ("./x", "x/" and "x" name one file; "//tmp/./a" is "/tmp/a"). */
static const char *
absolute(struct pipeline *p, struct proc *pr, int dirfd, const char *path,
    char *buf, size_t bufsz)
{
	char dbuf[PATHBUF], clean[PATHBUF];
	const char *dir, *r = path;
	size_t n;

	if (path == NULL || path[0] == '\0')
		return path;
	if (path[0] != '/') {
		/* no dirfd (open, rename, unlink... as a log gives them): the
		   working directory, as for AT_FDCWD */
		dir = dir_of(p, pr, dirfd < 0 ? AT_FDCWD : dirfd, dbuf,
		    sizeof(dbuf));
		if (dir != NULL)
			r = join(dir, path, buf, bufsz);
	}
	/* an absolute path's ".." folded: mv ../f.tmp ../f from a
	   subdirectory names the file the other calls name without it */
	if (!util_path_clean(r, clean, sizeof(clean)))
		return r;
	n = strlen(clean);
	if (n >= bufsz)
		return r;
	memcpy(buf, clean, n + 1);
	return buf;
}


/* The fd whose file a link call links, when it names one rather than a
   path: linkat's AT_EMPTY_PATH (the dirfd itself), or a path
   /proc/self/fd/N or /proc/PID/fd/N of the caller; else -1. */
static int
link_source_fd(const struct io_event *ev, pid_t pid)
{
	const char *s = ev->path, *q;
	char pfx[32];
	size_t n;
	long v = 0;

	if (ev->sys == IOSYS_LINKAT && (ev->flags & 0x1000 /* AT_EMPTY_PATH */)
	    && (s == NULL || s[0] == '\0'))
		return ev->fd >= 0 ? ev->fd : -1;
	if (s == NULL)
		return -1;
	snprintf(pfx, sizeof(pfx), "/proc/%d/fd/", (int)pid);
	n = strlen(pfx);
	if (strncmp(s, "/proc/self/fd/", 14) == 0)
		q = s + 14;
	else if (strncmp(s, pfx, n) == 0)
		q = s + n;
	else
		return -1;
	if (*q < '0' || *q > '9')
		return -1;
	for (; *q >= '0' && *q <= '9' && v < 1 << 24; q++)
		v = v * 10 + (*q - '0');
	return *q == '\0' && v < 1 << 24 ? (int)v : -1;
}

/*
 * Where a successful chdir went.  A source that answers for the moment of
 * the call (ptrace, stopped at its exit) says it: the kernel's own path.
 * Else the argument from the known directory, ".." folded; else a late
 * answer of the resolver; else the argument as given.
 */
static const char *
chdir_target(struct pipeline *p, struct proc *pr, const struct io_event *ev,
    char *buf, size_t bufsz)
{
	bool deleted = false, res = p->has_res && p->res.fd_path != NULL;
	const char *r;

	if (!io_event_ok(ev) || ev->path == NULL)
		return ev->path;
	if (!(res && p->res.exact) && (ev->path[0] == '/' || pr->cwd != NULL))
		return absolute(p, pr, AT_FDCWD, ev->path, buf, bufsz);
	if (!res)
		return ev->path;
	r = p->res.fd_path(p->res.ctx, pr->pid, AT_FDCWD, buf, bufsz, &deleted);
	return r != NULL && r[0] == '/' ? r : ev->path;
}

/*
 * The name of the unnamed file an O_TMPFILE open made in directory dir:
 * the name the source gave it when it is one ("/tmp/#1234", strace -y and
 * /proc say so, " (deleted)" dropped), else "DIR/#tmpfile-N", one per
 * open: never the directory.
 */
static const char *
tmpfile_name(struct pipeline *p, const char *dir, char *buf, size_t bufsz)
{
	const char *base = dir != NULL ? strrchr(dir, '/') : NULL;
	size_t n;

	p->tmpfiles++;
	if (base != NULL && base[1] == '#') {
		n = strlen(dir);
		if (n > 10 && strcmp(dir + n - 10, " (deleted)") == 0)
			n -= 10;
		if (n >= bufsz)
			return dir;
		memmove(buf, dir, n);
		buf[n] = '\0';
		return buf;
	}
	if (dir == NULL || dir[0] == '\0')
		dir = ".";
	snprintf(buf, bufsz, "%s/#tmpfile-%llu", strcmp(dir, "/") == 0 ? "" :
	    dir, (unsigned long long)p->tmpfiles);
	return buf;
}

/*
 * The path of fd for this event.  A path the source already gave (strace -y)
 * wins and is learned; else the table; else the resolver; else a label.
 */
static const char *
fd_path(struct pipeline *p, struct proc *pr, int fd, const char *given,
    bool given_deleted, bool *deleted, bool *unknown, char *buf, size_t bufsz)
{
	const struct fd_entry *e;

	*deleted = false;
	*unknown = false;
	if (fd < 0)
		return given;
	e = fdtable_get(pr->fds, fd);
	if (e == NULL && given == NULL && p->badfd)
		return NULL;
	if (given != NULL) {
		if (e == NULL || e->unknown || e->path == NULL ||
		    strcmp(e->path, given) != 0) {
			fdtable_set(pr->fds, fd, given, e ? e->cloexec : false);
		}
		if (given_deleted)
			fdtable_unlinked(pr->fds, given, false);
		*deleted = given_deleted;
		return given;
	}
	if (e == NULL && p->has_res && p->res.fd_path != NULL) {
		bool del = false;
		const char *r = p->res.fd_path(p->res.ctx, pr->pid, fd, buf,
		    bufsz, &del);

		if (r != NULL) {
			fdtable_set(pr->fds, fd, r, false);
			if (del)
				fdtable_unlinked(pr->fds, r, false);
			e = fdtable_get(pr->fds, fd);
		}
	}
	if (e == NULL) {
		fdtable_set_unknown(pr->fds, fd);
		e = fdtable_get(pr->fds, fd);
	}
	if (e == NULL || e->unknown || e->path == NULL) {
		*unknown = true;
		return pipeline_unknown_label(fd, buf, bufsz);
	}
	*deleted = e->deleted;
	/* a copy: close/dup effects may free the table's string before the
	   sinks see the event */
	{
		size_t l = strlen(e->path);

		if (l >= bufsz)
			l = bufsz - 1;
		memcpy(buf, e->path, l);
		buf[l] = '\0';
	}
	return buf;
}

/*
 * The name of a new fd the source did not name.  A pipe or socket without
 * its inode is named by the process and the fds it got ("pipe:[pid 7 fds
 * 3,4]"), never an empty "[]" that every such fd would share; the ends of
 * a socketpair say so.
 */
static const char *
fdnew_label(const struct io_event *ev, pid_t pid, char *buf, size_t bufsz)
{
	switch (ev->sys) {
	case IOSYS_PIPE:
	case IOSYS_PIPE2:
		snprintf(buf, bufsz, "pipe:[pid %d fds %d,%d]", (int)pid, ev->fd,
		    ev->fd2);
		return buf;
	case IOSYS_SOCKETPAIR:
		snprintf(buf, bufsz, "socketpair:[pid %d fds %d,%d]", (int)pid,
		    ev->fd, ev->fd2);
		return buf;
	case IOSYS_SOCKET:
	case IOSYS_ACCEPT:
	case IOSYS_ACCEPT4:
		snprintf(buf, bufsz, "socket:[pid %d fd %lld]", (int)pid,
		    (long long)ev->ret);
		return buf;
	case IOSYS_MEMFD_CREATE:
		snprintf(buf, bufsz, "/memfd:%s", ev->path ? ev->path : "");
		return buf;
	case IOSYS_EVENTFD:
		return "anon_inode:[eventfd]";
	case IOSYS_EPOLL_CREATE:
		return "anon_inode:[eventpoll]";
	case IOSYS_SIGNALFD:
		return "anon_inode:[signalfd]";
	case IOSYS_TIMERFD_CREATE:
		return "anon_inode:[timerfd]";
	case IOSYS_INOTIFY_INIT:
		return "anon_inode:inotify";
	case IOSYS_PIDFD_OPEN:
		return "anon_inode:[pidfd]";
	default:
		return "anon_inode:[?]";
	}
}

/*
 * Thread or process child of pr exists now (clone, fork, vfork): threads
 * join pr; a process gets pr's fd table, shared with CLONE_FILES, else a
 * copy.  A child whose own events came first (strace -f often prints them
 * before the parent's clone returns) was made implicitly: re-home it.
 */
static void
fork_effect(struct pipeline *p, struct proc *pr, pid_t child, uint64_t flags)
{
	bool is_thread = (flags & CLONE_THREAD) != 0;
	struct thread *cth = thread_find(p, child);
	struct proc *q;

	if (cth != NULL) {
		if (!cth->proc->implicit || cth->proc == pr)
			return;
		q = cth->proc;
		if (is_thread) {
			thread_del(p, cth);
			thread_add(p, child, pr);
		} else {
			struct fdtable *learned = q->fds;

			q->fds = (flags & CLONE_FILES) ?
			    fdtable_ref(pr->fds) : fdtable_copy(pr->fds);
			fdtable_unref(learned);
			q->implicit = false;
			if (q->cwd == NULL && pr->cwd != NULL)
				q->cwd = xstrdup(pr->cwd);
			if (q->comm == NULL && pr->comm != NULL)
				q->comm = xstrdup(pr->comm);
			if (q->cmdline == NULL && pr->cmdline != NULL)
				proc_copy_argv(q, pr);
		}
		return;
	}
	if (is_thread) {
		thread_add(p, child, pr);
		return;
	}
	HASH_FIND(hh, p->procs, &child, sizeof(child), q);
	if (q != NULL)
		proc_bury(p, q);	/* pid reuse */
	q = xcalloc(1, sizeof(*q));
	q->pid = child;
	q->fds = (flags & CLONE_FILES) ? fdtable_ref(pr->fds) :
	    fdtable_copy(pr->fds);
	q->comm = pr->comm ? xstrdup(pr->comm) : NULL;
	/* a copy: a child made with CLONE_FS (not a thread) that moves
	   moves its parent too, which is not followed */
	q->cwd = pr->cwd ? xstrdup(pr->cwd) : NULL;
	proc_copy_argv(q, pr);
	HASH_ADD(hh, p->procs, pid, sizeof(child), q);
	thread_add(p, child, q);
}

bool
pipeline_thread_known(struct pipeline *p, pid_t tid)
{
	return thread_find(p, tid) != NULL;
}

void
pipeline_fork_early(struct pipeline *p, pid_t parent, pid_t child,
    uint64_t flags)
{
	struct thread *th;

	if (child <= 0 || parent == child || thread_find(p, child) != NULL)
		return;
	th = thread_get(p, 0, parent);
	fork_effect(p, th->proc, child, flags);
}

/* Apply a successful call's effect on the tables. */
static void
apply_effects(struct pipeline *p, struct thread *th, struct io_event *ev)
{
	struct proc *pr = th->proc;
	int newfd;

	switch (ev->cls) {
	case IOC_OPEN:
		if (ev->ret >= 0 && ev->path2 != NULL) {
			fdtable_set(pr->fds, (int)ev->ret, ev->path2,
			    (ev->flags & O_CLOEXEC) != 0);
			if (ev->path2_deleted)
				fdtable_unlinked(pr->fds, ev->path2, true);
		}
		break;
	case IOC_FDNEW: {
		bool cx = (ev->flags & O_CLOEXEC) != 0;
		char lb[PATHBUF];
		const char *label = ev->path2 ? ev->path2 :
		    fdnew_label(ev, pr->pid, lb, sizeof(lb));

		if (ev->sys == IOSYS_PIPE || ev->sys == IOSYS_PIPE2 ||
		    ev->sys == IOSYS_SOCKETPAIR) {
			if (ev->fd >= 0)
				fdtable_set(pr->fds, ev->fd, label, cx);
			if (ev->fd2 >= 0)
				fdtable_set(pr->fds, ev->fd2, label, cx);
		} else if (ev->ret >= 0)
			fdtable_set(pr->fds, (int)ev->ret, label, cx);
		break;
	}
	case IOC_CLOSE:
		if (ev->sys == IOSYS_CLOSE)
			fdtable_close(pr->fds, ev->fd);
		else
			fdtable_close_range(pr->fds, ev->fd, ev->fd2,
			    (ev->flags & CLOSE_RANGE_CLOEXEC) != 0);
		break;
	case IOC_DUP:
		if (ev->sys == IOSYS_FCNTL) {
			if (ev->cmd == F_DUPFD || ev->cmd == F_DUPFD_CLOEXEC)
				fdtable_dup(pr->fds, ev->fd, (int)ev->ret,
				    ev->cmd == F_DUPFD_CLOEXEC);
			else if (ev->cmd == F_SETFD)
				fdtable_set_cloexec(pr->fds, ev->fd,
				    (ev->flags & FD_CLOEXEC) != 0);
			break;
		}
		newfd = ev->sys == IOSYS_DUP ? (int)ev->ret : ev->fd2;
		fdtable_dup(pr->fds, ev->fd, newfd,
		    ev->sys == IOSYS_DUP3 && (ev->flags & O_CLOEXEC));
		break;
	case IOC_RENAME:
		if (ev->path != NULL && ev->path2 != NULL)
			{
				struct proc *it, *tmp;

				HASH_ITER(hh, p->procs, it, tmp)
					fdtable_renamed(it->fds, ev->path, ev->path2);
			}
		break;
	case IOC_UNLINK:
		if (ev->path != NULL) {
			struct proc *it, *tmp;

			HASH_ITER(hh, p->procs, it, tmp)
				fdtable_unlinked(it->fds, ev->path, it == pr);
		}
		break;
	case IOC_CWD: {
		/* the new directory, absolute, or unknown from here on */
		const char *d = ev->sys == IOSYS_FCHDIR ? ev->path : ev->path2;

		free(pr->cwd);
		pr->cwd = d != NULL && d[0] == '/' && !ev->path_deleted &&
		    !ev->fd_unknown ? xstrdup(d) : NULL;
		break;
	}
	case IOC_EXEC:
		/* a shared table (CLONE_FILES with another process) is
		   unshared by execve */
		if (pr->fds != NULL) {
			struct fdtable *own = fdtable_copy(pr->fds);

			fdtable_unref(pr->fds);
			pr->fds = own;
			fdtable_exec(pr->fds);
		}
		if (ev->path != NULL) {
			const char *base = strrchr(ev->path, '/');

			free(pr->comm);
			pr->comm = xstrndup(base ? base + 1 : ev->path, 15);
		}
		if (ev->data != NULL)
			proc_set_argv(pr, ev->data, ev->data_len, ev->argv_cut,
			    ev->data_trunc);
		break;
	case IOC_FORK:
		if (ev->ret > 0)
			fork_effect(p, pr, (pid_t)ev->ret, ev->flags);
		break;
	default:
		break;
	}
}

void
pipeline_event(struct pipeline *p, struct io_event *ev)
{
	struct thread *th;
	struct proc *pr;
	bool deleted, unknown;
	size_t i;

	if (ev->tid <= 0)
		ev->tid = ev->pid;
	th = thread_get(p, ev->pid, ev->tid);
	pr = th->proc;
	ev->pid = pr->pid;
	ev->comm = pr->comm;
	ev->cmdline = pr->cmdline;
	ev->proc_argv = pr->argv;
	ev->proc_argv_len = pr->argv_len;
	ev->proc_argv_cut = pr->argv_cut;
	if (ev->cls == IOC_OTHER && ev->sys != IOSYS_UNKNOWN)
		ev->cls = syscalls_class(ev->sys);

	/* a source that tells the working directory (strace -y) is right */
	if (ev->cwd != NULL && ev->cwd[0] == '/' &&
	    (pr->cwd == NULL || strcmp(pr->cwd, ev->cwd) != 0)) {
		free(pr->cwd);
		pr->cwd = xstrdup(ev->cwd);
	}

	/* resolve fds to paths (the state before the call) */
	p->badfd = ev->err == EBADF;
	switch (ev->cls) {
	case IOC_WRITE:
	case IOC_CLOSE:
	case IOC_SYNC:
		if (ev->sys == IOSYS_CLOSE_RANGE)
			break;
		ev->path = fd_path(p, pr, ev->fd, ev->path, ev->path_deleted,
		    &deleted, &unknown, p->buf1, sizeof(p->buf1));
		ev->path_deleted = deleted;
		ev->fd_unknown = unknown;
		if (ev->cls == IOC_WRITE)
			ev->path_nameless = fdtable_note_write(pr->fds, ev->fd,
			    io_event_ok(ev));
		if (ev->fd2 >= 0) {
			ev->path2 = fd_path(p, pr, ev->fd2, ev->path2,
			    ev->path2_deleted, &deleted, &unknown, p->buf2,
			    sizeof(p->buf2));
			ev->path2_deleted = deleted;
		}
		break;
	case IOC_TRUNCATE:
		if (ev->sys == IOSYS_FTRUNCATE) {
			ev->path = fd_path(p, pr, ev->fd, ev->path,
			    ev->path_deleted, &deleted, &unknown, p->buf1,
			    sizeof(p->buf1));
			ev->path_deleted = deleted;
			ev->fd_unknown = unknown;
		} else
			ev->path = absolute(p, pr, AT_FDCWD, ev->path, p->buf1,
			    sizeof(p->buf1));
		break;
	case IOC_DUP:
		ev->path = fd_path(p, pr, ev->fd, ev->path, ev->path_deleted,
		    &deleted, &unknown, p->buf1, sizeof(p->buf1));
		ev->path_deleted = deleted;
		ev->fd_unknown = unknown;
		break;
	case IOC_MAP:
		if (ev->sys == IOSYS_MMAP && ev->fd >= 0 &&
		    (ev->flags & 0x20 /* MAP_ANONYMOUS */) == 0) {
			ev->path = fd_path(p, pr, ev->fd, ev->path,
			    ev->path_deleted, &deleted, &unknown, p->buf1,
			    sizeof(p->buf1));
			ev->fd_unknown = unknown;
		}
		break;
	case IOC_INFO:
		if (ev->fd >= 0)
			ev->path = fd_path(p, pr, ev->fd, ev->path,
			    ev->path_deleted, &deleted, &unknown, p->buf1,
			    sizeof(p->buf1));
		else
			ev->path = absolute(p, pr, AT_FDCWD, ev->path, p->buf1,
			    sizeof(p->buf1));
		break;
	case IOC_OPEN:
		if (ev->path2 == NULL && io_event_ok(ev))
			ev->path2 = absolute(p, pr, ev->fd, ev->path, p->buf2,
			    sizeof(p->buf2));
		if ((ev->flags & TMPFILE_BIT) != 0 && io_event_ok(ev)) {
			ev->path2 = tmpfile_name(p, ev->path2, p->buf3,
			    sizeof(p->buf3));
			ev->path2_deleted = true;
		}
		break;
	case IOC_RENAME:
		ev->path = absolute(p, pr, ev->fd, ev->path, p->buf1,
		    sizeof(p->buf1));
		ev->path2 = absolute(p, pr, ev->fd2, ev->path2, p->buf2,
		    sizeof(p->buf2));
		break;
	case IOC_LINK:
		/* linkat(fd, "", ..., AT_EMPTY_PATH) and the O_TMPFILE idiom
		   linkat(AT_FDCWD, "/proc/self/fd/N", ..., AT_SYMLINK_FOLLOW)
		   name an open file: its fd's path */
		{
			int lfd = link_source_fd(ev, pr->pid);

			if (lfd >= 0)
				ev->path = fd_path(p, pr, lfd, NULL, false,
				    &deleted, &unknown, p->buf1, sizeof(p->buf1));
			else
				ev->path = absolute(p, pr, ev->fd, ev->path,
				    p->buf1, sizeof(p->buf1));
		}
		ev->path2 = absolute(p, pr, ev->fd2, ev->path2, p->buf2,
		    sizeof(p->buf2));
		break;
	case IOC_UNLINK:
		ev->path = absolute(p, pr, ev->fd, ev->path, p->buf1,
		    sizeof(p->buf1));
		break;
	case IOC_CWD:
		if (ev->sys == IOSYS_FCHDIR)
			ev->path = fd_path(p, pr, ev->fd, ev->path,
			    ev->path_deleted, &deleted, &unknown, p->buf1,
			    sizeof(p->buf1));
		else if (ev->path2 == NULL)	/* the argument stays as given */
			ev->path2 = chdir_target(p, pr, ev, p->buf2,
			    sizeof(p->buf2));
		break;
	default:
		break;
	}

	if (io_event_ok(ev)) {
		apply_effects(p, th, ev);
		/* execve replaced (freed) the names: point at the new ones */
		ev->comm = th->proc->comm;
		ev->cmdline = th->proc->cmdline;
		ev->proc_argv = th->proc->argv;
		ev->proc_argv_len = th->proc->argv_len;
		ev->proc_argv_cut = th->proc->argv_cut;
	}

	/* the filter narrows what is counted and shown, never the tables */
	if (p->filter != NULL && !filter_event(p->filter, ev))
		p->withheld++;
	else
		for (i = 0; i < p->nsinks; i++)
			p->sinks[i].fn(p->sinks[i].ctx, ev);

	/* a thread that is gone leaves the tables after the sinks saw it */
	if (ev->sys == IOSYS_PROC_EXIT || ev->sys == IOSYS_DETACH) {
		th = thread_find(p, ev->tid);
		if (th != NULL)
			thread_del(p, th);
	}
}
