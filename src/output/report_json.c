/*
 * report_json.c: the JSON report (schema version REPORT_JSON_VERSION,
 * described in the man page section "JSON OUTPUT").
 *
 * Sizes are integers in bytes (values above 2^63-1 are clamped), times are
 * ns integers (*_ns) or seconds as numbers (*_s), ratios are numbers;
 * unknown values are null.  Strings are the bytes of paths and names with
 * one rule that keeps them exact and the document valid UTF-8: a
 * backslash is written as two, and a byte that is not part of valid UTF-8
 * as a backslash and three octal digits (see jstr).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "output/report.h"
#include "output/report_system.h"
#include "output/report_latency.h"
#include "base/util.h"

static json_t *
jint(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)v);
}

/*
 * Times (version 2): a *_ns time is ns since the epoch, or null when the
 * source gave no date (a strace -t/-tt log: its time of day is in
 * run.start_time_of_day_ns; -r: relative only).  *_offset_ns are ns
 * after run.start, known whatever the clock.
 */
struct jclock {
	bool epoch;		/* the times are epoch ns */
	int64_t start;		/* the run's start, or IO_TIME_UNKNOWN */
};

/* Below this a timestamp cannot be epoch ns (1973): a time of day. */
#define EPOCH_MIN_NS ((int64_t)100000000 * 1000000000)

static json_t *
jtime(const struct jclock *c, int64_t ns)
{
	return ns == IO_TIME_UNKNOWN || !c->epoch ? json_null() :
	    json_integer(ns);
}

static json_t *
joffset(const struct jclock *c, int64_t ns)
{
	return ns == IO_TIME_UNKNOWN || c->start == IO_TIME_UNKNOWN ?
	    json_null() : json_integer(ns - c->start);
}

/* The clock's name for run.clock, or NULL when no time is known. */
static const char *
clock_name(const struct report_meta *meta, int64_t start)
{
	if (start == IO_TIME_UNKNOWN)
		return NULL;
	if (meta != NULL && meta->relative_time)
		return "relative";
	return start >= EPOCH_MIN_NS ? "epoch" : "time-of-day";
}

/* Distinct paths across processes (totals.files). */
struct jpath {
	const char *path;
	UT_hash_handle hh;
};

static json_t *jstr(const char *s);

/* The argv strings as they are (NULL when unknown), and the indices of
   those the source cut (strace -s). */
static json_t *
argv_json(const struct stats_proc *pr)
{
	json_t *a;
	size_t i = 0;

	if (pr->argv == NULL)
		return json_null();
	a = json_array();
	while (i < pr->argv_len) {
		size_t n = strnlen(pr->argv + i, pr->argv_len - i);
		char *s = xstrndup(pr->argv + i, n);

		json_array_append_new(a, jstr(s));
		free(s);
		i += n + 1;
	}
	return a;
}

static json_t *
argv_cut_json(const struct stats_proc *pr)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < 64; i++)
		if (pr->argv_cut >> i & 1)
			json_array_append_new(a, json_integer(i));
	return a;
}

static void
jpath_add(struct jpath **set, const char *path)
{
	struct jpath *e;

	if (path == NULL)
		return;
	HASH_FIND_STR(*set, path, e);
	if (e != NULL)
		return;
	e = xmalloc(sizeof(*e));
	e->path = path;
	HASH_ADD_KEYPTR(hh, *set, e->path, strlen(e->path), e);
}

