/*
 * umem.c: tracee memory access (stub, see issue 3).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include "umem.h"

ssize_t
umem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	(void)tid; (void)addr; (void)buf; (void)len;
	return -1;
}

ssize_t
umem_read_str(pid_t tid, uint64_t addr, char *buf, size_t bufsz, int *truncated)
{
	(void)tid; (void)addr; (void)buf; (void)bufsz; (void)truncated;
	return -1;
}
