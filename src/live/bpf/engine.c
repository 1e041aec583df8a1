/*
 * engine.c: the bpf engine's loader and event conversion.
 *
 * Loads iospy.bpf.c (built into a skeleton), fills its per-syscall table
 * from the tables the ptrace engine decodes with (model/syscalls.c), puts
 * the traced thread groups in its map and turns the records of its ring
 * buffer into struct io_event, the same stream the ptrace engine gives.
 *
 * What the kernel program cannot know is taken from /proc as the ptrace
 * engine does (live/procfs.c): fds opened before an attach come from one
 * read of /proc/PID/fd at the attach, a process's name from its comm.
 *
 * The program submits records without waking the reader unless the ring
 * fills past a mark (or a process ends); the loop polls it every POLL_MS
 * while records come and ever less often while none do, so an idle traced
 * process costs iospy a wake-up per POLL_IDLE_MS.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/types.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uthash.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "base/util.h"
#include "live/bpf/engine_int.h"
#include "live/launch.h"
#include "live/procfs.h"
#include "live/sockname.h"
#include "model/syscalls.h"
#include "src/live/bpf/iospy.skel.h"



/* ------------------------------------------------------------ tables */

static struct bthr *
thr_find(struct beng *b, pid_t tid)
{
	struct bthr *th;

	HASH_FIND(hh, b->threads, &tid, sizeof(tid), th);
	return th;
}

static struct bthr *
thr_get(struct beng *b, pid_t tid, pid_t tgid)
{
	struct bthr *th = thr_find(b, tid);

	if (th != NULL)
		return th;
	th = xcalloc(1, sizeof(*th));
	th->tid = tid;
	th->tgid = tgid;
	HASH_ADD(hh, b->threads, tid, sizeof(tid), th);
	return th;
}

static void
thr_del(struct beng *b, struct bthr *th)
{
	HASH_DEL(b->threads, th);
	free(th->path1);
	free(th->path2);
	free(th->argv);
	free(th);
}

static void
proc_add(struct beng *b, pid_t tgid)
{
	struct bproc *p;

	HASH_FIND(hh, b->procs, &tgid, sizeof(tgid), p);
	if (p != NULL)
		return;
	p = xcalloc(1, sizeof(*p));
	p->tgid = tgid;
	HASH_ADD(hh, b->procs, tgid, sizeof(tgid), p);
}

static void
proc_del(struct beng *b, pid_t tgid)
{
	struct bproc *p;

	HASH_FIND(hh, b->procs, &tgid, sizeof(tgid), p);
	if (p == NULL)
		return;
	HASH_DEL(b->procs, p);
	free(p);
}

/* ------------------------------------------------------------ resolver */

/* The fds pid has now, to name the ones its calls use before the trace
 * tells what they are.  pre_exec: pid is the launched command before its
 * exec (a fork of iospy), whose close-on-exec fds (iospy's own outputs,
 * the BPF objects) are gone once it runs: they are left out. */
static void
snapshot_fds(struct beng *b, pid_t pid, bool pre_exec)
{
	char dir[64];
	DIR *d;
	struct dirent *de;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char buf[PATH_MAX];
		bool del = false;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (pre_exec && procfs_fd_cloexec(pid, fd))
			continue;
		if (procfs_fd_path(NULL, pid, fd, buf, sizeof(buf), &del) == NULL)
			continue;
		b->snaps = xrealloc(b->snaps, (b->nsnaps + 1) * sizeof(*b->snaps));
		b->snaps[b->nsnaps].pid = pid;
		b->snaps[b->nsnaps].fd = fd;
		b->snaps[b->nsnaps].deleted = del;
		b->snaps[b->nsnaps].path = xstrdup(buf);
		b->nsnaps++;
	}
	closedir(d);
}

/* The working directory at the attach: relative paths are resolved from
 * it and the chdir calls that follow, not from a later look at /proc
 * (the records are read after the fact). */
static void
snapshot_cwd(struct beng *b, pid_t pid)
{
	char dir[PATH_MAX];
	bool deleted = false;
	const char *d = procfs_fd_path(NULL, pid, AT_FDCWD, dir, sizeof(dir),
	    &deleted);

	if (d != NULL && !deleted)
		pipeline_set_cwd(b->pl, pid, d);
}

