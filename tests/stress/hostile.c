/*
 * tests/stress/hostile.c: tracees that make the tracer's life hard.
 *   hostile MODE DIR EXPECT [N]
 * Each mode writes into DIR and appends what it wrote, "PATH<TAB>BYTES"
 * per file (or "TOTAL<TAB>BYTES" when names change under the writes), to
 * EXPECT, a file outside DIR.  Modes:
 *   unmap       a thread unmaps and remaps the buffer another writes from
 *   efault      writes from bad addresses (EFAULT), then one good one
 *   ctlpath     file names with control bytes and escapes
 *   manyfiles   N files (default 100000), 10 bytes each
 *   closerange  close_range over open files, the fd numbers reused
 *   scmrights   an fd passed to a child over SCM_RIGHTS, written there
 *   rename      write, close, rename, N times (default 500)
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define BUFSZ 65536

static const char *dir;
static FILE *expect;
static char *buf;
static atomic_int stop;

static int
create(const char *name, char *path, size_t pathsz)
{
	snprintf(path, pathsz, "%s/%s", dir, name);
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

static void
said(const char *path, uint64_t bytes)
{
	fprintf(expect, "%s\t%llu\n", path, (unsigned long long)bytes);
}

static void *
unmapper(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		munmap(buf, BUFSZ);
		if (mmap(buf, BUFSZ, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			_exit(3);
		memset(buf, 'u', 100);
	}
	return NULL;
}

static int
mode_unmap(long n)
{
	char path[4096];
	int fd = create("unmap.out", path, sizeof(path)), i;
	pthread_t t;
	uint64_t ok = 0;

	buf = mmap(NULL, BUFSZ, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || buf == MAP_FAILED)
		return 1;
	pthread_create(&t, NULL, unmapper, NULL);
	for (i = 0; i < n; i++) {
		ssize_t w = write(fd, buf, BUFSZ);

		if (w > 0)
			ok += (uint64_t)w;
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	said(path, ok);
	return 0;
}

static int
mode_efault(void)
{
	char path[4096];
	int fd = create("efault.out", path, sizeof(path));
	struct iovec iov[2] = { { (void *)8, 10 }, { (void *)16, 10 } };
	uint64_t ok = 0;
	ssize_t w;

	if (fd < 0)
		return 1;
	if (syscall(SYS_write, fd, (void *)1, 100) != -1 || errno != EFAULT)
		return 1;
	if (writev(fd, iov, 2) != -1 || errno != EFAULT)
		return 1;
	if (syscall(SYS_write, fd, (void *)-4096L, 10) != -1)
		return 1;
	w = write(fd, "0123456789", 10);
	if (w > 0)
		ok += (uint64_t)w;
	said(path, ok);
	return 0;
}

static int
mode_ctlpath(void)
{
	static const char *const names[] = {
		"line\nbreak", "\x1b[31mred\x1b[0m", "bell\a", "tab\there",
		"del\x7f", "esc\x1b]0;title\x07", "back\\slash", "\xff\xfe"
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[4096];
		int fd = create(names[i], path, sizeof(path));

		if (fd < 0 || write(fd, "12345", 5) != 5)
			return 1;
		close(fd);
		/* the path itself would break EXPECT's lines: its index */
		fprintf(expect, "#%zu\t5\n", i);
	}
	return 0;
}

static int
mode_manyfiles(long n)
{
	char path[4096];
	long i;

	snprintf(path, sizeof(path), "%s/many", dir);
	if (mkdir(path, 0755) != 0)
		return 1;
	for (i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/many/f%06ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, "0123456789", 10) != 10)
			return 1;
		close(fd);
	}
	fprintf(expect, "FILES\t%ld\nTOTAL\t%ld\n", n, n * 10);
	return 0;
}

static int
mode_closerange(void)
{
	char path[4096];
	int round, i, fd;

	for (round = 0; round < 2; round++) {
		for (i = 0; i < 5; i++) {
			char name[32];

			snprintf(name, sizeof(name), "cr%d.%d", round, i);
			fd = create(name, path, sizeof(path));
			if (fd < 0 || write(fd, "xxxx", (size_t)(round + 1)) !=
			    round + 1)
				return 1;
			said(path, (uint64_t)(round + 1));
		}
		fflush(expect);
		/* every fd from 3 up, EXPECT's too: it is opened again */
		if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
			return 1;
		{
			char e[4096];

			snprintf(e, sizeof(e), "%s", getenv("HOSTILE_EXPECT"));
			expect = fopen(e, "a");
			if (expect == NULL)
				return 1;
		}
	}
	return 0;
}

static int
mode_scmrights(void)
{
	char path[4096];
	int sv[2], fd;
	pid_t pid;
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *cm;
	char one = '1';

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return 1;
	fflush(expect);
	pid = fork();
	if (pid == 0) {
		char b[200];
		int got;

		memset(&mh, 0, sizeof(mh));
		iov.iov_base = &one;
		iov.iov_len = 1;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		if (recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC) != 1)
			_exit(1);
		cm = CMSG_FIRSTHDR(&mh);
		if (cm == NULL)
			_exit(1);
		memcpy(&got, CMSG_DATA(cm), sizeof(got));
		memset(b, 's', sizeof(b));
		_exit(write(got, b, 123) == 123 ? 0 : 1);
	}
	fd = create("passed.out", path, sizeof(path));
	if (fd < 0)
		return 1;
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = &one;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	if (sendmsg(sv[0], &mh, 0) != 1)
		return 1;
	close(fd);
	{
		int st;

		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			return 1;
	}
	said(path, 123);
	return 0;
}

static int
mode_rename(long n)
{
	char path[4096], to[4096];
	long i;
	char b[100];

	memset(b, 'r', sizeof(b));
	snprintf(to, sizeof(to), "%s/r.log.1", dir);
	for (i = 0; i < n; i++) {
		int fd = create("r.log", path, sizeof(path));

		if (fd < 0 || write(fd, b, sizeof(b)) != (ssize_t)sizeof(b))
			return 1;
		close(fd);
		if (rename(path, to) != 0)
			return 1;
	}
	fprintf(expect, "TOTAL\t%ld\n", n * (long)sizeof(b));
	return 0;
}

int
main(int argc, char **argv)
{
	const char *mode;
	long n;
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: hostile MODE DIR EXPECT [N]\n");
		return 2;
	}
	mode = argv[1];
	dir = argv[2];
	setenv("HOSTILE_EXPECT", argv[3], 1);
	expect = fopen(argv[3], "we");
	if (expect == NULL)
		return 2;
	n = argc > 4 ? atol(argv[4]) : 0;
	if (strcmp(mode, "unmap") == 0)
		rc = mode_unmap(n > 0 ? n : 2000);
	else if (strcmp(mode, "efault") == 0)
		rc = mode_efault();
	else if (strcmp(mode, "ctlpath") == 0)
		rc = mode_ctlpath();
	else if (strcmp(mode, "manyfiles") == 0)
		rc = mode_manyfiles(n > 0 ? n : 100000);
	else if (strcmp(mode, "closerange") == 0)
		rc = mode_closerange();
	else if (strcmp(mode, "scmrights") == 0)
		rc = mode_scmrights();
	else if (strcmp(mode, "rename") == 0)
		rc = mode_rename(n > 0 ? n : 500);
	else {
		fprintf(stderr, "hostile: unknown mode %s\n", mode);
		return 2;
	}
	if (fclose(expect) != 0)
		return 1;
	return rc;
}
