/*
 * decode.c: syscall-stops into events.
 *
 * The call's number and arguments come from PTRACE_GET_SYSCALL_INFO (or
 * the registers on kernels without it); paths, buffers, iovecs and argv
 * from tracee memory (umem.c).  The event is filled at the entry, where
 * the arguments are still what the caller passed, and goes out at the
 * exit with the result; exit and exit_group, which never return, go out
 * at their entry.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "base/util.h"
#include "live/settings.h"
#include "live/procfs.h"
#include "live/sockname.h"
#include "live/ptrace/engine.h"
#include "live/ptrace/umem.h"
#include "live/unwind.h"
#include "model/pipeline.h"
#include "model/syscalls.h"

#define DATA_MIN 4096		/* room for execve's argv */
#define IOV_MAX_READ 1024	/* UIO_MAXIOV */

/* ------------------------------------------------------------ decoding */

void
ensure_data(struct thr *th, size_t need)
{
	if (th->datasz >= need)
		return;
	if (need < DATA_MIN)
		need = DATA_MIN;
	free(th->data);
	th->data = xmalloc(need);
	th->datasz = need;
}

static uint64_t
abi_word(int abi, uint64_t v)
{
	return abi == SYSCALLS_ABI_I386 ? (v & 0xffffffffu) : v;
}

/* The first strsize bytes of the write's buffer into ev->data. */
static void
read_buf(struct tracer *t, struct thr *th, uint64_t addr)
{
	struct io_event *ev = &th->ev;
	size_t want = (size_t)t->cfg->strsize;
	ssize_t n;

	/* only the event log shows data: with none, read nothing (one
	   process_vm_readv saved per write) */
	if (!t->cfg->read_data)
		return;
	if ((uint64_t)want > ev->count)
		want = (size_t)ev->count;
	ev->data_trunc = ev->count > (uint64_t)t->cfg->strsize;
	if (want == 0) {
		ev->data = "";
		ev->data_len = 0;
		return;
	}
	ensure_data(th, want + 1);
	n = umem_read(th->lt.tid, addr, th->data, want);
	if (n < 0)
		return;
	ev->data = th->data;
	ev->data_len = (size_t)n;
	if ((size_t)n < want)
		ev->data_trunc = true;
}

/* writev/pwritev: sum the iovec lengths and preview the first bytes. */
static void
read_iov(struct tracer *t, struct thr *th, uint64_t addr)
{
	struct io_event *ev = &th->ev;
	int cnt = ev->iovcnt, i;
	size_t esz = th->lt.abi == SYSCALLS_ABI_I386 ? 8 : 16;
	unsigned char raw[64 * 16];
	size_t want = (size_t)t->cfg->strsize, got = 0;
	uint64_t total = 0;
	int done = 0;

	if (cnt <= 0 || cnt > IOV_MAX_READ)
		return;
	ensure_data(th, want + 1);
	while (done < cnt) {
		int chunk = cnt - done;
		ssize_t n;

		if ((size_t)chunk * esz > sizeof(raw))
			chunk = (int)(sizeof(raw) / esz);
		n = umem_read(th->lt.tid, addr + (uint64_t)done * esz, raw,
		    (size_t)chunk * esz);
		if (n < (ssize_t)((size_t)chunk * esz))
			return;
		for (i = 0; i < chunk; i++) {
			uint64_t base, len;

			if (esz == 8) {
				uint32_t b32, l32;

				memcpy(&b32, raw + i * 8, 4);
				memcpy(&l32, raw + i * 8 + 4, 4);
				base = b32;
				len = l32;
			} else {
				memcpy(&base, raw + i * 16, 8);
				memcpy(&len, raw + i * 16 + 8, 8);
			}
			total += len;
			if (got < want && len > 0) {
				size_t take = want - got;
				ssize_t r;

				if ((uint64_t)take > len)
					take = (size_t)len;
				r = umem_read(th->lt.tid, base, th->data + got, take);
				if (r > 0)
					got += (size_t)r;
			}
		}
		done += chunk;
	}
	ev->count = total;
	ev->data = th->data;
	ev->data_len = got;
	ev->data_trunc = total > got;
}

#define ARGV_DATA_MAX (64u << 10)	/* argv bytes kept of one execve */
#define ARGV_MAX_ELEMS 65536	/* argv / envp pointers counted at most */

