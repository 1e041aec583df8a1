/*
 * stackapp: a program with a known call chain for the --stack tests.
 *
 *   stackapp [-b BIG] [-s SMALL] [-S SIZE] [-L] [-M] [-T] PATH
 *
 * Writes to PATH, BIG times: SMALL small writes (64 bytes, through
 * main -> log_line -> write), then one big write of SIZE bytes (4 MiB)
 * through main -> emit_record -> flush_buffer -> write.  Defaults: 3 big
 * writes, 99 small ones before each (1% of the writes are big).
 * -L puts a function with a very long name (7711 bytes) between main and
 * emit_record; -T does the writes in a second thread (writer_thread takes
 * main's place in the chain); -M maps a fresh buffer for each big write
 * and unmaps it after (an mmap and a munmap around each).
 *
 * Built with -g -O0 -fno-omit-frame-pointer; the functions are noinline
 * and do work after their call so that no tail call hides a frame even if
 * CFLAGS asks for optimisation.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* -O0 even when CFLAGS (which come after the per-target flags) say -O2 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O0")
#endif

#define NOINLINE __attribute__((noinline))

/* "long_name_part_" (15 bytes) doubled 9 times, then a 31-byte tail: a
   7711-byte name, longer than a 4 KiB buffer.  tests/test_unwind.c
   rebuilds it. */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define DBL(a) CAT(a, a)
#define LONGNAME CAT(DBL(DBL(DBL(DBL(DBL(DBL(DBL(DBL(DBL(long_name_part_))))))))), \
	_end_of_a_very_long_function_nm)

static unsigned long long total;	/* bytes written: keeps calls live */
static int out_fd = -1;
static char *bigbuf;
static size_t bigsize = 4u << 20;
static long nbig = 3, nsmall = 99;
static int use_longname, use_thread, use_fresh;

static NOINLINE void
die(const char *what)
{
	fprintf(stderr, "stackapp: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The one big write. */
NOINLINE ssize_t flush_buffer(int fd, const char *buf, size_t len);
NOINLINE ssize_t
flush_buffer(int fd, const char *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		die("write");
	total += (unsigned long long)n;
	return n;
}

/* Prepare a record and flush it. */
NOINLINE int emit_record(int fd);
NOINLINE int
emit_record(int fd)
{
	ssize_t n;
	char *buf = bigbuf;

	if (use_fresh) {
		/* -M: a fresh buffer per record, mapped and unmapped
		   around the write as the seed's application does */
		buf = mmap(NULL, bigsize, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED)
			die("mmap");
		memset(buf, 'x', bigsize);
	}
	buf[0] = (char)('A' + (total & 15));
	n = flush_buffer(fd, buf, bigsize);
	if (use_fresh && munmap(buf, bigsize) != 0)
		die("munmap");
	return n == (ssize_t)bigsize ? 0 : -1;
}

/* One small write. */
NOINLINE int log_line(int fd, long i);
NOINLINE int
log_line(int fd, long i)
{
	char line[64];
	ssize_t n;

	memset(line, '.', sizeof(line));
	snprintf(line, sizeof(line) - 1, "line %ld", i);
	line[sizeof(line) - 1] = '\n';
	n = write(fd, line, sizeof(line));
	if (n < 0)
		die("write");
	total += (unsigned long long)n;
	return 0;
}

/* Only here so a stack shows a name longer than 4 KiB. */
NOINLINE int LONGNAME(int fd);
NOINLINE int
LONGNAME(int fd)
{
	int rc = emit_record(fd);

	total++;
	return rc;
}

/* The writes; inlined so that main calls emit_record itself. */
static inline __attribute__((always_inline)) void
write_all(void)
{
	long b, s, i = 0;

	for (b = 0; b < nbig; b++) {
		for (s = 0; s < nsmall; s++)
			log_line(out_fd, i++);
		if (use_longname)
			LONGNAME(out_fd);
		else
			emit_record(out_fd);
	}
}

/* -T: the same writes from a second thread. */
static NOINLINE void *
writer_thread(void *arg)
{
	(void)arg;
	write_all();
	return NULL;
}

int
main(int argc, char **argv)
{
	int c;
	pthread_t th;

	while ((c = getopt(argc, argv, "b:s:S:LMT")) != -1) {
		switch (c) {
		case 'b': nbig = atol(optarg); break;
		case 's': nsmall = atol(optarg); break;
		case 'S': bigsize = (size_t)atol(optarg); break;
		case 'L': use_longname = 1; break;
		case 'M': use_fresh = 1; break;
		case 'T': use_thread = 1; break;
		default:
			fprintf(stderr, "usage: stackapp [-b BIG] [-s SMALL] "
			    "[-S SIZE] [-L] [-M] [-T] PATH\n");
			return 2;
		}
	}
	if (optind + 1 != argc || bigsize == 0) {
		fprintf(stderr, "usage: stackapp [-b BIG] [-s SMALL] [-S SIZE] "
		    "[-L] [-M] [-T] PATH\n");
		return 2;
	}
	out_fd = open(argv[optind], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644);
	if (out_fd < 0)
		die(argv[optind]);
	bigbuf = malloc(bigsize);
	if (bigbuf == NULL)
		die("malloc");
	memset(bigbuf, 'x', bigsize);
	if (use_thread) {
		if (pthread_create(&th, NULL, writer_thread, NULL) != 0)
			die("pthread_create");
		pthread_join(th, NULL);
	} else {
		write_all();
	}
	if (close(out_fd) != 0)
		die("close");
	free(bigbuf);
	return total > 0 ? 0 : 1;
}
