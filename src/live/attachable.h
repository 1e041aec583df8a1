/*
 * attachable.h: what -p may trace, told before an engine tries: zombies
 * and kernel threads are refused with their state named, and the
 * processes' children started before the attach (which no engine follows)
 * are listed for the report.  No ptrace call: both live engines share it.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LIVE_ATTACHABLE_H
#define IOSPY_LIVE_ATTACHABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Why pid cannot be traced at all (a zombie, a kernel thread), as a
 * sentence "cannot attach to PID (COMM): ..." in msg; false when nothing
 * stands against it (or /proc says nothing: the engine then tells).
 */
bool live_attach_refused(pid_t pid, char *msg, size_t msgsz);

/*
 * The reason the kernel gave EPERM for pid, for the user: the owner, or
 * yama's ptrace_scope where yama exists and could be the cause (not
 * root).  Written as a clause into msg ("it belongs to uid 1000; ...").
 */
void live_eperm_reason(pid_t pid, char *msg, size_t msgsz);

/* pid's command name from /proc/PID/stat, escaped for a terminal ("?"
   when it cannot be read). */
void live_comm(pid_t pid, char *comm, size_t sz);

/* A descendant of a -p process that was running before the attach. */
struct live_child {
	pid_t pid, parent;
	char comm[32];
};

/*
 * The descendants of pids[0..npids-1] that are not themselves in pids,
 * from /proc/PID/task/TID/children, at most max in out; returns how many
 * there are in all (which may be more than max).
 */
size_t live_untraced_children(const pid_t *pids, size_t npids,
    struct live_child *out, size_t max);

#endif /* IOSPY_LIVE_ATTACHABLE_H */
