/*
 * unwind.h: stacks of the writes that matter, with libunwind-ptrace.
 * Built without libunwind, unwind_new() returns NULL.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_UNWIND_H
#define IOSPY_UNWIND_H

#include <stdbool.h>
#include <sys/types.h>

#include "event.h"

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

/* Process pid's executable mappings changed (mmap, munmap, execve). */
void unwind_maps_changed(struct unwinder *u, pid_t pid);

/* Number of unwinds done (for tests and benchmarks). */
unsigned long unwind_count(const struct unwinder *u);

#endif /* IOSPY_UNWIND_H */
