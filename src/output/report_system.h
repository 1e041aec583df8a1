/*
 * report_system.h: the device section of a live report: the block device
 * each written file lives on, each device's utilisation, write rate and
 * write await over the traced window, the share of it the traced writes
 * are, the bytes that reached the block layer (/proc/PID/io) beside the
 * bytes the syscalls wrote, and a finding when the traced writes are most
 * of what a busy device wrote.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_REPORT_SYSTEM_H
#define IOSPY_REPORT_SYSTEM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "analysis/stats.h"
#include "system/blockdev.h"
#include "system/sampler.h"
#include "system/window.h"

/* A device is busy at this utilisation (%), and the traced writes a large
   share of it at this fraction of what it wrote. */
#define REPORT_SYSTEM_BUSY_PCT 50.0
#define REPORT_SYSTEM_SHARE 0.5
/* ... and only when it wrote at least this much in the window. */
#define REPORT_SYSTEM_MIN_BYTES (1ULL << 20)

/* One device the traced processes wrote files on. */
struct report_system_dev {
	struct blockdev bd;
	bool have_rate;		/* seen in /proc/diskstats at both ends */
	struct disk_rate rate;
	uint64_t syscall_bytes;	/* written by the traced syscalls to files on it */
	size_t nfiles;
	double share;		/* of what the device wrote, 0..1; < 0 unknown */
	bool busy_finding;	/* busy and mostly the traced writes */
};

/* One written file and its device. */
struct report_system_file {
	const struct stats_file *sf;
	size_t dev;		/* index in devs, or (size_t)-1 unknown */
};

struct report_system {
	double secs;
	struct report_system_dev *devs;
	size_t ndevs;
	struct report_system_file *files;
	size_t nfiles;
	bool have_io;		/* block-layer counters known */
	bool io_partial;	/* ... for some processes only */
	bool launched;		/* counters are of the launched processes */
	struct procio io;	/* their deltas over the window */
	const struct sys_window *w;
};

/* Build the section from the stats and the window; free with
   report_system_free. */
void report_system_build(struct report_system *rs, const struct stats *st,
    const struct sys_window *w, const struct system_settings *set);

/* Free it. */
void report_system_free(struct report_system *rs);

/* Write the section as text; 0 or -1 on a write error. */
int report_system_text(FILE *f, const struct report_system *rs,
    const struct stats *st);

/* The section as a JSON object (the report's "system"). */
json_t *report_system_json(const struct report_system *rs);

#endif /* IOSPY_REPORT_SYSTEM_H */
