/*
 * window.c: /proc at both ends of a traced window.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "system/window.h"
#include "base/util.h"

static struct disk_stat *
read_disks(const struct system_settings *set, size_t *n)
{
	char path[512], *text;
	size_t bad, bad_line;
	struct disk_stat *d;

	*n = 0;
	snprintf(path, sizeof(path), "%s/diskstats", set->proc_root);
	text = procio_slurp(path, 1 << 20, NULL);
	if (text == NULL)
		return NULL;
	d = diskstats_parse(text, n, &bad, &bad_line);
	free(text);
	sampler_mark_partitions(set->sys_root, d, *n);
	return d;
}

static void
io_add(struct procio *a, const struct procio *b, int sign)
{
	if (sign > 0) {
		a->wchar += b->wchar;
		a->syscw += b->syscw;
		a->write_bytes += b->write_bytes;
		a->cancelled += b->cancelled;
	} else {
		a->wchar -= b->wchar;
		a->syscw -= b->syscw;
		a->write_bytes -= b->write_bytes;
		a->cancelled -= b->cancelled;
	}
}

/*
 * /proc/self/io counts the process's live threads, its dead threads and
 * the children it reaped (the kernel adds a reaped child's counters,
 * its own reaped children's included, to the parent's).  Less the live
 * threads' own (/proc/self/task/TID/io) it is the dead threads' and the
 * children's; iospy's threads do not exit while it traces, so the
 * change of this over a launch is what the launched processes did.
 */
int
window_read_children(const char *proc_root, struct procio *io)
{
	char path[512];
	struct procio self, t;
	DIR *d;
	struct dirent *de;

	if (procio_read(proc_root, getpid(), &self) != PROCIO_OK)
		return -1;
	snprintf(path, sizeof(path), "%s/%ld/task", proc_root, (long)getpid());
	d = opendir(path);
	if (d == NULL)
		return -1;
	*io = self;
	while ((de = readdir(d)) != NULL) {
		char tp[1024], *text;

		if (de->d_name[0] == '.')
			continue;
		snprintf(tp, sizeof(tp), "%s/%s/io", path, de->d_name);
		text = procio_slurp(tp, 4096, NULL);
		if (text == NULL)
			continue;
		if (procio_parse(text, &t) == 0)
			io_add(io, &t, -1);
		free(text);
	}
	closedir(d);
	return 0;
}

/* Start a window. */
void
window_begin(struct sys_window *w, const struct system_settings *set,
    const pid_t *pids, size_t npids, bool children)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	w->children = children;
	if (children)
		w->have_children = window_read_children(set->proc_root,
		    &w->kids0) == 0;
	w->procs = xcalloc(npids + 1, sizeof(*w->procs));
	w->nprocs = npids;
	for (i = 0; i < npids; i++) {
		w->procs[i].pid = pids[i];
		w->procs[i].have_start = procio_read(set->proc_root, pids[i],
		    &w->procs[i].start) == PROCIO_OK;
	}
	w->d0 = read_disks(set, &w->n0);
	w->start_ns = util_mono_ns();
}

/* End it. */
void
window_end(struct sys_window *w, const struct system_settings *set)
{
	size_t i;

	w->end_ns = util_mono_ns();
	w->d1 = read_disks(set, &w->n1);
	for (i = 0; i < w->nprocs; i++)
		w->procs[i].have_end = procio_read(set->proc_root,
		    w->procs[i].pid, &w->procs[i].end) == PROCIO_OK;
	if (w->children && w->have_children)
		w->have_children = window_read_children(set->proc_root,
		    &w->kids1) == 0;
	w->ended = true;
}

/* Free it. */
void
window_free(struct sys_window *w)
{
	free(w->d0);
	free(w->d1);
	free(w->procs);
	memset(w, 0, sizeof(*w));
}

/* Seconds of the window. */
double
window_secs(const struct sys_window *w)
{
	if (!w->ended || w->end_ns <= w->start_ns)
		return 0;
	return (double)(w->end_ns - w->start_ns) / 1e9;
}

/* One device's rates over the window. */
bool
window_disk(const struct sys_window *w, unsigned major, unsigned minor,
    struct disk_rate *r)
{
	const struct disk_stat *a = NULL, *b = NULL;
	struct disk_rate *v;
	size_t i, n, gone;

	for (i = 0; i < w->n0; i++)
		if (w->d0[i].major == major && w->d0[i].minor == minor)
			a = &w->d0[i];
	for (i = 0; i < w->n1; i++)
		if (w->d1[i].major == major && w->d1[i].minor == minor)
			b = &w->d1[i];
	if (a == NULL || b == NULL || window_secs(w) <= 0)
		return false;
	v = diskstats_rates(a, 1, b, 1, window_secs(w), &n, &gone);
	if (v == NULL)
		return false;
	*r = v[0];
	free(v);
	return true;
}

static uint64_t
sub(uint64_t a, uint64_t b)
{
	return a >= b ? a - b : 0;
}

/* The sum of the processes' deltas. */
bool
window_procs_delta(const struct sys_window *w, struct procio *d, bool *partial)
{
	bool any = false;
	size_t i;

	memset(d, 0, sizeof(*d));
	*partial = false;
	if (w->children) {
		if (!w->have_children)
			return false;
		d->wchar = sub(w->kids1.wchar, w->kids0.wchar);
		d->syscw = sub(w->kids1.syscw, w->kids0.syscw);
		d->write_bytes = sub(w->kids1.write_bytes, w->kids0.write_bytes);
		d->cancelled = sub(w->kids1.cancelled, w->kids0.cancelled);
		return true;
	}
	for (i = 0; i < w->nprocs; i++) {
		const struct window_proc *p = &w->procs[i];

		if (!p->have_start || !p->have_end) {
			*partial = true;
			continue;
		}
		d->wchar += sub(p->end.wchar, p->start.wchar);
		d->syscw += sub(p->end.syscw, p->start.syscw);
		d->write_bytes += sub(p->end.write_bytes, p->start.write_bytes);
		d->cancelled += sub(p->end.cancelled, p->start.cancelled);
		any = true;
	}
	return any;
}
