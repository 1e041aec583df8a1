/*
 * tracer.c: the ptrace engine.
 *
 * One loop for both modes: wait for a stop, dispatch it, resume.  Launch
 * mode runs the command under a seccomp filter (seccomp.c) so only the
 * decoded syscalls stop it (PTRACE_EVENT_SECCOMP at entry, then
 * PTRACE_SYSCALL to reach the exit, PTRACE_CONT otherwise); attach mode
 * cannot install a filter and stops on every syscall with PTRACE_SYSCALL,
 * so the path for a syscall iospy does not decode is kept to one resume.
 *
 * Every tracee is seized (PTRACE_SEIZE), never PTRACE_ATTACHed: group-stops
 * are then reported as PTRACE_EVENT_STOP and parked with PTRACE_LISTEN, so
 * job control keeps working, and PTRACE_INTERRUPT gives a clean way to
 * stop a running thread for detaching.
 *
 * Per-thread state lives in a hash keyed by tid, allocated once per thread;
 * the in-flight call's event and its buffers live there, so nothing is
 * allocated per event.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uthash.h>

#include "live/launch.h"
#include "live/procfs.h"
#include "live/ptrace/seccomp.h"
#include "model/syscalls.h"
#include "live/ptrace/tracer.h"
#include "live/ptrace/umem.h"
#include "live/unwind.h"
#include "base/util.h"

/* Requests and options glibc may not name (values from linux/ptrace.h). */
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#define TR_SYSINFO_NONE 0
#define TR_SYSINFO_ENTRY 1
#define TR_SYSINFO_EXIT 2
#define TR_SYSINFO_SECCOMP 3
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef CLONE_THREAD
#define CLONE_THREAD 0x00010000
#endif

/* struct ptrace_syscall_info, spelled out so no header conflict matters. */
struct tr_sysinfo {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t ip;
	uint64_t sp;
	union {
		struct {
			uint64_t nr;
			uint64_t args[6];
		} entry;
		struct {
			int64_t rval;
			uint8_t is_error;
		} exit;
		struct {
			uint64_t nr;
			uint64_t args[6];
			uint32_t ret_data;
		} seccomp;
	} u;
};

#define DATA_MIN 4096		/* room for execve's argv */
#define IOV_MAX_READ 1024	/* UIO_MAXIOV */

/* One traced thread. */
struct thr {
	pid_t tid;
	pid_t tgid;		/* 0 while unknown */
	int abi;
	bool in_call;		/* between a syscall's entry and its exit */
	bool interesting;	/* in_call with an event in ev */
	bool fork_emitted;	/* the fork event went out at the event stop */
	bool held;		/* new child stopped before its parent's event */
	bool expected;		/* announced by the parent's event, not yet seen */
	bool listening;		/* parked in a group-stop with PTRACE_LISTEN */
	bool pre_exec;		/* launched child before its first execve */
	bool detaching;		/* interrupted for detach, waiting for its stop */
	bool aff_saved;		/* aff holds the affinity to restore */
	int64_t t0;		/* CLOCK_MONOTONIC at entry (for -T) */
	cpu_set_t aff;
	struct io_event ev;
	char *data;
	size_t datasz;
	struct io_stack *stack;
	char path[PATH_MAX];
	char path2[PATH_MAX];
	UT_hash_handle hh;
};

/* Adaptive waiting (issue 9). */
#define SPIN_MAX_NS 60000	/* longest spin before blocking */
#define SPIN_FORCED_NS 2000000	/* the same with --wait=spin */
#define SPIN_SCORE_MAX 8
#define SPIN_SCORE_ON 3
#define SPIN_PROBE_EVERY 64	/* blocked waits between spin probes */
#define GAP_BUSY_NS 1000000	/* a gap longer than this is idleness */
#define TRIAL_SAMPLES 500	/* busy stops measured per trial of a mode */
#define CHOICE_SAMPLES 50000	/* busy stops before trying both again */

struct tracer {
	const struct config *cfg;
	struct pipeline *pl;
	const struct source_hooks *hooks;
	struct tracer_result *res;
	struct thr *threads;
	struct thr *last;
	size_t nthreads;
	bool attach;
	bool seccomp;		/* the launched command runs under the filter */
	bool sysinfo;		/* PTRACE_GET_SYSCALL_INFO works */
	pid_t child;		/* launch: the command's pid */
	bool child_done;
	int child_status;
	bool child_execd;	/* its first execve succeeded */
	int child_exec_err;	/* errno of its failed execve */
	struct unwinder *uw;
	int pin_cpu;		/* -1 = not pinning */
	/* waiting */
	int score;		/* recent stops that came back fast */
	unsigned blocked_waits;
	uint64_t spins_ok, spins_failed, blocks;
	/* auto: try blocking, then spinning, keep the faster for a while */
	int phase;		/* 0 trial block, 1 trial spin, 2 chosen */
	bool choose_spin;
	int64_t last_ret;	/* CLOCK_MONOTONIC when the last wait returned */
	int64_t acc_ns;		/* busy time per stop in this phase */
	unsigned acc_n;
	int64_t cost[2];	/* ns per stop: blocking, spinning */
	/* periodic work */
	int64_t next_tick;
	int64_t deadline;	/* CLOCK_MONOTONIC end of --duration, 0 = none */
	int64_t mono_start;
	bool stopping;
};

static volatile sig_atomic_t tracer_alarm;

static void
on_alarm(int sig)
{
	(void)sig;
	tracer_alarm = 1;
}

/* ------------------------------------------------------------ threads */

static struct thr *
thr_find(struct tracer *t, pid_t tid)
{
	struct thr *th;

	if (t->last != NULL && t->last->tid == tid)
		return t->last;
	HASH_FIND(hh, t->threads, &tid, sizeof(tid), th);
	if (th != NULL)
		t->last = th;
	return th;
}

