/*
 * logapp.c: the seed incident's application in C (see logapp.py).
 *
 * Every 0.1 s it builds one huge log line (300 MiB by default) in fresh
 * anonymous memory (mmap), writes it to /tmp/logtest.txt in a single
 * write(), and unmaps it.  Like Python's RotatingFileHandler it rotates
 * the log before a line that would take it past --max-bytes (1 GiB): the
 * oldest backup is unlinked, the others renamed up, the log renamed to
 * LOG.1 and reopened.  The line has the same layout as the Python app's:
 * "YYYY-MM-DD HH:MM:SS,mmm - __main__ - INFO - " (44 bytes), the message,
 * a newline: each write is SIZE + 45 bytes.
 *
 * SIGUSR1 sets the level to INFO (lines are written), SIGUSR2 to WARNING
 * (lines are built but dropped: no more writes).
 *
 *   logapp [--path FILE] [--size SIZE] [--max-bytes SIZE]
 *          [--backup-count N] [--count N] [--interval SECS] [--pidfile FILE]
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LEVEL_INFO 20
#define LEVEL_WARNING 30
#define HEADER_LEN 44		/* "2020-06-21 15:59:57,806 - __main__ - INFO - " */

static volatile sig_atomic_t level = LEVEL_INFO;

struct app {
	const char *path;
	uint64_t size;
	uint64_t max_bytes;
	int backup_count;
	long count;
	double interval;
	const char *pidfile;
	int fd;
};

static void
on_usr1(int sig)
{
	(void)sig;
	level = LEVEL_INFO;
}

static void
on_usr2(int sig)
{
	(void)sig;
	level = LEVEL_WARNING;
}

/* "4096", "4k", "4KiB", "8M", "1.5G" -> bytes (binary units); -1 if bad. */
static int
parse_size(const char *s, uint64_t *out)
{
	char *end;
	double v, mul = 1;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0 || !isfinite(v))
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1024.0; end++; break;
	case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
	case 't': case 'T': mul = 1024.0 * 1024 * 1024 * 1024; end++; break;
	default: break;
	}
	if (*end == 'i' && (end[1] == 'B' || end[1] == 'b'))
		end += 2;
	else if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0')
		return -1;
	v *= mul;
	if (v != floor(v) || v > 1e18)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

static void
usage(FILE *f)
{
	fputs("usage: logapp [--path FILE] [--size SIZE] [--max-bytes SIZE]\n"
	    "              [--backup-count N] [--count N] [--interval SECS]\n"
	    "              [--pidfile FILE]\n"
	    "Log one SIZE-byte message (300M) every SECS (0.1) seconds to FILE\n"
	    "(/tmp/logtest.txt), rotating it at --max-bytes (1G) with\n"
	    "--backup-count (1) backups; --count messages, 0 = forever.\n"
	    "SIGUSR1: level INFO (write); SIGUSR2: level WARNING (no writes).\n",
	    f);
}

