/*
 * eventlog.c: strace-format event writer (stub, see issue 3).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>

#include "eventlog.h"
#include "util.h"

struct eventlog {
	FILE *f;
	const struct config *cfg;
};

struct eventlog *
eventlog_new(FILE *f, const struct config *cfg)
{
	struct eventlog *el = xcalloc(1, sizeof(*el));

	el->f = f;
	el->cfg = cfg;
	return el;
}

void
eventlog_event(void *ctx, const struct io_event *ev)
{
	(void)ctx;
	(void)ev;
}

void
eventlog_free(struct eventlog *el)
{
	if (el != NULL)
		fflush(el->f);
	free(el);
}
