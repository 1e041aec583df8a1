/*
 * threads: NTHREADS threads, each making N writes of SIZE bytes to its own
 * file DIR/t<i>.out, plus the main thread's DIR/main.out (one write).
 *   threads DIR NTHREADS N SIZE
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dir;
static long n, size;

static void *
work(void *arg)
{
	long id = (long)arg, i;
	char path[4096], *buf = malloc((size_t)size);
	int fd;

	if (buf == NULL)
		return (void *)1;
	memset(buf, 'x', (size_t)size);
	snprintf(path, sizeof(path), "%s/t%ld.out", dir, id);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return (void *)1;
	for (i = 0; i < n; i++)
		if (write(fd, buf, (size_t)size) != size)
			return (void *)1;
	close(fd);
	free(buf);
	return NULL;
}

int
main(int argc, char **argv)
{
	long nt, i;
	pthread_t *tids;
	char path[4096];
	int fd, bad = 0;

	if (argc < 5) {
		fprintf(stderr, "usage: threads DIR NTHREADS N SIZE\n");
		return 2;
	}
	dir = argv[1];
	nt = atol(argv[2]);
	n = atol(argv[3]);
	size = atol(argv[4]);
	tids = calloc((size_t)nt, sizeof(*tids));
	for (i = 0; i < nt; i++)
		pthread_create(&tids[i], NULL, work, (void *)i);
	for (i = 0; i < nt; i++) {
		void *r;

		pthread_join(tids[i], &r);
		bad += r != NULL;
	}
	snprintf(path, sizeof(path), "%s/main.out", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "done\n", 5) != 5)
		bad++;
	close(fd);
	free(tids);
	return bad ? 1 : 0;
}
