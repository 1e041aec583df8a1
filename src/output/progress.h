/*
 * progress.h: one status line on a terminal, redrawn in place (at most
 * about 4 times a second), cut to the terminal's width so it never wraps,
 * and erased before anything else is written to that terminal: main gives
 * the other writers a stream (progress_stream) that erases it first.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_PROGRESS_H
#define IOSPY_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_PERIOD_NS 250000000LL	/* at most 4 redraws a second */

struct progress;

/* The period between redraws: PROGRESS_PERIOD_NS, or
   $IOSPY_PROGRESS_PERIOD_MS (meant for tests; at least 1 ms). */
int64_t progress_period(void);

/* A status line on fd, which the caller has found to be a terminal. */
struct progress *progress_new(int fd);

/* True when a redraw is due (PROGRESS_PERIOD_NS since the last one). */
bool progress_due(const struct progress *p);

/* Draw text (plain printable text) as the line, cut to the width. */
void progress_draw(struct progress *p, const char *text);

/* Erase the line if it is shown; the next progress_draw brings it back. */
void progress_clear(struct progress *p);

/* The terminal's width: TIOCGWINSZ on fd, else $COLUMNS, else 80. */
int progress_columns(int fd);

/*
 * A stream that writes to under, erasing p's line before each write (so
 * messages never land on the status line); under itself when p is NULL.
 * progress_free closes it.
 */
FILE *progress_stream(struct progress *p, FILE *under);

/* s cut in the middle with "..." to w columns (UTF-8 characters count
   one), keeping the file name whole where it can; s when it fits or buf
   (at least strlen(s) + 4 bytes) is too small. */
const char *progress_mid_cut(const char *s, size_t w, char *buf,
    size_t bufsz);

/* Erase the line and free p (NULL is fine). */
void progress_free(struct progress *p);

#endif /* IOSPY_PROGRESS_H */
