/*
 * event.c: helpers for struct io_event.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <string.h>

#include "model/event.h"
#include "base/util.h"

/* Reset an event to "nothing known". */
void
io_event_init(struct io_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts_ns = IO_TIME_UNKNOWN;
	ev->dur_ns = -1;
	ev->fd = -1;
	ev->fd2 = -1;
	ev->offset = -1;
	ev->size = -1;
	ev->ret = IO_RET_UNKNOWN;
	ev->abi = 64;
	ev->envc = -1;
}

/* True if the call completed without error. */
bool
io_event_ok(const struct io_event *ev)
{
	return ev->err == 0 && ev->ret != IO_RET_UNKNOWN;
}

/* Bytes a write-class call moved: ret when it succeeded, else 0. */
uint64_t
io_event_bytes(const struct io_event *ev)
{
	if (ev->cls != IOC_WRITE || !io_event_ok(ev) || ev->ret < 0)
		return 0;
	return (uint64_t)ev->ret;
}

/* An execve's argv (NUL-ended strings in data) joined by spaces, as a
   malloc'ed string; NULL if the event has none. */
char *
io_event_argv_join(const struct io_event *ev)
{
	char *s;
	size_t n, i, o = 0, cuts = 0;
	int k = 0;

	if (ev->data == NULL || ev->data_len == 0)
		return NULL;
	n = ev->data_len;
	if (ev->data[n - 1] == '\0')
		n--;
	for (i = 0; i < 64; i++)
		cuts += ev->argv_cut >> i & 1;
	/* "..." after a string the source cut (strace -s, -s on the
	   ptrace engine), and after the last when strings were left out */
	s = xmalloc(n + 3 * cuts + 5);
	for (i = 0; i <= n; i++) {
		if (i == n || ev->data[i] == '\0') {
			if (k < 64 && (ev->argv_cut >> k & 1)) {
				memcpy(s + o, "...", 3);
				o += 3;
			}
			k++;
			if (i < n)
				s[o++] = ' ';
			continue;
		}
		s[o++] = ev->data[i];
	}
	if (ev->data_trunc && !(o >= 3 && memcmp(s + o - 3, "...", 3) == 0)) {
		memcpy(s + o, " ...", 4);	/* strings left out */
		o += 4;
	}
	s[o] = '\0';
	return s;
}
