/*
 * stats_fold.c: --max-files, the bound on the number of file records
 * (stats.h).  Past the cap, the smallest files are folded into one record
 * per (process, directory), "DIR/", so that a replay of a build touching
 * millions of files keeps its memory bounded and its totals exact.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/limits.h"
#include "analysis/stats.h"
#include "analysis/stats_int.h"
#include "base/util.h"

void
stats_set_max_files(struct stats *st, uint64_t max_files)
{
	st->max_files = max_files;
	st->next_fold = 0;
}

/* ------------------------------------------- folded bytes by path */

static uint64_t
path_hash(const char *p)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	h ^= h >> 29;
	return h != 0 ? h : 1;	/* 0 marks a free slot */
}

static struct stats_fbytes *
fb_slot(const struct stats *st, uint64_t h)
{
	size_t i;

	if (st->fb_cap == 0)
		return NULL;
	for (i = (size_t)h & (st->fb_cap - 1);; i = (i + 1) & (st->fb_cap - 1))
		if (st->fb[i].hash == h || st->fb[i].hash == 0)
			return &st->fb[i];
}

uint64_t
stats_folded_bytes(const struct stats *st, const char *path)
{
	const struct stats_fbytes *e;

	if (path == NULL || st->fb_n == 0)
		return 0;
	e = fb_slot(st, path_hash(path));
	return e != NULL && e->hash != 0 ? e->bytes : 0;
}

static void
fb_add(struct stats *st, const char *path, uint64_t bytes)
{
	struct stats_fbytes *e;
	uint64_t h = path_hash(path);

	if ((st->fb_n + 1) * 4 > st->fb_cap * 3) {
		struct stats_fbytes *old = st->fb;
		size_t cap = st->fb_cap, i;

		st->fb_cap = cap ? cap * 2 : 1024;
		st->fb = xcalloc(st->fb_cap, sizeof(*st->fb));
		for (i = 0; i < cap; i++)
			if (old[i].hash != 0)
				*fb_slot(st, old[i].hash) = old[i];
		free(old);
	}
	e = fb_slot(st, h);
	if (e->hash == 0) {
		e->hash = h;
		st->fb_n++;
	}
	e->bytes += bytes;
}

/* ------------------------------------------------------------ folding */

/*
 * A file whose record can go: nothing about it is a finding or is judged
 * by a limit on its own, now or (by what it already holds) later.
 */
static bool
foldable(const struct stats *st, const struct stats_file *sf)
{
	const struct limits_config *lc = st->limits;

	if (sf->path == NULL || sf->path[0] != '/' || sf->kind != SK_FILE ||
	    sf->folded_files > 0)
		return false;
	if (sf->big_writes > 0 || sf->peak_bytes >= st->notable->rate ||
	    sf->churn_bytes > 0 || sf->churn_writes > 0 || sf->churn_maps > 0 ||
	    sf->del_writes > 0 || sf->nstacks > 0 ||
	    sf->stacks_other_count > 0)
		return false;
	/* a write as slow as a latency finding: the directory's record
	   must not become one */
	if (st->notable->latency_ns > 0 && sf->write_ns_hist.n > 0 &&
	    sf->write_ns_hist.max >= (uint64_t)st->notable->latency_ns)
		return false;
	/* written lately: likely open still, and more to come */
	if (sf->last_event + st->max_files / 4 >= st->events)
		return false;
	if (lc->has_max_write && sf->hist.n > 0 && sf->hist.max > lc->max_write)
		return false;
	if (lc->has_max_file_bytes && sf->bytes + stats_folded_bytes(st,
	    sf->path) >= lc->max_file_bytes / 2)
		return false;
	return sf->rp == NULL || rotation_path_plain(sf->rp);
}

static int
cmp_small(const void *a, const void *b)
{
	const struct stats_file *x = *(struct stats_file *const *)a;
	const struct stats_file *y = *(struct stats_file *const *)b;
	int c;

	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? -1 : 1;
	if (x->writes != y->writes)
		return x->writes < y->writes ? -1 : 1;
	c = strcmp(x->path, y->path);
	if (c != 0)
		return c;
	return x->proc->pid < y->proc->pid ? -1 : x->proc->pid > y->proc->pid;
}

/* The record of directory key (len bytes, ending in '/') in pr. */
static struct stats_file *
dir_record(struct stats *st, struct stats_proc *pr, const char *key,
    size_t len)
{
	struct stats_file *d;

	HASH_FIND(hh, pr->files, key, len, d);
	if (d != NULL)
		return d;
	d = xcalloc(1, sizeof(*d));
	d->path = xmalloc(len + 1);
	memcpy(d->path, key, len);
	d->path[len] = '\0';
	d->kind = SK_FILE;
	d->proc = pr;
	d->first_ns = d->last_ns = IO_TIME_UNKNOWN;
	HASH_ADD_KEYPTR(hh, pr->files, d->path, len, d);
	st->nfiles++;
	st->fold_records++;
	return d;
}

/* Fold sf into the record of the directory holding it (a file) or of
   its parent (a directory record); false when there is none. */
static bool
fold_one(struct stats *st, struct stats_file *sf)
{
	struct stats_proc *pr = sf->proc;
	struct rotation_path *rp = sf->rp;
	struct stats_file *d;
	size_t len = strlen(sf->path);
	bool dir = sf->folded_files > 0;

	if (dir)
		len--;		/* "/a/b/" -> look above "/a/b" */
	while (len > 0 && sf->path[len - 1] != '/')
		len--;
	if (len == 0)
		return false;
	d = dir_record(st, pr, sf->path, len);
	if (d == sf)
		return false;
	if (!dir) {
		d->folded_files++;
		st->folded_files++;
		if (limits_applies(st->limits, sf->path, sf->kind)) {
			d->folded_lim_files++;
			d->folded_lim_bytes += sf->bytes;
			if (st->limits->has_max_file_bytes)
				fb_add(st, sf->path, sf->bytes);
		}
	} else
		st->fold_records--;
	stats_merge_records(st, pr, sf, d);
	if (rp != NULL && --rp->refs == 0 && rotation_path_plain(rp))
		rotation_forget(st->rot, rp);
	return true;
}

