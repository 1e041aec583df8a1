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

/* Linux's values (the same on every architecture iospy decodes). */
#define L_PROT_WRITE 0x2
#define L_MAP_SHARED 0x1
#define L_MAP_SHARED_VALIDATE 0x3
#define L_MAP_TYPE 0xf
#define L_MAP_ANONYMOUS 0x20
#define L_MAP_GROWSDOWN 0x100
#define L_MAP_NORESERVE 0x4000
#define L_MAP_STACK 0x20000

enum cstate { CS_NONE = 0, CS_PENDING, CS_ATTR };

struct cmap {
	uint64_t start, len;
	uint64_t fresh;		/* CS_PENDING: fresh bytes; CS_ATTR: credited
				   and not given back yet (taken back if kept) */
	pid_t tid;		/* thread that made it */
	enum cstate state;
	enum churn_kind kind;
	bool dropped;		/* CS_ATTR: part of it was given back */
	void *owner;		/* CS_ATTR: the record the write was for */
	uint64_t wseq;		/* CS_ATTR: which write */
};

/* The maps of one write still live: when the last goes without any of
   them having been given back, the write was no churn after all. */
struct cgroup {
	uint64_t wseq;
	void *owner;
	unsigned open;
	bool dropped;
};

struct churn {
	uint64_t min_map;
	churn_credit_fn credit;
	void *ctx;
	struct cmap *maps;	/* sorted by start, non-overlapping */
	size_t n, cap;
	size_t npending;
	struct cgroup *groups;
	size_t ng, gcap;
	uint64_t wseq;
	uint64_t heap_base, heap_cur;
	struct churn_counts k;
};

enum churn_kind
churn_map_kind(uint64_t prot, uint64_t flags)
{
	uint64_t type = flags & L_MAP_TYPE;

	if (!(flags & L_MAP_ANONYMOUS))
		return CK_FILE;
	if (flags & (L_MAP_STACK | L_MAP_GROWSDOWN))
		return CK_STACK;
	if (type == L_MAP_SHARED || type == L_MAP_SHARED_VALIDATE)
		return CK_SHARED;
	if (!(prot & L_PROT_WRITE) || (flags & L_MAP_NORESERVE))
		return CK_RESERVED;
	return CK_MEMORY;
}

static bool
is_memory(enum churn_kind k)
{
	return k == CK_MEMORY || k == CK_SHARED;
}

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
	free(c->groups);
	free(c);
}

static void
live_add(struct churn *c, enum churn_kind kind, uint64_t n)
{
	if (is_memory(kind)) {
		c->k.live += n;
		if (c->k.live > c->k.peak)
			c->k.peak = c->k.live;
	} else if (kind != CK_FILE) {
		c->k.reserved_live += n;
		if (c->k.reserved_live > c->k.reserved_peak)
			c->k.reserved_peak = c->k.reserved_live;
	}
}

static void
live_sub(struct churn *c, enum churn_kind kind, uint64_t n)
{
	uint64_t *v;

	if (is_memory(kind))
		v = &c->k.live;
	else if (kind != CK_FILE)
		v = &c->k.reserved_live;
	else
		return;
	*v = *v > n ? *v - n : 0;
}

static void
credit(struct churn *c, void *owner, int64_t bytes, int maps, int writes,
    uint64_t len)
{
	struct churn_credit cr;

	if (bytes < 0)
		c->k.attributed_bytes -= (uint64_t)-bytes;
	else
		c->k.attributed_bytes += (uint64_t)bytes;
	if (c->credit == NULL)
		return;
	cr.bytes = bytes;
	cr.maps = maps;
	cr.writes = writes;
	cr.len = len;
	c->credit(c->ctx, owner, &cr);
}

static struct cgroup *
group_of(struct churn *c, uint64_t wseq)
{
	size_t i;

	for (i = c->ng; i-- > 0;)
		if (c->groups[i].wseq == wseq)
			return &c->groups[i];
	return NULL;
}

