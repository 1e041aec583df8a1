/*
 * stracelog_line.c: the line level of the strace-log parser.  Each line is
 * split into its prefix (pid, timestamp, -i address) and its body: a call,
 * half a call (<unfinished ...> / <... resumed>), a signal or exit line,
 * a -k stack frame, or strace's own chatter.  Complete calls become events
 * for the pipeline; everything else is counted.
 *
 * Speed: lines of calls iospy does not use stop after the name lookup (a
 * small cache in front of syscalls_by_name) and an O(1) look at the line's
 * end for "<unfinished ...>".
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <sched.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "replay/scan.h"
#include "replay/stracelog_state.h"
#include "model/syscalls.h"
#include "base/util.h"


char *
sl_grow(char **buf, size_t *cap, size_t n)
{
	if (*cap < n) {
		size_t c = *cap ? *cap : 256;

		while (c < n)
			c *= 2;
		*buf = xrealloc(*buf, c);
		*cap = c;
	}
	return *buf;
}

static struct sl_pending *pending_get(struct stracelog *sl, pid_t tid);

/* ------------------------------------------------------------ reports */

void
sl_problem(struct stracelog *sl, int file, uint64_t lineno, const char *why,
    const char *text, size_t len, bool skipped)
{
	char name[512], ex[256];

	if (skipped) {
		sl->skipped++;
		if (file >= 0 && (size_t)file < sl->nfiles)
			sl->files[file].skipped++;
	}
	sl->reported++;
	if (sl->diag == NULL || sl->reported > SL_REPORT_MAX)
		return;
	util_escape_path(file >= 0 && (size_t)file < sl->nfiles ?
	    sl->files[file].name : "?", name, sizeof(name));
	if (text != NULL && len > 0) {
		size_t n = len > 72 ? 72 : len;

		util_escape(ex, sizeof(ex), text, n);
		fprintf(sl->diag, "%s:%" PRIu64 ": %s: \"%s\"%s\n", name,
		    lineno, why, ex, n < len ? "..." : "");
	} else
		fprintf(sl->diag, "%s:%" PRIu64 ": %s\n", name, lineno, why);
}

/* Report a problem with file at line (counted as a skipped line). */
void
stracelog_report(struct stracelog *sl, int file, uint64_t lineno,
    const char *why)
{
	sl_problem(sl, file, lineno, why, NULL, 0, true);
}

/* A note about file at line (not a skipped line). */
void
stracelog_note(struct stracelog *sl, int file, uint64_t lineno,
    const char *why)
{
	sl_problem(sl, file, lineno, why, NULL, 0, false);
}

/* ------------------------------------------------------------ life */

/* A new line parser delivering into pl. */
struct stracelog *
stracelog_new(struct pipeline *pl, FILE *diag)
{
	struct stracelog *sl = xcalloc(1, sizeof(*sl));

	sl->pl = pl;
	sl->diag = diag;
	sl->start_ns = IO_TIME_UNKNOWN;
	sl->end_ns = IO_TIME_UNKNOWN;
	sl->next_tick = IO_TIME_UNKNOWN;
	return sl;
}

/* Use hooks (tick and stop) while feeding. */
void
stracelog_set_hooks(struct stracelog *sl, const struct source_hooks *hooks)
{
	if (hooks == NULL) {
		sl->has_hooks = false;
		return;
	}
	sl->hooks = *hooks;
	sl->has_hooks = true;
}

/* Declare an input file. */
int
stracelog_add_file(struct stracelog *sl, const char *name, pid_t pid)
{
	struct sl_file *f;

	sl->files = xrealloc(sl->files, (sl->nfiles + 1) * sizeof(*sl->files));
	f = &sl->files[sl->nfiles];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name != NULL ? name : "-");
	f->pid = pid > 0 ? pid : 0;
	f->last_tod = -1;
	f->cut_tid = -1;
	return (int)sl->nfiles++;
}

/* The process of unprefixed lines. */
void
stracelog_set_first_pid(struct stracelog *sl, pid_t pid)
{
	if (pid > 0)
		sl->first_pid = pid;
}

/* Lines fed from file so far. */
uint64_t
stracelog_file_lines(const struct stracelog *sl, int file)
{
	if (file < 0 || (size_t)file >= sl->nfiles)
		return 0;
	return sl->files[file].lineno;
}

/* True once hooks->stop was seen set. */
bool
stracelog_stopped(const struct stracelog *sl)
{
	return sl->stopped;
}

