/*
 * replay_progress.c: the replay's progress line (see replay_progress.h).
 *
 * A plain log's progress is the bytes iospy read of it.  A compressed one
 * is read by its decompressor, whose reads /proc/PID/io counts (rchar):
 * those are the compressed bytes, against the file's size.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "output/progress.h"
#include "replay/replay_progress.h"

#define RP_CHILDREN 64

struct replay_progress {
	struct progress *line;
	uint64_t total;		/* bytes of the files, 0 = unknown (stdin) */
	uint64_t plain;		/* bytes read of uncompressed input */
	uint64_t lines;
	bool compressed;
	struct { pid_t pid; uint64_t rchar; } kids[RP_CHILDREN];
	size_t nkids;
	int64_t start_ns;
};

struct replay_progress *
replay_progress_new(struct progress *line, char *const *files)
{
	struct replay_progress *rp;
	size_t i;

	if (line == NULL)
		return NULL;
	rp = xcalloc(1, sizeof(*rp));
	rp->line = line;
	rp->start_ns = util_mono_ns();
	for (i = 0; files != NULL && files[i] != NULL; i++) {
		struct stat st;

		if (strcmp(files[i], "-") == 0 || stat(files[i], &st) != 0 ||
		    !S_ISREG(st.st_mode)) {
			rp->total = 0;
			break;
		}
		rp->total += (uint64_t)st.st_size;
	}
	return rp;
}

/* The bytes child has read (rchar), or false once it is gone. */
static bool
rchar_of(pid_t pid, uint64_t *v)
{
	char path[64], l[128];
	FILE *f;
	bool ok = false;

	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (!ok && fgets(l, sizeof(l), f) != NULL)
		ok = sscanf(l, "rchar: %" SCNu64, v) == 1;
	fclose(f);
	return ok;
}

/* 999, 12.3k, 4.56M lines */
static void
fmt_count(uint64_t n, char *buf, size_t sz)
{
	if (n < 10000)
		snprintf(buf, sz, "%" PRIu64, n);
	else if (n < 1000000)
		snprintf(buf, sz, "%.1fk", (double)n / 1e3);
	else
		snprintf(buf, sz, "%.2fM", (double)n / 1e6);
}

/* "1:02:03" or "2:03" */
static void
fmt_secs(double s, char *buf, size_t sz)
{
	unsigned long t = s > 0 && s < 1e7 ? (unsigned long)(s + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, sz, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, sz, "%lu:%02lu", t / 60, t % 60);
}

static void
draw(struct replay_progress *rp)
{
	char text[256], a[32], b[32], r[32], eta[32], pct[16] = "", ln[32];
	double secs = (double)(util_mono_ns() - rp->start_ns) / 1e9;
	uint64_t done = rp->plain;
	double rate;
	size_t i;

	for (i = 0; i < rp->nkids; i++) {
		uint64_t v;

		if (rchar_of(rp->kids[i].pid, &v))
			rp->kids[i].rchar = v;
		done += rp->kids[i].rchar;
	}
	if (rp->total > 0 && done > rp->total)
		done = rp->total;	/* the tool's own reads (ld.so) */
	rate = secs > 0 ? (double)done / secs : 0;
	util_fmt_size(done, a, sizeof(a));
	util_fmt_size((uint64_t)rate, r, sizeof(r));
	fmt_count(rp->lines, ln, sizeof(ln));
	if (rp->total > 0) {
		util_fmt_size(rp->total, b, sizeof(b));
		snprintf(pct, sizeof(pct), " (%.0f%%)",
		    100.0 * (double)done / (double)rp->total);
		if (rate > 0)
			fmt_secs((double)(rp->total - done) / rate, eta,
			    sizeof(eta));
		else
			snprintf(eta, sizeof(eta), "?");
		snprintf(text, sizeof(text), "replay: %s of %s%s%s, %s lines, "
		    "%s/s, ETA %s", a, b, rp->compressed ? " compressed" : "",
		    pct, ln, r, eta);
	} else
		snprintf(text, sizeof(text), "replay: %s%s read, %s lines, %s/s",
		    a, rp->compressed ? " compressed" : "", ln, r);
	progress_draw(rp->line, text);
}

void
replay_progress_read(struct replay_progress *rp, pid_t child,
    const char *buf, size_t n)
{
	const char *p = buf, *e = buf + n;
	size_t i;

	if (rp == NULL)
		return;
	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		rp->lines++;
		p++;
	}
	if (child > 0) {
		rp->compressed = true;
		for (i = 0; i < rp->nkids && rp->kids[i].pid != child; i++)
			;
		if (i == rp->nkids && rp->nkids < RP_CHILDREN) {
			rp->kids[i].pid = child;
			rp->kids[i].rchar = 0;
			rp->nkids++;
		}
	} else
		rp->plain += n;
	if (progress_due(rp->line))
		draw(rp);
}

void
replay_progress_free(struct replay_progress *rp)
{
	free(rp);
}