/*
 * execve: the argv strings into ev->data, each ended by its NUL (a string
 * that does not fit is kept cut, its bit set in argv_cut, and the rest of
 * the array is counted as missing), and the number of environment strings
 * into ev->envc, envp into ev->addr: strace prints "0x7ffd... /\* 23 vars *\/".
 */
static void
read_argv(struct thr *th, uint64_t addr, uint64_t envp)
{
	struct io_event *ev = &th->ev;
	size_t psz = th->lt.abi == SYSCALLS_ABI_I386 ? 4 : 8;
	size_t len = 0;
	int i;

	ensure_data(th, ARGV_DATA_MAX);
	for (i = 0; i < ARGV_MAX_ELEMS && addr != 0; i++) {
		uint64_t p = 0;
		ssize_t n;
		int trunc;

		if (umem_read(th->lt.tid, addr + (uint64_t)i * psz, &p, psz) !=
		    (ssize_t)psz)
			break;
		if (p == 0)
			break;
		if (len + 2 > th->datasz) {
			ev->data_trunc = true;
			break;
		}
		n = umem_read_str(th->lt.tid, p, th->data + len,
		    th->datasz - len, &trunc);
		if (n < 0)
			break;
		len += (size_t)n + 1;	/* with its NUL */
		if (trunc) {
			if (i < 64)
				ev->argv_cut |= 1ULL << i;
			ev->data_trunc = true;
			break;
		}
	}
	ev->data = th->data;
	ev->data_len = len;
	ev->addr = envp;
	if (envp != 0) {
		for (i = 0; i < ARGV_MAX_ELEMS; i++) {
			uint64_t p = 0;

			if (umem_read(th->lt.tid, envp + (uint64_t)i * psz, &p,
			    psz) != (ssize_t)psz) {
				i = -1;
				break;
			}
			if (p == 0)
				break;
		}
		ev->envc = i < ARGV_MAX_ELEMS ? i : -1;
	} else
		ev->envc = 0;
}

/*
 * The size of a regular file about to be unlinked (ev->size), so the
 * report can say how many bytes a deleted log backup held.  One lstat per
 * unlink, through the tracee's own root, cwd or dirfd in /proc.
 */
static void
unlink_size(struct thr *th)
{
	struct io_event *ev = &th->ev;
	int64_t size;

	if (ev->flags & AT_REMOVEDIR)
		return;
	size = procfs_file_size(th->lt.tid, ev->fd, ev->path);
	if (size >= 0)
		ev->size = size;
}

