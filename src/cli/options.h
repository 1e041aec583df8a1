/*
 * options.h: struct config, everything the command line (and a --limits
 * file) can say, and the parser that fills it.  The parser never exits or
 * prints: it returns a status and an error message so it can be tested.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_OPTIONS_H
#define IOSPY_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum run_mode {
	MODE_NONE = 0,		/* nothing to do (--help, --version) */
	MODE_LAUNCH,		/* iospy [options] [--] CMD [ARGS...] */
	MODE_ATTACH,		/* iospy [options] -p PID ... */
	MODE_REPLAY,		/* iospy [options] --replay FILE... */
	MODE_TOP,		/* iospy --top [--once]: /proc only, no tracing */
	MODE_AUTO,		/* iospy --auto: find the top writer, attach */
};

enum color_mode { COLOR_AUTO = 0, COLOR_ALWAYS, COLOR_NEVER };
enum wait_mode { WAIT_AUTO = 0, WAIT_SPIN, WAIT_BLOCK };

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
};

struct config {
	enum run_mode mode;

	/* what to trace */
	pid_t *pids;		/* -p PID (repeatable; "1,2" accepted) */
	size_t npids;
	char **argv;		/* the command to launch (NULL-terminated) */
	int argc;
	char **replay_files;	/* --replay FILE... */
	size_t nreplay;
	double duration;	/* --duration SECS, 0 = until the end */
	bool follow;		/* always true; -f accepted */

	/* the event log */
	const char *outfile;	/* -o FILE (strace format) */
	int strsize;		/* -s N (32) */
	int tflag;		/* -t, -tt, -ttt */
	bool Tflag;		/* -T */
	bool events;		/* -e / --events: print events to stderr */
	bool quiet;		/* -q: no "attached"/"detached" messages */

	/* the report */
	const char *report_file;	/* --report FILE */
	const char *json_file;		/* --json FILE ("-" = stdout) */
	bool no_report;			/* --no-report */
	enum color_mode color;
	double interval;		/* --interval SECS, 0 = off */
	struct notable_config notable;

	/* CI limits */
	struct limits_config limits;

	/* stacks */
	bool stack;			/* --stack[=SIZE] */
	bool stack_min_set;
	uint64_t stack_min;		/* 1 MiB, or --max-write when set */

	/* tracer tuning */
	enum wait_mode wait;
	bool pin;			/* --pin[=CPU] */
	int pin_cpu;			/* -1 = the CPU iospy runs on */
	bool seccomp;			/* launch mode filter (on; --no-seccomp) */

	/* system-wide (--top, --auto) */
	bool once;			/* --once: one sample, then exit */
	double auto_secs;		/* --auto[=SECS]: sampled before attaching (3) */
	bool interval_set;		/* --interval was given */
};

/* Return values of options_parse. */
#define OPTIONS_OK 0		/* run */
#define OPTIONS_EXIT 1		/* done (--help, --version printed by caller) */
#define OPTIONS_USAGE (-1)	/* bad usage: err holds the message */

/* What options_parse asks the caller to print for OPTIONS_EXIT. */
enum options_action { OPTACT_NONE = 0, OPTACT_HELP, OPTACT_VERSION };

/* Fill cfg with defaults. */
void options_defaults(struct config *cfg);

/*
 * Parse argv into cfg (which must hold defaults).  On OPTIONS_USAGE err
 * holds a one-line message; on OPTIONS_EXIT *action says what to print.
 */
int options_parse(struct config *cfg, int argc, char **argv,
    enum options_action *action, char *err, size_t errsz);

/*
 * Apply one "key = value" setting as from a --limits file (keys are the
 * long option names without dashes: max-write, fail-on, path...).
 * Returns 0 or -1 with err set.
 */
int options_set(struct config *cfg, const char *key, const char *value,
    char *err, size_t errsz);

/* Read a --limits file; returns 0 or -1 with err set (file:line: why). */
int options_load_limits(struct config *cfg, const char *path,
    char *err, size_t errsz);

/* Free what options_parse allocated. */
void options_free(struct config *cfg);

/* The --help text. */
extern const char options_help[];

/* The short usage printed on errors. */
extern const char options_usage[];

#endif /* IOSPY_OPTIONS_H */
