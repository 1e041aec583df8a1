/*
 * limits.c: CI limits checked against the aggregated stats.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "analysis/limits.h"
#include "base/util.h"

#define TEXT 2048

static const char *const limit_names[LIM__COUNT] = {
	"max-write", "max-file-bytes", "max-total-bytes", "max-churn",
	"fail-on rotation", "fail-on deleted-backup", "fail-on write-to-deleted",
};

bool
limits_applies(const struct limits_config *lc, const char *path,
    enum stats_kind kind)
{
	if (path == NULL)
		return false;
	if (lc->npaths > 0) {
		if (!util_glob_any(lc->paths, lc->npaths, path))
			return false;
	} else if (kind != SK_FILE)
		return false;
	return !util_glob_any(lc->excludes, lc->nexcludes, path);
}

static char *
fmt(const char *f, ...)
{
	char buf[TEXT];
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return xstrdup(buf);
}

static struct limits_finding *
add(struct limits_result *lr, enum limits_id id, const struct stats_file *sf,
    double value, uint64_t count)
{
	struct limits_verdict *v = &lr->v[id];
	struct limits_finding *f;

	v->findings = xrealloc(v->findings, (v->nfindings + 1) * sizeof(*f));
	f = &v->findings[v->nfindings++];
	memset(f, 0, sizeof(*f));
	f->value = value;
	f->count = count;
	if (sf != NULL) {
		f->pid = sf->proc->pid;
		f->comm = sf->proc->comm ? xstrdup(sf->proc->comm) : NULL;
		f->cmdline = sf->proc->cmdline ? xstrdup(sf->proc->cmdline) : NULL;
		f->path = xstrdup(sf->path);
	}
	lr->broken++;
	return f;
}

/* Per-path sums over all processes. */
struct pathsum {
	const char *path;
	uint64_t bytes;
	const struct stats_file *top;	/* the record that wrote most */
	bool reported;
	UT_hash_handle hh;
};

static void
set_verdict(struct limits_result *lr, enum limits_id id, bool on, double limit,
    const char *desc)
{
	struct limits_verdict *v = &lr->v[id];

	v->id = id;
	v->name = limit_names[id];
	v->set = on;
	v->limit = limit;
	v->desc = xstrdup(desc);
	if (on)
		lr->nset++;
}

