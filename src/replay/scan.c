/*
 * scan.c: the scanners of the strace-log replay that are not inline (see
 * scan.h): the scratch arena, quoted strings and their escapes, the split
 * of a call's arguments, numbers and seconds as strace prints them.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "replay/scan.h"
#include "replay/stracelog_int.h"
#include "base/util.h"

const unsigned char sc_ident_char[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1, ['_'] = 1,
};

/* ------------------------------------------------------------ arena */

/* Empty the arena and make room for at least n bytes. */
void
sl_arena_reset(struct sl_arena *a, size_t n)
{
	if (a->cap < n) {
		free(a->buf);
		a->cap = n < 4096 ? 4096 : n;
		a->buf = xmalloc(a->cap);
	}
	a->len = 0;
}

/* Free the arena's memory. */
void
sl_arena_free(struct sl_arena *a)
{
	free(a->buf);
	a->buf = NULL;
	a->cap = a->len = 0;
}

/* Copy n bytes (plus a NUL) into the arena. */
char *
sl_arena_dup(struct sl_arena *a, const char *s, size_t n)
{
	char *d;

	if (a->cap - a->len < n + 1)
		return NULL;
	d = a->buf + a->len;
	memcpy(d, s, n);
	d[n] = '\0';
	a->len += n + 1;
	return d;
}

/* Skip a quoted string starting at p (p[0] == '"'); returns past it.
   memchr finds each quote; an odd run of backslashes before it escapes it. */
const char *
sc_skip_string(const char *p, const char *e)
{
	const char *q = p + 1, *r, *b;

	while (q < e) {
		r = memchr(q, '"', (size_t)(e - q));
		if (r == NULL)
			return e;
		b = r;
		while (b > q && b[-1] == '\\')
			b--;
		if (((r - b) & 1) == 0)
			return r + 1;
		q = r + 1;
	}
	return e;
}

/* The closing '>' of a -y annotation at p (p[0] == '<'), or e when the
   line ends first.  In a file's path ("</tmp/a[b>") only a backslash
   escapes and an inner -yy annotation ("</dev/null<char 1:3>>") nests; in
   a socket's or pipe's ("<TCP:[1.2.3.4:80->5.6.7.8:9]>") a '>' between
   brackets is text.  *inner, when asked for, is the first nested '<'
   (NULL if none). */
const char *
sc_annot_close(const char *p, const char *e, const char **inner)
{
	const char *q = p + 1, *in = NULL;
	bool file = q < e && *q == '/';
	int depth = 1, bracket = 0;

	while (q < e) {
		char c = *q;

		if (c == '\\') {
			q += 2;
			continue;
		}
		if (c == '[' && !file)
			bracket++;
		else if (c == ']' && bracket > 0)
			bracket--;
		else if (bracket == 0 && c == '<') {
			if (depth == 1 && in == NULL)
				in = q;
			depth++;
		} else if (bracket == 0 && c == '>' && --depth == 0)
			break;
		q++;
	}
	if (inner != NULL)
		*inner = in;
	return q < e ? q : e;
}

/* Skip a -y annotation at p (p[0] == '<'); returns past its '>'. */
const char *
sc_skip_annot(const char *p, const char *e)
{
	const char *q = sc_annot_close(p, e, NULL);

	return q < e ? q + 1 : e;
}

/* Characters sl_args_split must look at; the rest are skipped in a run. */
static const unsigned char split_special[256] = {
	['"'] = 1, ['('] = 1, ['['] = 1, ['{'] = 1, [')'] = 1, [']'] = 1,
	['}'] = 1, [','] = 1, ['='] = 1, ['<'] = 1,
};