static struct thr *
thr_new(struct tracer *t, pid_t tid, pid_t tgid)
{
	struct thr *th = xcalloc(1, sizeof(*th));

	th->tid = tid;
	th->tgid = tgid;
	th->abi = SYSCALLS_ABI_X86_64;
	HASH_ADD(hh, t->threads, tid, sizeof(tid), th);
	t->nthreads++;
	return th;
}

static void
thr_del(struct tracer *t, struct thr *th)
{
	if (t->last == th)
		t->last = NULL;
	HASH_DEL(t->threads, th);
	t->nthreads--;
	free(th->data);
	free(th->stack);
	free(th);
}

/* ------------------------------------------------------------ affinity */

static void
pin_thread(struct tracer *t, struct thr *th, bool save)
{
	cpu_set_t set;

	if (t->pin_cpu < 0)
		return;
	if (save && !th->aff_saved &&
	    sched_getaffinity(th->tid, sizeof(th->aff), &th->aff) == 0)
		th->aff_saved = true;
	CPU_ZERO(&set);
	CPU_SET(t->pin_cpu, &set);
	sched_setaffinity(th->tid, sizeof(set), &set);
}

static void
unpin_thread(struct tracer *t, struct thr *th)
{
	if (t->pin_cpu >= 0 && th->aff_saved)
		sched_setaffinity(th->tid, sizeof(th->aff), &th->aff);
	th->aff_saved = false;
}

/* ------------------------------------------------------------ events */

static void
emit(struct tracer *t, struct io_event *ev)
{
	pipeline_event(t->pl, ev);
	t->res->events++;
}

static void
emit_pseudo(struct tracer *t, struct thr *th, enum io_sys sys, int64_t ret,
    int sig)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.tid = th->tid;
	ev.pid = th->tgid;
	ev.sys = sys;
	ev.cls = IOC_PSEUDO;
	ev.name = syscalls_name(sys);
	ev.abi = th->abi;
	ev.ts_ns = util_now_ns();
	ev.ret = ret;
	ev.sig = sig;
	emit(t, &ev);
}

/* A call that will never see its exit (thread died, detach): "= ?". */
static void
flush_inflight(struct tracer *t, struct thr *th)
{
	if (th->in_call && th->interesting && !th->fork_emitted &&
	    !th->pre_exec) {
		th->ev.ret = IO_RET_UNKNOWN;
		th->ev.err = 0;
		emit(t, &th->ev);
	}
	th->in_call = false;
	th->interesting = false;
	th->fork_emitted = false;
}

/* ------------------------------------------------------------ resuming */

static void
resume(struct tracer *t, struct thr *th, int sig)
{
	int req = (th->in_call || !t->seccomp) ? PTRACE_SYSCALL : PTRACE_CONT;

	ptrace((enum __ptrace_request)req, th->tid, NULL,
	    (void *)(uintptr_t)sig);
	/* ESRCH: killed meanwhile; its death is reported by waitpid */
}

/* ------------------------------------------------------------ decoding */

static void
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
	if (t->cfg->outfile == NULL && !t->cfg->events)
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
	n = umem_read(th->tid, addr, th->data, want);
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
	size_t esz = th->abi == SYSCALLS_ABI_I386 ? 8 : 16;
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
		n = umem_read(th->tid, addr + (uint64_t)done * esz, raw,
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
				r = umem_read(th->tid, base, th->data + got, take);
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

/* execve: argv joined by spaces into ev->data. */
static void
read_argv(struct thr *th, uint64_t addr)
{
	struct io_event *ev = &th->ev;
	size_t psz = th->abi == SYSCALLS_ABI_I386 ? 4 : 8;
	size_t len = 0;
	int i;

	ensure_data(th, DATA_MIN);
	for (i = 0; i < 4096 && addr != 0; i++) {
		uint64_t p = 0;
		ssize_t n;
		int trunc;

		if (umem_read(th->tid, addr + (uint64_t)i * psz, &p, psz) !=
		    (ssize_t)psz)
			break;
		if (p == 0)
			break;
		if (len > 0) {
			if (len + 1 >= th->datasz - 1) {
				ev->data_trunc = true;
				break;
			}
			th->data[len++] = ' ';
		}
		n = umem_read_str(th->tid, p, th->data + len, th->datasz - len,
		    &trunc);
		if (n < 0)
			break;
		len += (size_t)n;
		if (trunc) {
			ev->data_trunc = true;
			break;
		}
	}
	th->data[len] = '\0';
	ev->data = th->data;
	ev->data_len = len;
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
	char p[PATH_MAX + 64];
	struct stat sb;

	if (ev->flags & AT_REMOVEDIR)
		return;
	if (ev->path[0] == '/')
		snprintf(p, sizeof(p), "/proc/%d/root%s", (int)th->tid, ev->path);
	else if (ev->fd == AT_FDCWD || ev->fd < 0)
		snprintf(p, sizeof(p), "/proc/%d/cwd/%s", (int)th->tid, ev->path);
	else
		snprintf(p, sizeof(p), "/proc/%d/fd/%d/%s", (int)th->tid, ev->fd,
		    ev->path);
	if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode))
		ev->size = (int64_t)sb.st_size;
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

	th->abi = abi;
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
	ev->tid = th->tid;
	ev->pid = th->tgid;
	ev->ts_ns = util_now_ns();
	if (t->cfg->Tflag)
		th->t0 = util_mono_ns();
	syscalls_decode_args(ev, ent->sys, abi, ent->name, args);
	d = syscalls_desc(ent->sys);
	if (d->path_arg >= 0 &&
	    umem_read_str(th->tid, args[(int)d->path_arg], th->path,
	    sizeof(th->path), NULL) >= 0)
		ev->path = th->path;
	if (d->path2_arg >= 0 &&
	    umem_read_str(th->tid, args[(int)d->path2_arg], th->path2,
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

		if (umem_read(th->tid, args[(int)d->buf_arg], how,
		    sizeof(how)) == (ssize_t)sizeof(how)) {
			ev->flags = how[0];
			ev->mode = (uint32_t)how[1];
		}
		break;
	}
	case SCM_CLONE_ARGS: {
		uint64_t fl;

		if (umem_read(th->tid, args[0], &fl, sizeof(fl)) ==
		    (ssize_t)sizeof(fl))
			ev->flags = fl;
		break;
	}
	case SCM_ARGV:
		read_argv(th, args[(int)d->buf_arg]);
		break;
	case SCM_OLD_MMAP: {
		uint32_t a32[6];
		uint64_t a64[6];

		if (umem_read(th->tid, args[0], a32, sizeof(a32)) ==
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

		if (umem_read(th->tid, args[0], a32, sizeof(a32)) ==
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
		if (unwind_capture(t->uw, th->tgid, th->tid, th->stack) == 0)
			ev->stack = th->stack;
	}
	if (ev->cls == IOC_UNLINK && ev->path != NULL)
		unlink_size(th);
	if (ev->sys == IOSYS_CLOSE && ev->fd >= 0 &&
	    !pipeline_fd_known(t->pl, th->tid, ev->fd))
		/* an fd from before the trace: its path from /proc while it
		   is still open (the event goes out after the call) */
		ev->path = procfs_fd_path(NULL, th->tid, ev->fd, th->path2,
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
	char link[64];
	ssize_t n;

	if (ev->path != NULL && ev->path[0] == '/') {
		ev->path2 = ev->path;
		return;
	}
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)th->tid,
	    (int)ev->ret);
	n = readlink(link, th->path2, sizeof(th->path2) - 1);
	if (n <= 0)
		return;
	th->path2[n] = '\0';
	ev->path2 = th->path2;
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
		if (th->abi == SYSCALLS_ABI_I386)
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

				if (umem_read(th->tid, ev->addr, fds,
				    sizeof(fds)) == (ssize_t)sizeof(fds)) {
					ev->fd = fds[0];
					ev->fd2 = fds[1];
				}
			} else if (ev->sys == IOSYS_MEMFD_CREATE) {
				if (umem_read_str(th->tid, ev->addr, th->path,
				    sizeof(th->path), NULL) >= 0)
					ev->path = th->path;
			}
			break;
		case IOC_EXEC:
			th->pre_exec = false;
			if (th->tid == t->child)
				t->child_execd = true;
			break;
		default:
			break;
		}
	}
	if (th->pre_exec && ev->cls == IOC_EXEC && ev->err != 0 &&
	    th->tid == t->child)
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
			unwind_range_changed(t->uw, th->tgid, ev->addr,
			    ev->len, false);
		else if (ev->sys == IOSYS_MMAP)
			unwind_range_changed(t->uw, th->tgid, (uint64_t)ev->ret,
			    ev->len, (ev->prot & 0x4 /* PROT_EXEC */) != 0);
		else if (ev->sys == IOSYS_MREMAP) {
			/* a moved mapping is code only if the old range was */
			unwind_range_changed(t->uw, th->tgid, ev->addr,
			    ev->len, false);
			unwind_range_changed(t->uw, th->tgid, (uint64_t)ev->ret,
			    ev->new_len, false);
		}
	}
}

