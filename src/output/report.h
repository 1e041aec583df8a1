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

#include "analysis/limits.h"
#include "analysis/stats.h"

/*
 * What the report states about the run's settings (the CLI fills it).
 * The findings' thresholds are the ones the stats were made with.
 */
struct report_settings {
	double interval;	/* --interval SECS, 0 = off */
	double duration;	/* --duration SECS, 0 = none */
	bool stack;		/* --stack was on */
	uint64_t stack_min;	/* its threshold */
	size_t show;		/* --show N: rows per view (10); 0 = --all */
	char *const *paths;	/* --path GLOBs: the files the text shows */
	size_t npaths;
	char *const *excludes;	/* --exclude GLOBs: files it does not show */
	size_t nexcludes;
};

/* The version of the JSON schema (the top-level "version" field). */
#define REPORT_JSON_VERSION 2

struct report_system;

/* Extra facts about the run the report states (source, skipped lines...). */
struct report_meta {
	const char *mode;		/* "launch", "attach", "replay" */
	const char *const *sources;	/* command argv / replay files, NULL-terminated */
	bool pinned;			/* --pin was on */
	uint64_t lines_skipped;		/* replay: lines it could not use */
	uint64_t unfinished;		/* replay: calls never resumed */
	uint64_t stacks_unwound;	/* live --stack: stacks unwound */
	bool interrupted;		/* replay stopped by a signal: partial */
	uint64_t interrupted_line;	/* lines read when it stopped */
	int interrupted_signal;
	const struct report_system *system;	/* live: the device section, or NULL */
	const char *engine;		/* live: "ptrace" or "bpf" (NULL: replay) */
	const char *engine_reason;	/* --engine=auto: why that engine */
	bool has_lost;			/* bpf: lost_events is meaningful */
	uint64_t lost_events;		/* bpf: records lost to a full ring buffer */
	const char *filter;		/* strace's -e trace=... -P ... as given
					   (normalised), or NULL: nothing filtered */
	uint64_t filter_withheld;	/* calls seen but filtered out */
	bool relative_time;		/* replay: the log's times are relative (-r) */
	const struct report_child *untraced;	/* attach: children started
						   before it, not traced */
	size_t nuntraced;		/* how many there were in all */
	size_t nuntraced_shown;		/* how many are in untraced */
};

/* A child of an attached process that ran before the attach. */
struct report_child {
	int pid, parent;
	char comm[32];			/* escaped */
};

/* The note on children the attach did not trace (nothing without any);
   0 or -1. */
int report_untraced_text(FILE *f, const struct report_meta *meta);

/* A notable fact about one (process, file), as one sentence. */
struct report_finding {
	const struct stats_file *file;
	char *text;			/* paths and names escaped */
	unsigned what;			/* REPORT_F_* bits */
};

#define REPORT_F_BIG_WRITES	0x01	/* single writes >= --notable-write */
#define REPORT_F_RATE		0x02	/* >= --notable-rate */
#define REPORT_F_CHURN		0x04	/* churn ratio >= --notable-churn */
#define REPORT_F_ROTATION	0x08	/* rotated or copy-truncated */
#define REPORT_F_DELETED_BACKUP	0x10	/* backups deleted */
#define REPORT_F_WRITE_DELETED	0x20	/* written after unlink */
#define REPORT_F_LATENCY	0x40	/* p99 write time >= --notable-latency */

/* The findings for st, most bytes first; free with report_findings_free. */
struct report_finding *report_findings(const struct stats *st,
    const struct report_settings *cfg, size_t *n);

/* Free what report_findings returned. */
void report_findings_free(struct report_finding *f, size_t n);

/* Write the text report to f (colour when color is true); 0 or -1. */
int report_text(FILE *f, const struct stats *st, const struct limits_result *lr,
    const struct report_meta *meta, const struct report_settings *cfg,
    bool color);

/* Write the JSON report to f; 0 or -1. */
int report_json(FILE *f, const struct stats *st, const struct limits_result *lr,
    const struct report_meta *meta, const struct report_settings *cfg);

/* Write one --interval line per file active since the last call. */
void report_interval(FILE *f, struct stats *st, int64_t now_ns);

#endif /* IOSPY_REPORT_H */
