/*
 * syscount.c: calls, errors and time per syscall (strace -c).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "analysis/syscount.h"
#include "base/util.h"
#include "model/syscalls.h"

struct sc_ent {
	struct syscount_row row;
	char *name;
	UT_hash_handle hh;
};

struct syscount {
	struct sc_ent *ents;
	struct syscount_row *rows;
	size_t nrows;
};

struct syscount *
syscount_new(void)
{
	return xcalloc(1, sizeof(struct syscount));
}

/* The x86_64 number of a call named name, for strace's order of ties. */
static int
order_of(const char *name)
{
	long nr;

	for (nr = 0; nr < 600; nr++) {
		const struct syscalls_ent *e = syscalls_lookup(64, nr);

		if (e != NULL && strcmp(e->name, name) == 0)
			return (int)nr;
	}
	return 100000;
}

void
syscount_event(void *ctx, const struct io_event *ev)
{
	struct syscount *sc = ctx;
	struct sc_ent *e;
	const char *name = ev->name;

	if (ev->cls == IOC_PSEUDO || name == NULL)
		return;
	/* a call that never returned (exit_group, killed) is not counted,
	   as strace counts calls at their exit */
	if ((ev->ret == IO_RET_UNKNOWN && ev->err == 0) ||
	    ev->sys == IOSYS_EXIT || ev->sys == IOSYS_EXIT_GROUP)
		return;
	HASH_FIND_STR(sc->ents, name, e);
	if (e == NULL) {
		e = xcalloc(1, sizeof(*e));
		e->name = xstrdup(name);
		e->row.name = e->name;
		e->row.order = order_of(name);
		HASH_ADD_KEYPTR(hh, sc->ents, e->name, strlen(e->name), e);
	}
	e->row.calls++;
	if (ev->err != 0)
		e->row.errors++;
	if (ev->dur_ns >= 0) {
		e->row.timed++;
		e->row.ns += (uint64_t)ev->dur_ns;
	}
}

static int
cmp_row(const void *a, const void *b)
{
	const struct syscount_row *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->name, y->name);
}

const struct syscount_row *
syscount_rows(struct syscount *sc, size_t *n)
{
	struct sc_ent *e, *tmp;
	size_t i = 0;

	free(sc->rows);
	sc->nrows = HASH_COUNT(sc->ents);
	sc->rows = xcalloc(sc->nrows + 1, sizeof(*sc->rows));
	HASH_ITER(hh, sc->ents, e, tmp)
		sc->rows[i++] = e->row;
	qsort(sc->rows, sc->nrows, sizeof(*sc->rows), cmp_row);
	*n = sc->nrows;
	return sc->rows;
}

void
syscount_free(struct syscount *sc)
{
	struct sc_ent *e, *tmp;

	if (sc == NULL)
		return;
	HASH_ITER(hh, sc->ents, e, tmp) {
		HASH_DEL(sc->ents, e);
		free(e->name);
		free(e);
	}
	free(sc->rows);
	free(sc);
}
