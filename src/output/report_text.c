/*
 * report_text.c: the human report, the findings sentences and the
 * --interval lines.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <inttypes.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/report.h"
#include "base/util.h"

#define PATHBUF 1024
#define SENTENCE 4096
/* The text report lists this many findings per kind; the JSON has all. */
#define REPORT_TEXT_MAX_FINDINGS 10

/* ---------------------------------------------------------- helpers */

struct sbuf {
	char b[SENTENCE];
	size_t n;
};

static void
sb_add(struct sbuf *s, const char *f, ...)
{
	va_list ap;
	int k;

	if (s->n >= sizeof(s->b) - 1)
		return;
	va_start(ap, f);
	k = vsnprintf(s->b + s->n, sizeof(s->b) - s->n, f, ap);
	va_end(ap);
	if (k > 0)
		s->n += (size_t)k;
	if (s->n >= sizeof(s->b))
		s->n = sizeof(s->b) - 1;
}

static const char *
sz(uint64_t n, char *buf, size_t bufsz)
{
	return util_fmt_size(n, buf, bufsz);
}

static const char *
plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* Duration in a short human form. */
static const char *
fmt_secs(double s, char *buf, size_t bufsz)
{
	if (s < 0.001)
		snprintf(buf, bufsz, "%.0f us", s * 1e6);
	else if (s < 1)
		snprintf(buf, bufsz, "%.0f ms", s * 1e3);
	else if (s < 120)
		snprintf(buf, bufsz, "%.1f s", s);
	else if (s < 7200)
		snprintf(buf, bufsz, "%.1f min", s / 60);
	else
		snprintf(buf, bufsz, "%.1f h", s / 3600);
	return buf;
}

/* Short binary label for a histogram edge: 0, 512, 1K, 256M, 8E. */
static const char *
short_size(uint64_t v, char *buf, size_t bufsz)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (v >= 1024 && (v & 1023) == 0 && u < 5) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, bufsz, "%llu", (unsigned long long)v);
	else
		snprintf(buf, bufsz, "%llu%c", (unsigned long long)v, units[u]);
	return buf;
}

/* A count with thousands separators: 3,102. */
static const char *
num(uint64_t n, char *buf, size_t bufsz)
{
	char t[32];
	size_t len, i, o = 0;

	len = (size_t)snprintf(t, sizeof(t), "%llu", (unsigned long long)n);
	for (i = 0; i < len && o + 2 < bufsz; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = t[i];
	}
	buf[o] = '\0';
	return buf;
}

static bool
glob_any(char *const *globs, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (globs[i] != NULL && fnmatch(globs[i], path, 0) == 0)
			return true;
	return false;
}

/* True if the text report shows path: --path selects, --exclude drops. */
static bool
report_shows(const struct report_settings *lc, const char *path)
{
	if (path == NULL)
		return false;
	if (lc->npaths > 0 && !glob_any(lc->paths, lc->npaths, path))
		return false;
	return !glob_any(lc->excludes, lc->nexcludes, path);
}

static bool
selecting(const struct report_settings *cfg)
{
	return cfg->npaths > 0 || cfg->nexcludes > 0;
}

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
		if (rp->rotations > 0 && rp->rotations_after_delete > 0)
			/* the handler drops the end of the chain (backupCount=3
			   deletes .3) before it rotates */
			sb_add(s, ", deleting the oldest backup%s",
			    rp->rotations_after_delete > 1 ?
			    " before each rotation" : "");
		else
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

/* ---------------------------------------------------------- text */

struct out {
	FILE *f;
	bool color;
};

#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_OFF "\033[0m"

static const char *
col(const struct out *o, const char *c)
{
	return o->color ? c : "";
}

static void
print_hist(const struct out *o, const struct stats_hist *h)
{
	int k, lo = -1, hi = -1, zeros;
	uint64_t maxc = 0;
	char a[32], b[32], label[80];

	for (k = 0; k < STATS_HIST_BUCKETS; k++) {
		if (h->b[k] == 0)
			continue;
		if (lo < 0)
			lo = k;
		hi = k;
		if (h->b[k] > maxc)
			maxc = h->b[k];
	}
	if (lo < 0)
		return;
	for (k = lo; k <= hi; k++) {
		int w, i;

		if (h->b[k] == 0) {
			/* a run of three or more empty buckets: one line */
			for (zeros = 0; k + zeros <= hi && h->b[k + zeros] == 0; zeros++)
				;
			if (zeros >= 3) {
				fprintf(o->f, "      ...\n");
				k += zeros - 1;
				continue;
			}
		}
		if (k <= 1)
			snprintf(label, sizeof(label), "[%d]", k);
		else
			snprintf(label, sizeof(label), "[%s, %s)",
			    short_size(stats_hist_lo(k), a, sizeof(a)),
			    k >= 64 ? "16E" : short_size(stats_hist_lo(k + 1), b,
			    sizeof(b)));
		w = (int)((h->b[k] * 40 + maxc - 1) / maxc);
		fprintf(o->f, "      %-16s %10llu |%s", label,
		    (unsigned long long)h->b[k], col(o, C_CYAN));
		for (i = 0; i < 40; i++)
			fputc(i < w ? '@' : ' ', o->f);
		fprintf(o->f, "%s|\n", col(o, C_OFF));
	}
}

static void
print_frames(const struct out *o, const struct io_stack *s, const char *indent,
    int maxf)
{
	int i;
	char fn[512], mod[PATHBUF];

	for (i = 0; i < s->nframes && i < maxf; i++) {
		const struct io_frame *fr = &s->frames[i];

		util_escape_path(fr->module ? fr->module : "?", mod, sizeof(mod));
		if (fr->func != NULL || fr->module == NULL) {
			util_escape_path(fr->func ? fr->func : "??", fn, sizeof(fn));
			fprintf(o->f, "%s#%-2d %s+0x%llx (%s)\n", indent, i, fn,
			    (unsigned long long)fr->offset, mod);
			continue;
		}
		/* no symbol holds the pc: module+offset, and the nearest
		   symbol below only as a guess */
		{
			const char *base = strrchr(fr->module, '/');
			char bn[256];

			util_escape_path(base ? base + 1 : fr->module, bn, sizeof(bn));
			fprintf(o->f, "%s#%-2d %s+0x%llx", indent, i, bn,
			    (unsigned long long)fr->modoff);
			if (fr->near != NULL)
				fprintf(o->f, " (near %s, a guess)",
				    util_escape_path(fr->near, fn, sizeof(fn)));
			fprintf(o->f, " (%s)\n", mod);
		}
	}
	if (s->nframes > maxf)
		fprintf(o->f, "%s... %d more frames\n", indent, s->nframes - maxf);
}