/* The ABI of a stopped thread (CS 0x23 = i386 compat) and its six
 * syscall arguments from the registers (the fallback when
 * PTRACE_GET_SYSCALL_INFO is missing). */
static int
regs_abi_args(const struct user_regs_struct *regs, uint64_t args[6])
{
	if (regs->cs == 0x23) {
		args[0] = regs->rbx; args[1] = regs->rcx;
		args[2] = regs->rdx; args[3] = regs->rsi;
		args[4] = regs->rdi; args[5] = regs->rbp;
		return SYSCALLS_ABI_I386;
	}
	args[0] = regs->rdi; args[1] = regs->rsi;
	args[2] = regs->rdx; args[3] = regs->r10;
	args[4] = regs->r8; args[5] = regs->r9;
	return SYSCALLS_ABI_X86_64;
}

/* Decode a syscall-stop (entry or exit) without resuming. */
static void
decode_syscall_stop(struct tracer *t, struct thr *th)
{
	struct tr_sysinfo si;
	struct user_regs_struct regs;
	uint64_t args[6];
	int abi;

	/* the common case in attach mode: exit of a call we do not decode */
	if (th->in_call && !th->interesting && !th->fork_emitted) {
		th->in_call = false;
		return;
	}
	if (t->sysinfo) {
		if (ptrace((enum __ptrace_request)PTRACE_GET_SYSCALL_INFO,
		    th->tid, (void *)sizeof(si), &si) > 0) {
			abi = si.arch == AUDIT_ARCH_I386 ? SYSCALLS_ABI_I386 :
			    SYSCALLS_ABI_X86_64;
			if (si.op == TR_SYSINFO_ENTRY) {
				if (th->in_call)	/* lost an exit: resync */
					flush_inflight(t, th);
				on_entry(t, th, (long)si.u.entry.nr, abi,
				    si.u.entry.args);
			} else if (si.op == TR_SYSINFO_EXIT) {
				on_exit_stop(t, th, si.u.exit.rval,
				    si.u.exit.is_error != 0);
			}
			return;
		}
		if (errno == ESRCH)
			return;
		t->sysinfo = false;
	}
	if (ptrace(PTRACE_GETREGS, th->tid, NULL, &regs) != 0)
		return;
	abi = regs_abi_args(&regs, args);
	if (!th->in_call) {
		on_entry(t, th, (long)regs.orig_rax, abi, args);
	} else {
		int64_t rv = abi == SYSCALLS_ABI_I386 ?
		    (int64_t)(int32_t)(uint32_t)regs.rax : (int64_t)regs.rax;

		on_exit_stop(t, th, rv, rv < 0 && rv >= -4095);
	}
}

/* A syscall-stop: entry or exit. */
static void
on_syscall_stop(struct tracer *t, struct thr *th)
{
	decode_syscall_stop(t, th);
	resume(t, th, 0);
}