/* Free the parser. */
void
stracelog_free(struct stracelog *sl)
{
	struct sl_pending *pd, *tmp;
	size_t i;

	if (sl == NULL)
		return;
	HASH_ITER(hh, sl->pending, pd, tmp) {
		HASH_DEL(sl->pending, pd);
		free(pd->head);
		free(pd);
	}
	for (i = 0; i < sl->nfiles; i++)
		free(sl->files[i].name);
	free(sl->files);
	sl_arena_free(&sl->ar);
	free(sl->fbuf);
	free(sl->join);
	free(sl->clean);
	free(sl);
}

/* ------------------------------------------------------------ names */

static enum io_sys
lookup(struct stracelog *sl, const char *name, size_t len)
{
	return sl_lookup_nc(sl->nc, name, len);
}

/* ------------------------------------------------------------ delivery */

static void
deliver(struct stracelog *sl, struct io_event *ev)
{
	int64_t ts = ev->ts_ns;

	if (ts != IO_TIME_UNKNOWN) {
		if (sl->has_hooks && sl->hooks.tick != NULL &&
		    sl->hooks.interval_ns > 0) {
			int64_t iv = sl->hooks.interval_ns;

			if (sl->next_tick == IO_TIME_UNKNOWN)
				sl->next_tick = ts + iv;
			else if (ts >= sl->next_tick) {
				if ((ts - sl->next_tick) / iv > 1000) {
					/* a jump (a gap in the log): one line */
					sl->hooks.tick(sl->hooks.tick_ctx, ts);
					sl->next_tick = ts + iv;
				} else {
					while (ts >= sl->next_tick) {
						sl->hooks.tick(sl->hooks.tick_ctx,
						    sl->next_tick);
						sl->next_tick += iv;
					}
				}
			}
		}
		if (sl->start_ns == IO_TIME_UNKNOWN || ts < sl->start_ns)
			sl->start_ns = ts;
		if (sl->end_ns == IO_TIME_UNKNOWN || ts > sl->end_ns)
			sl->end_ns = ts;
	}
	if (ev->sys == IOSYS_EXIT_GROUP) {
		struct sl_pending *pd = pending_get(sl, ev->tid);

		pd->exiting = true;
		pd->exit_code = ev->ret;
	}
	pipeline_event(sl->pl, ev);
	sl->events++;
}

/* Deliver the held call. */
void
stracelog_flush(struct stracelog *sl)
{
	int i;

	if (!sl->held)
		return;
	sl->held = false;
	if (sl->stack.nframes > 0) {
		for (i = 0; i < sl->stack.nframes; i++) {
			size_t m = sl->frame_str[i][0], f = sl->frame_str[i][1];

			sl->stack.frames[i].module = m ? sl->fbuf + m - 1 : NULL;
			sl->stack.frames[i].func = f ? sl->fbuf + f - 1 : NULL;
		}
		sl->hev->stack = &sl->stack;
	}
	deliver(sl, sl->hev);
}

/* Deliver a pseudo event now (after the held call). */
void
sl_emit(struct stracelog *sl, struct io_event *ev)
{
	stracelog_flush(sl);
	deliver(sl, ev);
}

/* ------------------------------------------------------------ frames */

/* True if the line is a -k stack frame. */
bool
stracelog_is_frame(const char *line, size_t len)
{
	return len >= 3 && line[0] == ' ' && line[1] == '>' && line[2] == ' ';
}

static size_t
fstr(struct stracelog *sl, const char *s, size_t n)
{
	size_t off;

	sl_grow(&sl->fbuf, &sl->fcap, sl->flen + n + 1);
	off = sl->flen;
	memcpy(sl->fbuf + off, s, n);
	sl->fbuf[off + n] = '\0';
	sl->flen += n + 1;
	return off + 1;
}

