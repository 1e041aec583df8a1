/*
 * wait.c: waiting for the next stop (--wait=spin, block or auto).
 *
 * Spinning on WNOHANG keeps the tracer awake while the tracee runs on
 * another CPU, which can save the wake-up that makes most of a stop's cost
 * -- or lose to it on a busy machine, where the spinning tracer takes a
 * CPU the others need.  The auto mode measures both on the live workload
 * (a trial of each, then the faster for a while, then trials again) and
 * keeps a score of recent fast stops: when stops are slow (an idle tracee
 * sleeping in read or poll) it blocks, so an idle tracee costs nothing.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <sched.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "base/util.h"
#include "live/settings.h"
#include "live/ptrace/engine.h"
#include "model/source.h"

#define SPIN_MAX_NS 60000	/* longest spin before blocking */
#define SPIN_FORCED_NS 2000000	/* the same with --wait=spin */
#define SPIN_SCORE_ON 3		/* fast stops in a row before spinning */
#define SPIN_PROBE_EVERY 64	/* blocked waits between spin probes */
#define GAP_BUSY_NS 1000000	/* a gap longer than this is idleness */
#define TRIAL_SAMPLES 500	/* busy stops measured per trial of a mode */
#define CHOICE_SAMPLES 50000	/* busy stops before trying both again */


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
 * Wait for the next report.  A spin yields the CPU between polls, so a
 * tracee on the same CPU (always so with --pin) runs at once: the stop
 * comes back through a direct hand-over instead of two wake-ups.
 * Returns 0 when interrupted (the stop flag, SIGALRM).
 */
pid_t
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
