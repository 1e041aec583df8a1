/*
 * report_latency.c: the latency of the writes to each file.
 *
 * The times are those of the calls (entry to exit, wall clock): under
 * ptrace they include the two stops, so they are an upper bound of what
 * the kernel spent; min and max are exact, median and p99 come from the
 * log2 histogram (within its bucket, interpolated).
 *
 * The finding needs a regular file (a write to a pipe, socket or terminal
 * waits for its reader: that is flow control, not slow storage), enough
 * timed writes for a p99 to mean something, and a p99 of at least
 * --notable-latency (100 ms: page-cache writes take microseconds; even a
 * disk-bound write-back rarely holds a write that long).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "output/report_latency.h"
#include "output/report_text_int.h"

static const char *
ns_str(uint64_t ns, char *buf, size_t bufsz)
{
	if (ns < 1000) {
		snprintf(buf, bufsz, "%" PRIu64 " ns", ns);
		return buf;
	}
	return fmt_secs((double)ns / 1e9, buf, bufsz);
}

bool
report_latency_text(const struct stats_file *sf, char *buf, size_t bufsz)
{
	const struct stats_hist *h = &sf->write_ns_hist;
	char a[32], b[32], c[32], d[32];

	if (h->n == 0)
		return false;
	snprintf(buf, bufsz, "min %s, median %s, p99 %s, max %s (%" PRIu64
	    " timed write%s)", ns_str(h->min, a, sizeof(a)),
	    ns_str(stats_hist_quantile(h, 0.5), b, sizeof(b)),
	    ns_str(stats_hist_quantile(h, 0.99), c, sizeof(c)),
	    ns_str(h->max, d, sizeof(d)), h->n, plural(h->n));
	return true;
}

bool
report_latency_notable(const struct stats_file *sf,
    const struct notable_config *notable)
{
	const struct stats_hist *h = &sf->write_ns_hist;

	if (sf->kind != SK_FILE || notable->latency_ns <= 0 ||
	    h->n < notable->latency_min || h->n == 0)
		return false;
	return stats_hist_quantile(h, 0.99) >= (uint64_t)notable->latency_ns;
}

void
report_latency_clause(const struct stats_file *sf, const char *path,
    char *buf, size_t bufsz)
{
	const struct stats_hist *h = &sf->write_ns_hist;
	char a[32], b[32], c[32];

	snprintf(buf, bufsz, "; writes to %s take %s each at p99 (median %s, "
	    "max %s, %" PRIu64 " timed)", path,
	    ns_str(stats_hist_quantile(h, 0.99), a, sizeof(a)),
	    ns_str(stats_hist_quantile(h, 0.5), b, sizeof(b)),
	    ns_str(h->max, c, sizeof(c)), h->n);
}