/* Drop a directory's record into its process's counts. */
static void
drop_one(struct stats *st, struct stats_file *d)
{
	struct stats_proc *pr = d->proc;

	if (pr->gone_files == 0)
		st->gone_procs++;
	pr->gone_files += d->folded_files;
	pr->gone_writes += d->writes;
	pr->gone_bytes += d->bytes;
	pr->gone_lim_files += d->folded_lim_files;
	pr->gone_lim_bytes += d->folded_lim_bytes;
	st->gone_files += d->folded_files;
	st->fold_records--;
	st->nfiles--;
	HASH_DEL(pr->files, d);
	if (pr->last == d)
		pr->last = NULL;
	churn_reassign(pr->churn, d, NULL);
	stats_hist_free(&d->hist);
	stats_hist_free(&d->write_ns_hist);
	free(d->path);
	d->path = NULL;
	d->iv_writes = d->iv_bytes = d->iv_max = 0;
	if (!d->iv_listed) {
		free(d);
		return;
	}
	d->merged_into = pr->spare;	/* the interval list lets it go */
	pr->spare = d;
}

static void
drop_pass(struct stats *st, uint64_t target)
{
	struct stats_proc *pr;
	struct stats_file *sf, **v;
	size_t n = 0, i;

	v = xcalloc(st->nfiles + 1, sizeof(*v));
	for (pr = st->procs; pr != NULL; pr = pr->hh.next)
		for (sf = pr->files; sf != NULL; sf = sf->hh.next)
			if (sf->folded_files > 0 && sf->stacks == NULL)
				v[n++] = sf;
	qsort(v, n, sizeof(*v), cmp_small);
	for (i = 0; i < n && st->nfiles > target; i++)
		drop_one(st, v[i]);
	free(v);
}

/* Fold the candidates (smallest first) until nfiles is at target. */
static bool
fold_pass(struct stats *st, bool dirs, uint64_t target)
{
	struct stats_proc *pr;
	struct stats_file *sf, **v;
	size_t n = 0, i;
	bool progress = false;

	v = xcalloc(st->nfiles + 1, sizeof(*v));
	for (pr = st->procs; pr != NULL; pr = pr->hh.next)
		for (sf = pr->files; sf != NULL; sf = sf->hh.next)
			if (dirs ? sf->folded_files > 0 && sf->path != NULL &&
			    strcmp(sf->path, "/") != 0 : foldable(st, sf))
				v[n++] = sf;
	qsort(v, n, sizeof(*v), cmp_small);
	for (i = 0; i < n && st->nfiles > target; i++)
		if (fold_one(st, v[i]))
			progress = true;
	free(v);
	return progress;
}

/*
 * The --interval list links every record written since the last line
 * (without --interval, every record ever written): let it go during a
 * fold, so that folded records are freed rather than kept for it, and
 * make it again after from the records' own counts.
 */
static void
iv_unlist(struct stats *st)
{
	struct stats_proc *pr;
	struct stats_file *sf, *next;

	for (sf = st->iv_head; sf != NULL; sf = next) {
		next = sf->iv_next;
		sf->iv_next = NULL;
		sf->iv_listed = false;
	}
	st->iv_head = NULL;
	/* records merged away and kept only for the list */
	for (pr = st->procs; pr != NULL; pr = pr->hh.next)
		while (pr->spare != NULL) {
			sf = pr->spare;
			pr->spare = sf->merged_into;
			free(sf);
		}
}

static void
iv_relist(struct stats *st)
{
	struct stats_proc *pr;
	struct stats_file *sf;

	for (pr = st->procs; pr != NULL; pr = pr->hh.next)
		for (sf = pr->files; sf != NULL; sf = sf->hh.next)
			if (sf->iv_writes > 0 && !sf->iv_listed) {
				sf->iv_listed = true;
				sf->iv_next = st->iv_head;
				st->iv_head = sf;
			}
}

void
stats_fold(struct stats *st)
{
	uint64_t target = st->max_files - st->max_files / 4, short_;
	int depth;

	if (st->max_files == 0)
		return;
	st->folds++;
	iv_unlist(st);
	fold_pass(st, false, target);
	/* too many directories: their records go up a level */
	for (depth = 0; depth < 64 && st->nfiles > target; depth++)
		if (!fold_pass(st, true, target))
			break;
	/* still too many: one process per few files; the smallest
	   directory records go into their processes' counts */
	if (st->nfiles > target)
		drop_pass(st, target);
	iv_relist(st);
	/* paths opened but never written hold rotation records too */
	rotation_sweep(st->rot);
	st->rot_sweep_at = rotation_count(st->rot);
	/* what is left cannot fold (findings, limits): wait for a quarter
	   of the cap more, or as many as are over it, before trying again
	   (so the sweeps stay a small share of the work however many are
	   kept) */
	short_ = st->nfiles > target ? st->nfiles - target : 0;
	if (short_ == 0)
		st->next_fold = 0;
	else
		st->next_fold = st->nfiles + (short_ > st->max_files / 4 ?
		    short_ : st->max_files / 4 + 1);
	st->fold_short = st->nfiles > st->max_files ?
	    st->nfiles - st->max_files : 0;
}
