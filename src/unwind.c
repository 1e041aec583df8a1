/*
 * unwind.c: libunwind-ptrace stacks (stub, see issue 7).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stddef.h>

#include "unwind.h"

bool
unwind_available(void)
{
	return false;
}

struct unwinder *
unwind_new(void)
{
	return NULL;
}

void
unwind_free(struct unwinder *u)
{
	(void)u;
}

int
unwind_capture(struct unwinder *u, pid_t pid, pid_t tid, struct io_stack *out)
{
	(void)u; (void)pid; (void)tid; (void)out;
	return -1;
}

void
unwind_thread_gone(struct unwinder *u, pid_t tid)
{
	(void)u; (void)tid;
}

void
unwind_maps_changed(struct unwinder *u, pid_t pid)
{
	(void)u; (void)pid;
}

unsigned long
unwind_count(const struct unwinder *u)
{
	(void)u;
	return 0;
}
