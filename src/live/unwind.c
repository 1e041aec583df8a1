/*
 * unwind.c: stacks of the writes that matter, with libunwind-ptrace.
 *
 * One libunwind address space per traced process, with the global cache
 * (libunwind then remembers the unwind rules per address), and one
 * _UPT_create() context per traced thread.  Not one space for all: its
 * cache is keyed by address alone, and two programs can have different
 * code at one address (non-PIE programs), so a shared space must be
 * flushed whenever the unwound process changes -- and re-learning the
 * rules costs about 1.8 ms per unwind when two processes alternate,
 * against 20 us with the rules cached.  What libunwind does not cache
 * well we cache here, per process:
 *
 *   - the executable mappings from /proc/PID/maps (module of each frame),
 *     read at most once per change of the process's mappings;
 *   - the symbol name of each address: unw_get_proc_name() in
 *     libunwind-ptrace opens /proc/PID/maps and maps the ELF file on every
 *     call, so a repeated stack must not ask it again.
 *
 * and libunwind reads tracee memory through us, a page at a time with
 * process_vm_readv rather than a word at a time with PTRACE_PEEKDATA
 * (an unwind with its rules cached: 19 -> 10 us; learning them: 1.7 ->
 * 0.6 ms).
 *
 * Both are dropped by unwind_maps_changed().  Names and module paths are
 * interned in a pool that lives as long as the unwinder, so the strings an
 * io_stack points to stay valid even if the process's caches are dropped
 * (by another thread's munmap) before the event is delivered.
 *
 * Built without libunwind (configure --with-libunwind=no), this file is
 * the stubs at the end: unwind_new() returns NULL.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stddef.h>

#include "live/unwind.h"

#ifdef HAVE_LIBUNWIND

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <libunwind-ptrace.h>
#include <uthash.h>

#include "base/util.h"
#include "live/elfsym.h"

/* First size of the symbol name buffer; grows (up to NAME_MAX_SIZE) when a
   name fills it.  libunwind >= 1.8 truncates silently instead of returning
   -UNW_ENOMEM (strace issue #352), so "filled" is judged by length too. */
#define NAME_FIRST_SIZE 4096
#define NAME_MAX_SIZE (1U << 20)

/* Bound on the per-process symbol cache; past it the cache starts over
   (JIT code can produce an endless supply of addresses). */
#define SYMS_MAX 65536

/*
 * Tracee memory as libunwind reads it: libunwind-ptrace asks for one word
 * at a time with PTRACE_PEEKDATA, and learning the unwind rules of a new
 * address reads hundreds of words (the .eh_frame_hdr search table, FDEs,
 * CIEs).  We read whole pages with process_vm_readv instead and keep the
 * last few for the duration of one unwind (the tracee is stopped, its
 * memory cannot change under us; between unwinds it can).
 */
#define MEM_PAGE 4096
#define MEM_PAGES 16

struct memcache {
	uint64_t page[MEM_PAGES];	/* page address; valid[i] says if set */
	bool valid[MEM_PAGES];
	unsigned next;			/* round-robin victim */
	unsigned char data[MEM_PAGES][MEM_PAGE];
};

/* An interned string: module paths and function names. */
struct istr {
	UT_hash_handle hh;
	char s[];
};

/* One executable mapping of a process. */
struct umap {
	uint64_t start, end;	/* [start, end) */
	uint64_t pgoff;		/* file offset of start */
	const char *path;	/* interned */
};

/* The resolved name of one address. */
struct usym {
	uint64_t ip;		/* key */
	const char *func;	/* interned, or NULL if libunwind found none */
	uint64_t off;		/* offset within func */
	UT_hash_handle hh;
};