/* A seccomp stop: the entry of a filtered call. */
static void
on_seccomp_stop(struct tracer *t, struct thr *th)
{
	struct tr_sysinfo si;
	struct user_regs_struct regs;
	uint64_t args[6];
	int abi;

	if (th->in_call)
		flush_inflight(t, th);
	if (t->sysinfo && ptrace((enum __ptrace_request)PTRACE_GET_SYSCALL_INFO,
	    th->tid, (void *)sizeof(si), &si) > 0 &&
	    si.op == TR_SYSINFO_SECCOMP) {
		abi = si.arch == AUDIT_ARCH_I386 ? SYSCALLS_ABI_I386 :
		    SYSCALLS_ABI_X86_64;
		on_entry(t, th, (long)si.u.seccomp.nr, abi, si.u.seccomp.args);
	} else if (ptrace(PTRACE_GETREGS, th->tid, NULL, &regs) == 0) {
		abi = regs_abi_args(&regs, args);
		on_entry(t, th, (long)regs.orig_rax, abi, args);
	}
	/* exit and exit_group never return: no need to see their exit */
	if (!th->interesting && th->ev.cls == IOC_EXIT)
		th->in_call = false;
	resume(t, th, 0);
}

/* PTRACE_EVENT_FORK/VFORK/CLONE: a new tracee; the fork event goes out now
 * so the child's fd table is the parent's as of the fork. */
static void
on_fork_event(struct tracer *t, struct thr *th, int event)
{
	unsigned long msg = 0;
	pid_t child;
	struct thr *c;
	bool thread;

	if (ptrace(PTRACE_GETEVENTMSG, th->tid, NULL, &msg) != 0 || msg == 0) {
		resume(t, th, 0);
		return;
	}
	child = (pid_t)msg;
	thread = event == PTRACE_EVENT_CLONE && th->in_call &&
	    th->ev.cls == IOC_FORK && (th->ev.flags & CLONE_THREAD) != 0;
	if (event == PTRACE_EVENT_CLONE && !(th->in_call && th->ev.cls == IOC_FORK))
		thread = procfs_tgid(child) == th->tgid;
	c = thr_find(t, child);
	if (c == NULL) {
		c = thr_new(t, child, 0);
		c->expected = true;
	}
	c->tgid = thread ? th->tgid : child;
	c->abi = th->abi;
	c->pre_exec = th->pre_exec;
	if (th->aff_saved) {
		c->aff = th->aff;
		c->aff_saved = true;
	}
	if (th->in_call && th->interesting && th->ev.cls == IOC_FORK &&
	    !th->pre_exec) {
		struct io_event *ev = &th->ev;

		ev->ret = child;
		ev->err = 0;
		if (t->cfg->Tflag)
			ev->dur_ns = util_mono_ns() - th->t0;
		emit(t, ev);
		th->fork_emitted = true;
	}
	if (c->detaching || th->detaching) {
		c->detaching = true;
	}
	if (c->held) {
		c->held = false;
		c->expected = false;
		if (c->detaching) {
			ptrace(PTRACE_DETACH, c->tid, NULL, NULL);
			thr_del(t, c);
		} else
			resume(t, c, 0);
	}
	if (!th->detaching)
		resume(t, th, 0);
}

/* PTRACE_EVENT_EXEC: the image changed (a non-leader's tid became the
 * leader's). */
static void
on_exec_event(struct tracer *t, struct thr *th)
{
	unsigned long former = 0;

	if (ptrace(PTRACE_GETEVENTMSG, th->tid, NULL, &former) == 0 &&
	    former != 0 && (pid_t)former != th->tid) {
		struct thr *old = thr_find(t, (pid_t)former);

		/* the execing thread's call continues under the leader's
		   tid: move the in-flight event over */
		if (old != NULL) {
			th->in_call = old->in_call;
			th->interesting = old->interesting;
			th->pre_exec = old->pre_exec;
			th->t0 = old->t0;
			th->abi = old->abi;
			th->ev = old->ev;
			th->ev.tid = th->tid;
			memcpy(th->path, old->path, sizeof(th->path));
			if (th->ev.path == old->path)
				th->ev.path = th->path;
			if (old->data != NULL && th->ev.data == old->data) {
				ensure_data(th, old->datasz);
				memcpy(th->data, old->data, old->datasz);
				th->ev.data = th->data;
			}
			old->in_call = false;
			old->interesting = false;
			emit_pseudo(t, old, IOSYS_PROC_EXIT, 0, 0);
			if (t->uw != NULL)
				unwind_thread_gone(t->uw, old->tid);
			thr_del(t, old);
		}
	}
	if (t->uw != NULL)
		unwind_maps_changed(t->uw, th->tgid);
	resume(t, th, 0);
}

/* A thread is gone (WIFEXITED/WIFSIGNALED). */
static void
on_death(struct tracer *t, struct thr *th, int status)
{
	flush_inflight(t, th);
	if (!th->pre_exec || th->tid == t->child) {
		if (WIFSIGNALED(status))
			emit_pseudo(t, th, IOSYS_PROC_EXIT, IO_RET_UNKNOWN,
			    WTERMSIG(status));
		else
			emit_pseudo(t, th, IOSYS_PROC_EXIT, WEXITSTATUS(status), 0);
	}
	if (th->tid == t->child) {
		t->child_done = true;
		t->child_status = status;
	}
	if (t->uw != NULL)
		unwind_thread_gone(t->uw, th->tid);
	thr_del(t, th);
}

/* Detach one stopped thread, giving back sig. */
static void
detach_thread(struct tracer *t, struct thr *th, int sig)
{
	flush_inflight(t, th);
	unpin_thread(t, th);
	ptrace(PTRACE_DETACH, th->tid, NULL, (void *)(uintptr_t)sig);
	if (!th->pre_exec)
		emit_pseudo(t, th, IOSYS_DETACH, 0, 0);
	if (!t->cfg->quiet)
		fprintf(stderr, "iospy: Process %d detached\n", (int)th->tid);
	if (t->uw != NULL)
		unwind_thread_gone(t->uw, th->tid);
	thr_del(t, th);
}

static bool
is_stop_sig(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	    sig == SIGTTOU;
}

