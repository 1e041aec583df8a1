/*
 * stracelog.h: replay of recorded strace logs: every output variant strace
 * writes, parsed line by line into events for the pipeline.
 *
 * Two levels: stracelog_replay reads whole files (plain, compressed, stdin,
 * -ff sets) as one run; the line API below (stracelog_new/feed/finish) is
 * what it drives, exposed for tests and the fuzzer.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_STRACELOG_H
#define IOSPY_STRACELOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "model/pipeline.h"
#include "model/source.h"

/* What to replay (the CLI fills it). */
struct replay_settings {
	char **files;		/* the logs, '-' = stdin (NULL-terminated) */
	size_t nfiles;
	struct replay_progress *progress;	/* a progress line, or NULL */
};

/* What a replay saw. */
struct stracelog_result {
	uint64_t lines;		/* lines read */
	uint64_t events;	/* events delivered */
	uint64_t skipped;	/* lines it could not use */
	uint64_t unfinished;	/* calls never resumed */
	int64_t start_ns, end_ns;	/* first and last timestamps, or unknown */
	uint64_t calls;		/* call lines seen (used or not) */
	uint64_t summary;	/* lines of -c summary tables (ignored) */
	uint64_t summary_syscalls, summary_calls, summary_errors;	/* their rows */
	bool relative;		/* some file's times are relative (-r) */
};

/*
 * Replay cfg->files as one run into pl.  Unusable lines are
 * reported to diag (file:line: why; the first 20 in full, then a count).
 * Returns 0, or -1 with err set when a file cannot be read at all.
 */
int stracelog_replay(const struct replay_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, FILE *diag,
    struct stracelog_result *res, char *err, size_t errsz);

/*
 * --replay FILE naming no file while FILE.PID files exist (strace -ff -o
 * FILE): replace cfg->files (malloc'ed strings) with that set; its size,
 * or 0 (cfg unchanged).
 */
size_t stracelog_expand_ff(struct replay_settings *cfg);

/* A replay in progress (the line-level API). */
struct stracelog;

/* A new line parser delivering into pl; diag may be NULL (no messages). */
struct stracelog *stracelog_new(struct pipeline *pl, FILE *diag);

/* Use hooks (tick and stop) while feeding; hooks may be NULL. */
void stracelog_set_hooks(struct stracelog *sl, const struct source_hooks *hooks);

/*
 * Declare an input file; returns its index for stracelog_feed.  pid > 0
 * is the process of its unprefixed lines (the suffix of a -ff file).
 */
int stracelog_add_file(struct stracelog *sl, const char *name, pid_t pid);

/* The process that unprefixed lines of files without a pid belong to. */
void stracelog_set_first_pid(struct stracelog *sl, pid_t pid);

/*
 * Feed one line of file (without its newline; need not be NUL-terminated).
 * partial: the line is the file's last and had no newline.
 */
void stracelog_feed(struct stracelog *sl, int file, const char *line,
    size_t len, bool partial);

/* Deliver the call held back for its -k stack frames, if any. */
void stracelog_flush(struct stracelog *sl);

/* Report a problem with file at line (counted as a skipped line). */
void stracelog_report(struct stracelog *sl, int file, uint64_t lineno,
    const char *why);

/* A note about file at line (the line is still read). */
void stracelog_note(struct stracelog *sl, int file, uint64_t lineno,
    const char *why);

/* The number of lines fed from file so far. */
uint64_t stracelog_file_lines(const struct stracelog *sl, int file);

/* The timestamp (ns) the prefix of line would give in file, without
 * changing any state; IO_TIME_UNKNOWN if it has none. */
int64_t stracelog_peek_time(const struct stracelog *sl, int file,
    const char *line, size_t len);

/* True if the line is a -k stack frame (" > ..."). */
bool stracelog_is_frame(const char *line, size_t len);

/*
 * Guess the first traced process of a log from its beginning (buf): the pid
 * of a leading "Process N attached", or the first prefixed pid that is not
 * a child created by the bare lines before it.  0 if it cannot tell.
 */
pid_t stracelog_guess_first_pid(const char *buf, size_t len);

/* End the run: deliver what is held, report calls never resumed, print
 * the count of unreported problems, fill res (may be NULL). */
void stracelog_finish(struct stracelog *sl, struct stracelog_result *res);

/* True once hooks->stop was seen set. */
bool stracelog_stopped(const struct stracelog *sl);

/* Free the parser. */
void stracelog_free(struct stracelog *sl);

#endif /* IOSPY_STRACELOG_H */
