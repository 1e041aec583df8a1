/*
 * limits.h: CI limits (--max-write, --fail-on ...) checked against the
 * aggregated stats; each broken limit is a finding.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LIMITS_H
#define IOSPY_LIMITS_H

#include <stdbool.h>
#include <stdio.h>

#include "options.h"
#include "stats.h"

struct limits_result;

/* Check cfg's limits against st; never NULL. */
struct limits_result *limits_check(const struct stats *st, const struct config *cfg);

/* Number of broken limits. */
size_t limits_broken(const struct limits_result *lr);

/* Write the verdicts as JUnit XML; 0 or -1. */
int limits_junit(FILE *f, const struct limits_result *lr, const struct config *cfg);

/* Free it. */
void limits_free(struct limits_result *lr);

#endif /* IOSPY_LIMITS_H */