/* Per-process caches. */
struct uproc {
	pid_t pid;		/* key */
	bool maps_valid;	/* maps is the current /proc/PID/maps */
	bool foreign;		/* not a 64-bit program (i386): not unwound */
	struct umap *maps;	/* sorted by start */
	size_t nmaps;
	struct usym *syms;
	size_t nsyms;
	unw_addr_space_t as;	/* created at the first unwind */
	UT_hash_handle hh;
};

/* Per-thread libunwind-ptrace context. */
struct uthread {
	pid_t tid;		/* key */
	pid_t pid;		/* its process, to drop it when the maps change */
	void *upt;		/* _UPT_create(tid) */
	UT_hash_handle hh;
};

struct unwinder {
	struct memcache mem;
	struct elfsym *es;	/* symbols with their extents, per module */
	struct uthread *threads;
	struct uproc *procs;
	struct istr *strings;
	char *namebuf;
	size_t namesz;
	struct unwind_stats st;
};

/* The interned copy of s (len bytes). */
static const char *
intern(struct unwinder *u, const char *s, size_t len)
{
	struct istr *e;

	HASH_FIND(hh, u->strings, s, len, e);
	if (e != NULL)
		return e->s;
	e = xmalloc(sizeof(*e) + len + 1);
	memset(&e->hh, 0, sizeof(e->hh));
	memcpy(e->s, s, len);
	e->s[len] = '\0';
	HASH_ADD_KEYPTR(hh, u->strings, e->s, len, e);
	return e->s;
}

/*
 * The unwind in progress: libunwind calls access_mem with the _UPT
 * context as its only argument, so the page cache and the thread id are
 * found here (iospy unwinds one thread at a time).
 */
static struct {
	struct unwinder *u;
	void *upt;
	pid_t tid;
} cur;

static unw_accessors_t accessors;	/* _UPT_accessors, access_mem ours */

static int
mem_access(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write,
    void *arg)
{
	struct memcache *mc;
	uint64_t page = addr & ~(uint64_t)(MEM_PAGE - 1);
	size_t off = (size_t)(addr - page);
	unsigned i;

	if (cur.u == NULL || arg != cur.upt || write ||
	    off + sizeof(*val) > MEM_PAGE) {
		if (write && cur.u != NULL)
			memset(cur.u->mem.valid, 0, sizeof(cur.u->mem.valid));
		return _UPT_access_mem(as, addr, val, write, arg);
	}
	mc = &cur.u->mem;
	for (i = 0; i < MEM_PAGES; i++)
		if (mc->valid[i] && mc->page[i] == page)
			break;
	if (i == MEM_PAGES) {
		struct iovec local, remote;

		i = mc->next;
		mc->next = (mc->next + 1) % MEM_PAGES;
		local.iov_base = mc->data[i];
		local.iov_len = MEM_PAGE;
		remote.iov_base = (void *)(uintptr_t)page;
		remote.iov_len = MEM_PAGE;
		cur.u->st.mem_pages++;
		if (process_vm_readv(cur.tid, &local, 1, &remote, 1, 0) !=
		    MEM_PAGE) {
			/* not permitted, or not mapped: ask ptrace */
			mc->valid[i] = false;
			return _UPT_access_mem(as, addr, val, write, arg);
		}
		mc->page[i] = page;
		mc->valid[i] = true;
	}
	memcpy(val, mc->data[i] + off, sizeof(*val));
	return 0;
}

bool
unwind_available(void)
{
	return true;
}

struct unwinder *
unwind_new(void)
{
	struct unwinder *u;

	u = xcalloc(1, sizeof(*u));
	accessors = _UPT_accessors;
	accessors.access_mem = mem_access;
	u->namesz = NAME_FIRST_SIZE;
	u->namebuf = xmalloc(u->namesz);
	return u;
}

static void
thread_drop(struct unwinder *u, struct uthread *t)
{
	HASH_DEL(u->threads, t);
	_UPT_destroy(t->upt);
	free(t);
}

