/*
 * live_status.c: attach mode's status line (see live_status.h).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analysis/stats.h"
#include "base/util.h"
#include "cli/live_status.h"
#include "live/attachable.h"
#include "output/progress.h"

void
live_status_draw(struct live_status *ls)
{
	const struct stats_proc *pr;
	const struct stats_file *sf, *best = NULL;
	char text[1024], who[96], when[64], b[32], comm[32];
	int64_t now = util_mono_ns();
	int n;

	/* the clock starts with the trace: the first tick comes one period
	   after the engine has attached */
	if (!ls->started) {
		ls->started = true;
		ls->start_mono = now - progress_period();
		if (ls->duration_ns > 0)
			ls->deadline_mono = ls->start_mono + ls->duration_ns;
	}

	for (pr = ls->st->procs; pr != NULL; pr = pr->hh.next)
		for (sf = pr->files; sf != NULL; sf = sf->hh.next)
			if (sf->bytes > 0 && (sf->kind == SK_FILE ||
			    sf->kind == SK_DEVICE) &&
			    (best == NULL || sf->bytes > best->bytes))
				best = sf;
	if (ls->npids == 1) {
		live_comm(ls->pid, comm, sizeof(comm));
		snprintf(who, sizeof(who), "%d (%s)", (int)ls->pid, comm);
	} else
		snprintf(who, sizeof(who), "%zu processes", ls->npids);
	if (ls->deadline_mono > 0)
		snprintf(when, sizeof(when), "%.1f s left",
		    now < ls->deadline_mono ?
		    (double)(ls->deadline_mono - now) / 1e9 : 0.0);
	else
		snprintf(when, sizeof(when), "%.0f s, Ctrl-C ends",
		    (double)(now - ls->start_mono) / 1e9);
	n = snprintf(text, sizeof(text), "iospy: tracing %s, %s, %" PRIu64
	    " events", who, when, ls->st->events);
	if (best != NULL && n > 0 && (size_t)n < sizeof(text)) {
		char p[512], cut[520];
		int room;

		n += snprintf(text + n, sizeof(text) - (size_t)n, ", busiest: "
		    "%s ", util_fmt_size(best->bytes, b, sizeof(b)));
		/* the file last, cut in its middle to the width */
		room = progress_columns(2) - 1 - n;
		util_escape_path(best->path, p, sizeof(p));
		if (n > 0 && (size_t)n < sizeof(text))
			snprintf(text + n, sizeof(text) - (size_t)n, "%s",
			    room >= 8 ? progress_mid_cut(p, (size_t)room, cut,
			    sizeof(cut)) : p);
	}
	progress_draw(ls->line, text);
}