static void
print_rotation(const struct out *o, const struct rotation_path *rp)
{
	char a[64], b[64], p[PATHBUF];

	if (rp == NULL)
		return;
	if (rp->rotations > 0) {
		fprintf(o->f, "    rotation   %llu rotation%s",
		    (unsigned long long)rp->rotations, plural(rp->rotations));
		if (rp->last_backup != NULL)
			fprintf(o->f, ", renamed to %s",
			    util_escape_path(rp->last_backup, p, sizeof(p)));
		fprintf(o->f, "; reopened %llu time%s\n",
		    (unsigned long long)rp->reopens, plural(rp->reopens));
		if (rp->size_n > 0)
			fprintf(o->f, "               size at rotation: %s on average\n",
			    sz(rp->size_sum / rp->size_n, a, sizeof(a)));
		if (rp->between_n > 0)
			fprintf(o->f, "               written between rotations: %s on average\n",
			    sz(rp->between_bytes_sum / rp->between_n, a, sizeof(a)));
		if (rp->intervals > 0)
			fprintf(o->f, "               time between rotations: %s on average\n",
			    fmt_secs((double)rp->interval_ns_sum /
			    (double)rp->intervals / 1e9, a, sizeof(a)));
	}
	if (rp->shifts > 0)
		fprintf(o->f, "    backups    %llu renamed along the chain (A.1 -> A.2)\n",
		    (unsigned long long)rp->shifts);
	if (rp->backups_deleted > 0) {
		fprintf(o->f, "    %sdeleted%s    %llu backup%s deleted",
		    col(o, C_RED), col(o, C_OFF),
		    (unsigned long long)rp->backups_deleted,
		    plural(rp->backups_deleted));
		if (rp->rotations_after_delete > 0)
			fprintf(o->f, " (%llu just before a rotation)",
			    (unsigned long long)rp->rotations_after_delete);
		if (rp->backup_bytes_lost == 0 && rp->backups_size_unknown > 0)
			fprintf(o->f, " (sizes unknown)\n");
		else
			fprintf(o->f, ": %s%s lost\n",
			    rp->backups_size_unknown || rp->backups_size_lower ?
			    "at least " : "",
			    sz(rp->backup_bytes_lost, b, sizeof(b)));
	}
	if (rp->copytruncates > 0)
		fprintf(o->f, "    copytruncate %llu time%s (truncated to 0 by another process)\n",
		    (unsigned long long)rp->copytruncates, plural(rp->copytruncates));
	if (rp->self_truncations > 0)
		fprintf(o->f, "    truncated  %llu time%s to 0 by its writer\n",
		    (unsigned long long)rp->self_truncations,
		    plural(rp->self_truncations));
	if (rp->atomic_replaces > 0)
		fprintf(o->f, "    atomic replace %llu time%s (a temp file renamed over it; not a rotation)\n",
		    (unsigned long long)rp->atomic_replaces,
		    plural(rp->atomic_replaces));
}

static void
print_file(const struct out *o, const struct stats_file *sf, double dur)
{
	char p[PATHBUF], a[64], b[64], c[64], d[64];
	const struct stats_hist *h = &sf->hist;
	int i;

	util_escape_path(sf->path, p, sizeof(p));
	fprintf(o->f, "  %s%s%s", col(o, C_BOLD), p, col(o, C_OFF));
	if (sf->kind != SK_FILE)
		fprintf(o->f, " (%s)", stats_kind_name(sf->kind));
	fputc('\n', o->f);
	fprintf(o->f, "    writes     %llu call%s, %s", (unsigned long long)sf->writes,
	    plural(sf->writes), sz(sf->bytes, a, sizeof(a)));
	if (sf->shorts)
		fprintf(o->f, ", %llu short", (unsigned long long)sf->shorts);
	if (sf->eof_transfers)
		fprintf(o->f, " (and %llu transfer%s that returned 0: end of "
		    "input)", (unsigned long long)sf->eof_transfers,
		    plural(sf->eof_transfers));
	if (sf->unfinished)
		fprintf(o->f, ", %llu unfinished", (unsigned long long)sf->unfinished);
	if (sf->errors) {
		fprintf(o->f, ", %llu failed (", (unsigned long long)sf->errors);
		for (i = 0; i < STATS_ERRS && sf->errs[i].err; i++) {
			const char *en = util_errno_name(sf->errs[i].err);

			if (en)
				fprintf(o->f, "%s%s %llu", i ? ", " : "", en,
				    (unsigned long long)sf->errs[i].n);
			else
				fprintf(o->f, "%serrno %d %llu", i ? ", " : "",
				    sf->errs[i].err, (unsigned long long)sf->errs[i].n);
		}
		if (sf->errs_other)
			fprintf(o->f, ", other %llu", (unsigned long long)sf->errs_other);
		fputc(')', o->f);
	}
	if (sf->temps_merged)
		fprintf(o->f, " (including %llu temp file%s renamed over it)",
		    (unsigned long long)sf->temps_merged, plural(sf->temps_merged));
	fputc('\n', o->f);
	if (h->n > 0)
		fprintf(o->f, "    sizes      min %s, median %s, p99 %s, max %s\n",
		    sz(h->min, a, sizeof(a)), sz(stats_hist_quantile(h, 0.5), b,
		    sizeof(b)), sz(stats_hist_quantile(h, 0.99), c, sizeof(c)),
		    sz(h->max, d, sizeof(d)));
	(void)dur;
	{
		double bs, ws;

		if (stats_file_rate(sf, &bs, &ws)) {
			fprintf(o->f, "    rate       %.1f writes/s, %s/s over %s "
			    "(first to last write)", ws,
			    sz((uint64_t)bs, a, sizeof(a)),
			    fmt_secs((double)stats_file_active_ns(sf) / 1e9, b,
			    sizeof(b)));
			if (stats_file_active_ns(sf) > STATS_PEAK_NS)
				fprintf(o->f, "; peak %s in 1 s (%llu write%s)",
				    sz(sf->peak_bytes, c, sizeof(c)),
				    (unsigned long long)sf->peak_writes,
				    plural(sf->peak_writes));
			fputc('\n', o->f);
		}
	}
	if (sf->fsyncs)
		fprintf(o->f, "    fsyncs     %llu\n", (unsigned long long)sf->fsyncs);
	if (sf->del_writes)
		fprintf(o->f, "    %sdeleted%s    %llu write%s (%s) after the file was "
		    "unlinked: space not freed until close\n", col(o, C_RED),
		    col(o, C_OFF), (unsigned long long)sf->del_writes,
		    plural(sf->del_writes), sz(sf->del_bytes, a, sizeof(a)));
	if (sf->churn_bytes > 0)
		fprintf(o->f, "    churn      %.2fx: %s of fresh anonymous memory "
		    "in %llu map%s (up to %s) made for %llu of these writes and "
		    "given back after them%s\n",
		    stats_file_churn_ratio(sf), sz(sf->churn_bytes, a, sizeof(a)),
		    (unsigned long long)sf->churn_maps, plural(sf->churn_maps),
		    sz(sf->churn_map_max, b, sizeof(b)),
		    (unsigned long long)sf->churn_writes,
		    stats_file_churn_shown(sf) ? "" :
		    " (too few writes for a pattern: not a finding)");
	print_rotation(o, sf->rp);
	if (h->n > 1 && h->min != h->max) {
		fprintf(o->f, "    size histogram (bytes per call):\n");
		print_hist(o, h);
	}
	if (sf->nstacks > 0) {
		struct stats_stack **v;
		size_t n, k;

		uint64_t unwound = sf->stacks_other_count;

		v = stats_sorted_stacks(sf, &n);
		for (k = 0; k < n; k++)
			unwound += v[k]->count;
		fprintf(o->f, "    stacks     %zu distinct in %llu unwound write%s%s\n",
		    n, (unsigned long long)unwound, plural(unwound),
		    n > 3 ? " (top 3 by bytes)" : "");
		for (k = 0; k < n && k < 3; k++) {
			fprintf(o->f, "      %llu write%s, %s (largest %s):\n",
			    (unsigned long long)v[k]->count, plural(v[k]->count),
			    sz(v[k]->bytes, a, sizeof(a)), sz(v[k]->max, b, sizeof(b)));
			print_frames(o, &v[k]->stack, "        ", 12);
		}
		if (sf->stacks_other_count)
			fprintf(o->f, "      (%llu more write%s with other stacks, not grouped)\n",
			    (unsigned long long)sf->stacks_other_count,
			    plural(sf->stacks_other_count));
		free(v);
	}
}

