/*
 * stats.c: per-process and per-file aggregation.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/stats.h"
#include "analysis/stats_int.h"
#include "base/util.h"

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS 0x20
#endif

/* ---------------------------------------------------------- histograms */

int
stats_hist_bucket(uint64_t v)
{
	if (v == 0)
		return 0;
	return 64 - __builtin_clzll(v);
}

uint64_t
stats_hist_lo(int k)
{
	if (k <= 0)
		return 0;
	return 1ULL << (k - 1);
}

uint64_t
stats_hist_hi(int k)
{
	if (k <= 0)
		return 0;
	if (k >= 64)
		return UINT64_MAX;
	return (1ULL << k) - 1;
}

const struct stats_hbin *
stats_hist_bins(const struct stats_hist *h, size_t *nb)
{
	*nb = h->nb;
	return h->cap ? h->bins : &h->one;
}

uint64_t
stats_hist_count(const struct stats_hist *h, int k)
{
	size_t nb, i;
	const struct stats_hbin *v = stats_hist_bins(h, &nb);

	for (i = 0; i < nb && (int)v[i].k <= k; i++)
		if ((int)v[i].k == k)
			return v[i].count;
	return 0;
}

/* The bin of bucket k, inserted (empty) in its place when absent. */
static struct stats_hbin *
hist_bin(struct stats_hist *h, int k)
{
	struct stats_hbin *v = h->cap ? h->bins : &h->one;
	size_t i;

	for (i = 0; i < h->nb && (int)v[i].k < k; i++)
		;
	if (i < h->nb && (int)v[i].k == k)
		return &v[i];
	if (h->nb == 0) {
		memset(&h->one, 0, sizeof(h->one));
		h->one.k = (uint32_t)k;
		h->nb = 1;
		return &h->one;
	}
	if (h->cap == 0 || h->nb == h->cap) {
		size_t cap = h->cap == 0 ? 4 : (size_t)h->cap * 2;
		struct stats_hbin *nv;

		if (cap > STATS_HIST_BUCKETS)
			cap = STATS_HIST_BUCKETS;
		nv = xcalloc(cap, sizeof(*nv));
		memcpy(nv, v, h->nb * sizeof(*nv));
		if (h->cap)
			free(h->bins);
		h->bins = v = nv;
		h->cap = (uint8_t)cap;
	}
	memmove(&v[i + 1], &v[i], (h->nb - i) * sizeof(*v));
	memset(&v[i], 0, sizeof(*v));
	v[i].k = (uint32_t)k;
	h->nb++;
	return &v[i];
}

static void
hist_add_n(struct stats_hist *h, int k, uint64_t count, uint64_t lo,
    uint64_t hi)
{
	struct stats_hbin *b = hist_bin(h, k);

	if (b->count == 0 || lo < b->min)
		b->min = lo;
	if (b->count == 0 || hi > b->max)
		b->max = hi;
	b->count += count;
	if (h->n == 0 || lo < h->min)
		h->min = lo;
	if (h->n == 0 || hi > h->max)
		h->max = hi;
	h->n += count;
}

void
stats_hist_add(struct stats_hist *h, uint64_t v)
{
	hist_add_n(h, stats_hist_bucket(v), 1, v, v);
}

void
stats_hist_merge(struct stats_hist *to, const struct stats_hist *from)
{
	size_t nb, i;
	const struct stats_hbin *v = stats_hist_bins(from, &nb);

	for (i = 0; i < nb; i++)
		if (v[i].count > 0)
			hist_add_n(to, (int)v[i].k, v[i].count, v[i].min,
			    v[i].max);
}

void
stats_hist_free(struct stats_hist *h)
{
	if (h->cap)
		free(h->bins);
	memset(h, 0, sizeof(*h));
}

uint64_t
stats_hist_quantile(const struct stats_hist *h, double q)
{
	uint64_t rank, seen = 0, lo, hi, v;
	const struct stats_hbin *b;
	long double frac;
	size_t nb, i;

	if (h->n == 0)
		return 0;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	rank = (uint64_t)((long double)q * (long double)h->n);
	if ((long double)rank < (long double)q * (long double)h->n)
		rank++;
	if (rank <= 1)
		return h->min;
	if (rank >= h->n)
		return h->max;
	b = stats_hist_bins(h, &nb);
	for (i = 0; i < nb; i++) {
		if (seen + b[i].count >= rank)
			break;
		seen += b[i].count;
	}
	if (i == nb)
		return h->max;
	lo = b[i].min;
	hi = b[i].max;
	if (hi <= lo || b[i].count <= 1)
		return lo;
	/* position of the rank inside the bucket, spread evenly */
	frac = (long double)(rank - seen - 1) / (long double)(b[i].count - 1);
	v = lo + (uint64_t)(frac * (long double)(hi - lo));
	return v;
}

/* ---------------------------------------------------------- path kinds */