/* Index of the closing ')' and the top-level argument boundaries. */
size_t
sl_args_split(const char *s, size_t len, struct sl_args *args)
{
	const char *p = s, *e = s + len, *start = s;
	int depth = 0;
	unsigned haseq = 0;	/* args with a top-level '=' */

	if (args != NULL)
		args->n = 0;
	while (p < e) {
		char c;

		while (p < e && !split_special[(unsigned char)*p])
			p++;
		if (p >= e)
			break;
		c = *p;
		if (c == '"') {
			p = sc_skip_string(p, e);
			continue;
		}
		if (c == '<') {
			/* a -y annotation after an fd ("3</a, b)>", "AT_FDCWD</x>",
			   "-100 / * AT_FDCWD * /</x>") is one token: a path may
			   hold commas, brackets and parentheses */
			if (p > s && (sc_is_digit(p[-1]) || p[-1] == 'D' ||
			    (p[-1] == '/' && p - 1 > s && p[-2] == '*')))
				p = sc_skip_annot(p, e);
			else
				p++;
			continue;
		}
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ']' || c == '}') {
			if (depth > 0)
				depth--;
		} else if (c == ')') {
			if (depth == 0)
				break;
			depth--;
		} else if (c == '=') {
			if (depth == 0 && args != NULL && args->n < SL_MAX_ARGS)
				haseq |= 1u << args->n;
		} else if (c == ',' && depth == 0 && args != NULL) {
			if (args->n < SL_MAX_ARGS) {
				args->p[args->n] = start;
				args->len[args->n] = (size_t)(p - start);
				args->n++;
			}
			start = p + 1;
		}
		p++;
	}
	if (args != NULL && args->n < SL_MAX_ARGS) {
		const char *q = sc_skip_blanks(start, p);

		/* "()" has no argument; "(x)" has one */
		if (q < p || args->n > 0) {
			args->p[args->n] = start;
			args->len[args->n] = (size_t)(p - start);
			args->n++;
		}
	}
	if (args != NULL) {
		int i;

		for (i = 0; i < args->n; i++) {
			const char *a = sc_skip_blanks(args->p[i], args->p[i] + args->len[i]);
			const char *ae = sc_rtrim(a, args->p[i] + args->len[i]);
			const char *q = a;

			args->name[i] = NULL;
			args->namelen[i] = 0;
			/* "name=value": strace -N, and clone's own style */
			if (haseq & (1u << i))
				while (q < ae && sc_is_ident((unsigned char)*q))
					q++;
			if (q > a && q < ae && *q == '=' &&
			    !(*a >= '0' && *a <= '9') &&
			    (q + 1 >= ae || q[1] != '=')) {
				args->name[i] = a;
				args->namelen[i] = (size_t)(q - a);
				a = q + 1;
			}
			args->p[i] = a;
			args->len[i] = (size_t)(ae - a);
		}
	}
	return (size_t)(p - s);
}

/* ------------------------------------------------------------ strings */

/*
 * Decode strace's escapes in s..e into out (at most max bytes stored);
 * returns the decoded length (which may exceed max: counted, not stored).
 * Stops at an unescaped stop character (0 = none); *end gets where it
 * stopped.
 */
static size_t
unescape(const char *s, const char *e, char stop, char *out, size_t max,
    const char **end)
{
	size_t n = 0;
	const char *p = s;

	while (p < e) {
		int c = (unsigned char)*p;

		if (c == stop && stop != 0)
			break;
		if (c == '\\' && p + 1 < e) {
			int d = (unsigned char)p[1];

			p += 2;
			switch (d) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'v': c = '\v'; break;
			case 'f': c = '\f'; break;
			case 'r': c = '\r'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'e': c = 033; break;
			case 'x': {
				int v = 0, k = 0, h;

				while (k < 2 && p < e &&
				    (h = sc_hexval((unsigned char)*p)) >= 0) {
					v = v * 16 + h;
					p++;
					k++;
				}
				c = k ? v : 'x';
				break;
			}
			default:
				if (d >= '0' && d <= '7') {
					int v = d - '0', k = 1;

					while (k < 3 && p < e && *p >= '0' && *p <= '7') {
						v = v * 8 + (*p - '0');
						p++;
						k++;
					}
					c = v & 0xff;
				} else
					c = d;	/* \" \\ \' \? and anything else */
				break;
			}
		} else
			p++;
		if (n < max)
			out[n] = (char)c;
		n++;
	}
	if (end != NULL)
		*end = p;
	return n;
}

/*
 * Decode the escapes of the whole span s..e into out: at most max bytes
 * are stored; returns the decoded length, or max + 1 once it exceeds max
 * (the caller only needs to know it was cut).  Runs without a backslash
 * are copied whole.
 */
