/*
 * stracelog_call.c: a complete call line decoded without the parser's
 * state, shared by the sequential parser (stracelog_line.c) and the worker
 * threads of a parallel replay, which decode whole blocks of lines ahead
 * of it.  Also the fast look at the lines of calls iospy does not use.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "replay/scan.h"
#include "replay/stracelog.h"
#include "replay/stracelog_int.h"
#include "model/syscalls.h"
#include "base/util.h"

/* ------------------------------------------------------------ names */

/* io_sys of a syscall name, through the small cache nc. */
enum io_sys
sl_lookup_nc(struct name_cache *nc, const char *name, size_t len)
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
enum sl_build
sl_build_call(struct sl_arena *ar, struct io_event *evp, enum io_sys sys,
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
		while (q < e && sc_is_ident((unsigned char)*q))
			q++;
	if (q >= e || *q != '(')
		return SB_NOT_CALL;
	a = q + 1;
	if (sys == IOSYS_WRITE && !partial) {
		/* the commonest line: one pass, no split */
		sl_arena_reset(ar, call_room((size_t)(e - p)));
		io_event_init(evp);
		if (sl_fast_write(evp, a, sc_rtrim(a, e), ar)) {
			if (sc_range > 0)
				return SB_RANGE;
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
	r = sc_skip_spaces(r + 1, e);
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
		return sc_range > 0 ? SB_RANGE : SB_BAD_RESULT;
	sl_decode_args(evp, sys, &args, &res, ar);
	if (sc_range > 0)
		return SB_RANGE;	/* never a wrapped or clamped number */
	/* the fd tables are arrays: a made-up fd of 2^31 must not make
	   them allocate gigabytes */
	if (!fds_sane(evp))
		return SB_BAD_FD;
	return SB_OK;
}

/* What may stand before a call's name without needing a look: pid,
   -t/-tt/-ttt time, their padding. */
static const unsigned char prefix_char[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, [' '] = 1, [':'] = 1,
	['.'] = 1,
};

/*
 * The fast path for the lines of calls iospy does not use: skip the
 * prefix without parsing it, look the name up, and stop there when the
 * call is complete on its line (true).  Anything else (prefix forms that
 * need a look, halves of calls, known calls) takes the full path; for a
 * known call, h gets its name.  Uses no parser state but the name cache.
 */
bool
sl_scan_unused(struct name_cache *nc, const char *line, size_t len,
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
	while (p < e && sc_ident_char[(unsigned char)*p])
		p++;
	nl = (size_t)(p - n);
	if (nl == 0 || p >= e || *p != '(' || !(*n >= 'a' && *n <= 'z'))
		return false;
	sys = sl_lookup_nc(nc, n, nl);
	if (sys != IOSYS_UNKNOWN) {
		h->name = n;	/* call_line need not look again */
		h->end = p;
		h->sys = sys;
		return false;
	}
	e = sc_rtrim(p, e);
	/* the first half of a call, or a line a strace message cut
	   ("...attached").  (A thread's call left pending is found at its
	   next used call or at the end, not here.) */
	if (e[-1] == 'd' || (e[-2] == '.' && sc_ends(p, e, "<unfinished ...>")))
		return false;
	return true;
}

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
	if (sl_scan_unused(w->nc, line, n, &h)) {
		rec->kind = SLR_UNUSED;
		return;
	}
	if (h.name == NULL)
		return;
	e = line + n;
	if (sl_may_end_in_message(line, e))
		return;	/* perhaps a strace message inside the call */
	/* handle_line and call_line, up to their use of state */
	sc_range = 0;
	if (!sl_prefix_fast(line, h.name, &rec->pre))
		sl_parse_prefix(line, e, &rec->pre);
	if (sc_range > 0)
		return;	/* the feed path reports it */
	p = rec->pre.rest;
	if (p != h.name)
		return;
	te = sc_rtrim(p, e);
	if (sc_ends(p, te, "<unfinished ...>") ||
	    sc_ends(p, te, "<unfinished ...>) = ?"))
		return;
	if (b->nev == b->evcap) {
		b->evcap = b->evcap ? 2 * b->evcap : 1024;
		b->ev = xrealloc(b->ev, b->evcap * sizeof(*b->ev));
	}
	ev = &b->ev[b->nev];
	batch_room(b, call_room((size_t)(e - p)), &ar);
	if (sl_build_call(&ar, ev, h.sys, p, e, false, true, h.end) != SB_OK)
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
