/*
 * stats.h: streaming aggregation of events per process and per file:
 * write counts and size histograms, memory churn, rotation, deleted files.
 * Consumes struct io_event only (a pipeline sink).
 *
 * Memory is bounded: one struct stats_file per (process, path) (720
 * bytes, its path shared with the rotation record), a sparse log2
 * histogram in each (allocated past its first bucket), at most STATS_STACKS_MAX stack groups
 * per file, the live anonymous mappings of each process (churn.h) and one
 * record per path (rotation.h).  No event is kept.
 *
 * The structures are read-only for the report and limits modules.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_STATS_H
#define IOSPY_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uthash.h>

#include "analysis/churn.h"
#include "model/event.h"
#include "analysis/settings.h"
#include "analysis/rotation.h"

/*
 * Log2 histogram of sizes: bucket 0 holds 0, bucket k (1..64) holds
 * [2^(k-1), 2^k - 1].  Exact count, sum, min and max on the side.
 *
 * Sparse: only the non-empty buckets are kept, in ascending order, the
 * first one inside the struct and the rest in an array allocated when a
 * second bucket is hit (most files see a handful of writes of one size
 * class), so an empty or one-bucket histogram costs 72 bytes and no
 * allocation.  Start from all zeros; stats_hist_free() releases it.
 */
#define STATS_HIST_BUCKETS 65

struct stats_hbin {
	uint64_t count;
	uint64_t min, max;		/* smallest and largest value seen */
	uint32_t k;			/* the bucket */
};

struct stats_hist {
	uint64_t n;
	uint64_t min, max;
	struct stats_hbin one;		/* the only bin while cap == 0 */
	struct stats_hbin *bins;	/* nb bins when cap > 0 */
	uint8_t nb, cap;
};

/* The non-empty buckets, ascending (*nb of them). */
const struct stats_hbin *stats_hist_bins(const struct stats_hist *h,
    size_t *nb);

/* The count of bucket k. */
uint64_t stats_hist_count(const struct stats_hist *h, int k);

/* Add every value of from to to (bucket by bucket). */
void stats_hist_merge(struct stats_hist *to, const struct stats_hist *from);

/* Release what it allocated; it is empty afterwards. */
void stats_hist_free(struct stats_hist *h);

/* Add one value. */
void stats_hist_add(struct stats_hist *h, uint64_t v);

/* Bucket index of a value. */
int stats_hist_bucket(uint64_t v);

/* Smallest and largest value of bucket k. */
uint64_t stats_hist_lo(int k);
uint64_t stats_hist_hi(int k);

/*
 * The q-quantile (0..1) estimate: find the bucket holding the rank
 * ceil(q * n), then interpolate linearly between the smallest and largest
 * value seen in that bucket.  Exact when the values in that bucket are all
 * equal (the common case: fixed-size writes), for the first and last rank,
 * and never off by more than the spread of that one bucket (under a factor
 * of 2).  0 when empty.
 */
uint64_t stats_hist_quantile(const struct stats_hist *h, double q);

/* Identical call stacks grouped per file. */
#define STATS_STACKS_MAX 64

struct stats_stack {
	uint64_t hash;
	struct io_stack stack;		/* strings owned (copied) */
	uint64_t count, bytes, max;
	struct stats_stack *next;
};

/* What kind of thing a path names. */
enum stats_kind {
	SK_FILE = 0,	/* an absolute path of a regular file (or unknown) */
	SK_DEVICE,	/* /dev/... but not a tty */
	SK_TTY,		/* /dev/pts/N, /dev/ttyN, /dev/console */
	SK_PIPE,	/* pipe:[...] */
	SK_SOCKET,	/* socket:[...] */
	SK_UNKNOWN_FD,	/* fd N (opened before the trace) */
	SK_OTHER,	/* anon_inode:..., /memfd:..., /proc, /sys */
};

/* Name of a kind for the JSON ("file", "pipe" ...). */
const char *stats_kind_name(enum stats_kind k);

/* The kind of a path. */
enum stats_kind stats_path_kind(const char *path, bool fd_unknown);

#define STATS_ERRS 8

struct stats_proc;

/* One (process, path). */
struct stats_file {
	char *path;			/* the rotation record's when rp != NULL */
	bool path_shared;		/* path is rp->path (not owned) */
	enum stats_kind kind;
	struct stats_proc *proc;
	struct rotation_path *rp;	/* path-level facts, or NULL */
	struct stats_file *merged_into;	/* atomic replace: counted there */