/* " > /lib/libc.so.6(__write+0x10) [0xf8350]" */
static void
add_frame(struct stracelog *sl, const char *line, size_t len)
{
	const char *p = line + 3, *e = line + len, *q, *lp, *rp;
	struct io_frame *fr;
	int i;
	int64_t v;

	if (!sl->held || sl->stack.nframes >= IO_STACK_MAX)
		return;
	i = sl->stack.nframes++;
	fr = &sl->stack.frames[i];
	memset(fr, 0, sizeof(*fr));
	sl->frame_str[i][0] = sl->frame_str[i][1] = 0;
	e = sc_rtrim(p, e);
	if (e > p && e[-1] == ']') {
		q = e - 1;
		while (q > p && *q != '[')
			q--;
		if (*q == '[' && sl_parse_num(q + 1, e, &v))
			fr->ip = (uint64_t)v;
		if (*q == '[')
			e = sc_rtrim(p, q);
	}
	if (e <= p)
		return;
	lp = memchr(p, '(', (size_t)(e - p));
	if (lp == NULL) {
		/* " > unexpected_backtracking" or "> [unknown]" */
		if (e > p)
			sl->frame_str[i][0] = fstr(sl, p, (size_t)(e - p));
		return;
	}
	if (lp > p)
		sl->frame_str[i][0] = fstr(sl, p, (size_t)(lp - p));
	rp = e;
	while (rp > lp && rp[-1] != ')')
		rp--;
	if (rp > lp)
		rp--;
	else
		rp = e;
	q = lp + 1;
	{
		const char *plus = q;

		while (plus < rp && *plus != '+')
			plus++;
		if (plus > q)
			sl->frame_str[i][1] = fstr(sl, q, (size_t)(plus - q));
		if (plus < rp && sl_parse_num(plus + 1, rp, &v))
			fr->offset = (uint64_t)v;
	}
}

static int64_t
time_of(const struct sl_file *f, const struct sl_prefix *pre, bool commit,
    struct sl_file *wf)
{
	int64_t day;

	switch (pre->kind) {
	case TS_TOD:
		day = f->day_ns;
		/* no date: a clock going back by more than 12 h is the next
		   day */
		if (f->last_tod >= 0 && pre->tval + NS_HALF_DAY < f->last_tod &&
		    day < 100000 * NS_PER_DAY)	/* no overflow on junk */
			day += NS_PER_DAY;
		if (commit) {
			wf->day_ns = day;
			wf->last_tod = pre->tval;
		}
		return day + pre->tval;
	case TS_EPOCH:
		return pre->tval;
	case TS_REL:
		if (commit) {
			wf->relative = true;
			if (wf->rel_ns < INT64_MAX / 4)
				wf->rel_ns += pre->tval;
			return wf->rel_ns;
		}
		return f->rel_ns + pre->tval;
	default:
		return IO_TIME_UNKNOWN;
	}
}

/* The timestamp a line would give, without changing state. */
int64_t
stracelog_peek_time(const struct stracelog *sl, int file, const char *line,
    size_t len)
{
	struct sl_prefix pre;

	if (file < 0 || (size_t)file >= sl->nfiles)
		return IO_TIME_UNKNOWN;
	sl_parse_prefix(line, line + len, &pre);
	if (pre.kind == TS_REL)
		return IO_TIME_UNKNOWN;	/* -r: no absolute time */
	return time_of(&sl->files[file], &pre, false, NULL);
}

/* ------------------------------------------------------------ calls */

static void complete_call(struct stracelog *sl, int file, uint64_t lineno,
    pid_t tid, int64_t ts, enum io_sys sys, const char *p, const char *e,
    bool partial, bool may_cut, const char *nameend);

struct sl_pending *
sl_pending_find(struct stracelog *sl, pid_t tid)
{
	struct sl_pending *pd;

	if (sl->nactive == 0)
		return NULL;
	HASH_FIND(hh, sl->pending, &tid, sizeof(tid), pd);
	return pd != NULL && pd->active ? pd : NULL;
}

/* The entry of tid (made when missing). */
static struct sl_pending *
pending_get(struct stracelog *sl, pid_t tid)
{
	struct sl_pending *pd;

	HASH_FIND(hh, sl->pending, &tid, sizeof(tid), pd);
	if (pd == NULL) {
		pd = xcalloc(1, sizeof(*pd));
		pd->tid = tid;
		HASH_ADD(hh, sl->pending, tid, sizeof(tid), pd);
	}
	return pd;
}

/* The process of tid ends with code (exit_group seen, no "+++" line). */
void
sl_end_exiting(struct stracelog *sl, struct sl_pending *pd)
{
	struct io_event ev;

	pd->exiting = false;
	if (!pipeline_thread_known(sl->pl, pd->tid))
		return;
	io_event_init(&ev);
	ev.tid = pd->tid;
	ev.cls = IOC_PSEUDO;
	ev.sys = IOSYS_PROC_EXIT;
	ev.name = "+++ exit";
	ev.ret = pd->exit_code;
	sl_emit(sl, &ev);
}