/* An fd the pipeline has not seen: what it was at the attach (once), else
 * what /proc says now. */
static const char *
res_fd_path(void *ctx, pid_t pid, int fd, char *buf, size_t bufsz,
    bool *deleted)
{
	struct beng *b = ctx;
	size_t i;

	if (fd != AT_FDCWD) {
		for (i = 0; i < b->nsnaps; i++) {
			struct snap *s = &b->snaps[i];

			if (s->pid != pid || s->fd != fd || s->path == NULL)
				continue;
			snprintf(buf, bufsz, "%s", s->path);
			*deleted = s->deleted;
			free(s->path);
			s->path = NULL;
			return buf;
		}
	}
	return procfs_fd_path(NULL, pid, fd, buf, bufsz, deleted);
}

/* ------------------------------------------------------------ events */

static void
emit(struct beng *b, struct io_event *ev)
{
	pipeline_event(b->pl, ev);
	b->res->events++;
}

static int64_t
real_ns(struct beng *b, uint64_t mono)
{
	return (int64_t)mono + b->mono_to_real;
}

static void
emit_pseudo(struct beng *b, struct bthr *th, enum io_sys sys, int64_t ret,
    int sig, int64_t ts)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.tid = th->tid;
	ev.pid = th->tgid;
	ev.sys = sys;
	ev.cls = IOC_PSEUDO;
	ev.name = syscalls_name(sys);
	ev.abi = SYSCALLS_ABI_X86_64;
	ev.ts_ns = ts;
	ev.ret = ret;
	ev.sig = sig;
	emit(b, &ev);
}

static int
abi_of(uint32_t a)
{
	return a == IOSPY_ABI_32 ? SYSCALLS_ABI_I386 : SYSCALLS_ABI_X86_64;
}

/* The call's arguments and what its entry record read. */
static bool
start_event(struct beng *b, struct bthr *th, struct io_event *ev,
    const struct iospy_hdr *h, const __u64 rawargs[6],
    const struct syscalls_ent **entp)
{
	const struct syscalls_ent *ent = syscalls_lookup(abi_of(h->abi), h->nr);
	const struct syscalls_desc *d;
	uint64_t args[6];
	int i;

	for (i = 0; i < 6; i++)
		args[i] = rawargs[i];

	(void)b;
	if (ent == NULL)
		return false;
	io_event_init(ev);
	ev->tid = th->tid;
	ev->pid = th->tgid;
	ev->ts_ns = real_ns(b, h->ts);
	syscalls_decode_args(ev, ent->sys, abi_of(h->abi), ent->name, args);
	d = syscalls_desc(ent->sys);
	if (th->have_enter && th->enter_nr == h->nr && th->enter_abi == h->abi) {
		if (d->path_arg >= 0 && th->path1 != NULL &&
		    ent->sys != IOSYS_MEMFD_CREATE)
			ev->path = th->path1;
		if (d->path2_arg >= 0 && th->path2 != NULL)
			ev->path2 = th->path2;
		if (d->mem == SCM_OPEN_HOW) {
			ev->flags = th->how_flags;
			ev->mode = (uint32_t)th->how_mode;
		}
		if (d->mem == SCM_ARGV && th->argv != NULL) {
			ev->data = th->argv;
			ev->data_len = th->argv_len;
			ev->data_trunc = th->argv_trunc;
			ev->argv_cut = th->argv_cut;
			/* envc comes with the exec record (a failed
			   execve shows the pointer alone) */
			ev->addr = th->envp;
		}
		if (ev->cls == IOC_UNLINK && th->have_size &&
		    !(ev->flags & AT_REMOVEDIR))
			ev->size = th->unlink_size;
	}
	*entp = ent;
	return true;
}

static void
end_enter(struct bthr *th)
{
	th->have_enter = false;
	th->have_size = false;
}

static bool
needs_enter(enum io_sys sys)
{
	const struct syscalls_desc *d = syscalls_desc(sys);

	return d->path_arg >= 0 || d->mem == SCM_ARGV || d->mem == SCM_OPEN_HOW;
}

