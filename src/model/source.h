/*
 * source.h: what every event source (tracer, stracelog) is given besides
 * the pipeline: a stop flag set by signal handlers and a periodic tick for
 * --interval lines.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SOURCE_H
#define IOSPY_SOURCE_H

#include <signal.h>
#include <stdint.h>

struct source_hooks {
	/* Set (by main's signal handlers) when the run must end: attach mode
	   detaches, launch mode detaches and lets the command run on (as
	   strace does on SIGINT), replay stops reading. */
	volatile sig_atomic_t *stop;
	/* Called about every interval_ns of (trace or log) time, with that
	   time; NULL when --interval is off. */
	void (*tick)(void *ctx, int64_t now_ns);
	void *tick_ctx;
	int64_t interval_ns;
};

#endif /* IOSPY_SOURCE_H */
