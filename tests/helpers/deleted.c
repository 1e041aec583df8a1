/*
 * deleted: open DIR/gone.log, write once, unlink it, then write N x SIZE
 * bytes into the deleted file (the disk-space leak of a rotated log).
 *   deleted DIR N SIZE
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char path[4096], buf[4096];
	long n, size, i;
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: deleted DIR N SIZE\n");
		return 2;
	}
	n = atol(argv[2]);
	size = atol(argv[3]);
	if (size > (long)sizeof(buf))
		return 2;
	memset(buf, 'd', sizeof(buf));
	snprintf(path, sizeof(path), "%s/gone.log", argv[1]);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "first\n", 6) != 6 || unlink(path) != 0)
		return 1;
	for (i = 0; i < n; i++)
		if (write(fd, buf, (size_t)size) != size)
			return 1;
	return close(fd);
}
