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

#include "replay/stracelog.h"
#include "replay/stracelog_int.h"
#include "model/syscalls.h"
#include "base/util.h"

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
	int64_t start_ns, end_ns, next_tick;
	bool stopped;
};

/* ------------------------------------------------------------ basics */

static bool
starts(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0;
}

static bool
ends(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - p) >= n && memcmp(e - n, lit, n) == 0;
}

/* Characters of a syscall name: [A-Za-z0-9_]. */
static const unsigned char ident_char[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1, ['_'] = 1,
};

static bool
is_ident(int c)
{
	return ident_char[(unsigned char)c] != 0;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static const char *
skipsp(const char *p, const char *e)
{
	while (p < e && *p == ' ')
		p++;
	return p;
}

static const char *
rtrim(const char *p, const char *e)
{
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return e;
}

static char *
grow(char **buf, size_t *cap, size_t n)
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

/* A pid as strace prints it: 1..10 digits, fits a pid_t. */
static const char *
parse_pid(const char *p, const char *e, pid_t *pid)
{
	const char *s = p, *lim = e - p > 11 ? p + 11 : e;
	int64_t v = 0;

	while (p < lim && (unsigned)(*p - '0') < 10) {
		v = v * 10 + (*p - '0');
		p++;
	}
	if (p == s || p - s > 10 || v > INT32_MAX)
		return NULL;
	*pid = (pid_t)v;
	return p;
}

/* ------------------------------------------------------------ reports */

static void
problem(struct stracelog *sl, int file, uint64_t lineno, const char *why,
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
	problem(sl, file, lineno, why, NULL, 0, true);
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

/* io_sys of a syscall name, through the small cache nc. */
static enum io_sys
lookup_nc(struct name_cache *nc, const char *name, size_t len)
{
	uint32_t h;
	size_t k;

	if (len == 0 || len >= NC_NAME)
		return syscalls_by_name(name, len);
	/* a cheap hash (ends and length); probing sorts out the rest */
	h = (uint32_t)(unsigned char)name[0] * 31u +
	    (uint32_t)(unsigned char)name[len - 1] * 131u +
	    (uint32_t)(unsigned char)name[len / 2] * 7u + (uint32_t)len * 1009u;
	for (k = 0; k < 8; k++) {
		struct name_cache *c = &nc[(h + k) & (NC_SIZE - 1)];

		if (c->len == 0) {
			enum io_sys s = syscalls_by_name(name, len);

			memcpy(c->name, name, len);
			c->len = (unsigned char)len;
			c->sys = (unsigned char)s;
			return s;
		}
		if (c->len == len && memcmp(c->name, name, len) == 0)
			return (enum io_sys)c->sys;
	}
	return syscalls_by_name(name, len);
}

static enum io_sys
lookup(struct stracelog *sl, const char *name, size_t len)
{
	return lookup_nc(sl->nc, name, len);
}

/* Names only the i386 ABI has: mmap2, _llseek and the *64 calls
   (pwrite64/pread64 are x86_64 names too). */
static bool
is_i386_name(const char *n, size_t len)
{
	if (len == 5 && memcmp(n, "mmap2", 5) == 0)
		return true;
	if (len == 7 && memcmp(n, "_llseek", 7) == 0)
		return true;
	if (len < 3 || n[len - 2] != '6' || n[len - 1] != '4')
		return false;
	return !(len == 8 && (memcmp(n, "pwrite64", 8) == 0 ||
	    memcmp(n, "pread64", 7) == 0));
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
static void
emit(struct stracelog *sl, struct io_event *ev)
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

	grow(&sl->fbuf, &sl->fcap, sl->flen + n + 1);
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
	e = rtrim(p, e);
	if (e > p && e[-1] == ']') {
		q = e - 1;
		while (q > p && *q != '[')
			q--;
		if (*q == '[' && sl_parse_num(q + 1, e, &v))
			fr->ip = (uint64_t)v;
		if (*q == '[')
			e = rtrim(p, q);
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

/* ------------------------------------------------------------ prefix */

static bool
dig(char c)
{
	return (unsigned)(c - '0') < 10;
}

/* The usual -tt stamp "HH:MM:SS.ffffff " at fixed places, into ns. */
static bool
tod_fast(const char *q, const char *e, int64_t *ns)
{
	int64_t us;
	int i;

	if (e - q < 16 || q[2] != ':' || q[5] != ':' || q[8] != '.' ||
	    q[15] != ' ' || !dig(q[0]) || !dig(q[1]) || !dig(q[3]) ||
	    !dig(q[4]) || !dig(q[6]) || !dig(q[7]))
		return false;
	us = 0;
	for (i = 9; i < 15; i++) {
		if (!dig(q[i]))
			return false;
		us = us * 10 + (q[i] - '0');
	}
	*ns = ((((q[0] - '0') * 10 + (q[1] - '0')) * 60 +
	    (q[3] - '0') * 10 + (q[4] - '0')) * 60 +
	    (q[6] - '0') * 10 + (q[7] - '0')) * 1000000000LL + us * 1000;
	return true;
}

/* Parse the pid, timestamp and -i parts at the start of a line. */
static void
parse_prefix(const char *p, const char *e, struct sl_prefix *pre)
{
	const char *q;
	pid_t pid;

	pre->has_pid = false;
	pre->tid = 0;
	pre->comm = NULL;
	pre->commlen = 0;
	pre->kind = TS_NONE;
	pre->tval = 0;

	if (p < e && *p == '[') {
		if (starts(p, e, "[pid ")) {
			q = skipsp(p + 5, e);
			q = parse_pid(q, e, &pid);
			if (q != NULL && q < e && *q == ']') {
				pre->has_pid = true;
				pre->tid = pid;
				p = skipsp(q + 1, e);
			}
		}
	} else if (p < e && is_digit((unsigned char)*p)) {
		q = parse_pid(p, e, &pid);
		if (q != NULL && q < e && (*q == ' ' || *q == '<')) {
			pre->has_pid = true;
			pre->tid = pid;
			if (*q == '<') {	/* -Y: 12085<python3> */
				const char *c0 = q + 1;

				while (q < e && *q != '>')
					q++;
				if (q < e) {
					pre->comm = c0;
					pre->commlen = (size_t)(q - c0);
					q++;
				}
			}
			p = skipsp(q, e);
		}
	}

	/* timestamp: HH:MM:SS[.frac], SECS.frac (-ttt), or -r delta */
	q = skipsp(p, e);
	if (tod_fast(q, e, &pre->tval)) {
		pre->kind = TS_TOD;
		p = skipsp(q + 16, e);
	} else if (q < e && is_digit((unsigned char)*q)) {
		int64_t a = 0;
		const char *r = q;
		int n = 0;

		while (r < e && is_digit((unsigned char)*r) && n < 18) {
			a = a * 10 + (*r - '0');
			r++;
			n++;
		}
		if (r < e && *r == ':' && n <= 2) {
			int64_t h = a, m = 0, s = 0, frac = 0;
			const char *t = r + 1;

			if (t + 4 < e && is_digit((unsigned char)t[0]) &&
			    is_digit((unsigned char)t[1]) && t[2] == ':' &&
			    is_digit((unsigned char)t[3]) &&
			    is_digit((unsigned char)t[4])) {
				m = (t[0] - '0') * 10 + (t[1] - '0');
				s = (t[3] - '0') * 10 + (t[4] - '0');
				t += 5;
				if (t < e && *t == '.') {
					/* digits, then scaled once: no division
					   per digit */
					static const int64_t pow10[10] = {
						1000000000, 100000000, 10000000,
						1000000, 100000, 10000, 1000, 100,
						10, 1 };
					int nd = 0;

					t++;
					while (t < e && is_digit((unsigned char)*t)) {
						if (nd < 9) {
							frac = frac * 10 + (*t - '0');
							nd++;
						}
						t++;
					}
					frac *= pow10[nd];
				}
				if (t >= e || *t == ' ') {
					pre->kind = TS_TOD;
					pre->tval = ((h * 60 + m) * 60 + s) *
					    1000000000LL + frac;
					p = skipsp(t, e);
				}
			}
		} else if (r < e && *r == '.') {
			int64_t ns;
			const char *t = sl_parse_seconds(q, e, &ns);

			if (t != NULL && (t >= e || *t == ' ')) {
				/* -ttt gives epoch seconds; -r gives small
				   deltas: no run lasts three years */
				pre->kind = a >= 100000000 ? TS_EPOCH : TS_REL;
				pre->tval = ns;
				p = skipsp(t, e);
			}
		}
	}

	/* -t -r: "(+     0.001586)" */
	if (pre->kind == TS_TOD && p + 1 < e && *p == '(' && p[1] == '+') {
		while (p < e && *p != ')')
			p++;
		if (p < e)
			p = skipsp(p + 1, e);
	}

	/* -i: [00007f0d1c3b2e47] */
	if (p < e && *p == '[') {
		q = p + 1;
		while (q < e && (is_digit((unsigned char)*q) ||
		    (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F') ||
		    *q == '?' || *q == 'x'))
			q++;
		if (q > p + 1 && q < e && *q == ']')
			p = skipsp(q + 1, e);
	}
	pre->rest = p;
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
	parse_prefix(line, line + len, &pre);
	if (pre.kind == TS_REL)
		return IO_TIME_UNKNOWN;	/* -r: no absolute time */
	return time_of(&sl->files[file], &pre, false, NULL);
}

/* ------------------------------------------------------------ calls */

static void complete_call(struct stracelog *sl, int file, uint64_t lineno,
    pid_t tid, int64_t ts, enum io_sys sys, const char *p, const char *e,
    bool partial, bool may_cut, const char *nameend);

static struct sl_pending *
pending_find(struct stracelog *sl, pid_t tid)
{
	struct sl_pending *pd;

	if (sl->nactive == 0)
		return NULL;
	HASH_FIND(hh, sl->pending, &tid, sizeof(tid), pd);
	return pd != NULL && pd->active ? pd : NULL;
}

/* A pending call that will never get its second half. */
static void
abandon(struct stracelog *sl, struct sl_pending *pd, const char *why)
{
	char msg[128];
	const char *q = pd->head, *e = pd->head + pd->headlen;
	size_t n;

	pd->active = false;
	sl->nactive--;
	sl->unfinished++;
	while (q < e && is_ident((unsigned char)*q))
		q++;
	n = (size_t)(q - pd->head);
	snprintf(msg, sizeof(msg), "%.*s call %s", (int)(n > 40 ? 40 : n),
	    pd->head, why);
	problem(sl, pd->file, pd->lineno, msg, NULL, 0, false);
	if (pd->sys == IOSYS_UNKNOWN)
		return;
	/* deliver it with an unknown result: the call happened */
	grow(&sl->join, &sl->joincap, pd->headlen + 8);
	memcpy(sl->join, pd->head, pd->headlen);
	memcpy(sl->join + pd->headlen, ") = ?", 5);
	complete_call(sl, pd->file, pd->lineno, pd->tid, pd->ts, pd->sys,
	    sl->join, sl->join + pd->headlen + 5, false, false, NULL);
}

static void
set_pending(struct stracelog *sl, int file, uint64_t lineno, pid_t tid,
    int64_t ts, enum io_sys sys, const char *p, const char *e, bool cut)
{
	struct sl_pending *pd;
	size_t n = (size_t)(e - p);

	HASH_FIND(hh, sl->pending, &tid, sizeof(tid), pd);
	if (pd != NULL && pd->active)
		abandon(sl, pd, "never resumed (the same thread started another)");
	if (pd == NULL) {
		pd = xcalloc(1, sizeof(*pd));
		pd->tid = tid;
		HASH_ADD(hh, sl->pending, tid, sizeof(tid), pd);
	}
	grow(&pd->head, &pd->headcap, n + 1);
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

/* Largest fd a log may name (the kernel's default nr_open is 2^20). */
#define SL_FD_MAX (1 << 24)

/* False if the event names an fd no process could have. */
static bool
fds_sane(const struct io_event *ev)
{
	if (ev->fd > SL_FD_MAX)
		return false;
	if (ev->fd2 > SL_FD_MAX && ev->sys != IOSYS_CLOSE_RANGE)
		return false;
	if ((ev->cls == IOC_OPEN || ev->cls == IOC_FDNEW || ev->cls == IOC_DUP) &&
	    io_event_ok(ev) && ev->ret > SL_FD_MAX)
		return false;
	return true;
}

/* How build_call ended. */
enum sl_build {
	SB_OK, SB_NOT_CALL, SB_CUT, SB_NO_PAREN, SB_NO_RESULT, SB_BAD_RESULT,
	SB_BAD_FD,
};

/* Arena room a call line of n bytes may need. */
static size_t
call_room(size_t n)
{
	return 2 * n + 3 * SL_DATA_MAX + 8192;
}

/*
 * p..e: "name(args) = result": decode it into *evp (strings into ar,
 * emptied first) without touching the parser's state.  The caller sets
 * the thread and time.  nameend, when not NULL, is the '(' the caller
 * found after the name.
 */
static enum sl_build
build_call(struct sl_arena *ar, struct io_event *evp, enum io_sys sys,
    const char *p, const char *e, bool partial, bool may_cut,
    const char *nameend)
{
	struct sl_args args;
	struct sl_fdref res;
	const char *q = p, *a, *r;
	size_t close;

	if (nameend != NULL)
		q = nameend;	/* the caller scanned the name */
	else
		while (q < e && is_ident((unsigned char)*q))
			q++;
	if (q >= e || *q != '(')
		return SB_NOT_CALL;
	a = q + 1;
	if (sys == IOSYS_WRITE && !partial) {
		/* the commonest line: one pass, no split */
		sl_arena_reset(ar, call_room((size_t)(e - p)));
		io_event_init(evp);
		if (sl_fast_write(evp, a, rtrim(a, e), ar)) {
			evp->sys = sys;
			evp->cls = IOC_WRITE;
			evp->name = "write";
			return SB_OK;
		}
	}
	close = sl_args_split(a, (size_t)(e - a), &args);
	r = a + close;
	if (r >= e)
		return may_cut && !partial ? SB_CUT : SB_NO_PAREN;
	r = skipsp(r + 1, e);
	if (r >= e || *r != '=')
		return SB_NO_RESULT;
	r++;

	sl_arena_reset(ar, call_room((size_t)(e - p)));
	io_event_init(evp);
	evp->pid = 0;
	evp->sys = sys;
	evp->cls = syscalls_class(sys);
	evp->name = sl_arena_dup(ar, p, (size_t)(q - p));
	if (is_i386_name(p, (size_t)(q - p)))
		evp->abi = 32;
	if (!sl_parse_result(r, (size_t)(e - r), evp, ar, &res))
		return SB_BAD_RESULT;
	sl_decode_args(evp, sys, &args, &res, ar);
	/* the fd tables are arrays: a made-up fd of 2^31 must not make
	   them allocate gigabytes */
	if (!fds_sane(evp))
		return SB_BAD_FD;
	return SB_OK;
}

/* p..e: "name(args) = result"; deliver (hold) its event. */
static void
complete_call(struct stracelog *sl, int file, uint64_t lineno, pid_t tid,
    int64_t ts, enum io_sys sys, const char *p, const char *e, bool partial,
    bool may_cut, const char *nameend)
{
	const char *why = NULL;

	stracelog_flush(sl);	/* its strings live in the arena */
	switch (build_call(&sl->ar, &sl->ev, sys, p, e, partial, may_cut,
	    nameend)) {
	case SB_OK:
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
		set_pending(sl, file, lineno, tid, ts, sys, p, e, true);
		sl->files[file].cut_tid = tid;
		return;
	case SB_NOT_CALL:
		problem(sl, file, lineno, "not a call", p, (size_t)(e - p), true);
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
		problem(sl, file, lineno, "fd number out of range", p,
		    (size_t)(e - p), true);
		return;
	}
	problem(sl, file, lineno, partial ? "truncated last line" : why, p,
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
		while (q < e && is_ident((unsigned char)*q))
			q++;
		sys = lookup(sl, p, (size_t)(q - p));
	}
	sl->hint_name = NULL;
	sl->calls++;
	f->any_call = true;
	if (f->summary)
		f->summary = false;
	te = rtrim(p, e);

	if (cut) {
		set_pending(sl, file, f->lineno, tid, ts, sys, p, te, true);
		f->cut_tid = tid;
		return;
	}
	if (ends(p, te, "<unfinished ...>")) {
		te -= 16;
		if (te > p && te[-1] == ' ')
			te--;
		set_pending(sl, file, f->lineno, tid, ts, sys, p, te, false);
		return;
	}
	pd = pending_find(sl, tid);
	if (pd != NULL)
		abandon(sl, pd, "never resumed (the same thread started another)");
	if (sys == IOSYS_UNKNOWN)
		return;
	if (ends(p, te, "<unfinished ...>) = ?")) {
		/* the process died inside the call (strace >= 5) */
		size_t n = (size_t)(te - p) - 21;

		grow(&sl->join, &sl->joincap, n + 8);
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
	grow(&sl->join, &sl->joincap, pd->headlen + n + 1);
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
	const char *n = skipsp(p + 4, e), *q = n;
	struct sl_pending *pd;
	enum io_sys sys;

	while (q < e && is_ident((unsigned char)*q))
		q++;
	if (!starts(q, e, " resumed>")) {
		/* "<... resuming interrupted ...>" belongs in restart_syscall() */
		problem(sl, file, f->lineno, "unreadable resumed line", p,
		    (size_t)(e - p), true);
		return;
	}
	sys = lookup(sl, n, (size_t)(q - n));
	q += 9;
	pd = pending_find(sl, tid);
	if (pd != NULL && (pd->headlen < (size_t)(q - 9 - n) ||
	    memcmp(pd->head, n, (size_t)(q - 9 - n)) != 0 ||
	    pd->head[q - 9 - n] != '(')) {
		abandon(sl, pd, "never resumed (another call resumed)");
		pd = NULL;
	}
	if (pd == NULL) {
		if (sys != IOSYS_UNKNOWN)
			problem(sl, file, f->lineno,
			    "second half of a call whose first half is not in the log",
			    p, (size_t)(e - p), true);
		return;
	}
	resume(sl, file, pd, q, e, partial, f->lineno);
}

/* ------------------------------------------------------------ others */

/* "--- SIGCHLD {...} ---", "--- SIGCHLD (Child exited) @ 0 (0) ---" */
static void
signal_line(struct stracelog *sl, pid_t tid, int64_t ts, const char *p,
    const char *e)
{
	const char *n = p + 4, *q = n;
	struct io_event ev;
	int sig;

	while (q < e && is_ident((unsigned char)*q))
		q++;
	if (q - n < 4 || memcmp(n, "SIG", 3) != 0)
		return;	/* "--- stopped by SIGSTOP ---" and the like */
	sig = util_signal_by_name(n, (size_t)(q - n));
	if (sig <= 0)
		return;
	io_event_init(&ev);
	ev.tid = tid;
	ev.ts_ns = ts;
	ev.sys = IOSYS_SIGNAL;
	ev.cls = IOC_PSEUDO;
	ev.name = "--- signal";
	ev.sig = sig;
	emit(sl, &ev);
}

/* "+++ exited with N +++", "+++ killed by SIGX +++", "+++ superseded..." */
static void
exit_line(struct stracelog *sl, int file, struct sl_file *f, pid_t tid,
    int64_t ts, const char *p, const char *e)
{
	struct io_event ev;
	struct sl_pending *pd;
	const char *q = p + 4;
	int64_t v;

	io_event_init(&ev);
	ev.tid = tid;
	ev.ts_ns = ts;
	ev.cls = IOC_PSEUDO;
	ev.sys = IOSYS_PROC_EXIT;
	ev.name = "+++ exit";
	if (starts(q, e, "exited with ")) {
		if (!sl_parse_num(q + 12, e, &v)) {
			problem(sl, file, f->lineno, "unreadable exit line", p,
			    (size_t)(e - p), true);
			return;
		}
		ev.ret = v;
	} else if (starts(q, e, "killed by ")) {
		const char *n = q + 10, *r = n;

		while (r < e && is_ident((unsigned char)*r))
			r++;
		ev.sig = util_signal_by_name(n, (size_t)(r - n));
	} else if (starts(q, e, "superseded by execve in pid ")) {
		pid_t leader;

		if (parse_pid(q + 28, e, &leader) == NULL) {
			problem(sl, file, f->lineno, "unreadable exit line", p,
			    (size_t)(e - p), true);
			return;
		}
		/* the thread's execve goes on as the leader's */
		pd = pending_find(sl, tid);
		if (pd != NULL && leader != tid) {
			struct sl_pending *ld = pending_find(sl, leader);

			if (ld != NULL)
				abandon(sl, ld, "never resumed (execve in another thread)");
			set_pending(sl, pd->file, pd->lineno, leader, pd->ts,
			    pd->sys, pd->head, pd->head + pd->headlen, pd->cut);
			/* set_pending copied the text: retire the old one */
			pd->active = false;
			sl->nactive--;
		}
		ev.sys = IOSYS_DETACH;
		ev.name = "detach";
		emit(sl, &ev);
		return;
	} else {
		problem(sl, file, f->lineno, "unreadable exit line", p,
		    (size_t)(e - p), true);
		return;
	}
	pd = pending_find(sl, tid);
	if (pd != NULL)
		abandon(sl, pd, "never resumed (the thread ended inside it)");
	emit(sl, &ev);
}

/* strace's own messages: "strace: Process N attached", "Process N detached" */
static void
message(struct stracelog *sl, const char *p, const char *e)
{
	const char *q = memmem(p, (size_t)(e - p), "Process ", 8);
	struct io_event ev;
	pid_t pid;

	if (q == NULL)
		return;
	q = parse_pid(q + 8, e, &pid);
	if (q == NULL || q >= e || *q != ' ')
		return;
	q++;
	if (starts(q, e, "attached")) {
		if (sl->first_pid == 0 && sl->calls == 0)
			sl->first_pid = pid;
	} else if (starts(q, e, "detached")) {
		io_event_init(&ev);
		ev.tid = pid;
		ev.sys = IOSYS_DETACH;
		ev.cls = IOC_PSEUDO;
		ev.name = "detach";
		emit(sl, &ev);
	}
}

static bool
is_summary_row(const char *p, const char *e)
{
	/* "------ ---" rules and "  0.05  0.58  23  24379  sched_yield" rows */
	p = skipsp(p, e);
	if (p < e && *p == '-')
		return true;
	return p < e && (is_digit((unsigned char)*p) || *p == '%');
}

/* Copy line without ANSI escape sequences (strace --color). */
static size_t
strip_ansi(struct stracelog *sl, const char *line, size_t len)
{
	size_t i, n = 0;

	grow(&sl->clean, &sl->cleancap, len + 1);
	for (i = 0; i < len; i++) {
		if (line[i] == 033) {
			i++;
			if (i < len && line[i] == '[') {
				i++;
				while (i < len && !((unsigned char)line[i] >= 0x40 &&
				    (unsigned char)line[i] <= 0x7e))
					i++;
			}
			continue;
		}
		sl->clean[n++] = line[i];
	}
	return n;
}

/* Handle one line (not a frame). cut: the line was cut by a strace message
   after this text. */
/*
 * An unseen thread speaks while another thread is inside clone/fork/vfork
 * (strace -f prints a child's first calls before its parent's clone
 * returns): it is that call's child.  Tell the pipeline now, so the
 * child's first writes resolve through the fds it inherited.
 */
static void
early_child(struct stracelog *sl, pid_t tid)
{
	struct sl_pending *pd, *tmp, *best = NULL;
	uint64_t flags = 0;
	const char *h, *he, *fl;

	HASH_ITER(hh, sl->pending, pd, tmp) {
		if (!pd->active || pd->tid == tid ||
		    syscalls_class(pd->sys) != IOC_FORK)
			continue;
		if (best == NULL || pd->lineno > best->lineno)
			best = pd;
	}
	if (best == NULL)
		return;
	h = best->head;
	he = h + best->headlen;
	if (best->sys == IOSYS_VFORK)
		flags = CLONE_VM | CLONE_VFORK;
	else if ((fl = memmem(h, best->headlen, "flags=", 6)) != NULL) {
		fl += 6;
		if (fl + 2 < he && fl[0] == '0' && fl[1] == 'x')
			flags = strtoull(fl, NULL, 16);	/* -X raw */
		else {
			if (memmem(fl, (size_t)(he - fl), "CLONE_THREAD", 12))
				flags |= CLONE_THREAD;
			if (memmem(fl, (size_t)(he - fl), "CLONE_FILES", 11))
				flags |= CLONE_FILES;
		}
	}
	pipeline_fork_early(sl->pl, best->tid, tid, flags);
}

/* strace -Y names the process on every line: tell the pipeline when the
 * name is new (after an execve, or the first line of a process). */
static void
name_from_comm(struct stracelog *sl, pid_t tid, const char *comm, size_t len)
{
	const char *cur = pipeline_comm_of(sl->pl, tid);
	char buf[64];

	if (memchr(comm, '\0', len) != NULL)
		return;		/* not a name: binary garbage */
	if (cur != NULL && strlen(cur) == len && memcmp(cur, comm, len) == 0)
		return;
	memcpy(buf, comm, len);
	buf[len] = '\0';
	pipeline_name_process(sl->pl, pipeline_pid_of(sl->pl, tid), buf, NULL);
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

	parse_prefix(line, e, &pre);
	p = pre.rest;
	ts = time_of(f, &pre, true, f);
	tid = pre.has_pid ? pre.tid : f->pid > 0 ? f->pid : sl->first_pid;
	if (sl->nactive > 0 && !pipeline_thread_known(sl->pl, tid))
		early_child(sl, tid);
	if (pre.comm != NULL && pre.commlen > 0 && pre.commlen < 64)
		name_from_comm(sl, tid, pre.comm, pre.commlen);
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

		while (q < e && is_ident((unsigned char)*q))
			q++;
		if (q < e && *q == '(') {
			call_line(sl, file, f, tid, ts, p, e, partial, cut);
			return;
		}
		if (starts(p, e, "Process ") || starts(p, e, "strace: ") ||
		    memmem(p, (size_t)(e - p), "strace: ", 8) != NULL) {
			message(sl, p, e);
			return;
		}
	} else if (c == '/' && memmem(p, (size_t)(e - p), "strace: ", 8) != NULL) {
		message(sl, p, e);	/* "/usr/bin/strace: Process N attached" */
		return;
	} else if (c == '<') {
		if (starts(p, e, "<... ")) {
			resumed_line(sl, file, f, tid, p, e, partial);
			return;
		}
		if (starts(p, e, "<detached ...>") ||
		    starts(p, e, "<unfinished ...>"))
			return;
	} else if (c == '-' && starts(p, e, "--- ")) {
		signal_line(sl, tid, ts, p, e);
		return;
	} else if (c == '+' && starts(p, e, "+++ ")) {
		exit_line(sl, file, f, tid, ts, p, e);
		return;
	} else if (c == ',' || c == ')' || c == ' ' || c == '}' || c == ']' ||
	    (c == '=' && starts(p, e, "=> "))) {
		const char *q = skipsp(p, e);

		/* " <unfinished ...>" ends a line a strace message cut: the
		   call now waits for its "<... resumed>" like any other */
		if (starts(q, e, "<unfinished ...>") ||
		    starts(q, e, "<detached ...>"))
			return;
		if (c == ' ' && q < e && *q == '|')
			return;	/* -e write=N hex dump */
		/* the rest of a call a strace message cut in two */
		if (f->cut_tid >= 0 && (pd = pending_find(sl, f->cut_tid)) != NULL &&
		    pd->cut) {
			f->cut_tid = -1;
			resume(sl, file, pd, p, e, partial, f->lineno);
			return;
		}
	} else if (c == '%' && starts(p, e, "% time")) {
		f->summary = true;
		sl->summary++;
		return;
	} else if (c == '[' && starts(p, e, "[ Process PID=")) {
		return;	/* "[ Process PID=N runs in 32 bit mode. ]" */
	}
	if (f->summary && is_summary_row(p, e)) {
		sl->summary++;
		return;
	}
	if (!f->color && memchr(line, 033, len) != NULL) {
		/* colours: strip them and try again */
		size_t n;

		f->color = true;
		n = strip_ansi(sl, line, len);
		if (n < len) {
			char *copy = xmalloc(n + 1);

			memcpy(copy, sl->clean, n);
			handle_line(sl, file, f, copy, n, partial, cut);
			free(copy);
			return;
		}
	}
	problem(sl, file, f->lineno, partial ? "truncated last line" :
	    "not a strace line", line, len, true);
}

/* What may stand before a call's name without needing a look: pid,
   -t/-tt/-ttt time, their padding. */
static const unsigned char prefix_char[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, [' '] = 1, [':'] = 1,
	['.'] = 1,
};

/* A used call's name, as scan_unused saw it. */
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
static bool
scan_unused(struct name_cache *nc, const char *line, size_t len,
    struct sl_hint *h)
{
	const char *p = line, *e = line + len, *n;
	size_t nl;
	enum io_sys sys;

	h->name = NULL;
	if (len > 6 && p[0] == '[' && memcmp(p, "[pid ", 5) == 0) {
		n = memchr(p, ']', len);
		if (n == NULL)
			return false;
		p = n + 1;
	}
	/* pid and its padding, then the usual stamps at fixed places */
	n = p;
	while (n < e && (unsigned)(*n - '0') < 10)
		n++;
	if (n > p && n < e && *n == ' ') {
		p = n;
		while (p < e && *p == ' ')
			p++;
	}
	if (e - p > 16 && p[2] == ':' && p[5] == ':' && p[8] == '.' &&
	    p[15] == ' ')
		p += 16;		/* -tt */
	else if (e - p > 18 && p[10] == '.' && p[17] == ' ')
		p += 18;		/* -ttt */
	while (p < e && prefix_char[(unsigned char)*p])
		p++;
	n = p;
	while (p < e && ident_char[(unsigned char)*p])
		p++;
	nl = (size_t)(p - n);
	if (nl == 0 || p >= e || *p != '(' || !(*n >= 'a' && *n <= 'z'))
		return false;
	sys = lookup_nc(nc, n, nl);
	if (sys != IOSYS_UNKNOWN) {
		h->name = n;	/* call_line need not look again */
		h->end = p;
		h->sys = sys;
		return false;
	}
	e = rtrim(p, e);
	/* the first half of a call, or a line a strace message cut
	   ("...attached").  (A thread's call left pending is found at its
	   next used call or at the end, not here.) */
	if (e[-1] == 'd' || (e[-2] == '.' && ends(p, e, "<unfinished ...>")))
		return false;
	return true;
}

static bool
skip_unused(struct stracelog *sl, struct sl_file *f, const char *line,
    size_t len)
{
	struct sl_hint h;

	if (!scan_unused(sl->nc, line, len, &h)) {
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
		if (is_summary_row(line, line + len)) {
			sl->summary++;
			return;
		}
	}
	if (!f->color && !f->relative && !f->summary && skip_unused(sl, f, line, len))
		return;
	stracelog_flush(sl);
	if (f->color) {
		size_t n = strip_ansi(sl, line, len);

		line = sl->clean;
		len = n;
	}

	/* a strace message that landed inside a call line (2>&1 logs):
	   "clone(...SIGCHLDstrace: Process 11929 attached" */
	e = line + len;
	if (len > 16 && (ends(line, e, "attached") || ends(line, e, "detached"))) {
		const char *m = NULL, *q = line;

		while ((q = memmem(q, (size_t)(e - q), "strace: Process ", 16)) != NULL) {
			m = q;
			q++;
		}
		if (m != NULL && memchr(line, '(', (size_t)(m - line)) != NULL) {
			/* keep the message's text before handle_line may
			   reuse the buffers */
			size_t ml = (size_t)(e - m);
			char *msg = xmalloc(ml);

			memcpy(msg, m, ml);
			handle_line(sl, file, f, line, (size_t)(m - line), false,
			    true);
			message(sl, msg, msg + ml);
			free(msg);
			return;
		}
	}
	handle_line(sl, file, f, line, len, partial, false);
}

/* ------------------------------------------------------------ batches */

struct sl_worker {
	struct name_cache nc[NC_SIZE];
};

/* A new worker. */
struct sl_worker *
sl_worker_new(void)
{
	return xcalloc(1, sizeof(struct sl_worker));
}

/* Free a worker. */
void
sl_worker_free(struct sl_worker *w)
{
	free(w);
}

/* Free a batch's memory. */
void
sl_batch_free(struct sl_batch *b)
{
	size_t i;

	for (i = 0; i < b->nblk; i++)
		free(b->blk[i].buf);
	free(b->blk);
	free(b->rec);
	free(b->ev);
	memset(b, 0, sizeof(*b));
}

#define SL_ABLOCK (256u << 10)

/* An arena of at least n bytes inside b's current string block (the
   next one when it has less room left). */
static void
batch_room(struct sl_batch *b, size_t n, struct sl_arena *ar)
{
	struct sl_ablock *k = b->nblk > 0 ? &b->blk[b->cur] : NULL;

	if (k == NULL || k->cap - k->len < n) {
		if (k != NULL)
			b->cur++;
		if (b->cur >= b->nblk) {
			b->blk = xrealloc(b->blk, (b->nblk + 1) * sizeof(*b->blk));
			k = &b->blk[b->nblk++];
			k->cap = n > SL_ABLOCK ? n : SL_ABLOCK;
			k->buf = xmalloc(k->cap);
		}
		k = &b->blk[b->cur];
		k->len = 0;
		if (k->cap < n) {	/* a reused block too small for n */
			free(k->buf);
			k->cap = n;
			k->buf = xmalloc(n);
		}
	}
	ar->buf = k->buf + k->len;
	ar->len = 0;
	ar->cap = k->cap - k->len;
}

/* The commonest prefix, "PID  HH:MM:SS.ffffff " (or the time alone)
   before the name at name, as parse_prefix would read it; false for
   anything else. */
static bool
prefix_fast(const char *p, const char *name, struct sl_prefix *pre)
{
	const char *q = p;
	pid_t pid = 0;
	bool has_pid = false;

	if (name - p >= 18 && p[2] != ':') {
		q = parse_pid(p, name, &pid);
		if (q == NULL || *q != ' ')
			return false;
		has_pid = true;
		while (q < name && *q == ' ')
			q++;
	}
	if (!tod_fast(q, name, &pre->tval))
		return false;
	q += 16;
	while (q < name && *q == ' ')
		q++;
	if (q != name)
		return false;
	pre->has_pid = has_pid;
	pre->tid = pid;
	pre->comm = NULL;
	pre->commlen = 0;
	pre->kind = TS_TOD;
	pre->rest = name;
	return true;
}

/* One line (without its newline) as far as it can be known without the
   parser's state; rec->kind stays SLR_RAW whenever in doubt. */
static void
worker_line(struct sl_worker *w, struct sl_batch *b, struct sl_rec *rec)
{
	const char *line = rec->line, *e, *p, *te;
	size_t n = rec->len;
	struct sl_hint h;
	struct sl_arena ar;
	struct io_event *ev;

	rec->frame = stracelog_is_frame(line, n);
	if (rec->partial)
		return;
	/* what stracelog_feed looks at first */
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--;
	if (n == 0 || line[0] == ' ')
		return;
	if (scan_unused(w->nc, line, n, &h)) {
		rec->kind = SLR_UNUSED;
		return;
	}
	if (h.name == NULL)
		return;
	e = line + n;
	if (n > 16 && (ends(line, e, "attached") || ends(line, e, "detached")))
		return;	/* perhaps a strace message inside the call */
	/* handle_line and call_line, up to their use of state */
	if (!prefix_fast(line, h.name, &rec->pre))
		parse_prefix(line, e, &rec->pre);
	p = rec->pre.rest;
	if (p != h.name)
		return;
	te = rtrim(p, e);
	if (ends(p, te, "<unfinished ...>") ||
	    ends(p, te, "<unfinished ...>) = ?"))
		return;
	if (b->nev == b->evcap) {
		b->evcap = b->evcap ? 2 * b->evcap : 1024;
		b->ev = xrealloc(b->ev, b->evcap * sizeof(*b->ev));
	}
	ev = &b->ev[b->nev];
	batch_room(b, call_room((size_t)(e - p)), &ar);
	if (build_call(&ar, ev, h.sys, p, e, false, true, h.end) != SB_OK)
		return;
	b->blk[b->cur].len += ar.len;
	rec->kind = SLR_CALL;
	rec->evi = b->nev++;
}

/* Decode the lines of buf into b. */
void
sl_worker_batch(struct sl_worker *w, const char *buf, size_t len,
    bool last_partial, struct sl_batch *b)
{
	const char *p = buf, *e = buf + len, *nl;
	size_t i;

	b->nrec = 0;
	b->nev = 0;
	b->cur = 0;
	for (i = 0; i < b->nblk; i++)
		b->blk[i].len = 0;
	while (p < e) {
		struct sl_rec *rec;

		nl = memchr(p, '\n', (size_t)(e - p));
		if (b->nrec == b->reccap) {
			b->reccap = b->reccap ? 2 * b->reccap : 4096;
			b->rec = xrealloc(b->rec, b->reccap * sizeof(*b->rec));
		}
		rec = &b->rec[b->nrec++];
		rec->line = p;
		rec->len = (size_t)((nl != NULL ? nl : e) - p);
		rec->kind = SLR_RAW;
		rec->partial = nl == NULL && last_partial;
		worker_line(w, b, rec);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
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
		early_child(sl, tid);
	if (rec->pre.comm != NULL && rec->pre.commlen > 0 &&
	    rec->pre.commlen < 64)
		name_from_comm(sl, tid, rec->pre.comm, rec->pre.commlen);
	/* call_line */
	sl->calls++;
	f->any_call = true;
	if (f->summary)
		f->summary = false;
	pd = pending_find(sl, tid);
	if (pd != NULL)
		abandon(sl, pd, "never resumed (the same thread started another)");
	/* complete_call */
	stracelog_flush(sl);
	sl->hev = &b->ev[rec->evi];
	sl->hev->tid = tid;
	sl->hev->ts_ns = ts;
	sl->held = true;
	sl->stack.nframes = 0;
	sl->flen = 0;
}

/* ------------------------------------------------------------ first pid */

/* Guess the first traced process of a log from its beginning. */
pid_t
stracelog_guess_first_pid(const char *buf, size_t len)
{
	pid_t children[64];
	size_t nchild = 0, i;
	const char *p = buf, *e = buf + len;
	bool seen_call = false;
	int lines = 0;

	while (p < e && lines++ < 20000) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e;
		const char *m = memmem(p, (size_t)(le - p), "Process ", 8);
		struct sl_prefix pre;
		pid_t pid;

		if (m != NULL && (m == p || (m - p >= 8 &&
		    memcmp(m - 8, "strace: ", 8) == 0)) &&
		    parse_pid(m + 8, le, &pid) != NULL) {
			const char *a = parse_pid(m + 8, le, &pid);

			if (starts(a, le, " attached")) {
				if (!seen_call)
					return pid;
				if (nchild < 64)
					children[nchild++] = pid;
			}
		}
		parse_prefix(p, le, &pre);
		if (pre.has_pid) {
			for (i = 0; i < nchild; i++)
				if (children[i] == pre.tid)
					break;
			if (i == nchild)
				return pre.tid;
		} else {
			const char *q = pre.rest, *n = q;

			while (q < le && is_ident((unsigned char)*q))
				q++;
			if (q < le && *q == '(' && q > n) {
				size_t nl2 = (size_t)(q - n);

				seen_call = true;
				if ((nl2 == 5 && memcmp(n, "clone", 5) == 0) ||
				    (nl2 == 6 && memcmp(n, "clone3", 6) == 0) ||
				    (nl2 == 4 && memcmp(n, "fork", 4) == 0) ||
				    (nl2 == 5 && memcmp(n, "vfork", 5) == 0)) {
					const char *eq = le;
					int64_t v;

					while (eq > q && !(eq[-1] == '=' &&
					    eq - 1 > q && eq[-2] == ' '))
						eq--;
					if (eq > q && sl_parse_num(eq, le, &v) &&
					    v > 0 && v <= INT32_MAX && nchild < 64)
						children[nchild++] = (pid_t)v;
				}
			}
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
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
			abandon(sl, pd, pd->cut ?
			    "cut by a strace message and never completed" :
			    "never resumed (the log ends first)");
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
	}
}
