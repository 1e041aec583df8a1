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

#include "model/event.h"
#include "cli/options.h"

struct eventlog;

/* An event log writing to f with cfg's -s/-t/-T settings. */
struct eventlog *eventlog_new(FILE *f, const struct config *cfg);

/* The pipeline sink: write one event (ctx is a struct eventlog *). */
void eventlog_event(void *ctx, const struct io_event *ev);

/* Format ev as one log line (with its newline) into buf, as the sink
 * would write it; returns the line's length (0: the event has no line). */
size_t eventlog_format(const struct config *cfg, const struct io_event *ev,
    char *buf, size_t bufsz);

/* Flush and free (does not close f). */
void eventlog_free(struct eventlog *el);

#endif /* IOSPY_EVENTLOG_H */
