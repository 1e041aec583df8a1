/*
 * idle: a long-running process for attach tests.  Writes "ready\n" to
 * PATH, then every PERIOD ms writes one 10-byte line to PATH (PERIOD 0:
 * never, it only sleeps), with THREADS extra threads doing the same to
 * PATH.<i>.  Runs until killed; SIGUSR1 is counted by a handler and the
 * count written with the next line.
 *   idle PATH PERIOD_MS [THREADS]
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static long period;

static void
on_usr1(int sig)
{
	(void)sig;
	got++;
}

static void
loop(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	char line[16];

	if (fd < 0)
		exit(1);
	for (;;) {
		struct timespec ts;

		if (period <= 0) {
			pause();
			continue;
		}
		ts.tv_sec = period / 1000;
		ts.tv_nsec = (period % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		snprintf(line, sizeof(line), "l%08d\n", (int)(got % 100000000));
		if (write(fd, line, 10) != 10)
			exit(1);
	}
}

static void *
thread_main(void *arg)
{
	loop((const char *)arg);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	long nt, i;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: idle PATH PERIOD_MS [THREADS]\n");
		return 2;
	}
	period = atol(argv[2]);
	nt = argc > 3 ? atol(argv[3]) : 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < nt; i++) {
		pthread_t t;
		char *p = malloc(strlen(argv[1]) + 24);

		sprintf(p, "%s.%ld", argv[1], i);
		pthread_create(&t, NULL, thread_main, p);
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "ready\n", 6) != 6)
		return 1;
	close(fd);
	loop(argv[1]);
	return 0;
}
