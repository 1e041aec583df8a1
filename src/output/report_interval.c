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
#include <unistd.h>

#include "output/progress.h"
#include "output/report_text_int.h"

/* the columns before the file: time, process, writes/s, bytes/s, largest,
   rotations (each wider when its value is) */
#define IV_FIXED 62
#define IV_PATH_MIN 16

/* The room for the file on a terminal (cut to fit), else 0 (no cut). */
static size_t
path_room(FILE *f)
{
	int fd = fileno(f), cols;

	if (fd < 0 || !isatty(fd))
		return 0;
	cols = progress_columns(fd) - 1;	/* never the last column */
	return cols - IV_FIXED > IV_PATH_MIN ? (size_t)(cols - IV_FIXED) :
	    IV_PATH_MIN;
}

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
	char tbuf[32], a[64], b[64], p[PATHBUF], comm[64], cut[PATHBUF + 4];
	char who[32], proc[96], rate[80];
	size_t room = path_room(f);
	int cl;
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
		fprintf(f, "%-8s %-16s %8s %11s %9s %3s  %s\n", "time",
		    "process[pid]", "writes/s", "bytes/s", "largest", "rot",
		    "file");
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
		/* the command cut so that command[pid] fits its column; the
		   pid and the numbers are never cut */
		snprintf(who, sizeof(who), "[%ld]", (long)sf->proc->pid);
		cl = 16 > strlen(who) ? (int)(16 - strlen(who)) : 1;
		while (cl > 1 && (size_t)cl < strlen(comm) &&
		    ((unsigned char)comm[cl] & 0xc0) == 0x80)
			cl--;	/* not inside a UTF-8 character */
		snprintf(proc, sizeof(proc), "%.*s%s", cl, comm, who);
		snprintf(rate, sizeof(rate), "%s/s",
		    sz((uint64_t)((double)sf->iv_bytes / secs), a, sizeof(a)));
		util_escape_path(sf->path, p, sizeof(p));
		fprintf(f, "%-8s %-16s %8.1f %11s %9s %3llu  %s\n", tbuf, proc,
		    (double)sf->iv_writes / secs, rate,
		    sz(sf->iv_max, b, sizeof(b)),
		    (unsigned long long)(rot - sf->iv_rot),
		    room > 0 ? progress_mid_cut(p, room, cut, sizeof(cut)) : p);
		sf->iv_rot = rot;
		sf->iv_writes = sf->iv_bytes = sf->iv_max = 0;
	}
	free(v);
	st->iv_head = NULL;
	st->iv_last_ns = now_ns;
}
