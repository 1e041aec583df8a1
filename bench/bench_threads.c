/*
 * bench_threads.c: workload "several threads": THREADS threads (4) that
 * together make COUNT writes (50,000) of SIZE bytes (64), each thread to
 * its own file PREFIX.N; the files are unlinked at the end.
 *
 *   bench_threads [-t THREADS] [-n COUNT] [-s SIZE] [-o PREFIX]
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct worker {
	pthread_t th;
	char path[4096];
	long count;
	long size;
	int failed;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	char *buf = malloc((size_t)w->size);
	long i;
	int fd;

	if (buf == NULL) {
		w->failed = 1;
		return NULL;
	}
	memset(buf, 't', (size_t)w->size);
	fd = open(w->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		w->failed = 1;
		free(buf);
		return NULL;
	}
	for (i = 0; i < w->count; i++)
		if (write(fd, buf, (size_t)w->size) != w->size)
			w->failed = 1;
	close(fd);
	free(buf);
	return NULL;
}

int
main(int argc, char **argv)
{
	long nthreads = 4, count = 50000, size = 64, i;
	const char *prefix = "bench_threads.out";
	struct worker *w;
	int c, rc = 0;

	while ((c = getopt(argc, argv, "t:n:s:o:")) != -1) {
		switch (c) {
		case 't': nthreads = atol(optarg); break;
		case 'n': count = atol(optarg); break;
		case 's': size = atol(optarg); break;
		case 'o': prefix = optarg; break;
		default:
			fprintf(stderr, "usage: bench_threads [-t THREADS] "
			    "[-n COUNT] [-s SIZE] [-o PREFIX]\n");
			return 2;
		}
	}
	if (nthreads <= 0 || nthreads > 1024 || size <= 0 || count < 0)
		return 2;
	w = calloc((size_t)nthreads, sizeof(*w));
	if (w == NULL)
		return 2;
	for (i = 0; i < nthreads; i++) {
		snprintf(w[i].path, sizeof(w[i].path), "%s.%ld", prefix, i);
		w[i].count = count / nthreads + (i < count % nthreads);
		w[i].size = size;
		if (pthread_create(&w[i].th, NULL, worker_run, &w[i]) != 0) {
			perror("pthread_create");
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(w[i].th, NULL);
		if (w[i].failed)
			rc = 1;
		unlink(w[i].path);
	}
	free(w);
	return rc;
}