/* Dispatch one waitpid report. */
static void
dispatch(struct tracer *t, pid_t pid, int status)
{
	struct thr *th = thr_find(t, pid);
	int sig, event;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (th != NULL)
			on_death(t, th, status);
		else if (pid == t->child) {
			t->child_done = true;
			t->child_status = status;
		}
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	sig = WSTOPSIG(status);
	event = (unsigned)status >> 16;
	if (th == NULL) {
		/* a new child reporting before its parent's fork event */
		th = thr_new(t, pid, 0);
		th->held = true;
		if (t->stopping) {
			th->tgid = procfs_tgid(pid);
			detach_thread(t, th, 0);
		}
		return;
	}
	if (th->expected) {
		/* the first stop of a seized thread or an announced child
		   (children inherit the pinned affinity of their parent) */
		th->expected = false;
		if (th->detaching || t->stopping) {
			detach_thread(t, th, event == 0 &&
			    sig != (SIGTRAP | 0x80) ? sig : 0);
			return;
		}
	}
	if (th->detaching) {
		int give = 0;

		if (sig == (SIGTRAP | 0x80) && th->in_call)
			/* the exit of a call in flight: finish its event */
			decode_syscall_stop(t, th);
		else if (event == 0 && sig != (SIGTRAP | 0x80))
			give = sig;	/* a signal being delivered: keep it */
		else if (event == PTRACE_EVENT_FORK ||
		    event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE)
			on_fork_event(t, th, event);
		detach_thread(t, th, give);
		return;
	}
	if (sig == (SIGTRAP | 0x80)) {
		on_syscall_stop(t, th);
		return;
	}
	switch (event) {
	case 0:
		/* signal-delivery-stop: report it and re-inject it */
		if (!th->pre_exec)
			emit_pseudo(t, th, IOSYS_SIGNAL, IO_RET_UNKNOWN, sig);
		resume(t, th, sig);
		break;
	case PTRACE_EVENT_SECCOMP:
		on_seccomp_stop(t, th);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_fork_event(t, th, event);
		break;
	case PTRACE_EVENT_EXEC:
		on_exec_event(t, th);
		break;
	case PTRACE_EVENT_STOP:
		if (is_stop_sig(sig)) {
			/* group-stop: stay stopped until SIGCONT, but keep
			   reporting (job control works) */
			th->listening = true;
			ptrace((enum __ptrace_request)PTRACE_LISTEN, th->tid,
			    NULL, NULL);
		} else {
			th->listening = false;
			resume(t, th, 0);
		}
		break;
	default:
		resume(t, th, 0);
		break;
	}
}

/* ------------------------------------------------------------ waiting */

/*
 * Account one stop's busy time (since the previous stop) to the auto
 * mode's current trial, and move on to the next phase when it has enough.
 */
static void
auto_account(struct tracer *t, int64_t now)
{
	int64_t gap = now - t->last_ret;

	t->last_ret = now;
	if (gap <= 0 || gap > GAP_BUSY_NS)
		return;		/* idle time says nothing about the modes */
	t->acc_ns += gap;
	t->acc_n++;
	if (t->phase < 2 && t->acc_n >= TRIAL_SAMPLES) {
		int64_t c = t->acc_ns / t->acc_n;

		/* one trial is a few milliseconds: a tick or a neighbour's
		   burst can swing it, so each estimate keeps half of the
		   previous trials' */
		t->cost[t->phase] = t->cost[t->phase] > 0 ?
		    (t->cost[t->phase] + c) / 2 : c;
		t->phase++;
		t->acc_ns = 0;
		t->acc_n = 0;
		/* spinning costs a CPU: only if it is clearly faster --
		   unless pinned, where the spinner yields its one CPU to
		   the tracee and wastes nobody else's */
		if (t->phase == 2)
			t->choose_spin = t->pin_cpu >= 0 ?
			    t->cost[1] < t->cost[0] :
			    t->cost[1] * 10 < t->cost[0] * 9;
	} else if (t->phase == 2 && t->acc_n >= CHOICE_SAMPLES) {
		t->phase = 0;
		t->acc_ns = 0;
		t->acc_n = 0;
	}
}

/*
 * Wait for the next report.  Spinning on WNOHANG keeps the tracer awake
 * while the tracee runs on another CPU, which can save the wake-up that
 * makes most of a stop's cost -- or lose to it on a busy machine, where
 * the spinning tracer takes a CPU the others need.  The auto mode measures
 * both on the live workload (a trial of each, then the faster for a while,
 * then trials again) and keeps a score of recent fast stops: when stops
 * are slow (an idle tracee sleeping in read or poll) it blocks, so an idle
 * tracee costs nothing.  A spin yields the CPU between polls, so a tracee
 * on the same CPU (always so with --pin) runs at once: the stop comes back
 * through a direct hand-over instead of two wake-ups.
 * Returns 0 when interrupted.
 */