static size_t
jpath_free(struct jpath **set)
{
	struct jpath *e, *tmp;
	size_t n = HASH_COUNT(*set);

	HASH_ITER(hh, *set, e, tmp) {
		HASH_DEL(*set, e);
		free(e);
	}
	return n;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t k, i;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (n < k)
		return 0;
	c = s[0] & (0x7f >> k);
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* no overlong form, no surrogate, nothing past U+10FFFF */
	if ((k == 3 && c < 0x800) || (k == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return k;
}

/*
 * A JSON string from untrusted bytes, exact and unambiguous: valid UTF-8
 * is kept (JSON escapes control characters itself), a backslash becomes
 * two, and every byte that is not valid UTF-8 becomes \ooo (three octal
 * digits).  A reader undoes it by turning \\ into \ and \ooo into the
 * byte ooo; the man page (JSON OUTPUT) says so.
 */
static json_t *
jstr(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i, o = 0, k;
	json_t *j;
	char *buf;

	if (s == NULL)
		return json_null();
	len = strlen(s);
	buf = xmalloc(len * 4 + 1);
	for (i = 0; i < len;) {
		k = utf8_len(p + i, len - i);
		if (k == 0) {
			snprintf(buf + o, 5, "\\%03o", p[i]);
			o += 4;
			i++;
			continue;
		}
		if (p[i] == '\\')
			buf[o++] = '\\';
		memcpy(buf + o, p + i, k);
		o += k;
		i += k;
	}
	buf[o] = '\0';
	j = json_string(buf);
	free(buf);
	return j ? j : json_string("?");
}

static json_t *
hist_json(const struct stats_hist *h)
{
	json_t *a = json_array();
	const struct stats_hbin *v;
	size_t nb, i;

	/* only the non-empty buckets, ascending */
	v = stats_hist_bins(h, &nb);
	for (i = 0; i < nb; i++)
		if (v[i].count != 0)
			json_array_append_new(a, json_pack("{s:o,s:o,s:o}",
			    "lo", jint(stats_hist_lo((int)v[i].k)),
			    "hi", jint(stats_hist_hi((int)v[i].k)),
			    "count", jint(v[i].count)));
	return a;
}

static json_t *
frames_json(const struct io_stack *s)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < s->nframes; i++) {
		const struct io_frame *f = &s->frames[i];

		json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
		    "ip", jint(f->ip), "func", jstr(f->func),
		    "offset", jint(f->offset), "module", jstr(f->module),
		    "module_offset", jint(f->modoff),
		    "near", jstr(f->func == NULL ? f->near : NULL)));
	}
	return a;
}

static json_t *
rotation_json(const struct rotation_path *rp)
{
	if (rp == NULL || rotation_path_quiet(rp))
		return json_null();
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "rotations", jint(rp->rotations),
	    "last_backup", jstr(rp->last_backup),
	    "reopens", jint(rp->reopens),
	    "avg_size_at_rotation", rp->size_n ?
		jint(rp->size_sum / rp->size_n) : json_null(),
	    "avg_bytes_between", rp->between_n ?
		jint(rp->between_bytes_sum / rp->between_n) : json_null(),
	    "avg_seconds_between", rp->intervals ?
		json_real((double)rp->interval_ns_sum / (double)rp->intervals / 1e9) :
		json_null(),
	    "backups_deleted", jint(rp->backups_deleted),
	    "backups_deleted_before_rotation", jint(rp->rotations_after_delete),
	    "bytes_lost", jint(rp->backup_bytes_lost),
	    "backups_size_unknown", jint(rp->backups_size_unknown),
	    "backups_size_lower_bound", jint(rp->backups_size_lower),
	    "backup_shifts", jint(rp->shifts),
	    "copytruncates", jint(rp->copytruncates),
	    "self_truncations", jint(rp->self_truncations),
	    "atomic_replaces", jint(rp->atomic_replaces),
	    "path_bytes", jint(rp->bytes));
}

/* Rates over the file's active time (first to last write), the busiest
   second beside them, and the whole run's average. */
static json_t *
file_rate_json(const struct stats_file *sf, double dur)
{
	double bs = 0, ws = 0;
	bool have = stats_file_rate(sf, &bs, &ws);

	if (sf->writes == 0)
		return json_null();
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "active_s", json_real((double)stats_file_active_ns(sf) / 1e9),
	    "writes_per_s", have ? json_real(ws) : json_null(),
	    "bytes_per_s", have ? json_real(bs) : json_null(),
	    "peak_window_s", json_real((double)STATS_PEAK_NS / 1e9),
	    "peak_bytes", jint(sf->peak_bytes),
	    "peak_writes", jint(sf->peak_writes),
	    "run_bytes_per_s", dur > 0 ?
		json_real((double)sf->bytes / dur) : json_null());
}