const char *
stats_kind_name(enum stats_kind k)
{
	switch (k) {
	case SK_FILE: return "file";
	case SK_DEVICE: return "device";
	case SK_TTY: return "tty";
	case SK_PIPE: return "pipe";
	case SK_SOCKET: return "socket";
	case SK_UNKNOWN_FD: return "unknown-fd";
	default: return "other";
	}
}

static bool
starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* strace -yy names a socket by its protocol and endpoints:
   "TCP:[1.2.3.4:80->5.6.7.8:9]", "UNIX-STREAM:[1->2]", "NETLINK:[7]". */
static bool
socket_annot(const char *path)
{
	const char *p = path;
	size_t n;

	while ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	    *p == '-' || *p == '/' || (p > path && *p == 'v'))
		p++;
	if (p == path || p[0] != ':' || p[1] != '[')
		return false;
	n = strlen(p);
	return p[n - 1] == ']';
}

enum stats_kind
stats_path_kind(const char *path, bool fd_unknown)
{
	if (fd_unknown || path == NULL || starts(path, "fd "))
		return SK_UNKNOWN_FD;
	if (starts(path, "pipe:"))
		return SK_PIPE;
	if (starts(path, "socket:") || starts(path, "socketpair:") ||
	    socket_annot(path))
		return SK_SOCKET;
	if (starts(path, "/dev/pts/") || starts(path, "/dev/tty") ||
	    strcmp(path, "/dev/console") == 0 || strcmp(path, "/dev/ptmx") == 0)
		return SK_TTY;
	/* /dev/shm is a tmpfs of ordinary files (shm_open, and whatever is
	   put there for speed) */
	if (starts(path, "/dev/") && !starts(path, "/dev/shm/"))
		return SK_DEVICE;
	if (path[0] != '/' && !starts(path, "anon_inode:"))
		return SK_FILE;	/* a relative path the trace could not resolve */
	if (path[0] != '/' || starts(path, "/memfd:") || starts(path, "/proc/") ||
	    starts(path, "/sys/"))
		return SK_OTHER;
	return SK_FILE;
}

/* ---------------------------------------------------------- records */

static void churn_credit(void *ctx, void *owner,
    const struct churn_credit *cr);

struct stats *
stats_new(const struct notable_config *notable,
    const struct limits_config *limits)
{
	struct stats *st = xcalloc(1, sizeof(*st));

	st->notable = notable;
	st->limits = limits;
	st->start_ns = st->end_ns = IO_TIME_UNKNOWN;
	st->first_ns = st->last_ns = IO_TIME_UNKNOWN;
	st->iv_last_ns = IO_TIME_UNKNOWN;
	st->rot = rotation_new();
	return st;
}

static void
stacks_free(struct stats_file *sf)
{
	struct stats_stack *s, *n;
	int i;

	for (s = sf->stacks; s != NULL; s = n) {
		n = s->next;
		for (i = 0; i < s->stack.nframes; i++) {
			free((char *)s->stack.frames[i].module);
			free((char *)s->stack.frames[i].func);
			free((char *)s->stack.frames[i].near);
		}
		free(s);
	}
	sf->stacks = NULL;
	sf->nstacks = 0;
	sf->worst = NULL;
}

static void
file_free(struct stats_file *sf)
{
	stacks_free(sf);
	stats_hist_free(&sf->hist);
	stats_hist_free(&sf->write_ns_hist);
	if (!sf->path_shared)
		free(sf->path);
	free(sf);
}

void
stats_free(struct stats *st)
{
	struct stats_proc *pr, *ptmp;
	struct stats_file *sf, *ftmp;

	if (st == NULL)
		return;
	HASH_ITER(hh, st->procs, pr, ptmp) {
		HASH_DEL(st->procs, pr);
		HASH_ITER(hh, pr->files, sf, ftmp) {
			HASH_DEL(pr->files, sf);
			file_free(sf);
		}
		while (pr->spare != NULL) {
			sf = pr->spare;
			pr->spare = sf->merged_into;
			file_free(sf);
		}
		churn_free(pr->churn);
		free(pr->comm);
		free(pr->cmdline);
		free(pr->argv);
		free(pr);
	}
	rotation_free(st->rot);
	free(st->fb);
	free(st);
}

void
stats_set_span(struct stats *st, int64_t start_ns, int64_t end_ns)
{
	st->start_ns = start_ns;
	st->end_ns = end_ns;
}

int64_t
stats_duration(const struct stats *st, int64_t *start)
{
	if (st->start_ns != IO_TIME_UNKNOWN && st->end_ns != IO_TIME_UNKNOWN &&
	    st->end_ns > st->start_ns && st->start_ns != 0) {
		if (start)
			*start = st->start_ns;
		return st->end_ns - st->start_ns;
	}
	if (st->first_ns != IO_TIME_UNKNOWN && st->last_ns > st->first_ns) {
		if (start)
			*start = st->first_ns;
		return st->last_ns - st->first_ns;
	}
	if (start)
		*start = IO_TIME_UNKNOWN;
	return 0;
}

