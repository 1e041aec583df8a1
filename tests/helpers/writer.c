/*
 * writer: N writes of SIZE bytes to PATH (mode: write, pwrite, writev),
 * then close.  Used by the live tracer tests: the counts are exact.
 *   writer PATH N SIZE [write|pwrite|writev]
 * 8 MiB in one call: writer F 1 8388608; in 4 KiB calls: writer F 2048 4096.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	long n, size, i;
	const char *mode = argc > 4 ? argv[4] : "write";
	char *buf;
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: writer PATH N SIZE [write|pwrite|writev]\n");
		return 2;
	}
	n = atol(argv[2]);
	size = atol(argv[3]);
	buf = malloc((size_t)size + 1);
	if (buf == NULL)
		return 1;
	for (i = 0; i < size; i++)
		buf[i] = (char)('a' + i % 26);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; i < n; i++) {
		ssize_t r;

		if (strcmp(mode, "pwrite") == 0)
			r = pwrite(fd, buf, (size_t)size, (off_t)(i * size));
		else if (strcmp(mode, "writev") == 0) {
			struct iovec iov[2];

			iov[0].iov_base = buf;
			iov[0].iov_len = (size_t)size / 2;
			iov[1].iov_base = buf + size / 2;
			iov[1].iov_len = (size_t)(size - size / 2);
			r = writev(fd, iov, 2);
		} else
			r = write(fd, buf, (size_t)size);
		if (r != size)
			return 1;
	}
	close(fd);
	free(buf);
	return 0;
}
