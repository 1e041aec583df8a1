/*
 * window.h: what /proc says about a traced window: every block device's
 * counters and the write counters of the traced processes, at the start
 * and at the end, so the live report can put the device's utilisation and
 * the bytes that reached the block layer beside the syscalls it saw.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SYSTEM_WINDOW_H
#define IOSPY_SYSTEM_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "system/diskstats.h"
#include "system/procio.h"
#include "system/sampler.h"

/* One attached process's counters at both ends (have_* false: unread). */
struct window_proc {
	pid_t pid;
	bool have_start, have_end;
	struct procio start, end;
};

struct sys_window {
	int64_t start_ns, end_ns;	/* CLOCK_MONOTONIC */
	struct disk_stat *d0, *d1;
	size_t n0, n1;
	struct window_proc *procs;	/* attach mode: the given pids */
	size_t nprocs;
	/* launch mode: the processes iospy reaped (its children and, folded
	   into them by the kernel, their own reaped children): its
	   /proc/self/io less its own threads' */
	bool children;
	bool have_children;
	struct procio kids0, kids1;
	bool ended;
};

/*
 * Start a window: the devices, and either the pids' counters or (children
 * true, launch mode) iospy's reaped children's.  Never fails: what cannot
 * be read is marked unknown.
 */
void window_begin(struct sys_window *w, const struct system_settings *set,
    const pid_t *pids, size_t npids, bool children);

/* End it: the same counters again. */
void window_end(struct sys_window *w, const struct system_settings *set);

/* Free it. */
void window_free(struct sys_window *w);

/* Seconds between begin and end (0 before the end). */
double window_secs(const struct sys_window *w);

/*
 * The rates of the device major:minor over the window into *r; false when
 * it was not seen at both ends.
 */
bool window_disk(const struct sys_window *w, unsigned major, unsigned minor,
    struct disk_rate *r);

/* The sum of the processes' deltas; false when none is known at both ends.
   *partial is set when some process was not. */
bool window_procs_delta(const struct sys_window *w, struct procio *d,
    bool *partial);

/* iospy's reaped children's counters now (launch mode); 0 or -1. */
int window_read_children(const char *proc_root, struct procio *io);

#endif /* IOSPY_SYSTEM_WINDOW_H */
