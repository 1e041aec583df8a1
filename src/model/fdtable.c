/*
 * fdtable.c: fd -> path tables.
 *
 * fds are small dense integers, so a table is an array indexed by fd that
 * grows on demand: a lookup per write is one bounds check and one load.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/fdtable.h"
#include "base/util.h"

/* fds above this are not tracked (the kernel's default nr_open is 1M). */
#define FDTABLE_MAX_FD (1 << 22)

struct fdtable {
	int refs;
	size_t cap;		/* slots allocated */
	size_t count;		/* open fds */
	struct fd_entry **fds;
};

struct fdtable *
fdtable_new(void)
{
	struct fdtable *t = xcalloc(1, sizeof(*t));

	t->refs = 1;
	return t;
}

static struct fd_entry *
entry_new(const char *path, bool cloexec)
{
	struct fd_entry *e = xcalloc(1, sizeof(*e));

	e->path = path ? xstrdup(path) : NULL;
	e->cloexec = cloexec;
	return e;
}

static void
entry_free(struct fd_entry *e)
{
	if (e != NULL) {
		free(e->path);
		free(e);
	}
}

struct fdtable *
fdtable_copy(const struct fdtable *t)
{
	struct fdtable *c = fdtable_new();
	size_t i;

	if (t->cap == 0)
		return c;
	c->cap = t->cap;
	c->fds = xcalloc(c->cap, sizeof(*c->fds));
	for (i = 0; i < t->cap; i++) {
		const struct fd_entry *e = t->fds[i];

		if (e == NULL)
			continue;
		c->fds[i] = entry_new(e->path, e->cloexec);
		c->fds[i]->deleted = e->deleted;
		c->fds[i]->unknown = e->unknown;
		c->fds[i]->named_write = e->named_write;
		c->fds[i]->nameless = e->nameless;
		c->count++;
	}
	return c;
}

struct fdtable *
fdtable_ref(struct fdtable *t)
{
	t->refs++;
	return t;
}

void
fdtable_unref(struct fdtable *t)
{
	size_t i;

	if (t == NULL || --t->refs > 0)
		return;
	for (i = 0; i < t->cap; i++)
		entry_free(t->fds[i]);
	free(t->fds);
	free(t);
}

const struct fd_entry *
fdtable_get(const struct fdtable *t, int fd)
{
	if (fd < 0 || (size_t)fd >= t->cap)
		return NULL;
	return t->fds[fd];
}

static struct fd_entry **
slot(struct fdtable *t, int fd)
{
	if (fd < 0 || fd >= FDTABLE_MAX_FD)
		return NULL;
	if ((size_t)fd >= t->cap) {
		size_t ncap = t->cap ? t->cap : 64;

		while (ncap <= (size_t)fd)
			ncap *= 2;
		t->fds = xrealloc(t->fds, ncap * sizeof(*t->fds));
		memset(t->fds + t->cap, 0, (ncap - t->cap) * sizeof(*t->fds));
		t->cap = ncap;
	}
	return &t->fds[fd];
}

static void
put(struct fdtable *t, int fd, struct fd_entry *e)
{
	struct fd_entry **s = slot(t, fd);

	if (s == NULL) {
		entry_free(e);
		return;
	}
	if (*s != NULL)
		entry_free(*s);
	else
		t->count++;
	*s = e;
}

void
fdtable_set(struct fdtable *t, int fd, const char *path, bool cloexec)
{
	put(t, fd, entry_new(path, cloexec));
}

void
fdtable_set_unknown(struct fdtable *t, int fd)
{
	struct fd_entry *e = entry_new(NULL, false);

	e->unknown = true;
	put(t, fd, e);
}

void
fdtable_close(struct fdtable *t, int fd)
{
	if (fd < 0 || (size_t)fd >= t->cap || t->fds[fd] == NULL)
		return;
	entry_free(t->fds[fd]);
	t->fds[fd] = NULL;
	t->count--;
}

void
fdtable_close_range(struct fdtable *t, int first, int last, bool cloexec_only)
{
	size_t i, end;

	if (first < 0 || last < first)
		return;
	end = (size_t)last + 1 < t->cap ? (size_t)last + 1 : t->cap;
	for (i = (size_t)first; i < end; i++) {
		if (t->fds[i] == NULL)
			continue;
		if (cloexec_only)
			t->fds[i]->cloexec = true;
		else
			fdtable_close(t, (int)i);
	}
}

bool
fdtable_dup(struct fdtable *t, int oldfd, int newfd, bool cloexec)
{
	const struct fd_entry *o = fdtable_get(t, oldfd);
	struct fd_entry *e;

	if (oldfd == newfd)
		return o != NULL;
	if (o == NULL) {
		fdtable_close(t, newfd);
		return false;
	}
	e = entry_new(o->path, cloexec);
	e->deleted = o->deleted;
	e->unknown = o->unknown;
	e->named_write = o->named_write;
	e->nameless = o->nameless;
	put(t, newfd, e);
	return true;
}

void
fdtable_set_cloexec(struct fdtable *t, int fd, bool cloexec)
{
	if (fd >= 0 && (size_t)fd < t->cap && t->fds[fd] != NULL)
		t->fds[fd]->cloexec = cloexec;
}

void
fdtable_exec(struct fdtable *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		if (t->fds[i] != NULL && t->fds[i]->cloexec)
			fdtable_close(t, (int)i);
}

void
fdtable_unlinked(struct fdtable *t, const char *path, bool own)
{
	size_t i;

	for (i = 0; i < t->cap; i++) {
		struct fd_entry *e = t->fds[i];

		if (e == NULL || e->path == NULL || strcmp(e->path, path) != 0)
			continue;
		if (own && !e->deleted && !e->named_write)
			e->nameless = true;
		e->deleted = true;
	}
}

bool
fdtable_note_write(struct fdtable *t, int fd, bool ok)
{
	struct fd_entry *e;

	if (fd < 0 || (size_t)fd >= t->cap || (e = t->fds[fd]) == NULL)
		return false;
	if (!e->deleted && ok)
		e->named_write = true;
	return e->deleted && e->nameless;
}

void
fdtable_renamed(struct fdtable *t, const char *from, const char *to)
{
	size_t i;

	for (i = 0; i < t->cap; i++) {
		struct fd_entry *e = t->fds[i];

		if (e != NULL && e->path != NULL && !e->deleted &&
		    strcmp(e->path, from) == 0) {
			free(e->path);
			e->path = xstrdup(to);
		}
	}
}

size_t
fdtable_count(const struct fdtable *t)
{
	return t->count;
}
