/*
 * input.h: naming and opening a replay input (see input.c).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_REPLAY_INPUT_H
#define IOSPY_REPLAY_INPUT_H

#include <stddef.h>
#include <sys/types.h>

/* The decompressor a file name's extension calls for (gzip, xz, zstd,
   bzip2), or NULL. */
const char *sl_decompressor(const char *path);

/* What the first n bytes say: a compressed stream (*tool), binary data
   (*binary: what it is, in words), or text (both NULL). */
void sl_sniff(const unsigned char *b, size_t n, const char **tool,
    const char **binary);

/* Start tool -dc on path, or (path NULL) on the npeek bytes already read
   from stdin followed by the rest of stdin, fed by a grandchild.  *fd
   reads its output.  The child's pid, or -1 with err set. */
pid_t sl_spawn_decompressor(const char *tool, const char *path,
    const char *peek, size_t npeek, int *fd, char *err, size_t errsz);

#endif