static pid_t
tracer_wait(struct tracer *t, int *status)
{
	enum wait_mode mode = t->cfg->wait;
	bool spin;
	int64_t start = 0, waited;
	pid_t pid;

	if (mode == WAIT_BLOCK)
		spin = false;
	else if (mode == WAIT_SPIN)
		spin = true;
	else {
		bool want = t->phase == 1 || (t->phase == 2 && t->choose_spin);

		spin = want && t->score >= SPIN_SCORE_ON;
		if (want && !spin && ++t->blocked_waits >= SPIN_PROBE_EVERY) {
			t->blocked_waits = 0;
			spin = true;	/* probe: maybe they got fast again */
		}
	}
	if (spin) {
		/* --wait=spin spins longer, but not forever: an idle
		   tracee must not cost a whole CPU */
		int64_t limit = mode == WAIT_SPIN ? SPIN_FORCED_NS : SPIN_MAX_NS;
		unsigned n = 0;

		start = util_mono_ns();
		for (;;) {
			pid = waitpid(-1, status, __WALL | WNOHANG);
			if (pid != 0) {
				if (pid > 0) {
					t->spins_ok++;
					if (t->score < SPIN_SCORE_MAX)
						t->score++;
					if (mode == WAIT_AUTO)
						auto_account(t, util_mono_ns());
				}
				return pid;
			}
			if (*t->hooks->stop || tracer_alarm)
				return 0;
			/* yield, not just pause: when the tracee shares this
			   CPU (always with --pin; without it whenever the
			   other CPUs are busy) a poll that kept the CPU would
			   delay the very stop it waits for */
			sched_yield();
			if ((++n & 3) == 0 && util_mono_ns() - start > limit)
				break;
		}
		t->spins_failed++;
		t->score = t->score >= 2 ? t->score - 2 : 0;
	}
	if (*t->hooks->stop || tracer_alarm)
		return 0;
	if (mode == WAIT_AUTO && !spin)
		start = util_mono_ns();
	pid = waitpid(-1, status, __WALL);
	t->blocks++;
	if (pid > 0 && mode == WAIT_AUTO) {
		int64_t now = util_mono_ns();

		auto_account(t, now);
		if (!spin) {
			/* a quick answer even through a blocking wait */
			waited = now - start;
			if (waited < SPIN_MAX_NS / 2) {
				if (t->score < SPIN_SCORE_MAX)
					t->score++;
			} else if (t->score > 0)
				t->score--;
		}
	}
	if (pid < 0 && errno == EINTR)
		return 0;
	return pid;
}

/* Periodic work: --interval ticks and --duration. */
static void
periodic(struct tracer *t)
{
	int64_t now;

	tracer_alarm = 0;
	now = util_mono_ns();
	if (t->hooks->tick != NULL && t->hooks->interval_ns > 0 &&
	    now >= t->next_tick) {
		t->hooks->tick(t->hooks->tick_ctx, util_now_ns());
		t->next_tick = now + t->hooks->interval_ns;
	}
	if (t->deadline != 0 && now >= t->deadline)
		t->stopping = true;
}

/* Interrupt every thread and detach each at its next stop. */
static void
detach_all(struct tracer *t)
{
	struct thr *th, *tmp;
	int64_t give_up = util_mono_ns() + 3000000000LL;

	t->stopping = true;
	HASH_ITER(hh, t->threads, th, tmp) {
		th->detaching = true;
		if (th->held) {
			if (th->tgid == 0)
				th->tgid = procfs_tgid(th->tid);
			detach_thread(t, th, 0);
			continue;
		}
		if (th->expected)
			continue;	/* detached at its first stop */
		if (ptrace((enum __ptrace_request)PTRACE_INTERRUPT, th->tid,
		    NULL, NULL) != 0 && errno == ESRCH) {
			/* a zombie leader waiting for its threads: it is
			   released when iospy lets go of it */
			flush_inflight(t, th);
			thr_del(t, th);
		}
	}
	while (t->nthreads > 0 && util_mono_ns() < give_up) {
		int status;
		pid_t pid = waitpid(-1, &status, __WALL);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		dispatch(t, pid, status);
	}
	/* whatever is left could not be stopped: let go of it anyway */
	HASH_ITER(hh, t->threads, th, tmp) {
		unpin_thread(t, th);
		ptrace(PTRACE_DETACH, th->tid, NULL, NULL);
		thr_del(t, th);
	}
}

/* ------------------------------------------------------------ setup */

struct saved_sigs {
	struct sigaction alrm;
	struct itimerval timer;
};

static void
start_timer(struct saved_sigs *s)
{
	struct sigaction sa;
	struct itimerval it;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocked waitpid must come back to look at the
	   stop flag, the --duration deadline and the --interval tick */
	sigaction(SIGALRM, &sa, &s->alrm);
	memset(&it, 0, sizeof(it));
	it.it_interval.tv_usec = 100000;
	it.it_value.tv_usec = 100000;
	setitimer(ITIMER_REAL, &it, &s->timer);
}

static void
stop_timer(struct saved_sigs *s)
{
	setitimer(ITIMER_REAL, &s->timer, NULL);
	sigaction(SIGALRM, &s->alrm, NULL);
}

static void
tracer_init(struct tracer *t, const struct config *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct tracer_result *res)
{
	struct pipeline_resolver r;

	memset(t, 0, sizeof(*t));
	memset(res, 0, sizeof(*res));
	t->cfg = cfg;
	t->pl = pl;
	t->hooks = hooks;
	t->res = res;
	t->sysinfo = true;
	t->pin_cpu = -1;
	t->score = SPIN_SCORE_MAX;
	r.fd_path = procfs_fd_path;
	r.proc_info = procfs_proc_info;
	r.ctx = t;
	pipeline_set_resolver(pl, &r);
	/* an inherited SIG_IGN would reap the command behind our back */
	signal(SIGCHLD, SIG_DFL);
	if (cfg->stack)
		t->uw = unwind_new();
	t->mono_start = util_mono_ns();
	if (hooks->tick != NULL && hooks->interval_ns > 0)
		t->next_tick = t->mono_start + hooks->interval_ns;
	res->start_ns = util_now_ns();
}

static void
tracer_fini(struct tracer *t)
{
	struct thr *th, *tmp;

	HASH_ITER(hh, t->threads, th, tmp)
		thr_del(t, th);
	if (t->uw != NULL) {
		t->res->stacks_unwound = unwind_count(t->uw);
		unwind_free(t->uw);
	}
	t->res->end_ns = util_now_ns();
	t->res->spins_ok = t->spins_ok;
	t->res->spins_failed = t->spins_failed;
	t->res->blocks = t->blocks;
	t->res->wait_cost_block_ns = t->cost[0];
	t->res->wait_cost_spin_ns = t->cost[1];
	if (getenv("IOSPY_DEBUG_WAIT") != NULL)
		fprintf(stderr, "iospy: waits: %llu spins caught a stop, %llu "
		    "gave up, %llu blocked; cost per stop: block %lld ns, spin "
		    "%lld ns\n", (unsigned long long)t->spins_ok,
		    (unsigned long long)t->spins_failed,
		    (unsigned long long)t->blocks, (long long)t->cost[0],
		    (long long)t->cost[1]);
}

