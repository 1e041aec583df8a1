/*
 * report_notes.c: notes the text report ends with when the run missed
 * something a user can add: children of an attached process that were
 * running before the attach (no engine follows a fork it did not see).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdio.h>

#include "output/report.h"

int
report_untraced_text(FILE *f, const struct report_meta *meta)
{
	size_t i;

	if (meta == NULL || meta->nuntraced == 0)
		return 0;
	fprintf(f, "\nNot traced: %zu %s started before the attach (only "
	    "children forked while iospy traces are followed):\n",
	    meta->nuntraced, meta->nuntraced == 1 ? "child" : "children");
	for (i = 0; i < meta->nuntraced_shown; i++)
		fprintf(f, "  %d (%s), child of %d\n", meta->untraced[i].pid,
		    meta->untraced[i].comm, meta->untraced[i].parent);
	if (meta->nuntraced > meta->nuntraced_shown)
		fprintf(f, "  ... and %zu more\n",
		    meta->nuntraced - meta->nuntraced_shown);
	fputs("  to trace them too, add", f);
	for (i = 0; i < meta->nuntraced_shown && i < 8; i++)
		fprintf(f, " -p %d", meta->untraced[i].pid);
	fputs(meta->nuntraced > 8 ? " ...\n" : "\n", f);
	return ferror(f) ? -1 : 0;
}