/* Entry of a syscall: decode what is known before it runs. */
static void
on_entry(struct tracer *t, struct thr *th, long nr, int abi,
    const uint64_t rawargs[6])
{
	const struct syscalls_ent *ent = syscalls_lookup(abi, nr);
	const struct syscalls_desc *d;
	struct io_event *ev = &th->ev;
	uint64_t args[6];
	int i;

	th->lt.abi = abi;
	th->in_call = true;
	th->fork_emitted = false;
	if (ent == NULL || (th->pre_exec && syscalls_class(ent->sys) != IOC_EXEC)) {
		th->interesting = false;
		return;
	}
	th->interesting = true;
	for (i = 0; i < 6; i++)
		args[i] = abi_word(abi, rawargs[i]);
	io_event_init(ev);
	ev->tid = th->lt.tid;
	ev->pid = th->lt.tgid;
	ev->ts_ns = util_now_ns();
	if (t->cfg->Tflag)
		th->t0 = util_mono_ns();
	syscalls_decode_args(ev, ent->sys, abi, ent->name, args);
	d = syscalls_desc(ent->sys);
	if (d->path_arg >= 0 &&
	    umem_read_str(th->lt.tid, args[(int)d->path_arg], th->path,
	    sizeof(th->path), NULL) >= 0)
		ev->path = th->path;
	if (d->path2_arg >= 0 &&
	    umem_read_str(th->lt.tid, args[(int)d->path2_arg], th->path2,
	    sizeof(th->path2), NULL) >= 0)
		ev->path2 = th->path2;
	switch (d->mem) {
	case SCM_BUF:
		read_buf(t, th, args[(int)d->buf_arg]);
		break;
	case SCM_IOV:
		read_iov(t, th, args[(int)d->buf_arg]);
		break;
	case SCM_OPEN_HOW: {
		uint64_t how[2];

		if (umem_read(th->lt.tid, args[(int)d->buf_arg], how,
		    sizeof(how)) == (ssize_t)sizeof(how)) {
			ev->flags = how[0];
			ev->mode = (uint32_t)how[1];
		}
		break;
	}
	case SCM_CLONE_ARGS: {
		uint64_t fl;

		if (umem_read(th->lt.tid, args[0], &fl, sizeof(fl)) ==
		    (ssize_t)sizeof(fl))
			ev->flags = fl;
		break;
	}
	case SCM_ARGV:
		read_argv(th, args[(int)d->buf_arg],
		    abi_word(abi, args[(int)d->buf_arg + 1]));
		break;
	case SCM_OLD_MMAP: {
		uint32_t a32[6];
		uint64_t a64[6];

		if (umem_read(th->lt.tid, args[0], a32, sizeof(a32)) ==
		    (ssize_t)sizeof(a32)) {
			for (i = 0; i < 6; i++)
				a64[i] = a32[i];
			syscalls_decode_args(ev, ent->sys, abi, "mmap", a64);
		}
		break;
	}
	case SCM_PIPEFDS:
	case SCM_NONE:
		break;
	}
	/* i386 old_mmap (90) passes a pointer to its six arguments */
	if (abi == SYSCALLS_ABI_I386 && nr == 90 && d->mem != SCM_OLD_MMAP) {
		uint32_t a32[6];
		uint64_t a64[6];

		if (umem_read(th->lt.tid, args[0], a32, sizeof(a32)) ==
		    (ssize_t)sizeof(a32)) {
			for (i = 0; i < 6; i++)
				a64[i] = a32[i];
			syscalls_decode_args(ev, ent->sys, abi, "mmap", a64);
			ev->name = "mmap";
		}
	}
	if (t->uw != NULL && ev->cls == IOC_WRITE &&
	    ev->count >= t->cfg->stack_min) {
		if (th->stack == NULL)
			th->stack = xcalloc(1, sizeof(*th->stack));
		if (unwind_capture(t->uw, th->lt.tgid, th->lt.tid, th->stack) == 0)
			ev->stack = th->stack;
	}
	if (ev->cls == IOC_UNLINK && ev->path != NULL)
		unlink_size(th);
	if (ev->sys == IOSYS_CLOSE && ev->fd >= 0 &&
	    !pipeline_fd_known(t->pl, th->lt.tid, ev->fd))
		/* an fd from before the trace: its path from /proc while it
		   is still open (the event goes out after the call) */
		ev->path = procfs_fd_path(NULL, th->lt.tid, ev->fd, th->path2,
		    sizeof(th->path2), &ev->path_deleted);
	if (ev->cls == IOC_EXIT) {
		/* exit and exit_group do not return: report them now */
		emit(t, ev);
		th->interesting = false;
	}
}

/* The absolute path of a new fd: the argument when absolute, else what
 * /proc says (once per open). */
static void
open_result_path(struct thr *th)
{
	struct io_event *ev = &th->ev;

	if (ev->path != NULL && ev->path[0] == '/') {
		ev->path2 = ev->path;
		return;
	}
	if (procfs_fd_link(th->lt.tid, (int)ev->ret, th->path2,
	    sizeof(th->path2)) <= 0)
		return;
	ev->path2 = th->path2;
}

/* The name /proc gives a new pipe or socket fd, with its inode, as the
 * fd's path (ev->path2); left to the pipeline's label when unreadable. */
static void
fdnew_name(struct thr *th, int fd)
{
	if (procfs_fd_link(th->lt.tid, fd, th->path2, sizeof(th->path2)) > 0)
		th->ev.path2 = th->path2;
}