static void
on_enter(struct beng *b, const struct iospy_enter *e, size_t size)
{
	struct bthr *th = thr_get(b, (pid_t)e->h.tid, (pid_t)e->h.tgid);
	const char *p = (const char *)(e + 1);
	size_t avail = size - sizeof(*e);
	const struct syscalls_ent *ent;

	th->have_enter = true;
	th->have_size = false;
	th->enter_nr = e->h.nr;
	th->enter_abi = e->h.abi;
	th->how_flags = e->how_flags;
	th->how_mode = e->how_mode;
	if (e->len1 > 0 && e->len1 <= avail && e->len1 <= PATH_MAX) {
		if (th->path1 == NULL)
			th->path1 = xmalloc(PATH_MAX);
		memcpy(th->path1, p, e->len1);
		th->path1[e->len1 - 1] = '\0';
		p += e->len1;
		avail -= e->len1;
	} else if (th->path1 != NULL) {
		free(th->path1);
		th->path1 = NULL;
	}
	if (e->len2 > 0 && e->len2 <= avail && e->len2 <= PATH_MAX) {
		if (th->path2 == NULL)
			th->path2 = xmalloc(PATH_MAX);
		memcpy(th->path2, p, e->len2);
		th->path2[e->len2 - 1] = '\0';
		p += e->len2;
		avail -= e->len2;
	} else if (th->path2 != NULL) {
		free(th->path2);
		th->path2 = NULL;
	}
	th->argv_len = 0;
	th->argv_trunc = e->argv_trunc != 0;
	th->argv_cut = 0;
	ent = syscalls_lookup(abi_of(e->h.abi), e->h.nr);
	if (ent != NULL && syscalls_desc(ent->sys)->mem == SCM_ARGV) {
		size_t n = e->argv_len <= avail ? e->argv_len : avail;

		if (n > IOSPY_ARGV_MAX)
			n = IOSPY_ARGV_MAX;
		if (th->argv == NULL)
			th->argv = xmalloc(IOSPY_ARGV_MAX + 1);
		memcpy(th->argv, p, n);
		th->argv[n] = '\0';
		th->argv_len = n;	/* each string with its NUL */
		th->envp = e->args[syscalls_desc(ent->sys)->buf_arg + 1];
		if (e->h.abi == IOSPY_ABI_32)
			th->envp &= 0xffffffffu;
		if (e->argv_trunc && n >= IOSPY_ARGV_MAX - 1) {
			/* the buffer is full: the last string is cut */
			size_t k, idx = 0;

			for (k = 0; k + 1 < n; k++)
				idx += th->argv[k] == '\0';
			if (idx < 64)
				th->argv_cut = 1ULL << idx;
		}
	}
}

/* The absolute path of a new fd: the argument when absolute, else what
 * /proc says while it is (most likely) still open; else the pipeline joins
 * the cwd. */
static void
open_result_path(struct bthr *th, struct io_event *ev)
{
	char link[64];
	ssize_t n;

	if (ev->path != NULL && ev->path[0] == '/') {
		ev->path2 = ev->path;
		return;
	}
	/* a relative path is made absolute by the pipeline from the cwd;
	   the fd's /proc link is read only when the path is unknown (an
	   open that began before the attach): the records are read a
	   little after the fact, and by then the fd may be another file */
	if (ev->path != NULL)
		return;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)th->tid,
	    (int)ev->ret);
	n = readlink(link, th->pathbuf, sizeof(th->pathbuf) - 1);
	if (n <= 0 || th->pathbuf[0] != '/')
		return;
	th->pathbuf[n] = '\0';
	ev->path2 = th->pathbuf;
}