size_t
sc_unescape_span(const char *s, const char *e, char *out, size_t max)
{
	size_t n = 0, run;
	const char *bs, *next;

	while (s < e) {
		bs = memchr(s, '\\', (size_t)(e - s));
		run = (size_t)((bs != NULL ? bs : e) - s);
		if (run > 0) {
			if (n + run > max) {
				memcpy(out + n, s, max - n);
				return max + 1;
			}
			memcpy(out + n, s, run);
			n += run;
			s += run;
		}
		if (bs == NULL)
			break;
		if (n >= max)
			return max + 1;
		/* the common one-character escapes, then the general routine */
		if (bs + 1 < e) {
			char d = 0;

			switch (bs[1]) {
			case 'n': d = '\n'; break;
			case 't': d = '\t'; break;
			case 'r': d = '\r'; break;
			case '"': d = '"'; break;
			case '\\': d = '\\'; break;
			default: break;
			}
			if (d != 0) {
				out[n++] = d;
				s = bs + 2;
				continue;
			}
		}
		next = bs + 2;
		if (bs + 1 >= e)
			next = e;	/* a lone backslash at the end */
		else if (bs[1] == 'x')
			next = bs + 4;
		else if (bs[1] >= '0' && bs[1] <= '7') {
			next = bs + 2;
			while (next < bs + 4 && next < e && *next >= '0' && *next <= '7')
				next++;
		}
		if (next > e)
			next = e;
		if (n >= max)
			return max + 1;
		n += unescape(bs, next, 0, out + n, max - n, NULL);
		if (n > max)
			return max + 1;
		s = next;
	}
	return n;
}

/* Parse a quoted string at p into the arena. */
const char *
sl_parse_string(const char *p, const char *e, struct sl_arena *ar,
    size_t max, size_t *outlen, bool *trunc)
{
	const char *end, *ce;
	char *out;
	size_t room, n, kept;

	p = sc_skip_blanks(p, e);
	*outlen = 0;
	*trunc = false;
	if (p >= e || *p != '"')
		return NULL;
	out = sl_arena_top(ar, &room);
	if (room == 0)
		return NULL;
	if (max > room - 1)
		max = room - 1;
	end = sc_skip_string(p, e);
	ce = end;
	if (end > p + 1 && end[-1] == '"' && end <= e)
		ce = end - 1;
	else
		*trunc = true;	/* the string runs off the line */
	n = sc_unescape_span(p + 1, ce, out, max);
	kept = n < max ? n : max;
	out[kept] = '\0';
	sl_arena_commit(ar, kept);
	*outlen = kept;
	if (kept < n)
		*trunc = true;
	if (sc_starts(end, e, "..."))
		*trunc = true;
	return out;
}

/* ------------------------------------------------------------ numbers */

/* Numbers out of range seen since the caller last cleared it. */
_Thread_local unsigned sc_range;

