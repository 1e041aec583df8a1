/*
 * attachable.c: what -p may trace (see attachable.h), from /proc only.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "live/attachable.h"
#include "live/procfs.h"

#define PF_KTHREAD_FLAG 0x00200000u	/* linux/sched.h: a kernel thread */

struct stat_line {
	char comm[32];		/* escaped for a terminal */
	char state;
	pid_t ppid;
	unsigned long flags;
};

/* Read /proc/PID/stat (a thread's when tid is not its group's). */
static bool
read_stat(const char *path, struct stat_line *sl)
{
	char buf[1024], *open_p, *close_p;
	FILE *f = fopen(path, "re");
	size_t n;
	int ppid;

	if (f == NULL)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the command is between the first '(' and the last ')' */
	open_p = strchr(buf, '(');
	close_p = strrchr(buf, ')');
	if (open_p == NULL || close_p == NULL || close_p < open_p)
		return false;
	*close_p = '\0';
	util_escape_path(open_p + 1, sl->comm, sizeof(sl->comm));
	if (sscanf(close_p + 1, " %c %d %*d %*d %*d %*d %lu", &sl->state, &ppid,
	    &sl->flags) != 3)
		return false;
	sl->ppid = (pid_t)ppid;
	return true;
}

void
live_comm(pid_t pid, char *comm, size_t sz)
{
	char path[64];
	struct stat_line sl;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	snprintf(comm, sz, "%s", read_stat(path, &sl) ? sl.comm : "?");
}

/* Every thread of pid has exited (the group is a zombie). */
static bool
all_threads_dead(pid_t pid)
{
	char path[128];
	DIR *d;
	struct dirent *de;
	bool dead = true;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return true;
	while (dead && (de = readdir(d)) != NULL) {
		struct stat_line sl;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/stat",
		    (int)pid, de->d_name);
		if (read_stat(path, &sl) && sl.state != 'Z' && sl.state != 'X')
			dead = false;
	}
	closedir(d);
	return dead;
}

bool
live_attach_refused(pid_t pid, char *msg, size_t msgsz)
{
	char path[64], pcomm[32];
	struct stat_line sl;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!read_stat(path, &sl))
		return false;
	if (sl.flags & PF_KTHREAD_FLAG) {
		snprintf(msg, msgsz, "cannot attach to %d (%s): it is a kernel "
		    "thread, which has no user space to trace", (int)pid,
		    sl.comm);
		return true;
	}
	if ((sl.state == 'Z' || sl.state == 'X') && all_threads_dead(pid)) {
		live_comm(sl.ppid, pcomm, sizeof(pcomm));
		snprintf(msg, msgsz, "cannot attach to %d (%s): it is a zombie "
		    "(exited, not yet reaped by its parent %d (%s))", (int)pid,
		    sl.comm, (int)sl.ppid, pcomm);
		return true;
	}
	return false;
}

