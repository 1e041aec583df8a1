/*
 * longline.c: what is left of a line too long to keep.  The reader keeps
 * the first and the last bytes of such a line; when the line is a call
 * whose length comes from one string argument (`strace -s 100000000` of
 * a 100 MB write), the two ends make the same call with its string cut
 * short, as strace's own "..." cut does, so its result still counts.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <string.h>

#include "replay/scan.h"
#include "replay/stracelog_int.h"

/* Length of the escape at s (s[0] == '\\'), within n bytes. */
static size_t
escape_len(const char *s, size_t n)
{
	size_t k = 2;

	if (n < 2)
		return n;
	if (s[1] == 'x') {
		while (k < 4 && k < n && sc_hexval((unsigned char)s[k]) >= 0)
			k++;
	} else if (s[1] >= '0' && s[1] <= '7') {
		while (k < 4 && k < n && s[k] >= '0' && s[k] <= '7')
			k++;
	}
	return k;
}

/*
 * head (the line's first bytes) ends inside a quoted string: the length
 * of head up to the last whole character of that string, or 0 when it
 * does not end inside one.
 */
static size_t
head_cut(const char *head, size_t n)
{
	const char *lp = memchr(head, '(', n);
	size_t i, safe = 0;
	bool in = false;

	if (lp == NULL)
		return 0;
	for (i = (size_t)(lp - head) + 1; i < n;) {
		char c = head[i];

		if (in) {
			safe = i;
			if (c == '\\') {
				i += escape_len(head + i, n - i);
				continue;
			}
			if (c == '"')
				in = false;
		} else if (c == '"')
			in = true;
		i++;
	}
	if (!in)
		return 0;
	/* the last character may have been cut: stop before it */
	return safe;
}

/* The first quote of tail that ends a string: one with an even run of
   backslashes before it, the run starting inside tail.  -1 if none. */
static long
tail_quote(const char *tail, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		size_t b = i;

		if (tail[i] != '"')
			continue;
		while (b > 0 && tail[b - 1] == '\\')
			b--;
		if (b == 0)
			continue;	/* the run may start before tail */
		if (((i - b) & 1) == 0)
			return (long)i;
	}
	return -1;
}

/*
 * Build into out (room for hn + tn + 8 bytes) the line head..."tail-rest:
 * the string open at the end of head, cut there and marked "...", then
 * what follows that string's end in tail.  Returns the length, or 0 when
 * the line is not of that shape.
 */
size_t
sl_long_line(const char *head, size_t hn, const char *tail, size_t tn,
    char *out)
{
	size_t cut = head_cut(head, hn), n;
	long q;

	if (cut == 0)
		return 0;
	q = tail_quote(tail, tn);
	if (q < 0)
		return 0;
	memcpy(out, head, cut);
	memcpy(out + cut, "\"...", 4);
	n = cut + 4;
	tail += q + 1;
	tn -= (size_t)q + 1;
	if (tn >= 3 && memcmp(tail, "...", 3) == 0) {
		tail += 3;
		tn -= 3;
	}
	memcpy(out + n, tail, tn);
	return n + tn;
}
