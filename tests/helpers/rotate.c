/*
 * rotate: log rotation the classic way.  K times: write N x SIZE bytes to
 * DIR/app.log, rename it to DIR/app.log.<k>, reopen DIR/app.log.  Then
 * unlink the backups (DIR/app.log.1 ... .K) and write once more.
 *   rotate DIR K N SIZE
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
	char path[4096], old[4096], buf[4096];
	long k, n, size, i, j;
	int fd;

	if (argc < 5) {
		fprintf(stderr, "usage: rotate DIR K N SIZE\n");
		return 2;
	}
	k = atol(argv[2]);
	n = atol(argv[3]);
	size = atol(argv[4]);
	if (size > (long)sizeof(buf))
		return 2;
	memset(buf, 'r', sizeof(buf));
	snprintf(path, sizeof(path), "%s/app.log", argv[1]);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0)
		return 1;
	for (i = 1; i <= k; i++) {
		for (j = 0; j < n; j++)
			if (write(fd, buf, (size_t)size) != size)
				return 1;
		snprintf(old, sizeof(old), "%s/app.log.%ld", argv[1], i);
		if (rename(path, old) != 0)
			return 1;
		close(fd);
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0)
			return 1;
	}
	for (i = 1; i <= k; i++) {
		snprintf(old, sizeof(old), "%s/app.log.%ld", argv[1], i);
		if (unlink(old) != 0)
			return 1;
	}
	if (write(fd, buf, 1) != 1)
		return 1;
	return close(fd);
}