static void
on_call(struct beng *b, const struct iospy_call *c, size_t size)
{
	struct bthr *th = thr_get(b, (pid_t)c->h.tid, (pid_t)c->h.tgid);
	const struct syscalls_ent *ent;
	struct io_event ev;
	int64_t rv = c->ret;

	if (!start_event(b, th, &ev, &c->h, c->args, &ent)) {
		end_enter(th);
		return;
	}
	if (ev.cls != IOC_EXIT && needs_enter(ent->sys) &&
	    !(th->have_enter && th->enter_nr == c->h.nr) &&
	    ev.cls != IOC_OPEN) {
		/* began before the trace did: its paths are unknown (an
		   open that was waiting, on a FIFO say, still names its fd:
		   the path comes from /proc below) */
		end_enter(th);
		return;
	}
	if (ev.cls == IOC_EXIT) {
		ev.ret = IO_RET_UNKNOWN;
	} else if (rv < 0 && rv >= -4095) {
		ev.err = (int)-rv;
		ev.ret = -1;
	} else {
		if (c->h.abi == IOSPY_ABI_32)
			rv = (int64_t)(uint32_t)rv;
		ev.ret = rv;
		ev.err = 0;
	}
	if (b->cfg->Tflag && c->t_enter != 0)
		ev.dur_ns = (int64_t)(c->h.ts - c->t_enter);
	if (c->t_enter != 0)
		ev.ts_ns = real_ns(b, c->t_enter);
	if (ev.cls == IOC_WRITE) {
		const struct syscalls_desc *d = syscalls_desc(ev.sys);

		if (d->mem == SCM_IOV)
			ev.count = c->count;
		if (b->want_data && (d->mem == SCM_BUF || d->mem == SCM_IOV) &&
		    c->data_len <= size - sizeof(*c)) {
			ev.data = c->data_len > 0 ? (const char *)(c + 1) : "";
			ev.data_len = c->data_len;
			ev.data_trunc = c->data_trunc != 0;
		}
	}
	if (ev.err == 0) {
		switch (ev.cls) {
		case IOC_OPEN:
			open_result_path(th, &ev);
			break;
		case IOC_FDNEW:
			if (syscalls_desc(ev.sys)->mem == SCM_PIPEFDS) {
				ev.fd = c->fds[0];
				ev.fd2 = c->fds[1];
				/* both ends share the inode, as in /proc */
				if (ev.sys != IOSYS_SOCKETPAIR && c->ino != 0) {
					snprintf(th->pathbuf, sizeof(th->pathbuf),
					    "pipe:[%llu]", (unsigned long long)c->ino);
					ev.path2 = th->pathbuf;
				}
			} else if ((ev.sys == IOSYS_SOCKET ||
			    ev.sys == IOSYS_ACCEPT || ev.sys == IOSYS_ACCEPT4) &&
			    c->ino != 0 && ev.path2 == NULL) {
				snprintf(th->pathbuf, sizeof(th->pathbuf),
				    "socket:[%llu]", (unsigned long long)c->ino);
				ev.path2 = th->pathbuf;
				/* -yy: by protocol, from the call's arguments or
				   the /proc/net tables (found by the inode: never
				   another socket's) */
				if (ev.sys == IOSYS_SOCKET)
					sockname_from_args(th->pathbuf,
					    sizeof(th->pathbuf), ev.cmd,
					    (int)ev.flags);
				else
					(void)sockname_rewrite(ev.tid, th->pathbuf,
					    sizeof(th->pathbuf),
					    (ssize_t)strlen(th->pathbuf));
			} else if (ev.sys == IOSYS_MEMFD_CREATE &&
			    th->have_enter && th->path1 != NULL)
				ev.path = th->path1;
			break;
		default:
			break;
		}
	}
	if (th->pre_exec) {
		/* the launched child's own steps before its command runs */
		if (ev.cls == IOC_EXEC && th->tid == b->child && ev.err != 0)
			b->child_exec_err = ev.err;
		end_enter(th);
		return;
	}
	emit(b, &ev);
	end_enter(th);
}

static void
on_fork(struct beng *b, const struct iospy_fork *f)
{
	struct bthr *th = thr_get(b, (pid_t)f->h.tid, (pid_t)f->h.tgid);
	struct bthr *c;
	const struct syscalls_ent *ent;
	struct io_event ev;
	bool thread = f->child_tgid == f->h.tgid;

	c = thr_get(b, (pid_t)f->child_tid, (pid_t)f->child_tgid);
	c->tgid = (pid_t)f->child_tgid;
	c->pre_exec = th->pre_exec;
	if (!thread)
		proc_add(b, (pid_t)f->child_tgid);
	if (th->pre_exec)
		return;
	if (!start_event(b, th, &ev, &f->h, f->args, &ent) ||
	    ev.cls != IOC_FORK) {
		/* a fork without a fork call (from the kernel's side): say
		   what the child shares */
		io_event_init(&ev);
		ev.tid = th->tid;
		ev.pid = th->tgid;
		ev.ts_ns = real_ns(b, f->h.ts);
		ev.sys = IOSYS_CLONE;
		ev.cls = IOC_FORK;
		ev.name = "clone";
		ev.abi = abi_of(f->h.abi);
		ev.flags = thread ? 0x00010000 | 0x00000800 | 0x00000400 |
		    0x00000100 : SIGCHLD;
	}
	if (ev.sys == IOSYS_CLONE3)
		ev.flags = f->clone3_flags;
	ev.ret = (int64_t)f->child_tid;
	ev.err = 0;
	emit(b, &ev);
}

