/*
 * eventlog_ff.c: the event log split as `strace -ff -o FILE` splits it:
 * one FILE.TID per thread, opened when the thread's first line comes,
 * each line without the tid column (the file name says it).  A thread's
 * file is closed after its "+++ exited" line; a tid seen again later in
 * the run (reused) appends to its file rather than truncating it.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "output/eventlog.h"
#include "base/util.h"

struct ff_file {
	pid_t tid;
	FILE *f;		/* NULL once closed */
	struct eventlog *el;
	UT_hash_handle hh;
};

struct eventlog_ff {
	char *base;
	struct eventlog_settings cfg;	/* the caller's, without the tid */
	struct ff_file *files;
	int64_t prev_ns;		/* -r: the previous line of any file */
	bool have_prev;
	int err;			/* the first failure */
	char *errpath;
	unsigned long opened;
};

struct eventlog_ff *
eventlog_ff_new(const char *base, const struct eventlog_settings *cfg)
{
	struct eventlog_ff *ff = xcalloc(1, sizeof(*ff));

	ff->base = xstrdup(base);
	ff->cfg = *cfg;
	ff->cfg.no_tid = true;
	return ff;
}

static void
ff_fail(struct eventlog_ff *ff, const char *path, int e)
{
	if (ff->err != 0)
		return;
	ff->err = e != 0 ? e : EIO;
	ff->errpath = xstrdup(path);
}

/* Close one thread's file, keeping the first error. */
static void
ff_close(struct eventlog_ff *ff, struct ff_file *x)
{
	char path[4096];

	if (x->f == NULL)
		return;
	eventlog_free(x->el);
	x->el = NULL;
	errno = 0;
	if ((ferror(x->f) | fclose(x->f)) != 0) {
		snprintf(path, sizeof(path), "%s.%d", ff->base, (int)x->tid);
		ff_fail(ff, path, errno);
	}
	x->f = NULL;
}

void
eventlog_ff_event(void *ctx, const struct io_event *ev)
{
	struct eventlog_ff *ff = ctx;
	pid_t tid = ev->tid > 0 ? ev->tid : ev->pid;
	struct ff_file *x;

	if (ev->sys == IOSYS_DETACH || tid <= 0)
		return;
	HASH_FIND(hh, ff->files, &tid, sizeof(tid), x);
	if (x == NULL || x->f == NULL) {
		char path[4096];
		bool again = x != NULL;

		snprintf(path, sizeof(path), "%s.%d", ff->base, (int)tid);
		if (x == NULL) {
			x = xcalloc(1, sizeof(*x));
			x->tid = tid;
			HASH_ADD(hh, ff->files, tid, sizeof(tid), x);
		}
		x->f = fopen(path, again ? "ae" : "we");
		if (x->f == NULL) {
			ff_fail(ff, path, errno);
			return;
		}
		x->el = eventlog_new(x->f, &ff->cfg);
		ff->opened++;
	}
	eventlog_set_prev(x->el, ff->prev_ns, ff->have_prev);
	eventlog_event(x->el, ev);
	eventlog_get_prev(x->el, &ff->prev_ns, &ff->have_prev);
	if (ev->sys == IOSYS_PROC_EXIT)
		ff_close(ff, x);
}

int
eventlog_ff_free(struct eventlog_ff *ff, char *err, size_t errsz)
{
	struct ff_file *x, *tmp;
	int rc = 0;

	if (ff == NULL)
		return 0;
	HASH_ITER(hh, ff->files, x, tmp) {
		ff_close(ff, x);
		HASH_DEL(ff->files, x);
		free(x);
	}
	if (ff->err != 0) {
		char name[512];

		snprintf(err, errsz, "cannot write the event log %s: %s",
		    util_escape_path(ff->errpath, name, sizeof(name)),
		    strerror(ff->err));
		rc = -1;
	}
	free(ff->errpath);
	free(ff->base);
	free(ff);
	return rc;
}
