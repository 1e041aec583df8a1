/*
 * livecases: small programs for the live tracer's edge cases.
 *   livecases churn              threads that live a few microseconds, made
 *                                without end (until killed)
 *   livecases leader-exit PATH N the main thread opens PATH, starts a
 *                                thread and exits (pthread_exit); the thread
 *                                waits for SIGUSR1, then makes N 100-byte
 *                                writes to PATH and the process ends
 *   livecases badfd              one write to fd -1 (EBADF)
 *   livecases pipe N             N 10-byte writes into a pipe it reads back
 *   livecases farpath            opens farpath.out by a name that sits in a
 *                                page of its own, untouched before the open
 *                                (not mapped yet when the call starts), and
 *                                writes 8 bytes to it
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd = -1;
static long n;

/* farpath: the name between two 1 MiB pads, so that no read of nearby
   data (and the kernel's fault-around) has mapped its page before the
   open */
__attribute__((used)) static const char far_pad1[1 << 20] = { 1 };
__attribute__((used, aligned(4096))) static const char far_name[4096] =
    "farpath.out";
__attribute__((used)) static const char far_pad2[1 << 20] = { 1 };

static void *
brief(void *arg)
{
	return arg;
}

static void *
late_writer(void *arg)
{
	sigset_t set;
	int sig;
	char buf[100];
	long i;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigwait(&set, &sig);
	memset(buf, 'L', sizeof(buf));
	for (i = 0; i < n; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			exit(1);
	exit(0);
}

int
main(int argc, char **argv)
{
	pthread_t t;

	if (argc >= 2 && strcmp(argv[1], "churn") == 0) {
		for (;;) {
			if (pthread_create(&t, NULL, brief, NULL) == 0)
				pthread_join(t, NULL);
		}
	}
	if (argc == 4 && strcmp(argv[1], "leader-exit") == 0) {
		sigset_t set;

		/* SIGUSR1 waits for sigwait in the thread, wherever it is
		   sent */
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
		n = atol(argv[3]);
		if (fd < 0 || pthread_create(&t, NULL, late_writer, NULL) != 0)
			return 1;
		pthread_exit(NULL);
	}
	if (argc == 2 && strcmp(argv[1], "badfd") == 0)
		return write(-1, "lost", 4) == -1 ? 0 : 1;
	if (argc == 3 && strcmp(argv[1], "pipe") == 0) {
		int p[2];
		char buf[10];
		long i, k = atol(argv[2]);

		if (pipe(p) != 0)
			return 1;
		memset(buf, 'p', sizeof(buf));
		for (i = 0; i < k; i++)
			if (write(p[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
			    read(p[0], buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				return 1;
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "farpath") == 0) {
		fd = open(far_name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		return fd >= 0 && write(fd, "farpath\n", 8) == 8 ? 0 : 1;
	}
	fprintf(stderr, "usage: livecases churn|leader-exit PATH N|badfd|"
	    "pipe N|farpath\n");
	return 2;
}
