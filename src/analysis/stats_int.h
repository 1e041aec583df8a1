/*
 * stats_int.h: what stats.c shares with stats_fold.c (not for other
 * modules).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_STATS_INT_H
#define IOSPY_STATS_INT_H

#include "analysis/stats.h"

/* Count from's writes in to, and remove from (freed, or kept as a spare
   while the interval list holds it); st->nfiles goes down by one. */
void stats_merge_records(struct stats *st, struct stats_proc *pr,
    struct stats_file *from, struct stats_file *to);

#endif /* IOSPY_STATS_INT_H */