static void
on_exec(struct beng *b, const struct iospy_exec *x)
{
	struct bthr *th = thr_get(b, (pid_t)x->h.tid, (pid_t)x->h.tgid);
	struct bthr *old = th;
	const struct syscalls_ent *ent = NULL;
	struct io_event ev;
	__u64 args[6] = { 0, 0, 0, 0, 0, 0 };
	struct iospy_hdr h = x->h;

	if ((pid_t)x->old_tid != th->tid) {
		struct bthr *o = thr_find(b, (pid_t)x->old_tid);

		if (o != NULL)
			old = o;
	}
	h.nr = old->have_enter ? old->enter_nr : 59;
	h.abi = old->have_enter ? old->enter_abi : IOSPY_ABI_64;
	if (old != th) {
		/* the execing thread's call ends under the leader's tid */
		if (!old->pre_exec)
			emit_pseudo(b, old, IOSYS_PROC_EXIT, 0, 0,
			    real_ns(b, x->h.ts));
		th->have_enter = old->have_enter;
		th->enter_nr = old->enter_nr;
		th->enter_abi = old->enter_abi;
		free(th->path1);
		th->path1 = old->path1;
		old->path1 = NULL;
		free(th->argv);
		th->argv = old->argv;
		old->argv = NULL;
		th->argv_len = old->argv_len;
		th->argv_trunc = old->argv_trunc;
		th->argv_cut = old->argv_cut;
		th->envp = old->envp;
		th->pre_exec = old->pre_exec;
		thr_del(b, old);
	}
	if (th->tid == b->child) {
		b->child_execd = true;
		th->pre_exec = false;
	}
	th->pre_exec = false;
	if (!start_event(b, th, &ev, &h, args, &ent) || ev.cls != IOC_EXEC) {
		end_enter(th);
		return;
	}
	ev.ret = 0;
	ev.err = 0;
	ev.envc = x->envc;	/* counted by the kernel as it read them */
	if (ev.path == NULL) {
		/* began before the trace did: the new image from /proc */
		ssize_t n = procfs_cmdline(th->tgid, b->argvbuf,
		    sizeof(b->argvbuf));

		if (n > 0) {
			ev.data = b->argvbuf;
			ev.data_len = (size_t)n;
		}
	}
	emit(b, &ev);
	end_enter(th);
}

static void
on_gone(struct beng *b, const struct iospy_gone *g)
{
	struct bthr *th = thr_get(b, (pid_t)g->h.tid, (pid_t)g->h.tgid);
	int code = g->exit_code;
	int64_t ts = real_ns(b, g->h.ts);

	if (th->have_enter && !th->pre_exec) {
		/* a call that never returned: "= ?" */
		struct io_event ev;
		const struct syscalls_ent *ent;
		__u64 args[6] = { 0, 0, 0, 0, 0, 0 };
		struct iospy_hdr h = g->h;

		h.nr = th->enter_nr;
		h.abi = th->enter_abi;
		if (start_event(b, th, &ev, &h, args, &ent) &&
		    ev.cls != IOC_EXEC) {
			ev.ret = IO_RET_UNKNOWN;
			emit(b, &ev);
		}
	}
	end_enter(th);
	if (!th->pre_exec || th->tid == b->child) {
		if ((code & 0x7f) != 0)
			emit_pseudo(b, th, IOSYS_PROC_EXIT, IO_RET_UNKNOWN,
			    code & 0x7f, ts);
		else
			emit_pseudo(b, th, IOSYS_PROC_EXIT, (code >> 8) & 0xff,
			    0, ts);
	}
	if (g->group_dead) {
		proc_del(b, th->tgid);
		if (th->tgid == b->child)
			b->child_ended = true;
	}
	thr_del(b, th);
}

