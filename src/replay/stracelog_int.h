/*
 * stracelog_int.h: what the parts of the strace-log replay share.  The file
 * reader (stracelog.c) feeds the line parser (stracelog_line.c), which reads
 * each line's prefix (stracelog_prefix.c), decodes complete calls
 * (stracelog_call.c, also run by the worker threads) from their arguments
 * (stracelog_args.c, stracelog_flags.c), all made of the scanners of
 * scan.c / scan.h.  Not for use outside src/replay/.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_STRACELOG_INT_H
#define IOSPY_STRACELOG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/event.h"
#include "replay/scan.h"

/* Most arguments a call has (more are walked over, not kept). */
#define SL_MAX_ARGS 8

/* Bytes of written data (or execve argv) kept as a preview. */
#define SL_DATA_MAX 4096

/* Largest fd a log may name (the kernel's default nr_open is 2^20). */
#define SL_FD_MAX (1 << 24)

/* x86_64 values strace's names stand for. */
#define AT_FDCWD_VALUE (-100)
#define O_CLOEXEC_VALUE 02000000ULL

/*
 * Scratch memory for the strings of one event.  It is sized before a line
 * is decoded (sl_arena_reset) so pointers into it stay valid: decoded text
 * is never longer than the text it comes from.
 */
struct sl_arena {
	char *buf;
	size_t len, cap;
};

/* The top-level arguments of a call, split on commas outside nesting. */
struct sl_args {
	int n;
	const char *p[SL_MAX_ARGS];	/* value (after any "name=") */
	size_t len[SL_MAX_ARGS];
	const char *name[SL_MAX_ARGS];	/* "name" of "name=value", or NULL */
	size_t namelen[SL_MAX_ARGS];
};

/* An fd as strace prints it: 3, AT_FDCWD, 3</path>, -100 / * AT_FDCWD * /. */
struct sl_fdref {
	bool ok;		/* a number was there */
	int fd;
	const char *path;	/* -y annotation, decoded; NULL if none */
	bool deleted;		/* "(deleted)" */
};

/* Empty the arena and make room for at least n bytes. */
void sl_arena_reset(struct sl_arena *a, size_t n);

/* Free the arena's memory. */
void sl_arena_free(struct sl_arena *a);

/* Copy n bytes (plus a NUL) into the arena; NULL when out of room. */
char *sl_arena_dup(struct sl_arena *a, const char *s, size_t n);

/* Where the next string goes, with *room bytes left (for writing in
   place, then sl_arena_commit). */
static inline char *
sl_arena_top(struct sl_arena *a, size_t *room)
{
	*room = a->cap - a->len;
	return a->buf + a->len;
}

/* Keep the n bytes (and the NUL after them) written at sl_arena_top. */
static inline void
sl_arena_commit(struct sl_arena *a, size_t n)
{
	a->len += n + 1;
}

/*
 * Index in s of the ')' closing a call whose arguments start at s, walking
 * quotes and ([{ nesting; len if there is none.  Top-level commas are
 * stored in args when args is not NULL.
 */
size_t sl_args_split(const char *s, size_t len, struct sl_args *args);

/*
 * Parse the result part after "= ": number or ?, -y annotation, errno,
 * -T duration.  Fills ev->ret, ev->err, ev->dur_ns; *annot gets the
 * decoded "= 3</path>" annotation (or NULL).  Returns false if there is no
 * result to read.
 */
bool sl_parse_result(const char *s, size_t len, struct io_event *ev,
    struct sl_arena *ar, struct sl_fdref *annot);

/* Decode the arguments of call sys into ev (strings go to ar). */
void sl_decode_args(struct io_event *ev, enum io_sys sys,
    const struct sl_args *a, const struct sl_fdref *resannot,
    struct sl_arena *ar);

/* write(FD[<path>], "text"[...], N) = R[ <dur>] in one pass (a: after
 * the '('); false, with nothing relied on set, for any other shape. */
bool sl_fast_write(struct io_event *ev, const char *a, const char *e,
    struct sl_arena *ar);

/* Parse a number as strace prints it (decimal, 0x hex, 0 octal, NULL,
 * ~0U, [N]); false if there is none. */
bool sl_parse_num(const char *p, const char *e, int64_t *v);

/* sl_parse_num, saying how the number fits (it does not touch sc_range). */
bool sl_parse_num_r(const char *p, const char *e, int64_t *v,
    enum sl_fit *range);

/* Parse symbolic flags ("O_WRONLY|O_CREAT", "0x441 / * ... * /",
 * "CLONE_VM|SIGCHLD") into their x86_64 values. */
uint64_t sl_parse_flags(const char *p, const char *e);

/* Parse an fd argument with its optional -y annotation. */
void sl_parse_fd(const char *p, const char *e, struct sl_arena *ar,
    struct sl_fdref *out);

/* Parse a quoted string at p into the arena (at most max bytes kept);
 * returns the decoded text or NULL when p is not a string. */
const char *sl_parse_string(const char *p, const char *e, struct sl_arena *ar,
    size_t max, size_t *outlen, bool *trunc);

/* Parse a decimal number of seconds with an optional fraction into ns;
 * returns the end of the number or NULL. */
const char *sl_parse_seconds(const char *p, const char *e, int64_t *ns);

/* The call of a line too long to keep, from its first hn and last tn
   bytes, with the string open at the end of head cut short (out has room
   for hn + tn + 8); 0 when the line is not of that shape (longline.c). */
size_t sl_long_line(const char *head, size_t hn, const char *tail, size_t tn,
    char *out);

/* ------------------------------------------------------------ prefix */

