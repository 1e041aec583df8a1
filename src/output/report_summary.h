/*
 * report_summary.h: strace's -c / -C summary table.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_REPORT_SUMMARY_H
#define IOSPY_REPORT_SUMMARY_H

#include <stdio.h>

#include "analysis/syscount.h"

/*
 * Write the table to f as strace -c -w writes it (% time, seconds,
 * usecs/call, calls, errors, syscall; by time), with a note when no call
 * time is known (a replayed log recorded without -T).  0, or -1 if a
 * write failed.
 */
int report_summary(FILE *f, struct syscount *sc);

#endif /* IOSPY_REPORT_SUMMARY_H */
