/*
 * sampler.c: system-wide samples from /proc and their rates.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "system/sampler.h"
#include "base/util.h"

/* Defaults for the system settings. */
void
system_settings_defaults(struct system_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->proc_root = "/proc";
	s->sys_root = "/sys";
	s->interval = 1;
	s->auto_secs = 3;
}

/* Mark partitions from sysfs. */
void
sampler_mark_partitions(const char *sys_root, struct disk_stat *d, size_t n)
{
	char path[512];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/dev/block/%u:%u/partition",
		    sys_root, d[i].major, d[i].minor);
		d[i].partition = access(path, F_OK) == 0;
	}
}

static int
cmp_tid(const void *a, const void *b)
{
	const struct sys_task *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* The live threads' own counters of p; false (and none kept) when any
   could not be read. */
static bool
read_tasks(const char *proc_root, struct sys_proc *p)
{
	char path[512];
	DIR *d;
	struct dirent *de;
	size_t cap = 0;

	snprintf(path, sizeof(path), "%s/%ld/task", proc_root, (long)p->pid);
	d = opendir(path);
	if (d == NULL)
		return false;
	while ((de = readdir(d)) != NULL) {
		char tp[1024], *text, *end;
		long tid = strtol(de->d_name, &end, 10);
		struct sys_task *t;

		if (de->d_name[0] == '.' || *end != '\0' || tid <= 0)
			continue;
		snprintf(tp, sizeof(tp), "%s/%ld/io", path, tid);
		text = procio_slurp(tp, 4096, NULL);
		if (text == NULL)
			continue;	/* the thread exited meanwhile */
		if (p->ntasks == cap) {
			cap = cap ? cap * 2 : 4;
			p->tasks = xrealloc(p->tasks, cap * sizeof(*p->tasks));
		}
		t = &p->tasks[p->ntasks];
		t->tid = (pid_t)tid;
		if (procio_parse(text, &t->io) == 0)
			p->ntasks++;
		free(text);
	}
	closedir(d);
	if (p->ntasks == 0) {
		free(p->tasks);
		p->tasks = NULL;
		return false;
	}
	qsort(p->tasks, p->ntasks, sizeof(*p->tasks), cmp_tid);
	return true;
}

static int
cmp_pid(const void *a, const void *b)
{
	const struct sys_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Take a sample. */
int
sampler_take(const struct system_settings *set, struct sys_sample *s,
    char *err, size_t errsz)
{
	char path[512], *text;
	size_t bad, bad_line, cap = 0;
	DIR *dir;
	struct dirent *de;

	memset(s, 0, sizeof(*s));
	s->mono_ns = util_mono_ns();
	snprintf(path, sizeof(path), "%s/diskstats", set->proc_root);
	text = procio_slurp(path, 1 << 20, NULL);
	if (text == NULL) {
		snprintf(err, errsz, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	s->disks = diskstats_parse(text, &s->ndisks, &bad, &bad_line);
	free(text);
	sampler_mark_partitions(set->sys_root, s->disks, s->ndisks);

	dir = opendir(set->proc_root);
	if (dir == NULL) {
		snprintf(err, errsz, "cannot list %s: %s", set->proc_root,
		    strerror(errno));
		sampler_sample_free(s);
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		struct sys_proc *p;
		char *end;
		long pid;
		int rc;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "%s/%ld/stat", set->proc_root, pid);
		text = procio_slurp(path, 4096, NULL);
		if (text == NULL)
			continue;	/* exited meanwhile */
		if (s->nprocs == cap) {
			cap = cap ? cap * 2 : 256;
			s->procs = xrealloc(s->procs, cap * sizeof(*s->procs));
		}
		p = &s->procs[s->nprocs];
		memset(p, 0, sizeof(*p));
		p->pid = (pid_t)pid;
		if (procio_parse_stat(text, p->comm, sizeof(p->comm), &p->start) != 0) {
			free(text);
			continue;
		}
		free(text);
		rc = procio_read(set->proc_root, p->pid, &p->io);
		if (rc == PROCIO_GONE)
			continue;
		p->readable = rc == PROCIO_OK;
		if (!p->readable)
			s->unreadable++;
		else
			read_tasks(set->proc_root, p);
		s->nprocs++;
	}
	closedir(dir);
	if (s->nprocs > 1)
		qsort(s->procs, s->nprocs, sizeof(*s->procs), cmp_pid);
	return 0;
}

/* Free what a sample holds. */
void
sampler_sample_free(struct sys_sample *s)
{
	size_t i;

	for (i = 0; i < s->nprocs; i++)
		free(s->procs[i].tasks);
	free(s->disks);
	free(s->procs);
	s->disks = NULL;
	s->procs = NULL;
	s->ndisks = s->nprocs = 0;
}

static int
cmp_disk(const void *a, const void *b)
{
	const struct disk_rate *x = a, *y = b;

	if (x->partition != y->partition)
		return x->partition ? 1 : -1;
	if (x->wkb_s != y->wkb_s)
		return x->wkb_s > y->wkb_s ? -1 : 1;
	if (x->util_pct != y->util_pct)
		return x->util_pct > y->util_pct ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
cmp_rate(const void *a, const void *b)
{
	const struct sys_proc_rate *x = a, *y = b;

	if (x->write_bytes_s != y->write_bytes_s)
		return x->write_bytes_s > y->write_bytes_s ? -1 : 1;
	if (x->wchar_s != y->wchar_s)
		return x->wchar_s > y->wchar_s ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static uint64_t
sub(uint64_t a, uint64_t b)
{
	/* these are 64-bit and never wrap; a smaller value means another
	   process with the same pid and start time cannot happen, so treat
	   it as a restart from 0 */
	return a >= b ? a - b : a;
}

static void
io_delta(struct procio *d, const struct procio *c, const struct procio *p)
{
	d->wchar += sub(c->wchar, p->wchar);
	d->syscw += sub(c->syscw, p->syscw);
	d->write_bytes += sub(c->write_bytes, p->write_bytes);
	d->cancelled += sub(c->cancelled, p->cancelled);
}

/* The change of a process's live threads' own counters: per thread, from
   0 for a thread new in c. */
static void
tasks_delta(struct procio *d, const struct sys_proc *c, const struct sys_proc *p)
{
	static const struct procio zero;
	size_t i, j = 0;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < c->ntasks; i++) {
		const struct procio *prev = &zero;

		while (p != NULL && j < p->ntasks && p->tasks[j].tid < c->tasks[i].tid)
			j++;
		if (p != NULL && j < p->ntasks && p->tasks[j].tid == c->tasks[i].tid)
			prev = &p->tasks[j].io;
		io_delta(d, &c->tasks[i].io, prev);
	}
}

/* The rates between two samples. */
void
sampler_rates(const struct sys_sample *prev, const struct sys_sample *cur,
    struct sys_rates *r)
{
	size_t i, j = 0;
	double secs = (double)(cur->mono_ns - prev->mono_ns) / 1e9;

	memset(r, 0, sizeof(*r));
	if (secs <= 0)
		secs = 1e-9;
	r->secs = secs;
	r->disks = diskstats_rates(prev->disks, prev->ndisks, cur->disks,
	    cur->ndisks, secs, &r->ndisks, &r->disks_gone);
	if (r->ndisks > 1)
		qsort(r->disks, r->ndisks, sizeof(*r->disks), cmp_disk);
	r->total = cur->nprocs;
	r->unreadable = cur->unreadable;
	r->procs = xcalloc(cur->nprocs + 1, sizeof(*r->procs));
	for (i = 0; i < cur->nprocs; i++) {
		const struct sys_proc *c = &cur->procs[i], *p = NULL;
		struct sys_proc_rate *o;
		static const struct procio zero;
		const struct procio *pio;

		if (!c->readable)
			continue;
		/* both lists are sorted by pid: walk them together */
		while (j < prev->nprocs && prev->procs[j].pid < c->pid)
			j++;
		if (j < prev->nprocs && prev->procs[j].pid == c->pid &&
		    prev->procs[j].start == c->start)
			p = &prev->procs[j];
		if (p != NULL && !p->readable)
			continue;	/* no baseline: counted next time */
		o = &r->procs[r->nprocs++];
		o->pid = c->pid;
		memcpy(o->comm, c->comm, sizeof(o->comm));
		o->appeared = p == NULL;
		pio = p != NULL ? &p->io : &zero;
		if (c->ntasks > 0 && (p == NULL || p->ntasks > 0))
			tasks_delta(&o->delta, c, p);
		else
			io_delta(&o->delta, &c->io, pio);
		o->write_bytes_s = (double)o->delta.write_bytes / secs;
		o->wchar_s = (double)o->delta.wchar / secs;
		o->syscw_s = (double)o->delta.syscw / secs;
		o->cancelled_s = (double)o->delta.cancelled / secs;
	}
	if (r->nprocs > 1)
		qsort(r->procs, r->nprocs, sizeof(*r->procs), cmp_rate);
}

/* Free what rates hold. */
void
sampler_rates_free(struct sys_rates *r)
{
	free(r->disks);
	free(r->procs);
	r->disks = NULL;
	r->procs = NULL;
	r->ndisks = r->nprocs = 0;
}

/* The top writer. */
const struct sys_proc_rate *
sampler_top_writer(const struct sys_rates *r, pid_t exclude)
{
	const struct sys_proc_rate *best = NULL;
	size_t i;

	for (i = 0; i < r->nprocs; i++) {
		const struct sys_proc_rate *p = &r->procs[i];

		if (p->pid == exclude)
			continue;
		if (best == NULL || p->write_bytes_s > best->write_bytes_s ||
		    (best->write_bytes_s == 0 && p->write_bytes_s == 0 &&
		    p->wchar_s > best->wchar_s))
			best = p;
	}
	if (best == NULL || (best->delta.write_bytes == 0 && best->delta.wchar == 0))
		return NULL;
	return best;
}