/* Pin iospy itself to one CPU (--pin); the CPU or -1.  orig gets the
 * affinity it had. */
static int
pin_self(const struct config *cfg, cpu_set_t *orig)
{
	cpu_set_t set;
	int cpu;

	if (!cfg->pin)
		return -1;
	if (sched_getaffinity(0, sizeof(*orig), orig) != 0)
		CPU_ZERO(orig);
	cpu = cfg->pin_cpu >= 0 ? cfg->pin_cpu : sched_getcpu();
	if (cpu < 0)
		cpu = 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		return -1;
	return cpu;
}

/* Run the loop until every tracee is gone or the run must end. */
static void
run_loop(struct tracer *t)
{
	int status;
	pid_t pid;

	while (t->nthreads > 0 || (t->child > 0 && !t->child_done)) {
		if (tracer_alarm)
			periodic(t);
		if (*t->hooks->stop)
			t->stopping = true;
		if (t->stopping)
			return;
		pid = tracer_wait(t, &status);
		if (pid == 0)
			continue;
		if (pid < 0) {
			if (errno == ECHILD)
				break;
			continue;
		}
		dispatch(t, pid, status);
	}
}

/* ------------------------------------------------------------ launch */

static void __attribute__((noreturn))
child_main(int sock, const char *path, char **argv, bool want_seccomp)
{
	char go;
	int r = 0;

	/* what iospy changed must not leak into the command */
	launch_child_reset();
	/* recv/send are not in the filter's set: they never stop us */
	if (!launch_child_wait(sock))
		_exit(127);
	if (want_seccomp) {
		r = seccomp_install_filter() == 0 ? 0 : (errno ? errno : EINVAL);
		if (send(sock, &r, sizeof(r), 0) != (ssize_t)sizeof(r))
			_exit(127);
		if (recv(sock, &go, 1, 0) != 1)
			_exit(127);
	}
	close(sock);
	launch_child_exec(path, argv);
}

#define OPTS_COMMON (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | \
	PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC)

static int
wait_interrupt_stop(pid_t pid)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, __WALL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || !WIFSTOPPED(status))
			return -1;
		return 0;
	}
}

/* Launch cfg->argv and trace it. */
int
tracer_launch(const struct config *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct tracer_result *res,
    char *err, size_t errsz)
{
	struct tracer t;
	struct saved_sigs ss;
	char path[PATH_MAX];
	int sv[2], e, r = 0;
	pid_t pid;
	struct thr *th;
	long opts;
	char go = 'g';
	int64_t stop_at = 0;
	int kill_stage = 0;
	cpu_set_t orig_aff;

	tracer_init(&t, cfg, pl, hooks, res);
	if (cfg->argv == NULL || cfg->argv[0] == NULL) {
		snprintf(err, errsz, "no command to run");
		tracer_fini(&t);
		return -1;
	}
	e = launch_find_command(cfg->argv[0], path, sizeof(path));
	if (e != 0) {
		res->exit_status = launch_command_error(cfg->argv[0], e, err,
		    errsz);
		tracer_fini(&t);
		return -1;
	}
	t.pin_cpu = pin_self(cfg, &orig_aff);
	res->pinned = t.pin_cpu >= 0;
	if (cfg->pin && t.pin_cpu < 0) {
		snprintf(err, errsz, "--pin: cannot run on CPU %d: %s",
		    cfg->pin_cpu, strerror(errno));
		tracer_fini(&t);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, errsz, "socketpair: %s", strerror(errno));
		tracer_fini(&t);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errsz, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		tracer_fini(&t);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(sv[1], path, cfg->argv, cfg->seccomp);
	}
	close(sv[1]);
	t.child = pid;
	t.seccomp = cfg->seccomp;
	opts = OPTS_COMMON | PTRACE_O_EXITKILL |
	    (cfg->seccomp ? PTRACE_O_TRACESECCOMP : 0);
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)opts) != 0) {
		e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(sv[0]);
		if (e == EPERM)
			snprintf(err, errsz, "cannot trace %s: %s (is ptrace "
			    "allowed here? see /proc/sys/kernel/yama/ptrace_scope "
			    "and CAP_SYS_PTRACE)", cfg->argv[0], strerror(e));
		else
			snprintf(err, errsz, "cannot trace %s: %s",
			    cfg->argv[0], strerror(e));
		res->exit_status = 1;
		tracer_fini(&t);
		return -1;
	}
	th = thr_new(&t, pid, pid);
	th->pre_exec = true;
	if (t.pin_cpu >= 0 && CPU_COUNT(&orig_aff) > 0) {
		/* the command inherited the pin: a detach gives it back
		   iospy's own affinity */
		th->aff = orig_aff;
		th->aff_saved = true;
	}
	launch_name_process(pl, pid, cfg->argv);
	start_timer(&ss);
	if (!cfg->seccomp) {
		ptrace((enum __ptrace_request)PTRACE_INTERRUPT, pid, NULL, NULL);
		if (wait_interrupt_stop(pid) == 0)
			ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
	}
	/* if the child is gone the handshake fails: the loop reports its
	   death and status */
	if (send(sv[0], &go, 1, 0) == 1 && cfg->seccomp) {
		int cr = 0;

		while ((r = (int)recv(sv[0], &cr, sizeof(cr), 0)) < 0 &&
		    errno == EINTR)
			;
		if (r == (int)sizeof(cr) && cr != 0) {
			/* no filter: stop at every syscall instead */
			t.seccomp = false;
			ptrace((enum __ptrace_request)PTRACE_INTERRUPT, pid,
			    NULL, NULL);
			if (wait_interrupt_stop(pid) == 0)
				ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
		}
		(void)send(sv[0], &go, 1, 0);
	}
	r = 0;
	close(sv[0]);

	for (;;) {
		int64_t now;

		run_loop(&t);
		if (!t.stopping)
			break;
		/* Asked to stop.  The command got the terminal's signal too:
		   give it 3 seconds to finish (traced to the end), then
		   SIGTERM, then after 2 more seconds (or at a second request)
		   SIGKILL.  Detaching would leave it running under a filter
		   with no tracer, where every decoded call fails with ENOSYS;
		   so detach only when there is no filter (as strace does). */
		t.stopping = false;
		now = util_mono_ns();
		if (*hooks->stop) {
			*hooks->stop = 0;
			if (kill_stage == 0 && stop_at == 0)
				stop_at = now + 3000000000LL;
			else
				stop_at = now;	/* a second request */
		}
		if (!t.seccomp) {
			detach_all(&t);
			break;
		}
		if (now >= stop_at) {
			struct thr *x, *tmp;

			kill_stage++;
			HASH_ITER(hh, t.threads, x, tmp)
				if (x->tid == x->tgid)
					kill(x->tid, kill_stage == 1 ? SIGTERM :
					    SIGKILL);
			stop_at = kill_stage == 1 ? now + 2000000000LL :
			    INT64_MAX / 2;
		}
		t.deadline = stop_at < INT64_MAX / 2 ? stop_at : 0;
	}
	stop_timer(&ss);
	if (t.child_done) {
		if (WIFSIGNALED(t.child_status))
			res->exit_status = 128 + WTERMSIG(t.child_status);
		else
			res->exit_status = WEXITSTATUS(t.child_status);
	} else
		res->exit_status = 1;
	if (t.child_exec_err != 0 && !t.child_execd) {
		snprintf(err, errsz, "%s: %s", cfg->argv[0],
		    strerror(t.child_exec_err));
		r = -1;
	}
	tracer_fini(&t);
	return r == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ attach */

