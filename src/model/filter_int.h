/*
 * filter_int.h: the syscall name table filter.c checks -e trace= against
 * (sysnames.c).  Private to src/model/filter*.c.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_FILTER_INT_H
#define IOSPY_FILTER_INT_H

#include <stddef.h>

/* One syscall name and its number on x86_64 and i386 (-1: none). */
struct sysname {
	const char *name;
	short nr64;
	short nr32;
};

/* Every name of both ABIs, sorted by strcmp. */
extern const struct sysname sysnames[];
extern const size_t nsysnames;

#endif /* IOSPY_FILTER_INT_H */
