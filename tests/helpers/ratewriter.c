/*
 * ratewriter: write RATE bytes per second to PATH in CHUNK-byte writes,
 * each followed by fdatasync, for SECS seconds, on an absolute schedule
 * (a late write is caught up, so the average rate holds).  The writes
 * cycle over the first 16 chunks of the file, so the disk use stays small
 * while every write dirties pages again.  Prints "ready PID" to stdout
 * once the first write is done, and at the end "wrote BYTES in NS ns".
 *   ratewriter PATH RATE CHUNK SECS
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	long long rate, chunk, period, start, next, end, total = 0;
	double secs;
	char *buf;
	long i = 0;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: ratewriter PATH RATE CHUNK SECS\n");
		return 2;
	}
	rate = atoll(argv[2]);
	chunk = atoll(argv[3]);
	secs = atof(argv[4]);
	if (rate <= 0 || chunk <= 0 || secs <= 0)
		return 2;
	period = chunk * 1000000000LL / rate;
	buf = malloc((size_t)chunk);
	if (buf == NULL)
		return 1;
	memset(buf, 'r', (size_t)chunk);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	start = now_ns();
	end = start + (long long)(secs * 1e9);
	for (next = start; next < end; next += period) {
		struct timespec ts = { next / 1000000000LL, next % 1000000000LL };

		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		if (pwrite(fd, buf, (size_t)chunk, (off_t)((i++ % 16) * chunk)) !=
		    (ssize_t)chunk) {
			perror("pwrite");
			return 1;
		}
		fdatasync(fd);
		total += chunk;
		if (i == 1) {
			printf("ready %ld\n", (long)getpid());
			fflush(stdout);
		}
	}
	printf("wrote %lld in %lld ns\n", total, now_ns() - start);
	close(fd);
	return 0;
}
