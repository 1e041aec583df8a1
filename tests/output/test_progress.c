/*
 * test_progress: the status line's pieces: the middle cut of a path (to a
 * width, UTF-8 characters whole, the file name kept where it fits), the
 * terminal width's fallbacks, and a stream that erases the line first.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/progress.h"

static size_t
columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

Test(progress, mid_cut_fits_untouched)
{
	char buf[64];

	cr_assert_str_eq(progress_mid_cut("/tmp/a.log", 10, buf, sizeof(buf)),
	    "/tmp/a.log");
	cr_assert_str_eq(progress_mid_cut("/tmp/a.log", 40, buf, sizeof(buf)),
	    "/tmp/a.log");
}

Test(progress, mid_cut_to_width_keeping_the_name)
{
	char buf[256];
	const char *p = "/var/log/a-very-long-directory/and-another/app.log";
	const char *r;
	size_t w;

	for (w = 8; w < strlen(p); w++) {
		r = progress_mid_cut(p, w, buf, sizeof(buf));
		cr_assert_eq(columns(r), w, "width %zu: '%s'", w, r);
		cr_assert_not_null(strstr(r, "..."), "width %zu: '%s'", w, r);
		cr_assert_eq(strncmp(r, p, 1), 0);
	}
	/* room for the name: it is whole, after the cut */
	r = progress_mid_cut(p, 20, buf, sizeof(buf));
	cr_assert(strlen(r) >= 8 && strcmp(r + strlen(r) - 8, "/app.log") == 0,
	    "'%s'", r);
}

Test(progress, mid_cut_never_splits_utf8)
{
	char buf[256];
	const char *p = "/tmp/\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9/\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac.txt";
	size_t w, i;

	for (w = 6; w < columns(p); w++) {
		const char *r = progress_mid_cut(p, w, buf, sizeof(buf));

		cr_assert_eq(columns(r), w, "width %zu", w);
		/* every lead byte is followed by its continuation bytes */
		for (i = 0; r[i]; i++) {
			unsigned char c = (unsigned char)r[i];
			size_t k = c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0, j;

			for (j = 1; j <= k; j++)
				cr_assert_eq((unsigned char)r[i + j] & 0xc0, 0x80,
				    "width %zu: split at %zu", w, i);
			i += k;
		}
	}
}

Test(progress, columns_fall_back_to_COLUMNS_then_80)
{
	int fd[2];

	cr_assert_eq(pipe(fd), 0);
	unsetenv("COLUMNS");
	cr_assert_eq(progress_columns(fd[1]), 80);
	setenv("COLUMNS", "132", 1);
	cr_assert_eq(progress_columns(fd[1]), 132);
	setenv("COLUMNS", "junk", 1);
	cr_assert_eq(progress_columns(fd[1]), 80);
	close(fd[0]);
	close(fd[1]);
}

Test(progress, stream_erases_the_line_first)
{
	int fd[2];
	char buf[256];
	ssize_t n;
	struct progress *p;
	FILE *under, *s;

	cr_assert_eq(pipe(fd), 0);
	setenv("IOSPY_PROGRESS_PERIOD_MS", "1", 1);
	p = progress_new(fd[1]);
	under = fdopen(dup(fd[1]), "w");
	cr_assert_not_null(under);
	s = progress_stream(p, under);
	progress_draw(p, "status");
	fprintf(s, "message\n");
	fflush(s);
	progress_draw(p, "again");
	progress_free(p);	/* erases */
	fclose(under);
	close(fd[1]);
	n = read(fd[0], buf, sizeof(buf) - 1);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert_str_eq(buf, "\rstatus\033[K\r\033[Kmessage\n\ragain\033[K\r\033[K");
	close(fd[0]);
	unsetenv("IOSPY_PROGRESS_PERIOD_MS");
}
