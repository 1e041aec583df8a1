/*
 * stracelog_args.c: the argument level of the strace-log parser: fd
 * annotations, results, and the per-syscall decoders that fill a struct
 * io_event from the split arguments (the strings, numbers and flags they
 * are made of are read by scan.c and stracelog_flags.c).
 *
 * Everything here reads text between two pointers and never past the end:
 * log lines are untrusted and need not be NUL-terminated.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "replay/scan.h"
#include "replay/stracelog_int.h"
#include "model/syscalls.h"
#include "base/util.h"

/* ------------------------------------------------------------ fds */

/* An fd as an int; one that does not fit is out of range (never the
   wrapped number: 4294967299 is not fd 3). */
static int
fd_value(int64_t v)
{
	if (v > INT32_MAX || v < INT32_MIN) {
		sc_range++;
		return INT32_MAX;
	}
	return (int)v;
}

/*
 * Decode a -y annotation at p (p[0] == '<'): the path, without a -yy inner
 * "<char 1:3>" part and a " (deleted)" tail.  Returns the end.
 */
static const char *
parse_annot(const char *p, const char *e, struct sl_arena *ar,
    const char **path, bool *deleted)
{
	const char *q = p + 1, *inner = NULL, *cend;
	char *out;
	size_t room, n;

	*path = NULL;
	{
		/* fast path: "<...>" with no nesting, brackets or escapes:
		   one pass finds the end, one memcpy takes the path */
		const char *t = q;

		static const unsigned char stop[256] = {
			['>'] = 1, ['<'] = 1, ['['] = 1, ['\\'] = 1,
		};

		while (t < e && !stop[(unsigned char)*t])
			t++;
		if (t < e && *t == '>') {
			size_t len = (size_t)(t - q);

			out = sl_arena_top(ar, &room);
			if (room > len) {
				memcpy(out, q, len);
				if (len >= 10 && memcmp(out + len - 10,
				    " (deleted)", 10) == 0) {
					len -= 10;
					*deleted = true;
				}
				out[len] = '\0';
				sl_arena_commit(ar, len);
				*path = out;
			}
			q = t + 1;
			if (q < e && *q == '(' && sc_starts(q, e, "(deleted)")) {
				*deleted = true;
				q += 9;
			}
			return q;
		}
	}
	q = sc_annot_close(p, e, &inner);
	cend = inner != NULL ? inner : q;
	out = sl_arena_top(ar, &room);
	if (room > 0) {
		n = sc_unescape_span(p + 1, cend, out, room - 1);
		if (n > room - 1)
			n = room - 1;
		if (n >= 10 && memcmp(out + n - 10, " (deleted)", 10) == 0) {
			n -= 10;
			*deleted = true;
		}
		out[n] = '\0';
		sl_arena_commit(ar, n);
		*path = out;
	}
	if (q < e)
		q++;	/* the closing '>' */
	if (sc_starts(q, e, "(deleted)")) {
		*deleted = true;
		q += 9;
	}
	return q;
}

/* Parse an fd argument with its optional -y annotation. */
void
sl_parse_fd(const char *p, const char *e, struct sl_arena *ar,
    struct sl_fdref *out)
{
	int64_t v;

	out->ok = false;
	out->fd = -1;
	out->path = NULL;
	out->deleted = false;
	p = sc_skip_blanks(p, e);
	if (sc_starts(p, e, "AT_FDCWD")) {
		out->ok = true;
		out->fd = AT_FDCWD_VALUE;
		p += 8;
	} else {
		if (p >= e || !((*p >= '0' && *p <= '9') || *p == '-'))
			return;
		if (!sl_parse_num(p, e, &v))
			return;
		out->ok = true;
		out->fd = fd_value(v);
		if (*p == '-')
			p++;
		while (p < e && sc_is_ident((unsigned char)*p))
			p++;
	}
	p = sc_skip_blanks(p, e);
	if (sc_starts(p, e, "/*")) {	/* -X verbose */
		const char *c = p + 2;

		while (c + 1 < e && !(c[0] == '*' && c[1] == '/'))
			c++;
		p = c + 2 <= e ? c + 2 : e;
	}
	if (p < e && *p == '<')
		parse_annot(p, e, ar, &out->path, &out->deleted);
}

/* ------------------------------------------------------------ results */

/* util_errno_by_name is a linear search: remember the names seen last
   (EAGAIN, ENOENT... repeat by the thousand in a log). */
static int
errno_cached(const char *name, size_t len)
{
	static _Thread_local struct {
		char name[24];
		size_t len;
		int err;
	} cache[8];
	static _Thread_local unsigned next;
	unsigned i;
	int err;

	if (len >= sizeof(cache[0].name))
		return util_errno_by_name(name, len);
	for (i = 0; i < 8; i++)
		if (cache[i].len == len && memcmp(cache[i].name, name, len) == 0)
			return cache[i].err;
	err = util_errno_by_name(name, len);
	i = next++ % 8;
	memcpy(cache[i].name, name, len);
	cache[i].len = len;
	cache[i].err = err;
	return err;
}

