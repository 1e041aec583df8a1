/*
 * churn.c: memory churn attribution (see churn.h for the rule).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/churn.h"
#include "base/util.h"

#define PAGE 4096ULL

enum cstate { CS_NONE = 0, CS_PENDING, CS_ATTR };

struct cmap {
	uint64_t start, len;
	uint64_t fresh;		/* fresh bytes; CS_ATTR: credited and not
				   dropped yet (taken back if kept) */
	pid_t tid;		/* thread that made it */
	enum cstate state;
	void *owner;		/* CS_ATTR: the record the write was for */
};

struct churn {
	uint64_t min_map;
	churn_credit_fn credit;
	void *ctx;
	struct cmap *maps;	/* sorted by start, non-overlapping */
	size_t n, cap;
	size_t npending;
	uint64_t heap_base, heap_cur;
	struct churn_counts k;
};

static uint64_t
page_up(uint64_t n)
{
	if (n > UINT64_MAX - (PAGE - 1))
		return n;
	return (n + PAGE - 1) & ~(PAGE - 1);
}

struct churn *
churn_new(uint64_t min_map, churn_credit_fn credit, void *ctx)
{
	struct churn *c = xcalloc(1, sizeof(*c));

	c->min_map = min_map ? min_map : 1;
	c->credit = credit;
	c->ctx = ctx;
	return c;
}

void
churn_free(struct churn *c)
{
	if (c == NULL)
		return;
	free(c->maps);
	free(c);
}

static void
live_add(struct churn *c, uint64_t n)
{
	c->k.live += n;
	if (c->k.live > c->k.peak)
		c->k.peak = c->k.live;
}

static void
live_sub(struct churn *c, uint64_t n)
{
	c->k.live = c->k.live > n ? c->k.live - n : 0;
}

/* Index of the first map ending after a. */
static size_t
first_after(const struct churn *c, uint64_t a)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cmap *m = &c->maps[mid];

		if (m->start + m->len <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
insert_at(struct churn *c, size_t i, const struct cmap *m)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->maps = xrealloc(c->maps, c->cap * sizeof(*c->maps));
	}
	memmove(&c->maps[i + 1], &c->maps[i], (c->n - i) * sizeof(*c->maps));
	c->maps[i] = *m;
	c->n++;
	if (m->state == CS_PENDING)
		c->npending++;
}

static void
remove_at(struct churn *c, size_t i)
{
	if (c->maps[i].state == CS_PENDING && c->npending > 0)
		c->npending--;
	memmove(&c->maps[i], &c->maps[i + 1], (c->n - i - 1) * sizeof(*c->maps));
	c->n--;
}

/* Part of a map is gone: an attributed part is confirmed as churn. */
static void
drop_part(struct churn *c, struct cmap *m, uint64_t bytes, bool drop)
{
	(void)c;
	(void)drop;
	m->fresh -= bytes < m->fresh ? bytes : m->fresh;
}

/* Take back what an attribution credited and was not dropped. */
static void
take_back(struct churn *c, struct cmap *m)
{
	if (m->state == CS_ATTR && m->fresh > 0 && c->credit != NULL) {
		c->credit(c->ctx, m->owner, -(int64_t)m->fresh);
		c->k.attributed_bytes -= m->fresh;
	}
	m->state = CS_NONE;
	m->owner = NULL;
	m->fresh = 0;
}

/*
 * Remove [a, a+len) from the table, splitting maps that straddle it.
 * drop: this is a munmap (credit attributed bytes); otherwise the range is
 * being replaced or moved.  Returns the anonymous bytes removed.
 */
static uint64_t
remove_range(struct churn *c, uint64_t a, uint64_t len, bool drop)
{
	uint64_t end = a + len < a ? UINT64_MAX : a + len;
	uint64_t removed = 0;
	size_t i = first_after(c, a);

	while (i < c->n && c->maps[i].start < end) {
		struct cmap *m = &c->maps[i];
		uint64_t mend = m->start + m->len;
		uint64_t lo = m->start > a ? m->start : a;
		uint64_t hi = mend < end ? mend : end;
		uint64_t part = hi - lo;
		bool big = m->state != CS_NONE || m->len >= c->min_map;

		removed += part;
		if (drop && big)
			c->k.big_dropped_bytes += part;
		if (lo == m->start && hi == mend) {
			drop_part(c, m, part, drop);
			remove_at(c, i);
			continue;
		}
		drop_part(c, m, part, drop);
		if (lo > m->start && hi < mend) {
			/* a hole in the middle: split in two */
			struct cmap right = *m;

			right.start = hi;
			right.len = mend - hi;
			m->len = lo - m->start;
			right.fresh = m->fresh > m->len ? m->fresh - m->len : 0;
			if (right.fresh > right.len)
				right.fresh = right.len;
			if (m->fresh > m->len)
				m->fresh = m->len;
			insert_at(c, i + 1, &right);
			i += 2;
			continue;
		}
		if (lo == m->start) {
			m->start = hi;
			m->len = mend - hi;
		} else
			m->len = lo - m->start;
		if (m->fresh > m->len)
			m->fresh = m->len;
		i++;
	}
	return removed;
}