static struct stats_proc *
proc_of(struct stats *st, const struct io_event *ev)
{
	struct stats_proc *pr = st->last;
	pid_t pid = ev->pid > 0 ? ev->pid : ev->tid;

	if (pr == NULL || pr->pid != pid)
		pr = st->pcache[(unsigned)pid % 64];
	if (pr == NULL || pr->pid != pid) {
		HASH_FIND(hh, st->procs, &pid, sizeof(pid), pr);
		if (pr == NULL) {
			pr = xcalloc(1, sizeof(*pr));
			pr->pid = pid;
			pr->churn = churn_new(st->notable->churn_map,
			    churn_credit, st);
			HASH_ADD(hh, st->procs, pid, sizeof(pid), pr);
		}
		st->pcache[(unsigned)pid % 64] = pr;
	}
	st->last = pr;
	/* the pipeline's strings are stable until an exec renames the
	   process: copy when the pointer changes or on exec */
	if (ev->comm != NULL && (ev->comm != pr->comm_src ||
	    ev->cls == IOC_EXEC)) {
		if (pr->comm == NULL || strcmp(pr->comm, ev->comm) != 0) {
			free(pr->comm);
			pr->comm = xstrdup(ev->comm);
		}
		pr->comm_src = ev->comm;
	}
	if (ev->cmdline != NULL && (ev->cmdline != pr->cmdline_src ||
	    ev->cls == IOC_EXEC)) {
		if (pr->cmdline == NULL || strcmp(pr->cmdline, ev->cmdline) != 0) {
			free(pr->cmdline);
			pr->cmdline = xstrdup(ev->cmdline);
			free(pr->argv);
			pr->argv = NULL;
			pr->argv_len = 0;
			pr->argv_cut = ev->proc_argv_cut;
			if (ev->proc_argv != NULL && ev->proc_argv_len > 0) {
				pr->argv = xmalloc(ev->proc_argv_len);
				memcpy(pr->argv, ev->proc_argv, ev->proc_argv_len);
				pr->argv_len = ev->proc_argv_len;
			}
		}
		pr->cmdline_src = ev->cmdline;
	}
	return pr;
}

static struct stats_file *
file_find(struct stats_proc *pr, const char *path)
{
	struct stats_file *sf = pr->last;

	if (sf != NULL && strcmp(sf->path, path) == 0)
		return sf;
	HASH_FIND_STR(pr->files, path, sf);
	if (sf != NULL)
		pr->last = sf;
	return sf;
}

static struct stats_file *
file_of(struct stats *st, struct stats_proc *pr, const char *path,
    bool fd_unknown)
{
	struct stats_file *sf;

	if (path == NULL)
		path = "(unknown)";
	sf = file_find(pr, path);
	if (sf != NULL)
		return sf;
	if (pr->spare != NULL) {
		/* reuse a record a merge freed (it may sit on the interval
		   list: keep its place there) */
		bool listed;
		struct stats_file *next;

		sf = pr->spare;
		pr->spare = sf->merged_into;
		listed = sf->iv_listed;
		next = sf->iv_next;
		memset(sf, 0, sizeof(*sf));
		sf->iv_listed = listed;
		sf->iv_next = next;
	} else
		sf = xcalloc(1, sizeof(*sf));
	sf->kind = stats_path_kind(path, fd_unknown);
	sf->proc = pr;
	sf->first_ns = sf->last_ns = IO_TIME_UNKNOWN;
	st->nfiles++;
	if (sf->kind == SK_FILE) {
		sf->rp = rotation_get(st->rot, path);
		sf->rp->refs++;
		/* --interval counts rotations from now on */
		sf->iv_rot = sf->rp->rotations + sf->rp->copytruncates;
		/* one copy of the path: the rotation record's (it outlives
		   this record) */
		sf->path = sf->rp->path;
		sf->path_shared = true;
	} else
		sf->path = xstrdup(path);
	HASH_ADD_KEYPTR(hh, pr->files, sf->path, strlen(sf->path), sf);
	pr->last = sf;
	return sf;
}

static uint64_t
add_signed(uint64_t v, int64_t d)
{
	if (d >= 0)
		return v + (uint64_t)d;
	return v >= (uint64_t)-d ? v - (uint64_t)-d : 0;
}

static void
churn_credit(void *ctx, void *owner, const struct churn_credit *cr)
{
	struct stats_file *sf = owner;

	/* merges reassign their attributions: owner is a live record, or
	   NULL when --max-files dropped it (its process keeps the totals) */
	(void)ctx;
	if (sf == NULL)
		return;
	sf->churn_bytes = add_signed(sf->churn_bytes, cr->bytes);
	sf->churn_maps = add_signed(sf->churn_maps, cr->maps);
	sf->churn_writes = add_signed(sf->churn_writes, cr->writes);
	if (cr->maps > 0 && cr->len > sf->churn_map_max)
		sf->churn_map_max = cr->len;
}

