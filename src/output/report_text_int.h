/*
 * report_text_int.h: what the files of the text report share: the
 * sentence buffer, number and size formatting, path selection and the
 * colour switch.  Internal to src/output.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_OUTPUT_REPORT_TEXT_INT_H
#define IOSPY_OUTPUT_REPORT_TEXT_INT_H

#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "output/report.h"
#include "base/util.h"

#define PATHBUF 1024
#define SENTENCE 4096
/* The text report lists this many findings per kind; the JSON has all. */
#define REPORT_TEXT_MAX_FINDINGS 10

/* ---------------------------------------------------------- helpers */

struct sbuf {
	char b[SENTENCE];
	size_t n;
};

static inline void
sb_add(struct sbuf *s, const char *f, ...)
{
	va_list ap;
	int k;

	if (s->n >= sizeof(s->b) - 1)
		return;
	va_start(ap, f);
	k = vsnprintf(s->b + s->n, sizeof(s->b) - s->n, f, ap);
	va_end(ap);
	if (k > 0)
		s->n += (size_t)k;
	if (s->n >= sizeof(s->b))
		s->n = sizeof(s->b) - 1;
}

static inline const char *
sz(uint64_t n, char *buf, size_t bufsz)
{
	return util_fmt_size(n, buf, bufsz);
}

static inline const char *
plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* Duration in a short human form. */
static inline const char *
fmt_secs(double s, char *buf, size_t bufsz)
{
	if (s < 0.001)
		snprintf(buf, bufsz, "%.0f us", s * 1e6);
	else if (s < 1)
		snprintf(buf, bufsz, "%.0f ms", s * 1e3);
	else if (s < 120)
		snprintf(buf, bufsz, "%.1f s", s);
	else if (s < 7200)
		snprintf(buf, bufsz, "%.1f min", s / 60);
	else
		snprintf(buf, bufsz, "%.1f h", s / 3600);
	return buf;
}

/* Short binary label for a histogram edge: 0, 512, 1K, 256M, 8E. */
static inline const char *
short_size(uint64_t v, char *buf, size_t bufsz)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (v >= 1024 && (v & 1023) == 0 && u < 5) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, bufsz, "%llu", (unsigned long long)v);
	else
		snprintf(buf, bufsz, "%llu%c", (unsigned long long)v, units[u]);
	return buf;
}

/* A count with thousands separators: 3,102. */
static inline const char *
num(uint64_t n, char *buf, size_t bufsz)
{
	char t[32];
	size_t len, i, o = 0;

	len = (size_t)snprintf(t, sizeof(t), "%llu", (unsigned long long)n);
	for (i = 0; i < len && o + 2 < bufsz; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = t[i];
	}
	buf[o] = '\0';
	return buf;
}

/* True if the text report shows path: --path selects, --exclude drops. */
static inline bool
report_shows(const struct report_settings *lc, const char *path)
{
	if (path == NULL)
		return false;
	if (lc->npaths > 0 && !util_glob_any(lc->paths, lc->npaths, path))
		return false;
	return !util_glob_any(lc->excludes, lc->nexcludes, path);
}

static inline bool
selecting(const struct report_settings *cfg)
{
	return cfg->npaths > 0 || cfg->nexcludes > 0;
}


struct out {
	FILE *f;
	bool color;
};

#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_OFF "\033[0m"

static inline const char *
col(const struct out *o, const char *c)
{
	return o->color ? c : "";
}

/* The cut: how many of n to show (all with --all). */
static inline size_t
cut(const struct report_settings *cfg, size_t n)
{
	return cfg->show == 0 || n < cfg->show ? n : cfg->show;
}

/* report_views.c: the ranked views by file across processes and by
   directory. */
void rt_print_views(const struct out *o, struct stats_proc *const *procs,
    size_t np, const struct report_settings *cfg);

#endif
