/*
 * launch.h: the launch-mode steps both live engines share: find the
 * command like a shell, name the first process, and the child's side of
 * the handshake (it waits until the engine is ready for it, then execs).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LIVE_LAUNCH_H
#define IOSPY_LIVE_LAUNCH_H

#include <stddef.h>
#include <sys/types.h>

#include "live/settings.h"
#include "model/pipeline.h"

/* Find cmd like a shell does: its path in buf, or an errno. */
int launch_find_command(const char *cmd, char *buf, size_t bufsz);

/* The error message for launch_find_command's e into err; the exit status
 * a shell would give (127 not found, 126 not runnable). */
int launch_command_error(const char *cmd, int e, char *err, size_t errsz);

/* argv joined by spaces (malloc'd). */
char *launch_join_argv(char **argv);

/* Tell the pipeline the first process's name and command line, and its
   working directory (iospy's own: the command starts there). */
void launch_name_process(struct pipeline *pl, pid_t pid, char **argv);

/* In the child: undo what iospy changed (signal handlers, mask). */
void launch_child_reset(void);

/* In the child: wait for the engine's go on sock (1 byte); false if the
 * engine went away. */
int launch_child_wait(int sock);

/* In the child: exec path, or _exit(127/126). */
void launch_child_exec(const char *path, char **argv)
    __attribute__((noreturn));

/*
 * The whole handshake, both sides.  The command is forked first and waits,
 * with iospy's signal settings undone, until the engine is ready to follow
 * it (a tracer seized, a BPF program loaded); only then does it exec.  An
 * engine may have the child run one step of its own before the exec
 * (install a seccomp filter): the step's result comes back to the parent,
 * which answers with a second go.  Both ends of the socket pair are
 * close-on-exec: neither crosses into the command.
 */
struct launch {
	pid_t pid;		/* the child */
	int sock;		/* the parent's end, -1 when closed */
};

/* Fork the child that will exec path with argv: it waits for the first go;
 * then, if prepare is set, runs prepare() (0, or -1 with errno), sends the
 * result (0 or the errno) and waits for a second go; then applies cfg's
 * -E changes to its environment, becomes cfg's -u user (its gid, groups
 * and uid; a failure is said on stderr and ends the child with 126) and
 * execs.  0, or -1 with err set. */
int launch_fork(struct launch *l, const struct trace_settings *cfg,
    const char *path, char **argv, int (*prepare)(void), char *err,
    size_t errsz);

/* Tell the child to go on; 0, or -1 if it is gone. */
int launch_go(struct launch *l);

/* The result of the child's prepare step into *result; 0, or -1 if the
 * child is gone. */
int launch_prepared(struct launch *l, int *result);

/* Close the parent's end. */
void launch_close(struct launch *l);

#endif /* IOSPY_LIVE_LAUNCH_H */
