/*
 * settings.h: what a live engine reads from the command line: whom to
 * trace, for how long, how much of each call to copy, and how to wait.
 * Shared by every live engine; the CLI fills it.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LIVE_SETTINGS_H
#define IOSPY_LIVE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct io_filter;

enum wait_mode { WAIT_AUTO = 0, WAIT_SPIN, WAIT_BLOCK };
/* which live engine traces (auto: bpf where it loads, else ptrace) */
enum engine_kind { ENGINE_AUTO = 0, ENGINE_PTRACE, ENGINE_BPF };

struct trace_settings {
	enum engine_kind engine;	/* --engine */

	/* whom */
	pid_t *pids;		/* attach: these pids */
	size_t npids;
	char **argv;		/* launch: this command (NULL-terminated) */
	int argc;
	double duration;	/* stop after SECS, 0 = until the end */
	bool follow;		/* follow forks (always true) */

	/* launch: strace's -E and -u for the command */
	char **env;		/* -E VAR=VAL (set) and -E VAR (unset), in order */
	size_t nenv;
	bool set_user;		/* -u USER: run the command as USER */
	bool user_groups;	/* USER has a passwd entry: its groups too */
	char *user;
	uid_t uid;
	gid_t gid;

	/* what to copy into each event */
	bool read_data;		/* copy written bytes (an event log shows them) */
	int strsize;		/* at most this many bytes of them */
	bool Tflag;		/* measure each call's duration */
	bool quiet;		/* no "attached"/"detached" messages */

	/* stacks */
	bool stack;		/* unwind the caller of big writes */
	uint64_t stack_min;	/* writes of at least this many bytes */

	/* tuning */
	enum wait_mode wait;
	bool pin;		/* one CPU for iospy and the tracees */
	int pin_cpu;		/* -1 = the CPU iospy runs on */
	bool seccomp;		/* launch: stop only on the calls iospy decodes */

	/* strace's -e trace= (and the rest): the engine stops only on what
	   it selects plus what the fd and process tables need; NULL = all */
	const struct io_filter *filter;
};

#endif /* IOSPY_LIVE_SETTINGS_H */
