/*
 * tests/stress/target.c: the process the stress trial attaches to.
 *
 *   target SHM DIR          run until SHM says quit
 *   target --child SHM FILE N   (exec'd by the forker) write N bytes, exit
 *
 * Writer threads (write, writev, pwrite), a thread that forks and execs
 * this program every few milliseconds, a thread that creates short-lived
 * threads, and a handler for SIGRTMIN+1, which the trial sends at a steady
 * rate.  Every byte written to DIR is counted in SHM, a file both sides map,
 * so the count costs the target no syscall the trace would see.  Writes
 * happen only while SHM's go flag is set; `busy` counts the writers between
 * reading the flag and counting their bytes, so the trial can close a
 * window exactly: clear go, wait for busy 0, read the bytes.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NWRITERS 4

/* The shared page: 64-bit slots, read by tests/stress/stress.py. */
enum {
	S_MAGIC, S_GO, S_BUSY, S_BYTES, S_SIGS, S_READY, S_NPERSIST, S_QUIT,
	S_WRITES, S_FORKS, S_SPAWNS, S_ERRORS, S_TIDS = 16, S_NSLOTS = 64
};
#define MAGIC 0x10579e55u

static _Atomic uint64_t *shm;
static const char *self_path, *shm_path, *dir;

static _Atomic uint64_t *
map_shm(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	void *p;

	if (fd < 0)
		return NULL;
	p = mmap(NULL, S_NSLOTS * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static void
nap(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
on_rt(int sig)
{
	(void)sig;
	atomic_fetch_add(&shm[S_SIGS], 1);
}

static int
open_in_dir(const char *name)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* One gated write of len bytes by way of how (0 write, 1 writev, 2 pwrite). */
static void
gated_write(int fd, const char *buf, size_t len, int how)
{
	ssize_t n = 0;

	atomic_fetch_add(&shm[S_BUSY], 1);
	if (atomic_load(&shm[S_GO])) {
		if (how == 0)
			n = write(fd, buf, len);
		else if (how == 1) {
			struct iovec iov[2] = {
				{ (void *)buf, len / 2 },
				{ (void *)(buf + len / 2), len - len / 2 }
			};

			n = writev(fd, iov, 2);
		} else
			n = pwrite(fd, buf, len, 0);
		if (n > 0) {
			atomic_fetch_add(&shm[S_BYTES], (uint64_t)n);
			atomic_fetch_add(&shm[S_WRITES], 1);
		} else
			atomic_fetch_add(&shm[S_ERRORS], 1);
	}
	atomic_fetch_sub(&shm[S_BUSY], 1);
}

static void *
writer(void *arg)
{
	int i = (int)(intptr_t)arg, fd, k = 0;
	char name[32], buf[4096];
	unsigned seed = (unsigned)i * 7919u + 1;

	shm[S_TIDS + 1 + i] = (uint64_t)syscall(SYS_gettid);
	memset(buf, 'a' + i, sizeof(buf));
	snprintf(name, sizeof(name), "w%d.log", i);
	fd = open_in_dir(name);
	if (fd < 0)
		return NULL;
	while (!atomic_load(&shm[S_QUIT])) {
		size_t len = 1 + rand_r(&seed) % sizeof(buf);

		gated_write(fd, buf, len, k++ % 3);
		nap(200 + rand_r(&seed) % 300);
	}
	close(fd);
	return NULL;
}

static void *
forker(void *arg)
{
	char file[4096];

	(void)arg;
	shm[S_TIDS + 1 + NWRITERS] = (uint64_t)syscall(SYS_gettid);
	snprintf(file, sizeof(file), "%s/child.log", dir);
	while (!atomic_load(&shm[S_QUIT])) {
		atomic_fetch_add(&shm[S_BUSY], 1);
		if (atomic_load(&shm[S_GO])) {
			pid_t pid = fork();

			if (pid == 0) {
				execl(self_path, self_path, "--child", shm_path,
				    file, "1000", (char *)NULL);
				_exit(127);
			}
			if (pid > 0) {
				while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
					;
				atomic_fetch_add(&shm[S_FORKS], 1);
			}
		}
		atomic_fetch_sub(&shm[S_BUSY], 1);
		nap(5000);
	}
	return NULL;
}

static void *
short_lived(void *arg)
{
	int fd = (int)(intptr_t)arg;
	static const char msg[100] = "short-lived thread\n";

	gated_write(fd, msg, sizeof(msg), 0);
	return NULL;
}

static void *
churner(void *arg)
{
	int fd = open_in_dir("threads.log");

	(void)arg;
	shm[S_TIDS + 2 + NWRITERS] = (uint64_t)syscall(SYS_gettid);
	while (!atomic_load(&shm[S_QUIT])) {
		pthread_t t;

		if (pthread_create(&t, NULL, short_lived,
		    (void *)(intptr_t)fd) == 0) {
			pthread_detach(t);
			atomic_fetch_add(&shm[S_SPAWNS], 1);
		}
		nap(1000);
	}
	return NULL;
}

static int
child_main(const char *file, long n)
{
	char buf[4096];
	int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	ssize_t w;

	if (fd < 0)
		return 1;
	memset(buf, 'c', sizeof(buf));
	w = write(fd, buf, (size_t)n);
	if (w > 0)
		atomic_fetch_add(&shm[S_BYTES], (uint64_t)w);
	return 0;
}

int
main(int argc, char **argv)
{
	pthread_t t[NWRITERS + 2];
	struct sigaction sa;
	int i;

	if (argc == 5 && strcmp(argv[1], "--child") == 0) {
		shm = map_shm(argv[2]);
		return shm == NULL ? 1 : child_main(argv[3], atol(argv[4]));
	}
	if (argc != 3) {
		fprintf(stderr, "usage: target SHM DIR\n");
		return 2;
	}
	self_path = "/proc/self/exe";
	shm_path = argv[1];
	dir = argv[2];
	shm = map_shm(shm_path);
	if (shm == NULL) {
		perror("target: shm");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_rt;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	shm[S_TIDS] = (uint64_t)syscall(SYS_gettid);
	for (i = 0; i < NWRITERS; i++)
		pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i);
	pthread_create(&t[NWRITERS], NULL, forker, NULL);
	pthread_create(&t[NWRITERS + 1], NULL, churner, NULL);
	while (shm[S_TIDS + 2 + NWRITERS] == 0 || shm[S_TIDS + NWRITERS] == 0)
		nap(1000);
	shm[S_NPERSIST] = NWRITERS + 3;
	shm[S_MAGIC] = MAGIC;
	atomic_store(&shm[S_READY], 1);
	while (!atomic_load(&shm[S_QUIT]))
		nap(10000);
	for (i = 0; i < NWRITERS + 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
