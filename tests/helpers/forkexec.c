/*
 * forkexec: the parent writes DIR/parent.out (3 x 100 B); a fork()ed child
 * writes DIR/child.out (5 x 10 B) and then execs WRITER DIR/exec.out 7 20;
 * with "vfork" a vfork()ed child execs WRITER directly.  The parent exits
 * with the child's status.
 *   forkexec DIR WRITER [fork|vfork]
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int
put(const char *dir, const char *name, int n, int size)
{
	char path[4096], buf[256];
	int fd, i;

	memset(buf, 'f', sizeof(buf));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (write(fd, buf, (size_t)size) != size)
			return -1;
	return close(fd);
}

int
main(int argc, char **argv)
{
	char out[4096];
	pid_t pid;
	int st;
	int use_vfork = argc > 3 && strcmp(argv[3], "vfork") == 0;

	if (argc < 3) {
		fprintf(stderr, "usage: forkexec DIR WRITER [fork|vfork]\n");
		return 2;
	}
	snprintf(out, sizeof(out), "%s/exec.out", argv[1]);
	if (use_vfork) {
		pid = vfork();
		if (pid == 0) {
			execl(argv[2], argv[2], out, "7", "20", (char *)NULL);
			_exit(127);
		}
	} else {
		pid = fork();
		if (pid == 0) {
			if (put(argv[1], "child.out", 5, 10) != 0)
				_exit(1);
			execl(argv[2], argv[2], out, "7", "20", (char *)NULL);
			_exit(127);
		}
	}
	if (pid < 0)
		return 1;
	if (put(argv[1], "parent.out", 3, 100) != 0)
		return 1;
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