int
engine_on_record(void *ctx, void *data, size_t size)
{
	struct beng *b = ctx;
	const struct iospy_hdr *h = data;

	if (size < sizeof(*h))
		return 0;
	b->res->records++;
	switch (h->type) {
	case REC_CALL:
		if (size >= sizeof(struct iospy_call))
			on_call(b, data, size);
		break;
	case REC_ENTER:
		if (size >= sizeof(struct iospy_enter))
			on_enter(b, data, size);
		break;
	case REC_FORK:
		if (size >= sizeof(struct iospy_fork))
			on_fork(b, data);
		break;
	case REC_EXEC:
		if (size >= sizeof(struct iospy_exec))
			on_exec(b, data);
		break;
	case REC_GONE:
		if (size >= sizeof(struct iospy_gone))
			on_gone(b, data);
		break;
	case REC_SIGNAL:
		if (size >= sizeof(struct iospy_signal)) {
			struct bthr *th = thr_get(b, (pid_t)h->tid,
			    (pid_t)h->tgid);

			if (!th->pre_exec)
				emit_pseudo(b, th, IOSYS_SIGNAL, IO_RET_UNKNOWN,
				    ((const struct iospy_signal *)data)->sig,
				    real_ns(b, h->ts));
		}
		break;
	case REC_SIZE:
		if (size >= sizeof(struct iospy_size)) {
			struct bthr *th = thr_find(b, (pid_t)h->tid);

			if (th != NULL && th->have_enter) {
				th->have_size = true;
				th->unlink_size =
				    ((const struct iospy_size *)data)->size;
			}
		}
		break;
	default:
		break;
	}
	return 0;
}

static void
engine_init(struct beng *b, const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct bpf_result *res)
{
	struct pipeline_resolver r;
	struct timespec rt, mt;

	memset(b, 0, sizeof(*b));
	memset(res, 0, sizeof(*res));
	b->cfg = cfg;
	b->pl = pl;
	b->hooks = hooks;
	b->res = res;
	b->want_data = cfg->read_data;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mt);
	b->mono_to_real = ((int64_t)rt.tv_sec - (int64_t)mt.tv_sec) *
	    1000000000LL + ((int64_t)rt.tv_nsec - (int64_t)mt.tv_nsec);
	memset(&r, 0, sizeof(r));
	r.fd_path = res_fd_path;
	r.proc_info = procfs_proc_info;
	r.ctx = b;
	pipeline_set_resolver(pl, &r);
	signal(SIGCHLD, SIG_DFL);
	res->start_ns = util_now_ns();
}

static void
engine_fini(struct beng *b)
{
	struct bthr *th, *tmp;
	struct bproc *p, *ptmp;
	size_t i;

	if (b->skel != NULL)
		b->res->lost = b->skel->bss->lost_events;
	ring_buffer__free(b->rb);
	iospy_bpf__destroy(b->skel);
	HASH_ITER(hh, b->threads, th, tmp)
		thr_del(b, th);
	HASH_ITER(hh, b->procs, p, ptmp) {
		HASH_DEL(b->procs, p);
		free(p);
	}
	for (i = 0; i < b->nsnaps; i++)
		free(b->snaps[i].path);
	free(b->snaps);
	b->res->end_ns = util_now_ns();
}

/* Mark tgid traced (on) or not, in the flag array or, beyond it, the
   hash: as the program's set_traced does. */
static int
map_set(struct beng *b, pid_t tgid, bool on)
{
	__u32 k = (__u32)tgid;
	__u8 v = on;

	if (k < bpf_map__max_entries(b->skel->maps.tgid_flags))
		return bpf_map_update_elem(bpf_map__fd(b->skel->maps.tgid_flags),
		    &k, &v, BPF_ANY);
	if (on)
		return bpf_map_update_elem(bpf_map__fd(b->skel->maps.tgids),
		    &k, &v, BPF_ANY);
	(void)bpf_map_delete_elem(bpf_map__fd(b->skel->maps.tgids), &k);
	return 0;
}

static int
map_add(struct beng *b, pid_t tgid)
{
	proc_add(b, tgid);
	return map_set(b, tgid, true);
}

static void
map_del_all(struct beng *b)
{
	struct bproc *p, *tmp;

	HASH_ITER(hh, b->procs, p, tmp)
		(void)map_set(b, p->tgid, false);
}

/* ------------------------------------------------------------ the loop */

static void
drain(struct beng *b)
{
	ring_buffer__consume(b->rb);
}

/* True when no traced process is left (the ones whose end the ring buffer
 * did not bring are looked up in /proc). */
