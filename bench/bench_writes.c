/*
 * bench_writes.c: workload "small writes": COUNT writes of SIZE bytes to
 * one file (50,000 x 64 B by default), then close and unlink it.
 *
 *   bench_writes [-n COUNT] [-s SIZE] [-o FILE]
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
	long count = 50000, size = 64, i;
	const char *path = "bench_writes.out";
	char *buf;
	int c, fd;

	while ((c = getopt(argc, argv, "n:s:o:")) != -1) {
		switch (c) {
		case 'n': count = atol(optarg); break;
		case 's': size = atol(optarg); break;
		case 'o': path = optarg; break;
		default:
			fprintf(stderr, "usage: bench_writes [-n COUNT] "
			    "[-s SIZE] [-o FILE]\n");
			return 2;
		}
	}
	if (count < 0 || size <= 0 || (buf = malloc((size_t)size)) == NULL)
		return 2;
	memset(buf, 'w', (size_t)size);
	buf[size - 1] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (write(fd, buf, (size_t)size) != size) {
			perror("write");
			return 1;
		}
	}
	close(fd);
	unlink(path);
	free(buf);
	return 0;
}
