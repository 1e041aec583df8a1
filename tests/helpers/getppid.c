/*
 * getppid: N getppid() calls with a 64-byte write to PATH every EVERY
 * calls (the "mostly non-I/O syscalls" workload).
 *   getppid PATH N EVERY
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	long n, every, i;
	char buf[64];
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: getppid PATH N EVERY\n");
		return 2;
	}
	n = atol(argv[2]);
	every = atol(argv[3]);
	memset(buf, 'g', sizeof(buf));
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	for (i = 1; i <= n; i++) {
		syscall(SYS_getppid);
		if (every > 0 && i % every == 0 &&
		    write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return 1;
	}
	return close(fd);
}