static void
add_map(struct churn *c, pid_t tid, uint64_t addr, uint64_t len, uint64_t fresh)
{
	struct cmap m;

	memset(&m, 0, sizeof(m));
	m.start = addr;
	m.len = len;
	m.fresh = fresh;
	m.tid = tid;
	if (fresh >= c->min_map) {
		m.state = CS_PENDING;
		c->k.big_maps++;
		c->k.big_map_bytes += fresh;
	}
	insert_at(c, first_after(c, addr), &m);
}

void
churn_mmap(struct churn *c, pid_t tid, uint64_t addr, uint64_t len, bool anon)
{
	uint64_t removed;

	len = page_up(len);
	if (len == 0)
		return;
	/* MAP_FIXED (or a stale table) replaces what was there */
	removed = remove_range(c, addr, len, false);
	live_sub(c, removed);
	if (!anon)
		return;
	c->k.mmaps++;
	c->k.mmap_bytes += len;
	live_add(c, len);
	add_map(c, tid, addr, len, len);
}

void
churn_munmap(struct churn *c, uint64_t addr, uint64_t len)
{
	uint64_t removed;

	c->k.munmaps++;
	len = page_up(len);
	removed = remove_range(c, addr, len, true);
	c->k.munmap_bytes += removed;
	live_sub(c, removed);
}

void
churn_mremap(struct churn *c, pid_t tid, uint64_t old, uint64_t old_len,
    uint64_t new_addr, uint64_t new_len)
{
	size_t i = first_after(c, old);
	struct cmap m;
	uint64_t grow;
	bool whole;

	c->k.mremaps++;
	old_len = page_up(old_len);
	new_len = page_up(new_len);
	grow = new_len > old_len ? new_len - old_len : 0;
	c->k.mremap_grow_bytes += grow;
	whole = i < c->n && c->maps[i].start == old &&
	    c->maps[i].len <= old_len;
	if (whole) {
		m = c->maps[i];
		remove_at(c, i);
		live_sub(c, m.len);
	} else {
		/* unknown or partial: start a fresh record for the result */
		live_sub(c, remove_range(c, old, old_len, false));
		memset(&m, 0, sizeof(m));
		m.tid = tid;
	}
	/* the destination may overlap stale entries */
	live_sub(c, remove_range(c, new_addr, new_len, false));
	live_add(c, new_len);
	if (whole && grow < c->min_map) {
		m.start = new_addr;
		m.len = new_len;
		if (m.state != CS_ATTR)
			m.fresh += grow;
		if (m.fresh > m.len)
			m.fresh = m.len;
		insert_at(c, first_after(c, new_addr), &m);
		return;
	}
	if (whole && m.state == CS_ATTR)
		take_back(c, &m);	/* grown again: it was kept */
	/* a growth of at least min_map is fresh memory of its own: it is
	   pending for this thread (an older attribution is not credited) */
	add_map(c, tid, new_addr, new_len,
	    (whole && m.state == CS_PENDING ? m.fresh : 0) + grow);
}

void
churn_brk(struct churn *c, uint64_t arg, uint64_t ret)
{
	c->k.brks++;
	if (ret == 0)
		return;
	/* brk(NULL) asks where the break is: (re)learn it without counting
	   growth (a process seen mid-run, or after an exec) */
	if (c->heap_base == 0 || arg == 0) {
		if (c->heap_base == 0)
			c->heap_base = ret;
		c->heap_cur = ret;
		return;
	}
	if (ret > c->heap_cur) {
		c->k.brk_grow_bytes += ret - c->heap_cur;
		live_add(c, ret - c->heap_cur);
	} else
		live_sub(c, c->heap_cur - ret);
	c->heap_cur = ret;
}

void
churn_exec(struct churn *c)
{
	free(c->maps);
	c->maps = NULL;
	c->cap = 0;
	c->n = 0;
	c->npending = 0;
	c->heap_base = c->heap_cur = 0;
	c->k.live = 0;
}

uint64_t
churn_write(struct churn *c, pid_t tid, void *owner)
{
	uint64_t got = 0;
	bool any = false;
	size_t i;

	if (c->npending == 0)
		return 0;
	for (i = 0; i < c->n; i++)
		if (c->maps[i].tid == tid && c->maps[i].state == CS_PENDING) {
			any = true;
			break;
		}
	if (!any)
		return 0;
	for (i = 0; i < c->n; i++) {
		struct cmap *m = &c->maps[i];

		if (m->tid != tid)
			continue;
		if (m->state == CS_ATTR) {
			/* a new cycle: the previous write's maps were kept */
			take_back(c, m);
		} else if (m->state == CS_PENDING) {
			m->state = CS_ATTR;
			m->owner = owner;
			got += m->fresh;
			c->npending--;
			if (m->fresh > 0 && c->credit != NULL) {
				c->credit(c->ctx, owner, (int64_t)m->fresh);
				c->k.attributed_bytes += m->fresh;
			}
		}
	}
	return got;
}

void
churn_thread_exit(struct churn *c, pid_t tid)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->maps[i].tid == tid && c->maps[i].state == CS_PENDING) {
			c->maps[i].state = CS_NONE;
			c->npending--;
		}
}

void
churn_reassign(struct churn *c, void *from, void *to)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->maps[i].state == CS_ATTR && c->maps[i].owner == from)
			c->maps[i].owner = to;
}

const struct churn_counts *
churn_counts(const struct churn *c)
{
	return &c->k;
}

size_t
churn_nmaps(const struct churn *c)
{
	return c->n;
}