static void
print_memory(const struct out *o, const struct stats_proc *pr,
    const struct stats *st)
{
	const struct churn_counts *k = churn_counts(pr->churn);
	char a[64], b[64], c[64], d[64];

	if (k->mmaps == 0 && k->munmaps == 0 && k->mremaps == 0 &&
	    k->brks == 0 && k->reserved_maps == 0 && k->stack_maps == 0 &&
	    k->shared_maps == 0)
		return;
	fprintf(o->f, "  memory     %llu anonymous mmap%s (%s), %llu munmap%s (%s), "
	    "%llu mremap%s, %llu brk%s; peak %s live\n",
	    (unsigned long long)k->mmaps, plural(k->mmaps),
	    sz(k->mmap_bytes, a, sizeof(a)), (unsigned long long)k->munmaps,
	    plural(k->munmaps), sz(k->munmap_bytes, b, sizeof(b)),
	    (unsigned long long)k->mremaps, plural(k->mremaps),
	    (unsigned long long)k->brks, plural(k->brks),
	    sz(k->peak, c, sizeof(c)));
	if (k->reserved_maps > 0 || k->stack_maps > 0 || k->shared_maps > 0) {
		fprintf(o->f, "             not counted as memory:");
		if (k->reserved_maps > 0)
			fprintf(o->f, " %llu reservation%s of address space "
			    "(%s, PROT_NONE/read-only or MAP_NORESERVE)",
			    (unsigned long long)k->reserved_maps,
			    plural(k->reserved_maps),
			    sz(k->reserved_bytes, a, sizeof(a)));
		if (k->stack_maps > 0)
			fprintf(o->f, "%s %llu thread stack%s (%s)",
			    k->reserved_maps ? "," : "",
			    (unsigned long long)k->stack_maps, plural(k->stack_maps),
			    sz(k->stack_bytes, a, sizeof(a)));
		if (k->shared_maps > 0)
			fprintf(o->f, "%s %llu shared map%s (%s)",
			    k->reserved_maps || k->stack_maps ? "," : "",
			    (unsigned long long)k->shared_maps,
			    plural(k->shared_maps),
			    sz(k->shared_bytes, a, sizeof(a)));
		fputc('\n', o->f);
	}
	if (k->big_maps > 0)
		fprintf(o->f, "             %llu fresh map%s of at least %s (%s): "
		    "%s of it given back, %s of that after the writes it was made for\n",
		    (unsigned long long)k->big_maps, plural(k->big_maps),
		    sz(st->notable->churn_map, d, sizeof(d)),
		    sz(k->big_map_bytes, a, sizeof(a)),
		    sz(k->big_dropped_bytes, b, sizeof(b)),
		    sz(k->attributed_bytes, c, sizeof(c)));
}

/* Only small writes to things that are not files (shell noise to
   /dev/null, a few lines to a pipe): not worth a section. */
static bool
minor_only(struct stats_file *const *files, size_t nf)
{
	uint64_t bytes = 0;
	size_t i;

	for (i = 0; i < nf; i++) {
		if (files[i]->kind == SK_FILE || files[i]->kind == SK_UNKNOWN_FD ||
		    files[i]->errors > 0 || files[i]->del_writes > 0)
			return false;
		bytes += files[i]->bytes;
	}
	return bytes < 64 * 1024;
}

/* ---------------------------------------------------------- views */

/* One line of a view: a path across processes, or a directory. */
struct agg {
	char *key;		/* path or directory (owned) */
	enum stats_kind kind;
	uint64_t writes, bytes, timed, ns;
	uint64_t files;		/* directories: distinct files in it */
	size_t nprocs;
	const struct stats_proc *lastproc;
	UT_hash_handle hh;
};

struct view {
	struct agg *hash;
	struct agg **v;
	size_t n;
	bool timed;		/* any call time known */
};

static struct agg *
agg_get(struct view *w, const char *key, size_t len)
{
	struct agg *a;

	HASH_FIND(hh, w->hash, key, len, a);
	if (a == NULL) {
		a = xcalloc(1, sizeof(*a));
		a->key = xmalloc(len + 1);
		memcpy(a->key, key, len);
		a->key[len] = '\0';
		HASH_ADD_KEYPTR(hh, w->hash, a->key, len, a);
	}
	return a;
}