enum ts_kind { TS_NONE = 0, TS_TOD, TS_EPOCH, TS_REL };

/* What stands before a call: pid (or "[pid N]"), -Y name, time, -i. */
struct sl_prefix {
	bool has_pid;
	pid_t tid;
	enum ts_kind kind;
	int64_t tval;
	const char *comm;	/* -Y: the command name after the pid */
	size_t commlen;
	const char *rest;	/* what follows the prefix */
};

/* Parse the prefix of the line p..e (pre->rest: what follows it). */
void sl_parse_prefix(const char *p, const char *e, struct sl_prefix *pre);

/* The commonest prefix, "PID  HH:MM:SS.ffffff " (or the time alone)
   before the name at name, as sl_parse_prefix would read it; false for
   anything else. */
bool sl_prefix_fast(const char *p, const char *name, struct sl_prefix *pre);

/* ------------------------------------------------------------ calls */

/* A small cache of syscall names in front of syscalls_by_name. */
#define NC_SIZE 1024
#define NC_NAME 24

struct name_cache {
	char name[NC_NAME];
	unsigned char len;	/* 0: empty */
	unsigned char sys;
};

/* io_sys of a syscall name, through the small cache nc. */
enum io_sys sl_lookup_nc(struct name_cache *nc, const char *name, size_t len);

/* How sl_build_call ended. */
enum sl_build {
	SB_OK, SB_NOT_CALL, SB_CUT, SB_NO_PAREN, SB_NO_RESULT, SB_BAD_RESULT,
	SB_BAD_FD, SB_RANGE,
};

/*
 * p..e: "name(args) = result": decode it into *evp (strings into ar,
 * emptied first) without touching the parser's state.  The caller sets
 * the thread and time.  nameend, when not NULL, is the '(' the caller
 * found after the name.  partial: the log's last line, without its
 * newline; may_cut: a missing ')' may mean a strace message cut the line.
 */
enum sl_build sl_build_call(struct sl_arena *ar, struct io_event *evp,
    enum io_sys sys, const char *p, const char *e, bool partial,
    bool may_cut, const char *nameend);

/* A used call's name, as sl_scan_unused saw it. */
struct sl_hint {
	const char *name;	/* NULL: none */
	const char *end;	/* the '(' after it */
	enum io_sys sys;
};

/*
 * The fast path for the lines of calls iospy does not use: skip the
 * prefix without parsing it, look the name up, and stop there when the
 * call is complete on its line (true).  Anything else (prefix forms that
 * need a look, halves of calls, known calls) takes the full path; for a
 * known call, h gets its name.  Uses no parser state but the name cache.
 */
bool sl_scan_unused(struct name_cache *nc, const char *line, size_t len,
    struct sl_hint *h);

/* True if the line (p..e, without its newline) ends the way strace's
   own "Process N attached" messages do, so one may sit inside it (logs
   written with 2>&1): both the parser and the workers ask this. */
static inline bool
sl_may_end_in_message(const char *p, const char *e)
{
	return e - p > 16 && (sc_ends(p, e, "attached") ||
	    sc_ends(p, e, "detached") || sc_ends(p, e, "(waiting for parent)"));
}

/* ------------------------------------------------------------ batches */

/*
 * Parallel replay (stracelog.c): worker threads read whole blocks of
 * lines ahead of the parser and decode what needs no state (the prefix,
 * a complete call's arguments); the parser then takes the lines in order,
 * applying what does need state (times past midnight, fd tables, pending
 * halves, problems).  A line the workers cannot be sure of is left raw and
 * goes through stracelog_feed as in a sequential replay, so both ways give
 * the same result.
 */
enum sl_rec_kind {
	SLR_RAW = 0,	/* feed the text as it is */
	SLR_UNUSED,	/* a complete call iospy does not use */
	SLR_CALL,	/* a complete call, decoded into ev[evi] */
};

struct sl_rec {
	const char *line;	/* into the block; valid while it is */
	size_t len;
	uint8_t kind;
	bool partial;		/* the last line, without its newline */
	bool frame;		/* a -k stack frame line */
	size_t evi;		/* SLR_CALL: index into the batch's events */
	struct sl_prefix pre;	/* SLR_CALL: the line's prefix */
};

/* Strings of a batch's events: blocks that never move. */
struct sl_ablock {
	char *buf;
	size_t len, cap;
};

/* What a worker made of one block of lines. */
struct sl_batch {
	struct sl_rec *rec;
	size_t nrec, reccap;
	struct io_event *ev;
	size_t nev, evcap;
	struct sl_ablock *blk;
	size_t nblk, cur;
};

/* A worker's own state (its name cache). */
struct sl_worker;

/* A new worker; free it with sl_worker_free. */
struct sl_worker *sl_worker_new(void);

/* Free a worker. */
void sl_worker_free(struct sl_worker *w);

/* Decode the lines of buf[0..len) into b (emptied first).  Every line of
   buf ends with a newline except, when last_partial, the last one. */
void sl_worker_batch(struct sl_worker *w, const char *buf, size_t len,
    bool last_partial, struct sl_batch *b);

/* Free a batch's memory. */
void sl_batch_free(struct sl_batch *b);

struct stracelog;

/* Feed record i of b (a line of file) with the effect stracelog_feed
   would have on its text; the caller flushes before a record that is not
   a -k frame, as feed_one does. */
void sl_feed_rec(struct stracelog *sl, int file, struct sl_batch *b,
    size_t i);

/* Copy the held call's strings into the parser's own memory (before the
   block they point into is reused). */
void sl_keep_held(struct stracelog *sl);

#endif /* IOSPY_STRACELOG_INT_H */