static bool
all_gone(struct beng *b)
{
	struct bproc *p, *tmp;

	if (b->child > 0 && !b->child_done)
		return false;
	HASH_ITER(hh, b->procs, p, tmp) {
		if (!procfs_thread_dead(p->tgid))
			return false;
	}
	return true;
}

/* Detach: stop tracing, tell the pipeline which threads it stops seeing. */
static void
detach_all(struct beng *b)
{
	struct bthr *th, *tmp;
	int64_t now = util_now_ns();

	map_del_all(b);
	drain(b);
	HASH_ITER(hh, b->threads, th, tmp) {
		if (procfs_thread_dead(th->tid))
			continue;
		if (!th->pre_exec)
			emit_pseudo(b, th, IOSYS_DETACH, 0, 0, now);
		if (!b->cfg->quiet)
			fprintf(stderr, "iospy: Process %d detached\n",
			    (int)th->tid);
		thr_del(b, th);
	}
}

/* Poll until every traced process is gone, the deadline passes or the
 * run must end; true if it ended by a stop request or the deadline. */
static bool
run_loop(struct beng *b, int64_t deadline)
{
	int64_t next_tick = 0, next_check = 0;
	int wait_ms = POLL_MS;

	if (b->hooks->tick != NULL && b->hooks->interval_ns > 0)
		next_tick = util_mono_ns() + b->hooks->interval_ns;
	for (;;) {
		int64_t now = util_mono_ns(), left;
		int got, ms = wait_ms;

		/* never sleep past the next tick or the deadline */
		if (next_tick != 0 && (left = (next_tick - now) / 1000000) < ms)
			ms = left > 0 ? (int)left : 0;
		if (deadline != 0 && (left = (deadline - now) / 1000000) < ms)
			ms = left > 0 ? (int)left : 0;
		/* the command's exit record comes just before it can be
		   reaped: look again soon, not at the next poll */
		if (b->child_ended && !b->child_done)
			ms = 1;
		got = ring_buffer__poll(b->rb, ms);
		/* an idle process: the waits double up to POLL_IDLE_MS (an
		   exit wakes the loop at once); records: back to POLL_MS */
		if (got > 0)
			wait_ms = POLL_MS;
		else if (got == 0 && wait_ms < POLL_IDLE_MS)
			wait_ms = wait_ms * 2 > POLL_IDLE_MS ? POLL_IDLE_MS :
			    wait_ms * 2;
		drain(b);
		if (b->child > 0 && !b->child_done) {
			int st;

			if (waitpid(b->child, &st, WNOHANG) == b->child) {
				b->child_done = true;
				b->child_status = st;
				drain(b);
			}
		}
		now = util_mono_ns();
		if (next_tick != 0 && now >= next_tick) {
			b->hooks->tick(b->hooks->tick_ctx, util_now_ns());
			next_tick = now + b->hooks->interval_ns;
		}
		if (*b->hooks->stop)
			return true;
		if (deadline != 0 && now >= deadline)
			return true;
		if (b->procs == NULL || now >= next_check) {
			next_check = now + 200000000LL;
			if (all_gone(b)) {
				drain(b);
				return false;
			}
		}
	}
}

/* ------------------------------------------------------------ launch */

bool
bpf_engine_built(char *why, size_t whysz)
{
	(void)why;
	(void)whysz;
	return true;
}

