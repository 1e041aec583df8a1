/*
 * report_text.c: the human report (stub, see issue 4).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include "report.h"

int
report_text(FILE *f, const struct stats *st, const struct limits_result *lr,
    const struct report_meta *meta, const struct config *cfg, bool color)
{
	(void)st; (void)lr; (void)meta; (void)cfg; (void)color;
	fprintf(f, "iospy: report not implemented yet\n");
	return 0;
}

void
report_interval(FILE *f, struct stats *st, int64_t now_ns)
{
	(void)f; (void)st; (void)now_ns;
}
