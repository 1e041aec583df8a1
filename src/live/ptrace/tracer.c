/*
 * tracer.c: the ptrace engine's loop.
 *
 * One loop for both modes: wait for a stop (wait.c), dispatch it, resume.
 * Launch mode (launch.c) runs the command under a seccomp filter so only
 * the decoded syscalls stop it; attach mode (attach.c) cannot install a
 * filter and stops on every syscall with PTRACE_SYSCALL, so the path for a
 * syscall iospy does not decode is kept to one resume.  Forks, clones and
 * execs are followed here; syscall-stops become events in decode.c.
 *
 * Per-thread state lives in the thread table (live/threads.c), allocated
 * once per thread; the in-flight call's event and its buffers live there,
 * so nothing is allocated per event.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>	/* PTRACE_EVENT_*: no requests here (ops.c) */
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "base/util.h"
#include "live/settings.h"
#include "live/procfs.h"
#include "live/ptrace/engine.h"
#include "live/unwind.h"
#include "model/pipeline.h"
#include "model/source.h"
#include "model/syscalls.h"

volatile sig_atomic_t tracer_alarm;

#define TICK_NS 100000000LL	/* SIGALRM at least this often */

static void
on_alarm(int sig)
{
	(void)sig;
	tracer_alarm = 1;
}

/* ------------------------------------------------------------ threads */

static void
thr_release(struct live_thread *lt)
{
	struct thr *th = (struct thr *)lt;

	free(th->data);
	free(th->stack);
}

struct thr *
thr_find(struct tracer *t, pid_t tid)
{
	return (struct thr *)live_threads_find(&t->threads, tid);
}

struct thr *
thr_new(struct tracer *t, pid_t tid, pid_t tgid)
{
	return (struct thr *)live_threads_add(&t->threads, tid, tgid);
}

void
thr_del(struct tracer *t, struct thr *th)
{
	live_threads_del(&t->threads, &th->lt);
}

/* ------------------------------------------------------------ events */

void
emit(struct tracer *t, struct io_event *ev)
{
	if (t->muted)
		return;
	pipeline_event(t->pl, ev);
	t->res->events++;
}

void
emit_pseudo(struct tracer *t, struct thr *th, enum io_sys sys, int64_t ret,
    int sig)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.tid = th->lt.tid;
	ev.pid = th->lt.tgid;
	ev.sys = sys;
	ev.cls = IOC_PSEUDO;
	ev.name = syscalls_name(sys);
	ev.abi = th->lt.abi;
	ev.ts_ns = util_now_ns();
	ev.ret = ret;
	ev.sig = sig;
	emit(t, &ev);
}

/* A call that will never see its exit (thread died, detach): "= ?". */
void
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

void
resume(struct tracer *t, struct thr *th, int sig)
{
	pt_resume(th->lt.tid, th->in_call || !t->seccomp, sig);
	/* ESRCH: killed meanwhile; its death is reported by waitpid */
}

/* A syscall-stop: entry or exit. */
static void
on_syscall_stop(struct tracer *t, struct thr *th)
{
	decode_syscall_stop(t, th);
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

	if (pt_eventmsg(th->lt.tid, &msg) != 0 || msg == 0) {
		resume(t, th, 0);
		return;
	}
	child = (pid_t)msg;
	thread = event == PTRACE_EVENT_CLONE && th->in_call &&
	    th->ev.cls == IOC_FORK && (th->ev.flags & CLONE_THREAD) != 0;
	if (event == PTRACE_EVENT_CLONE && !(th->in_call && th->ev.cls == IOC_FORK))
		thread = procfs_tgid(child) == th->lt.tgid;
	c = thr_find(t, child);
	if (c == NULL) {
		c = thr_new(t, child, 0);
		c->expected = true;
	}
	c->lt.tgid = thread ? th->lt.tgid : child;
	c->lt.abi = th->lt.abi;
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
			pt_detach(c->lt.tid, 0);
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

	if (pt_eventmsg(th->lt.tid, &former) == 0 &&
	    former != 0 && (pid_t)former != th->lt.tid) {
		struct thr *old = thr_find(t, (pid_t)former);

		/* the execing thread's call continues under the leader's
		   tid: move the in-flight event over */
		if (old != NULL) {
			th->in_call = old->in_call;
			th->interesting = old->interesting;
			th->pre_exec = old->pre_exec;
			th->t0 = old->t0;
			th->lt.abi = old->lt.abi;
			th->ev = old->ev;
			th->ev.tid = th->lt.tid;
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
				unwind_thread_gone(t->uw, old->lt.tid);
			thr_del(t, old);
		}
	}
	if (t->uw != NULL)
		unwind_maps_changed(t->uw, th->lt.tgid);
	resume(t, th, 0);
}

