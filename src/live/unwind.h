/*
 * unwind.h: stacks of the writes that matter, with libunwind-ptrace.
 * Built without libunwind, unwind_new() returns NULL.
 *
 * The module and function strings of a captured stack point into the
 * unwinder and stay valid until unwind_free().
 * Use from one thread only (the tracer's): an unwind in progress is
 * file-global state.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_UNWIND_H
#define IOSPY_UNWIND_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/event.h"

struct unwinder;

/* True if iospy was built with libunwind. */
bool unwind_available(void);

/* A new unwinder, or NULL when unavailable. */
struct unwinder *unwind_new(void);

/* Free it and every per-thread state. */
void unwind_free(struct unwinder *u);

/* Unwind stopped thread tid of process pid into out; 0 or -1. */
int unwind_capture(struct unwinder *u, pid_t pid, pid_t tid, struct io_stack *out);

/* Thread tid is gone: drop its state. */
void unwind_thread_gone(struct unwinder *u, pid_t tid);

/* Process pid's executable mappings changed (execve): forget them all. */
void unwind_maps_changed(struct unwinder *u, pid_t pid);

/*
 * What was mapped at [addr, addr + len) in process pid changed (munmap,
 * mmap, mremap's old and new ranges); exec: what is mapped there now may
 * be code.  Drops only what the change makes stale: unmapping a data
 * buffer keeps every cached name.
 */
void unwind_range_changed(struct unwinder *u, pid_t pid, uint64_t addr,
    uint64_t len, bool exec);

/* Number of unwinds done (for tests and benchmarks). */
unsigned long unwind_count(const struct unwinder *u);

/* What an unwinder did so far (for tests, benchmarks and the report). */
struct unwind_stats {
	unsigned long unwinds;		/* stacks unwound (unwind_count) */
	unsigned long frames;		/* frames in them */
	unsigned long failures;		/* unwind_capture calls that gave -1 */
	unsigned long name_lookups;	/* unw_get_proc_name calls */
	unsigned long name_hits;	/* frames named from the cache */
	unsigned long maps_reads;	/* /proc/PID/maps reads */
	unsigned long invalidations;	/* ranges that dropped the caches */
	unsigned long mem_pages;	/* tracee pages read for libunwind */
};

/* Copy u's counters into st (all zero when u is NULL). */
void unwind_get_stats(const struct unwinder *u, struct unwind_stats *st);

#endif /* IOSPY_UNWIND_H */
