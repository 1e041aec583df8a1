/*
 * progress.c: the status line on a terminal (see progress.h).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/util.h"
#include "output/progress.h"

struct progress {
	int fd;
	bool shown;
	int64_t last_ns;	/* mono time of the last draw (or the start) */
	int64_t period;
	FILE *stream;		/* progress_stream's, or NULL */
	FILE *under;
};

int64_t
progress_period(void)
{
	const char *e = getenv("IOSPY_PROGRESS_PERIOD_MS");
	long ms;

	if (e == NULL || *e == '\0')
		return PROGRESS_PERIOD_NS;
	ms = strtol(e, NULL, 10);
	if (ms < 1)
		ms = 1;
	if (ms > 60000)
		ms = 60000;
	return (int64_t)ms * 1000000;
}

struct progress *
progress_new(int fd)
{
	struct progress *p = xcalloc(1, sizeof(*p));

	p->fd = fd;
	p->period = progress_period();
	p->last_ns = util_mono_ns();	/* nothing for the first quarter second */
	return p;
}

bool
progress_due(const struct progress *p)
{
	/* a tenth of slack: a tick a hair early still redraws */
	return p != NULL &&
	    util_mono_ns() - p->last_ns >= p->period / 10 * 9;
}

int
progress_columns(int fd)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (c != NULL && atoi(c) > 0 && atoi(c) < 10000)
		return atoi(c);
	return 80;
}

/* write(2) all of buf; a terminal that fails is left alone. */
static void
put(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, buf, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		buf += k;
		n -= (size_t)k;
	}
}

void
progress_draw(struct progress *p, const char *text)
{
	char line[512];
	int cols;
	size_t n;

	if (p == NULL)
		return;
	if (p->under != NULL)
		fflush(p->under);
	/* one column short of the width: the cursor never wraps */
	cols = progress_columns(p->fd) - 1;
	if (cols < 10)
		cols = 10;
	if (cols > (int)sizeof(line) - 8)
		cols = (int)sizeof(line) - 8;
	n = strlen(text);
	if (n > (size_t)cols)
		n = (size_t)cols;
	line[0] = '\r';
	memcpy(line + 1, text, n);
	memcpy(line + 1 + n, "\033[K", 3);
	put(p->fd, line, n + 4);
	p->shown = true;
	p->last_ns = util_mono_ns();
}

void
progress_clear(struct progress *p)
{
	if (p == NULL || !p->shown)
		return;
	put(p->fd, "\r\033[K", 4);
	p->shown = false;
}

/*
 * s cut in the middle with "..." to w columns (a UTF-8 character is one
 * column); s itself when it fits.  The end keeps the file's name whole
 * when there is room, and at least two thirds of the width.
 */
const char *
progress_mid_cut(const char *s, size_t w, char *buf, size_t bufsz)
{
	size_t n = 0, i, head, tail, hb = 0, tb, k;

	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	if (n <= w || w < 5 || bufsz < strlen(s) + 4)
		return s;
	/* the whole file name (with its '/') when it leaves room for a
	   head, else two thirds for the end */
	for (k = 0, i = strlen(s); i > 0 && s[i - 1] != '/'; i--)
		if (((unsigned char)s[i - 1] & 0xc0) != 0x80)
			k++;
	tail = i > 0 && k + 1 + 4 <= w ? k + 1 : w - 3 - (w - 3) / 3;
	tail = tail > (w - 3) - (w - 3) / 3 ? tail : (w - 3) - (w - 3) / 3;
	head = w - 3 - tail;
	/* the byte after the head-th character, and the start of the
	   tail-th character from the end */
	for (k = 0, i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && k++ == head) {
			hb = i;
			break;
		}
	for (k = 0, tb = strlen(s); tb > 0;) {
		tb--;
		if (((unsigned char)s[tb] & 0xc0) != 0x80 && ++k == tail)
			break;
	}
	memcpy(buf, s, hb);
	memcpy(buf + hb, "...", 3);
	strcpy(buf + hb + 3, s + tb);
	return buf;
}

static ssize_t
stream_write(void *cookie, const char *buf, size_t n)
{
	struct progress *p = cookie;
	size_t w;

	progress_clear(p);
	w = fwrite(buf, 1, n, p->under);
	fflush(p->under);
	return w == n ? (ssize_t)n : -1;
}

FILE *
progress_stream(struct progress *p, FILE *under)
{
	cookie_io_functions_t io = { NULL, stream_write, NULL, NULL };

	if (p == NULL)
		return under;
	if (p->stream == NULL) {
		p->under = under;
		p->stream = fopencookie(p, "w", io);
		if (p->stream == NULL)
			return under;
		setvbuf(p->stream, NULL, _IOLBF, 0);
	}
	return p->stream;
}

void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	if (p->stream != NULL)
		fclose(p->stream);
	progress_clear(p);
	free(p);
}
