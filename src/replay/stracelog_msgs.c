/*
 * stracelog_msgs.c: the lines of a strace log that are not calls: signals
 * (--- SIGCHLD ...), exits (+++ exited with 0 +++), strace's own messages
 * (Process N attached, -c summary rows), colour escapes, and the naming
 * of processes seen before their parent's clone returned.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <sched.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "replay/scan.h"
#include "replay/stracelog_state.h"
#include "model/syscalls.h"
#include "base/util.h"

/* ------------------------------------------------------------ others */

/* "--- SIGCHLD {...} ---", "--- SIGCHLD (Child exited) @ 0 (0) ---" */
void
sl_signal_line(struct stracelog *sl, pid_t tid, int64_t ts, const char *p,
    const char *e)
{
	const char *n = p + 4, *q = n;
	struct io_event ev;
	int sig;

	while (q < e && sc_is_ident((unsigned char)*q))
		q++;
	if (q - n < 4 || memcmp(n, "SIG", 3) != 0)
		return;	/* "--- stopped by SIGSTOP ---" and the like */
	sig = util_signal_by_name(n, (size_t)(q - n));
	if (sig <= 0)
		return;
	io_event_init(&ev);
	ev.tid = tid;
	ev.ts_ns = ts;
	ev.sys = IOSYS_SIGNAL;
	ev.cls = IOC_PSEUDO;
	ev.name = "--- signal";
	ev.sig = sig;
	sl_emit(sl, &ev);
}

/* "+++ exited with N +++", "+++ killed by SIGX +++", "+++ superseded..." */
void
sl_exit_line(struct stracelog *sl, int file, struct sl_file *f, pid_t tid,
    int64_t ts, const char *p, const char *e)
{
	struct io_event ev;
	struct sl_pending *pd;
	const char *q = p + 4;
	int64_t v;

	io_event_init(&ev);
	ev.tid = tid;
	ev.ts_ns = ts;
	ev.cls = IOC_PSEUDO;
	ev.sys = IOSYS_PROC_EXIT;
	ev.name = "+++ exit";
	if (sc_starts(q, e, "exited with ")) {
		if (!sl_parse_num(q + 12, e, &v) || sc_range > 0) {
			sl_problem(sl, file, f->lineno, "unreadable exit line", p,
			    (size_t)(e - p), true);
			return;
		}
		ev.ret = v;
	} else if (sc_starts(q, e, "killed by ")) {
		const char *n = q + 10, *r = n;

		while (r < e && sc_is_ident((unsigned char)*r))
			r++;
		ev.sig = util_signal_by_name(n, (size_t)(r - n));
	} else if (sc_starts(q, e, "superseded by execve in pid ")) {
		pid_t leader;

		if (sc_parse_pid(q + 28, e, &leader) == NULL) {
			sl_problem(sl, file, f->lineno, "unreadable exit line", p,
			    (size_t)(e - p), true);
			return;
		}
		/* the thread's execve goes on as the leader's */
		pd = sl_pending_find(sl, tid);
		if (pd != NULL && leader != tid) {
			struct sl_pending *ld = sl_pending_find(sl, leader);

			if (ld != NULL)
				sl_abandon(sl, ld, "never resumed (execve in another thread)");
			sl_set_pending(sl, pd->file, pd->lineno, leader, pd->ts,
			    pd->sys, pd->head, pd->head + pd->headlen, pd->cut);
			/* set_pending copied the text: retire the old one */
			pd->active = false;
			sl->nactive--;
		}
		ev.sys = IOSYS_DETACH;
		ev.name = "detach";
		sl_emit(sl, &ev);
		return;
	} else {
		sl_problem(sl, file, f->lineno, "unreadable exit line", p,
		    (size_t)(e - p), true);
		return;
	}
	pd = sl_pending_find(sl, tid);
	if (pd != NULL)
		sl_abandon(sl, pd, "never resumed (the thread ended inside it)");
	HASH_FIND(hh, sl->pending, &tid, sizeof(tid), pd);
	if (pd != NULL)
		pd->exiting = false;
	sl_emit(sl, &ev);
}

/* strace's own messages: "strace: Process N attached", "Process N detached" */
void
sl_message(struct stracelog *sl, const char *p, const char *e)
{
	const char *q = memmem(p, (size_t)(e - p), "Process ", 8);
	struct io_event ev;
	pid_t pid;

	if (q == NULL)
		return;
	q = sc_parse_pid(q + 8, e, &pid);
	if (q == NULL || q >= e || *q != ' ')
		return;
	q++;
	if (sc_starts(q, e, "attached")) {
		if (sl->first_pid == 0 && sl->calls == 0)
			sl->first_pid = pid;
	} else if (sc_starts(q, e, "detached")) {
		struct sl_pending *pd;

		HASH_FIND(hh, sl->pending, &pid, sizeof(pid), pd);
		if (pd != NULL && pd->exiting) {
			sl_end_exiting(sl, pd);	/* 4.x: detached = gone */
			return;
		}
		io_event_init(&ev);
		ev.tid = pid;
		ev.sys = IOSYS_DETACH;
		ev.cls = IOC_PSEUDO;
		ev.name = "detach";
		sl_emit(sl, &ev);
	}
}