/* Parse the result part after "= ". */
bool
sl_parse_result(const char *s, size_t len, struct io_event *ev,
    struct sl_arena *ar, struct sl_fdref *annot)
{
	const char *p = s, *e = s + len, *q;
	int64_t v;
	enum sl_fit fit;

	annot->ok = false;
	annot->path = NULL;
	annot->deleted = false;
	annot->fd = -1;
	e = sc_rtrim(p, e);
	p = sc_skip_blanks(p, e);
	if (p >= e)
		return false;

	/* -T: " <0.000197>" at the very end */
	if (e[-1] == '>') {
		const char *lt = e - 1;

		while (lt > p && *lt != '<')
			lt--;
		if (*lt == '<' && lt > p && lt[-1] == ' ') {
			int64_t ns;
			const char *end = sl_parse_seconds(lt + 1, e - 1, &ns);

			if (end == e - 1) {
				ev->dur_ns = ns;
				e = sc_rtrim(p, lt);
			}
		}
	}

	if (*p == '?') {
		ev->ret = IO_RET_UNKNOWN;
		p = sc_skip_blanks(p + 1, e);
		q = p;
		while (q < e && sc_is_ident((unsigned char)*q))
			q++;
		if (q > p && *p == 'E')
			ev->err = errno_cached(p, (size_t)(q - p));
		return true;
	}
	if (!sl_parse_num_r(p, e, &v, &fit))
		return false;
	/* a result is a signed long: a decimal past INT64_MAX is no errno */
	if (fit != SN_FITS)
		sc_range++;
	ev->ret = v;
	if (*p == '-')
		p++;
	while (p < e && sc_is_ident((unsigned char)*p))
		p++;
	if (p < e && *p == '<') {
		annot->ok = true;
		annot->fd = fd_value(v);
		p = parse_annot(p, e, ar, &annot->path, &annot->deleted);
	}
	p = sc_skip_blanks(p, e);
	if (v < 0 && p < e) {
		q = p;
		while (q < e && sc_is_ident((unsigned char)*q))
			q++;
		if (q > p && *p == 'E') {
			int err = errno_cached(p, (size_t)(q - p));

			ev->err = err > 0 ? err : EIO;
		} else if (sc_starts(p, e, "(errno ")) {
			if (sl_parse_num(p + 7, e, &v) && v > 0 && v < 100000)
				ev->err = (int)v;
			else
				ev->err = EIO;
		}
	}
	return true;
}

/* ------------------------------------------------------------ decoders */

static bool
arg(const struct sl_args *a, int i, const char **p, const char **e)
{
	if (i < 0 || i >= a->n)
		return false;
	*p = a->p[i];
	*e = a->p[i] + a->len[i];
	return true;
}

/* The argument named name ("flags"), or -1. */
static int
arg_named(const struct sl_args *a, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < a->n; i++)
		if (a->name[i] != NULL && a->namelen[i] == n &&
		    memcmp(a->name[i], name, n) == 0)
			return i;
	return -1;
}

static int64_t
num_arg(const struct sl_args *a, int i, int64_t dflt)
{
	const char *p, *e;
	int64_t v;

	if (arg(a, i, &p, &e) && sl_parse_num(p, e, &v))
		return v;
	return dflt;
}

/* A size argument: a plain decimal or 0x number and nothing else, or 0
   (unknown).  A program's own output glued onto a line ("20x") is no
   size. */