static int
cmp_agg(const void *x, const void *y)
{
	const struct agg *a = *(struct agg *const *)x;
	const struct agg *b = *(struct agg *const *)y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	if (a->writes != b->writes)
		return a->writes > b->writes ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int
cmp_agg_writes(const void *x, const void *y)
{
	const struct agg *a = *(struct agg *const *)x;
	const struct agg *b = *(struct agg *const *)y;

	if (a->writes != b->writes)
		return a->writes > b->writes ? -1 : 1;
	return cmp_agg(x, y);
}

static int
cmp_agg_ns(const void *x, const void *y)
{
	const struct agg *a = *(struct agg *const *)x;
	const struct agg *b = *(struct agg *const *)y;

	if (a->ns != b->ns)
		return a->ns > b->ns ? -1 : 1;
	return cmp_agg(x, y);
}

static void
view_sort(struct view *w)
{
	struct agg *a;
	size_t i = 0;

	w->n = HASH_COUNT(w->hash);
	w->v = xcalloc(w->n + 1, sizeof(*w->v));
	for (a = w->hash; a != NULL; a = a->hh.next)
		w->v[i++] = a;
	qsort(w->v, w->n, sizeof(*w->v), cmp_agg);
}

static void
view_free(struct view *w)
{
	struct agg *a, *t;

	HASH_ITER(hh, w->hash, a, t) {
		HASH_DEL(w->hash, a);
		free(a->key);
		free(a);
	}
	free(w->v);
	memset(w, 0, sizeof(*w));
}

static void
agg_add(struct agg *a, const struct stats_file *sf)
{
	a->writes += sf->writes;
	a->bytes += sf->bytes;
	a->timed += sf->timed_writes;
	a->ns += sf->write_ns;
	if (a->lastproc != sf->proc) {
		a->nprocs++;
		a->lastproc = sf->proc;
	}
}

/* Every shown path written, across processes (a log of 8 workers is one). */
static void
view_files(struct view *w, struct stats_proc *const *procs, size_t np,
    const struct report_settings *cfg)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < np; i++) {
		const struct stats_file *sf;

		for (sf = procs[i]->files; sf != NULL; sf = sf->hh.next) {
			struct agg *a;

			if (!stats_file_reportable(sf) || sf->writes == 0 ||
			    !report_shows(cfg, sf->path))
				continue;
			/* a little to a pipe or /dev/null is not a file */
			if (sf->kind != SK_FILE && sf->kind != SK_UNKNOWN_FD &&
			    sf->bytes < 64 * 1024)
				continue;
			if (sf->kind == SK_UNKNOWN_FD || sf->kind == SK_PIPE ||
			    sf->kind == SK_SOCKET) {
				/* fd 3 of one process is not fd 3 of another,
				   nor is an unnamed pipe */
				char key[PATHBUF];
				int len = snprintf(key, sizeof(key), "%s (pid %ld)",
				    sf->path, (long)sf->proc->pid);

				a = agg_get(w, key, len > 0 && (size_t)len <
				    sizeof(key) ? (size_t)len : strlen(key));
			} else
				a = agg_get(w, sf->path, strlen(sf->path));
			a->kind = sf->kind;
			agg_add(a, sf);
			if (sf->timed_writes > 0)
				w->timed = true;
		}
	}
	view_sort(w);
}

/* The entry of dir a path is under: dir + its next component (with the
   '/' when it is a directory), or just dir for a file right in it; 0 when
   the path is not under dir. */
static size_t
dir_key(const char *path, const char *dir, size_t dlen)
{
	const char *sl;

	if (strncmp(path, dir, dlen) != 0)
		return 0;
	sl = strchr(path + dlen, '/');
	return sl != NULL ? (size_t)(sl - path) + 1 : dlen;
}

/*
 * The files by directory: one line per entry of the directory that holds
 * them (a tree of many small files is a few subtrees).  Starting from the
 * directory all files share, it goes down while one entry holds 80% of the
 * files, so /dst/pkgNN/ rows show even when a log elsewhere was written
 * too; what is not under that directory is one "elsewhere" line.
 * *prefix gets the directory (malloc'd).
 */
static void
view_dirs(struct view *w, const struct view *files, char **prefix)
{
	const char *first = NULL;
	char *dir;
	size_t len = 0, i, k, nfiles = 0;

	memset(w, 0, sizeof(*w));
	*prefix = NULL;
	for (i = 0; i < files->n; i++) {
		const char *p = files->v[i]->key;

		if (files->v[i]->kind != SK_FILE || p[0] != '/')
			continue;
		nfiles++;
		if (first == NULL) {
			first = p;
			len = strlen(p);
			continue;
		}
		for (k = 0; k < len && p[k] == first[k]; k++)
			;
		len = k;
	}
	if (first == NULL)
		return;
	while (len > 0 && first[len - 1] != '/')
		len--;
	dir = xmalloc(len + 1);
	memcpy(dir, first, len);
	dir[len] = '\0';
	for (;;) {
		struct view t;
		struct agg *top = NULL, *a;

		memset(&t, 0, sizeof(t));
		for (i = 0; i < files->n; i++) {
			const char *p = files->v[i]->key;
			size_t kl;

			if (files->v[i]->kind != SK_FILE ||
			    (kl = dir_key(p, dir, len)) == 0)
				continue;
			a = agg_get(&t, p, kl);
			a->files++;
			if (top == NULL || a->files > top->files)
				top = a;
		}
		if (top == NULL || top->files * 10 < nfiles * 8 ||
		    strlen(top->key) == len || HASH_COUNT(t.hash) < 2) {
			view_free(&t);
			break;
		}
		free(dir);
		dir = xstrdup(top->key);
		len = strlen(dir);
		view_free(&t);
	}
	for (i = 0; i < files->n; i++) {
		const struct agg *f = files->v[i];
		size_t kl = 0;
		struct agg *a;

		if (f->kind == SK_FILE)
			kl = dir_key(f->key, dir, len);
		a = kl > 0 ? agg_get(w, f->key, kl) : agg_get(w, "(elsewhere)", 11);
		a->writes += f->writes;
		a->bytes += f->bytes;
		a->timed += f->timed;
		a->ns += f->ns;
		a->files++;
	}
	*prefix = dir;
	view_sort(w);
}

