/*
 * bench/stats_mem.c: feed N synthetic events through the pipeline into
 * stats_event and print the peak RSS, to show that the aggregation's
 * memory does not grow with the number of events.
 *
 *   bench/stats_mem 1000
 *   bench/stats_mem 10000000
 *
 * The events: one process, 4 threads, 8 files, write sizes from 1 B to
 * 8 MiB, an anonymous mmap/munmap pair around every 16th write, an lseek,
 * and a rotation (unlink .1, rename, reopen) every 100,000 events.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include "cli/options.h"
#include "model/pipeline.h"
#include "analysis/stats.h"
#include "model/syscalls.h"
#include "base/util.h"

static void
emit(struct pipeline *pl, struct io_event *ev, pid_t tid, enum io_sys sys,
    int64_t ts)
{
	ev->tid = tid;
	ev->pid = 100;
	ev->sys = sys;
	ev->cls = syscalls_class(sys);
	ev->name = syscalls_name(sys);
	ev->ts_ns = ts;
	pipeline_event(pl, ev);
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct pipeline *pl;
	struct stats *st;
	struct io_event ev;
	struct rusage ru;
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000, i;
	uint64_t seed = 88172645463325252ULL;
	int64_t ts = 1592755197000000000LL;
	char path[64];
	int f;
	struct timespec t0, t1;

	options_defaults(&cfg);
	pl = pipeline_new();
	st = stats_new(&cfg.notable, &cfg.limits);
	pipeline_add_sink(pl, stats_event, st);
	pipeline_name_process(pl, 100, "bench", "bench --synthetic");
	for (f = 0; f < 8; f++) {
		io_event_init(&ev);
		snprintf(path, sizeof(path), "/tmp/bench/file%d.log", f);
		ev.fd = AT_FDCWD;
		ev.path = path;
		ev.flags = O_WRONLY | O_CREAT | O_APPEND;
		ev.ret = 3 + f;
		emit(pl, &ev, 100, IOSYS_OPENAT, ts);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		pid_t tid = 100 + (pid_t)(i % 4);

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		ts += 1000;
		io_event_init(&ev);
		if (i % 100000 == 99999) {
			/* a rotation of file0 */
			ev.path = "/tmp/bench/file0.log.1";
			ev.ret = 0;
			emit(pl, &ev, 100, IOSYS_UNLINK, ts);
			io_event_init(&ev);
			ev.path = "/tmp/bench/file0.log";
			ev.path2 = "/tmp/bench/file0.log.1";
			ev.ret = 0;
			emit(pl, &ev, 100, IOSYS_RENAME, ts);
			io_event_init(&ev);
			ev.fd = 3;
			ev.ret = 0;
			emit(pl, &ev, 100, IOSYS_CLOSE, ts);
			io_event_init(&ev);
			ev.fd = AT_FDCWD;
			ev.path = "/tmp/bench/file0.log";
			ev.flags = O_WRONLY | O_CREAT | O_APPEND;
			ev.ret = 3;
			emit(pl, &ev, 100, IOSYS_OPENAT, ts);
			continue;
		}
		if (i % 16 == 0) {
			ev.len = 2 << 20;
			ev.flags = MAP_PRIVATE | MAP_ANONYMOUS;
			ev.ret = (int64_t)(0x7f0000000000ULL + (uint64_t)tid * 0x10000000ULL);
			emit(pl, &ev, tid, IOSYS_MMAP, ts);
			io_event_init(&ev);
		}
		if (i % 16 == 1) {
			ev.addr = 0x7f0000000000ULL + (uint64_t)tid * 0x10000000ULL;
			ev.len = 2 << 20;
			ev.ret = 0;
			emit(pl, &ev, tid, IOSYS_MUNMAP, ts);
			io_event_init(&ev);
		}
		if (i % 1000 == 500) {
			ev.fd = 3 + (int)(seed % 8);
			ev.offset = 0;
			ev.cmd = 2;	/* SEEK_END */
			ev.ret = (int64_t)(seed % 1000000);
			emit(pl, &ev, tid, IOSYS_LSEEK, ts);
			continue;
		}
		ev.fd = 3 + (int)(seed % 8);
		ev.count = (seed >> 8) % 64 == 0 ? (seed >> 16) % (8 << 20) + 1 :
		    (seed >> 16) % 4096 + 1;
		ev.ret = (int64_t)ev.count;
		emit(pl, &ev, tid, IOSYS_WRITE, ts);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	printf("events %llu  writes %llu  bytes %llu  rotations %llu  "
	    "peak RSS %ld KiB  %.0f ns/event\n", (unsigned long long)n,
	    (unsigned long long)st->writes, (unsigned long long)st->bytes,
	    (unsigned long long)rotation_total(st->rot), ru.ru_maxrss,
	    n ? ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	    (double)(t1.tv_nsec - t0.tv_nsec)) / (double)n : 0.0);
	stats_free(st);
	pipeline_free(pl);
	options_free(&cfg);
	return 0;
}