/* The name of the lowest capability in set (capabilities(7)). */
static const char *
cap_name(unsigned long long set)
{
	static const char *const names[] = { "CAP_CHOWN",
	    "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	    "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
	    "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
	    "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	    "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
	    "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	    "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG",
	    "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
	    "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
	    "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	    "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE" };
	unsigned b;

	for (b = 0; b < 64 && !(set & (1ULL << b)); b++)
		;
	return b < sizeof(names) / sizeof(names[0]) ? names[b] :
	    "a capability unknown to iospy";
}

/* The permitted capabilities of pid (/proc/PID/status CapPrm). */
static bool
cap_prm(pid_t pid, unsigned long long *caps)
{
	char v[32];

	return procfs_status_field(pid, "CapPrm", v, sizeof(v)) &&
	    sscanf(v, "%llx", caps) == 1;
}

void
live_eperm_reason(pid_t pid, char *msg, size_t msgsz)
{
	char path[64];
	struct stat sb;
	FILE *f;
	int scope = -1;
	unsigned long long theirs, ours = 0;
	bool has_ptrace_cap;

	msg[0] = '\0';
	f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	if (f != NULL) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	if (scope == 3) {
		snprintf(msg, msgsz, "ptrace is disabled on this machine "
		    "(/proc/sys/kernel/yama/ptrace_scope is 3, until reboot)");
		return;
	}
	has_ptrace_cap = cap_prm(getpid(), &ours) && (ours & (1ULL << 19));
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (!has_ptrace_cap && stat(path, &sb) == 0 && sb.st_uid != geteuid()) {
		snprintf(msg, msgsz, "it belongs to uid %u and iospy runs as "
		    "uid %u: run iospy as that user or as root", (unsigned)sb.st_uid,
		    (unsigned)geteuid());
		return;
	}
	/* without CAP_SYS_PTRACE a tracer must hold every capability its
	   tracee holds (commoncap's ptrace check) */
	if (!has_ptrace_cap && cap_prm(pid, &theirs) && cap_prm(getpid(), &ours) &&
	    (theirs & ~ours) != 0) {
		snprintf(msg, msgsz, "it holds capabilities iospy lacks (%s%s), "
		    "and a tracer without CAP_SYS_PTRACE must hold all of its "
		    "tracee's",
		    cap_name(theirs & ~ours), (theirs & ~ours &
		    ((theirs & ~ours) - 1)) != 0 ? " and more" : "");
		return;
	}
	if (geteuid() == 0) {
		snprintf(msg, msgsz, "the kernel refuses it even to root (a "
		    "security module such as AppArmor, SELinux or a BPF LSM, "
		    "or a process on its way out)");
		return;
	}
	if (scope == 2)
		snprintf(msg, msgsz, "only root (CAP_SYS_PTRACE) may attach here: "
		    "/proc/sys/kernel/yama/ptrace_scope is 2");
	else if (scope == 1)
		snprintf(msg, msgsz, "/proc/sys/kernel/yama/ptrace_scope is 1, "
		    "which lets a process attach only to its own descendants: "
		    "run iospy as root, or set ptrace_scope to 0");
	else
		snprintf(msg, msgsz, "the process may not be dumpable (a set-uid "
		    "program, or one that called prctl(PR_SET_DUMPABLE, 0)): run "
		    "iospy as root");
}

static bool
is_zombie(pid_t pid)
{
	char path[64];
	struct stat_line sl;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	return read_stat(path, &sl) && (sl.state == 'Z' || sl.state == 'X') &&
	    all_threads_dead(pid);
}

/* Append the children of every thread of pid to the queue. */
static void
children_of(pid_t pid, pid_t **q, size_t *n, size_t *cap)
{
	char path[128];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		FILE *f;
		int c;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/children",
		    (int)pid, de->d_name);
		f = fopen(path, "re");
		if (f == NULL)
			continue;
		while (*n < 4096 && fscanf(f, "%d", &c) == 1) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 64;
				*q = xrealloc(*q, *cap * 2 * sizeof(**q));
			}
			(*q)[2 * *n] = (pid_t)c;
			(*q)[2 * *n + 1] = pid;
			(*n)++;
		}
		fclose(f);
	}
	closedir(d);
}

static bool
in_list(const pid_t *v, size_t n, pid_t p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == p)
			return true;
	return false;
}

size_t
live_untraced_children(const pid_t *pids, size_t npids,
    struct live_child *out, size_t max)
{
	pid_t *q = NULL;	/* (child, parent) pairs, breadth first */
	size_t n = 0, cap = 0, i, found = 0;

	for (i = 0; i < npids; i++)
		children_of(pids[i], &q, &n, &cap);
	for (i = 0; i < n; i++) {
		pid_t c = q[2 * i];

		if (in_list(pids, npids, c)) {
			/* traced in its own right; its own children are
			   not */
			children_of(c, &q, &n, &cap);
			continue;
		}
		if (is_zombie(c))
			continue;	/* it writes nothing more */
		if (found < max) {
			out[found].pid = c;
			out[found].parent = q[2 * i + 1];
			live_comm(c, out[found].comm, sizeof(out[found].comm));
		}
		found++;
		children_of(c, &q, &n, &cap);
	}
	free(q);
	return found;
}
