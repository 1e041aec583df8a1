/*
 * stracelog_prefix.c: what stands before a call on a strace line (pid or
 * "[pid N]", -Y command name, -t/-tt/-ttt/-r time, -i address), read
 * without any parser state, and the guess of a log's first process from
 * its beginning.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <string.h>

#include "replay/scan.h"
#include "replay/stracelog.h"
#include "replay/stracelog_int.h"

/* ------------------------------------------------------------ prefix */

/* The usual -tt stamp "HH:MM:SS.ffffff " at fixed places, into ns. */
static bool
tod_fast(const char *q, const char *e, int64_t *ns)
{
	int64_t us;
	int i;

	if (e - q < 16 || q[2] != ':' || q[5] != ':' || q[8] != '.' ||
	    q[15] != ' ' || !sc_is_digit(q[0]) || !sc_is_digit(q[1]) || !sc_is_digit(q[3]) ||
	    !sc_is_digit(q[4]) || !sc_is_digit(q[6]) || !sc_is_digit(q[7]))
		return false;
	us = 0;
	for (i = 9; i < 15; i++) {
		if (!sc_is_digit(q[i]))
			return false;
		us = us * 10 + (q[i] - '0');
	}
	*ns = ((((q[0] - '0') * 10 + (q[1] - '0')) * 60 +
	    (q[3] - '0') * 10 + (q[4] - '0')) * 60 +
	    (q[6] - '0') * 10 + (q[7] - '0')) * 1000000000LL + us * 1000;
	return true;
}

/* Parse the pid, timestamp and -i parts at the start of a line. */
void
sl_parse_prefix(const char *p, const char *e, struct sl_prefix *pre)
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
		if (sc_starts(p, e, "[pid ")) {
			q = sc_skip_spaces(p + 5, e);
			q = sc_parse_pid(q, e, &pid);
			if (q != NULL && q < e && *q == ']') {
				pre->has_pid = true;
				pre->tid = pid;
				p = sc_skip_spaces(q + 1, e);
			}
		}
	} else if (p < e && sc_is_digit((unsigned char)*p)) {
		q = sc_parse_pid(p, e, &pid);
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
			p = sc_skip_spaces(q, e);
		}
	}

	/* timestamp: HH:MM:SS[.frac], SECS.frac (-ttt), or -r delta */
	q = sc_skip_spaces(p, e);
	if (tod_fast(q, e, &pre->tval)) {
		pre->kind = TS_TOD;
		p = sc_skip_spaces(q + 16, e);
	} else if (q < e && sc_is_digit((unsigned char)*q)) {
		int64_t a = 0;
		const char *r = q;
		int n = 0;

		while (r < e && sc_is_digit((unsigned char)*r) && n < 18) {
			a = a * 10 + (*r - '0');
			r++;
			n++;
		}
		if (r < e && *r == ':' && n <= 2) {
			int64_t h = a, m = 0, s = 0, frac = 0;
			const char *t = r + 1;

			if (t + 4 < e && sc_is_digit((unsigned char)t[0]) &&
			    sc_is_digit((unsigned char)t[1]) && t[2] == ':' &&
			    sc_is_digit((unsigned char)t[3]) &&
			    sc_is_digit((unsigned char)t[4])) {
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
					while (t < e && sc_is_digit((unsigned char)*t)) {
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
					p = sc_skip_spaces(t, e);
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
				p = sc_skip_spaces(t, e);
			}
		}
	}

	/* -t -r: "(+     0.001586)" */
	if (pre->kind == TS_TOD && p + 1 < e && *p == '(' && p[1] == '+') {
		while (p < e && *p != ')')
			p++;
		if (p < e)
			p = sc_skip_spaces(p + 1, e);
	}

	/* -n: the syscall number, "[  59] " (padded to 3, after the time) */
	if (p + 2 < e && *p == '[' && (p[1] == ' ' || sc_is_digit(p[1]))) {
		q = sc_skip_spaces(p + 1, e);
		if (q < e && sc_is_digit(*q)) {
			const char *d = q;

			while (q < e && sc_is_digit(*q) && q - d < 11)
				q++;
			if (q < e && *q == ']' && q - p <= 12 &&
			    q + 1 < e && q[1] == ' ')
				p = sc_skip_spaces(q + 1, e);
		}
	}

	/* -i: [00007f0d1c3b2e47] */
	if (p < e && *p == '[') {
		q = p + 1;
		while (q < e && (sc_is_digit((unsigned char)*q) ||
		    (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F') ||
		    *q == '?' || *q == 'x'))
			q++;
		if (q > p + 1 && q < e && *q == ']')
			p = sc_skip_spaces(q + 1, e);
	}
	pre->rest = p;
}

/* The commonest prefix, "PID  HH:MM:SS.ffffff " (or the time alone)
   before the name at name, as parse_prefix would read it; false for
   anything else. */
bool
sl_prefix_fast(const char *p, const char *name, struct sl_prefix *pre)
{
	const char *q = p;
	pid_t pid = 0;
	bool has_pid = false;

	if (name - p >= 18 && p[2] != ':') {
		q = sc_parse_pid(p, name, &pid);
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

		if (m != NULL && (m == p || m[-1] == '(' || (m - p >= 8 &&
		    memcmp(m - 8, "strace: ", 8) == 0)) &&
		    sc_parse_pid(m + 8, le, &pid) != NULL) {
			const char *a = sc_parse_pid(m + 8, le, &pid);

			if (sc_starts(a, le, " attached")) {
				if (!seen_call)
					return pid;
				if (nchild < 64)
					children[nchild++] = pid;
			}
		}
		sl_parse_prefix(p, le, &pre);
		if (pre.has_pid) {
			for (i = 0; i < nchild; i++)
				if (children[i] == pre.tid)
					break;
			if (i == nchild)
				return pre.tid;
		} else {
			const char *q = pre.rest, *n = q;

			while (q < le && sc_is_ident((unsigned char)*q))
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
