/*
 * filter.h: strace's filtering qualifiers (-e trace=, status=, signal=,
 * -P PATH) as one filter every source shares.
 *
 * The command line parses each -e EXPR and -P PATH into a struct
 * io_filter (filter_qualify, filter_add_path); the pipeline asks it about
 * each normalised event (filter_event) and keeps what it refuses away from
 * the sinks (stats, report, limits, event log) while still applying the
 * event to its fd and process tables, so the paths of the calls that are
 * counted still resolve.  A live engine asks it which syscalls it needs to
 * stop on at all (filter_traces): what is selected, plus what the tables
 * need (filter_state_class).
 *
 * The syntax and the words of the errors are strace's (6.1): a repeated
 * qualifier replaces the earlier one, as strace does; -P paths add up.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_FILTER_H
#define IOSPY_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/event.h"

struct io_filter;

/* -e status= values (strace's words). */
#define FILTER_ST_SUCCESSFUL	0x01
#define FILTER_ST_FAILED	0x02
#define FILTER_ST_UNFINISHED	0x04
#define FILTER_ST_UNAVAILABLE	0x08
#define FILTER_ST_DETACHED	0x10
#define FILTER_ST_ALL		0x1f

/* -e decode-fds= values (-y = path, -yy = path,socket,dev). */
#define FILTER_FD_PATH		0x01
#define FILTER_FD_SOCKET	0x02
#define FILTER_FD_DEV		0x04
#define FILTER_FD_PIDFD		0x08

/* A filter that lets everything through. */
struct io_filter *filter_new(void);
void filter_free(struct io_filter *f);

/*
 * Apply one -e EXPR: "trace=SET" (or a bare SET), "status=SET",
 * "signal=SET", and the qualifiers iospy accepts because it already
 * behaves so (quiet=, decode-fds=, abbrev=all, verbose=all, raw=none,
 * read=none, write=none).  Returns 0, or -1 with err set: strace's message
 * for bad syntax ("invalid system call 'foo'"), or which strace qualifier
 * iospy does not support and why.
 */
int filter_qualify(struct io_filter *f, const char *expr, char *err,
    size_t errsz);

/* -P PATH: only calls touching PATH (repeatable; paths add up). */
void filter_add_path(struct io_filter *f, const char *path);

/* The -P paths, in the order given. */
const char *const *filter_paths(const struct io_filter *f, size_t *n);

/* True if anything is filtered (trace, status, signal or paths). */
bool filter_active(const struct io_filter *f);

/* True if -e trace= narrows the syscalls (not "all"). */
bool filter_narrows_calls(const struct io_filter *f);

/* True if the event passes: the pipeline gives it to the sinks. */
bool filter_event(const struct io_filter *f, const struct io_event *ev);

/* True if -e trace= selects syscall name (as abi spells it). */
bool filter_traces_name(const struct io_filter *f, int abi, const char *name);

/*
 * True if a live engine must see calls of class cls whatever -e trace=
 * says: the fd and process tables need them (open, close, dup, pipe and
 * socket fds, fork, exec, exit, rename, unlink).
 */
bool filter_state_class(enum io_class cls);

/* True if a live engine must stop on sys (decoded) of abi: selected, or
 * needed for state. */
bool filter_traces(const struct io_filter *f, int abi, enum io_sys sys,
    const char *name);

/* -e quiet=attach (or all): no attach/detach messages. */
bool filter_quiet_attach(const struct io_filter *f);
/* -e quiet=path-resolution: no "Requested path resolved" message. */
bool filter_quiet_path_resolution(const struct io_filter *f);

/* The -e decode-fds= bits asked for (FILTER_FD_*); 0 if never given. */
unsigned filter_decode_fds(const struct io_filter *f);
/* Set the decode-fds bits (-y, -yy). */
void filter_set_decode_fds(struct io_filter *f, unsigned bits);

/*
 * What the filter selects, as strace flags ("-e trace=write -P /tmp/x"),
 * or NULL if nothing is filtered.  Valid until the filter changes.
 */
const char *filter_describe(const struct io_filter *f);

/* The -e status= bits (FILTER_ST_ALL when not given). */
unsigned filter_status(const struct io_filter *f);

#endif /* IOSPY_FILTER_H */