int
bpf_engine_launch(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct bpf_result *res,
    char *err, size_t errsz)
{
	struct beng b;
	char path[PATH_MAX];
	struct launch l;
	int e, rc = 0;
	pid_t pid;
	struct bthr *th;
	bool stopped;

	engine_init(&b, cfg, pl, hooks, res);
	if (cfg->argv == NULL || cfg->argv[0] == NULL) {
		snprintf(err, errsz, "no command to run");
		engine_fini(&b);
		return -1;
	}
	if (engine_load(&b, err, errsz) != 0) {
		engine_fini(&b);
		return BPF_ENGINE_UNAVAILABLE;
	}
	e = launch_find_command(cfg->argv[0], path, sizeof(path));
	if (e != 0) {
		res->exit_status = launch_command_error(cfg->argv[0], e, err,
		    errsz);
		engine_fini(&b);
		return -1;
	}
	if (launch_fork(&l, cfg, path, cfg->argv, NULL, err, errsz) != 0) {
		engine_fini(&b);
		return -1;
	}
	pid = l.pid;
	b.child = pid;
	th = thr_get(&b, pid, pid);
	th->pre_exec = true;
	launch_name_process(pl, pid, cfg->argv);
	if (map_add(&b, pid) != 0) {
		snprintf(err, errsz, "cannot add %d to the BPF map: %s",
		    (int)pid, strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		launch_close(&l);
		res->exit_status = 1;
		engine_fini(&b);
		return -1;
	}
	/* what the command inherits from iospy: known before it runs */
	snapshot_fds(&b, pid, true);
	/* the pid is in the map: only now may the command start */
	(void)launch_go(&l);
	launch_close(&l);
	stopped = run_loop(&b, cfg->duration > 0 ? util_mono_ns() +
	    (int64_t)(cfg->duration * 1e9) : 0);
	if (stopped && !*hooks->stop && !b.child_done)
		res->duration_passed = true;
	else if (stopped && !b.child_done) {
		/* Asked to stop (^C): the command got the terminal's signal
		   too.  Trace it a little longer, so that its end is seen as
		   it is (killed by the signal, or its exit); a second
		   request, or STOP_GRACE_MS, and it runs on untraced. */
		*hooks->stop = 0;
		stopped = run_loop(&b, util_mono_ns() +
		    (int64_t)STOP_GRACE_MS * 1000000);
	}
	if (stopped) {
		/* asked to stop: the command runs on untraced (nothing of
		   iospy stays in it) */
		*hooks->stop = 0;
		detach_all(&b);
		res->detached = !b.child_done;
	}
	if (b.child_done) {
		if (WIFSIGNALED(b.child_status))
			res->exit_status = 128 + WTERMSIG(b.child_status);
		else
			res->exit_status = WEXITSTATUS(b.child_status);
	} else
		res->exit_status = 1;
	if (b.child_exec_err != 0 && !b.child_execd) {
		snprintf(err, errsz, "%s: %s", cfg->argv[0],
		    strerror(b.child_exec_err));
		rc = -1;
	}
	engine_fini(&b);
	return rc;
}

/* ------------------------------------------------------------ attach */

static int
add_threads(struct beng *b, pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atoi(de->d_name);

		if (tid <= 0 || thr_find(b, tid) != NULL)
			continue;
		thr_get(b, tid, pid);
		if (!b->cfg->quiet)
			fprintf(stderr, "iospy: Process %d attached\n", (int)tid);
	}
	closedir(d);
	return 0;
}

int
bpf_engine_attach(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct bpf_result *res,
    char *err, size_t errsz)
{
	struct beng b;
	size_t i;
	int rc = 0;
	int64_t deadline = 0;

	engine_init(&b, cfg, pl, hooks, res);
	if (engine_load(&b, err, errsz) != 0) {
		engine_fini(&b);
		return BPF_ENGINE_UNAVAILABLE;
	}
	for (i = 0; i < cfg->npids && rc == 0; i++) {
		pid_t pid = cfg->pids[i];

		if (pid == getpid()) {
			snprintf(err, errsz, "attach to %d: that is iospy itself",
			    (int)pid);
			rc = -1;
			break;
		}
		if (kill(pid, 0) != 0 && errno == ESRCH) {
			snprintf(err, errsz, "attach to %d: no such process",
			    (int)pid);
			rc = -1;
			break;
		}
		pid = procfs_tgid(pid);	/* -p may name any thread */
		/* in the map first: from here on nothing is missed; then
		   what was open before, once */
		if (map_add(&b, pid) != 0) {
			snprintf(err, errsz, "attach to %d: cannot add it to "
			    "the BPF map: %s", (int)pid, strerror(errno));
			rc = -1;
			break;
		}
		snapshot_fds(&b, pid, false);
		snapshot_cwd(&b, pid);
		if (add_threads(&b, pid) != 0) {
			snprintf(err, errsz, "attach to %d: no such process",
			    (int)pid);
			rc = -1;
		}
	}
	if (rc == 0) {
		if (cfg->duration > 0)
			deadline = util_mono_ns() + (int64_t)(cfg->duration * 1e9);
		if (run_loop(&b, deadline))
			*hooks->stop = 0;
	}
	detach_all(&b);
	engine_fini(&b);
	return rc;
}
