/*
 * scan.h: the text scanners every part of the strace-log replay uses.
 * Each reads the bytes between two pointers p..e and never past e: log
 * lines are untrusted and need not be NUL-terminated.
 *
 * The small ones are inline (they run several times per byte of a log);
 * scan.c holds the rest: quoted strings and their escapes, numbers,
 * seconds, the split of a call's arguments, and the scratch arena the
 * decoded strings go to.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_REPLAY_SCAN_H
#define IOSPY_REPLAY_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/* ------------------------------------------------------------ inline */

/* Characters of a name (syscall, flag, errno): [A-Za-z0-9_]. */
extern const unsigned char sc_ident_char[256];

static inline bool
sc_is_ident(int c)
{
	return sc_ident_char[(unsigned char)c] != 0;
}

static inline bool
sc_is_digit(int c)
{
	return (unsigned)(c - '0') < 10;
}

/* True if p..e starts with the literal lit. */
static inline bool
sc_starts(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0;
}

/* True if p..e ends with the literal lit. */
static inline bool
sc_ends(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - p) >= n && memcmp(e - n, lit, n) == 0;
}

/* Past the spaces at p.  (Line prefixes: strace pads them with spaces
   only, so a tab there is text.) */
static inline const char *
sc_skip_spaces(const char *p, const char *e)
{
	while (p < e && *p == ' ')
		p++;
	return p;
}

/* Past the spaces and tabs at p (inside arguments and results). */
static inline const char *
sc_skip_blanks(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* e moved back over trailing spaces and tabs. */
static inline const char *
sc_rtrim(const char *p, const char *e)
{
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return e;
}

/* Value of a hex digit, or -1. */
static inline int
sc_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A pid as strace prints it: 1..10 digits that fit a pid_t; returns the
   end of the digits, or NULL. */
static inline const char *
sc_parse_pid(const char *p, const char *e, pid_t *pid)
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

/* ------------------------------------------------------------ scan.c */

/*
 * Numbers out of range (more than 64 bits, a time past 2096, a decimal
 * result past INT64_MAX, an fd past INT_MAX) seen on this thread since it
 * was last set to 0.  Whoever decodes a line clears it first and reports
 * the line when it is not 0 after: such a number is never used wrapped.
 */
extern _Thread_local unsigned sc_range;

/* How a number fits (sl_parse_num_r). */
enum sl_fit {
	SN_FITS = 0,	/* an int64_t (or a hex/octal bit pattern) */
	SN_UNSIGNED,	/* a decimal in (INT64_MAX, UINT64_MAX]: *v is its
			   bit pattern */
	SN_OVER,	/* more than 64 bits: *v is saturated */
};

/* Skip a quoted string starting at p (p[0] == '"'); returns past its
   closing quote, or e when it runs off the end. */
const char *sc_skip_string(const char *p, const char *e);

/* A -y fd annotation at p (p[0] == '<'): sc_annot_close finds its
   closing '>' (or e) and the first nested -yy '<' in *inner (NULL if
   none; inner may be NULL); sc_skip_annot returns past the '>', or e. */
const char *sc_annot_close(const char *p, const char *e, const char **inner);
const char *sc_skip_annot(const char *p, const char *e);

/*
 * Decode the escapes of the whole span s..e into out: at most max bytes
 * are stored; returns the decoded length, or max + 1 once it exceeds max
 * (the caller only needs to know it was cut).
 */
size_t sc_unescape_span(const char *s, const char *e, char *out, size_t max);

/* 1..19 decimal digits at p into *v; returns their end, or NULL. */
const char *sc_plain_uint(const char *p, const char *e, uint64_t *v);

#endif /* IOSPY_REPLAY_SCAN_H */
