/*
 * threads.h: the table of traced threads, keyed by tid.
 *
 * An engine keeps its own per-thread state in a struct whose first member
 * is a struct live_thread; the table allocates entries of that size (zeroed)
 * and hands them back as struct live_thread pointers for the engine to cast.
 * The last thread looked up is remembered: stops come in runs from one
 * thread, so most look-ups skip the hash.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_THREADS_H
#define IOSPY_THREADS_H

#include <stddef.h>
#include <sys/types.h>
#include <uthash.h>

struct live_thread {
	pid_t tid;
	pid_t tgid;		/* 0 while unknown */
	int abi;		/* SYSCALLS_ABI_* of its last call */
	UT_hash_handle hh;
};

struct live_threads {
	struct live_thread *hash;
	struct live_thread *last;	/* the last one found */
	size_t n;
	size_t size;		/* bytes per entry */
	/* frees what an entry owns (not the entry itself); may be NULL */
	void (*release)(struct live_thread *th);
};

/* An empty table of entries of size bytes (at least a live_thread). */
void live_threads_init(struct live_threads *tab, size_t size,
    void (*release)(struct live_thread *th));

/* The thread tid, or NULL. */
struct live_thread *live_threads_find(struct live_threads *tab, pid_t tid);

/* A new zeroed entry for tid (x86_64 ABI until a call says otherwise). */
struct live_thread *live_threads_add(struct live_threads *tab, pid_t tid,
    pid_t tgid);

/* Forget th and free it. */
void live_threads_del(struct live_threads *tab, struct live_thread *th);

/* Forget every thread. */
void live_threads_clear(struct live_threads *tab);

/* Walk the table; th may be deleted inside the loop. */
#define LIVE_THREADS_EACH(tab, th, tmp) \
	HASH_ITER(hh, (tab)->hash, th, tmp)

#endif /* IOSPY_THREADS_H */