	/* writes */
	uint64_t writes, bytes;		/* successful write-like calls */
	uint64_t shorts;		/* moved less than asked */
	uint64_t eof_transfers;		/* sendfile/splice/copy_file_range
					   that returned 0: end of the input,
					   not a write (counted nowhere else) */
	uint64_t unfinished;		/* never returned ("= ?") */
	uint64_t errors;		/* failed calls */
	struct { int err; uint64_t n; } errs[STATS_ERRS];
	uint64_t errs_other;
	struct stats_hist hist;
	uint64_t big_writes, big_bytes, big_min;	/* >= notable.write_size */
	uint64_t over_max_write;	/* writes above --max-write */
	int64_t first_ns, last_ns;	/* first/last write (IO_TIME_UNKNOWN) */
	uint64_t first_bytes;		/* bytes of the first timed write */
	/* the busiest STATS_PEAK_NS window, windows aligned on first_ns */
	int64_t win_start_ns;
	uint64_t win_bytes, win_writes;
	uint64_t peak_bytes, peak_writes;
	uint64_t timed_writes;		/* writes whose call time is known */
	struct stats_hist write_ns_hist;	/* their times (ns), for the
					   latency: min, median, p99, max */
	uint64_t write_ns;		/* their time in the call, summed */
	uint64_t fsyncs;
	/* deleted while open */
	uint64_t del_writes, del_bytes;
	/* churn: fresh anonymous bytes made for these writes and given back
	   around them (churn.h) */
	uint64_t churn_bytes;
	uint64_t churn_writes;		/* writes that had fresh maps attributed */
	uint64_t churn_maps;		/* the maps attributed to them */
	uint64_t churn_map_max;		/* the largest of those maps */
	/* atomic replace: temp files folded into this one */
	uint64_t temps_merged;
	/* --max-files: > 0 makes this a directory's record (path "DIR/")
	   holding that many small files folded into it (stats_fold) */
	uint64_t folded_files;
	uint64_t folded_lim_files;	/* of them, files the limits apply to */
	uint64_t folded_lim_bytes;	/* and their bytes */
	uint64_t last_event;		/* st->events at its last write */
	/* stacks */
	struct stats_stack *stacks;
	size_t nstacks;
	uint64_t stacks_other_count, stacks_other_bytes;
	struct stats_stack *worst;	/* group of the largest write */
	/* --interval */
	uint64_t iv_writes, iv_bytes, iv_max, iv_rot;
	bool iv_listed;
	struct stats_file *iv_next;

	UT_hash_handle hh;		/* in proc->files, by path */
};

/* One process (thread group). */
struct stats_proc {
	pid_t pid;
	char *comm;
	char *cmdline;
	char *argv;		/* the argv strings, each with its NUL, or NULL */
	size_t argv_len;
	uint64_t argv_cut;	/* bit i: string i was cut by the source */
	struct churn *churn;
	struct stats_file *files;
	struct stats_file *last;	/* lookup cache */
	struct stats_file *spare;	/* records freed by a merge, for reuse */
	const char *comm_src, *cmdline_src;	/* the event pointers last copied */
	uint64_t writes, bytes;
	uint64_t timed_writes, write_ns;	/* as in stats_file */
	/* --max-files, past the directory records: files kept only in
	   these counts (their records dropped, one process per few files) */
	uint64_t gone_files, gone_writes, gone_bytes;
	uint64_t gone_lim_files, gone_lim_bytes;	/* the limits' share */
	bool exited;
	int exit_code, exit_signal;
	UT_hash_handle hh;
};

struct stats {
	const struct notable_config *notable;	/* the findings' thresholds */
	const struct limits_config *limits;
	int64_t start_ns, end_ns;	/* stats_set_span */
	int64_t first_ns, last_ns;	/* event timestamps seen */
	uint64_t events;
	uint64_t writes, bytes;
	struct stats_proc *procs;
	struct stats_proc *last;
	struct stats_proc *pcache[64];	/* by pid % 64, behind last */
	struct rotation *rot;
	/* --interval */
	struct stats_file *iv_head;
	int64_t iv_last_ns;
	/* --max-files (stats_set_max_files) */
	uint64_t max_files;		/* 0: no cap */
	uint64_t nfiles;		/* file records now (folded ones too) */
	uint64_t next_fold;		/* fold again when nfiles reaches it */
	uint64_t folded_files;		/* files folded so far */
	uint64_t fold_records;		/* directory records made for them */
	uint64_t gone_files;		/* of them, in process totals only */
	uint64_t gone_procs;		/* processes holding some */
	uint64_t folds;			/* times it folded */
	uint64_t rot_sweep_at;		/* rotation records kept at the last
					   sweep */
	/* with --max-file-bytes: bytes of folded files by path hash, so
	   a path folded and written again is judged on all its bytes */
	struct stats_fbytes { uint64_t hash, bytes; } *fb;
	size_t fb_cap, fb_n;
	uint64_t fold_short;		/* records over the cap the last fold
					   had to keep (findings, limits) */
};

