/*
 * procio.h: /proc/PID/io (the write side: wchar, syscw, write_bytes,
 * cancelled_write_bytes) and the few facts of /proc/PID/stat a sampler
 * needs to tell processes apart (name, start time).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SYSTEM_PROCIO_H
#define IOSPY_SYSTEM_PROCIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The write counters of /proc/PID/io. */
struct procio {
	uint64_t wchar;		/* bytes passed to write-like calls */
	uint64_t syscw;		/* write-like calls */
	uint64_t write_bytes;	/* bytes dirtied for the block layer */
	uint64_t cancelled;	/* cancelled_write_bytes: dirtied, then dropped
				   (truncated or deleted before writeback) */
};

/* procio_read results */
#define PROCIO_OK 0
#define PROCIO_GONE 1		/* the process is gone (ENOENT, ESRCH) */
#define PROCIO_DENIED 2		/* exists but cannot be read (EACCES, EPERM) */

/*
 * Parse the text of /proc/PID/io.  Returns 0, or -1 when a write field is
 * missing or malformed (a value out of range is malformed, never wrapped).
 */
int procio_parse(const char *text, struct procio *io);

/*
 * Parse the text of /proc/PID/stat: the name (escaped later by whoever
 * prints it) into comm, the start time in clock ticks into *start.
 * Returns 0 or -1.
 */
int procio_parse_stat(const char *text, char *comm, size_t commsz,
    uint64_t *start);

/*
 * Read proc_root/PID/io (proc_root is "/proc" outside tests).  Returns
 * PROCIO_OK, PROCIO_GONE or PROCIO_DENIED.
 */
int procio_read(const char *proc_root, pid_t pid, struct procio *io);

/*
 * Read the whole of a small file (at most max bytes) into a NUL-terminated
 * malloc'ed buffer (*len bytes, NULs kept); NULL with errno set on error.
 */
char *procio_slurp(const char *path, size_t max, size_t *len);

/*
 * The command line of pid, arguments joined by spaces, into buf (raw
 * bytes: escape before printing).  Falls back to "[comm]" when empty
 * (kernel threads).  Returns buf, or NULL when unreadable.
 */
char *procio_cmdline(const char *proc_root, pid_t pid, char *buf, size_t bufsz);

#endif /* IOSPY_SYSTEM_PROCIO_H */
