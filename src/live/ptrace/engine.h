/*
 * engine.h: the ptrace engine's own state, shared by its files and by
 * nothing else.
 *
 *   tracer.c   the loop: dispatch each stop, follow forks and execs, deaths
 *   decode.c   syscall-stops into events (registers, tracee memory)
 *   wait.c     waiting for the next stop: spin, block, or measure (auto)
 *   launch.c   launch mode: seize the forked command, filter, stop it
 *   attach.c   attach mode: seize every thread, detach on every exit path
 *   pin.c      --pin: iospy and its tracees on one CPU
 *   ops.c      every ptrace request iospy makes
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_PTRACE_ENGINE_H
#define IOSPY_PTRACE_ENGINE_H

#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/types.h>

#include "live/threads.h"
#include "live/ptrace/tracer.h"
#include "model/event.h"

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef CLONE_THREAD
#define CLONE_THREAD 0x00010000
#endif

/* One traced thread. */
struct thr {
	struct live_thread lt;	/* tid, tgid, abi: first, for the table */
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
};

struct tracer {
	const struct trace_settings *cfg;
	struct pipeline *pl;
	const struct source_hooks *hooks;
	struct tracer_result *res;
	struct live_threads threads;
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
	/* waiting (wait.c) */
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
	/* launch --duration passed under the seccomp filter: the command
	   cannot run without its tracer, so its stops are still served, but
	   nothing more is recorded (end_ns: when that began) */
	bool muted;
	int64_t muted_ns;
};

/* Set by SIGALRM: time for periodic(). */
extern volatile sig_atomic_t tracer_alarm;

/* The saved SIGALRM action and timer, given back at the end. */
struct saved_sigs {
	struct sigaction alrm;
	struct itimerval timer;
};

/* What a syscall-stop says about the call. */
enum pt_call_op {
	PT_CALL_NONE,		/* not a syscall-stop after all */
	PT_CALL_ENTRY,
	PT_CALL_EXIT,
	PT_CALL_SECCOMP,	/* entry, reported by the seccomp filter */
	PT_CALL_REGS		/* from the registers: entry or exit, the
				   caller knows which */
};
struct pt_call {
	enum pt_call_op op;
	int abi;		/* SYSCALLS_ABI_* */
	long nr;
	uint64_t args[6];
	int64_t rval;		/* exit: the result */
	bool is_error;		/* exit: rval is -errno */
};

/* Seize options beyond the common ones (follow clone/fork/vfork/exec,
 * syscall-stops marked with 0x80). */
#define PT_SEIZE_EXITKILL 1	/* the tracee dies with iospy (launch) */
#define PT_SEIZE_SECCOMP 2	/* report the seccomp filter's stops */

/* ops.c: each returns what ptrace returns (0, or -1 with errno) */
int pt_seize(pid_t tid, unsigned flags);
int pt_interrupt(pid_t tid);
int pt_listen(pid_t tid);
int pt_resume(pid_t tid, bool to_syscall, int sig);	/* SYSCALL or CONT */
int pt_detach(pid_t tid, int sig);
int pt_eventmsg(pid_t tid, unsigned long *msg);
int pt_peek(pid_t tid, uint64_t addr, long *word);
/* The call of a thread in a syscall-stop from PTRACE_GET_SYSCALL_INFO. */
int pt_call_info(pid_t tid, struct pt_call *c);
/* The same from its registers (kernels before 5.3): op PT_CALL_REGS. */
int pt_call_regs(pid_t tid, struct pt_call *c);

/* tracer.c */
struct thr *thr_find(struct tracer *t, pid_t tid);
struct thr *thr_new(struct tracer *t, pid_t tid, pid_t tgid);
void thr_del(struct tracer *t, struct thr *th);
void emit(struct tracer *t, struct io_event *ev);
void emit_pseudo(struct tracer *t, struct thr *th, enum io_sys sys,
    int64_t ret, int sig);
void flush_inflight(struct tracer *t, struct thr *th);
void resume(struct tracer *t, struct thr *th, int sig);
void dispatch(struct tracer *t, pid_t pid, int status);
void periodic(struct tracer *t);
void tracer_arm(struct tracer *t);
void run_loop(struct tracer *t);
void tracer_init(struct tracer *t, const struct trace_settings *cfg,
    struct pipeline *pl, const struct source_hooks *hooks,
    struct tracer_result *res);
void tracer_fini(struct tracer *t);
void start_timer(struct saved_sigs *s);
void stop_timer(struct saved_sigs *s);

/* decode.c */
void ensure_data(struct thr *th, size_t need);
void decode_syscall_stop(struct tracer *t, struct thr *th);
void decode_seccomp_stop(struct tracer *t, struct thr *th);

/* wait.c */
#define SPIN_SCORE_MAX 8	/* the score a run starts with */
pid_t tracer_wait(struct tracer *t, int *status);

/* attach.c */
void detach_thread(struct tracer *t, struct thr *th, int sig);
void detach_all(struct tracer *t);

/* pin.c */
int pin_self(const struct trace_settings *cfg, cpu_set_t *orig);
void pin_thread(struct tracer *t, struct thr *th, bool save);
void unpin_thread(struct tracer *t, struct thr *th);

#endif /* IOSPY_PTRACE_ENGINE_H */
