/*
 * sockname.h: strace -yy's socket names for live fds.  /proc names a
 * socket "socket:[INODE]"; with -yy strace prints its protocol instead
 * ("TCP:[INODE]", "UNIX-STREAM:[INODE]"), which the /proc/PID/net tables
 * tell by the inode.  Off unless sockname_enable(true).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SOCKNAME_H
#define IOSPY_SOCKNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Name sockets by protocol from now on (-yy). */
void sockname_enable(bool on);

/*
 * buf holds the n-byte link of one of pid's fds: when it is
 * "socket:[INODE]" and the protocol is found, rewrite it to
 * "PROTO:[INODE]" in place.  Returns the new length (n if unchanged).
 */
ssize_t sockname_rewrite(pid_t pid, char *buf, size_t bufsz, ssize_t n);

/*
 * A socket() just made is in no /proc/net table until bound or
 * connected: name buf's "socket:[INODE]" from the call's domain and
 * type instead ("TCP", "UDPv6", "UNIX-STREAM", "NETLINK").
 */
void sockname_from_args(char *buf, size_t bufsz, int domain, int type);

#endif /* IOSPY_SOCKNAME_H */
