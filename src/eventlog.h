/*
 * eventlog.h: write events in strace's own output format (-o, -e), with a
 * pid prefix on every line and -y style fd paths, so that iospy --replay
 * reads them back.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_EVENTLOG_H
#define IOSPY_EVENTLOG_H

#include <stdio.h>

#include "event.h"
#include "options.h"

struct eventlog;

/* An event log writing to f with cfg's -s/-t/-T settings. */
struct eventlog *eventlog_new(FILE *f, const struct config *cfg);

/* The pipeline sink: write one event (ctx is a struct eventlog *). */
void eventlog_event(void *ctx, const struct io_event *ev);

/* Flush and free (does not close f). */
void eventlog_free(struct eventlog *el);

#endif /* IOSPY_EVENTLOG_H */
