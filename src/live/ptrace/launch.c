/*
 * launch.c: launch mode: run a command and trace it from its first execve.
 *
 * The command is forked by the shared handshake (live/launch.c) and
 * seized before it may exec.  It runs under a seccomp filter (seccomp.c)
 * so only the decoded syscalls stop it (PTRACE_EVENT_SECCOMP at entry, then
 * PTRACE_SYSCALL to reach the exit, PTRACE_CONT otherwise); without the
 * filter (--no-seccomp, or a kernel that refuses it) it stops at every
 * syscall, as in attach mode.
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
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"
#include "live/settings.h"
#include "live/launch.h"
#include "live/ptrace/engine.h"
#include "live/ptrace/seccomp.h"
#include "model/pipeline.h"
#include "model/source.h"

/* Wait for the stop a PTRACE_INTERRUPT asked for; 0, or -1 if pid died. */
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
tracer_launch(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct tracer_result *res,
    char *err, size_t errsz)
{
	struct tracer t;
	struct saved_sigs ss;
	char path[PATH_MAX];
	int e, r = 0;
	pid_t pid;
	struct thr *th;
	struct launch hs;
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
	seccomp_set_selection(cfg->filter, cfg->stack);
	if (launch_fork(&hs, cfg, path, cfg->argv,
	    cfg->seccomp ? seccomp_install_filter : NULL, err, errsz) != 0) {
		tracer_fini(&t);
		return -1;
	}
	pid = hs.pid;
	t.child = pid;
	t.seccomp = cfg->seccomp;
	if (pt_seize(pid, PT_SEIZE_EXITKILL |
	    (cfg->seccomp ? PT_SEIZE_SECCOMP : 0)) != 0) {
		e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		launch_close(&hs);
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
		pt_interrupt(pid);
		if (wait_interrupt_stop(pid) == 0)
			pt_resume(pid, true, 0);
	}
	/* if the child is gone the handshake fails: the loop reports its
	   death and status */
	if (launch_go(&hs) == 0 && cfg->seccomp) {
		int cr = 0;

		if (launch_prepared(&hs, &cr) == 0 && cr != 0) {
			/* no filter: stop at every syscall instead */
			t.seccomp = false;
			pt_interrupt(pid);
			if (wait_interrupt_stop(pid) == 0)
				pt_resume(pid, true, 0);
		}
		(void)launch_go(&hs);
	}
	r = 0;
	launch_close(&hs);
	if (cfg->duration > 0) {
		t.deadline = util_mono_ns() + (int64_t)(cfg->duration * 1e9);
		tracer_arm(&t);
	}

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
		if (!*hooks->stop && cfg->duration > 0 && !t.muted &&
		    stop_at == 0 && !res->duration_passed) {
			/* --duration: the trace ends, the command runs on.
			   Without the filter, detach; under it the command
			   needs its tracer (a decoded call would fail with
			   ENOSYS): serve its stops, record nothing */
			res->duration_passed = true;
			t.deadline = 0;
			if (!t.seccomp) {
				detach_all(&t);
				break;
			}
			t.muted = true;
			t.muted_ns = util_now_ns();
			tracer_arm(&t);
			continue;
		}
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
			struct live_thread *x, *tmp;

			kill_stage++;
			LIVE_THREADS_EACH(&t.threads, x, tmp)
				if (x->tid == x->tgid)
					kill(x->tid, kill_stage == 1 ? SIGTERM :
					    SIGKILL);
			stop_at = kill_stage == 1 ? now + 2000000000LL :
			    INT64_MAX / 2;
		}
		t.deadline = stop_at < INT64_MAX / 2 ? stop_at : 0;
		tracer_arm(&t);
	}
	stop_timer(&ss);
	if (t.child_done) {
		if (WIFSIGNALED(t.child_status))
			res->exit_status = 128 + WTERMSIG(t.child_status);
		else
			res->exit_status = WEXITSTATUS(t.child_status);
	} else {
		/* detached (--no-seccomp) on a stop request: the command runs
		   on, its status unknown; the caller says by what signal */
		res->detached = true;
		res->exit_status = 0;
	}
	if (t.child_exec_err != 0 && !t.child_execd) {
		snprintf(err, errsz, "%s: %s", cfg->argv[0],
		    strerror(t.child_exec_err));
		r = -1;
	}
	tracer_fini(&t);
	return r == 0 ? 0 : -1;
}
