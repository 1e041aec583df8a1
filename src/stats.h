/*
 * stats.h: streaming aggregation of events per process and per file:
 * write counts and size histograms, memory churn, rotation, deleted files.
 * Consumes struct io_event only (a pipeline sink).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_STATS_H
#define IOSPY_STATS_H

#include <stdint.h>

#include "event.h"
#include "options.h"

struct stats;

/* A new, empty aggregation using cfg's thresholds. */
struct stats *stats_new(const struct config *cfg);

/* Free it. */
void stats_free(struct stats *st);

/* The pipeline sink: account one event (ctx is a struct stats *). */
void stats_event(void *ctx, const struct io_event *ev);

/* The run's wall-clock span, for rates (ns since the epoch, or relative). */
void stats_set_span(struct stats *st, int64_t start_ns, int64_t end_ns);

#endif /* IOSPY_STATS_H */
