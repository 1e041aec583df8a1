/*
 * report_latency.h: how long the writes to each file take (from the call
 * times: live, or a replayed -T log): the text report's line, the JSON
 * object and the finding's clause.  Internal to src/output.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_OUTPUT_REPORT_LATENCY_H
#define IOSPY_OUTPUT_REPORT_LATENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/stats.h"

/* "min 4 us, median 9 us, p99 1.2 s, max 1.3 s (120 timed writes)" into
   buf; false if no write to the file was timed. */
bool report_latency_text(const struct stats_file *sf, char *buf,
    size_t bufsz);

/* True if the file's writes are a finding: a regular file, at least
   notable->latency_min timed writes, p99 at least notable->latency_ns. */
bool report_latency_notable(const struct stats_file *sf,
    const struct notable_config *notable);

/* The finding's clause ("; writes to PATH take 1.2 s each at p99 ...")
   into buf (path escaped by the caller). */
void report_latency_clause(const struct stats_file *sf, const char *path,
    char *buf, size_t bufsz);

#endif /* IOSPY_OUTPUT_REPORT_LATENCY_H */