/* The cut: how many of n to show (all with --all). */
static size_t
cut(const struct report_settings *cfg, size_t n)
{
	return cfg->show == 0 || n < cfg->show ? n : cfg->show;
}

static void
print_rest(const struct out *o, size_t from, const struct view *w,
    const char *what)
{
	uint64_t bytes = 0, writes = 0;
	char a[64], b[32], c[32];
	size_t i;

	if (from >= w->n)
		return;
	for (i = from; i < w->n; i++) {
		bytes += w->v[i]->bytes;
		writes += w->v[i]->writes;
	}
	fprintf(o->f, "  and %s more %s: %s in %s write%s\n",
	    num(w->n - from, b, sizeof(b)), what, sz(bytes, a, sizeof(a)),
	    num(writes, c, sizeof(c)), plural(writes));
}

/* "most writes: A (N), B (N)": the top ones by another measure, when
   they beat every row the table by bytes showed. */
static void
print_also(const struct out *o, const struct view *w, size_t shown,
    int (*cmp)(const void *, const void *), const char *label, bool time)
{
	struct agg **v;
	uint64_t best = 0, x;
	size_t i, k = 0;
	char p[PATHBUF], a[32];

	if (w->n <= shown)
		return;
	for (i = 0; i < shown; i++) {
		x = time ? w->v[i]->ns : w->v[i]->writes;
		if (x > best)
			best = x;
	}
	v = xcalloc(w->n, sizeof(*v));
	memcpy(v, w->v, w->n * sizeof(*v));
	qsort(v, w->n, sizeof(*v), cmp);
	for (i = 0; i < w->n && k < 3; i++) {
		x = time ? v[i]->ns : v[i]->writes;
		if (x <= best)
			break;
		fprintf(o->f, "%s%s", k == 0 ? "  " : ", ", k == 0 ? label : "");
		fprintf(o->f, "%s (%s)", util_escape_path(v[i]->key, p, sizeof(p)),
		    time ? fmt_secs((double)x / 1e9, a, sizeof(a)) :
		    num(x, a, sizeof(a)));
		k++;
	}
	if (k > 0)
		fputc('\n', o->f);
	free(v);
}

static void
print_view_row(const struct out *o, const struct agg *r, bool timed,
    bool dirs)
{
	char a[64], b[32], c[32], p[PATHBUF];

	fprintf(o->f, "  %10s %9s", sz(r->bytes, a, sizeof(a)),
	    num(r->writes, b, sizeof(b)));
	if (timed)
		fprintf(o->f, " %9s", r->timed ?
		    fmt_secs((double)r->ns / 1e9, c, sizeof(c)) : "-");
	if (dirs)
		fprintf(o->f, " %7s", num(r->files, c, sizeof(c)));
	fprintf(o->f, "  %s", util_escape_path(r->key, p, sizeof(p)));
	if (!dirs && r->nprocs > 1)
		fprintf(o->f, " (%zu processes)", r->nprocs);
	fputc('\n', o->f);
}

static void
print_views(const struct out *o, struct stats_proc *const *procs, size_t np,
    const struct report_settings *cfg)
{
	struct view files, dirs;
	char *prefix = NULL;
	size_t i, n;
	char a[32], p[PATHBUF];

	view_files(&files, procs, np, cfg);
	/* one file, or one process's few: its section says it all */
	if (files.n < 2 || (np == 1 && files.n <= cut(cfg, files.n) &&
	    files.n <= 3)) {
		view_free(&files);
		return;
	}
	n = cut(cfg, files.n);
	fprintf(o->f, "\n%sFiles%s: %s written", col(o, C_BOLD), col(o, C_OFF),
	    num(files.n, a, sizeof(a)));
	if (n < files.n)
		fprintf(o->f, ", the %zu largest (--all for every one)", n);
	fprintf(o->f, "\n  %10s %9s%s  %s\n", "bytes", "writes",
	    files.timed ? " in writes" : "", "file");
	for (i = 0; i < n; i++)
		print_view_row(o, files.v[i], files.timed, false);
	print_rest(o, n, &files, "files");
	print_also(o, &files, n, cmp_agg_writes, "most writes: ", false);
	if (files.timed)
		print_also(o, &files, n, cmp_agg_ns, "most time in writes: ", true);

	/* many files: where they are */
	view_dirs(&dirs, &files, &prefix);
	if (files.n > n && dirs.n >= 2) {
		size_t d = cut(cfg, dirs.n);

		fprintf(o->f, "\n%sDirectories%s under %s: %s", col(o, C_BOLD),
		    col(o, C_OFF), util_escape_path(prefix, p, sizeof(p)),
		    num(dirs.n, a, sizeof(a)));
		if (d < dirs.n)
			fprintf(o->f, ", the %zu largest", d);
		fprintf(o->f, "\n  %10s %9s%s %7s  %s\n", "bytes", "writes",
		    files.timed ? " in writes" : "", "files", "directory");
		for (i = 0; i < d; i++)
			print_view_row(o, dirs.v[i], files.timed, true);
		print_rest(o, d, &dirs, "directories");
	}
	free(prefix);
	view_free(&dirs);
	view_free(&files);
}

/* ---------------------------------------------------------- findings */

/* A finding that says only "single big writes" (and maybe a rate). */
static bool
plain_big(const struct report_finding *f)
{
	return (f->what & ~(unsigned)REPORT_F_RATE) == REPORT_F_BIG_WRITES;
}

/*
 * The findings, grouped: the files of one process that share the one
 * pattern "single big writes" (three or more) are one sentence; the others
 * (rotation, churn, deleted files) are one sentence per file.
 */
