/*
 * report.h: the human report (text), the machine report (JSON) and the
 * --interval lines, all from a struct stats and the limit verdicts.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_REPORT_H
#define IOSPY_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "limits.h"
#include "options.h"
#include "stats.h"

/* Extra facts about the run the report states (source, skipped lines...). */
struct report_meta {
	const char *mode;		/* "launch", "attach", "replay" */
	const char *const *sources;	/* command argv / replay files, NULL-terminated */
	bool pinned;			/* --pin was on */
	uint64_t lines_skipped;		/* replay: lines it could not use */
	uint64_t unfinished;		/* replay: calls never resumed */
};

/* Write the text report to f (colour when color is true); 0 or -1. */
int report_text(FILE *f, const struct stats *st, const struct limits_result *lr,
    const struct report_meta *meta, const struct config *cfg, bool color);

/* Write the JSON report to f; 0 or -1. */
int report_json(FILE *f, const struct stats *st, const struct limits_result *lr,
    const struct report_meta *meta, const struct config *cfg);

/* Write one --interval line per file active since the last call. */
void report_interval(FILE *f, struct stats *st, int64_t now_ns);

#endif /* IOSPY_REPORT_H */