/* The time of the file's timed writes, or null. */
static json_t *
latency_json(const struct stats_file *sf, const struct notable_config *nt)
{
	const struct stats_hist *h = &sf->write_ns_hist;

	if (h->n == 0)
		return json_null();
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:b}", "timed", jint(h->n),
	    "min_ns", jint(h->min), "median_ns",
	    jint(stats_hist_quantile(h, 0.5)), "p99_ns",
	    jint(stats_hist_quantile(h, 0.99)), "max_ns", jint(h->max),
	    "notable", report_latency_notable(sf, nt));
}

static json_t *
file_json(const struct stats_file *sf, double dur, const struct jclock *clk,
    const struct notable_config *notable)
{
	json_t *errs = json_object(), *stacks = json_array(), *j;
	struct stats_stack **v;
	size_t n, k;
	int i;

	for (i = 0; i < STATS_ERRS && sf->errs[i].err; i++) {
		const char *en = util_errno_name(sf->errs[i].err);
		char buf[32];

		if (en == NULL) {
			snprintf(buf, sizeof(buf), "%d", sf->errs[i].err);
			en = buf;
		}
		json_object_set_new(errs, en, jint(sf->errs[i].n));
	}
	if (sf->errs_other)
		json_object_set_new(errs, "other", jint(sf->errs_other));
	v = stats_sorted_stacks(sf, &n);
	for (k = 0; k < n; k++)
		json_array_append_new(stacks, json_pack("{s:o,s:o,s:o,s:o}",
		    "count", jint(v[k]->count), "bytes", jint(v[k]->bytes),
		    "max", jint(v[k]->max), "frames", frames_json(&v[k]->stack)));
	free(v);

	j = json_pack("{s:o,s:s,s:{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o},"
	    "s:{s:o,s:o,s:o},s:o,s:o,s:o,s:o,s:{s:o,s:o},s:{s:o,s:o,s:o},s:o,"
	    "s:o,s:o}",
	    "path", jstr(sf->path),
	    "kind", stats_kind_name(sf->kind),
	    "writes",
		"count", jint(sf->writes),
		"bytes", jint(sf->bytes),
		"short", jint(sf->shorts),
		"unfinished", jint(sf->unfinished),
		"failed", jint(sf->errors),
		"errors", errs,
		"min", sf->hist.n ? jint(sf->hist.min) : json_null(),
		"median", sf->hist.n ? jint(stats_hist_quantile(&sf->hist, 0.5)) : json_null(),
		"p99", sf->hist.n ? jint(stats_hist_quantile(&sf->hist, 0.99)) : json_null(),
		"max", sf->hist.n ? jint(sf->hist.max) : json_null(),
		"hist", hist_json(&sf->hist),
	    "big_writes",
		"count", jint(sf->big_writes),
		"bytes", jint(sf->big_bytes),
		"min", sf->big_writes ? jint(sf->big_min) : json_null(),
	    "rate", file_rate_json(sf, dur),
	    "first_ns", jtime(clk, sf->first_ns),
	    "last_ns", jtime(clk, sf->last_ns),
	    "fsyncs", jint(sf->fsyncs),
	    "deleted_while_open",
		"writes_after_unlink", jint(sf->del_writes),
		"bytes_after_unlink", jint(sf->del_bytes),
	    "churn",
		"mapped_bytes", jint(sf->churn_bytes),
		"writes_with_maps", jint(sf->churn_writes),
		"ratio", json_real(stats_file_churn_ratio(sf)),
	    "rotation", rotation_json(sf->rp),
	    "temps_merged", jint(sf->temps_merged),
	    "stacks", stacks);
	if (j != NULL) {
		json_object_set_new(json_object_get(j, "writes"),
		    "eof_transfers", jint(sf->eof_transfers));
		json_object_set_new(j, "latency", latency_json(sf, notable));
		json_object_set_new(json_object_get(j, "churn"), "maps",
		    jint(sf->churn_maps));
		json_object_set_new(json_object_get(j, "churn"), "largest_map",
		    jint(sf->churn_map_max));
		json_object_set_new(json_object_get(j, "churn"), "pattern",
		    json_boolean(stats_file_churn_shown(sf)));
		json_object_set_new(j, "first_offset_ns",
		    joffset(clk, sf->first_ns));
		json_object_set_new(j, "last_offset_ns",
		    joffset(clk, sf->last_ns));
	}
	/* --max-files: a directory's record of small files (path "DIR/") */
	if (j != NULL && sf->folded_files > 0)
		json_object_set_new(j, "folded_files", jint(sf->folded_files));
	if (j != NULL && (sf->stacks_other_count || sf->stacks_other_bytes))
		json_object_set_new(j, "stacks_ungrouped", json_pack("{s:o,s:o}",
		    "count", jint(sf->stacks_other_count),
		    "bytes", jint(sf->stacks_other_bytes)));
	return j;
}