static void
print_findings(const struct out *o, const struct report_finding *fnd,
    size_t nfnd, const struct report_settings *cfg)
{
	bool *done = xcalloc(nfnd + 1, sizeof(*done));
	size_t i, j, printed = 0, more = 0;
	char who[160], a[64], b[64], c[64], d[32], p[PATHBUF];

	for (i = 0; i < nfnd; i++) {
		const struct stats_proc *pr = fnd[i].file->proc;
		uint64_t lo = UINT64_MAX, hi = 0, bytes = 0, n = 0;
		const struct stats_file *top = NULL;

		if (done[i])
			continue;
		if (!report_shows(cfg, fnd[i].file->path)) {
			done[i] = true;
			continue;
		}
		if (plain_big(&fnd[i]))
			for (j = i; j < nfnd; j++) {
				const struct stats_file *sf = fnd[j].file;

				if (done[j] || sf->proc != pr || !plain_big(&fnd[j]) ||
				    !report_shows(cfg, sf->path))
					continue;
				n++;
				if (sf->big_min < lo)
					lo = sf->big_min;
				if (sf->hist.max > hi)
					hi = sf->hist.max;
				bytes += sf->big_bytes;
				if (top == NULL || sf->big_bytes > top->big_bytes)
					top = sf;
			}
		if (n >= 3) {
			for (j = i; j < nfnd; j++)
				if (fnd[j].file->proc == pr && plain_big(&fnd[j]) &&
				    report_shows(cfg, fnd[j].file->path))
					done[j] = true;
			if (printed >= REPORT_TEXT_MAX_FINDINGS) {
				more++;
				continue;
			}
			stats_proc_label(pr, who, sizeof(who));
			if (lo == hi)
				fprintf(o->f, "  %s*%s %s writes %s files in single %s "
				    "writes (%s in all; the largest %s)\n",
				    col(o, C_YELLOW), col(o, C_OFF), who,
				    num(n, d, sizeof(d)), sz(hi, a, sizeof(a)),
				    sz(bytes, b, sizeof(b)),
				    util_escape_path(top->path, p, sizeof(p)));
			else
				fprintf(o->f, "  %s*%s %s writes %s files in single "
				    "writes of %s to %s (%s in all; the largest to %s)\n",
				    col(o, C_YELLOW), col(o, C_OFF), who,
				    num(n, d, sizeof(d)), sz(lo, a, sizeof(a)),
				    sz(hi, c, sizeof(c)), sz(bytes, b, sizeof(b)),
				    util_escape_path(top->path, p, sizeof(p)));
			printed++;
			continue;
		}
		done[i] = true;
		if (printed >= REPORT_TEXT_MAX_FINDINGS) {
			more++;
			continue;
		}
		fprintf(o->f, "  %s*%s %s\n", col(o, C_YELLOW), col(o, C_OFF),
		    fnd[i].text);
		printed++;
	}
	if (more > 0)
		fprintf(o->f, "  * %zu more finding%s (all in the JSON output)\n",
		    more, more == 1 ? "" : "s");
	free(done);
}

/* A process with a fact worth its section even when it wrote little. */
static bool
proc_notable(const struct stats_proc *pr)
{
	const struct stats_file *sf;

	for (sf = pr->files; sf != NULL; sf = sf->hh.next) {
		const struct rotation_path *rp = sf->rp;

		if (sf->errors || sf->del_writes || sf->temps_merged)
			return true;
		if (rp != NULL && (rp->rotations || rp->copytruncates ||
		    rp->backups_deleted || rp->atomic_replaces ||
		    rp->self_truncations))
			return true;
	}
	return false;
}

/* True if any finding is about a file the report shows. */
static bool
any_shown(const struct report_finding *fnd, size_t n, const struct report_settings *cfg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (report_shows(cfg, fnd[i].file->path))
			return true;
	return false;
}