/* One map of a write's group is gone (or kept); dropped: given back. */
static void
group_close(struct churn *c, uint64_t wseq, bool dropped, bool closing)
{
	struct cgroup *g = group_of(c, wseq);

	if (g == NULL)
		return;
	if (dropped)
		g->dropped = true;
	if (!closing)
		return;
	if (g->open > 0)
		g->open--;
	if (g->open == 0) {
		if (!g->dropped)
			credit(c, g->owner, 0, 0, -1, 0);
		*g = c->groups[--c->ng];
	}
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

/* Take back what an attribution credited and was not given back. */
static void
take_back(struct churn *c, struct cmap *m)
{
	if (m->state == CS_ATTR) {
		if (m->fresh > 0 || !m->dropped)
			credit(c, m->owner, -(int64_t)m->fresh,
			    m->dropped ? 0 : -1, 0, m->len);
		group_close(c, m->wseq, false, true);
	} else if (m->state == CS_PENDING && c->npending > 0)
		c->npending--;
	m->state = CS_NONE;
	m->owner = NULL;
	m->fresh = 0;
	m->dropped = false;
}

/*
 * Part [lo, hi) of map m goes.  drop: a munmap (an attributed part is
 * given back: confirmed); otherwise it is replaced or moved (taken back).
 */
static void
part_gone(struct churn *c, struct cmap *m, uint64_t part, bool drop)
{
	uint64_t f = part < m->fresh ? part : m->fresh;

	if (m->state == CS_ATTR) {
		if (drop) {
			m->dropped = true;
			group_close(c, m->wseq, true, false);
		} else if (f > 0)
			credit(c, m->owner, -(int64_t)f, 0, 0, m->len);
	}
	m->fresh -= f;
}

/*
 * Remove [a, a+len) from the table, splitting maps that straddle it.
 * Returns nothing; live counters are kept here.
 */
static void
remove_range(struct churn *c, uint64_t a, uint64_t len, bool drop)
{
	uint64_t end = a + len < a ? UINT64_MAX : a + len;
	size_t i = first_after(c, a);

	while (i < c->n && c->maps[i].start < end) {
		struct cmap *m = &c->maps[i];
		uint64_t mend = m->start + m->len;
		uint64_t lo = m->start > a ? m->start : a;
		uint64_t hi = mend < end ? mend : end;
		uint64_t part = hi - lo;
		bool big = m->state != CS_NONE || m->len >= c->min_map;

		live_sub(c, m->kind, part);
		if (drop && is_memory(m->kind)) {
			c->k.munmap_bytes += part;
			if (big && m->kind == CK_MEMORY)
				c->k.big_dropped_bytes += part;
		}
		if (lo == m->start && hi == mend) {
			part_gone(c, m, part, drop);
			if (m->state == CS_ATTR) {
				if (!drop && !m->dropped)
					credit(c, m->owner, 0, -1, 0, m->len);
				group_close(c, m->wseq, false, true);
			}
			remove_at(c, i);
			continue;
		}
		/* credit what goes from the part first: fresh is spread
		   evenly enough for a partial unmap */
		part_gone(c, m, part, drop);
		if (lo > m->start && hi < mend) {
			/* a hole in the middle: split in two */
			struct cmap right = *m;
			struct cgroup *g;

			right.start = hi;
			right.len = mend - hi;
			m->len = lo - m->start;
			right.fresh = m->fresh > m->len ? m->fresh - m->len : 0;
			if (right.fresh > right.len)
				right.fresh = right.len;
			if (m->fresh > m->len)
				m->fresh = m->len;
			if (m->state == CS_ATTR &&
			    (g = group_of(c, m->wseq)) != NULL)
				g->open++;
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
}

static void
add_map(struct churn *c, pid_t tid, uint64_t addr, uint64_t len,
    uint64_t fresh, enum churn_kind kind)
{
	struct cmap m;

	memset(&m, 0, sizeof(m));
	m.start = addr;
	m.len = len;
	m.tid = tid;
	m.kind = kind;
	if (kind == CK_MEMORY && fresh >= c->min_map) {
		m.fresh = fresh;
		m.state = CS_PENDING;
		c->k.big_maps++;
		c->k.big_map_bytes += fresh;
	}
	insert_at(c, first_after(c, addr), &m);
}

void
churn_mmap(struct churn *c, pid_t tid, uint64_t addr, uint64_t len,
    uint64_t prot, uint64_t flags)
{
	enum churn_kind kind = churn_map_kind(prot, flags);

	len = page_up(len);
	if (len == 0)
		return;
	/* MAP_FIXED (or a stale table) replaces what was there */
	remove_range(c, addr, len, false);
	switch (kind) {
	case CK_FILE:
		return;
	case CK_MEMORY:
		c->k.mmaps++;
		c->k.mmap_bytes += len;
		break;
	case CK_SHARED:
		c->k.shared_maps++;
		c->k.shared_bytes += len;
		break;
	case CK_STACK:
		c->k.stack_maps++;
		c->k.stack_bytes += len;
		break;
	case CK_RESERVED:
		c->k.reserved_maps++;
		c->k.reserved_bytes += len;
		break;
	}
	live_add(c, kind, len);
	add_map(c, tid, addr, len, len, kind);
}

void
churn_munmap(struct churn *c, uint64_t addr, uint64_t len)
{
	c->k.munmaps++;
	remove_range(c, addr, page_up(len), true);
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
	whole = i < c->n && c->maps[i].start == old &&
	    c->maps[i].len <= old_len;
	if (whole) {
		m = c->maps[i];
		remove_at(c, i);	/* moved, not gone: re-added below */
		live_sub(c, m.kind, m.len);
	} else {
		/* unknown or partial: start a fresh record for the result */
		remove_range(c, old, old_len, false);
		memset(&m, 0, sizeof(m));
		m.tid = tid;
		m.kind = CK_MEMORY;
	}
	if (is_memory(m.kind))
		c->k.mremap_grow_bytes += grow;
	/* the destination may overlap stale entries */
	remove_range(c, new_addr, new_len, false);
	live_add(c, m.kind, new_len);
	if (whole && (grow < c->min_map || m.kind != CK_MEMORY)) {
		if (m.state == CS_ATTR && new_len < m.len) {
			/* shrunk: the tail is given back */
			uint64_t cut = m.len - new_len;

			part_gone(c, &m, cut, true);
		}
		m.start = new_addr;
		m.len = new_len;
		if (m.state == CS_PENDING)
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
	    (whole && m.state == CS_PENDING ? m.fresh : 0) + grow, m.kind);
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
		live_add(c, CK_MEMORY, ret - c->heap_cur);
	} else
		live_sub(c, CK_MEMORY, c->heap_cur - ret);
	c->heap_cur = ret;
}

void
churn_exec(struct churn *c)
{
	size_t i;

	/* kept until the address space went: never given back */
	for (i = 0; i < c->n; i++)
		take_back(c, &c->maps[i]);
	free(c->maps);
	c->maps = NULL;
	c->cap = 0;
	c->n = 0;
	c->npending = 0;
	c->ng = 0;
	c->heap_base = c->heap_cur = 0;
	c->k.live = 0;
	c->k.reserved_live = 0;
}

uint64_t
churn_write(struct churn *c, pid_t tid, void *owner)
{
	uint64_t got = 0;
	bool any = false, first = true;
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
	c->wseq++;
	for (i = 0; i < c->n; i++) {
		struct cmap *m = &c->maps[i];

		if (m->tid != tid)
			continue;
		if (m->state == CS_ATTR) {
			/* a new cycle: the previous write's maps were kept */
			take_back(c, m);
		} else if (m->state == CS_PENDING) {
			struct cgroup *g;

			m->state = CS_ATTR;
			m->owner = owner;
			m->wseq = c->wseq;
			m->dropped = false;
			got += m->fresh;
			c->npending--;
			if (first) {
				if (c->ng == c->gcap) {
					c->gcap = c->gcap ? c->gcap * 2 : 8;
					c->groups = xrealloc(c->groups,
					    c->gcap * sizeof(*c->groups));
				}
				g = &c->groups[c->ng++];
				g->wseq = c->wseq;
				g->owner = owner;
				g->open = 0;
				g->dropped = false;
			} else
				g = group_of(c, c->wseq);
			if (g != NULL)
				g->open++;
			credit(c, owner, (int64_t)m->fresh, 1, first ? 1 : 0,
			    m->len);
			first = false;
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
			c->maps[i].fresh = 0;
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
	for (i = 0; i < c->ng; i++)
		if (c->groups[i].owner == from)
			c->groups[i].owner = to;
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