static json_t *
memory_json(const struct churn_counts *k)
{
	json_t *j = json_pack("{s:{s:o,s:o},s:{s:o,s:o},s:{s:o,s:o},s:{s:o,s:o},"
	    "s:{s:o,s:o,s:o},s:o,s:o}",
	    "mmap", "count", jint(k->mmaps), "bytes", jint(k->mmap_bytes),
	    "munmap", "count", jint(k->munmaps), "bytes", jint(k->munmap_bytes),
	    "mremap", "count", jint(k->mremaps), "grow_bytes", jint(k->mremap_grow_bytes),
	    "brk", "count", jint(k->brks), "grow_bytes", jint(k->brk_grow_bytes),
	    "big_maps", "count", jint(k->big_maps), "bytes", jint(k->big_map_bytes),
		"dropped_bytes", jint(k->big_dropped_bytes),
	    "attributed_bytes", jint(k->attributed_bytes),
	    "peak_live_bytes", jint(k->peak));

	if (j != NULL)
		json_object_set_new(j, "address_space", json_pack(
		    "{s:{s:o,s:o},s:{s:o,s:o},s:{s:o,s:o},s:o}",
		    "reserved", "count", jint(k->reserved_maps),
			"bytes", jint(k->reserved_bytes),
		    "stacks", "count", jint(k->stack_maps),
			"bytes", jint(k->stack_bytes),
		    "shared", "count", jint(k->shared_maps),
			"bytes", jint(k->shared_bytes),
		    "peak_reserved_bytes", jint(k->reserved_peak)));
	return j;
}

static json_t *
findings_json(const struct stats *st, const struct report_settings *cfg)
{
	static const char *const whats[] = { "big-writes", "rate", "churn",
	    "rotation", "deleted-backup", "write-to-deleted" };
	struct report_finding *f;
	json_t *a = json_array();
	size_t n, i, b;

	f = report_findings(st, cfg, &n);
	for (i = 0; i < n; i++) {
		json_t *kinds = json_array();

		for (b = 0; b < sizeof(whats) / sizeof(whats[0]); b++)
			if (f[i].what & (1U << b))
				json_array_append_new(kinds, json_string(whats[b]));
		json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:o,s:o}",
		    "pid", json_integer(f[i].file->proc->pid),
		    "comm", jstr(f[i].file->proc->comm),
		    "path", jstr(f[i].file->path),
		    "kinds", kinds,
		    "text", jstr(f[i].text)));
	}
	report_findings_free(f, n);
	return a;
}

static json_t *
limits_json(const struct limits_result *lr)
{
	json_t *a = json_array();
	size_t k, i;

	for (k = 0; lr != NULL && k < LIM__COUNT; k++) {
		const struct limits_verdict *v = &lr->v[k];
		json_t *fs;

		if (!v->set)
			continue;
		fs = json_array();
		for (i = 0; i < v->nfindings; i++) {
			const struct limits_finding *f = &v->findings[i];

			json_array_append_new(fs, json_pack(
			    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
			    "pid", f->pid ? json_integer(f->pid) : json_null(),
			    "comm", jstr(f->comm),
			    "cmdline", jstr(f->cmdline),
			    "path", jstr(f->path),
			    "value", v->id == LIM_MAX_CHURN ? json_real(f->value) :
				jint((uint64_t)f->value),
			    "count", jint(f->count),
			    "text", jstr(f->text),
			    "stack", f->stack ? frames_json(&f->stack->stack) :
				json_null()));
		}
		json_array_append_new(a, json_pack("{s:s,s:o,s:o,s:b,s:o}",
		    "name", v->name, "desc", jstr(v->desc),
		    "limit", v->id == LIM_MAX_CHURN ? json_real(v->limit) :
			v->id <= LIM_MAX_TOTAL_BYTES ? jint((uint64_t)v->limit) :
			json_null(),
		    "ok", v->nfindings == 0, "findings", fs));
	}
	return a;
}