static uint64_t
size_arg(const struct sl_args *a, int i)
{
	const char *p, *e, *q;
	int64_t v;
	enum sl_fit fit;

	if (!arg(a, i, &p, &e))
		return 0;
	p = sc_skip_blanks(p, e);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	q = p;
	if (e - q > 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
		for (q += 2; q < e; q++)
			if (!((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') ||
			    (*q >= 'A' && *q <= 'F')))
				return 0;
	} else {
		if (q >= e)
			return 0;
		for (; q < e; q++)
			if (*q < '0' || *q > '9')
				return 0;
	}
	if (!sl_parse_num_r(p, e, &v, &fit))
		return 0;
	if (fit == SN_OVER) {
		sc_range++;	/* more than 64 bits: the line is reported */
		return 0;
	}
	/* a size_t past INT64_MAX is still a size (its bit pattern) */
	if (v < 0 && fit != SN_UNSIGNED)
		return 0;
	return (uint64_t)v;
}

static uint64_t
flags_arg(const struct sl_args *a, int i)
{
	const char *p, *e;

	if (!arg(a, i, &p, &e))
		return 0;
	return sl_parse_flags(p, e);
}

static void
fd_arg(const struct sl_args *a, int i, struct sl_arena *ar, struct sl_fdref *f)
{
	const char *p, *e;

	if (arg(a, i, &p, &e))
		sl_parse_fd(p, e, ar, f);
	else {
		f->ok = false;
		f->fd = -1;
		f->path = NULL;
		f->deleted = false;
	}
}

static const char *
str_arg(const struct sl_args *a, int i, struct sl_arena *ar, size_t max,
    size_t *len, bool *trunc)
{
	const char *p, *e;
	bool t;
	size_t l;

	if (len == NULL)
		len = &l;
	if (trunc == NULL)
		trunc = &t;
	*len = 0;
	*trunc = false;
	if (!arg(a, i, &p, &e))
		return NULL;
	return sl_parse_string(p, e, ar, max, len, trunc);
}

/* Join dir and a relative path into the arena (NULL if no room). */
static const char *
join_path(struct sl_arena *ar, const char *dir, const char *rel)
{
	size_t dl = strlen(dir), rl = strlen(rel);
	char *out;
	size_t room;

	while (rl >= 2 && rel[0] == '.' && rel[1] == '/') {
		rel += 2;
		rl -= 2;
	}
	out = sl_arena_top(ar, &room);
	if (room < dl + rl + 2)
		return NULL;
	memcpy(out, dir, dl);
	if (dl == 0 || dir[dl - 1] != '/')
		out[dl++] = '/';
	memcpy(out + dl, rel, rl);
	out[dl + rl] = '\0';
	sl_arena_commit(ar, dl + rl);
	return out;
}

/* An *at call's AT_FDCWD</path> (strace -y): the caller's working
   directory, told to the pipeline. */
static void
cwd_hint(struct io_event *ev, const struct sl_fdref *dir)
{
	if (dir->ok && dir->fd == AT_FDCWD_VALUE && dir->path != NULL &&
	    dir->path[0] == '/' && !dir->deleted)
		ev->cwd = dir->path;
}

/*
 * A path argument of an *at call made absolute with the dirfd's -y
 * annotation when it can be; *dirfd is set to AT_FDCWD when joined (the
 * pipeline then leaves it alone).
 */
static const char *
at_path(struct sl_arena *ar, const struct sl_fdref *dir, const char *path,
    int *dirfd)
{
	const char *j;

	if (path == NULL || path[0] == '/' || path[0] == '\0' ||
	    dir->path == NULL || dir->path[0] != '/' || dir->deleted)
		return path;
	j = join_path(ar, dir->path, path);
	if (j == NULL)
		return path;
	*dirfd = AT_FDCWD_VALUE;
	return j;
}

/* Find "key" (e.g. "st_size=") in p..e and parse the number after it. */
static bool
field_num(const char *p, const char *e, const char *key, int64_t *v)
{
	size_t kl = strlen(key);
	const char *q;

	if (p >= e)
		return false;
	q = memmem(p, (size_t)(e - p), key, kl);
	if (q == NULL)
		return false;
	return sl_parse_num(q + kl, e, v);
}

/* Array elements of [a, b, {c}] at p..e: calls fn for each. */
static int
array_items(const char *p, const char *e,
    void (*fn)(void *ctx, const char *ip, const char *ie), void *ctx)
{
	struct sl_args items;
	size_t close;
	int i;

	p = sc_skip_blanks(p, e);
	if (p >= e || *p != '[')
		return -1;
	p++;
	/* the items end at the matching ']': split treats ']' as nesting,
	   so cut at the last ']' */
	while (e > p && e[-1] != ']')
		e--;
	if (e > p)
		e--;
	close = sl_args_split(p, (size_t)(e - p), &items);
	(void)close;
	if (fn != NULL)
		for (i = 0; i < items.n; i++)
			fn(ctx, items.p[i], items.p[i] + items.len[i]);
	return items.n;
}

struct iov_ctx {
	struct sl_arena *ar;
	char *data;
	size_t data_len, room;
	uint64_t total;
	bool have_len, trunc;
	int n;
};

static void
iov_item(void *vctx, const char *p, const char *e)
{
	struct iov_ctx *c = vctx;
	const char *s;
	int64_t v;

	p = sc_skip_blanks(p, e);
	if (p >= e || *p != '{')
		return;
	c->n++;
	if (field_num(p, e, "iov_len=", &v)) {
		c->total += (uint64_t)v;
		c->have_len = true;
	} else {
		/* strace 4.x: {"abc", 3} */
		const char *q = e;

		while (q > p && (q[-1] == '}' || q[-1] == ' '))
			q--;
		while (q > p && q[-1] >= '0' && q[-1] <= '9')
			q--;
		if (sl_parse_num(q, e, &v)) {
			c->total += (uint64_t)v;
			c->have_len = true;
		}
	}
	s = memchr(p, '"', (size_t)(e - p));
	if (s != NULL && c->data != NULL) {
		const char *se = sc_skip_string(s, e);
		size_t n;

		if (se > s + 1 && se[-1] == '"')
			se--;
		n = sc_unescape_span(s + 1, se, c->data + c->data_len,
		    c->room - c->data_len);
		if (n > c->room - c->data_len) {
			n = c->room - c->data_len;
			c->trunc = true;
		}
		c->data_len += n;
	}
}

static void
decode_iov(struct io_event *ev, const struct sl_args *a, int i,
    struct sl_arena *ar)
{
	const char *p, *e;
	struct iov_ctx c;
	size_t room;

	memset(&c, 0, sizeof(c));
	c.ar = ar;
	c.data = sl_arena_top(ar, &room);
	if (room > 1) {
		c.room = room - 1 < SL_DATA_MAX ? room - 1 : SL_DATA_MAX;
	} else
		c.data = NULL;
	if (!arg(a, i, &p, &e))
		return;
	array_items(p, e, iov_item, &c);
	if (c.data != NULL && c.data_len > 0) {
		c.data[c.data_len] = '\0';
		sl_arena_commit(ar, c.data_len);
		ev->data = c.data;
		ev->data_len = c.data_len;
	}
	if (c.have_len)
		ev->count = c.total;
	else if (io_event_ok(ev) && ev->ret >= 0)
		ev->count = (uint64_t)ev->ret;	/* "[...]" with -s 0 */
	ev->data_trunc = c.trunc || ev->data_len < ev->count;
}

struct argv_ctx {
	char *out;
	size_t len, room;
	bool trunc;		/* more strings than kept ("...", no room) */
	uint64_t cut;		/* argv_cut */
	int n;
};

/* One argv item: a "string" (with "..." after it when strace cut it), or
   "..." for the strings strace left out. */
static void
argv_item(void *vctx, const char *p, const char *e)
{
	struct argv_ctx *c = vctx;
	const char *se, *q;
	size_t n;

	p = sc_skip_blanks(p, e);
	if (p < e && e - p >= 3 && strncmp(p, "...", 3) == 0) {
		c->trunc = true;
		return;
	}
	if (p >= e || *p != '"' || c->trunc)
		return;
	if (c->len + 1 >= c->room) {
		c->trunc = true;
		return;
	}
	se = sc_skip_string(p, e);
	q = se;
	if (se > p + 1 && se[-1] == '"')
		se--;
	n = sc_unescape_span(p + 1, se, c->out + c->len, c->room - c->len - 1);
	if (n > c->room - c->len - 1) {
		n = c->room - c->len - 1;
		if (c->n < 64)
			c->cut |= 1ULL << c->n;
		c->trunc = true;
	}
	q = sc_skip_blanks(q, e);
	if (e - q >= 3 && strncmp(q, "...", 3) == 0 && c->n < 64)
		c->cut |= 1ULL << c->n;
	c->len += n;
	c->out[c->len++] = '\0';
	c->n++;
}

/* The envp argument: "0x7ffd /\* 23 vars *\/", "[/\* 0 vars *\/]", or with -v
   the strings themselves ("[\"A=b\", ...]"): the count, and the pointer. */
static void
decode_envp(struct io_event *ev, const struct sl_args *a, int i)
{
	const char *p, *e, *c;
	uint64_t v;
	int64_t n;

	if (!arg(a, i, &p, &e))
		return;
	p = sc_skip_blanks(p, e);
	c = p;
	while (c + 1 < e && !(c[0] == '/' && c[1] == '*'))
		c++;
	if (c + 1 < e) {
		c = sc_skip_blanks(c + 2, e);
		if (sc_plain_uint(c, e, &v) != NULL && v <= INT32_MAX)
			ev->envc = (int)v;
	} else if (p < e && *p == '[') {
		int k = array_items(p, e, NULL, NULL);

		if (k >= 0)
			ev->envc = k;
	}
	if (p < e && *p != '[') {
		const char *t = p;

		while (t < e && *t != ' ' && *t != '/')
			t++;
		if (sl_parse_num(p, t, &n))
			ev->addr = (uint64_t)n;
	}
}

static void
decode_argv(struct io_event *ev, const struct sl_args *a, int i,
    struct sl_arena *ar)
{
	const char *p, *e;
	struct argv_ctx c;
	size_t room;

	decode_envp(ev, a, i + 1);
	if (!arg(a, i, &p, &e))
		return;
	c.out = sl_arena_top(ar, &room);
	if (room < 2)
		return;
	c.room = room - 1 < SL_DATA_MAX ? room - 1 : SL_DATA_MAX;
	c.len = 0;
	c.trunc = false;
	c.cut = 0;
	c.n = 0;
	if (array_items(p, e, argv_item, &c) < 0)
		return;
	if (c.len > 0)
		sl_arena_commit(ar, c.len);
	ev->data = c.len > 0 ? c.out : "";
	ev->data_len = c.len;
	ev->data_trunc = c.trunc;
	ev->argv_cut = c.cut;
}

struct pair_ctx {
	struct sl_arena *ar;
	struct sl_fdref fds[2];
	int n;
};

static void
pair_item(void *vctx, const char *p, const char *e)
{
	struct pair_ctx *c = vctx;

	if (c->n < 2)
		sl_parse_fd(p, e, c->ar, &c->fds[c->n]);
	c->n++;
}

/* [3, 4] of pipe/pipe2/socketpair */
static void
decode_pair(struct io_event *ev, const struct sl_args *a, int i,
    struct sl_arena *ar)
{
	const char *p, *e;
	struct pair_ctx c;

	memset(&c, 0, sizeof(c));
	c.ar = ar;
	if (!arg(a, i, &p, &e))
		return;
	array_items(p, e, pair_item, &c);
	if (c.n >= 2 && c.fds[0].ok && c.fds[1].ok) {
		ev->fd = c.fds[0].fd;
		ev->fd2 = c.fds[1].fd;
		if (c.fds[0].path != NULL)
			ev->path2 = c.fds[0].path;
	}
}

static void
set_fd(struct io_event *ev, const struct sl_fdref *f)
{
	ev->fd = f->ok ? f->fd : -1;
	ev->path = f->path;
	ev->path_deleted = f->path != NULL && f->deleted;
}

static void
set_fd2(struct io_event *ev, const struct sl_fdref *f)
{
	ev->fd2 = f->ok ? f->fd : -1;
	ev->path2 = f->path;
	ev->path2_deleted = f->path != NULL && f->deleted;
}

static void
decode_data(struct io_event *ev, const struct sl_args *a, int i,
    struct sl_arena *ar)
{
	size_t len;
	bool trunc;

	ev->data = str_arg(a, i, ar, SL_DATA_MAX, &len, &trunc);
	if (ev->data != NULL) {
		ev->data_len = len;
		ev->data_trunc = trunc;
	}
}

static void
decode_stat(struct io_event *ev, const struct sl_args *a, int bufarg,
    struct sl_arena *ar)
{
	const char *p, *e;
	int64_t v;

	(void)ar;
	if (!io_event_ok(ev) || !arg(a, bufarg, &p, &e))
		return;
	if (field_num(p, e, "st_size=", &v) || field_num(p, e, "stx_size=", &v))
		ev->size = v;
}

static void
decode_open_result(struct io_event *ev, const struct sl_fdref *res,
    const struct sl_fdref *dir, struct sl_arena *ar)
{
	int dummy;

	if (res->path != NULL)
		ev->path2 = res->path;
	else if (io_event_ok(ev) && ev->path != NULL && ev->path[0] != '/' &&
	    dir != NULL && dir->path != NULL) {
		dummy = ev->fd;
		ev->path2 = at_path(ar, dir, ev->path, &dummy);
		if (ev->path2 == ev->path)
			ev->path2 = NULL;
	}
}

/* Decode the arguments of call sys into ev. */
void
sl_decode_args(struct io_event *ev, enum io_sys sys, const struct sl_args *a,
    const struct sl_fdref *res, struct sl_arena *ar)
{
	struct sl_fdref f, g;
	const char *p, *e;
	int fdv;
	int64_t v;

	switch (sys) {
	case IOSYS_WRITE:
	case IOSYS_PWRITE64:
		fd_arg(a, 0, ar, &f);
		set_fd(ev, &f);
		decode_data(ev, a, 1, ar);
		ev->count = size_arg(a, 2);
		if (sys == IOSYS_PWRITE64)
			ev->offset = num_arg(a, 3, -1);
		if (ev->data != NULL && io_event_ok(ev) && ev->ret > 0 &&
		    ev->data_len < (uint64_t)ev->ret)
			ev->data_trunc = true;
		break;
	case IOSYS_WRITEV:
	case IOSYS_PWRITEV:
	case IOSYS_PWRITEV2:
		fd_arg(a, 0, ar, &f);
		set_fd(ev, &f);
		ev->iovcnt = fd_value(num_arg(a, 2, 0));	/* an int too */
		decode_iov(ev, a, 1, ar);
		if (sys != IOSYS_WRITEV)
			ev->offset = num_arg(a, 3, -1);
		if (sys == IOSYS_PWRITEV2)
			ev->flags = flags_arg(a, 4);
		break;
	case IOSYS_SENDFILE:
		fd_arg(a, 0, ar, &f);
		set_fd(ev, &f);
		fd_arg(a, 1, ar, &g);
		set_fd2(ev, &g);
		ev->count = size_arg(a, 3);
		break;
	case IOSYS_COPY_FILE_RANGE:
	case IOSYS_SPLICE:
		fd_arg(a, 2, ar, &f);
		set_fd(ev, &f);
		fd_arg(a, 0, ar, &g);
		set_fd2(ev, &g);
		ev->count = size_arg(a, 4);
		ev->flags = flags_arg(a, 5);
		break;
	case IOSYS_MMAP:
		ev->addr = (uint64_t)num_arg(a, 0, 0);
		ev->len = (uint64_t)num_arg(a, 1, 0);
		ev->prot = flags_arg(a, 2);
		ev->flags = flags_arg(a, 3);
		fd_arg(a, 4, ar, &f);
		set_fd(ev, &f);
		if (ev->flags & 0x20)	/* MAP_ANONYMOUS: the fd is ignored */
			ev->fd = -1;
		ev->offset = num_arg(a, 5, 0);
		if (ev->name != NULL && strcmp(ev->name, "mmap2") == 0 &&
		    ev->offset >= 0 && ev->offset < INT64_MAX / 4096)
			ev->offset *= 4096;	/* mmap2 counts pages */
		break;
	case IOSYS_MUNMAP:
		ev->addr = (uint64_t)num_arg(a, 0, 0);
		ev->len = (uint64_t)num_arg(a, 1, 0);
		break;
	case IOSYS_MREMAP:
		ev->addr = (uint64_t)num_arg(a, 0, 0);
		ev->len = (uint64_t)num_arg(a, 1, 0);
		ev->new_len = (uint64_t)num_arg(a, 2, 0);
		ev->flags = flags_arg(a, 3);
		break;
	case IOSYS_BRK:
		ev->addr = (uint64_t)num_arg(a, 0, 0);
		break;
	case IOSYS_OPEN:
	case IOSYS_CREAT:
		ev->path = str_arg(a, 0, ar, SIZE_MAX, NULL, NULL);
		if (sys == IOSYS_CREAT) {
			ev->flags = 01 | 0100 | 01000;	/* O_WRONLY|O_CREAT|O_TRUNC */
			ev->mode = (uint32_t)num_arg(a, 1, 0);
		} else {
			ev->flags = flags_arg(a, 1);
			ev->mode = (uint32_t)num_arg(a, 2, 0);
		}
		decode_open_result(ev, res, NULL, ar);
		break;
	case IOSYS_OPENAT:
	case IOSYS_OPENAT2:
		fd_arg(a, 0, ar, &f);
		cwd_hint(ev, &f);
		ev->fd = f.ok ? f.fd : AT_FDCWD_VALUE;
		ev->path = str_arg(a, 1, ar, SIZE_MAX, NULL, NULL);
		if (sys == IOSYS_OPENAT) {
			ev->flags = flags_arg(a, 2);
			ev->mode = (uint32_t)num_arg(a, 3, 0);
		} else if (arg(a, 2, &p, &e)) {
			/* {flags=O_RDONLY|O_CLOEXEC, mode=0, resolve=0} */
			const char *q = memmem(p, (size_t)(e - p), "flags=", 6);

			if (q != NULL)
				ev->flags = sl_parse_flags(q + 6, e);
			if (field_num(p, e, "mode=", &v))
				ev->mode = (uint32_t)v;
		}
		decode_open_result(ev, res, &f, ar);
		break;
	case IOSYS_PIPE:
	case IOSYS_PIPE2:
		decode_pair(ev, a, 0, ar);
		if (sys == IOSYS_PIPE2)
			ev->flags = flags_arg(a, 1);
		break;
	case IOSYS_SOCKETPAIR:
		decode_pair(ev, a, 3, ar);
		ev->flags = flags_arg(a, 1);
		break;
	case IOSYS_SOCKET:
		ev->flags = flags_arg(a, 1);
		break;
	case IOSYS_ACCEPT4:
		ev->flags = flags_arg(a, 3);
		break;
	case IOSYS_EVENTFD:
		ev->flags = flags_arg(a, 1);
		break;
	case IOSYS_EPOLL_CREATE:
	case IOSYS_INOTIFY_INIT:
		if (ev->name != NULL && strchr(ev->name, '1') != NULL)
			ev->flags = flags_arg(a, 0);
		break;
	case IOSYS_MEMFD_CREATE:
		ev->path = str_arg(a, 0, ar, SIZE_MAX, NULL, NULL);
		ev->flags = flags_arg(a, 1);
		break;
	case IOSYS_SIGNALFD:
		ev->flags = flags_arg(a, 3);
		break;
	case IOSYS_TIMERFD_CREATE:
	case IOSYS_PIDFD_OPEN:
		ev->flags = flags_arg(a, 1);
		break;
	case IOSYS_CLOSE:
	case IOSYS_FSYNC:
	case IOSYS_FDATASYNC:
	case IOSYS_FCHDIR:
		fd_arg(a, 0, ar, &f);
		set_fd(ev, &f);
		break;
	case IOSYS_CHDIR:
		ev->fd = AT_FDCWD_VALUE;
		ev->path = str_arg(a, 0, ar, SIZE_MAX, NULL, NULL);
		break;
	case IOSYS_CLOSE_RANGE:
		ev->fd = fd_value(num_arg(a, 0, -1));
		v = num_arg(a, 1, -1);
		ev->fd2 = v > INT32_MAX || v < 0 ? INT32_MAX : (int)v;
		ev->flags = flags_arg(a, 2);
		break;
	case IOSYS_DUP:
	case IOSYS_DUP2:
	case IOSYS_DUP3:
		fd_arg(a, 0, ar, &f);
		set_fd(ev, &f);
		if (sys != IOSYS_DUP) {
			fd_arg(a, 1, ar, &g);
			ev->fd2 = g.ok ? g.fd : -1;
		}
		if (sys == IOSYS_DUP3)
			ev->flags = flags_arg(a, 2);
		break;
	case IOSYS_FCNTL:
		fd_arg(a, 0, ar, &f);
		set_fd(ev, &f);
		ev->cmd = (int)flags_arg(a, 1);
		if (ev->cmd == 2 /* F_SETFD */)
			ev->flags = flags_arg(a, 2);
		else if (ev->cmd == 0 || ev->cmd == 1030)	/* F_DUPFD* */
			ev->fd2 = fd_value(num_arg(a, 2, -1));
		break;
	case IOSYS_RENAME:
	case IOSYS_LINK:
		ev->path = str_arg(a, 0, ar, SIZE_MAX, NULL, NULL);
		ev->path2 = str_arg(a, 1, ar, SIZE_MAX, NULL, NULL);
		break;
	case IOSYS_RENAMEAT:
	case IOSYS_RENAMEAT2:
	case IOSYS_LINKAT:
		fd_arg(a, 0, ar, &f);
		fd_arg(a, 2, ar, &g);
		cwd_hint(ev, &f);
		ev->fd = f.ok ? f.fd : AT_FDCWD_VALUE;
		ev->fd2 = g.ok ? g.fd : AT_FDCWD_VALUE;
		ev->path = at_path(ar, &f, str_arg(a, 1, ar, SIZE_MAX, NULL, NULL),
		    &ev->fd);
		ev->path2 = at_path(ar, &g, str_arg(a, 3, ar, SIZE_MAX, NULL,
		    NULL), &ev->fd2);
		if (sys != IOSYS_RENAMEAT)
			ev->flags = flags_arg(a, 4);
		break;
	case IOSYS_UNLINK:
		ev->path = str_arg(a, 0, ar, SIZE_MAX, NULL, NULL);
		break;
	case IOSYS_UNLINKAT:
		fd_arg(a, 0, ar, &f);
		cwd_hint(ev, &f);
		ev->fd = f.ok ? f.fd : AT_FDCWD_VALUE;
		ev->path = at_path(ar, &f, str_arg(a, 1, ar, SIZE_MAX, NULL, NULL),
		    &ev->fd);
		ev->flags = flags_arg(a, 2);
		break;
	case IOSYS_TRUNCATE:
		ev->path = str_arg(a, 0, ar, SIZE_MAX, NULL, NULL);
		ev->size = num_arg(a, 1, -1);
		break;
	case IOSYS_FTRUNCATE:
		fd_arg(a, 0, ar, &f);
		set_fd(ev, &f);
		ev->size = num_arg(a, 1, -1);
		break;
	case IOSYS_EXECVE:
		ev->path = str_arg(a, 0, ar, SIZE_MAX, NULL, NULL);
		decode_argv(ev, a, 1, ar);
		break;
	case IOSYS_EXECVEAT:
		fd_arg(a, 0, ar, &f);
		fdv = f.ok ? f.fd : AT_FDCWD_VALUE;
		ev->path = at_path(ar, &f, str_arg(a, 1, ar, SIZE_MAX, NULL, NULL),
		    &fdv);
		decode_argv(ev, a, 2, ar);
		ev->flags = flags_arg(a, 4);
		break;
	case IOSYS_CLONE: {
		int i = arg_named(a, "flags");

		if (i < 0)	/* raw: clone(flags, stack, ...) on some arches */
			i = 0;
		ev->flags = flags_arg(a, i);
		break;
	}
	case IOSYS_CLONE3:
		if (arg(a, 0, &p, &e)) {
			const char *q = memmem(p, (size_t)(e - p), "flags=", 6);

			if (q != NULL)
				ev->flags = sl_parse_flags(q + 6, e);
		}
		break;
	case IOSYS_FORK:
	case IOSYS_VFORK:
		ev->flags = sys == IOSYS_VFORK ? 0x4100 : 0;	/* CLONE_VM|CLONE_VFORK */
		break;
	case IOSYS_EXIT:
	case IOSYS_EXIT_GROUP:
		/* event.h: ret = the status argument */
		ev->ret = num_arg(a, 0, 0);
		ev->err = 0;
		break;
	case IOSYS_STAT: {
		const char *nm = ev->name != NULL ? ev->name : "";

		if (nm[0] == 'f' && (strcmp(nm, "fstat") == 0 ||
		    strcmp(nm, "fstat64") == 0)) {
			fd_arg(a, 0, ar, &f);
			set_fd(ev, &f);
			decode_stat(ev, a, 1, ar);
		} else if (strcmp(nm, "newfstatat") == 0 ||
		    strcmp(nm, "fstatat64") == 0 || strcmp(nm, "statx") == 0) {
			size_t plen = 0;
			const char *path;

			fd_arg(a, 0, ar, &f);
			path = str_arg(a, 1, ar, SIZE_MAX, &plen, NULL);
			if (path != NULL && plen == 0) {
				/* AT_EMPTY_PATH: the dirfd itself */
				set_fd(ev, &f);
			} else {
				fdv = f.ok ? f.fd : AT_FDCWD_VALUE;
				ev->path = at_path(ar, &f, path, &fdv);
				ev->fd = -1;
			}
			decode_stat(ev, a, strcmp(nm, "statx") == 0 ? 4 : 2, ar);
		} else {
			ev->path = str_arg(a, 0, ar, SIZE_MAX, NULL, NULL);
			decode_stat(ev, a, 1, ar);
		}
		break;
	}
	case IOSYS_LSEEK:
		fd_arg(a, 0, ar, &f);
		set_fd(ev, &f);
		if (a->n >= 4) {
			/* _llseek(fd, offset, [result], whence) = 0 */
			ev->offset = num_arg(a, 1, -1);
			ev->cmd = (int)flags_arg(a, 3);
			if (io_event_ok(ev) && arg(a, 2, &p, &e) &&
			    sl_parse_num(p, e, &v))
				ev->ret = v;
		} else {
			ev->offset = num_arg(a, 1, -1);
			ev->cmd = (int)flags_arg(a, 2);
		}
		break;
	default:
		break;
	}

	/* fdnew calls: a -y result annotation names the new fd */
	if (syscalls_class(sys) == IOC_FDNEW && res->path != NULL &&
	    ev->path2 == NULL)
		ev->path2 = res->path;
}

/* ------------------------------------------------------------ fast write */

/*
 * The most common line of all, in one pass:
 *   write(FD[<path>[(deleted)]], "text"[...], COUNT) = RET[ <DUR>]
 * a..e is the text after "write(".  Returns false (having set nothing
 * the general path relies on) for any other shape.
 */
bool
sl_fast_write(struct io_event *ev, const char *a, const char *e,
    struct sl_arena *ar)
{
	static const unsigned char stop[256] = {
		['>'] = 1, ['<'] = 1, ['['] = 1, ['\\'] = 1,
	};
	const char *p = a, *t, *se, *path = NULL, *data;
	uint64_t fd, count, ret;
	bool deleted = false, trunc = false;
	size_t room, n, len;
	char *out;

	p = sc_plain_uint(p, e, &fd);
	if (p == NULL || fd > (1u << 24) || p >= e)
		return false;
	if (*p == '<') {
		for (t = p + 1; t < e && !stop[(unsigned char)*t]; t++)
			;
		if (t >= e || *t != '>')
			return false;
		len = (size_t)(t - p - 1);
		out = sl_arena_top(ar, &room);
		if (room <= len)
			return false;
		memcpy(out, p + 1, len);
		if (len >= 10 && memcmp(out + len - 10, " (deleted)", 10) == 0) {
			len -= 10;	/* old strace: inside the brackets */
			deleted = true;
		}
		out[len] = '\0';
		sl_arena_commit(ar, len);
		path = out;
		p = t + 1;
		if (e - p >= 9 && memcmp(p, "(deleted)", 9) == 0) {
			deleted = true;
			p += 9;
		}
	}
	if (e - p < 4 || p[0] != ',' || p[1] != ' ' || p[2] != '"')
		return false;
	se = sc_skip_string(p + 2, e);
	if (se >= e || se[-1] != '"' || se == p + 3)
		return false;
	out = sl_arena_top(ar, &room);
	if (room < 2)
		return false;
	n = sc_unescape_span(p + 3, se - 1, out, room - 1 < SL_DATA_MAX ?
	    room - 1 : SL_DATA_MAX);
	if (n > SL_DATA_MAX || n > room - 1) {
		n = room - 1 < SL_DATA_MAX ? room - 1 : SL_DATA_MAX;
		trunc = true;
	}
	out[n] = '\0';
	sl_arena_commit(ar, n);
	data = out;
	p = se;
	if (e - p >= 3 && memcmp(p, "...", 3) == 0) {
		trunc = true;
		p += 3;
	}
	if (e - p < 3 || p[0] != ',' || p[1] != ' ')
		return false;
	p = sc_plain_uint(p + 2, e, &count);
	if (p == NULL || p >= e || *p != ')')
		return false;
	p++;
	while (p < e && *p == ' ')
		p++;
	if (e - p < 3 || p[0] != '=' || p[1] != ' ')
		return false;
	p = sc_plain_uint(p + 2, e, &ret);
	if (p == NULL || ret > INT64_MAX)
		return false;
	if (p < e) {
		/* only a -T duration may follow */
		int64_t ns;
		const char *end;

		if (e - p < 4 || p[0] != ' ' || p[1] != '<' || e[-1] != '>')
			return false;
		end = sl_parse_seconds(p + 2, e - 1, &ns);
		if (end != e - 1)
			return false;
		ev->dur_ns = ns;
	}
	ev->fd = (int)fd;
	ev->path = path;
	ev->path_deleted = path != NULL && deleted;
	ev->data = data;
	ev->data_len = n;
	ev->data_trunc = trunc || n < ret;
	ev->count = count;
	ev->ret = (int64_t)ret;
	ev->err = 0;
	return true;
}
