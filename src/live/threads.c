/*
 * threads.c: the table of traced threads.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>

#include "base/util.h"
#include "live/threads.h"
#include "model/syscalls.h"

void
live_threads_init(struct live_threads *tab, size_t size,
    void (*release)(struct live_thread *th))
{
	tab->hash = NULL;
	tab->last = NULL;
	tab->n = 0;
	tab->size = size < sizeof(struct live_thread) ?
	    sizeof(struct live_thread) : size;
	tab->release = release;
}

struct live_thread *
live_threads_find(struct live_threads *tab, pid_t tid)
{
	struct live_thread *th;

	if (tab->last != NULL && tab->last->tid == tid)
		return tab->last;
	HASH_FIND(hh, tab->hash, &tid, sizeof(tid), th);
	if (th != NULL)
		tab->last = th;
	return th;
}

struct live_thread *
live_threads_add(struct live_threads *tab, pid_t tid, pid_t tgid)
{
	struct live_thread *th = xcalloc(1, tab->size);

	th->tid = tid;
	th->tgid = tgid;
	th->abi = SYSCALLS_ABI_X86_64;
	HASH_ADD(hh, tab->hash, tid, sizeof(tid), th);
	tab->n++;
	return th;
}

void
live_threads_del(struct live_threads *tab, struct live_thread *th)
{
	if (tab->last == th)
		tab->last = NULL;
	HASH_DEL(tab->hash, th);
	tab->n--;
	if (tab->release != NULL)
		tab->release(th);
	free(th);
}

void
live_threads_clear(struct live_threads *tab)
{
	struct live_thread *th, *tmp;

	LIVE_THREADS_EACH(tab, th, tmp)
		live_threads_del(tab, th);
}