/* Parse a number as strace prints it; *range says how well it fits. */
bool
sl_parse_num_r(const char *p, const char *e, int64_t *v, enum sl_fit *range)
{
	bool neg = false, inv = false, over = false;
	uint64_t x = 0;
	int base = 10, digits = 0;

	*range = SN_FITS;
	p = sc_skip_blanks(p, e);
	/* the common case: a plain decimal of up to 18 digits */
	if (p < e && *p >= '1' && *p <= '9') {
		const char *q = p;

		while (q < e && (unsigned)(*q - '0') < 10 && q - p < 18) {
			x = x * 10 + (uint64_t)(*q - '0');
			q++;
		}
		if (q >= e || !sc_is_ident(*q)) {
			*v = (int64_t)x;
			return true;
		}
		x = 0;
	}
	if (p < e && *p == '[') {	/* [N]: a value behind a pointer */
		p++;
		p = sc_skip_blanks(p, e);
	}
	if (sc_starts(p, e, "NULL")) {
		*v = 0;
		return true;
	}
	if (p < e && *p == '~') {
		inv = true;
		p++;
	}
	if (p < e && *p == '-') {
		neg = true;
		p++;
	}
	if (p + 1 < e && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p + 1 < e && p[0] == '0' && p[1] >= '0' && p[1] <= '7')
		base = 8;
	for (; p < e; p++) {
		int d = sc_hexval((unsigned char)*p);

		if (d < 0 || d >= base)
			break;
		/* more than 64 bits: out of range, never wrapped */
		if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			over = true;
		else
			x = x * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	if (digits == 0)
		return false;
	/* "3hello": the program's own output glued to strace's (a shared
	   terminal); only a clean number is one (~0U, 0UL: C suffixes) */
	if (p < e && sc_is_ident(*p)) {
		const char *t = p;

		while (t < e && (*t == 'U' || *t == 'u' || *t == 'L' || *t == 'l'))
			t++;
		if (t == p || (t < e && sc_is_ident(*t)))
			return false;
	}
	if (over) {
		*range = SN_OVER;
		*v = neg ? INT64_MIN : INT64_MAX;
		return true;
	}
	if (inv) {
		/* ~0U: all ones of an unsigned int */
		x = ~x;
		if (p < e && (*p == 'U' || *p == 'u') &&
		    !(p + 1 < e && (p[1] == 'L' || p[1] == 'l')))
			x &= 0xffffffffULL;
	}
	if (neg && x > (uint64_t)INT64_MAX + 1) {
		*range = SN_OVER;
		*v = INT64_MIN;
		return true;
	}
	/* a decimal past INT64_MAX fits only as unsigned (a size_t count);
	   hex and octal are bit patterns (addresses, flags) */
	if (!neg && !inv && base == 10 && x > (uint64_t)INT64_MAX)
		*range = SN_UNSIGNED;
	*v = (int64_t)(neg ? 0 - x : x);	/* unsigned: no overflow */
	return true;
}

/* Parse a number as strace prints it (counting one of more than 64 bits
   in sc_range). */
bool
sl_parse_num(const char *p, const char *e, int64_t *v)
{
	enum sl_fit fit;

	if (!sl_parse_num_r(p, e, v, &fit))
		return false;
	if (fit == SN_OVER)
		sc_range++;
	return true;
}

/* Parse seconds with a fraction into ns. */
const char *
sl_parse_seconds(const char *p, const char *e, int64_t *ns)
{
	static const int64_t pow10[10] = { 1000000000, 100000000, 10000000,
		1000000, 100000, 10000, 1000, 100, 10, 1 };
	int64_t s = 0, frac = 0;
	int digits = 0, nd = 0;

	/* strace's own "%ld.%06ld" (-T, -ttt, -r), at fixed places */
	{
		const char *q = p;
		int64_t x = 0;

		while (q < e && (unsigned)(*q - '0') < 10 && q - p < 10) {
			x = x * 10 + (*q - '0');
			q++;
		}
		if (q > p && e - q >= 7 && q[0] == '.' &&
		    (unsigned)(q[1] - '0') < 10 && (unsigned)(q[2] - '0') < 10 &&
		    (unsigned)(q[3] - '0') < 10 && (unsigned)(q[4] - '0') < 10 &&
		    (unsigned)(q[5] - '0') < 10 && (unsigned)(q[6] - '0') < 10 &&
		    (q + 7 == e || (unsigned)(q[7] - '0') >= 10) &&
		    x <= 4000000000LL) {
			int64_t us = ((((q[1] - '0') * 10 + (q[2] - '0')) * 10 +
			    (q[3] - '0')) * 10 + (q[4] - '0')) * 100 +
			    (q[5] - '0') * 10 + (q[6] - '0');

			*ns = x * 1000000000 + us * 1000;
			return q + 7;
		}
	}

	while (p < e && *p >= '0' && *p <= '9') {
		if (s < INT64_MAX / 100)
			s = s * 10 + (*p - '0');
		else
			s = INT64_MAX / 100;
		p++;
		digits++;
	}
	if (digits == 0)
		return NULL;
	if (p < e && *p == '.') {
		p++;
		while (p < e && *p >= '0' && *p <= '9') {
			if (nd < 9) {
				frac = frac * 10 + (*p - '0');
				nd++;
			}
			p++;
		}
		frac *= pow10[nd];
	}
	/* epoch seconds past 2096 are junk (and would overflow the sums):
	   out of range */
	if (s > 4000000000LL) {
		s = 4000000000LL;
		sc_range++;
	}
	*ns = s * 1000000000 + frac;
	return p;
}

/* ------------------------------------------------------------ decimals */

/* 1..19 decimal digits (no sign, no base). */
const char *
sc_plain_uint(const char *p, const char *e, uint64_t *v)
{
	const char *s = p;
	uint64_t x = 0;

	while (p < e && (unsigned)(*p - '0') < 10 && p - s < 19) {
		x = x * 10 + (uint64_t)(*p - '0');
		p++;
	}
	*v = x;
	return p > s ? p : NULL;
}
