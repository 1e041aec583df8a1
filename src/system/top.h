/*
 * top.h: the --top view of the system-wide sampler: device lines, then
 * processes by write rate; a refreshing screen on a terminal, one sample
 * as text or JSON with --once.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SYSTEM_TOP_H
#define IOSPY_SYSTEM_TOP_H

#include <signal.h>
#include <stdio.h>

#include "system/sampler.h"

/*
 * Print rates as text: a header, the whole disks that did any I/O, then up
 * to maxprocs processes that wrote (0 = all of them), each line cut to
 * width columns (0 = no limit).  Names and command lines are escaped.
 * Returns 0 or -1 on a write error.
 */
int top_print(FILE *f, const struct system_settings *set,
    const struct sys_rates *r, size_t maxprocs, int width);

/* Write rates as one JSON document; 0 or -1 on a write error. */
int top_json(FILE *f, const struct system_settings *set,
    const struct sys_rates *r);

/*
 * Run --top: with set->once, one sample over set->interval printed to out
 * (and the JSON to set->json_file); else a refreshing view while out is a
 * terminal (q quits and the terminal is restored), or a text sample every
 * interval when it is not, until *stop is set.  Returns 0, 1 when the
 * sampler failed (err set), 2 when an output could not be written.
 */
int top_run(const struct system_settings *set, FILE *out,
    volatile sig_atomic_t *stop, char *err, size_t errsz);

#endif /* IOSPY_SYSTEM_TOP_H */