int
report_text(FILE *f, const struct stats *st, const struct limits_result *lr,
    const struct report_meta *meta, const struct report_settings *cfg,
    bool color)
{
	struct out o = { f, color };
	struct report_finding *fnd;
	struct stats_proc **procs;
	size_t nfnd, np, i, j, k, quiet = 0, nshown = 0, nproc_cut;
	struct stats_proc **shown_procs;
	const struct stats_proc **noted;
	size_t nnoted, ndone = 0, nundescribed = 0;
	bool has_finding;
	uint64_t rest_bytes = 0, rest_writes = 0, rest_procs = 0;
	double dur = (double)stats_duration(st, NULL) / 1e9;
	char a[64], b[64], who[160], cmd[PATHBUF];

	fprintf(f, "%siospy report%s", col(&o, C_BOLD), col(&o, C_OFF));
	if (meta != NULL && meta->mode != NULL) {
		fprintf(f, " (%s", meta->mode);
		if (meta->sources != NULL && meta->sources[0] != NULL) {
			fprintf(f, " of %s", util_escape_path(meta->sources[0], cmd,
			    sizeof(cmd)));
			if (meta->sources[1] != NULL)
				fprintf(f, " ...");
		}
		fputc(')', f);
	}
	fprintf(f, ": %llu write%s, %s",
	    (unsigned long long)st->writes, plural(st->writes),
	    sz(st->bytes, a, sizeof(a)));
	if (dur > 0)
		fprintf(f, " in %s", fmt_secs(dur, b, sizeof(b)));
	fputc('\n', f);
	if (meta != NULL && meta->engine != NULL) {
		fprintf(f, "  (engine: %s", meta->engine);
		if (meta->engine_reason != NULL)
			fprintf(f, ", chosen by --engine=auto: %s",
			    meta->engine_reason);
		if (meta->has_lost)
			fprintf(f, "; %llu event%s lost", (unsigned long long)
			    meta->lost_events, plural(meta->lost_events));
		fprintf(f, ")\n");
	}
	if (meta != NULL && meta->has_lost && meta->lost_events > 0)
		fprintf(f, "%sWARNING%s: %llu event%s lost to a full BPF ring "
		    "buffer: the counts below are too low\n", col(&o, C_BOLD),
		    col(&o, C_OFF), (unsigned long long)meta->lost_events,
		    plural(meta->lost_events));
	if (cfg->stack && meta != NULL && meta->mode != NULL &&
	    strcmp(meta->mode, "replay") != 0) {
		fprintf(f, "  (--stack: %llu stack%s unwound, for writes of at least %s)\n",
		    (unsigned long long)meta->stacks_unwound,
		    plural(meta->stacks_unwound), sz(cfg->stack_min, a, sizeof(a)));
	}
	if (meta != NULL && meta->interrupted)
		fprintf(f, "  %s(partial: interrupted by %s at line %llu of the "
		    "log; the rest was not read)%s\n", col(&o, C_RED),
		    util_signal_name(meta->interrupted_signal) ?
		    util_signal_name(meta->interrupted_signal) : "a signal",
		    (unsigned long long)meta->interrupted_line, col(&o, C_OFF));
	if (meta != NULL && (meta->lines_skipped || meta->unfinished))
		fprintf(f, "  (replay: %llu line%s skipped, %llu call%s never finished)\n",
		    (unsigned long long)meta->lines_skipped,
		    plural(meta->lines_skipped),
		    (unsigned long long)meta->unfinished, plural(meta->unfinished));

	procs = stats_sorted_procs(st, &np);
	if (selecting(cfg)) {
		uint64_t sb = 0, sw = 0;

		for (i = 0; i < np; i++) {
			const struct stats_file *sf;

			for (sf = procs[i]->files; sf != NULL; sf = sf->hh.next)
				if (sf->path != NULL && report_shows(cfg, sf->path)) {
					sb += sf->bytes;
					sw += sf->writes;
				}
		}
		fprintf(f, "  (--path/--exclude: the report shows only the files "
		    "they select: %llu write%s, %s)\n", (unsigned long long)sw,
		    plural(sw), sz(sb, a, sizeof(a)));
	}

	/* findings: broken limits first, then the notable facts */
	fnd = report_findings(st, cfg, &nfnd);
	if (any_shown(fnd, nfnd, cfg) || limits_broken(lr) > 0) {
		fprintf(f, "\n%sFindings%s\n", col(&o, C_BOLD), col(&o, C_OFF));
		for (k = 0; lr != NULL && k < LIM__COUNT; k++)
			for (i = 0; i < lr->v[k].nfindings; i++) {
				const struct limits_finding *lf = &lr->v[k].findings[i];

				if (i == REPORT_TEXT_MAX_FINDINGS) {
					fprintf(f, "  %s* LIMIT%s %s: %zu more file%s "
					    "(all in the JSON and JUnit output)\n",
					    col(&o, C_RED), col(&o, C_OFF),
					    lr->v[k].desc, lr->v[k].nfindings - i,
					    plural(lr->v[k].nfindings - i));
					break;
				}

				fprintf(f, "  %s* LIMIT%s %s.\n", col(&o, C_RED),
				    col(&o, C_OFF), lf->text);
				if (lf->cmdline != NULL)
					fprintf(f, "      command: %s\n",
					    util_escape_path(lf->cmdline, cmd,
					    sizeof(cmd)));
				if (lf->stack != NULL) {
					fprintf(f, "      stack of the largest write:\n");
					print_frames(&o, &lf->stack->stack, "        ", 12);
				}
			}
		print_findings(&o, fnd, nfnd, cfg);
	}
	noted = xcalloc(nfnd + 1, sizeof(*noted));
	for (i = 0; i < nfnd; i++)
		noted[i] = fnd[i].file->proc;
	nnoted = nfnd;
	report_findings_free(fnd, nfnd);

	if (lr != NULL && lr->nset > 0) {
		fprintf(f, "\n%sLimits%s\n", col(&o, C_BOLD), col(&o, C_OFF));
		for (k = 0; k < LIM__COUNT; k++) {
			if (!lr->v[k].set)
				continue;
			if (lr->v[k].nfindings > 0)
				fprintf(f, "  %sFAIL%s  %s (%zu finding%s)\n",
				    col(&o, C_RED), col(&o, C_OFF), lr->v[k].desc,
				    lr->v[k].nfindings, plural(lr->v[k].nfindings));
			else
				fprintf(f, "  %sok%s    %s\n", col(&o, C_GREEN),
				    col(&o, C_OFF), lr->v[k].desc);
		}
		if (lr->unchecked_fds > 0) {
			char sz[32];

			fprintf(f, "  %snote%s  %" PRIu64 " write%s (%s) to %zu "
			    "fd%s whose file is unknown (opened before the "
			    "trace): no limit could check them\n",
			    col(&o, C_YELLOW), col(&o, C_OFF),
			    lr->unchecked_writes, plural(lr->unchecked_writes),
			    util_fmt_size(lr->unchecked_bytes, sz, sizeof(sz)),
			    lr->unchecked_fds, plural(lr->unchecked_fds));
		}
	}

	print_views(&o, procs, np, cfg);

	/* the processes, largest first: a table of the top ones when there
	   are several, then the top half of the cut in detail, each with the
	   top half of the cut of its files, and one line for the rest */
	nproc_cut = cfg->show == 0 ? SIZE_MAX : (cfg->show + 1) / 2;
	shown_procs = xcalloc(np + 1, sizeof(*shown_procs));
	for (i = 0; i < np; i++) {
		const struct stats_proc *pr = procs[i];
		const struct churn_counts *ck = churn_counts(pr->churn);
		struct stats_file **files;
		size_t nf, nsel;

		files = stats_sorted_files(pr, &nf);
		for (j = nsel = 0; j < nf; j++)
			if (report_shows(cfg, files[j]->path))
				files[nsel++] = files[j];
		if ((nsel == 0 || minor_only(files, nsel)) && (ck->big_maps == 0 ||
		    selecting(cfg)))
			quiet++;
		else
			shown_procs[nshown++] = procs[i];
		free(files);
	}
	if (nshown > 1) {
		size_t n = cut(cfg, nshown);

		fprintf(f, "\n%sProcesses%s: %s wrote", col(&o, C_BOLD),
		    col(&o, C_OFF), num(nshown, cmd, sizeof(cmd)));
		if (n < nshown)
			fprintf(f, ", the %zu largest", n);
		fprintf(f, "\n  %10s %9s %7s  %s\n", "bytes", "writes", "files",
		    "process");
		for (i = 0; i < nshown; i++) {
			const struct stats_proc *pr = shown_procs[i];

			if (i >= n) {
				rest_procs++;
				rest_bytes += pr->bytes;
				rest_writes += pr->writes;
				continue;
			}
			stats_proc_label(pr, who, sizeof(who));
			fprintf(f, "  %10s %9s %7s  %s\n", sz(pr->bytes, a, sizeof(a)),
			    num(pr->writes, b, sizeof(b)),
			    num(HASH_COUNT(pr->files), cmd, sizeof(cmd)), who);
		}
		if (rest_procs > 0)
			fprintf(f, "  and %s more process%s: %s in %s write%s\n",
			    num(rest_procs, cmd, sizeof(cmd)),
			    rest_procs == 1 ? "" : "es", sz(rest_bytes, a, sizeof(a)),
			    num(rest_writes, b, sizeof(b)), plural(rest_writes));
	}
	for (i = 0; i < nshown; i++) {
		const struct stats_proc *pr = shown_procs[i];
		struct stats_file **files;
		size_t nf, nsel, ndetail;
		uint64_t fb = 0, fw = 0;

		/* past the cut, or under 1% of the bytes with no finding
		   (the table has it) */
		for (j = 0, has_finding = proc_notable(pr); j < nnoted &&
		    !has_finding; j++)
			has_finding = noted[j] == pr;
		if (ndone >= nproc_cut || (cfg->show != 0 && i > 0 &&
		    !has_finding && pr->bytes * 100 < st->bytes)) {
			nundescribed++;
			continue;
		}
		ndone++;
		files = stats_sorted_files(pr, &nf);
		for (j = nsel = 0; j < nf; j++)
			if (report_shows(cfg, files[j]->path))
				files[nsel++] = files[j];
		nf = nsel;
		stats_proc_label(pr, who, sizeof(who));
		fprintf(f, "\n%sProcess %s%s", col(&o, C_BOLD), who, col(&o, C_OFF));
		if (pr->cmdline != NULL)
			fprintf(f, ": %s", util_escape_path(pr->cmdline, cmd,
			    sizeof(cmd)));
		fprintf(f, "\n  %llu write%s, %s to %s file%s", (unsigned long long)pr->writes,
		    plural(pr->writes), sz(pr->bytes, a, sizeof(a)),
		    num(nf, b, sizeof(b)), plural(nf));
		if (pr->exited) {
			if (pr->exit_signal)
				fprintf(f, "; killed by %s",
				    util_signal_name(pr->exit_signal) ?
				    util_signal_name(pr->exit_signal) : "a signal");
			else
				fprintf(f, "; exited with %d", pr->exit_code);
		}
		fputc('\n', f);
		print_memory(&o, pr, st);
		ndetail = cfg->show == 0 ? nf : (cfg->show + 1) / 2;
		for (j = 0; j < nf; j++) {
			if (j < ndetail) {
				print_file(&o, files[j], dur);
				continue;
			}
			fb += files[j]->bytes;
			fw += files[j]->writes;
		}
		if (nf > ndetail)
			fprintf(f, "  and %s more file%s: %s in %s write%s\n",
			    num(nf - ndetail, cmd, sizeof(cmd)),
			    plural(nf - ndetail), sz(fb, a, sizeof(a)),
			    num(fw, b, sizeof(b)), plural(fw));
		free(files);
	}
	if (nundescribed > 0)
		fprintf(f, "\n(%s more process%s in the table above; --all "
		    "describes every one)\n", num(nundescribed, cmd, sizeof(cmd)),
		    nundescribed == 1 ? "" : "es");
	free(shown_procs);
	free(noted);
	free(procs);
	if (quiet > 0)
		fprintf(f, "\n(%zu %sprocess%s wrote nothing, or only a little "
		    "to pipes, ttys or devices%s: see --json)\n", quiet,
		    quiet < np ? "other " : "", quiet == 1 ? "" : "es",
		    selecting(cfg) ? ", or nothing --path selects" : "");
	if (np == 0)
		fprintf(f, "\nNo process was seen.\n");
	fflush(f);
	return ferror(f) ? -1 : 0;
}

