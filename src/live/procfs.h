/*
 * procfs.h: what both live engines read from /proc: a thread's group, the
 * path behind an fd (the pipeline's resolver for fds opened before the
 * trace), a process's name and command line.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LIVE_PROCFS_H
#define IOSPY_LIVE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The thread-group id of tid from /proc/TID/status (tid if unknown). */
/* The value of KEY in /proc/PID/status ("Tgid", "TracerPid", "CapPrm")
   into buf, blanks before it taken off; false if gone or absent. */
bool procfs_status_field(pid_t pid, const char *key, char *buf, size_t bufsz);

pid_t procfs_tgid(pid_t tid);

/* The path of fd in pid (AT_FDCWD: its cwd) into buf, NULL if unreadable
 * or fd is negative; *deleted when the kernel says "(deleted)".  Read
 * through another thread (/proc/PID/task/TID) once the main thread has
 * exited.  ctx is unused (the shape of struct pipeline_resolver's
 * fd_path). */
const char *procfs_fd_path(void *ctx, pid_t pid, int fd, char *buf,
    size_t bufsz, bool *deleted);

/* True if fd of pid is close-on-exec (the flags in /proc/PID/fdinfo/FD);
   false also when that cannot be read. */
bool procfs_fd_cloexec(pid_t pid, int fd);

/* comm and argv of pid (/proc/PID/cmdline: each string with its NUL,
   one NUL more at the end); false if gone. */
bool procfs_proc_info(void *ctx, pid_t pid, char *comm, size_t commsz,
    char *cmdline, size_t cmdlinesz);

/* /proc/PID/cmdline raw (argv strings, each with its NUL) into buf: its
 * length, or -1. */
ssize_t procfs_cmdline(pid_t pid, char *buf, size_t bufsz);

/* True if tid has exited but is not reaped, or is gone. */
bool procfs_thread_dead(pid_t tid);

/* The raw /proc/TID/fd/FD link into buf (NUL-terminated); its length, or
 * -1. */
ssize_t procfs_fd_link(pid_t tid, int fd, char *buf, size_t bufsz);

/* The pid tracing pid (TracerPid), 0 for none or unknown. */
pid_t procfs_tracer_pid(pid_t pid);

/* The size of the regular file path names for tid (relative to dirfd, or
 * its cwd for AT_FDCWD or a negative fd; its root for an absolute path),
 * seen through /proc so the tracee's own root and cwd apply; -1 when it is
 * not a regular file. */
int64_t procfs_file_size(pid_t tid, int dirfd, const char *path);

#endif /* IOSPY_LIVE_PROCFS_H */
