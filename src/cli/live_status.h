/*
 * live_status.h: attach mode's status line on a terminal: the time left
 * of --duration (or the time so far), the events so far and the busiest
 * file so far, redrawn by the trace's tick.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LIVE_STATUS_H
#define IOSPY_LIVE_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct progress;
struct stats;

struct live_status {
	struct progress *line;
	const struct stats *st;
	int64_t duration_ns;		/* --duration, 0: none */
	bool started;
	int64_t start_mono, deadline_mono;	/* deadline 0: none */
	size_t npids;
	pid_t pid;			/* the first -p */
};

/* Redraw the line (the caller checks progress_due). */
void live_status_draw(struct live_status *ls);

#endif /* IOSPY_LIVE_STATUS_H */