struct limits_result *
limits_check(const struct stats *st, const struct limits_config *lc)
{
	struct limits_result *lr = xcalloc(1, sizeof(*lr));
	struct stats_proc **procs;
	struct pathsum *sums = NULL, *ps, *ptmp;
	size_t np, i, j, k;
	char a[64], b[64], who[160], path[1024], path2[1024], desc[128];
	uint64_t total = 0, nfiles = 0;
	const struct stats_file *biggest = NULL;

	snprintf(desc, sizeof(desc), "max-write %s",
	    util_fmt_size(lc->max_write, a, sizeof(a)));
	set_verdict(lr, LIM_MAX_WRITE, lc->has_max_write, (double)lc->max_write, desc);
	snprintf(desc, sizeof(desc), "max-file-bytes %s",
	    util_fmt_size(lc->max_file_bytes, a, sizeof(a)));
	set_verdict(lr, LIM_MAX_FILE_BYTES, lc->has_max_file_bytes,
	    (double)lc->max_file_bytes, desc);
	snprintf(desc, sizeof(desc), "max-total-bytes %s",
	    util_fmt_size(lc->max_total_bytes, a, sizeof(a)));
	set_verdict(lr, LIM_MAX_TOTAL_BYTES, lc->has_max_total_bytes,
	    (double)lc->max_total_bytes, desc);
	snprintf(desc, sizeof(desc), "max-churn %.2f", lc->max_churn);
	set_verdict(lr, LIM_MAX_CHURN, lc->has_max_churn, lc->max_churn, desc);
	set_verdict(lr, LIM_ROTATION, (lc->fail_on & FAIL_ON_ROTATION) != 0, 0,
	    "fail-on rotation");
	set_verdict(lr, LIM_DELETED_BACKUP,
	    (lc->fail_on & FAIL_ON_DELETED_BACKUP) != 0, 0,
	    "fail-on deleted-backup");
	set_verdict(lr, LIM_WRITE_TO_DELETED,
	    (lc->fail_on & FAIL_ON_WRITE_TO_DELETED) != 0, 0,
	    "fail-on write-to-deleted");
	if (st == NULL || lr->nset == 0)
		return lr;

	procs = stats_sorted_procs(st, &np);
	for (i = 0; i < np; i++) {
		struct stats_file **files;
		size_t nf;

		files = stats_sorted_files(procs[i], &nf);
		stats_proc_label(procs[i], who, sizeof(who));
		/* --max-files: files kept only in the process's counts */
		total += procs[i]->gone_lim_bytes;
		nfiles += procs[i]->gone_lim_files;
		for (j = 0; j < nf; j++) {
			const struct stats_file *sf = files[j];
			const struct rotation_path *rp = sf->rp;
			struct limits_finding *f;

			if (sf->folded_files > 0) {
				/* a directory's record of small files
				   (--max-files): none of them breaks a
				   per-file limit (stats_fold), their bytes
				   count in the total */
				total += sf->folded_lim_bytes;
				nfiles += sf->folded_lim_files;
				continue;
			}
			if (sf->kind == SK_UNKNOWN_FD && sf->writes > 0 &&
			    !limits_applies(lc, sf->path, sf->kind)) {
				lr->unchecked_fds++;
				lr->unchecked_writes += sf->writes;
				lr->unchecked_bytes += sf->bytes;
			}
			if (!limits_applies(lc, sf->path, sf->kind))
				continue;
			util_escape_path(sf->path, path, sizeof(path));
			total += sf->bytes;
			if (sf->bytes > 0)
				nfiles++;
			if (biggest == NULL || sf->bytes > biggest->bytes)
				biggest = sf;

			HASH_FIND_STR(sums, sf->path, ps);
			if (ps == NULL) {
				ps = xcalloc(1, sizeof(*ps));
				ps->path = sf->path;
				/* what of it was folded (--max-files) */
				ps->bytes = stats_folded_bytes(st, sf->path);
				HASH_ADD_KEYPTR(hh, sums, ps->path,
				    strlen(ps->path), ps);
			}
			ps->bytes += sf->bytes;
			if (ps->top == NULL || sf->bytes > ps->top->bytes)
				ps->top = sf;

			if (lc->has_max_write && sf->hist.n > 0 &&
			    sf->hist.max > lc->max_write) {
				f = add(lr, LIM_MAX_WRITE, sf,
				    (double)sf->hist.max, sf->over_max_write);
				f->stack = sf->worst;
				f->text = fmt("%s broken: %s wrote %s in one call "
				    "to %s (%llu call%s over the limit)",
				    lr->v[LIM_MAX_WRITE].desc, who,
				    util_fmt_size(sf->hist.max, a, sizeof(a)),
				    path, (unsigned long long)sf->over_max_write,
				    sf->over_max_write == 1 ? "" : "s");
			}
			if (lc->has_max_churn && stats_file_churn_shown(sf) &&
			    stats_file_churn_ratio(sf) > lc->max_churn) {
				double r = stats_file_churn_ratio(sf);

				f = add(lr, LIM_MAX_CHURN, sf, r, sf->churn_writes);
				f->stack = sf->worst;
				f->text = fmt("%s broken: %s mapped %.2f bytes of "
				    "fresh anonymous memory per byte written to "
				    "%s (%s for %s, around %llu of its %llu "
				    "writes)",
				    lr->v[LIM_MAX_CHURN].desc, who, r, path,
				    util_fmt_size(sf->churn_bytes, a, sizeof(a)),
				    util_fmt_size(sf->bytes, b, sizeof(b)),
				    (unsigned long long)sf->churn_writes,
				    (unsigned long long)sf->writes);
			}
			if ((lc->fail_on & FAIL_ON_WRITE_TO_DELETED) &&
			    sf->del_writes > 0) {
				f = add(lr, LIM_WRITE_TO_DELETED, sf,
				    (double)sf->del_bytes, sf->del_writes);
				f->text = fmt("%s: %s wrote %s (%llu call%s) to "
				    "%s after it was deleted",
				    lr->v[LIM_WRITE_TO_DELETED].desc, who,
				    util_fmt_size(sf->del_bytes, a, sizeof(a)),
				    (unsigned long long)sf->del_writes,
				    sf->del_writes == 1 ? "" : "s", path);
			}
			if (rp == NULL)
				continue;
			/* path-level facts: once per path, named after the
			   process that wrote it most (files are sorted) */
			if (ps->reported)
				continue;
			if ((lc->fail_on & FAIL_ON_ROTATION) &&
			    rp->rotations + rp->copytruncates > 0) {
				uint64_t n = rp->rotations + rp->copytruncates;

				f = add(lr, LIM_ROTATION, sf, (double)n, n);
				util_escape_path(rp->last_backup ?
				    rp->last_backup : "", path2, sizeof(path2));
				if (rp->rotations > 0)
					f->text = fmt("%s: %s was rotated %llu "
					    "time%s (last to %s)%s, written by %s",
					    lr->v[LIM_ROTATION].desc, path,
					    (unsigned long long)n, n == 1 ? "" : "s",
					    path2, rp->copytruncates ?
					    " or copy-truncated" : "", who);
				else
					f->text = fmt("%s: %s was copy-truncated "
					    "%llu time%s, written by %s",
					    lr->v[LIM_ROTATION].desc, path,
					    (unsigned long long)n, n == 1 ? "" : "s",
					    who);
			}
			if ((lc->fail_on & FAIL_ON_DELETED_BACKUP) &&
			    rp->backups_deleted > 0) {
				f = add(lr, LIM_DELETED_BACKUP, sf,
				    (double)rp->backup_bytes_lost,
				    rp->backups_deleted);
				f->text = fmt("%s: %llu backup%s of %s deleted "
				    "(%s%s lost), written by %s",
				    lr->v[LIM_DELETED_BACKUP].desc,
				    (unsigned long long)rp->backups_deleted,
				    rp->backups_deleted == 1 ? "" : "s", path,
				    rp->backups_size_unknown ||
				    rp->backups_size_lower ? "at least " : "",
				    util_fmt_size(rp->backup_bytes_lost, a, sizeof(a)),
				    who);
			}
			ps->reported = true;
		}
		free(files);
	}

	if (lc->has_max_file_bytes) {
		HASH_ITER(hh, sums, ps, ptmp) {
			struct limits_finding *f;

			if (ps->bytes <= lc->max_file_bytes)
				continue;
			f = add(lr, LIM_MAX_FILE_BYTES, ps->top, (double)ps->bytes, 1);
			f->stack = ps->top->worst;
			util_escape_path(ps->path, path, sizeof(path));
			stats_proc_label(ps->top->proc, who, sizeof(who));
			f->text = fmt("%s broken: %s received %s (%s%s)",
			    lr->v[LIM_MAX_FILE_BYTES].desc, path,
			    util_fmt_size(ps->bytes, a, sizeof(a)),
			    ps->top->bytes == ps->bytes ? "all from " : "most from ",
			    who);
		}
	}
	HASH_ITER(hh, sums, ps, ptmp) {
		HASH_DEL(sums, ps);
		free(ps);
	}
	if (lc->has_max_total_bytes && total > lc->max_total_bytes) {
		struct limits_finding *f = add(lr, LIM_MAX_TOTAL_BYTES, NULL,
		    (double)total, nfiles);

		if (biggest != NULL) {
			util_escape_path(biggest->path, path, sizeof(path));
			stats_proc_label(biggest->proc, who, sizeof(who));
		}
		f->text = fmt("%s broken: %s written to %llu file%s (largest: "
		    "%s by %s, %s)", lr->v[LIM_MAX_TOTAL_BYTES].desc,
		    util_fmt_size(total, a, sizeof(a)),
		    (unsigned long long)nfiles, nfiles == 1 ? "" : "s",
		    biggest ? path : "?", biggest ? who : "?",
		    util_fmt_size(biggest ? biggest->bytes : 0, b, sizeof(b)));
	}
	free(procs);
	for (k = 0; k < LIM__COUNT; k++)
		if (lr->v[k].nfindings > 0)
			lr->broken_limits++;
	return lr;
}

