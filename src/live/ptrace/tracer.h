/*
 * tracer.h: live tracing with ptrace: launch a command or attach to pids,
 * follow threads/forks/exec, decode the I/O syscalls into events for the
 * pipeline, detach cleanly on every exit path.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_TRACER_H
#define IOSPY_TRACER_H

#include <stddef.h>

#include "live/settings.h"
#include "model/pipeline.h"
#include "model/source.h"

/* What a run of the tracer ended with. */
struct tracer_result {
	int exit_status;	/* launch: the command's status as a shell gives
				   it (128+N if killed by signal N) */
	bool detached;		/* launch: let go of the command, which runs
				   on (--no-seccomp and a stop request) */
	bool duration_passed;	/* launch: --duration ended the trace (the
				   command detached, or served untraced to
				   its end under the seccomp filter) */
	int64_t start_ns, end_ns;	/* wall clock span of the trace */
	unsigned long events;	/* events delivered */
	bool pinned;		/* --pin was applied */
	unsigned long stacks_unwound;	/* --stack: stacks unwound */
	/* how the waits went (--wait): spins that caught a stop, spins that
	   gave up, blocking waits, and the auto mode's last measured cost
	   per stop of each way (ns, 0 = not measured) */
	uint64_t spins_ok, spins_failed, blocks;
	int64_t wait_cost_block_ns, wait_cost_spin_ns;
};

/*
 * Launch cfg->argv and trace it until it (and its children) end, or
 * hooks->stop is set.  Returns 0, or -1 with err set (command not found,
 * ptrace denied...).
 */
int tracer_launch(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct tracer_result *res,
    char *err, size_t errsz);

/*
 * Attach to cfg->pids (every thread) and trace until they end,
 * cfg->duration passes or hooks->stop is set; then detach.  Returns 0, or
 * -1 with err set (no such pid, not permitted, already traced...).
 */
int tracer_attach(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct tracer_result *res,
    char *err, size_t errsz);

#endif /* IOSPY_TRACER_H */