static pid_t
tracer_pid_of(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	pid_t tp = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "TracerPid:", 10) == 0) {
			tp = (pid_t)atoi(line + 10);
			break;
		}
	fclose(f);
	return tp;
}

static void
attach_error(pid_t pid, int e, char *err, size_t errsz)
{
	pid_t tp;
	char comm[64] = "?", cmd[8];

	if (e == ESRCH) {
		snprintf(err, errsz, "attach to %d: no such process", (int)pid);
		return;
	}
	tp = tracer_pid_of(pid);
	if (tp > 0 && tp != getpid()) {
		procfs_proc_info(NULL, tp, comm, sizeof(comm), cmd, sizeof(cmd));
		snprintf(err, errsz, "attach to %d: already traced by process "
		    "%d (%s); only one tracer at a time", (int)pid, (int)tp, comm);
		return;
	}
	if (e == EPERM)
		snprintf(err, errsz, "attach to %d: %s (run as the process's "
		    "owner with /proc/sys/kernel/yama/ptrace_scope at 0 or 1, "
		    "or as root / with CAP_SYS_PTRACE)", (int)pid, strerror(e));
	else
		snprintf(err, errsz, "attach to %d: %s", (int)pid, strerror(e));
}

/* True if tid has exited but is not reaped (a leader whose threads run). */
static bool
thread_is_zombie(pid_t tid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* comm may hold anything */
	return p != NULL && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* Seize every thread of pid not seized yet; how many were new, or -1. */
static int
seize_threads(struct tracer *t, pid_t pid, int *e)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	int added = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL) {
		*e = errno == ENOENT ? ESRCH : errno;
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atoi(de->d_name);
		struct thr *th;

		if (tid <= 0 || thr_find(t, tid) != NULL)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, NULL, (void *)(long)OPTS_COMMON)
		    != 0) {
			if (errno == ESRCH)
				continue;	/* exited meanwhile */
			if (errno == EPERM && thread_is_zombie(tid))
				continue;	/* a leader that already exited */
			*e = errno;
			closedir(d);
			return -1;
		}
		th = thr_new(t, tid, pid);
		th->expected = true;	/* its interrupt stop resumes it */
		pin_thread(t, th, true);
		ptrace((enum __ptrace_request)PTRACE_INTERRUPT, tid, NULL, NULL);
		added++;
		if (!t->cfg->quiet)
			fprintf(stderr, "iospy: Process %d attached\n", (int)tid);
	}
	closedir(d);
	return added;
}

/* Attach to cfg->pids and trace them. */
int
tracer_attach(const struct config *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct tracer_result *res,
    char *err, size_t errsz)
{
	struct tracer t;
	struct saved_sigs ss;
	size_t i;
	int e = 0, n, rc = 0;
	cpu_set_t orig_aff;

	tracer_init(&t, cfg, pl, hooks, res);
	t.attach = true;
	t.pin_cpu = pin_self(cfg, &orig_aff);
	res->pinned = t.pin_cpu >= 0;
	if (cfg->pin && t.pin_cpu < 0) {
		snprintf(err, errsz, "--pin: cannot run on CPU %d: %s",
		    cfg->pin_cpu, strerror(errno));
		tracer_fini(&t);
		return -1;
	}
	for (i = 0; i < cfg->npids; i++) {
		pid_t pid = cfg->pids[i];

		if (pid == getpid()) {
			snprintf(err, errsz, "attach to %d: that is iospy itself",
			    (int)pid);
			rc = -1;
			break;
		}
		if (kill(pid, 0) != 0 && errno == ESRCH) {
			attach_error(pid, ESRCH, err, errsz);
			rc = -1;
			break;
		}
		pid = procfs_tgid(pid);	/* -p may name any thread */
		/* threads created while we attach: scan until stable */
		do {
			n = seize_threads(&t, pid, &e);
		} while (n > 0);
		if (n < 0) {
			attach_error(pid, e, err, errsz);
			rc = -1;
			break;
		}
	}
	start_timer(&ss);
	if (rc == 0) {
		if (cfg->duration > 0)
			t.deadline = util_mono_ns() +
			    (int64_t)(cfg->duration * 1e9);
		run_loop(&t);
	}
	detach_all(&t);
	stop_timer(&ss);
	tracer_fini(&t);
	return rc;
}
