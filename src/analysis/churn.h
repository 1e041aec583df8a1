/*
 * churn.h: memory churn: big anonymous mappings made and dropped around
 * the writes (a logger that builds each large message in a fresh mapping
 * pays for it in page faults, not in write time).
 *
 * One struct churn per process tracks its live anonymous mappings (a sorted
 * array of ranges: memory grows with the number of live mappings, never with
 * the number of events) and the break.
 *
 * Attribution rule.  An anonymous mapping (mmap, or the growth of an
 * mremap) of at least min_map bytes is "pending" for the thread that made
 * it.  When that thread next writes, its pending mappings that are still
 * live are attributed to the written file (the owner pointer) and their
 * fresh bytes are credited to it through the credit callback: that is the
 * churn of the file.  A mapping the thread keeps is not churn: when the
 * same thread's next write finds new pending mappings (a new cycle), the
 * bytes of the previous attributions that were not dropped (munmap) in the
 * meantime are taken back (a negative credit).  Mappings still live when
 * the trace ends stay credited (the trace ended around the write).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_CHURN_H
#define IOSPY_CHURN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct churn;

/* Bytes of fresh memory that the owner's write cost: positive when
   mappings are attributed, negative when a kept one is taken back. */
typedef void (*churn_credit_fn)(void *ctx, void *owner, int64_t bytes);

/* Per-process memory counters (anonymous memory only). */
struct churn_counts {
	uint64_t mmaps, mmap_bytes;		/* anonymous mmap calls */
	uint64_t munmaps, munmap_bytes;		/* munmap calls, anonymous bytes dropped */
	uint64_t mremaps, mremap_grow_bytes;	/* mremap calls, bytes grown */
	uint64_t brks, brk_grow_bytes;		/* brk calls, heap growth */
	uint64_t big_maps, big_map_bytes;	/* maps/growths >= min_map */
	uint64_t big_dropped_bytes;		/* of those, bytes unmapped */
	uint64_t live, peak;			/* live anonymous bytes (+heap) */
	uint64_t attributed_bytes;		/* net fresh bytes credited to writes */
};

/* A new tracker; maps of at least min_map bytes count as churn. */
struct churn *churn_new(uint64_t min_map, churn_credit_fn credit, void *ctx);

/* Free it. */
void churn_free(struct churn *c);

/* An mmap that returned addr (len bytes); anon: MAP_ANONYMOUS. */
void churn_mmap(struct churn *c, pid_t tid, uint64_t addr, uint64_t len,
    bool anon);

/* A successful munmap of [addr, addr+len). */
void churn_munmap(struct churn *c, uint64_t addr, uint64_t len);

/* A successful mremap of old (old_len) to new_addr (new_len). */
void churn_mremap(struct churn *c, pid_t tid, uint64_t old, uint64_t old_len,
    uint64_t new_addr, uint64_t new_len);

/* A brk call with argument arg that returned ret (the new break). */
void churn_brk(struct churn *c, uint64_t arg, uint64_t ret);

/* A successful execve, or the process is gone: the address space starts
   over (counters and credits stay; the table's memory is released). */
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

/* Number of live anonymous mappings tracked. */
size_t churn_nmaps(const struct churn *c);

#endif /* IOSPY_CHURN_H */
