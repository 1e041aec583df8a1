/*
 * syscount.h: calls, errors and time per syscall, for the strace -c / -C
 * summary table (output/report_summary.c).  A pipeline sink; counts the
 * calls a source delivers (iospy decodes file I/O, memory and process
 * calls, not every syscall: the table says so).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SYSCOUNT_H
#define IOSPY_SYSCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/event.h"

struct syscount;

/* One syscall's row. */
struct syscount_row {
	const char *name;	/* as the source named it ("mmap2") */
	uint64_t calls, errors;
	uint64_t timed;		/* calls whose time is known */
	uint64_t ns;		/* their time, summed */
	int order;		/* the x86_64 number, for ties (or large) */
};

struct syscount *syscount_new(void);

/* The pipeline sink (ctx is a struct syscount *): every completed call. */
void syscount_event(void *ctx, const struct io_event *ev);

/* The rows sorted as strace sorts them (time, descending; then by
 * syscall number); *n of them.  Valid until the next event or free. */
const struct syscount_row *syscount_rows(struct syscount *sc, size_t *n);

void syscount_free(struct syscount *sc);

#endif /* IOSPY_SYSCOUNT_H */
