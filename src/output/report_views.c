/*
 * report_views.c: the ranked views of the text report: files across
 * processes, and directories for trees of many small files.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/report_text_int.h"

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
	a->files += sf->folded_files;	/* a directory's folded files */
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
				int len = sf->proc->pid == 0 ?
				    snprintf(key, sizeof(key), "%s", sf->path) :
				    snprintf(key, sizeof(key), "%s (pid %ld)",
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
		a->files += f->files > 0 ? f->files : 1;
	}
	*prefix = dir;
	view_sort(w);
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

void
rt_print_views(const struct out *o, struct stats_proc *const *procs, size_t np,
    const struct report_settings *cfg)
{
	struct view files, dirs;
	char *prefix = NULL;
	size_t i, n, nfrows = 0;
	uint64_t nfolded = 0;
	char a[32], b[32], p[PATHBUF];

	view_files(&files, procs, np, cfg);
	/* one file, or one process's few: its section says it all */
	if (files.n < 2 || (np == 1 && files.n <= cut(cfg, files.n) &&
	    files.n <= 3)) {
		view_free(&files);
		return;
	}
	n = cut(cfg, files.n);
	for (i = 0; i < files.n; i++)
		if (files.v[i]->files > 0) {
			nfolded += files.v[i]->files;
			nfrows++;
		}
	fprintf(o->f, "\n%sFiles%s: %s written", col(o, C_BOLD), col(o, C_OFF),
	    num(files.n - nfrows + nfolded, a, sizeof(a)));
	if (nfolded > 0)
		fprintf(o->f, " (%s of them in %s DIR/ rows: --max-files)",
		    num(nfolded, p, sizeof(p)), num(nfrows, b, sizeof(b)));
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

