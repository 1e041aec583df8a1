/*
 * churn.h: memory churn: fresh anonymous memory made and given back around
 * the writes.
 *
 * One struct churn per process tracks its live anonymous mappings (a sorted
 * array of ranges: memory grows with the number of live mappings, never with
 * the number of events) and the break.
 *
 * What counts.  Only fresh memory can be churn: a private, anonymous,
 * writable mapping (mmap, or the growth of an mremap) of at least min_map
 * bytes.  Address space that is not memory never is: PROT_NONE or
 * read-only maps and MAP_NORESERVE reservations (malloc's per-thread
 * arenas, runtimes' heaps), thread stacks (MAP_STACK, MAP_GROWSDOWN),
 * shared and file-backed maps.  Those are counted apart (churn_counts).
 *
 * Attribution rule.  An eligible mapping is "pending" for the thread that
 * made it.  When that thread next writes, its pending mappings that are
 * still live are attributed to the written file (the owner pointer) and
 * credited to it through the credit callback.  A mapping the thread keeps
 * is not churn, and its credit is taken back (a negative credit):
 *  - when the same thread's next write finds new pending mappings (a new
 *    cycle) while the previous attribution is still live;
 *  - when the process execs or exits with it still mapped (it was kept
 *    for the life of the process, not given back around the write).
 * A mapping still live when the trace ends without the process ending
 * (detach, a log excerpt) stays credited: the trace ended around the write.
 *
 * Whether the credited churn is a pattern (it repeats across writes) is
 * the caller's judgement (stats_file_churn_shown).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_CHURN_H
#define IOSPY_CHURN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct churn;

/* What one credit changes for an owner: bytes of fresh memory (negative
   when a kept map is taken back), maps (+1 when a map is attributed, -1
   when one is taken back whole) and writes (+1 for the first map of a
   write, -1 when every map of that write was taken back whole); len is
   the length of the map concerned. */
struct churn_credit {
	int64_t bytes;
	int maps;
	int writes;
	uint64_t len;
};

typedef void (*churn_credit_fn)(void *ctx, void *owner,
    const struct churn_credit *cr);

/* What kind of address space an mmap made (churn_map_kind). */
enum churn_kind {
	CK_MEMORY = 0,		/* private, anonymous, writable */
	CK_RESERVED,		/* PROT_NONE / read-only / MAP_NORESERVE */
	CK_STACK,		/* MAP_STACK or MAP_GROWSDOWN */
	CK_SHARED,		/* MAP_SHARED anonymous */
	CK_FILE,		/* file-backed */
};

/* The kind of an mmap with these prot and flags (Linux values). */
enum churn_kind churn_map_kind(uint64_t prot, uint64_t flags);

/* Per-process memory counters. */
struct churn_counts {
	uint64_t mmaps, mmap_bytes;		/* CK_MEMORY mmap calls */
	uint64_t munmaps, munmap_bytes;		/* munmap calls, memory bytes dropped */
	uint64_t mremaps, mremap_grow_bytes;	/* mremap calls, memory bytes grown */
	uint64_t brks, brk_grow_bytes;		/* brk calls, heap growth */
	uint64_t reserved_maps, reserved_bytes;	/* CK_RESERVED mmap calls */
	uint64_t stack_maps, stack_bytes;	/* CK_STACK mmap calls */
	uint64_t shared_maps, shared_bytes;	/* CK_SHARED mmap calls */
	uint64_t big_maps, big_map_bytes;	/* fresh memory >= min_map */
	uint64_t big_dropped_bytes;		/* of those, bytes given back */
	uint64_t live, peak;			/* live memory bytes (+heap) */
	uint64_t reserved_live, reserved_peak;	/* live reserved + stacks */
	uint64_t attributed_bytes;		/* net fresh bytes credited to writes */
};

/* A new tracker; maps of at least min_map bytes can be churn. */
struct churn *churn_new(uint64_t min_map, churn_credit_fn credit, void *ctx);

/* Free it. */
void churn_free(struct churn *c);

/* An mmap that returned addr (len bytes) with these prot and flags. */
void churn_mmap(struct churn *c, pid_t tid, uint64_t addr, uint64_t len,
    uint64_t prot, uint64_t flags);

/* A successful munmap of [addr, addr+len). */
void churn_munmap(struct churn *c, uint64_t addr, uint64_t len);

/* A successful mremap of old (old_len) to new_addr (new_len). */
void churn_mremap(struct churn *c, pid_t tid, uint64_t old, uint64_t old_len,
    uint64_t new_addr, uint64_t new_len);

/* A brk call with argument arg that returned ret (the new break). */
void churn_brk(struct churn *c, uint64_t arg, uint64_t ret);

/* A successful execve, or the process is gone: the address space starts
   over.  Attributions still mapped are taken back (kept to the end);
   counters stay; the table's memory is released. */
void churn_exec(struct churn *c);

/* Thread tid writes for owner: attribute its pending mappings; returns the
   bytes newly attributed (0 when none were pending). */
uint64_t churn_write(struct churn *c, pid_t tid, void *owner);

/* Forget a thread that ended (its pending mappings stay unattributed). */
void churn_thread_exit(struct churn *c, pid_t tid);

/* Rewrite every attribution to from as to (a record was merged). */
void churn_reassign(struct churn *c, void *from, void *to);

/* The counters. */
const struct churn_counts *churn_counts(const struct churn *c);

/* Number of live mappings tracked. */
size_t churn_nmaps(const struct churn *c);

#endif /* IOSPY_CHURN_H */