/*
 * --max-files: the most file records kept (default
 * STATS_MAX_FILES_DEFAULT; 0 = no cap).  Past it, the smallest files (by
 * bytes, then writes) are folded into one record per (process,
 * directory), path "DIR/", until a quarter of the cap is free; when the
 * directories are too many, the directory records fold into their
 * parents; when one process writes a few files each (a build's
 * compilers), the smallest directory records are dropped into their
 * process's counts (gone_*).  Totals per process and in all stay exact.  A file that is a
 * finding or that a limit judges is never folded (big writes, a rate
 * finding, a write as slow as --notable-latency, churn, writes after unlink, rotation history, stacks, a write
 * above --max-write, half --max-file-bytes or more, counting what of it
 * was folded before: 16 bytes per folded path then): verdicts do not
 * change.  Nor is a file written in the last quarter-cap events (it is
 * likely still open).  A folded file written again starts a new record.
 */
#define STATS_MAX_FILES_DEFAULT 200000
void stats_set_max_files(struct stats *st, uint64_t max_files);

/* Fold now (stats_event calls it when the cap is passed). */
void stats_fold(struct stats *st);

/* With --max-file-bytes: the bytes of path that went into folded records
   (0 when none).  A path is never folded once they and its record's
   reach half the limit, so a limit check adds them to its record's. */
uint64_t stats_folded_bytes(const struct stats *st, const char *path);

/* A new, empty aggregation using these thresholds (kept by pointer). */
struct stats *stats_new(const struct notable_config *notable,
    const struct limits_config *limits);

/* Free it. */
void stats_free(struct stats *st);

/* The pipeline sink: account one event (ctx is a struct stats *). */
void stats_event(void *ctx, const struct io_event *ev);

/* The run's wall-clock span, for rates (ns since the epoch, or relative). */
void stats_set_span(struct stats *st, int64_t start_ns, int64_t end_ns);

/* The span used for rates in ns (set span, else the events'), 0 if unknown;
   *start gets its start. */
int64_t stats_duration(const struct stats *st, int64_t *start);

/* Processes sorted by bytes written (largest first); free() the array. */
struct stats_proc **stats_sorted_procs(const struct stats *st, size_t *n);

/* A process's files that are reported (not merged away), largest first;
   free() the array. */
struct stats_file **stats_sorted_files(const struct stats_proc *pr, size_t *n);

/* A file's stack groups, largest bytes first; free() the array. */
struct stats_stack **stats_sorted_stacks(const struct stats_file *sf, size_t *n);

/* True if the file record has anything worth reporting. */
bool stats_file_reportable(const struct stats_file *sf);

/* "comm (pid N)" with the name escaped ("pid N" when unknown), into buf. */
const char *stats_proc_label(const struct stats_proc *pr, char *buf, size_t bufsz);

/* churn_bytes / bytes (0 when nothing was written). */
double stats_file_churn_ratio(const struct stats_file *sf);

/*
 * Churn is a pattern, not a one-off: at least STATS_CHURN_MIN_WRITES
 * writes had fresh memory made for them and given back, and they are at
 * least 1 in STATS_CHURN_SHARE of the file's writes.  Only then is the
 * churn a finding or checked against --max-churn.
 */
#define STATS_CHURN_MIN_WRITES 2
#define STATS_CHURN_SHARE 10
bool stats_file_churn_shown(const struct stats_file *sf);

/* The window the peak rate is measured over: 1 s. */
#define STATS_PEAK_NS 1000000000LL

/* The file's active time: first to last write in ns (0 if unknown or a
   single instant). */
int64_t stats_file_active_ns(const struct stats_file *sf);

/* Bytes/s and writes/s over the active time (what followed the first
   write, over the time since it); false when the active time is 0. */
bool stats_file_rate(const struct stats_file *sf, double *bytes_s,
    double *writes_s);

#endif /* IOSPY_STATS_H */