/* A pending call that will never get its second half. */
void
sl_abandon(struct stracelog *sl, struct sl_pending *pd, const char *why)
{
	char msg[128];
	const char *q = pd->head, *e = pd->head + pd->headlen;
	size_t n;
	unsigned range;

	pd->active = false;
	sl->nactive--;
	sl->unfinished++;
	while (q < e && sc_is_ident((unsigned char)*q))
		q++;
	n = (size_t)(q - pd->head);
	snprintf(msg, sizeof(msg), "%.*s call %s", (int)(n > 40 ? 40 : n),
	    pd->head, why);
	sl_problem(sl, pd->file, pd->lineno, msg, NULL, 0, false);
	if (pd->sys == IOSYS_UNKNOWN)
		return;
	/* deliver it with an unknown result: the call happened */
	sl_grow(&sl->join, &sl->joincap, pd->headlen + 8);
	memcpy(sl->join, pd->head, pd->headlen);
	memcpy(sl->join + pd->headlen, ") = ?", 5);
	range = sc_range;	/* the current line's, not this call's */
	sc_range = 0;
	complete_call(sl, pd->file, pd->lineno, pd->tid, pd->ts, pd->sys,
	    sl->join, sl->join + pd->headlen + 5, false, false, NULL);
	sc_range = range;
}

void
sl_set_pending(struct stracelog *sl, int file, uint64_t lineno, pid_t tid,
    int64_t ts, enum io_sys sys, const char *p, const char *e, bool cut)
{
	struct sl_pending *pd;
	size_t n = (size_t)(e - p);

	pd = pending_get(sl, tid);
	if (pd->active)
		sl_abandon(sl, pd, "never resumed (the same thread started another)");
	sl_grow(&pd->head, &pd->headcap, n + 1);
	memcpy(pd->head, p, n);
	pd->headlen = n;
	pd->active = true;
	pd->cut = cut;
	pd->sys = sys;
	pd->ts = ts;
	pd->file = file;
	pd->lineno = lineno;
	sl->nactive++;
}

/*
 * The bytes of a write, counted into the replay's running total: false
 * (and a problem at the line) when the total would pass 2^64, so that no
 * byte sum after the replay (per file, per process, in all) can wrap.
 */
static bool
bytes_fit(struct stracelog *sl, int file, uint64_t lineno,
    const struct io_event *ev, const char *p, const char *e)
{
	uint64_t n = io_event_bytes(ev);

	if (n == 0)
		return true;
	if (n > UINT64_MAX - sl->wbytes) {
		sl_problem(sl, file, lineno, "bytes written pass 2^64 in all: this "
		    "call's are not counted", p, (size_t)(e - p), true);
		return false;
	}
	sl->wbytes += n;
	return true;
}

/* p..e: "name(args) = result"; deliver (hold) its event. */
static void
complete_call(struct stracelog *sl, int file, uint64_t lineno, pid_t tid,
    int64_t ts, enum io_sys sys, const char *p, const char *e, bool partial,
    bool may_cut, const char *nameend)
{
	const char *why = NULL;

	stracelog_flush(sl);	/* its strings live in the arena */
	switch (sl_build_call(&sl->ar, &sl->ev, sys, p, e, partial, may_cut,
	    nameend)) {
	case SB_OK:
		if (!bytes_fit(sl, file, lineno, &sl->ev, p, e))
			return;
		/* built in place (the held slot was flushed above) */
		sl->ev.tid = tid;
		sl->ev.ts_ns = ts;
		sl->hev = &sl->ev;
		sl->held = true;
		sl->stack.nframes = 0;
		sl->flen = 0;
		return;
	case SB_CUT:
		/* the traced program's own output (2>&1) or a strace note
		   cut the line: the rest may follow on a line of its own
		   (") = 6") */
		sl_set_pending(sl, file, lineno, tid, ts, sys, p, e, true);
		sl->files[file].cut_tid = tid;
		return;
	case SB_NOT_CALL:
		sl_problem(sl, file, lineno, "not a call", p, (size_t)(e - p), true);
		return;
	case SB_NO_PAREN:
		why = "call without its closing parenthesis";
		break;
	case SB_NO_RESULT:
		why = "call without a result";
		break;
	case SB_BAD_RESULT:
		why = "unreadable result";
		break;
	case SB_BAD_FD:
		sl_problem(sl, file, lineno, "fd number out of range", p,
		    (size_t)(e - p), true);
		return;
	case SB_RANGE:
		sl_problem(sl, file, lineno, "number out of range", p,
		    (size_t)(e - p), true);
		return;
	}
	sl_problem(sl, file, lineno, partial ? "truncated last line" : why, p,
	    (size_t)(e - p), true);
}