static void
proc_clear(struct uproc *p)
{
	struct usym *s, *tmp;

	HASH_ITER(hh, p->syms, s, tmp) {
		HASH_DEL(p->syms, s);
		free(s);
	}
	p->nsyms = 0;
	free(p->maps);
	p->maps = NULL;
	p->nmaps = 0;
	p->maps_valid = false;
}

static void
proc_drop(struct unwinder *u, struct uproc *p)
{
	HASH_DEL(u->procs, p);
	proc_clear(p);
	if (p->as != NULL)
		unw_destroy_addr_space(p->as);
	free(p);
}

void
unwind_free(struct unwinder *u)
{
	struct uthread *t, *ttmp;
	struct uproc *p, *ptmp;
	struct istr *s, *stmp;

	if (u == NULL)
		return;
	HASH_ITER(hh, u->threads, t, ttmp)
		thread_drop(u, t);
	HASH_ITER(hh, u->procs, p, ptmp)
		proc_drop(u, p);
	HASH_ITER(hh, u->strings, s, stmp) {
		HASH_DEL(u->strings, s);
		free(s);
	}
	elfsym_free(u->es);
	free(u->namebuf);
	free(u);
}

/* The libunwind-ptrace context of thread tid, created on first use. */
static struct uthread *
thread_get(struct unwinder *u, pid_t pid, pid_t tid)
{
	struct uthread *t;

	HASH_FIND(hh, u->threads, &tid, sizeof(tid), t);
	if (t != NULL && t->pid != pid) {
		/* the tid now belongs to another process (the old thread's end
		   was never reported): start over */
		thread_drop(u, t);
		t = NULL;
	}
	if (t != NULL)
		return t;
	t = xcalloc(1, sizeof(*t));
	t->tid = tid;
	t->pid = pid;
	t->upt = _UPT_create(tid);
	if (t->upt == NULL) {
		free(t);
		return NULL;
	}
	HASH_ADD(hh, u->threads, tid, sizeof(t->tid), t);
	return t;
}

static struct uproc *
proc_get(struct unwinder *u, pid_t pid)
{
	struct uproc *p;

	HASH_FIND(hh, u->procs, &pid, sizeof(pid), p);
	if (p != NULL)
		return p;
	p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	HASH_ADD(hh, u->procs, pid, sizeof(p->pid), p);
	return p;
}

/*
 * Parse one /proc/PID/maps line into m if it is an executable mapping with
 * a name; returns true if it is.  Format:
 * "start-end perms offset major:minor inode   path".
 */
static bool
maps_parse_line(struct unwinder *u, const char *line, size_t len,
    struct umap *m)
{
	unsigned long long start, end, pgoff;
	char perms[8];
	int pos = 0;
	const char *path;
	size_t plen;

	if (sscanf(line, "%llx-%llx %7s %llx %*x:%*x %*u %n", &start, &end,
	    perms, &pgoff, &pos) < 4 || pos <= 0 || (size_t)pos > len)
		return false;
	if (strchr(perms, 'x') == NULL || end <= start)
		return false;
	path = line + pos;
	plen = len - (size_t)pos;
	while (plen > 0 && (path[plen - 1] == '\n' || path[plen - 1] == ' '))
		plen--;
	m->start = start;
	m->end = end;
	m->pgoff = pgoff;
	/* anonymous executable memory (JIT) is kept, without a path, so
	   that its unmapping drops the names cached in it */
	m->path = plen > 0 ? intern(u, path, plen) : NULL;
	return true;
}

