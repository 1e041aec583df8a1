/*
 * seccomp.c: seccomp-bpf filter (stub, see issue 3).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>

#include "seccomp.h"

int
seccomp_install_filter(void)
{
	errno = ENOSYS;
	return -1;
}
