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

#include "pipeline.h"
#include "stracelog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	return 0;
}