/* Exit of a syscall: the result, then the event. */
static void
on_exit_stop(struct tracer *t, struct thr *th, int64_t rval, bool is_error)
{
	struct io_event *ev = &th->ev;

	if (!th->in_call)
		return;
	th->in_call = false;
	if (!th->interesting)
		return;
	th->interesting = false;
	if (th->fork_emitted) {
		th->fork_emitted = false;
		return;
	}
	if (is_error) {
		ev->err = (int)-rval;
		ev->ret = -1;
	} else {
		if (th->lt.abi == SYSCALLS_ABI_I386)
			rval = (int64_t)(uint32_t)rval;
		ev->ret = rval;
		ev->err = 0;
	}
	if (t->cfg->Tflag)
		ev->dur_ns = util_mono_ns() - th->t0;
	if (ev->err == 0) {
		switch (ev->cls) {
		case IOC_OPEN:
			open_result_path(th);
			break;
		case IOC_FDNEW:
			if (syscalls_desc(ev->sys)->mem == SCM_PIPEFDS) {
				int fds[2];

				if (umem_read(th->lt.tid, ev->addr, fds,
				    sizeof(fds)) == (ssize_t)sizeof(fds)) {
					ev->fd = fds[0];
					ev->fd2 = fds[1];
				}
				/* both ends of a pipe share one inode: name
				   them by it ("pipe:[4711]"), as /proc does */
				if (ev->sys != IOSYS_SOCKETPAIR && ev->fd >= 0)
					fdnew_name(th, ev->fd);
			} else if (ev->sys == IOSYS_MEMFD_CREATE) {
				if (umem_read_str(th->lt.tid, ev->addr, th->path,
				    sizeof(th->path), NULL) >= 0)
					ev->path = th->path;
			} else if (ev->sys == IOSYS_SOCKET ||
			    ev->sys == IOSYS_ACCEPT || ev->sys == IOSYS_ACCEPT4) {
				fdnew_name(th, (int)ev->ret);
				if (ev->sys == IOSYS_SOCKET && ev->path2 != NULL)
					/* -yy: by protocol (none bound yet) */
					sockname_from_args(th->path2,
					    sizeof(th->path2), ev->cmd,
					    (int)ev->flags);
			}
			break;
		case IOC_EXEC:
			th->pre_exec = false;
			if (th->lt.tid == t->child)
				t->child_execd = true;
			break;
		default:
			break;
		}
	}
	if (th->pre_exec && ev->cls == IOC_EXEC && ev->err != 0 &&
	    th->lt.tid == t->child)
		t->child_exec_err = ev->err;
	if (th->pre_exec && ev->cls != IOC_EXEC)
		return;
	if (th->pre_exec && ev->err != 0)
		return;		/* a PATH candidate that failed */
	emit(t, ev);
	if (t->uw != NULL && ev->err == 0) {
		/* the unwinder keeps its caches unless code moved: the big
		   buffers mapped around writes do not cost a re-read */
		if (ev->sys == IOSYS_MUNMAP)
			unwind_range_changed(t->uw, th->lt.tgid, ev->addr,
			    ev->len, false);
		else if (ev->sys == IOSYS_MMAP)
			unwind_range_changed(t->uw, th->lt.tgid, (uint64_t)ev->ret,
			    ev->len, (ev->prot & 0x4 /* PROT_EXEC */) != 0);
		else if (ev->sys == IOSYS_MREMAP) {
			/* a moved mapping is code only if the old range was */
			unwind_range_changed(t->uw, th->lt.tgid, ev->addr,
			    ev->len, false);
			unwind_range_changed(t->uw, th->lt.tgid, (uint64_t)ev->ret,
			    ev->new_len, false);
		}
	}
}

/* Decode a syscall-stop (entry or exit) without resuming. */
void
decode_syscall_stop(struct tracer *t, struct thr *th)
{
	struct pt_call c;

	/* the common case in attach mode: exit of a call we do not decode */
	if (th->in_call && !th->interesting && !th->fork_emitted) {
		th->in_call = false;
		return;
	}
	if (t->sysinfo) {
		if (pt_call_info(th->lt.tid, &c) == 0) {
			if (c.op == PT_CALL_ENTRY) {
				if (th->in_call)	/* lost an exit: resync */
					flush_inflight(t, th);
				on_entry(t, th, c.nr, c.abi, c.args);
			} else if (c.op == PT_CALL_EXIT) {
				on_exit_stop(t, th, c.rval, c.is_error);
			}
			return;
		}
		if (errno == ESRCH)
			return;
		t->sysinfo = false;
	}
	if (pt_call_regs(th->lt.tid, &c) != 0)
		return;
	if (!th->in_call)
		on_entry(t, th, c.nr, c.abi, c.args);
	else
		on_exit_stop(t, th, c.rval, c.is_error);
}

/* A seccomp stop: the entry of a filtered call (not resumed here). */
void
decode_seccomp_stop(struct tracer *t, struct thr *th)
{
	struct pt_call c;

	if (th->in_call)
		flush_inflight(t, th);
	if (t->sysinfo && pt_call_info(th->lt.tid, &c) == 0 &&
	    c.op == PT_CALL_SECCOMP)
		on_entry(t, th, c.nr, c.abi, c.args);
	else if (pt_call_regs(th->lt.tid, &c) == 0)
		on_entry(t, th, c.nr, c.abi, c.args);
	/* exit and exit_group never return: no need to see their exit */
	if (!th->interesting && th->ev.cls == IOC_EXIT)
		th->in_call = false;
}
