/*
 * stracelog_state.h: the line parser's state (files, calls left pending,
 * the parser itself) and the functions its two files share: the call
 * level in stracelog_line.c, the signal, exit and strace-message lines in
 * stracelog_msgs.c.  Internal to src/replay.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_REPLAY_STRACELOG_STATE_H
#define IOSPY_REPLAY_STRACELOG_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uthash.h>

#include "replay/stracelog.h"
#include "replay/stracelog_int.h"
/* Problems printed in full; the rest are counted. */
#define SL_REPORT_MAX 20

#define NS_PER_DAY (86400LL * 1000000000LL)
#define NS_HALF_DAY (NS_PER_DAY / 2)

struct sl_file {
	char *name;
	pid_t pid;		/* -ff suffix, or 0 */
	uint64_t lineno;
	int64_t rel_ns;		/* -r: sum of the deltas */
	int64_t day_ns;		/* -t/-tt: days wrapped past midnight */
	int64_t last_tod;	/* -1: none yet */
	bool summary;		/* inside a -c table */
	bool color;		/* ANSI colours seen */
	bool relative;		/* -r deltas seen: every line's time counts */
	pid_t cut_tid;		/* last call cut by a strace message, or -1 */
	bool any_call;
	uint64_t skipped;
};

/* A call printed in two halves, waiting for its second half. */
struct sl_pending {
	pid_t tid;
	bool active;
	bool cut;		/* cut by a strace message, not <unfinished ...> */
	enum io_sys sys;
	char *head;		/* "name(args so far" */
	size_t headlen, headcap;
	int64_t ts;
	int file;
	uint64_t lineno;
	/* exit_group was called and no "+++ exited" line followed yet (old
	   strace prints none): the process still ends, with this code */
	bool exiting;
	int64_t exit_code;
	UT_hash_handle hh;
};

struct stracelog {
	struct pipeline *pl;
	FILE *diag;
	struct source_hooks hooks;
	bool has_hooks;
	struct sl_file *files;
	size_t nfiles;
	pid_t first_pid;
	struct sl_pending *pending;
	size_t nactive;

	/* a call held until its -k frames were read: hev, which is ev or
	   an event a worker decoded */
	bool held;
	struct io_event *hev;
	struct io_event ev;
	struct io_stack stack;
	size_t frame_str[IO_STACK_MAX][2];	/* offsets+1 into fbuf, 0 = NULL */
	struct sl_arena ar;			/* strings of ev */
	char *fbuf;
	size_t flen, fcap;

	char *join;
	size_t joincap;
	char *clean;
	size_t cleancap;

	struct name_cache nc[NC_SIZE];
	const char *hint_name;		/* a used call's name skip_unused saw */
	const char *hint_end;		/* the '(' after it */
	enum io_sys hint_sys;

	uint64_t lines, events, skipped, unfinished, calls, summary, reported;
	uint64_t wbytes;	/* bytes of all writes delivered */
	uint64_t sum_rows, sum_calls, sum_errors;	/* -c tables */
	int64_t start_ns, end_ns, next_tick;
	bool stopped;
};

/* stracelog_line.c */
void sl_abandon(struct stracelog *sl, struct sl_pending *pd,
    const char *why);
void sl_emit(struct stracelog *sl, struct io_event *ev);
void sl_end_exiting(struct stracelog *sl, struct sl_pending *pd);
char *sl_grow(char **buf, size_t *cap, size_t n);
struct sl_pending *sl_pending_find(struct stracelog *sl, pid_t tid);
void sl_problem(struct stracelog *sl, int file, uint64_t lineno,
    const char *why, const char *text, size_t len, bool skipped);
void sl_set_pending(struct stracelog *sl, int file, uint64_t lineno,
    pid_t tid, int64_t ts, enum io_sys sys, const char *p, const char *e,
    bool cut);

/* stracelog_msgs.c */
void sl_early_child(struct stracelog *sl, pid_t tid);
void sl_exit_line(struct stracelog *sl, int file, struct sl_file *f,
    pid_t tid, int64_t ts, const char *p, const char *e);
bool sl_is_summary_row(const char *p, const char *e);
void sl_message(struct stracelog *sl, const char *p, const char *e);
void sl_name_from_comm(struct stracelog *sl, pid_t tid, const char *comm,
    size_t len);
void sl_signal_line(struct stracelog *sl, pid_t tid, int64_t ts,
    const char *p, const char *e);
size_t sl_strip_ansi(struct stracelog *sl, const char *line, size_t len);
void sl_summary_row(struct stracelog *sl, const char *p, const char *e);

#endif
