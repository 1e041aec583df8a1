/*
 * pipeline.h: where sources hand over their events.
 *
 * The pipeline normalises an event (process id from the thread id, command
 * name, fd -> path through the per-process fd tables), applies its effect on
 * the fd tables and the process table (open, dup, close, fork, exec, exit),
 * and passes it to every sink (stats, event log, ...).  It is the same for
 * live tracing and replay.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_PIPELINE_H
#define IOSPY_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/event.h"

struct pipeline;

/* A consumer of normalised events. */
typedef void (*pipeline_sink_fn)(void *ctx, const struct io_event *ev);

/*
 * How a live source answers what the event stream cannot tell: the path of
 * an fd opened before the trace began (fd = AT_FDCWD: the cwd) and the name
 * of a process first seen mid-run.  Replay has no resolver.
 */
struct pipeline_resolver {
	/* Path of fd in process pid into buf; NULL if unknown.  Sets
	   *deleted when the kernel says "(deleted)". */
	const char *(*fd_path)(void *ctx, pid_t pid, int fd, char *buf,
	    size_t bufsz, bool *deleted);
	/* comm and argv of pid (the strings, each with its NUL, and one NUL
	   more at the end: /proc/PID/cmdline as it is); false if unknown. */
	bool (*proc_info)(void *ctx, pid_t pid, char *comm, size_t commsz,
	    char *cmdline, size_t cmdlinesz);
	void *ctx;
	/* The answers are the state at the call being handled (the source
	   asks while the process is stopped there), not a later look. */
	bool exact;
};

/* A new pipeline with no sinks and no resolver. */
struct pipeline *pipeline_new(void);

/* Free the pipeline and its process and fd tables (not the sinks). */
void pipeline_free(struct pipeline *p);

/* Use r to resolve unknown fds and processes (copied). */
void pipeline_set_resolver(struct pipeline *p, const struct pipeline_resolver *r);

struct io_filter;

/*
 * Give the sinks only the events f lets through (strace's -e trace=,
 * status=, signal=, -P); the others still update the fd and process
 * tables.  f is not copied; NULL (or a filter that passes all) = none.
 */
void pipeline_set_filter(struct pipeline *p, const struct io_filter *f);

/* How many events the filter kept from the sinks. */
uint64_t pipeline_withheld(const struct pipeline *p);

/* Add a sink; sinks see events in the order they were added. */
void pipeline_add_sink(struct pipeline *p, pipeline_sink_fn fn, void *ctx);

/*
 * Normalise ev, update the tables and pass it to the sinks.  ev's pointers
 * may be replaced by pipeline-owned strings valid until the next call.
 * ev->pid may be 0: the pipeline finds it from ev->tid.
 */
void pipeline_event(struct pipeline *p, struct io_event *ev);

/* The working directory of process pid is dir (absolute; NULL: unknown),
   as a source knows it when the process starts being traced: relative
   paths start there until a chdir or fchdir moves it. */
void pipeline_set_cwd(struct pipeline *p, pid_t pid, const char *dir);

/* Name a process that a source knows about (first-process name in launch
 * mode, the -ff file's process); comm or cmdline may be NULL. */
void pipeline_name_process(struct pipeline *p, pid_t pid, const char *comm,
    const char *cmdline);

/* True if the fd table of thread tid's process has an entry for fd (a
 * live source asks before a call that may close fd, to read its path from
 * /proc while it is still open). */
bool pipeline_fd_known(struct pipeline *p, pid_t tid, int fd);

/* True if the pipeline has seen thread tid (and it has not exited). */
bool pipeline_thread_known(struct pipeline *p, pid_t tid);

/*
 * Thread parent is inside a clone/fork whose result is not known yet and
 * an unseen thread child has appeared: make child parent's child now (flags:
 * CLONE_THREAD, CLONE_FILES), so its first events see the right fds.  The
 * clone event that follows changes nothing more.
 */
void pipeline_fork_early(struct pipeline *p, pid_t parent, pid_t child,
    uint64_t flags);

/* The command name of thread tid's process, or NULL if unknown. */
const char *pipeline_comm_of(struct pipeline *p, pid_t tid);

/* The process (thread group) id of thread tid, or tid if unknown. */
pid_t pipeline_pid_of(struct pipeline *p, pid_t tid);

/* Label used for an fd whose path is unknown ("fd 3 (opened before the
 * trace)"), written to buf. */
const char *pipeline_unknown_label(int fd, char *buf, size_t bufsz);

#endif /* IOSPY_PIPELINE_H */