static int
umap_cmp(const void *a, const void *b)
{
	const struct umap *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * True if the program of pid is a 32-bit ELF file: libunwind's x86_64
 * address space would misread its stack.  Unknown counts as 64-bit.
 */
static bool
proc_is_foreign(pid_t pid)
{
	char path[64];
	unsigned char ident[EI_NIDENT];
	FILE *f;
	bool foreign = false;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	if (fread(ident, 1, sizeof(ident), f) == sizeof(ident) &&
	    memcmp(ident, ELFMAG, SELFMAG) == 0)
		foreign = ident[EI_CLASS] != ELFCLASS64;
	fclose(f);
	return foreign;
}

/* (Re)read /proc/PID/maps into p; 0 or -1. */
static int
maps_read(struct unwinder *u, struct uproc *p)
{
	char path[64];
	FILE *f;
	char *line = NULL;
	size_t linesz = 0, cap = 0;
	ssize_t n;

	free(p->maps);
	p->maps = NULL;
	p->nmaps = 0;
	p->foreign = proc_is_foreign(p->pid);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)p->pid);
	f = fopen(path, "re");
	u->st.maps_reads++;
	if (f == NULL)
		return -1;
	while ((n = getline(&line, &linesz, f)) > 0) {
		struct umap m;

		if (!maps_parse_line(u, line, (size_t)n, &m))
			continue;
		if (p->nmaps == cap) {
			cap = cap ? cap * 2 : 32;
			p->maps = xrealloc(p->maps, cap * sizeof(*p->maps));
		}
		p->maps[p->nmaps++] = m;
	}
	free(line);
	fclose(f);
	/* the kernel lists mappings in address order; sort anyway, the
	   lookup depends on it */
	if (p->nmaps > 1)
		qsort(p->maps, p->nmaps, sizeof(*p->maps), umap_cmp);
	p->maps_valid = true;
	return 0;
}

