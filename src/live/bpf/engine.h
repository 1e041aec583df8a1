/*
 * engine.h: the bpf engine, a live source like the ptrace tracer: the
 * kernel runs a program at every syscall of the traced processes and hands
 * the decoded calls over through a ring buffer, so the process never stops.
 * The events are the same struct io_event stream the ptrace engine gives.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LIVE_BPF_ENGINE_H
#define IOSPY_LIVE_BPF_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "live/settings.h"
#include "model/pipeline.h"
#include "model/source.h"

struct bpf_result {
	int exit_status;	/* launch: the command's status as a shell
				   gives it (128+N if killed by signal N) */
	int64_t start_ns, end_ns;	/* wall clock span of the trace */
	unsigned long events;	/* events delivered */
	uint64_t records;	/* records the kernel program submitted */
	uint64_t lost;		/* records lost to a full ring buffer */
	bool detached;		/* launch: stopped by a request, the command
				   runs on untraced */
	bool duration_passed;	/* launch: --duration ended the trace */
};

/* Returned by bpf_engine_launch/attach when the program could not be
 * loaded (nothing was started; err says why): auto then uses ptrace. */
#define BPF_ENGINE_UNAVAILABLE (-2)

/* True if this iospy has the bpf engine; else why not into why. */
bool bpf_engine_built(char *why, size_t whysz);

/*
 * Launch cfg->argv with the program loaded and its pid in the map before
 * it runs, and trace it and its children until they end or hooks->stop is
 * set.  0, -1 with err set (command not found...), or
 * BPF_ENGINE_UNAVAILABLE.
 */
int bpf_engine_launch(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct bpf_result *res,
    char *err, size_t errsz);

/* Trace cfg->pids until they end, cfg->duration passes or hooks->stop is
 * set.  0, -1 with err set, or BPF_ENGINE_UNAVAILABLE. */
int bpf_engine_attach(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct bpf_result *res,
    char *err, size_t errsz);

#endif /* IOSPY_LIVE_BPF_ENGINE_H */
