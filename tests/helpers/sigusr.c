/*
 * sigusr: a SIGUSR1 handler that counts; raises SIGUSR1 N times (between
 * writes to PATH), then also waits for WAIT more from outside (kill -USR1)
 * while sleeping; writes "got K\n" to PATH at the end and exits 0 only if
 * every signal reached the handler.
 *   sigusr PATH N [WAIT]
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void
on_usr1(int sig)
{
	(void)sig;
	got++;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	long n, wait_for, i;
	char msg[64];
	int fd, len;

	if (argc < 3) {
		fprintf(stderr, "usage: sigusr PATH N [WAIT]\n");
		return 2;
	}
	n = atol(argv[2]);
	wait_for = argc > 3 ? atol(argv[3]) : 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		if (write(fd, "tick\n", 5) != 5)
			return 1;
		raise(SIGUSR1);
	}
	while (got < n + wait_for) {
		struct timespec ts = { 0, 10000000 };

		nanosleep(&ts, NULL);
	}
	len = snprintf(msg, sizeof(msg), "got %ld\n", (long)got);
	if (write(fd, msg, (size_t)len) != len)
		return 1;
	close(fd);
	return got == n + wait_for ? 0 : 1;
}
