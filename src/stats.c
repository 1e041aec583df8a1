/*
 * stats.c: per-process and per-file aggregation (stub, see issue 4).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>

#include "stats.h"
#include "util.h"

struct stats {
	const struct config *cfg;
	int64_t start_ns, end_ns;
};

struct stats *
stats_new(const struct config *cfg)
{
	struct stats *st = xcalloc(1, sizeof(*st));

	st->cfg = cfg;
	return st;
}

void
stats_free(struct stats *st)
{
	free(st);
}

void
stats_event(void *ctx, const struct io_event *ev)
{
	(void)ctx;
	(void)ev;
}

void
stats_set_span(struct stats *st, int64_t start_ns, int64_t end_ns)
{
	st->start_ns = start_ns;
	st->end_ns = end_ns;
}
