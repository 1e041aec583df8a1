/*
 * procfs.c: what both live engines read from /proc.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live/procfs.h"
#include "live/sockname.h"

bool
procfs_status_field(pid_t pid, const char *key, char *buf, size_t bufsz)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	FILE *f;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		const char *v = line + kl + 1;

		if (strncmp(line, key, kl) != 0 || line[kl] != ':')
			continue;
		while (*v == ' ' || *v == '\t')
			v++;
		snprintf(buf, bufsz, "%.*s", (int)strcspn(v, "\n"), v);
		found = true;
	}
	fclose(f);
	return found;
}

bool
procfs_fd_cloexec(pid_t pid, int fd)
{
	char path[64], line[128];
	unsigned long flags = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = sscanf(line, "flags: %lo", &flags) == 1;
	fclose(f);
	return found && (flags & O_CLOEXEC) != 0;
}

pid_t
procfs_tgid(pid_t tid)
{
	char v[32];
	pid_t tgid;

	if (!procfs_status_field(tid, "Tgid", v, sizeof(v)))
		return tid;
	tgid = (pid_t)atoi(v);
	return tgid > 0 ? tgid : tid;
}

/*
 * readlink of /proc/PID/WHAT, or of /proc/PID/task/TID/WHAT for another
 * thread of pid when the first fails: once the main thread has exited
 * (pthread_exit in main), /proc/PID/fd is empty and /proc/PID/cwd
 * unreadable, while every other thread still shows the shared table.
 */
static ssize_t
proc_readlink(pid_t pid, const char *what, char *buf, size_t bufsz)
{
	char link[96];
	ssize_t n;
	DIR *d;
	struct dirent *de;

	snprintf(link, sizeof(link), "/proc/%d/%s", (int)pid, what);
	n = readlink(link, buf, bufsz - 1);
	if (n >= 0 || (errno != ENOENT && errno != EACCES))
		return n;
	snprintf(link, sizeof(link), "/proc/%d/task", (int)pid);
	d = opendir(link);
	if (d == NULL)
		return -1;
	n = -1;
	while ((de = readdir(d)) != NULL) {
		int tid = atoi(de->d_name);

		if (tid <= 0 || tid == (int)pid)
			continue;
		snprintf(link, sizeof(link), "/proc/%d/task/%d/%s", (int)pid,
		    tid, what);
		n = readlink(link, buf, bufsz - 1);
		if (n >= 0)
			break;
	}
	closedir(d);
	return n;
}

const char *
procfs_fd_path(void *ctx, pid_t pid, int fd, char *buf, size_t bufsz,
    bool *deleted)
{
	char what[32];
	ssize_t n;
	static const char del[] = " (deleted)";
	size_t dl = sizeof(del) - 1;

	(void)ctx;
	*deleted = false;
	if (fd == AT_FDCWD)
		snprintf(what, sizeof(what), "cwd");
	else if (fd < 0)
		return NULL;
	else
		snprintf(what, sizeof(what), "fd/%d", fd);
	n = proc_readlink(pid, what, buf, bufsz);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	n = sockname_rewrite(pid, buf, bufsz, n);	/* -yy */
	if ((size_t)n > dl && strcmp(buf + n - dl, del) == 0) {
		buf[n - dl] = '\0';
		*deleted = true;
	}
	return buf;
}

/* /proc/PID/cmdline as it is: the argv strings, each with its NUL. */
ssize_t
procfs_cmdline(pid_t pid, char *buf, size_t bufsz)
{
	char path[64];
	int fd;
	ssize_t n;

	if (bufsz < 2)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, bufsz - 1);
	close(fd);
	if (n <= 0)
		return -1;
	if (buf[n - 1] != '\0')
		buf[n++] = '\0';
	return n;
}

bool
procfs_proc_info(void *ctx, pid_t pid, char *comm, size_t commsz, char *cmdline,
    size_t cmdlinesz)
{
	char path[64];
	int fd;
	ssize_t n, i;

	(void)ctx;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, comm, commsz - 1);
	close(fd);
	if (n < 0)
		return false;
	if (n > 0 && comm[n - 1] == '\n')
		n--;
	comm[n] = '\0';
	cmdline[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		/* the strings with their NULs, and a NUL more at the end */
		n = read(fd, cmdline, cmdlinesz - 2);
		close(fd);
		if (n < 0)
			n = 0;
		for (i = 0; i < n; i++)	/* a process may rewrite its argv */
			if (i + 1 < n && cmdline[i] == '\0' && cmdline[i + 1] == '\0')
				break;
		n = i;
		if (n > 0 && cmdline[n - 1] != '\0')
			cmdline[n++] = '\0';
		cmdline[n] = '\0';
	}
	return true;
}

bool
procfs_thread_dead(pid_t tid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* comm may hold anything */
	return p != NULL && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

ssize_t
procfs_fd_link(pid_t tid, int fd, char *buf, size_t bufsz)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, fd);
	n = readlink(link, buf, bufsz - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return sockname_rewrite(tid, buf, bufsz, n);	/* -yy */
}

pid_t
procfs_tracer_pid(pid_t pid)
{
	char v[32];

	return procfs_status_field(pid, "TracerPid", v, sizeof(v)) ?
	    (pid_t)atoi(v) : 0;
}

int64_t
procfs_file_size(pid_t tid, int dirfd, const char *path)
{
	char p[PATH_MAX + 64];
	struct stat sb;

	if (path[0] == '/')
		snprintf(p, sizeof(p), "/proc/%d/root%s", (int)tid, path);
	else if (dirfd == AT_FDCWD || dirfd < 0)
		snprintf(p, sizeof(p), "/proc/%d/cwd/%s", (int)tid, path);
	else
		snprintf(p, sizeof(p), "/proc/%d/fd/%d/%s", (int)tid, dirfd,
		    path);
	if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode))
		return (int64_t)sb.st_size;
	return -1;
}
