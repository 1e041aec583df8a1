/*
 * tracer.c: ptrace engine (stub, see issue 3).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdio.h>

#include "tracer.h"

int
tracer_launch(const struct config *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct tracer_result *res,
    char *err, size_t errsz)
{
	(void)cfg; (void)pl; (void)hooks; (void)res;
	snprintf(err, errsz, "live tracing is not implemented yet");
	return -1;
}

int
tracer_attach(const struct config *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct tracer_result *res,
    char *err, size_t errsz)
{
	(void)cfg; (void)pl; (void)hooks; (void)res;
	snprintf(err, errsz, "live tracing is not implemented yet");
	return -1;
}
