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
#include <stdbool.h>

struct eventlog;

/* How the event log writes each line (the CLI fills it). */
struct eventlog_settings {
	int strsize;		/* -s N: bytes of data shown (32) */
	int tflag;		/* -t, -tt, -ttt: time prefix */
	bool Tflag;		/* -T: the time spent in each call */
	unsigned decode_fds;	/* -y, -yy: FILTER_FD_* bits (paths are
				   always shown; socket: protocols too) */
	bool no_tid;		/* no tid column (-ff: the file name says it) */
	int xflag;		/* -x: non-ASCII strings in hex; -xx: all */
	bool rflag;		/* -r: time since the previous line */
};

/* An event log writing to f with these settings (kept by pointer). */
struct eventlog *eventlog_new(FILE *f, const struct eventlog_settings *cfg);

/* The pipeline sink: write one event (ctx is a struct eventlog *). */
void eventlog_event(void *ctx, const struct io_event *ev);

/* Format ev as one log line (with its newline) into buf, as the sink
 * would write it; returns the line's length (0: the event has no line). */
size_t eventlog_format(const struct eventlog_settings *cfg, const struct io_event *ev,
    char *buf, size_t bufsz);

/* Flush and free (does not close f). */
void eventlog_free(struct eventlog *el);

/* -r's previous line (ns, have): shared by the logs of a -ff set, as
 * strace's -r counts from the previous line of any process. */
void eventlog_get_prev(const struct eventlog *el, int64_t *ns, bool *have);
void eventlog_set_prev(struct eventlog *el, int64_t ns, bool have);

/*
 * -ff -o FILE: one log per thread, FILE.TID, opened when its first line
 * comes (eventlog_ff.c).  eventlog_ff_free closes them all; -1 with err
 * set if a file could not be opened or written.
 */
struct eventlog_ff;
struct eventlog_ff *eventlog_ff_new(const char *base,
    const struct eventlog_settings *cfg);
void eventlog_ff_event(void *ctx, const struct io_event *ev);
int eventlog_ff_free(struct eventlog_ff *ff, char *err, size_t errsz);

#endif /* IOSPY_EVENTLOG_H */
