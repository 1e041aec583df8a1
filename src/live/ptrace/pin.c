/*
 * pin.c: --pin puts iospy and its tracees on one CPU.
 *
 * A stop then hands the CPU straight from the tracee to the tracer and
 * back, instead of waking a sleeper on another CPU twice per syscall.  Each
 * thread's own affinity is saved when it is seized and given back when it
 * is detached; a launched command, which inherited the pin, gets iospy's
 * original affinity.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <sched.h>

#include "live/settings.h"
#include "live/ptrace/engine.h"

/* Pin iospy itself to one CPU (--pin); the CPU or -1.  orig gets the
 * affinity it had. */
int
pin_self(const struct trace_settings *cfg, cpu_set_t *orig)
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

/* Move th to iospy's CPU; save its own affinity first when asked. */
void
pin_thread(struct tracer *t, struct thr *th, bool save)
{
	cpu_set_t set;

	if (t->pin_cpu < 0)
		return;
	if (save && !th->aff_saved &&
	    sched_getaffinity(th->lt.tid, sizeof(th->aff), &th->aff) == 0)
		th->aff_saved = true;
	CPU_ZERO(&set);
	CPU_SET(t->pin_cpu, &set);
	sched_setaffinity(th->lt.tid, sizeof(set), &set);
}

/* Give th back the affinity it had. */
void
unpin_thread(struct tracer *t, struct thr *th)
{
	if (t->pin_cpu >= 0 && th->aff_saved)
		sched_setaffinity(th->lt.tid, sizeof(th->aff), &th->aff);
	th->aff_saved = false;
}
