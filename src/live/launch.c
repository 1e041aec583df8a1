/*
 * launch.c: the launch-mode steps both live engines share.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "live/launch.h"

extern char **environ;

int
launch_find_command(const char *cmd, char *buf, size_t bufsz)
{
	const char *path, *p;
	int saw_eacces = 0;
	struct stat st;

	if (strchr(cmd, '/') != NULL) {
		snprintf(buf, bufsz, "%s", cmd);
		if (stat(buf, &st) != 0)
			return errno;
		if (S_ISDIR(st.st_mode))
			return EISDIR;
		if (access(buf, X_OK) != 0)
			return errno;
		return 0;
	}
	path = getenv("PATH");
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; ) {
		const char *e = strchr(p, ':');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == 0)
			snprintf(buf, bufsz, "%s", cmd);
		else
			snprintf(buf, bufsz, "%.*s/%s", (int)len, p, cmd);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(buf, X_OK) == 0)
				return 0;
			saw_eacces = 1;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return saw_eacces ? EACCES : ENOENT;
}

int
launch_command_error(const char *cmd, int e, char *err, size_t errsz)
{
	if (e == ENOENT && strchr(cmd, '/') == NULL)
		snprintf(err, errsz, "%s: command not found", cmd);
	else
		snprintf(err, errsz, "%s: %s", cmd, strerror(e));
	return e == ENOENT ? 127 : 126;
}

char *
launch_join_argv(char **argv)
{
	size_t len = 0;
	int i;
	char *s;

	for (i = 0; argv[i] != NULL; i++)
		len += strlen(argv[i]) + 1;
	s = xmalloc(len + 1);
	s[0] = '\0';
	len = 0;
	for (i = 0; argv[i] != NULL; i++) {
		size_t l = strlen(argv[i]);

		if (i > 0)
			s[len++] = ' ';
		memcpy(s + len, argv[i], l);
		len += l;
	}
	s[len] = '\0';
	return s;
}

void
launch_name_process(struct pipeline *pl, pid_t pid, char **argv)
{
	char *cmdline = launch_join_argv(argv);
	const char *base = strrchr(argv[0], '/');
	char comm[16], dir[PATH_MAX];

	snprintf(comm, sizeof(comm), "%s", base ? base + 1 : argv[0]);
	pipeline_name_process(pl, pid, comm, cmdline);
	free(cmdline);
	pipeline_set_cwd(pl, pid, getcwd(dir, sizeof(dir)));
}

void
launch_child_reset(void)
{
	sigset_t none;

	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int
launch_child_wait(int sock)
{
	char go;

	return recv(sock, &go, 1, 0) == 1;
}

void
launch_child_exec(const char *path, char **argv)
{
	execve(path, argv, environ);
	_exit(errno == ENOENT ? 127 : 126);
}

/* -E: VAR=VAL sets, VAR unsets, in the order given (strace's -E). */
static void
child_env(const struct trace_settings *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nenv; i++) {
		const char *eq = strchr(cfg->env[i], '=');

		if (eq == NULL)
			unsetenv(cfg->env[i]);
		else {
			char *name = xstrndup(cfg->env[i],
			    (size_t)(eq - cfg->env[i]));

			setenv(name, eq + 1, 1);
			free(name);
		}
	}
}

/* -u USER: its groups, gid and uid, as strace sets them before the exec. */
static void
child_user(const struct trace_settings *cfg)
{
	const char *what;

	if (!cfg->set_user)
		return;
	what = "initgroups";
	if (cfg->user_groups ? initgroups(cfg->user, cfg->gid) != 0 :
	    setgroups(1, &cfg->gid) != 0)
		goto fail;
	what = "setresgid";
	if (setresgid(cfg->gid, cfg->gid, cfg->gid) != 0)
		goto fail;
	what = "setresuid";
	if (setresuid(cfg->uid, cfg->uid, cfg->uid) != 0)
		goto fail;
	return;
fail:
	fprintf(stderr, "iospy: -u %s: %s: %s\n", cfg->user, what,
	    strerror(errno));
	_exit(126);
}

static void __attribute__((noreturn))
child_main(int sock, const struct trace_settings *cfg, const char *path,
    char **argv, int (*prepare)(void))
{
	char go;
	int r = 0;

	/* what iospy changed must not leak into the command */
	launch_child_reset();
	/* recv/send are not in the seccomp filter's set: they never stop
	   the child */
	if (!launch_child_wait(sock))
		_exit(127);
	if (prepare != NULL) {
		errno = 0;
		r = prepare() == 0 ? 0 : (errno ? errno : EINVAL);
		if (send(sock, &r, sizeof(r), 0) != (ssize_t)sizeof(r))
			_exit(127);
		if (recv(sock, &go, 1, 0) != 1)
			_exit(127);
	}
	close(sock);
	if (cfg != NULL) {
		child_env(cfg);
		child_user(cfg);
	}
	launch_child_exec(path, argv);
}

int
launch_fork(struct launch *l, const struct trace_settings *cfg,
    const char *path, char **argv, int (*prepare)(void), char *err,
    size_t errsz)
{
	int sv[2];
	pid_t pid;

	l->pid = -1;
	l->sock = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, errsz, "socketpair: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errsz, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(sv[1], cfg, path, argv, prepare);
	}
	close(sv[1]);
	l->pid = pid;
	l->sock = sv[0];
	return 0;
}

int
launch_go(struct launch *l)
{
	char go = 'g';

	return send(l->sock, &go, 1, 0) == 1 ? 0 : -1;
}

int
launch_prepared(struct launch *l, int *result)
{
	int r;

	*result = 0;
	while ((r = (int)recv(l->sock, result, sizeof(*result), 0)) < 0 &&
	    errno == EINTR)
		;
	return r == (int)sizeof(*result) ? 0 : -1;
}

void
launch_close(struct launch *l)
{
	if (l->sock >= 0)
		close(l->sock);
	l->sock = -1;
}
