/*
 * report_interval.c: the --interval lines, one per active file.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/report_text_int.h"

/* ---------------------------------------------------------- --interval */

static int
cmp_iv(const void *a, const void *b)
{
	const struct stats_file *x = *(struct stats_file *const *)a;
	const struct stats_file *y = *(struct stats_file *const *)b;

	if (x->iv_bytes != y->iv_bytes)
		return x->iv_bytes > y->iv_bytes ? -1 : 1;
	if (x->proc->pid != y->proc->pid)
		return x->proc->pid < y->proc->pid ? -1 : 1;
	return strcmp(x->path, y->path);
}

void
report_interval(FILE *f, struct stats *st, int64_t now_ns)
{
	struct stats_file *sf, *next, **v;
	size_t n = 0, i;
	double secs;
	char tbuf[32], a[64], b[64], p[PATHBUF], comm[64];
	static const int64_t epoch_2001 = 978307200LL * 1000000000LL;

	if (st->iv_last_ns == IO_TIME_UNKNOWN) {
		int64_t start;

		if (stats_duration(st, &start) >= 0 && start != IO_TIME_UNKNOWN &&
		    start < now_ns)
			st->iv_last_ns = start;
		else if (st->first_ns != IO_TIME_UNKNOWN && st->first_ns < now_ns)
			st->iv_last_ns = st->first_ns;
		else
			st->iv_last_ns = now_ns;
		fprintf(f, "%-8s %7s %-15s %10s %11s %10s %4s  %s\n", "time", "pid",
		    "command", "writes/s", "bytes/s", "largest", "rot", "file");
	}
	secs = (double)(now_ns - st->iv_last_ns) / 1e9;
	if (secs <= 0)
		secs = 1;
	if (now_ns > epoch_2001) {
		time_t t = (time_t)(now_ns / 1000000000LL);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	} else
		snprintf(tbuf, sizeof(tbuf), "%.1fs", (double)now_ns / 1e9);

	/* the active files, busiest first */
	for (sf = st->iv_head; sf != NULL; sf = sf->iv_next)
		n++;
	v = xcalloc(n + 1, sizeof(*v));
	n = 0;
	for (sf = st->iv_head; sf != NULL; sf = next) {
		next = sf->iv_next;
		sf->iv_next = NULL;
		sf->iv_listed = false;
		/* /dev/null and friends move no data */
		if (sf->path == NULL || sf->iv_writes == 0 ||
		    strcmp(sf->path, "/dev/null") == 0 ||
		    strcmp(sf->path, "/dev/zero") == 0) {
			sf->iv_writes = sf->iv_bytes = sf->iv_max = 0;
			continue;
		}
		v[n++] = sf;
	}
	qsort(v, n, sizeof(*v), cmp_iv);
	for (i = 0; i < n; i++) {
		uint64_t rot = 0;

		sf = v[i];
		if (sf->rp != NULL)
			rot = sf->rp->rotations + sf->rp->copytruncates;
		util_escape_path(sf->proc->comm ? sf->proc->comm : "?", comm,
		    sizeof(comm));
		fprintf(f, "%-8s %7ld %-15.15s %10.1f %9s/s %10s %4llu  %s\n", tbuf,
		    (long)sf->proc->pid, comm, (double)sf->iv_writes / secs,
		    sz((uint64_t)((double)sf->iv_bytes / secs), a, sizeof(a)),
		    sz(sf->iv_max, b, sizeof(b)),
		    (unsigned long long)(rot - sf->iv_rot),
		    util_escape_path(sf->path, p, sizeof(p)));
		sf->iv_rot = rot;
		sf->iv_writes = sf->iv_bytes = sf->iv_max = 0;
	}
	free(v);
	st->iv_head = NULL;
	st->iv_last_ns = now_ns;
}
