/*
 * report_json.c: the JSON report (stub, see issue 4).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <jansson.h>

#include "report.h"

int
report_json(FILE *f, const struct stats *st, const struct limits_result *lr,
    const struct report_meta *meta, const struct config *cfg)
{
	json_t *root = json_pack("{s:i}", "version", 1);
	int rc;

	(void)st; (void)lr; (void)meta; (void)cfg;
	rc = json_dumpf(root, f, JSON_INDENT(2));
	fputc('\n', f);
	json_decref(root);
	return rc;
}
