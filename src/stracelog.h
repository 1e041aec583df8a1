/*
 * stracelog.h: replay of recorded strace logs: every output variant strace
 * writes, parsed line by line into events for the pipeline.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_STRACELOG_H
#define IOSPY_STRACELOG_H

#include <stdint.h>
#include <stdio.h>

#include "options.h"
#include "pipeline.h"
#include "source.h"

/* What a replay saw. */
struct stracelog_result {
	uint64_t lines;		/* lines read */
	uint64_t events;	/* events delivered */
	uint64_t skipped;	/* lines it could not use */
	uint64_t unfinished;	/* calls never resumed */
	int64_t start_ns, end_ns;	/* first and last timestamps, or unknown */
};

/*
 * Replay cfg->replay_files as one run into pl.  Unusable lines are
 * reported to diag (file:line: why; the first 20 in full, then a count).
 * Returns 0, or -1 with err set when a file cannot be read at all.
 */
int stracelog_replay(const struct config *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, FILE *diag,
    struct stracelog_result *res, char *err, size_t errsz);

#endif /* IOSPY_STRACELOG_H */