/* "name(...)" at p: a call line (whole, or its first half). */
static void
call_line(struct stracelog *sl, int file, struct sl_file *f, pid_t tid,
    int64_t ts, const char *p, const char *e, bool partial, bool cut)
{
	const char *q = p, *te;
	enum io_sys sys;
	struct sl_pending *pd;

	if (p == sl->hint_name && sl->hint_end < e) {
		q = sl->hint_end;	/* skip_unused scanned the name */
		sys = sl->hint_sys;
	} else {
		while (q < e && sc_is_ident((unsigned char)*q))
			q++;
		sys = lookup(sl, p, (size_t)(q - p));
	}
	sl->hint_name = NULL;
	sl->calls++;
	f->any_call = true;
	if (f->summary)
		f->summary = false;
	te = sc_rtrim(p, e);

	if (cut) {
		sl_set_pending(sl, file, f->lineno, tid, ts, sys, p, te, true);
		f->cut_tid = tid;
		return;
	}
	if (sc_ends(p, te, "<unfinished ...>")) {
		te -= 16;
		if (te > p && te[-1] == ' ')
			te--;
		sl_set_pending(sl, file, f->lineno, tid, ts, sys, p, te, false);
		return;
	}
	pd = sl_pending_find(sl, tid);
	if (pd != NULL)
		sl_abandon(sl, pd, "never resumed (the same thread started another)");
	if (sys == IOSYS_UNKNOWN)
		return;
	if (sc_ends(p, te, "<unfinished ...>) = ?")) {
		/* the process died inside the call (strace >= 5) */
		size_t n = (size_t)(te - p) - 21;

		sl_grow(&sl->join, &sl->joincap, n + 8);
		memcpy(sl->join, p, n);
		memcpy(sl->join + n, ") = ?", 5);
		complete_call(sl, file, f->lineno, tid, ts, sys, sl->join,
		    sl->join + n + 5, false, false, NULL);
		return;
	}
	complete_call(sl, file, f->lineno, tid, ts, sys, p, e, partial, true,
	    q);
}

/* The second half of pd: rest is what follows "resumed>". */
static void
resume(struct stracelog *sl, int file, struct sl_pending *pd,
    const char *rest, const char *e, bool partial, uint64_t lineno)
{
	size_t n = (size_t)(e - rest);

	pd->active = false;
	sl->nactive--;
	if (pd->sys == IOSYS_UNKNOWN)
		return;
	sl_grow(&sl->join, &sl->joincap, pd->headlen + n + 1);
	memcpy(sl->join, pd->head, pd->headlen);
	memcpy(sl->join + pd->headlen, rest, n);
	complete_call(sl, file, lineno, pd->tid, pd->ts, pd->sys, sl->join,
	    sl->join + pd->headlen + n, partial, false, NULL);
}

/* "<... name resumed>rest" */
static void
resumed_line(struct stracelog *sl, int file, struct sl_file *f, pid_t tid,
    const char *p, const char *e, bool partial)
{
	const char *n = sc_skip_spaces(p + 4, e), *q = n;
	struct sl_pending *pd;
	enum io_sys sys;

	while (q < e && sc_is_ident((unsigned char)*q))
		q++;
	if (!sc_starts(q, e, " resumed>")) {
		/* "<... resuming interrupted ...>" belongs in restart_syscall() */
		sl_problem(sl, file, f->lineno, "unreadable resumed line", p,
		    (size_t)(e - p), true);
		return;
	}
	sys = lookup(sl, n, (size_t)(q - n));
	q += 9;
	pd = sl_pending_find(sl, tid);
	if (pd != NULL && (pd->headlen < (size_t)(q - 9 - n) ||
	    memcmp(pd->head, n, (size_t)(q - 9 - n)) != 0 ||
	    pd->head[q - 9 - n] != '(')) {
		sl_abandon(sl, pd, "never resumed (another call resumed)");
		pd = NULL;
	}
	if (pd == NULL) {
		if (sys != IOSYS_UNKNOWN)
			sl_problem(sl, file, f->lineno,
			    "second half of a call whose first half is not in the log",
			    p, (size_t)(e - p), true);
		return;
	}
	resume(sl, file, pd, q, e, partial, f->lineno);
}