/* The first mapping that ends after addr (index nmaps if none). */
static size_t
maps_lower(const struct uproc *p, uint64_t addr)
{
	size_t lo = 0, hi = p->nmaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->maps[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The mapping holding ip, or NULL. */
static const struct umap *
maps_find(const struct uproc *p, uint64_t ip)
{
	size_t lo = 0, hi = p->nmaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct umap *m = &p->maps[mid];

		if (ip < m->start)
			hi = mid;
		else if (ip >= m->end)
			lo = mid + 1;
		else
			return m;
	}
	return NULL;
}

/*
 * Ask libunwind for the name of the function at the cursor.  Returns the
 * interned name or NULL.  The buffer grows while the name fills it: 1.6
 * says -UNW_ENOMEM, 1.8 truncates and says 0.
 */
static const char *
name_resolve(struct unwinder *u, unw_cursor_t *c, uint64_t *off)
{
	for (;;) {
		unw_word_t o = 0;
		int rc;
		size_t len;

		u->namebuf[0] = '\0';
		rc = unw_get_proc_name(c, u->namebuf, u->namesz, &o);
		u->st.name_lookups++;
		if (rc != 0 && rc != -UNW_ENOMEM)
			return NULL;
		len = strnlen(u->namebuf, u->namesz);
		if (len >= u->namesz)
			len = u->namesz - 1;
		if ((rc == -UNW_ENOMEM || len + 1 >= u->namesz) &&
		    u->namesz < NAME_MAX_SIZE) {
			u->namesz *= 2;
			u->namebuf = xrealloc(u->namebuf, u->namesz);
			continue;
		}
		if (len == 0)
			return NULL;
		*off = o;
		return intern(u, u->namebuf, len);
	}
}

/* Name and offset of the frame at ip, through the per-process cache. */
static void
frame_name(struct unwinder *u, struct uproc *p, unw_cursor_t *c,
    struct io_frame *f)
{
	struct usym *s;
	uint64_t ip = f->ip;

	HASH_FIND(hh, p->syms, &ip, sizeof(ip), s);
	if (s != NULL) {
		u->st.name_hits++;
		f->func = s->func;
		f->offset = s->off;
		return;
	}
	if (p->nsyms >= SYMS_MAX) {
		struct usym *tmp;

		HASH_ITER(hh, p->syms, s, tmp) {
			HASH_DEL(p->syms, s);
			free(s);
		}
		p->nsyms = 0;
	}
	s = xcalloc(1, sizeof(*s));
	s->ip = ip;
	s->func = name_resolve(u, c, &s->off);
	HASH_ADD(hh, p->syms, ip, sizeof(s->ip), s);
	p->nsyms++;
	f->func = s->func;
	f->offset = s->off;
}

/*
 * libunwind names the nearest symbol below the pc, which on a stripped
 * binary is often another function far away.  Keep a name only when the
 * module's symbol table (or its debug file) says the pc is inside it;
 * otherwise the frame is module+offset, with the nearest symbol as a
 * guess.  A module that cannot be read keeps libunwind's answer.
 */
static void
frame_check(struct unwinder *u, struct io_frame *f, bool ret_addr)
{
	struct elfsym_hit h;
	/* a return address may be the first byte after its caller's end */
	uint64_t at = ret_addr && f->modoff > 0 ? f->modoff - 1 : f->modoff;

	if (f->module == NULL || f->modoff == 0)
		return;
	if (u->es == NULL)
		u->es = elfsym_new();
	if (!elfsym_lookup(u->es, f->module, at, &h))
		return;
	if (h.name != NULL) {
		f->func = intern(u, h.name, strlen(h.name));
		f->offset = h.off + (at != f->modoff ? 1 : 0);
		f->near = NULL;
		return;
	}
	f->near = h.near != NULL ? intern(u, h.near, strlen(h.near)) :
	    f->func;
	f->func = NULL;
}

int
unwind_capture(struct unwinder *u, pid_t pid, pid_t tid, struct io_stack *out)
{
	struct uthread *t;
	struct uproc *p;
	unw_cursor_t c;
	int n = 0, rc;

	out->nframes = 0;
	if (u == NULL)
		return -1;
	t = thread_get(u, pid, tid);
	if (t == NULL)
		goto fail;
	p = proc_get(u, pid);
	if (!p->maps_valid)
		maps_read(u, p);	/* no maps: frames without modules */
	if (p->foreign)
		goto fail;
	if (p->as == NULL) {
		p->as = unw_create_addr_space(&accessors, 0);
		if (p->as == NULL)
			goto fail;
		unw_set_caching_policy(p->as, UNW_CACHE_GLOBAL);
	}
	/* the tracee ran since the last unwind: no page is current */
	memset(u->mem.valid, 0, sizeof(u->mem.valid));
	cur.u = u;
	cur.upt = t->upt;
	cur.tid = tid;
	if (unw_init_remote(&c, p->as, t->upt) != 0)
		goto fail;
	u->st.unwinds++;
	do {
		struct io_frame *f = &out->frames[n];
		const struct umap *m;
		unw_word_t ip = 0;

		if (unw_get_reg(&c, UNW_REG_IP, &ip) != 0 || ip == 0)
			break;
		memset(f, 0, sizeof(*f));
		f->ip = ip;
		/* a return address may be just past the end of its caller's
		   mapping (a call as the last instruction): look up ip - 1 */
		m = maps_find(p, n == 0 ? ip : ip - 1);
		if (m != NULL && m->path != NULL) {
			f->module = m->path;
			f->modoff = ip - m->start + m->pgoff;
		}
		frame_name(u, p, &c, f);
		frame_check(u, f, n > 0);
		if (f->func == NULL)
			f->offset = f->modoff;
		n++;
		rc = unw_step(&c);
	} while (rc > 0 && n < IO_STACK_MAX);
	out->nframes = n;
	u->st.frames += (unsigned long)n;
	if (n == 0)
		goto fail;
	cur.u = NULL;
	return 0;
fail:
	cur.u = NULL;
	u->st.failures++;
	return -1;
}

void
unwind_thread_gone(struct unwinder *u, pid_t tid)
{
	struct uthread *t;
	struct uproc *p;

	if (u == NULL)
		return;
	HASH_FIND(hh, u->threads, &tid, sizeof(tid), t);
	if (t != NULL)
		thread_drop(u, t);
	/* the leader gone: the process id may be reused by another program */
	HASH_FIND(hh, u->procs, &tid, sizeof(tid), p);
	if (p != NULL)
		proc_drop(u, p);
}

void
unwind_maps_changed(struct unwinder *u, pid_t pid)
{
	struct uthread *t, *tmp;
	struct uproc *p;

	if (u == NULL)
		return;
	HASH_FIND(hh, u->procs, &pid, sizeof(pid), p);
	if (p != NULL) {
		proc_clear(p);
		if (p->as != NULL)
			unw_flush_cache(p->as, 0, 0);
	}
	/* libunwind-ptrace keeps the last ELF image per context, by address
	   range: after an exec the same range may hold another file */
	HASH_ITER(hh, u->threads, t, tmp) {
		if (t->pid == pid)
			thread_drop(u, t);
	}
}

void
unwind_range_changed(struct unwinder *u, pid_t pid, uint64_t addr,
    uint64_t len, bool exec)
{
	struct uproc *p;
	struct usym *s, *tmp;
	uint64_t end = addr + len < addr ? UINT64_MAX : addr + len;
	size_t i;

	if (u == NULL || len == 0)
		return;
	HASH_FIND(hh, u->procs, &pid, sizeof(pid), p);
	if (p == NULL)
		return;		/* nothing cached: the next unwind reads afresh */
	/*
	 * Every name and libunwind rule we hold is for an address inside an
	 * executable mapping listed at the last read of the maps (a stale
	 * list has no names cached since: the next unwind re-reads it).  A
	 * change that touches one of them makes them unsafe; a change
	 * elsewhere (the big buffers mapped and unmapped around writes)
	 * leaves them valid.
	 */
	i = maps_lower(p, addr);
	if (i < p->nmaps && p->maps[i].start < end) {
		u->st.invalidations++;
		unwind_maps_changed(u, pid);
		return;
	}
	if (!exec)
		return;
	/* new code: read the maps again at the next unwind, and forget
	   what the cache said about addresses that lay outside any mapping */
	p->maps_valid = false;
	HASH_ITER(hh, p->syms, s, tmp) {
		if (s->ip >= addr && s->ip < end) {
			HASH_DEL(p->syms, s);
			free(s);
			p->nsyms--;
		}
	}
}

unsigned long
unwind_count(const struct unwinder *u)
{
	return u != NULL ? u->st.unwinds : 0;
}

void
unwind_get_stats(const struct unwinder *u, struct unwind_stats *st)
{
	if (u != NULL)
		*st = u->st;
	else
		memset(st, 0, sizeof(*st));
}

#else /* !HAVE_LIBUNWIND */

#include <string.h>

bool
unwind_available(void)
{
	return false;
}

struct unwinder *
unwind_new(void)
{
	return NULL;
}

void
unwind_free(struct unwinder *u)
{
	(void)u;
}

int
unwind_capture(struct unwinder *u, pid_t pid, pid_t tid, struct io_stack *out)
{
	(void)u; (void)pid; (void)tid;
	out->nframes = 0;
	return -1;
}

void
unwind_thread_gone(struct unwinder *u, pid_t tid)
{
	(void)u; (void)tid;
}

void
unwind_maps_changed(struct unwinder *u, pid_t pid)
{
	(void)u; (void)pid;
}

void
unwind_range_changed(struct unwinder *u, pid_t pid, uint64_t addr,
    uint64_t len, bool exec)
{
	(void)u; (void)pid; (void)addr; (void)len; (void)exec;
}

unsigned long
unwind_count(const struct unwinder *u)
{
	(void)u;
	return 0;
}

void
unwind_get_stats(const struct unwinder *u, struct unwind_stats *st)
{
	(void)u;
	memset(st, 0, sizeof(*st));
}

#endif /* HAVE_LIBUNWIND */
