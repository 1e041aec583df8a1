/*
 * fuzz_stracelog.c: libFuzzer harness for the strace-log line parser.
 * The input is cut into lines and fed to two files (one a -ff file with a
 * pid); every event that reaches the sink has its strings read, so a bad
 * pointer or length shows up under ASan.
 *
 * Build: ./configure CC=clang --enable-fuzzing && make tests/fuzz/fuzz_stracelog
 * Run:   tests/fuzz/fuzz_stracelog -dict=tests/fuzz/stracelog.dict CORPUS_DIR
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/pipeline.h"
#include "replay/stracelog.h"
#include "replay/stracelog_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t
hstr(uint64_t h, const char *s, size_t n)
{
	size_t i;

	if (s == NULL)
		return h * 31 + 7;
	for (i = 0; i < n; i++)
		h = h * 131 + (unsigned char)s[i];
	return h * 31 + n;
}

/* A digest of every event, in order. */
static void
digest(void *ctx, const struct io_event *ev)
{
	uint64_t *h = ctx;
	int i;

	*h = *h * 1000003 + (uint64_t)ev->sys * 7 + (uint64_t)ev->tid +
	    (uint64_t)ev->ts_ns + (uint64_t)ev->ret + (uint64_t)ev->fd * 3 +
	    (uint64_t)ev->fd2 * 5 + ev->count + ev->len + (uint64_t)ev->err;
	*h = hstr(*h, ev->path, ev->path ? strlen(ev->path) : 0);
	*h = hstr(*h, ev->path2, ev->path2 ? strlen(ev->path2) : 0);
	*h = hstr(*h, ev->name, ev->name ? strlen(ev->name) : 0);
	*h = hstr(*h, ev->data, ev->data ? ev->data_len : 0);
	if (ev->stack != NULL)
		for (i = 0; i < ev->stack->nframes; i++) {
			*h = hstr(*h, ev->stack->frames[i].func,
			    ev->stack->frames[i].func ?
			    strlen(ev->stack->frames[i].func) : 0);
			*h = *h * 31 + ev->stack->frames[i].ip;
		}
}

/* The input as one file, line by line (threaded == false) or decoded
   as one block by a worker first; the feeding is feed_one's. */
static void
one_file(const uint8_t *data, size_t size, bool threaded,
    struct stracelog_result *res, uint64_t *h)
{
	struct pipeline *pl = pipeline_new();
	struct stracelog *sl;
	const char *p = (const char *)data, *e = p + size, *nl;
	int f;

	*h = 0;
	pipeline_add_sink(pl, digest, h);
	sl = stracelog_new(pl, NULL);
	f = stracelog_add_file(sl, "one.log", 0);
	stracelog_set_first_pid(sl, stracelog_guess_first_pid(p, size));
	if (threaded) {
		struct sl_worker *w = sl_worker_new();
		struct sl_batch b;
		size_t i;

		memset(&b, 0, sizeof(b));
		sl_worker_batch(w, p, size, size > 0 && p[size - 1] != '\n', &b);
		for (i = 0; i < b.nrec; i++) {
			if (!b.rec[i].frame)
				stracelog_flush(sl);
			sl_feed_rec(sl, f, &b, i);
			if (i & 1)	/* as when its block is reused */
				sl_keep_held(sl);
		}
		stracelog_flush(sl);
		sl_batch_free(&b);
		sl_worker_free(w);
	} else {
		while (p < e) {
			size_t n;
			bool partial;

			nl = memchr(p, '\n', (size_t)(e - p));
			n = (size_t)((nl != NULL ? nl : e) - p);
			partial = nl == NULL;
			if (!stracelog_is_frame(p, n))
				stracelog_flush(sl);
			stracelog_feed(sl, f, p, n, partial);
			if (nl == NULL)
				break;
			p = nl + 1;
		}
		stracelog_flush(sl);
	}
	stracelog_finish(sl, res);
	stracelog_free(sl);
	pipeline_free(pl);
}

static volatile size_t sink_total;

static size_t
touch(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

static void
sink(void *ctx, const struct io_event *ev)
{
	size_t n = 0;
	int i;

	(void)ctx;
	n += touch(ev->path) + touch(ev->path2) + touch(ev->name) +
	    touch(ev->comm) + touch(ev->cmdline);
	if (ev->data != NULL && ev->data_len > 0)
		n += (unsigned char)ev->data[ev->data_len - 1];
	if (ev->stack != NULL)
		for (i = 0; i < ev->stack->nframes; i++)
			n += touch(ev->stack->frames[i].module) +
			    touch(ev->stack->frames[i].func);
	sink_total += n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pipeline *pl = pipeline_new();
	struct stracelog *sl;
	const char *p = (const char *)data, *e = p + size, *nl;
	int files[2];
	struct stracelog_result res;

	pipeline_add_sink(pl, sink, NULL);
	sl = stracelog_new(pl, NULL);
	files[0] = stracelog_add_file(sl, "fuzz.log", 0);
	files[1] = stracelog_add_file(sl, "fuzz.4242", 4242);
	stracelog_set_first_pid(sl, stracelog_guess_first_pid(p, size));
	while (p < e) {
		int f = files[(size_t)(p - (const char *)data) % 7 == 3];

		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL) {
			stracelog_feed(sl, f, p, (size_t)(e - p), true);
			break;
		}
		(void)stracelog_peek_time(sl, f, p, (size_t)(nl - p));
		stracelog_feed(sl, f, p, (size_t)(nl - p), false);
		p = nl + 1;
	}
	stracelog_finish(sl, &res);
	stracelog_free(sl);
	pipeline_free(pl);

	{
		struct stracelog_result a, b;
		uint64_t ha, hb;

		one_file(data, size, false, &a, &ha);
		one_file(data, size, true, &b, &hb);
		if (a.lines != b.lines || a.events != b.events ||
		    a.skipped != b.skipped || a.unfinished != b.unfinished ||
		    a.calls != b.calls || a.summary != b.summary ||
		    a.start_ns != b.start_ns || a.end_ns != b.end_ns || ha != hb)
			__builtin_trap();	/* the two ways disagree */
	}
	return 0;
}
