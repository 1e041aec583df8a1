/*
 * sampler.h: system-wide samples of /proc alone (nothing is traced): every
 * process's write counters and every block device's, and the rates
 * between two samples, for --top and --auto.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SYSTEM_SAMPLER_H
#define IOSPY_SYSTEM_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "system/diskstats.h"
#include "system/procio.h"

/* What the system layer is told (it does not see the command line). */
struct system_settings {
	const char *proc_root;	/* "/proc" */
	const char *sys_root;	/* "/sys" */
	double interval;	/* seconds between samples (1) */
	bool once;		/* --once: one sample, then print and exit */
	const char *json_file;	/* --once --json FILE ("-" = stdout) */
	double auto_secs;	/* --auto: seconds sampled before attaching (3) */
	pid_t exclude_pid;	/* not a candidate (iospy itself), 0 = none */
};

/* Defaults for the fields above. */
void system_settings_defaults(struct system_settings *s);

/* One thread's own counters (/proc/PID/task/TID/io). */
struct sys_task {
	pid_t tid;
	struct procio io;
};

/*
 * One process in a sample.  /proc/PID/io adds to the live threads' counters
 * those of its dead threads and of every child it reaped, so a shell or
 * make would seem to write what its children wrote, all at once when it
 * reaps them.  Rates are therefore taken from the live threads' own
 * counters (tasks) when they could be read: a thread that exits during
 * an interval loses that interval's bytes, a reaped child never counts
 * for its parent.
 */
struct sys_proc {
	pid_t pid;
	uint64_t start;		/* start time (ticks): a reused pid differs */
	char comm[64];		/* raw bytes */
	bool readable;		/* /proc/PID/io could be read */
	struct procio io;
	struct sys_task *tasks;	/* sorted by tid; NULL: use io */
	size_t ntasks;
};

/* A sample of the whole system. */
struct sys_sample {
	int64_t mono_ns;
	struct disk_stat *disks;
	size_t ndisks;
	struct sys_proc *procs;	/* sorted by pid */
	size_t nprocs;
	size_t unreadable;	/* processes whose io was denied */
};

/* One process's rates over an interval. */
struct sys_proc_rate {
	pid_t pid;
	char comm[64];
	bool appeared;		/* started during the interval: from 0 */
	struct procio delta;
	double write_bytes_s, wchar_s, syscw_s, cancelled_s;
};

/* The rates between two samples. */
struct sys_rates {
	double secs;
	struct disk_rate *disks;	/* whole disks first, by wkB/s */
	size_t ndisks;
	size_t disks_gone;
	struct sys_proc_rate *procs;	/* by write_bytes/s, then wchar/s */
	size_t nprocs;			/* readable ones */
	size_t unreadable;		/* in the later sample */
	size_t total;			/* processes in the later sample */
};

/*
 * Take a sample (fills *s; free with sampler_sample_free).  Returns 0, or
 * -1 with err set when /proc/diskstats or the process list cannot be read.
 */
int sampler_take(const struct system_settings *set, struct sys_sample *s,
    char *err, size_t errsz);

/* Free what a sample holds. */
void sampler_sample_free(struct sys_sample *s);

/*
 * Mark each disk of a sample as partition or not from the sysfs tree
 * (sys_root/dev/block/MAJ:MIN/partition exists).
 */
void sampler_mark_partitions(const char *sys_root, struct disk_stat *d,
    size_t n);

/* The rates between prev and cur (cur taken later); free with
   sampler_rates_free. */
void sampler_rates(const struct sys_sample *prev, const struct sys_sample *cur,
    struct sys_rates *r);

/* Free what rates hold. */
void sampler_rates_free(struct sys_rates *r);

/*
 * The top writer of r other than exclude: most write_bytes/s, else (when
 * no process dirtied anything) most wchar/s; NULL when nothing wrote.
 */
const struct sys_proc_rate *sampler_top_writer(const struct sys_rates *r,
    pid_t exclude);

#endif /* IOSPY_SYSTEM_SAMPLER_H */
