/*
 * input.c: what a replay input is before it is read as lines: the
 * decompressor its name or its first bytes call for, binary data that is
 * no strace log, and the decompressor process itself.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "replay/input.h"

const char *
sl_decompressor(const char *path)
{
	size_t n = strlen(path);

	if (n > 3 && strcmp(path + n - 3, ".gz") == 0)
		return "gzip";
	if (n > 3 && strcmp(path + n - 3, ".xz") == 0)
		return "xz";
	if (n > 4 && strcmp(path + n - 4, ".zst") == 0)
		return "zstd";
	if (n > 4 && strcmp(path + n - 4, ".bz2") == 0)
		return "bzip2";
	return NULL;
}

/* What the first bytes of an input say it is: a compressed stream (the
   tool that reads it), binary data (what), or text (both NULL). */
void
sl_sniff(const unsigned char *b, size_t n, const char **tool, const char **binary)
{
	*tool = *binary = NULL;
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		*tool = "gzip";
	else if (n >= 6 && memcmp(b, "\xfd" "7zXZ\0", 6) == 0)
		*tool = "xz";
	else if (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0)
		*tool = "zstd";
	else if (n >= 4 && memcmp(b, "BZh", 3) == 0 && b[3] >= '1' &&
	    b[3] <= '9')
		*tool = "bzip2";
	else if (n >= 4 && memcmp(b, "\x7f" "ELF", 4) == 0)
		*binary = "an ELF executable or library";
	else if (memchr(b, '\0', n) != NULL)
		*binary = "binary data (NUL bytes)";
}

/* Start tool -dc reading path (or, path NULL, the peeked bytes then the
   rest of stdin, fed by a grandchild); r->fd reads its output. */
pid_t
sl_spawn_decompressor(const char *tool, const char *path, const char *peek,
    size_t npeek, int *fd, char *err, size_t errsz)
{
	pid_t child;
	int pfd[2];

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		return -1;
	}
	child = fork();
	if (child < 0) {
		snprintf(err, errsz, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (child == 0) {
		if (path == NULL) {
			int q[2];
			pid_t g;

			if (pipe(q) != 0)
				_exit(126);
			g = fork();
			if (g < 0)
				_exit(126);
			if (g == 0) {
				/* feed the tool what iospy read, then the rest */
				char buf[65536];
				size_t off = 0;
				ssize_t k;

				close(q[0]);
				close(pfd[1]);
				while (off < npeek) {
					k = write(q[1], peek + off,
					    npeek - off);
					if (k <= 0)
						_exit(0);
					off += (size_t)k;
				}
				while ((k = read(STDIN_FILENO, buf,
				    sizeof(buf))) > 0) {
					off = 0;
					while (off < (size_t)k) {
						ssize_t w = write(q[1],
						    buf + off, (size_t)k - off);

						if (w <= 0)
							_exit(0);
						off += (size_t)w;
					}
				}
				_exit(0);
			}
			close(q[1]);
			dup2(q[0], STDIN_FILENO);
			close(q[0]);
		} else {
			/* the path goes as one argv element: no shell sees it */
			int nul = open("/dev/null", O_RDONLY);

			if (nul >= 0)
				dup2(nul, STDIN_FILENO);
		}
		dup2(pfd[1], STDOUT_FILENO);
		if (path != NULL)
			execlp(tool, tool, "-dc", "--", path, (char *)NULL);
		else
			execlp(tool, tool, "-dc", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	*fd = pfd[0];
	return child;
}