static void
handle_line(struct stracelog *sl, int file, struct sl_file *f,
    const char *line, size_t len, bool partial, bool cut)
{
	const char *p, *e = line + len;
	struct sl_prefix pre;
	struct sl_pending *pd;
	pid_t tid;
	int64_t ts;
	char c;

	sl_parse_prefix(line, e, &pre);
	if (sc_range > 0) {
		sl_problem(sl, file, f->lineno, "time out of range", line, len,
		    true);
		return;
	}
	p = pre.rest;
	ts = time_of(f, &pre, true, f);
	tid = pre.has_pid ? pre.tid : f->pid > 0 ? f->pid : sl->first_pid;
	if (sl->nactive > 0 && !pipeline_thread_known(sl->pl, tid))
		sl_early_child(sl, tid);
	if (pre.comm != NULL && pre.commlen > 0 && pre.commlen < 64)
		sl_name_from_comm(sl, tid, pre.comm, pre.commlen);
	if (p >= e)
		return;	/* a bare prefix: nothing to use, nothing lost */
	c = *p;

	if (p == sl->hint_name && sl->hint_end < e) {
		/* skip_unused saw "name(" here */
		call_line(sl, file, f, tid, ts, p, e, partial, cut);
		return;
	}
	if ((c >= 'a' && c <= 'z') || c == '_' || (c >= 'A' && c <= 'Z')) {
		const char *q = p;

		while (q < e && sc_is_ident((unsigned char)*q))
			q++;
		if (q < e && *q == '(') {
			call_line(sl, file, f, tid, ts, p, e, partial, cut);
			return;
		}
		if (sc_starts(p, e, "Process ") || sc_starts(p, e, "strace: ") ||
		    memmem(p, (size_t)(e - p), "strace: ", 8) != NULL) {
			sl_message(sl, p, e);
			return;
		}
	} else if (c == '/' && memmem(p, (size_t)(e - p), "strace: ", 8) != NULL) {
		sl_message(sl, p, e);	/* "/usr/bin/strace: Process N attached" */
		return;
	} else if (c == '<') {
		if (sc_starts(p, e, "<... ")) {
			resumed_line(sl, file, f, tid, p, e, partial);
			return;
		}
		if (sc_starts(p, e, "<detached ...>") ||
		    sc_starts(p, e, "<unfinished ...>"))
			return;
	} else if (c == '-' && sc_starts(p, e, "--- ")) {
		sl_signal_line(sl, tid, ts, p, e);
		return;
	} else if (c == '+' && sc_starts(p, e, "+++ ")) {
		sl_exit_line(sl, file, f, tid, ts, p, e);
		return;
	} else if (c == ',' || c == ')' || c == ' ' || c == '}' || c == ']' ||
	    (c == '=' && sc_starts(p, e, "=> "))) {
		const char *q = sc_skip_spaces(p, e);

		/* " <unfinished ...>" ends a line a strace message cut: the
		   call now waits for its "<... resumed>" like any other */
		if (sc_starts(q, e, "<unfinished ...>") ||
		    sc_starts(q, e, "<detached ...>"))
			return;
		if (c == ' ' && q < e && *q == '|')
			return;	/* -e write=N hex dump */
		/* the rest of a call a strace message cut in two */
		if (f->cut_tid >= 0 && (pd = sl_pending_find(sl, f->cut_tid)) != NULL &&
		    pd->cut) {
			f->cut_tid = -1;
			resume(sl, file, pd, p, e, partial, f->lineno);
			return;
		}
	} else if (c == '%' && sc_starts(p, e, "% time")) {
		f->summary = true;
		sl->summary++;
		return;
	} else if (c == '[' && sc_starts(p, e, "[ Process PID=")) {
		return;	/* "[ Process PID=N runs in 32 bit mode. ]" */
	}
	if (f->summary && sl_is_summary_row(p, e)) {
		sl_summary_row(sl, p, e);
		return;
	}
	/* strace 4.x: the rest of a call its message cut, on a line of its
	   own ("child_stack=0xb55f32e4, flags=...) = 10704") */
	if (f->cut_tid >= 0 && (!pre.has_pid || pre.tid == f->cut_tid) &&
	    (pd = sl_pending_find(sl, f->cut_tid)) != NULL && pd->cut &&
	    memchr(p, ')', (size_t)(e - p)) != NULL) {
		f->cut_tid = -1;
		resume(sl, file, pd, p, e, partial, f->lineno);
		return;
	}
	if (!f->color && memchr(line, 033, len) != NULL) {
		/* colours: strip them and try again */
		size_t n;

		f->color = true;
		n = sl_strip_ansi(sl, line, len);
		if (n < len) {
			char *copy = xmalloc(n + 1);

			memcpy(copy, sl->clean, n);
			handle_line(sl, file, f, copy, n, partial, cut);
			free(copy);
			return;
		}
	}
	sl_problem(sl, file, f->lineno, partial ? "truncated last line" :
	    "not a strace line", line, len, true);
}