/* A thread is gone (WIFEXITED/WIFSIGNALED). */
static void
on_death(struct tracer *t, struct thr *th, int status)
{
	flush_inflight(t, th);
	if (!th->pre_exec || th->lt.tid == t->child) {
		if (WIFSIGNALED(status))
			emit_pseudo(t, th, IOSYS_PROC_EXIT, IO_RET_UNKNOWN,
			    WTERMSIG(status));
		else
			emit_pseudo(t, th, IOSYS_PROC_EXIT, WEXITSTATUS(status), 0);
	}
	if (th->lt.tid == t->child) {
		t->child_done = true;
		t->child_status = status;
	}
	if (t->uw != NULL)
		unwind_thread_gone(t->uw, th->lt.tid);
	thr_del(t, th);
}

static bool
is_stop_sig(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	    sig == SIGTTOU;
}

/* Dispatch one waitpid report. */
void
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
			th->lt.tgid = procfs_tgid(pid);
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
		decode_seccomp_stop(t, th);
		resume(t, th, 0);
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
			pt_listen(th->lt.tid);
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

/* Periodic work: --interval ticks and --duration. */
void
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
	tracer_arm(t);
}

/*
 * Set the next SIGALRM for whatever is due first: the --interval tick, the
 * --duration deadline, or the 100 ms wake-up that keeps blocked waits
 * looking at the stop flag.  A run then ends at the time asked for, not at
 * the next 100 ms step.
 */
void
tracer_arm(struct tracer *t)
{
	struct itimerval it;
	int64_t now = util_mono_ns(), due = now + TICK_NS, in;

	if (t->hooks->tick != NULL && t->hooks->interval_ns > 0 &&
	    t->next_tick < due)
		due = t->next_tick;
	if (t->deadline != 0 && t->deadline < due)
		due = t->deadline;
	in = due - now;
	if (in < 1000)
		in = 1000;	/* now: 1 us, since 0 would disarm it */
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)(in / 1000000000);
	it.it_value.tv_usec = (suseconds_t)(in % 1000000000 / 1000);
	it.it_interval.tv_usec = TICK_NS / 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

/* ------------------------------------------------------------ setup */

void
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
	it.it_interval.tv_usec = TICK_NS / 1000;
	it.it_value.tv_usec = TICK_NS / 1000;
	setitimer(ITIMER_REAL, &it, &s->timer);
}

void
stop_timer(struct saved_sigs *s)
{
	setitimer(ITIMER_REAL, &s->timer, NULL);
	sigaction(SIGALRM, &s->alrm, NULL);
}

void
tracer_init(struct tracer *t, const struct trace_settings *cfg, struct pipeline *pl,
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
	live_threads_init(&t->threads, sizeof(struct thr), thr_release);
	memset(&r, 0, sizeof(r));
	r.fd_path = procfs_fd_path;
	r.proc_info = procfs_proc_info;
	r.ctx = NULL;
	r.exact = true;		/* asked while the tracee is stopped */
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

void
tracer_fini(struct tracer *t)
{
	live_threads_clear(&t->threads);
	if (t->uw != NULL) {
		t->res->stacks_unwound = unwind_count(t->uw);
		unwind_free(t->uw);
	}
	t->res->end_ns = t->muted ? t->muted_ns : util_now_ns();
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

/* Run the loop until every tracee is gone or the run must end. */
void
run_loop(struct tracer *t)
{
	int status;
	pid_t pid;

	while (t->threads.n > 0 || (t->child > 0 && !t->child_done)) {
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