/*
 * Streaming: the document is never built whole (a file record's JSON
 * tree costs kilobytes, and a big build writes millions of files).  The
 * root is built with a placeholder string where "processes" goes, each
 * process with one where its "files" go, and each file on its own; each
 * piece is dumped with the indentation it has at its place in the
 * document, so the output is the same bytes json_dumpf gave for the whole
 * tree.  The placeholder cannot be mistaken for data: a quote inside a
 * string is always escaped.
 */
#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)
#define HOLE "@@iospy-stream@@"

/* Write s with `extra` (at most 16) spaces after every newline (JSON strings hold no
   raw newline); false on a write error. */
static bool
put_indented(FILE *f, const char *s, size_t len, int extra)
{
	const char *p = s, *end = s + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			fwrite(p, 1, (size_t)(end - p), f);
			break;
		}
		fwrite(p, 1, (size_t)(nl - p) + 1, f);
		fwrite("                ", 1, (size_t)extra, f);
		p = nl + 1;
	}
	return !ferror(f);
}

/* Dump j at depth `extra` spaces.  With a hole, write up to the
   placeholder's value and return the dumped text (free it) with *rest at
   what follows it; else write it all and return NULL.  *ok goes false on
   an error. */
static char *
put_json(FILE *f, json_t *j, int extra, const char **rest, bool *ok)
{
	char *s, *h;

	if (j == NULL) {
		*ok = false;
		return NULL;
	}
	s = json_dumps(j, JSON_FLAGS);
	json_decref(j);
	if (s == NULL) {
		*ok = false;
		return NULL;
	}
	if (rest == NULL) {
		*ok = put_indented(f, s, strlen(s), extra) && *ok;
		free(s);
		return NULL;
	}
	h = strstr(s, "\"" HOLE "\"");
	if (h == NULL) {	/* cannot happen: the hole was packed */
		*ok = false;
		free(s);
		return NULL;
	}
	*ok = put_indented(f, s, (size_t)(h - s), extra) && *ok;
	*rest = h + strlen(HOLE) + 2;
	return s;
}

/* The array separators around element i of n (elements at `in` spaces,
   the closing bracket at in - 2). */
static void
put_sep(FILE *f, size_t i, size_t n, int in)
{
	if (n == 0) {
		fputs("[]", f);
		return;
	}
	if (i < n)
		fprintf(f, "%s\n%*s", i == 0 ? "[" : ",", in, "");
	else
		fprintf(f, "\n%*s]", in - 2, "");
}

static void
put_process(FILE *f, const struct stats_proc *pr, double dur,
    const struct jclock *clk, const struct notable_config *notable, bool *ok)
{
	struct stats_file **fv;
	const char *rest = NULL;
	char *text;
	size_t nf, j;

	text = put_json(f, json_pack(
	    "{s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:s}",
	    "pid", (int)pr->pid,
	    "comm", jstr(pr->comm),
	    "cmdline", jstr(pr->cmdline),
	    "argv", argv_json(pr),
	    "argv_cut", argv_cut_json(pr),
	    "writes", jint(pr->writes),
	    "bytes", jint(pr->bytes),
	    "exited", pr->exited,
	    "exit_code", pr->exited && !pr->exit_signal ?
		json_integer(pr->exit_code) : json_null(),
	    "exit_signal", pr->exit_signal && util_signal_name(
		pr->exit_signal) ? json_string(util_signal_name(
		pr->exit_signal)) : json_null(),
	    "memory", memory_json(churn_counts(pr->churn)),
	    "files", HOLE), 4, &rest, ok);
	if (text == NULL)
		return;
	fv = stats_sorted_files(pr, &nf);
	for (j = 0; j < nf && *ok; j++) {
		put_sep(f, j, nf, 8);
		put_json(f, file_json(fv[j], dur, clk, notable), 8, NULL, ok);
	}
	put_sep(f, nf, nf, 8);
	free(fv);
	*ok = put_indented(f, rest, strlen(rest), 4) && *ok;
	free(text);
}

