/*
 * bench_idle.c: a process for the idle-attach benchmark; runs until
 * killed.
 *
 *   bench_idle -r        block in read() on a pipe nobody writes
 *   bench_idle -t MS     wake every MS ms (nanosleep), write 64 bytes
 *                        to FILE (-o, default /dev/null), sleep again
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	const char *path = "/dev/null";
	long tick_ms = 0;
	int c, fd, blocked_read = 0, p[2];
	char buf[64];
	struct timespec ts;

	while ((c = getopt(argc, argv, "rt:o:")) != -1) {
		switch (c) {
		case 'r': blocked_read = 1; break;
		case 't': tick_ms = atol(optarg); break;
		case 'o': path = optarg; break;
		default:
			fprintf(stderr, "usage: bench_idle -r | -t MS "
			    "[-o FILE]\n");
			return 2;
		}
	}
	if (blocked_read) {
		if (pipe(p) < 0)
			return 1;
		for (;;)
			if (read(p[0], buf, sizeof(buf)) == 0)
				return 0;
	}
	if (tick_ms <= 0)
		tick_ms = 1000;
	memset(buf, 'i', sizeof(buf));
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	ts.tv_sec = tick_ms / 1000;
	ts.tv_nsec = (tick_ms % 1000) * 1000000L;
	for (;;) {
		nanosleep(&ts, NULL);
		if (write(fd, buf, sizeof(buf)) < 0)
			return 1;
	}
}
