/*
 * diskstats.h: /proc/diskstats, one record per block device, and the
 * per-interval rates iostat -x prints for writes (w/s, wkB/s, w_await,
 * %util), with counter wrap and devices that come and go handled.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SYSTEM_DISKSTATS_H
#define IOSPY_SYSTEM_DISKSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DISKSTATS_NAME_MAX 64

/* One line of /proc/diskstats (the write side and the busy time). */
struct disk_stat {
	unsigned major, minor;
	char name[DISKSTATS_NAME_MAX];
	uint64_t writes;	/* field 8: writes completed */
	uint64_t sectors;	/* field 10: 512-byte sectors written */
	uint64_t write_ms;	/* field 11: ms spent writing (all writes) */
	uint64_t io_ms;		/* field 13: ms with I/O in flight (io_ticks) */
	bool partition;		/* set by the caller from /sys (see sampler) */
};

/* The write rates of one device over an interval. */
struct disk_rate {
	unsigned major, minor;
	char name[DISKSTATS_NAME_MAX];
	bool partition;
	bool appeared;		/* not in the earlier sample: counted from 0 */
	uint64_t writes, sectors, write_ms, io_ms;	/* deltas */
	double w_s;		/* writes completed per second */
	double wkb_s;		/* kB (1024) written per second */
	double w_await_ms;	/* mean ms per write (0 when none) */
	double util_pct;	/* % of the interval with I/O in flight, <= 100 */
};

/*
 * Parse the text of /proc/diskstats.  Lines it cannot read are skipped and
 * counted in *bad (the first one's number in *bad_line).  Returns a
 * malloc'ed array (free()) of *n records, NULL when *n is 0.
 */
struct disk_stat *diskstats_parse(const char *text, size_t *n, size_t *bad,
    size_t *bad_line);

/*
 * cur - prev of one counter.  The kernel keeps some of these in 32 bits
 * (the ms counters of older kernels, and every counter on 32-bit ones), so
 * a value that went down from one that fits in 32 bits wrapped at 2^32; a
 * 64-bit counter that went down was reset (the device was re-created), and
 * counts from 0.
 */
uint64_t diskstats_counter_delta(uint64_t prev, uint64_t cur);

/*
 * The rates between two samples taken secs apart: one record per device
 * of cur (a device new in cur counts from 0 and is marked appeared).
 * *gone gets the number of devices of prev missing from cur.  Returns a
 * malloc'ed array of *n records (NULL when *n is 0).
 */
struct disk_rate *diskstats_rates(const struct disk_stat *prev, size_t nprev,
    const struct disk_stat *cur, size_t ncur, double secs, size_t *n,
    size_t *gone);

#endif /* IOSPY_SYSTEM_DISKSTATS_H */