static int
open_log(struct app *a)
{
	a->fd = open(a->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (a->fd < 0) {
		fprintf(stderr, "logapp: %s: %s\n", a->path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* RotatingFileHandler.doRollover: LOG.{n-1}->LOG.n ... LOG->LOG.1. */
static int
rotate(struct app *a)
{
	char src[4200], dst[4200];
	int i;

	close(a->fd);
	a->fd = -1;
	if (a->backup_count > 0) {
		for (i = a->backup_count - 1; i > 0; i--) {
			snprintf(src, sizeof(src), "%s.%d", a->path, i);
			snprintf(dst, sizeof(dst), "%s.%d", a->path, i + 1);
			if (exists(src)) {
				if (exists(dst))
					unlink(dst);
				rename(src, dst);
			}
		}
		snprintf(dst, sizeof(dst), "%s.1", a->path);
		if (exists(dst))
			unlink(dst);
		if (exists(a->path))
			rename(a->path, dst);
	}
	return open_log(a);
}

/* The 44-byte header (out has room for 64): local time with
 * milliseconds, name, level. */
static void
format_header(char *out)
{
	struct timeval tv;
	struct tm tm;
	char date[32];
	time_t t;

	gettimeofday(&tv, NULL);
	t = tv.tv_sec;
	localtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(out, 64, "%.19s,%03d - __main__ - INFO - ", date,
	    (int)(tv.tv_usec / 1000));
}

/* Build one line in fresh anonymous memory, write it whole, unmap it. */
static int
log_one(struct app *a)
{
	size_t len = HEADER_LEN + a->size + 1, i, step;
	char hdr[64];
	char *buf, *p;
	off_t end;
	ssize_t n;
	int rc = 0;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		fprintf(stderr, "logapp: mmap %zu: %s\n", len, strerror(errno));
		return -1;
	}
	format_header(hdr);
	memcpy(buf, hdr, HEADER_LEN);
	for (i = 0; i < a->size && i < 4096; i++)
		buf[HEADER_LEN + i] = (char)('a' + (i * 7 + i / 26) % 26);
	for (; i < a->size; i += step) {
		step = a->size - i < i ? a->size - i : i;
		memcpy(buf + HEADER_LEN + i, buf + HEADER_LEN, step);
	}
	buf[len - 1] = '\n';

	if (level <= LEVEL_INFO) {
		end = lseek(a->fd, 0, SEEK_END);
		if (a->max_bytes > 0 && end >= 0 &&
		    (uint64_t)end + len >= a->max_bytes)
			rc = rotate(a);
		for (p = buf; rc == 0 && p < buf + len; p += n) {
			n = write(a->fd, p, (size_t)(buf + len - p));
			if (n < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			if (n <= 0) {
				fprintf(stderr, "logapp: write %s: %s\n", a->path,
				    n < 0 ? strerror(errno) : "wrote nothing");
				rc = -1;
			}
		}
	}
	munmap(buf, len);
	return rc;
}

/* Sleep secs, going on after a signal handler runs. */
static void
pause_for(double secs)
{
	struct timespec ts, rem;

	if (secs <= 0)
		return;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &rem) < 0 && errno == EINTR)
		ts = rem;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "path", required_argument, NULL, 'p' },
		{ "size", required_argument, NULL, 's' },
		{ "max-bytes", required_argument, NULL, 'm' },
		{ "backup-count", required_argument, NULL, 'b' },
		{ "count", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "pidfile", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct app a = {
		.path = "/tmp/logtest.txt",
		.size = 300ULL << 20,
		.max_bytes = 1ULL << 30,
		.backup_count = 1,
		.count = 0,
		.interval = 0.1,
		.fd = -1,
	};
	struct sigaction sa;
	char *end;
	long n;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			a.path = optarg;
			break;
		case 's':
			if (parse_size(optarg, &a.size) < 0 ||
			    a.size > SIZE_MAX / 2)
				goto bad;
			break;
		case 'm':
			if (parse_size(optarg, &a.max_bytes) < 0)
				goto bad;
			break;
		case 'b':
		case 'c':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    n < 0 || (c == 'b' && n > 1000000))
				goto bad;
			if (c == 'b')
				a.backup_count = (int)n;
			else
				a.count = n;
			break;
		case 'i':
			a.interval = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || a.interval < 0 ||
			    !isfinite(a.interval))
				goto bad;
			break;
		case 'P':
			a.pidfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);

	if (open_log(&a) < 0)
		return 1;
	if (a.pidfile != NULL) {
		FILE *f = fopen(a.pidfile, "w");

		if (f == NULL) {
			fprintf(stderr, "logapp: %s: %s\n", a.pidfile,
			    strerror(errno));
			return 1;
		}
		fprintf(f, "%ld\n", (long)getpid());
		fclose(f);
	}
	for (n = 0; a.count == 0 || n < a.count; n++) {
		if (log_one(&a) < 0)
			return 1;
		if (a.count == 0 || n + 1 < a.count)
			pause_for(a.interval);
	}
	close(a.fd);
	return 0;

bad:
	fprintf(stderr, "logapp: bad value for --%s: %s\n",
	    c == 'p' ? "path" : c == 's' ? "size" : c == 'm' ? "max-bytes" :
	    c == 'b' ? "backup-count" : c == 'c' ? "count" : "interval",
	    optarg);
	return 2;
}
