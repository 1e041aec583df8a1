/*
 * bench_getppid.c: workload "mostly non-I/O syscalls": COUNT getppid
 * calls (1,000,000) with a 64-byte write to a file every EVERY (100).
 *
 *   bench_getppid [-n COUNT] [-e EVERY] [-o FILE] [-w] [-u] [-r]
 *
 * -w waits, before the loop, until a tracer has attached (TracerPid in
 *    /proc/self/status), then lets it settle for 200 ms: the attach-mode
 *    benchmark starts this, attaches, and times only the loop.
 * -u waits instead for SIGUSR1 (a tracer that does not ptrace, the bpf
 *    engine, has no TracerPid: the benchmark signals once it says it is
 *    attached), then settles the same way.
 * -r prints the loop's own duration in seconds on stdout.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long
tracer_pid(void)
{
	char line[256];
	long pid = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "TracerPid:", 10) == 0)
			pid = atol(line + 10);
	fclose(f);
	return pid;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	long count = 1000000, every = 100, i, waited;
	const char *path = "bench_getppid.out";
	int c, fd, wait_tracer = 0, wait_usr1 = 0, report = 0, sig;
	sigset_t usr1;
	struct timespec ms = { 0, 1000000 }, settle = { 0, 200000000 };
	char buf[64];
	double t0, t1;

	/* blocked from the start: a SIGUSR1 sent early waits for sigwait */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	while ((c = getopt(argc, argv, "n:e:o:wur")) != -1) {
		switch (c) {
		case 'n': count = atol(optarg); break;
		case 'e': every = atol(optarg); break;
		case 'o': path = optarg; break;
		case 'w': wait_tracer = 1; break;
		case 'u': wait_usr1 = 1; break;
		case 'r': report = 1; break;
		default:
			fprintf(stderr, "usage: bench_getppid [-n COUNT] "
			    "[-e EVERY] [-o FILE] [-w] [-u] [-r]\n");
			return 2;
		}
	}
	if (every <= 0)
		every = 1;
	memset(buf, 'g', sizeof(buf));
	buf[sizeof(buf) - 1] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	if (wait_tracer) {
		for (waited = 0; tracer_pid() == 0; waited++) {
			if (waited > 60000) {
				fprintf(stderr, "bench_getppid: no tracer\n");
				return 3;
			}
			nanosleep(&ms, NULL);
		}
		nanosleep(&settle, NULL);
	}
	if (wait_usr1) {
		sigwait(&usr1, &sig);
		nanosleep(&settle, NULL);
	}
	t0 = now();
	for (i = 0; i < count; i++) {
		syscall(SYS_getppid);
		if (i % every == every - 1 &&
		    write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			perror("write");
			return 1;
		}
	}
	t1 = now();
	close(fd);
	unlink(path);
	if (report)
		printf("%.6f\n", t1 - t0);
	return 0;
}
