/*
 * report_findings.c: the findings, one sentence per pattern, shared by
 * the text and JSON reports.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/report_text_int.h"
#include "output/report_latency.h"

/* ---------------------------------------------------------- findings */

static bool
rotation_clause(struct sbuf *s, const struct rotation_path *rp, unsigned *what)
{
	char a[64], b[64], p[PATHBUF];
	bool any = false;

	if (rp == NULL)
		return false;
	if (rp->rotations > 0) {
		*what |= REPORT_F_ROTATION;
		any = true;
		if (rp->size_n > 0 || rp->between_n > 0) {
			uint64_t every = rp->size_n > 0 ?
			    rp->size_sum / rp->size_n :
			    rp->between_bytes_sum / rp->between_n;

			if (rp->rotations == 1)
				sb_add(s, "; the file is rotated at %s",
				    sz(every, a, sizeof(a)));
			else
				sb_add(s, "; the file rotates every %s",
				    sz(every, a, sizeof(a)));
			if (rp->intervals > 0)
				sb_add(s, " (%s)", fmt_secs((double)rp->interval_ns_sum /
				    (double)rp->intervals / 1e9, b, sizeof(b)));
			if (rp->rotations > 1)
				sb_add(s, ", %llu rotations seen",
				    (unsigned long long)rp->rotations);
		} else
			sb_add(s, "; the file was rotated %llu time%s",
			    (unsigned long long)rp->rotations, plural(rp->rotations));
		if (rp->last_backup != NULL)
			sb_add(s, " (%sto %s)", rp->rotations > 1 ? "last " : "",
			    util_escape_path(rp->last_backup, p, sizeof(p)));
	}
	if (rp->backups_deleted > 0) {
		uint64_t known = rp->backups_deleted - rp->backups_size_unknown -
		    rp->backups_size_lower;

		*what |= REPORT_F_DELETED_BACKUP;
		any = true;
		if (rp->rotations > 0 && rp->rotations_after_delete > 0) {
			/* the handler drops the end of the chain (backupCount=3
			   deletes .3) before it rotates, once the chain is full:
			   not before its first rotations */
			sb_add(s, ", deleting the oldest backup");
			if (rp->rotations_after_delete < rp->rotations)
				sb_add(s, " before %llu of its %llu rotations",
				    (unsigned long long)rp->rotations_after_delete,
				    (unsigned long long)rp->rotations);
			else if (rp->rotations > 1)
				sb_add(s, " before each rotation");
		} else
			sb_add(s, "; %llu backup%s deleted",
			    (unsigned long long)rp->backups_deleted,
			    plural(rp->backups_deleted));
		sb_add(s, " (");
		if (rp->last_deleted != NULL)
			sb_add(s, "%s%s, ", rp->backups_deleted > 1 ? "last " : "",
			    util_escape_path(rp->last_deleted, p, sizeof(p)));
		if (rp->backup_bytes_lost == 0 && known < rp->backups_deleted)
			sb_add(s, "size unknown)");
		else if (known < rp->backups_deleted)
			sb_add(s, "at least %s lost)",
			    sz(rp->backup_bytes_lost, a, sizeof(a)));
		else if (rp->backups_deleted == 1)
			sb_add(s, "%s lost)", sz(rp->backup_bytes_lost, a, sizeof(a)));
		else if (rp->rotations_after_delete > 0)
			sb_add(s, "%s lost each time, %s in all)",
			    sz(rp->backup_bytes_lost / known, a, sizeof(a)),
			    sz(rp->backup_bytes_lost, b, sizeof(b)));
		else
			sb_add(s, "%s lost)", sz(rp->backup_bytes_lost, a, sizeof(a)));
	}
	if (rp->copytruncates > 0) {
		*what |= REPORT_F_ROTATION;
		any = true;
		sb_add(s, "; another process copy-truncates it (%llu time%s)",
		    (unsigned long long)rp->copytruncates, plural(rp->copytruncates));
	}
	return any;
}

/* " over 2.0 s of writing" and the busiest second, for a sentence. */
static void
rate_clause(struct sbuf *s, const struct stats_file *sf, bool writes_too)
{
	char a[64], b[64], c[64];
	double bs, ws;
	int64_t act = stats_file_active_ns(sf);

	if (!stats_file_rate(sf, &bs, &ws))
		return;
	if (writes_too && sf->big_writes == sf->writes)
		sb_add(s, ", %.1f/s (%s/s) over %s of writing", ws,
		    sz((uint64_t)bs, a, sizeof(a)),
		    fmt_secs((double)act / 1e9, b, sizeof(b)));
	else
		sb_add(s, "%s %s/s over %s of writing", writes_too ? "," : " at",
		    sz((uint64_t)bs, a, sizeof(a)),
		    fmt_secs((double)act / 1e9, b, sizeof(b)));
	if (act > STATS_PEAK_NS)
		sb_add(s, ", peak %s in 1 s", sz(sf->peak_bytes, c, sizeof(c)));
}

