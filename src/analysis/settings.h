/*
 * settings.h: the thresholds the analyses read: what makes a file's
 * traffic notable (findings), and the CI limits.  The CLI fills them
 * from the command line and --limits files.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_ANALYSIS_SETTINGS_H
#define IOSPY_ANALYSIS_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --fail-on conditions (bit mask) */
#define FAIL_ON_ROTATION	0x1
#define FAIL_ON_DELETED_BACKUP	0x2
#define FAIL_ON_WRITE_TO_DELETED 0x4

/* The limits of --max-* / --fail-on / --path / --exclude / --limits. */
struct limits_config {
	bool has_max_write;
	uint64_t max_write;		/* bytes one write-like call moved */
	bool has_max_file_bytes;
	uint64_t max_file_bytes;	/* total to one file */
	bool has_max_total_bytes;
	uint64_t max_total_bytes;	/* all files together */
	bool has_max_churn;
	double max_churn;		/* anonymous bytes mapped per byte written */
	unsigned fail_on;		/* FAIL_ON_* */
	char **paths;			/* --path GLOB (NULL-terminated) */
	size_t npaths;
	char **excludes;		/* --exclude GLOB */
	size_t nexcludes;
	int error_exitcode;		/* exit status when a limit breaks (1) */
	const char *junit_file;		/* --junit FILE */
};

/* Thresholds that make something "notable" in the findings. */
struct notable_config {
	uint64_t write_size;	/* --notable-write: single writes at least this (1 MiB) */
	double churn;		/* --notable-churn: mapped/written ratio (1.0) */
	uint64_t churn_map;	/* --churn-min-map: anon maps counted as churn (1 MiB) */
	uint64_t rate;		/* --notable-rate: bytes/s to one file (10 MiB/s) */
	int64_t latency_ns;	/* --notable-latency: p99 of the timed writes to
				   a regular file (100 ms) */
	uint64_t latency_min;	/* ... over at least this many of them (10) */
};

#endif /* IOSPY_ANALYSIS_SETTINGS_H */