size_t
limits_broken(const struct limits_result *lr)
{
	return lr ? lr->broken : 0;
}

/* XML text: escape markup; drop bytes XML 1.0 cannot carry. */
static void
xml_put(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n')
				fprintf(f, "\\%03o", c);
			else if (c >= 0x80)
				fprintf(f, "\\%03o", c);	/* keep it valid UTF-8 */
			else
				fputc(c, f);
		}
	}
}

static void
xml_stack(FILE *f, const struct stats_stack *g)
{
	int i;

	if (g == NULL)
		return;
	fputs("\n  stack of the worst write:", f);
	for (i = 0; i < g->stack.nframes; i++) {
		const struct io_frame *fr = &g->stack.frames[i];
		char line[1024];

		snprintf(line, sizeof(line), "\n    #%d 0x%llx %s+0x%llx (%s)", i,
		    (unsigned long long)fr->ip, fr->func ? fr->func : "??",
		    (unsigned long long)fr->offset,
		    fr->module ? fr->module : "?");
		xml_put(f, line);
	}
}

int
limits_junit(FILE *f, const struct limits_result *lr,
    const struct limits_config *lc)
{
	size_t k, i, tests = lr->nset ? lr->nset : 1;

	(void)lc;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"iospy\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"0\">\n", tests, lr->broken_limits);
	fprintf(f, "  <testsuite name=\"iospy.limits\" tests=\"%zu\" "
	    "failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", tests,
	    lr->broken_limits);
	if (lr->nset == 0)
		fprintf(f, "    <testcase classname=\"iospy.limits\" "
		    "name=\"no limits set\"/>\n");
	for (k = 0; k < LIM__COUNT; k++) {
		const struct limits_verdict *v = &lr->v[k];

		if (!v->set)
			continue;
		fputs("    <testcase classname=\"iospy.limits\" name=\"", f);
		xml_put(f, v->desc);
		if (v->nfindings == 0) {
			fputs("\"/>\n", f);
			continue;
		}
		fputs("\">\n      <failure type=\"", f);
		xml_put(f, v->name);
		fputs("\" message=\"", f);
		xml_put(f, v->findings[0].text);
		if (v->nfindings > 1)
			fprintf(f, " (and %zu more)", v->nfindings - 1);
		fputs("\">", f);
		for (i = 0; i < v->nfindings; i++) {
			if (i > 0)
				fputc('\n', f);
			xml_put(f, v->findings[i].text);
			if (v->findings[i].cmdline != NULL) {
				fputs("\n  command: ", f);
				xml_put(f, v->findings[i].cmdline);
			}
			xml_stack(f, v->findings[i].stack);
		}
		fputs("</failure>\n    </testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	return ferror(f) ? -1 : 0;
}

void
limits_free(struct limits_result *lr)
{
	size_t k, i;

	if (lr == NULL)
		return;
	for (k = 0; k < LIM__COUNT; k++) {
		for (i = 0; i < lr->v[k].nfindings; i++) {
			struct limits_finding *f = &lr->v[k].findings[i];

			free(f->text);
			free(f->comm);
			free(f->cmdline);
			free(f->path);
		}
		free(lr->v[k].findings);
		free(lr->v[k].desc);
	}
	free(lr);
}