/* {count, shown: [{pid, parent, comm}]} in attach mode, else null. */
static json_t *
untraced_json(const struct report_meta *meta)
{
	json_t *a;
	size_t i;

	if (meta == NULL || meta->mode == NULL ||
	    (strcmp(meta->mode, "attach") != 0 && strcmp(meta->mode, "auto") != 0))
		return json_null();
	a = json_array();
	for (i = 0; i < meta->nuntraced_shown; i++)
		json_array_append_new(a, json_pack("{s:i,s:i,s:o}",
		    "pid", meta->untraced[i].pid, "parent",
		    meta->untraced[i].parent, "comm", jstr(meta->untraced[i].comm)));
	return json_pack("{s:o,s:o}", "count", jint(meta->nuntraced), "shown", a);
}

int
report_json(FILE *f, const struct stats *st, const struct limits_result *lr,
    const struct report_meta *meta, const struct report_settings *cfg)
{
	json_t *root, *sources = json_array();
	struct stats_proc **pv;
	const struct stats_file *sf;
	size_t np, i, npf = 0;
	uint64_t nfolded = 0;
	int64_t start;
	int64_t dur_ns = stats_duration(st, &start);
	double dur = (double)dur_ns / 1e9;
	const char *rest = NULL;
	char *text;
	bool ok = true;
	struct jpath *paths = NULL;
	struct jclock clk;
	const char *clock;

	if (dur_ns <= 0)
		start = IO_TIME_UNKNOWN;
	clock = clock_name(meta, start);
	clk.epoch = clock != NULL && strcmp(clock, "epoch") == 0;
	clk.start = start;

	pv = stats_sorted_procs(st, &np);
	for (i = 0; i < np; i++)
		for (sf = pv[i]->files; sf != NULL; sf = sf->hh.next)
			if (stats_file_reportable(sf)) {
				/* --max-files: a directory's record counts
				   the files folded into it (and a process
				   the ones only in its totals, below) */
				if (sf->folded_files > 0) {
					npf += sf->folded_files;
					nfolded += sf->folded_files;
					continue;
				}
				npf++;
				/* names in the file system: not pipes,
				   sockets, fds whose file is unknown */
				if (sf->kind == SK_FILE || sf->kind == SK_DEVICE ||
				    sf->kind == SK_TTY)
					jpath_add(&paths, sf->path);
			}
	for (i = 0; i < np; i++) {
		npf += pv[i]->gone_files;
		nfolded += pv[i]->gone_files;
	}
	for (i = 0; meta != NULL && meta->sources != NULL && meta->sources[i]; i++)
		json_array_append_new(sources, jstr(meta->sources[i]));
	root = json_pack("{s:i,s:s,s:s,s:{s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o},"
	    "s:{s:o,s:o,s:o,s:o,s:f,s:f,s:f,s:o},s:o,s:o,s:{s:o,s:o,s:o},s:s}",
	    "version", REPORT_JSON_VERSION,
	    "tool", "iospy",
	    "tool_version", PACKAGE_VERSION,
	    "run",
		"mode", jstr(meta && meta->mode ? meta->mode : NULL),
		"sources", sources,
		"start_ns", jtime(&clk, start),
		"end_ns", dur_ns > 0 ? jtime(&clk, start + dur_ns) : json_null(),
		"duration_s", dur_ns > 0 ? json_real(dur) : json_null(),
		"pinned", meta ? meta->pinned : false,
		"lines_skipped", jint(meta ? meta->lines_skipped : 0),
		"unfinished", jint(meta ? meta->unfinished : 0),
		"events", jint(st->events),
	    "thresholds",
		"notable_write", jint(st->notable->write_size),
		"notable_rate", jint(st->notable->rate),
		"churn_min_map", jint(st->notable->churn_map),
		"stack_min", cfg->stack ? jint(cfg->stack_min) : json_null(),
		"notable_churn", st->notable->churn,
		"interval_s", cfg->interval,
		"duration_limit_s", cfg->duration,
		"error_exitcode", json_integer(st->limits->error_exitcode),
	    "findings", findings_json(st, cfg),
	    "limits", limits_json(lr),
	    "totals",
		"writes", jint(st->writes),
		"bytes", jint(st->bytes),
		"files", jint(jpath_free(&paths) + nfolded),
	    "processes", HOLE);
	if (root == NULL) {
		free(pv);
		return -1;
	}
	json_object_set_new(json_object_get(root, "totals"), "process_files",
	    jint(npf));
	json_object_set_new(json_object_get(root, "run"), "clock",
	    clock != NULL ? json_string(clock) : json_null());
	json_object_set_new(json_object_get(root, "run"),
	    "start_time_of_day_ns", clock != NULL &&
	    strcmp(clock, "time-of-day") == 0 ? json_integer(start) :
	    json_null());
	json_object_set_new(root, "limits_broken", jint(limits_broken(lr)));
	/* writes no path limit could check: their fd's file is unknown */
	json_object_set_new(root, "limits_unchecked", lr != NULL &&
	    lr->nset > 0 ? json_pack("{s:o,s:o,s:o}",
		"fds", jint(lr->unchecked_fds),
		"writes", jint(lr->unchecked_writes),
		"bytes", jint(lr->unchecked_bytes)) : json_null());
	/* live --stack: how many stacks were unwound (null otherwise) */
	json_object_set_new(json_object_get(root, "run"), "stacks_unwound",
	    cfg->stack && meta != NULL && meta->mode != NULL &&
	    strcmp(meta->mode, "replay") != 0 ?
	    jint(meta->stacks_unwound) : json_null());
	/* replay stopped by a signal: the line it stopped at, else null */
	json_object_set_new(json_object_get(root, "run"), "interrupted",
	    meta != NULL && meta->interrupted ? json_pack("{s:o,s:o}",
	    "line", jint(meta->interrupted_line), "signal",
	    util_signal_name(meta->interrupted_signal) ?
	    json_string(util_signal_name(meta->interrupted_signal)) :
	    json_null()) : json_null());
	/* --max-files: what was folded into per-directory records */
	json_object_set_new(root, "folded", json_pack("{s:o,s:o,s:o,s:o,s:o}",
	    "max_files", st->max_files ? jint(st->max_files) : json_null(),
	    "files", jint(st->folded_files),
	    "records", jint(st->fold_records),
	    "over_cap", jint(st->fold_short),
	    "in_process_totals", jint(st->gone_files)));
	/* live: the devices the files are on, /proc/PID/io (null otherwise) */
	json_object_set_new(root, "system", meta != NULL && meta->system != NULL ?
	    report_system_json(meta->system) : json_null());
	/* live: the engine that ran, why (--engine=auto), events lost */
	json_object_set_new(json_object_get(root, "run"), "engine",
	    jstr(meta != NULL ? meta->engine : NULL));
	json_object_set_new(json_object_get(root, "run"), "engine_reason",
	    jstr(meta != NULL ? meta->engine_reason : NULL));
	json_object_set_new(json_object_get(root, "run"), "lost_events",
	    meta != NULL && meta->has_lost ? jint(meta->lost_events) :
	    json_null());
	/* strace's filters: what was asked, and how many calls seen were left
	   out of every count (null: nothing filtered) */
	json_object_set_new(json_object_get(root, "run"), "filter",
	    meta != NULL && meta->filter != NULL ? json_pack("{s:o,s:o}",
	    "strace_args", jstr(meta->filter), "withheld",
	    jint(meta->filter_withheld)) : json_null());
	/* attach: the children started before it, which were not traced */
	json_object_set_new(json_object_get(root, "run"), "untraced_children",
	    untraced_json(meta));
	text = put_json(f, root, 0, &rest, &ok);
	for (i = 0; i < np && text != NULL && ok; i++) {
		put_sep(f, i, np, 4);
		put_process(f, pv[i], dur, &clk, st->notable, &ok);
	}
	if (text != NULL) {
		put_sep(f, np, np, 4);
		ok = put_indented(f, rest, strlen(rest), 0) && ok;
		free(text);
	}
	free(pv);
	fputc('\n', f);
	fflush(f);
	return ok && !ferror(f) ? 0 : -1;
}
