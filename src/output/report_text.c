/*
 * report_text.c: the human report: per process, per file, the memory
 * section and the findings.
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

/* ---------------------------------------------------------- text */


static void
print_hist(const struct out *o, const struct stats_hist *h)
{
	int k, lo = -1, hi = -1, zeros;
	uint64_t maxc = 0;
	char a[32], b[32], label[80];
	uint64_t cnt[STATS_HIST_BUCKETS] = { 0 };
	const struct stats_hbin *bins;
	size_t nb, j;

	bins = stats_hist_bins(h, &nb);
	for (j = 0; j < nb; j++)
		cnt[bins[j].k] = bins[j].count;

	for (k = 0; k < STATS_HIST_BUCKETS; k++) {
		if (cnt[k] == 0)
			continue;
		if (lo < 0)
			lo = k;
		hi = k;
		if (cnt[k] > maxc)
			maxc = cnt[k];
	}
	if (lo < 0)
		return;
	for (k = lo; k <= hi; k++) {
		int w, i;

		if (cnt[k] == 0) {
			/* a run of three or more empty buckets: one line */
			for (zeros = 0; k + zeros <= hi && cnt[k + zeros] == 0; zeros++)
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
		w = (int)((cnt[k] * 40 + maxc - 1) / maxc);
		fprintf(o->f, "      %-16s %10llu |%s", label,
		    (unsigned long long)cnt[k], col(o, C_CYAN));
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
	if (sf->folded_files > 0)
		fprintf(o->f, " (%s small files folded: --max-files)",
		    num(sf->folded_files, a, sizeof(a)));
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
	{
		char lt[160];

		if (report_latency_text(sf, lt, sizeof(lt)))
			fprintf(o->f, "    latency    %s\n", lt);
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
/* The files of a hash of records, or of an array of nf: a directory's
   record of folded files (--max-files) counts them. */
static uint64_t
files_of(const struct stats_file *hash, size_t nf,
    struct stats_file *const *v)
{
	const struct stats_file *sf;
	uint64_t n = 0;
	size_t i;

	for (sf = hash; sf != NULL; sf = sf->hh.next)
		n += sf->folded_files > 0 ? sf->folded_files : 1;
	if (hash != NULL)
		n += hash->proc->gone_files;
	for (i = 0; v != NULL && i < nf; i++)
		n += v[i]->folded_files > 0 ? v[i]->folded_files : 1;
	return n;
}

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
	if (meta != NULL && meta->filter != NULL) {
		char fb[PATHBUF];

		fprintf(f, "  Filter: %s (other calls not counted: %llu seen and "
		    "left out)\n", util_escape_path(meta->filter, fb, sizeof(fb)),
		    (unsigned long long)meta->filter_withheld);
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

	if (st->folded_files > 0) {
		char n1[32], n2[32];

		fprintf(f, "  (--max-files %llu: %s small files folded into %s "
		    "per-directory records, shown as DIR/; totals are exact, "
		    "and no finding or limit is in a folded file)\n",
		    (unsigned long long)st->max_files,
		    num(st->folded_files, n1, sizeof(n1)),
		    num(st->fold_records, n2, sizeof(n2)));
		if (st->gone_files > 0)
			fprintf(f, "  (--max-files: %s of them, from %s processes "
			    "writing a few files each, are only in their "
			    "processes' totals)\n", num(st->gone_files, n1,
			    sizeof(n1)), num(st->gone_procs, n2, sizeof(n2)));
		if (st->fold_short > 0)
			fprintf(f, "  (--max-files: %s records over the cap "
			    "could not fold: findings, or files a limit "
			    "judges)\n", num(st->fold_short, n1, sizeof(n1)));
	}
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

	rt_print_views(&o, procs, np, cfg);

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
			    num(files_of(pr->files, 0, NULL), cmd, sizeof(cmd)),
			    who);
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
		    num(files_of(NULL, nf, files), b, sizeof(b)),
		    plural(files_of(NULL, nf, files)));
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