static void
iv_touch(struct stats *st, struct stats_file *sf)
{
	if (!sf->iv_listed) {
		sf->iv_listed = true;
		sf->iv_next = st->iv_head;
		st->iv_head = sf;
	}
}

/* ---------------------------------------------------------- stacks */

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * What places a frame: with a symbol, the function and offset say it all
 * (the same code loaded at another address by another process is the same
 * frame); without one, the offset in the module's file, else the address.
 */
static uint64_t
frame_where(const struct io_frame *f)
{
	if (f->func != NULL)
		return 0;
	return f->modoff != 0 ? f->modoff : f->ip;
}

static uint64_t
stack_hash(const struct io_stack *s)
{
	uint64_t h = 1469598103934665603ULL;
	int i;

	for (i = 0; i < s->nframes && i < IO_STACK_MAX; i++) {
		const struct io_frame *f = &s->frames[i];

		uint64_t where = frame_where(f);

		h = fnv(h, &where, sizeof(where));
		h = fnv(h, &f->offset, sizeof(f->offset));
		if (f->func)
			h = fnv(h, f->func, strlen(f->func));
		if (f->module)
			h = fnv(h, f->module, strlen(f->module));
	}
	return h;
}

static bool
streq0(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
stack_equal(const struct io_stack *a, const struct io_stack *b)
{
	int i;

	if (a->nframes != b->nframes)
		return false;
	for (i = 0; i < a->nframes && i < IO_STACK_MAX; i++) {
		const struct io_frame *x = &a->frames[i], *y = &b->frames[i];

		if (frame_where(x) != frame_where(y) || x->offset != y->offset ||
		    !streq0(x->func, y->func) || !streq0(x->module, y->module))
			return false;
	}
	return true;
}

static void
stack_add(struct stats_file *sf, const struct io_stack *s, uint64_t bytes)
{
	uint64_t h = stack_hash(s);
	struct stats_stack *g;
	int i, n;

	for (g = sf->stacks; g != NULL; g = g->next)
		if (g->hash == h && stack_equal(&g->stack, s))
			break;
	if (g == NULL) {
		if (sf->nstacks >= STATS_STACKS_MAX) {
			sf->stacks_other_count++;
			sf->stacks_other_bytes += bytes;
			return;
		}
		g = xcalloc(1, sizeof(*g));
		g->hash = h;
		n = s->nframes < 0 ? 0 : s->nframes > IO_STACK_MAX ?
		    IO_STACK_MAX : s->nframes;
		g->stack.nframes = n;
		for (i = 0; i < n; i++) {
			g->stack.frames[i] = s->frames[i];
			g->stack.frames[i].module = s->frames[i].module ?
			    xstrdup(s->frames[i].module) : NULL;
			g->stack.frames[i].func = s->frames[i].func ?
			    xstrdup(s->frames[i].func) : NULL;
			g->stack.frames[i].near = s->frames[i].near ?
			    xstrdup(s->frames[i].near) : NULL;
		}
		g->next = sf->stacks;
		sf->stacks = g;
		sf->nstacks++;
	}
	g->count++;
	g->bytes += bytes;
	if (bytes > g->max)
		g->max = bytes;
	if (sf->worst == NULL || bytes > sf->worst->max)
		sf->worst = g;
}

/* ---------------------------------------------------------- events */

static void
add_error(struct stats_file *sf, int err)
{
	int i;

	sf->errors++;
	for (i = 0; i < STATS_ERRS; i++) {
		if (sf->errs[i].err == err || sf->errs[i].err == 0) {
			sf->errs[i].err = err;
			sf->errs[i].n++;
			return;
		}
	}
	sf->errs_other++;
}

static void
on_write(struct stats *st, struct stats_proc *pr, const struct io_event *ev)
{
	struct stats_file *sf;
	uint64_t n;

	/* a write to a negative fd (EBADF) names no file: no record */
	if (ev->fd < 0 && ev->path == NULL)
		return;
	sf = file_of(st, pr, ev->path, ev->fd_unknown);

	if (ev->ret == IO_RET_UNKNOWN && ev->err == 0) {
		sf->unfinished++;
		return;
	}
	if (ev->err != 0 || ev->ret < 0) {
		add_error(sf, ev->err ? ev->err : (int)-ev->ret);
		return;
	}
	n = (uint64_t)ev->ret;
	sf->last_event = st->events;
	if (n == 0 && (ev->sys == IOSYS_SENDFILE || ev->sys == IOSYS_SPLICE ||
	    ev->sys == IOSYS_COPY_FILE_RANGE)) {
		/* the input is at its end: nothing was written */
		sf->eof_transfers++;
		return;
	}
	sf->writes++;
	sf->bytes += n;
	pr->writes++;
	pr->bytes += n;
	st->writes++;
	st->bytes += n;
	/* a transfer's count is a most (cp asks for all there is); only a
	   write of a buffer that moved less than the buffer is short */
	if (ev->count > 0 && n < ev->count && ev->sys != IOSYS_SENDFILE &&
	    ev->sys != IOSYS_SPLICE && ev->sys != IOSYS_COPY_FILE_RANGE)
		sf->shorts++;
	stats_hist_add(&sf->hist, n);
	if (n >= st->notable->write_size) {
		if (sf->big_writes == 0 || n < sf->big_min)
			sf->big_min = n;
		sf->big_writes++;
		sf->big_bytes += n;
	}
	if (st->limits->has_max_write && n > st->limits->max_write)
		sf->over_max_write++;
	if (ev->ts_ns != IO_TIME_UNKNOWN) {
		if (sf->first_ns == IO_TIME_UNKNOWN) {
			sf->first_ns = ev->ts_ns;
			sf->first_bytes = n;
			sf->win_start_ns = ev->ts_ns;
		}
		if (ev->ts_ns >= sf->last_ns)
			sf->last_ns = ev->ts_ns;
		if (ev->ts_ns - sf->win_start_ns >= STATS_PEAK_NS) {
			/* a new window, aligned on the first write */
			sf->win_start_ns += (ev->ts_ns - sf->win_start_ns) /
			    STATS_PEAK_NS * STATS_PEAK_NS;
			sf->win_bytes = sf->win_writes = 0;
		}
		sf->win_bytes += n;
		sf->win_writes++;
		if (sf->win_bytes > sf->peak_bytes)
			sf->peak_bytes = sf->win_bytes;
		if (sf->win_writes > sf->peak_writes)
			sf->peak_writes = sf->win_writes;
	}
	if (ev->dur_ns >= 0) {
		sf->timed_writes++;
		sf->write_ns += (uint64_t)ev->dur_ns;
		stats_hist_add(&sf->write_ns_hist, (uint64_t)ev->dur_ns);
		pr->timed_writes++;
		pr->write_ns += (uint64_t)ev->dur_ns;
	}
	if (ev->path_deleted) {
		/* a temporary file without a name by design is no leak */
		if (!ev->path_nameless) {
			sf->del_writes++;
			sf->del_bytes += n;
		}
	} else if (sf->rp != NULL) {
		bool positional = ev->sys == IOSYS_PWRITE64 ||
		    ev->sys == IOSYS_PWRITEV || ev->sys == IOSYS_PWRITEV2;

		rotation_write(sf->rp, pr->pid, n, positional ? ev->offset : -1);
	}
	churn_write(pr->churn, ev->tid > 0 ? ev->tid : ev->pid, sf);
	if (ev->stack != NULL && ev->stack->nframes > 0)
		stack_add(sf, ev->stack, n);
	sf->iv_writes++;
	sf->iv_bytes += n;
	if (n > sf->iv_max)
		sf->iv_max = n;
	iv_touch(st, sf);
}

/* Count from's writes in to, and remove from (freed, or kept as a
   spare while the interval list holds it). */
void
stats_merge_records(struct stats *st, struct stats_proc *pr,
    struct stats_file *from, struct stats_file *to)
{
	struct stats_stack *g, *next;
	int i;

	to->writes += from->writes;
	to->bytes += from->bytes;
	to->shorts += from->shorts;
	to->eof_transfers += from->eof_transfers;
	to->unfinished += from->unfinished;
	for (i = 0; i < STATS_ERRS && from->errs[i].err != 0; i++) {
		uint64_t k;

		for (k = 0; k < from->errs[i].n; k++)
			add_error(to, from->errs[i].err);
	}
	to->errs_other += from->errs_other;
	stats_hist_merge(&to->hist, &from->hist);
	stats_hist_merge(&to->write_ns_hist, &from->write_ns_hist);
	if (from->big_writes > 0 && (to->big_writes == 0 ||
	    from->big_min < to->big_min))
		to->big_min = from->big_min;
	to->big_writes += from->big_writes;
	to->big_bytes += from->big_bytes;
	to->over_max_write += from->over_max_write;
	if (from->first_ns != IO_TIME_UNKNOWN && (to->first_ns ==
	    IO_TIME_UNKNOWN || from->first_ns < to->first_ns)) {
		to->first_ns = from->first_ns;
		to->first_bytes = from->first_bytes;
	}
	/* windows of two records do not line up: the larger peak is a
	   lower bound of the merged one */
	if (from->peak_bytes > to->peak_bytes)
		to->peak_bytes = from->peak_bytes;
	if (from->peak_writes > to->peak_writes)
		to->peak_writes = from->peak_writes;
	if (from->last_ns != IO_TIME_UNKNOWN && (to->last_ns ==
	    IO_TIME_UNKNOWN || from->last_ns > to->last_ns))
		to->last_ns = from->last_ns;
	to->fsyncs += from->fsyncs;
	to->timed_writes += from->timed_writes;
	to->write_ns += from->write_ns;
	to->del_writes += from->del_writes;
	to->del_bytes += from->del_bytes;
	to->churn_bytes += from->churn_bytes;
	to->churn_writes += from->churn_writes;
	to->churn_maps += from->churn_maps;
	if (from->churn_map_max > to->churn_map_max)
		to->churn_map_max = from->churn_map_max;
	to->temps_merged += from->temps_merged;
	to->folded_files += from->folded_files;
	to->folded_lim_files += from->folded_lim_files;
	to->folded_lim_bytes += from->folded_lim_bytes;
	for (g = from->stacks; g != NULL; g = next) {
		struct stats_stack *h;

		next = g->next;
		for (h = to->stacks; h != NULL; h = h->next)
			if (h->hash == g->hash && stack_equal(&h->stack, &g->stack))
				break;
		if (h != NULL) {
			h->count += g->count;
			h->bytes += g->bytes;
			if (g->max > h->max)
				h->max = g->max;
			if (to->worst == NULL || h->max > to->worst->max)
				to->worst = h;
			for (i = 0; i < g->stack.nframes; i++) {
				free((char *)g->stack.frames[i].module);
				free((char *)g->stack.frames[i].func);
				free((char *)g->stack.frames[i].near);
			}
			free(g);
		} else if (to->nstacks < STATS_STACKS_MAX) {
			g->next = to->stacks;
			to->stacks = g;
			to->nstacks++;
			if (to->worst == NULL || g->max > to->worst->max)
				to->worst = g;
		} else {
			to->stacks_other_count += g->count;
			to->stacks_other_bytes += g->bytes;
			for (i = 0; i < g->stack.nframes; i++) {
				free((char *)g->stack.frames[i].module);
				free((char *)g->stack.frames[i].func);
				free((char *)g->stack.frames[i].near);
			}
			free(g);
		}
	}
	from->stacks = NULL;
	from->nstacks = 0;
	from->worst = NULL;
	to->stacks_other_count += from->stacks_other_count;
	to->stacks_other_bytes += from->stacks_other_bytes;
	to->iv_writes += from->iv_writes;
	to->iv_bytes += from->iv_bytes;
	if (from->iv_max > to->iv_max)
		to->iv_max = from->iv_max;
	if (to->iv_writes > 0)
		iv_touch(st, to);
	churn_reassign(pr->churn, from, to);

	/* the temp record is gone; keep its memory for the next one */
	HASH_DEL(pr->files, from);
	if (pr->last == from)
		pr->last = NULL;
	if (!from->path_shared)
		free(from->path);
	from->path = NULL;
	from->path_shared = false;
	stats_hist_free(&from->hist);
	stats_hist_free(&from->write_ns_hist);
	from->iv_writes = from->iv_bytes = from->iv_max = 0;
	st->nfiles--;
	if (!from->iv_listed) {
		free(from);
		return;
	}
	from->merged_into = pr->spare;
	pr->spare = from;
}

/* Atomic replace: the temp file's writes were writes to the target. */
static void
merge_file(struct stats *st, struct stats_proc *pr, struct stats_file *from,
    const char *to_path)
{
	struct stats_file *to = file_of(st, pr, to_path, false);

	if (to == from)
		return;
	to->temps_merged++;
	stats_merge_records(st, pr, from, to);
}

static void
on_rename(struct stats *st, struct stats_proc *pr, const struct io_event *ev)
{
	enum rotation_kind k;
	struct stats_file *sf;

	k = rotation_rename(st->rot, ev->path, ev->path2, ev->ts_ns);
	if (k != ROT_ATOMIC)
		return;
	sf = file_find(pr, ev->path);
	if (sf != NULL && sf->writes > 0) {
		merge_file(st, pr, sf, ev->path2);
		return;
	}
	/* a file another process wrote and this one renames into place
	   (git repack renaming pack-objects' .tmp-* pack): its writes are
	   the target's in that process.  Only when the renamer wrote none
	   of it, so that a process's own atomic replaces stay one lookup. */
	{
		struct stats_proc *o, *otmp;

		HASH_ITER(hh, st->procs, o, otmp) {
			if (o == pr)
				continue;
			sf = file_find(o, ev->path);
			if (sf != NULL && sf->writes > 0)
				merge_file(st, o, sf, ev->path2);
		}
	}
}

/*
 * A new name for a written file: git's loose objects (tmp_obj_* linked to
 * their hash, then unlinked), an O_TMPFILE given a name.  The writes are
 * the new name's, in every process that made them, as for an atomic
 * replace; no rotation and no replace is counted (nothing was replaced).
 */
static void
on_link(struct stats *st, const struct io_event *ev)
{
	struct stats_proc *o, *otmp;
	struct stats_file *sf;

	if (ev->path == NULL || ev->path2 == NULL ||
	    !rotation_link(st->rot, ev->path, ev->path2))
		return;
	HASH_ITER(hh, st->procs, o, otmp) {
		sf = file_find(o, ev->path);
		if (sf != NULL && sf->writes > 0)
			merge_file(st, o, sf, ev->path2);
	}
}

/* The size at SEEK_END from an lseek: ret - offset. */
static void
on_info(struct stats *st, const struct io_event *ev)
{
	if (!io_event_ok(ev) || ev->path == NULL || ev->fd_unknown)
		return;
	if (ev->sys == IOSYS_STAT && ev->size >= 0)
		rotation_size(st->rot, ev->path, ev->size);
	else if (ev->sys == IOSYS_LSEEK && ev->cmd == SEEK_END && ev->ret >= 0 &&
	    ev->offset >= 0 && ev->ret >= ev->offset)
		rotation_size(st->rot, ev->path, ev->ret - ev->offset);
}

void
stats_event(void *ctx, const struct io_event *ev)
{
	struct stats *st = ctx;
	struct stats_proc *pr;
	pid_t tid = ev->tid > 0 ? ev->tid : ev->pid;

	st->events++;
	if (st->max_files > 0 && st->nfiles > st->max_files &&
	    st->nfiles >= st->next_fold)
		stats_fold(st);
	else if (st->max_files > 0 && rotation_count(st->rot) >
	    st->rot_sweep_at + 2 * st->max_files) {
		/* paths opened (O_TRUNC) and never written */
		rotation_sweep(st->rot);
		st->rot_sweep_at = rotation_count(st->rot);
	}
	if (ev->ts_ns != IO_TIME_UNKNOWN) {
		if (st->first_ns == IO_TIME_UNKNOWN)
			st->first_ns = ev->ts_ns;
		if (st->last_ns == IO_TIME_UNKNOWN || ev->ts_ns > st->last_ns)
			st->last_ns = ev->ts_ns;
	}
	pr = proc_of(st, ev);

	switch (ev->cls) {
	case IOC_WRITE:
		on_write(st, pr, ev);
		break;
	case IOC_MAP:
		if (!io_event_ok(ev))
			break;
		switch (ev->sys) {
		case IOSYS_MMAP:
			churn_mmap(pr->churn, tid, (uint64_t)ev->ret, ev->len,
			    ev->prot, ev->flags);
			break;
		case IOSYS_MUNMAP:
			churn_munmap(pr->churn, ev->addr, ev->len);
			break;
		case IOSYS_MREMAP:
			churn_mremap(pr->churn, tid, ev->addr, ev->len,
			    (uint64_t)ev->ret, ev->new_len);
			break;
		case IOSYS_BRK:
			churn_brk(pr->churn, ev->addr, (uint64_t)ev->ret);
			break;
		default:
			break;
		}
		break;
	case IOC_OPEN:
		if (io_event_ok(ev) && ev->ret >= 0)
			rotation_open(st->rot, ev->path2 ? ev->path2 : ev->path,
			    pr->pid, (ev->flags & O_TRUNC) != 0,
			    (ev->flags & O_CREAT) != 0 || ev->sys == IOSYS_CREAT);
		break;
	case IOC_RENAME:
		if (io_event_ok(ev))
			on_rename(st, pr, ev);
		break;
	case IOC_LINK:
		if (io_event_ok(ev))
			on_link(st, ev);
		break;
	case IOC_UNLINK:
		if (io_event_ok(ev)) {
			/* live mode measures the file just before the unlink */
			if (ev->size >= 0 && ev->path != NULL)
				rotation_size(st->rot, ev->path, ev->size);
			rotation_unlink(st->rot, ev->path);
		}
		break;
	case IOC_TRUNCATE:
		if (io_event_ok(ev) && !ev->fd_unknown && !ev->path_deleted)
			rotation_truncate(st->rot, ev->path, pr->pid, ev->size);
		break;
	case IOC_SYNC:
		if (io_event_ok(ev))
			file_of(st, pr, ev->path, ev->fd_unknown)->fsyncs++;
		break;
	case IOC_INFO:
		on_info(st, ev);
		break;
	case IOC_EXEC:
		if (io_event_ok(ev))
			churn_exec(pr->churn);
		break;
	case IOC_PSEUDO:
		if (ev->sys == IOSYS_PROC_EXIT || ev->sys == IOSYS_DETACH) {
			churn_thread_exit(pr->churn, tid);
			if (ev->sys == IOSYS_PROC_EXIT && tid == pr->pid) {
				churn_exec(pr->churn);	/* its mappings are gone */
				pr->exited = true;
				pr->exit_signal = ev->sig;
				pr->exit_code = ev->sig ? 0 :
				    ev->ret == IO_RET_UNKNOWN ? 0 : (int)ev->ret;
			}
		}
		break;
	default:
		break;
	}
}

/* ---------------------------------------------------------- queries */

static int
cmp_procs(const void *a, const void *b)
{
	const struct stats_proc *x = *(struct stats_proc *const *)a;
	const struct stats_proc *y = *(struct stats_proc *const *)b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

struct stats_proc **
stats_sorted_procs(const struct stats *st, size_t *n)
{
	struct stats_proc **v, *pr;
	size_t i = 0;

	*n = HASH_COUNT(st->procs);
	v = xcalloc(*n + 1, sizeof(*v));
	for (pr = st->procs; pr != NULL; pr = pr->hh.next)
		v[i++] = pr;
	qsort(v, *n, sizeof(*v), cmp_procs);
	return v;
}

bool
stats_file_reportable(const struct stats_file *sf)
{
	const struct rotation_path *rp = sf->rp;

	if (sf->path == NULL)
		return false;
	if (sf->writes || sf->errors || sf->unfinished || sf->fsyncs ||
	    sf->del_writes)
		return true;
	return rp != NULL && (rp->rotations || rp->copytruncates ||
	    rp->backups_deleted || rp->atomic_replaces);
}

static int
cmp_files(const void *a, const void *b)
{
	const struct stats_file *x = *(struct stats_file *const *)a;
	const struct stats_file *y = *(struct stats_file *const *)b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->writes != y->writes)
		return x->writes > y->writes ? -1 : 1;
	return strcmp(x->path, y->path);
}

struct stats_file **
stats_sorted_files(const struct stats_proc *pr, size_t *n)
{
	struct stats_file **v, *sf;
	size_t i = 0;

	v = xcalloc(HASH_COUNT(pr->files) + 1, sizeof(*v));
	for (sf = pr->files; sf != NULL; sf = sf->hh.next)
		if (stats_file_reportable(sf))
			v[i++] = sf;
	*n = i;
	qsort(v, *n, sizeof(*v), cmp_files);
	return v;
}

static int
cmp_stacks(const void *a, const void *b)
{
	const struct stats_stack *x = *(struct stats_stack *const *)a;
	const struct stats_stack *y = *(struct stats_stack *const *)b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

struct stats_stack **
stats_sorted_stacks(const struct stats_file *sf, size_t *n)
{
	struct stats_stack **v, *g;
	size_t i = 0;

	v = xcalloc(sf->nstacks + 1, sizeof(*v));
	for (g = sf->stacks; g != NULL; g = g->next)
		v[i++] = g;
	*n = i;
	qsort(v, *n, sizeof(*v), cmp_stacks);
	return v;
}

double
stats_file_churn_ratio(const struct stats_file *sf)
{
	if (sf->bytes == 0)
		return 0;
	return (double)sf->churn_bytes / (double)sf->bytes;
}

bool
stats_file_churn_shown(const struct stats_file *sf)
{
	return sf->churn_bytes > 0 && sf->bytes > 0 &&
	    sf->churn_writes >= STATS_CHURN_MIN_WRITES &&
	    sf->churn_writes * STATS_CHURN_SHARE >= sf->writes;
}

int64_t
stats_file_active_ns(const struct stats_file *sf)
{
	if (sf->first_ns == IO_TIME_UNKNOWN || sf->last_ns == IO_TIME_UNKNOWN ||
	    sf->last_ns <= sf->first_ns)
		return 0;
	return sf->last_ns - sf->first_ns;
}

bool
stats_file_rate(const struct stats_file *sf, double *bytes_s, double *writes_s)
{
	int64_t ns = stats_file_active_ns(sf);
	double s = (double)ns / 1e9;

	if (ns <= 0 || sf->writes < 2)
		return false;
	/* what came after the first write, over the time since it: exact
	   for a steady stream (n writes span n - 1 intervals) */
	if (bytes_s != NULL)
		*bytes_s = (double)(sf->bytes - sf->first_bytes) / s;
	if (writes_s != NULL)
		*writes_s = (double)(sf->writes - 1) / s;
	return true;
}

const char *
stats_proc_label(const struct stats_proc *pr, char *buf, size_t bufsz)
{
	char name[128];

	/* pid 0: a log without a pid column, one process known by its
	   command */
	if (pr->comm == NULL) {
		if (pr->pid == 0)
			snprintf(buf, bufsz, "the traced process (no pid in the log)");
		else
			snprintf(buf, bufsz, "pid %ld", (long)pr->pid);
		return buf;
	}
	util_escape_path(pr->comm, name, sizeof(name));
	if (pr->pid == 0)
		snprintf(buf, bufsz, "%s", name);
	else
		snprintf(buf, bufsz, "%s (pid %ld)", name, (long)pr->pid);
	return buf;
}