/* ---------------------------------------------------------- --interval */

static int
cmp_iv(const void *a, const void *b)
{
	const struct stats_file *x = *(struct stats_file *const *)a;
	const struct stats_file *y = *(struct stats_file *const *)b;

	if (x->iv_bytes != y->iv_bytes)
		return x->iv_bytes > y->iv_bytes ? -1 : 1;
	if (x->proc->pid != y->proc->pid)
		return x->proc->pid < y->proc->pid ? -1 : 1;
	return strcmp(x->path, y->path);
}

void
report_interval(FILE *f, struct stats *st, int64_t now_ns)
{
	struct stats_file *sf, *next, **v;
	size_t n = 0, i;
	double secs;
	char tbuf[32], a[64], b[64], p[PATHBUF], comm[64];
	static const int64_t epoch_2001 = 978307200LL * 1000000000LL;

	if (st->iv_last_ns == IO_TIME_UNKNOWN) {
		int64_t start;

		if (stats_duration(st, &start) >= 0 && start != IO_TIME_UNKNOWN &&
		    start < now_ns)
			st->iv_last_ns = start;
		else if (st->first_ns != IO_TIME_UNKNOWN && st->first_ns < now_ns)
			st->iv_last_ns = st->first_ns;
		else
			st->iv_last_ns = now_ns;
		fprintf(f, "%-8s %7s %-15s %10s %11s %10s %4s  %s\n", "time", "pid",
		    "command", "writes/s", "bytes/s", "largest", "rot", "file");
	}
	secs = (double)(now_ns - st->iv_last_ns) / 1e9;
	if (secs <= 0)
		secs = 1;
	if (now_ns > epoch_2001) {
		time_t t = (time_t)(now_ns / 1000000000LL);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	} else
		snprintf(tbuf, sizeof(tbuf), "%.1fs", (double)now_ns / 1e9);

	/* the active files, busiest first */
	for (sf = st->iv_head; sf != NULL; sf = sf->iv_next)
		n++;
	v = xcalloc(n + 1, sizeof(*v));
	n = 0;
	for (sf = st->iv_head; sf != NULL; sf = next) {
		next = sf->iv_next;
		sf->iv_next = NULL;
		sf->iv_listed = false;
		/* /dev/null and friends move no data */
		if (sf->path == NULL || sf->iv_writes == 0 ||
		    strcmp(sf->path, "/dev/null") == 0 ||
		    strcmp(sf->path, "/dev/zero") == 0) {
			sf->iv_writes = sf->iv_bytes = sf->iv_max = 0;
			continue;
		}
		v[n++] = sf;
	}
	qsort(v, n, sizeof(*v), cmp_iv);
	for (i = 0; i < n; i++) {
		uint64_t rot = 0;

		sf = v[i];
		if (sf->rp != NULL)
			rot = sf->rp->rotations + sf->rp->copytruncates;
		util_escape_path(sf->proc->comm ? sf->proc->comm : "?", comm,
		    sizeof(comm));
		fprintf(f, "%-8s %7ld %-15.15s %10.1f %9s/s %10s %4llu  %s\n", tbuf,
		    (long)sf->proc->pid, comm, (double)sf->iv_writes / secs,
		    sz((uint64_t)((double)sf->iv_bytes / secs), a, sizeof(a)),
		    sz(sf->iv_max, b, sizeof(b)),
		    (unsigned long long)(rot - sf->iv_rot),
		    util_escape_path(sf->path, p, sizeof(p)));
		sf->iv_rot = rot;
		sf->iv_writes = sf->iv_bytes = sf->iv_max = 0;
	}
	free(v);
	st->iv_head = NULL;
	st->iv_last_ns = now_ns;
}
