/*
 * report_summary.c: strace's -c / -C summary table.
 *
 * The columns and widths are strace's (count.c): "%6.2f %11.6f %11lu %9u
 * %9.u %s", errors blank when none, a dashed rule above and below the
 * rows and a total line.  The time is wall time in the call, what strace
 * -w measures (iospy has no per-call system time).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "output/report_summary.h"

static const char rule[] =
    "------ ----------- ----------- --------- --------- ----------------\n";

static void
row(FILE *f, double pct, uint64_t ns, uint64_t calls, uint64_t errors,
    const char *name)
{
	fprintf(f, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " ", pct,
	    (double)ns / 1e9, calls > 0 ? ns / 1000 / calls : 0, calls);
	if (errors > 0)
		fprintf(f, "%9" PRIu64, errors);
	else
		fprintf(f, "%9s", "");
	fprintf(f, " %s\n", name);
}

int
report_summary(FILE *f, struct syscount *sc)
{
	const struct syscount_row *r;
	uint64_t ns = 0, calls = 0, errors = 0, timed = 0;
	size_t n, i;

	r = syscount_rows(sc, &n);
	for (i = 0; i < n; i++) {
		ns += r[i].ns;
		calls += r[i].calls;
		errors += r[i].errors;
		timed += r[i].timed;
	}
	if (n == 0)
		return ferror(f) ? -1 : 0;
	fprintf(f, "%6.6s %11.11s %11.11s %9.9s %9.9s %s\n", "% time",
	    "seconds", "usecs/call", "calls", "errors", "syscall");
	fputs(rule, f);
	for (i = 0; i < n; i++)
		row(f, ns > 0 ? 100.0 * (double)r[i].ns / (double)ns : 0,
		    r[i].ns, r[i].calls, r[i].errors, r[i].name);
	fputs(rule, f);
	row(f, 100.0, ns, calls, errors, "total");
	if (timed == 0)
		fputs("(no call times known: the log was recorded without -T; "
		    "calls and errors only)\n", f);
	else if (timed < calls)
		fprintf(f, "(call times known for %" PRIu64 " of %" PRIu64
		    " calls)\n", timed, calls);
	return ferror(f) ? -1 : 0;
}
