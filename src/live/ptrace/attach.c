/*
 * attach.c: attach mode (-p), and detaching, which both modes do.
 *
 * Every thread of each pid is seized and interrupted; its first stop
 * resumes it (tracer.c).  Threads created while iospy attaches are found by
 * scanning /proc/PID/task again until a scan finds none new.  Detaching
 * interrupts every thread and lets each go at its next stop, giving back a
 * signal that was about to be delivered, so the tracee goes on as if never
 * traced.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"
#include "live/settings.h"
#include "live/procfs.h"
#include "live/ptrace/engine.h"
#include "live/unwind.h"

/* Detach one stopped thread, giving back sig. */
void
detach_thread(struct tracer *t, struct thr *th, int sig)
{
	flush_inflight(t, th);
	unpin_thread(t, th);
	pt_detach(th->lt.tid, sig);
	if (!th->pre_exec)
		emit_pseudo(t, th, IOSYS_DETACH, 0, 0);
	if (!t->cfg->quiet)
		fprintf(stderr, "iospy: Process %d detached\n", (int)th->lt.tid);
	if (t->uw != NULL)
		unwind_thread_gone(t->uw, th->lt.tid);
	thr_del(t, th);
}

/* Interrupt every thread and detach each at its next stop. */
void
detach_all(struct tracer *t)
{
	struct live_thread *lt, *tmp;
	int64_t give_up = util_mono_ns() + 3000000000LL;

	t->stopping = true;
	LIVE_THREADS_EACH(&t->threads, lt, tmp) {
		struct thr *th = (struct thr *)lt;

		th->detaching = true;
		if (th->held) {
			if (th->lt.tgid == 0)
				th->lt.tgid = procfs_tgid(th->lt.tid);
			detach_thread(t, th, 0);
			continue;
		}
		if (th->expected)
			continue;	/* detached at its first stop */
		if (pt_interrupt(th->lt.tid) != 0 && errno == ESRCH) {
			/* a zombie leader waiting for its threads: it is
			   released when iospy lets go of it */
			flush_inflight(t, th);
			thr_del(t, th);
		}
	}
	while (t->threads.n > 0 && util_mono_ns() < give_up) {
		int status;
		pid_t pid = waitpid(-1, &status, __WALL);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		dispatch(t, pid, status);
	}
	/* whatever is left could not be stopped: let go of it anyway */
	LIVE_THREADS_EACH(&t->threads, lt, tmp) {
		struct thr *th = (struct thr *)lt;

		unpin_thread(t, th);
		pt_detach(th->lt.tid, 0);
		thr_del(t, th);
	}
}

/* The reason pid cannot be attached to, for the user. */
static void
attach_error(pid_t pid, int e, char *err, size_t errsz)
{
	pid_t tp;
	char comm[64] = "?", cmd[8];

	if (e == ESRCH) {
		snprintf(err, errsz, "attach to %d: no such process", (int)pid);
		return;
	}
	tp = procfs_tracer_pid(pid);
	if (tp > 0 && tp != getpid()) {
		procfs_proc_info(NULL, tp, comm, sizeof(comm), cmd, sizeof(cmd));
		snprintf(err, errsz, "attach to %d: already traced by process "
		    "%d (%s); only one tracer at a time", (int)pid, (int)tp, comm);
		return;
	}
	if (e == EPERM)
		snprintf(err, errsz, "attach to %d: %s (run as the process's "
		    "owner with /proc/sys/kernel/yama/ptrace_scope at 0 or 1, "
		    "or as root / with CAP_SYS_PTRACE)", (int)pid, strerror(e));
	else
		snprintf(err, errsz, "attach to %d: %s", (int)pid, strerror(e));
}

/* Seize every thread of pid not seized yet; how many were new, or -1. */
static int
seize_threads(struct tracer *t, pid_t pid, int *e)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	int added = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL) {
		*e = errno == ENOENT ? ESRCH : errno;
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atoi(de->d_name);
		struct thr *th;

		if (tid <= 0 || thr_find(t, tid) != NULL)
			continue;
		if (pt_seize(tid, 0) != 0) {
			if (errno == ESRCH)
				continue;	/* exited meanwhile */
			if (errno == EPERM && procfs_thread_dead(tid))
				continue;	/* gone, or a leader that exited */
			*e = errno;
			closedir(d);
			return -1;
		}
		th = thr_new(t, tid, pid);
		th->expected = true;	/* its interrupt stop resumes it */
		pin_thread(t, th, true);
		pt_interrupt(tid);
		added++;
		if (!t->cfg->quiet)
			fprintf(stderr, "iospy: Process %d attached\n", (int)tid);
	}
	closedir(d);
	return added;
}

/* Attach to cfg->pids and trace them. */
int
tracer_attach(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct tracer_result *res,
    char *err, size_t errsz)
{
	struct tracer t;
	struct saved_sigs ss;
	size_t i;
	int e = 0, n, rc = 0;
	cpu_set_t orig_aff;

	tracer_init(&t, cfg, pl, hooks, res);
	t.attach = true;
	t.pin_cpu = pin_self(cfg, &orig_aff);
	res->pinned = t.pin_cpu >= 0;
	if (cfg->pin && t.pin_cpu < 0) {
		snprintf(err, errsz, "--pin: cannot run on CPU %d: %s",
		    cfg->pin_cpu, strerror(errno));
		tracer_fini(&t);
		return -1;
	}
	for (i = 0; i < cfg->npids; i++) {
		pid_t pid = cfg->pids[i];

		if (pid == getpid()) {
			snprintf(err, errsz, "attach to %d: that is iospy itself",
			    (int)pid);
			rc = -1;
			break;
		}
		if (kill(pid, 0) != 0 && errno == ESRCH) {
			attach_error(pid, ESRCH, err, errsz);
			rc = -1;
			break;
		}
		pid = procfs_tgid(pid);	/* -p may name any thread */
		/* threads created while we attach: scan until stable */
		do {
			n = seize_threads(&t, pid, &e);
		} while (n > 0);
		if (n < 0) {
			attach_error(pid, e, err, errsz);
			rc = -1;
			break;
		}
	}
	start_timer(&ss);
	if (rc == 0) {
		if (cfg->duration > 0)
			t.deadline = util_mono_ns() +
			    (int64_t)(cfg->duration * 1e9);
		run_loop(&t);
	}
	detach_all(&t);
	stop_timer(&ss);
	tracer_fini(&t);
	return rc;
}