static bool
skip_unused(struct stracelog *sl, struct sl_file *f, const char *line,
    size_t len)
{
	struct sl_hint h;

	if (!sl_scan_unused(sl->nc, line, len, &h)) {
		if (h.name != NULL) {
			sl->hint_name = h.name;
			sl->hint_end = h.end;
			sl->hint_sys = h.sys;
		}
		return false;
	}
	sl->calls++;
	f->any_call = true;
	return true;
}

/* Count a line of f (and look at the stop flag now and then). */
static void
line_start(struct stracelog *sl, struct sl_file *f)
{
	f->lineno++;
	sl->lines++;
	sl->hint_name = NULL;
	sc_range = 0;
	if ((sl->lines & 4095) == 0 && sl->has_hooks && sl->hooks.stop != NULL &&
	    *sl->hooks.stop)
		sl->stopped = true;
}

/* Feed one line of file. */
void
stracelog_feed(struct stracelog *sl, int file, const char *line, size_t len,
    bool partial)
{
	struct sl_file *f;
	const char *e;

	if (file < 0 || (size_t)file >= sl->nfiles)
		return;
	f = &sl->files[file];
	line_start(sl, f);
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	if (len == 0)
		return;
	if (line[0] == ' ') {
		if (stracelog_is_frame(line, len)) {
			add_frame(sl, line, len);
			return;
		}
		if (len > 1 && line[1] == '|')
			return;	/* -e write=N hex dump, after its call */
	}
	if (f->summary && memchr(line, '(', len) == NULL) {
		if (sl_is_summary_row(line, line + len)) {
			sl_summary_row(sl, line, line + len);
			return;
		}
	}
	if (!f->color && !f->relative && !f->summary && skip_unused(sl, f, line, len))
		return;
	stracelog_flush(sl);
	if (f->color) {
		size_t n = sl_strip_ansi(sl, line, len);

		line = sl->clean;
		len = n;
	}

	/* a strace message that landed inside a call line (2>&1 logs):
	   "clone(...SIGCHLDstrace: Process 11929 attached" */
	e = line + len;
	if (sl_may_end_in_message(line, e)) {
		const char *m = NULL, *q = line;

		while ((q = memmem(q, (size_t)(e - q), "strace: Process ", 16)) != NULL) {
			m = q;
			q++;
		}
		if (m == NULL) {
			/* strace 4.x printed its own there, without "strace: ":
			   "clone(Process 10704 attached", the call's rest on
			   the next line */
			q = line;
			while ((q = memmem(q, (size_t)(e - q), "(Process ", 9)) != NULL) {
				if (q + 9 < e && sc_is_digit(q[9]))
					m = q + 1;
				q++;
			}
		}
		if (m != NULL && memchr(line, '(', (size_t)(m - line)) != NULL) {
			/* keep the message's text before handle_line may
			   reuse the buffers */
			size_t ml = (size_t)(e - m);
			char *msg = xmalloc(ml);

			memcpy(msg, m, ml);
			handle_line(sl, file, f, line, (size_t)(m - line), false,
			    true);
			sl_message(sl, msg, msg + ml);
			free(msg);
			return;
		}
	}
	handle_line(sl, file, f, line, len, partial, false);
}

/* Copy the held call's strings into the parser's own arena (the block
   they point into is about to be reused; its -k frames may follow). */
void
sl_keep_held(struct stracelog *sl)
{
	struct io_event *ev = &sl->ev;
	struct sl_arena ar;
	size_t need = 8;

	if (!sl->held)
		return;
	if (sl->hev != ev) {
		*ev = *sl->hev;
		sl->hev = ev;
	}
	if (ev->name != NULL)
		need += strlen(ev->name) + 1;
	if (ev->path != NULL)
		need += strlen(ev->path) + 1;
	if (ev->path2 != NULL)
		need += strlen(ev->path2) + 1;
	if (ev->cwd != NULL)
		need += strlen(ev->cwd) + 1;
	if (ev->data != NULL)
		need += ev->data_len + 1;
	/* a new arena: the strings may be in the old one already */
	memset(&ar, 0, sizeof(ar));
	sl_arena_reset(&ar, need);
	if (ev->name != NULL)
		ev->name = sl_arena_dup(&ar, ev->name, strlen(ev->name));
	if (ev->path != NULL)
		ev->path = sl_arena_dup(&ar, ev->path, strlen(ev->path));
	if (ev->path2 != NULL)
		ev->path2 = sl_arena_dup(&ar, ev->path2, strlen(ev->path2));
	if (ev->cwd != NULL)
		ev->cwd = sl_arena_dup(&ar, ev->cwd, strlen(ev->cwd));
	if (ev->data != NULL)
		ev->data = sl_arena_dup(&ar, ev->data, ev->data_len);
	sl_arena_free(&sl->ar);
	sl->ar = ar;
}

