/*
 * limits.h: CI limits (--max-write, --fail-on ...) checked against the
 * aggregated stats; each broken limit is a finding.
 *
 * Which files the limits apply to: with --path GLOBs, only files matching
 * one of them; without, every regular file (pipes, sockets, ttys, devices,
 * anon inodes and fds opened before the trace are left out unless a --path
 * names them).  --exclude GLOBs then remove files.  Globs are fnmatch(3)
 * patterns on the absolute path where '*' also matches '/'.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LIMITS_H
#define IOSPY_LIMITS_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/settings.h"
#include "analysis/stats.h"

enum limits_id {
	LIM_MAX_WRITE = 0,
	LIM_MAX_FILE_BYTES,
	LIM_MAX_TOTAL_BYTES,
	LIM_MAX_CHURN,
	LIM_ROTATION,
	LIM_DELETED_BACKUP,
	LIM_WRITE_TO_DELETED,
	LIM__COUNT
};

/* One broken limit for one file (or for all files: max-total-bytes). */
struct limits_finding {
	char *text;			/* one sentence, paths escaped */
	pid_t pid;			/* 0 for max-total-bytes */
	char *comm, *cmdline, *path;	/* raw (unescaped) copies, or NULL */
	double value;			/* what was seen (bytes, ratio, count) */
	uint64_t count;			/* calls/events beyond the limit */
	const struct stats_stack *stack;	/* the worst write's stack, or NULL */
};

/* One configured limit and its verdict. */
struct limits_verdict {
	enum limits_id id;
	const char *name;		/* "max-write", "fail-on rotation"... */
	char *desc;			/* "max-write 1.0 MiB" */
	bool set;			/* configured on this run */
	double limit;			/* bytes or ratio (0 for fail-on) */
	struct limits_finding *findings;
	size_t nfindings;
};

struct limits_result {
	struct limits_verdict v[LIM__COUNT];
	size_t nset;			/* limits configured */
	size_t broken;			/* findings in all */
	size_t broken_limits;		/* limits with at least one finding */
	/* writes to fds whose file could not be learned (opened before
	   the trace, not readable in /proc): no path limit could check
	   them, and the verdict says so */
	size_t unchecked_fds;
	uint64_t unchecked_writes, unchecked_bytes;
};

/* Check the limits lc against st; never NULL. */
struct limits_result *limits_check(const struct stats *st,
    const struct limits_config *lc);

/* Number of broken limits (findings; 0 = every limit held). */
size_t limits_broken(const struct limits_result *lr);

/* Do the limits lc apply to a file with this path and kind? */
bool limits_applies(const struct limits_config *lc, const char *path,
    enum stats_kind kind);

/* Write the verdicts as JUnit XML; 0 or -1. */
int limits_junit(FILE *f, const struct limits_result *lr,
    const struct limits_config *lc);

/* Free it. */
void limits_free(struct limits_result *lr);

#endif /* IOSPY_LIMITS_H */