static char *
finding_for(const struct stats *st, const struct stats_file *sf,
    const struct report_settings *cfg, double dur, unsigned *what)
{
	struct sbuf s;
	char who[160], p[PATHBUF], a[64], b[64], c[64];
	/* the busiest second, as a rate: a burst shows, a trickle over a
	   long run does not */
	bool fast = (double)sf->peak_bytes >= (double)st->notable->rate;
	bool subject = false;

	(void)cfg;
	(void)dur;
	*what = 0;
	memset(&s, 0, sizeof(s));
	stats_proc_label(sf->proc, who, sizeof(who));
	util_escape_path(sf->path, p, sizeof(p));
	if (sf->big_writes > 0) {
		*what |= REPORT_F_BIG_WRITES;
		if (sf->big_min == sf->hist.max)
			sb_add(&s, "%s writes %s in single %s writes", who, p,
			    sz(sf->hist.max, a, sizeof(a)));
		else
			sb_add(&s, "%s writes %s in single writes of %s to %s",
			    who, p, sz(sf->big_min, a, sizeof(a)),
			    sz(sf->hist.max, b, sizeof(b)));
		if (sf->big_writes != sf->writes)
			sb_add(&s, " (%llu of %llu call%s, %.0f%% of the bytes)",
			    (unsigned long long)sf->big_writes,
			    (unsigned long long)sf->writes, plural(sf->writes),
			    100.0 * (double)sf->big_bytes / (double)sf->bytes);
		else if (sf->writes > 1)
			sb_add(&s, " (%llu calls)", (unsigned long long)sf->writes);
		rate_clause(&s, sf, true);
		subject = true;
	} else if (fast) {
		*what |= REPORT_F_RATE;
		sb_add(&s, "%s writes %s (%s in %llu call%s, largest %s)", who, p,
		    sz(sf->bytes, a, sizeof(a)), (unsigned long long)sf->writes,
		    plural(sf->writes), sz(sf->hist.max, b, sizeof(b)));
		rate_clause(&s, sf, false);
		subject = true;
	}
	if (sf->big_writes > 0 && fast)
		*what |= REPORT_F_RATE;
	if (!subject)
		sb_add(&s, "%s writes %s (%s in %llu call%s)", who, p,
		    sz(sf->bytes, a, sizeof(a)), (unsigned long long)sf->writes,
		    plural(sf->writes));
	if (stats_file_churn_shown(sf) &&
	    stats_file_churn_ratio(sf) >= st->notable->churn) {
		*what |= REPORT_F_CHURN;
		sb_add(&s, "; each write costs %.1fx its size in fresh anonymous "
		    "memory (%s mapped for %s written: %llu map%s of up to %s, "
		    "made for %llu of its %llu write%s and given back after "
		    "them)",
		    stats_file_churn_ratio(sf), sz(sf->churn_bytes, a, sizeof(a)),
		    sz(sf->bytes, b, sizeof(b)),
		    (unsigned long long)sf->churn_maps, plural(sf->churn_maps),
		    sz(sf->churn_map_max, c, sizeof(c)),
		    (unsigned long long)sf->churn_writes,
		    (unsigned long long)sf->writes, plural(sf->writes));
	}
	rotation_clause(&s, sf->rp, what);
	if (report_latency_notable(sf, st->notable)) {
		char lc[PATHBUF + 128];

		*what |= REPORT_F_LATENCY;
		report_latency_clause(sf, p, lc, sizeof(lc));
		sb_add(&s, "%s", lc);
	}
	if (sf->del_writes > 0) {
		*what |= REPORT_F_WRITE_DELETED;
		sb_add(&s, "; %s of it was written after the file was deleted "
		    "(disk space not freed until it is closed)",
		    sz(sf->del_bytes, a, sizeof(a)));
	}
	if (*what == 0 || (*what == REPORT_F_RATE && !subject))
		return NULL;
	sb_add(&s, ".");
	return xstrdup(s.b);
}

struct report_finding *
report_findings(const struct stats *st, const struct report_settings *cfg,
    size_t *n)
{
	struct report_finding *v = NULL;
	struct stats_proc **procs;
	size_t np, i, j, cap = 0;
	double dur = (double)stats_duration(st, NULL) / 1e9;

	*n = 0;
	procs = stats_sorted_procs(st, &np);
	for (i = 0; i < np; i++) {
		struct stats_file **files;
		size_t nf;

		files = stats_sorted_files(procs[i], &nf);
		for (j = 0; j < nf; j++) {
			unsigned what;
			char *t = finding_for(st, files[j], cfg, dur, &what);

			if (t == NULL)
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[*n].file = files[j];
			v[*n].text = t;
			v[*n].what = what;
			(*n)++;
		}
		free(files);
	}
	free(procs);
	return v;
}

void
report_findings_free(struct report_finding *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i].text);
	free(f);
}

