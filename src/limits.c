/*
 * limits.c: CI limits (stub, see issue 6).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>

#include "limits.h"
#include "util.h"

struct limits_result {
	size_t broken;
};

struct limits_result *
limits_check(const struct stats *st, const struct config *cfg)
{
	(void)st; (void)cfg;
	return xcalloc(1, sizeof(struct limits_result));
}

size_t
limits_broken(const struct limits_result *lr)
{
	return lr->broken;
}

int
limits_junit(FILE *f, const struct limits_result *lr, const struct config *cfg)
{
	(void)f; (void)lr; (void)cfg;
	return 0;
}

void
limits_free(struct limits_result *lr)
{
	free(lr);
}
