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

#include "analysis/settings.h"
#include "live/settings.h"
#include "output/eventlog.h"
#include "output/report.h"
#include "replay/stracelog.h"

struct io_filter;

enum run_mode {
	MODE_NONE = 0,		/* nothing to do (--help, --version) */
	MODE_LAUNCH,		/* iospy [options] [--] CMD [ARGS...] */
	MODE_ATTACH,		/* iospy [options] -p PID ... */
	MODE_REPLAY,		/* iospy [options] --replay FILE... */
	MODE_TOP,		/* iospy --top [--once]: /proc only, no tracing */
	MODE_AUTO,		/* iospy --auto: find the top writer, attach */
};

enum color_mode { COLOR_AUTO = 0, COLOR_ALWAYS, COLOR_NEVER };

/*
 * Each layer declares the settings it reads (trace_settings for the live
 * engines, replay_settings, the analyses' thresholds and limits, the
 * outputs' settings); the command line fills them all here.  A value two
 * layers read (-s, -T, --stack, --duration) is parsed once and copied to
 * both at the end of options_parse.
 */
struct config {
	enum run_mode mode;

	struct trace_settings trace;	/* launch / attach */
	struct replay_settings replay;	/* --replay FILE... */

	/* the event log */
	const char *outfile;	/* -o FILE (strace format) */
	bool events;		/* --events: print events to stderr */
	bool ff;		/* -ff: with -o FILE, one FILE.TID per thread */
	int summary;		/* -c ('c': the table only), -C ('C': and the log) */
	bool summary_wall;	/* -w (the table is wall time anyway) */
	struct eventlog_settings eventlog;

	/* the report */
	const char *report_file;	/* --report FILE */
	const char *json_file;		/* --json FILE ("-" = stdout) */
	bool no_report;			/* --no-report */
	bool no_progress;		/* --no-progress */
	enum color_mode color;
	struct report_settings report;
	struct notable_config notable;
	uint64_t max_files;		/* --max-files N (0 = no cap) */

	/* CI limits */
	struct limits_config limits;

	bool stack_min_set;		/* --stack=SIZE given */

	/* system-wide (--top, --auto) */
	bool once;			/* --once: one sample, then exit */
	double auto_secs;		/* --auto[=SECS]: sampled before attaching (3) */
	bool interval_set;		/* --interval was given */

	/* strace's filters and fd decoding (cli/strace_flags.c) */
	struct io_filter *filter;	/* -e, -z, -Z, -P; NULL if none given */
	int yflag;			/* -y count */
	int zflags;			/* -z and -Z seen */
	char *strace_notes;		/* what strace would say on stderr */
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
