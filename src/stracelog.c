/*
 * stracelog.c: strace log parser (stub, see issue 5).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include "stracelog.h"

int
stracelog_replay(const struct config *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, FILE *diag,
    struct stracelog_result *res, char *err, size_t errsz)
{
	(void)cfg; (void)pl; (void)hooks; (void)diag; (void)res;
	snprintf(err, errsz, "replay is not implemented yet");
	return -1;
}