bool
sl_is_summary_row(const char *p, const char *e)
{
	/* "------ ---" rules and "  0.05  0.58  23  24379  sched_yield" rows */
	p = sc_skip_spaces(p, e);
	if (p < e && *p == '-')
		return true;
	return p < e && (sc_is_digit((unsigned char)*p) || *p == '%');
}

/* A row of a -c table: "  5.21  0.000082  16  5  1 close" (errors may be
   blank); the rule lines and the "total" row are counted, not added. */
void
sl_summary_row(struct stracelog *sl, const char *p, const char *e)
{
	const char *tok[8], *tend[8], *q = p;
	int n = 0;
	int64_t calls, errs;

	sl->summary++;
	while (n < 8) {
		q = sc_skip_blanks(q, e);
		if (q >= e)
			break;
		tok[n] = q;
		while (q < e && *q != ' ' && *q != '\t')
			q++;
		tend[n++] = q;
	}
	if (n < 5 || q < e || !sc_is_ident(*tok[n - 1]) ||
	    sc_starts(tok[n - 1], tend[n - 1], "total"))
		return;
	if (!sl_parse_num(tok[3], tend[3], &calls) || calls < 0)
		return;
	errs = 0;
	if (n >= 6 && (!sl_parse_num(tok[4], tend[4], &errs) || errs < 0))
		errs = 0;
	sl->sum_rows++;
	sl->sum_calls += (uint64_t)calls;
	sl->sum_errors += (uint64_t)errs;
}

/* Copy line without ANSI escape sequences (strace --color). */
size_t
sl_strip_ansi(struct stracelog *sl, const char *line, size_t len)
{
	size_t i, n = 0;

	sl_grow(&sl->clean, &sl->cleancap, len + 1);
	for (i = 0; i < len; i++) {
		if (line[i] == 033) {
			i++;
			if (i < len && line[i] == '[') {
				i++;
				while (i < len && !((unsigned char)line[i] >= 0x40 &&
				    (unsigned char)line[i] <= 0x7e))
					i++;
			}
			continue;
		}
		sl->clean[n++] = line[i];
	}
	return n;
}

/* Handle one line (not a frame). cut: the line was cut by a strace message
   after this text. */
/*
 * An unseen thread speaks while another thread is inside clone/fork/vfork
 * (strace -f prints a child's first calls before its parent's clone
 * returns): it is that call's child.  Tell the pipeline now, so the
 * child's first writes resolve through the fds it inherited.
 */
void
sl_early_child(struct stracelog *sl, pid_t tid)
{
	struct sl_pending *pd, *tmp, *best = NULL;
	uint64_t flags = 0;
	const char *h, *he, *fl;

	HASH_ITER(hh, sl->pending, pd, tmp) {
		if (!pd->active || pd->tid == tid ||
		    syscalls_class(pd->sys) != IOC_FORK)
			continue;
		if (best == NULL || pd->lineno > best->lineno)
			best = pd;
	}
	if (best == NULL)
		return;
	h = best->head;
	he = h + best->headlen;
	if (best->sys == IOSYS_VFORK)
		flags = CLONE_VM | CLONE_VFORK;
	else if ((fl = memmem(h, best->headlen, "flags=", 6)) != NULL) {
		fl += 6;
		if (fl + 2 < he && fl[0] == '0' && fl[1] == 'x')
			flags = strtoull(fl, NULL, 16);	/* -X raw */
		else {
			if (memmem(fl, (size_t)(he - fl), "CLONE_THREAD", 12))
				flags |= CLONE_THREAD;
			if (memmem(fl, (size_t)(he - fl), "CLONE_FILES", 11))
				flags |= CLONE_FILES;
		}
	}
	pipeline_fork_early(sl->pl, best->tid, tid, flags);
}

/* strace -Y names the process on every line: tell the pipeline when the
 * name is new (after an execve, or the first line of a process). */
void
sl_name_from_comm(struct stracelog *sl, pid_t tid, const char *comm, size_t len)
{
	const char *cur = pipeline_comm_of(sl->pl, tid);
	char buf[64];

	if (memchr(comm, '\0', len) != NULL)
		return;		/* not a name: binary garbage */
	if (cur != NULL && strlen(cur) == len && memcmp(cur, comm, len) == 0)
		return;
	memcpy(buf, comm, len);
	buf[len] = '\0';
	pipeline_name_process(sl->pl, pipeline_pid_of(sl->pl, tid), buf, NULL);
}

