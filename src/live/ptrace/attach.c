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
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"
#include "live/settings.h"
#include "live/attachable.h"
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
	char comm[64], tcomm[64], why[256];

	if (e == ESRCH) {
		snprintf(err, errsz, "attach to %d: no such process", (int)pid);
		return;
	}
	live_comm(pid, comm, sizeof(comm));
	tp = procfs_tracer_pid(pid);
	if (tp > 0 && tp != getpid()) {
		live_comm(tp, tcomm, sizeof(tcomm));
		snprintf(err, errsz, "cannot attach to %d (%s): already traced "
		    "by %d (%s); a process has one tracer at a time (or use "
		    "--engine=bpf, which does not trace with ptrace)", (int)pid,
		    comm, (int)tp, tcomm);
		return;
	}
	if (live_attach_refused(pid, err, errsz))
		return;
	if (e == EPERM) {
		live_eperm_reason(pid, why, sizeof(why));
		snprintf(err, errsz, "cannot attach to %d (%s): %s: %s", (int)pid,
		    comm, strerror(e), why);
	} else
		snprintf(err, errsz, "cannot attach to %d (%s): %s", (int)pid,
		    comm, strerror(e));
}

/* tid has exited: no /proc entry, or a zombie.  An entry iospy may not
 * read says nothing (procfs_thread_dead would call it dead). */
static bool
thread_gone(pid_t tid)
{
	char p[64];
	struct stat sb;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)tid);
	if (stat(p, &sb) != 0)
		return errno == ENOENT;
	return procfs_thread_dead(tid);
}

/*
 * Seize tid, telling a thread on its way out from one iospy may not trace:
 * 0 seized, 1 traced already (a new thread of a seized one), -1 with errno
 * (ESRCH: it exited).  A thread that has begun to
 * exit has dropped its memory, and the kernel refuses to trace a task
 * without memory with EPERM; a moment later it is a zombie or gone (a
 * leader that exited before its threads stays a zombie).  So EPERM is
 * tried again for a while before it is believed.
 */
static int
seize_thread(pid_t tid)
{
	int i;

	for (i = 0; i < 50; i++) {
		struct timespec ts = { 0, 1000000 };

		if (pt_seize(tid, 0) == 0)
			return 0;
		if (errno != EPERM)
			return -1;
		if (thread_gone(tid)) {
			errno = ESRCH;
			return -1;
		}
		/* made by a thread seized a moment ago: the kernel traces it
		   for us already (its first stop is coming) */
		if (procfs_tracer_pid(tid) == getpid())
			return 1;
		nanosleep(&ts, NULL);
	}
	errno = EPERM;
	return -1;
}

/* Seize every thread of pid not seized yet; how many were new, or -1. */
static int
seize_threads(struct tracer *t, pid_t pid, int *e)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	int added = 0, r;

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
		r = seize_thread(tid);
		if (r == 1)
			continue;
		if (r != 0) {
			if (errno == ESRCH)
				continue;	/* exited meanwhile */
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
	/* an error on one pid is reported, and the others are traced all
	   the same */
	err[0] = '\0';
	for (i = 0; i < cfg->npids; i++) {
		pid_t pid = cfg->pids[i];
		char one[512];
		size_t used;

		one[0] = '\0';
		if (pid == getpid())
			snprintf(one, sizeof(one), "attach to %d: that is iospy "
			    "itself", (int)pid);
		else if (kill(pid, 0) != 0 && errno == ESRCH)
			attach_error(pid, ESRCH, one, sizeof(one));
		else {
			pid = procfs_tgid(pid);	/* -p may name any thread */
			/* threads created while we attach: scan until
			   stable */
			do {
				n = seize_threads(&t, pid, &e);
			} while (n > 0);
			if (n < 0)
				attach_error(pid, e, one, sizeof(one));
		}
		if (one[0] == '\0')
			continue;
		rc = -1;
		if (t.threads.n > 0 || i + 1 < cfg->npids)
			fprintf(stderr, "iospy: %s; tracing the other pids\n",
			    one);
		used = strlen(err);
		snprintf(err + used, errsz - used, "%s%s", used > 0 ? "; " : "",
		    one);
	}
	start_timer(&ss);
	if (t.threads.n > 0) {
		if (cfg->duration > 0)
			t.deadline = util_mono_ns() +
			    (int64_t)(cfg->duration * 1e9);
		tracer_arm(&t);
		run_loop(&t);
	}
	detach_all(&t);
	stop_timer(&ss);
	tracer_fini(&t);
	return rc;
}
