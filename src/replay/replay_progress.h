/*
 * replay_progress.h: the progress line of a replay on a terminal: bytes
 * read of the total (of a compressed log: its compressed bytes, as its
 * decompressor read them, of the file's size), lines, rate and time left.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_REPLAY_PROGRESS_H
#define IOSPY_REPLAY_PROGRESS_H

#include <stddef.h>
#include <sys/types.h>

struct progress;
struct replay_progress;

/* Progress over files (NULL-terminated; "-" is stdin, of unknown size),
   drawn on line. */
struct replay_progress *replay_progress_new(struct progress *line,
    char *const *files);

/* n bytes of buf were read by the reader whose decompressor is child
   (0: none); redraws the line when due. */
void replay_progress_read(struct replay_progress *rp, pid_t child,
    const char *buf, size_t n);

void replay_progress_free(struct replay_progress *rp);

#endif /* IOSPY_REPLAY_PROGRESS_H */