/* Feed record i of b as stracelog_feed would feed its line. */
void
sl_feed_rec(struct stracelog *sl, int file, struct sl_batch *b, size_t i)
{
	const struct sl_rec *rec = &b->rec[i];
	struct sl_file *f;
	struct sl_pending *pd;
	pid_t tid;
	int64_t ts;

	if (file < 0 || (size_t)file >= sl->nfiles)
		return;
	f = &sl->files[file];
	if (rec->kind == SLR_RAW || f->color ||
	    (rec->kind == SLR_UNUSED && (f->relative || f->summary))) {
		stracelog_feed(sl, file, rec->line, rec->len, rec->partial);
		return;
	}
	line_start(sl, f);
	if (rec->kind == SLR_UNUSED) {	/* skip_unused */
		sl->calls++;
		f->any_call = true;
		return;
	}
	/* handle_line */
	stracelog_flush(sl);
	ts = time_of(f, &rec->pre, true, f);
	tid = rec->pre.has_pid ? rec->pre.tid : f->pid > 0 ? f->pid :
	    sl->first_pid;
	if (sl->nactive > 0 && !pipeline_thread_known(sl->pl, tid))
		sl_early_child(sl, tid);
	if (rec->pre.comm != NULL && rec->pre.commlen > 0 &&
	    rec->pre.commlen < 64)
		sl_name_from_comm(sl, tid, rec->pre.comm, rec->pre.commlen);
	/* call_line */
	sl->calls++;
	f->any_call = true;
	if (f->summary)
		f->summary = false;
	pd = sl_pending_find(sl, tid);
	if (pd != NULL)
		sl_abandon(sl, pd, "never resumed (the same thread started another)");
	/* complete_call */
	stracelog_flush(sl);
	if (!bytes_fit(sl, file, f->lineno, &b->ev[rec->evi], rec->line,
	    rec->line + rec->len))
		return;
	sl->hev = &b->ev[rec->evi];
	sl->hev->tid = tid;
	sl->hev->ts_ns = ts;
	sl->held = true;
	sl->stack.nframes = 0;
	sl->flen = 0;
}

/* ------------------------------------------------------------ finish */

/* End the run. */
void
stracelog_finish(struct stracelog *sl, struct stracelog_result *res)
{
	struct sl_pending *pd, *tmp;
	size_t i;

	stracelog_flush(sl);
	HASH_ITER(hh, sl->pending, pd, tmp) {
		if (pd->active)
			sl_abandon(sl, pd, pd->cut ?
			    "cut by a strace message and never completed" :
			    "never resumed (the log ends first)");
	}
	HASH_ITER(hh, sl->pending, pd, tmp) {
		if (pd->exiting)
			sl_end_exiting(sl, pd);
	}
	stracelog_flush(sl);
	if (sl->diag != NULL) {
		for (i = 0; i < sl->nfiles; i++) {
			char name[512];

			util_escape_path(sl->files[i].name, name, sizeof(name));
			if (sl->files[i].lineno == 0)
				fprintf(sl->diag, "%s: empty, nothing to replay\n",
				    name);
			else if (!sl->files[i].any_call &&
			    sl->files[i].skipped == sl->files[i].lineno)
				fprintf(sl->diag, "%s: no strace output in its %"
				    PRIu64 " lines\n", name, sl->files[i].lineno);
		}
		if (sl->reported > SL_REPORT_MAX)
			fprintf(sl->diag, "... and %" PRIu64 " more problems not "
			    "shown\n", sl->reported - SL_REPORT_MAX);
		if (sl->skipped > 0 || sl->unfinished > 0)
			fprintf(sl->diag, "replay: %" PRIu64 " of %" PRIu64
			    " lines skipped, %" PRIu64 " calls never completed\n",
			    sl->skipped, sl->lines, sl->unfinished);
	}
	if (res != NULL) {
		res->lines = sl->lines;
		res->events = sl->events;
		res->skipped = sl->skipped;
		res->unfinished = sl->unfinished;
		res->start_ns = sl->start_ns;
		res->end_ns = sl->end_ns;
		res->calls = sl->calls;
		res->summary = sl->summary;
		res->summary_syscalls = sl->sum_rows;
		res->summary_calls = sl->sum_calls;
		res->summary_errors = sl->sum_errors;
		res->relative = false;
		for (i = 0; i < sl->nfiles; i++)
			res->relative |= sl->files[i].relative;
	}
}
