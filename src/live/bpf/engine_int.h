/*
 * engine_int.h: the bpf engine's state, shared by its loader (load.c)
 * and its event conversion and loop (engine.c).  Internal to
 * src/live/bpf.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LIVE_BPF_ENGINE_INT_H
#define IOSPY_LIVE_BPF_ENGINE_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uthash.h>

#include "live/bpf/engine.h"
#include "live/bpf/iospy_bpf.h"

/* The loop polls the ring buffer every POLL_MS (up to POLL_IDLE_MS while
   the process is idle); the program wakes it
   early once WAKE_BYTES of records wait. */
#define POLL_MS 50
#define POLL_IDLE_MS 800	/* the longest wait while nothing comes */
#define WAKE_BYTES (2u << 20)
/* A launched command asked to stop is traced this much longer, to see
   its end (it got the terminal's signal too). */
#define STOP_GRACE_MS 1000

/* One thread the records speak of. */
struct bthr {
	pid_t tid;
	pid_t tgid;
	bool pre_exec;		/* the launched child before its execve */
	bool have_enter;	/* an entry record waits for its call's end */
	uint32_t enter_nr;
	uint32_t enter_abi;
	uint64_t how_flags, how_mode;
	bool have_size;
	int64_t unlink_size;
	char *path1, *path2;	/* PATH_MAX each, NULL = none */
	char *argv;		/* IOSPY_ARGV_MAX + 1 */
	size_t argv_len;
	bool argv_trunc;
	uint64_t argv_cut;	/* execve: the cut string (io_event.argv_cut) */
	uint64_t envp;		/* execve: the environment pointer */
	char pathbuf[PATH_MAX];	/* the open result's path */
	UT_hash_handle hh;
};

/* A traced thread group. */
struct bproc {
	pid_t tgid;
	UT_hash_handle hh;
};

/* An fd open at the attach, from /proc/PID/fd. */
struct snap {
	pid_t pid;
	int fd;
	bool deleted;
	char *path;
};

struct beng {
	const struct trace_settings *cfg;
	struct pipeline *pl;
	const struct source_hooks *hooks;
	struct bpf_result *res;
	struct iospy_bpf *skel;
	struct ring_buffer *rb;
	struct bthr *threads;
	struct bproc *procs;
	struct snap *snaps;
	size_t nsnaps;
	int64_t mono_to_real;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	pid_t child;		/* launch: the command */
	bool child_done;
	bool child_ended;	/* its exit record came: reapable any moment */
	int child_status;
	bool child_execd;
	int child_exec_err;
	bool want_data;
	char argvbuf[IOSPY_ARGV_MAX + 1];
};

/* engine.c: one ring-buffer record into events (ring_buffer__new's
   callback; ctx is the struct beng). */
int engine_on_record(void *ctx, void *data, size_t size);

/* load.c: open and load the program, fill its syscall table and attach
   it; on failure, err says why in words a user can act on. */
int engine_load(struct beng *b, char *err, size_t errsz);

#endif
