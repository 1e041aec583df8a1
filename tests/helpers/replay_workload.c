/*
 * replay_workload: writes known amounts to a few files in DIR, through
 * write, writev, pwrite64, a dup'ed fd, and a forked child that inherits
 * an fd, so a live trace and replays of strace logs of the same run can be
 * compared file by file (tests/e2e_replay_parity.sh).
 *
 *   a.log   12 writes: 10 x 1000 B (parent) + 2 x 100 B (child)   = 10200 B
 *   b.log    3 writevs of 300 + 200 B                              =  1500 B
 *   c.dat    5 pwrite64 of 4096 B                                  = 20480 B
 *   d.log    4 writes of 10 B through a dup2'ed fd (fd 9)          =    40 B
 *
 * Usage: replay_workload DIR
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int
open_in(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

int
main(int argc, char **argv)
{
	char buf[4096];
	struct iovec iov[2];
	int a, b, c, d, i, status;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: replay_workload DIR\n");
		return 2;
	}
	memset(buf, 'x', sizeof(buf));
	a = open_in(argv[1], "a.log");
	b = open_in(argv[1], "b.log");
	c = open_in(argv[1], "c.dat");
	d = open_in(argv[1], "d.log");
	if (a < 0 || b < 0 || c < 0 || d < 0) {
		perror("open");
		return 1;
	}
	for (i = 0; i < 10; i++)
		if (write(a, buf, 1000) != 1000)
			return 1;
	iov[0].iov_base = buf;
	iov[0].iov_len = 300;
	iov[1].iov_base = buf;
	iov[1].iov_len = 200;
	for (i = 0; i < 3; i++)
		if (writev(b, iov, 2) != 500)
			return 1;
	for (i = 0; i < 5; i++)
		if (pwrite(c, buf, 4096, (off_t)i * 4096) != 4096)
			return 1;
	if (dup2(d, 9) != 9)
		return 1;
	close(d);
	for (i = 0; i < 4; i++)
		if (write(9, "0123456789", 10) != 10)
			return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		for (i = 0; i < 2; i++)
			if (write(a, buf, 100) != 100)
				_exit(1);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return 1;
	close(a);
	close(b);
	close(c);
	close(9);
	return 0;
}
