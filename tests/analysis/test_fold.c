/*
 * tests/analysis/test_fold.c: --max-files: past the cap the smallest
 * files fold into per-directory records; totals stay exact, findings and
 * limit verdicts do not change, the rotation tracker forgets folded paths.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "feed_events.h"
#include "analysis/limits.h"
#include "output/report.h"

static struct feed F;

static void
teardown(void)
{
	feed_fini(&F);
}

/* pid writes path: open, writes of n bytes each, close */
static void
one_file(pid_t pid, const char *path, int writes, uint64_t n)
{
	int i;

	feed_open(&F, pid, path, O_WRONLY | O_CREAT | O_TRUNC, 3);
	for (i = 0; i < writes; i++)
		feed_write(&F, pid, 3, n);
	feed_close(&F, pid, 3);
}

/* Every record's bytes add up to the process's and the run's. */
static void
check_sums(void)
{
	struct stats_proc *pr;
	struct stats_file *sf;
	uint64_t all = 0, records = 0;

	for (pr = F.st->procs; pr != NULL; pr = pr->hh.next) {
		uint64_t b = 0, w = 0;

		for (sf = pr->files; sf != NULL; sf = sf->hh.next) {
			b += sf->bytes;
			w += sf->writes;
			records++;
		}
		/* records, and the files only in the process's counts */
		cr_assert_eq(b + pr->gone_bytes, pr->bytes);
		cr_assert_eq(w + pr->gone_writes, pr->writes);
		all += b + pr->gone_bytes;
	}
	cr_assert_eq(all, F.st->bytes);
	cr_assert_eq(records, F.st->nfiles);
}

Test(fold, small_files_fold_totals_stay, .fini = teardown)
{
	char p[64];
	struct stats_file *sf, *d;
	uint64_t nfold = 0;
	int i;

	feed_init(&F);
	stats_set_max_files(F.st, 100);
	one_file(10, "/big/one.bin", 1, 2 * MiB);	/* a finding */
	for (i = 0; i < 1000; i++) {
		snprintf(p, sizeof(p), "/b/d%d/f%d.o", i % 10, i);
		one_file(10, p, 2, 100 + (uint64_t)i);
		if (i % 100 == 0)
			one_file(11, "/var/log/app.log", 1, 50);
	}
	check_sums();
	cr_assert_eq(F.st->bytes, 2 * MiB + 50 * 10 + 2 * (100 * 1000 +
	    999 * 1000 / 2));
	cr_assert(F.st->nfiles <= 101, "%llu records",
	    (unsigned long long)F.st->nfiles);
	cr_assert(F.st->folded_files > 800);
	cr_assert(F.st->fold_records >= 10);
	/* the big write is a finding: never folded */
	sf = feed_file(&F, 10, "/big/one.bin");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->big_writes, 1);
	/* the first files went first, into their directory's record */
	cr_assert_null(feed_file(&F, 10, "/b/d3/f3.o"));
	d = feed_file(&F, 10, "/b/d3/");
	cr_assert_not_null(d);
	cr_assert(d->folded_files > 0);
	cr_assert_eq(d->writes, 2 * d->folded_files);
	cr_assert_null(d->rp);
	for (i = 0; i < 10; i++) {
		snprintf(p, sizeof(p), "/b/d%d/", i);
		d = feed_file(&F, 10, p);
		cr_assert_not_null(d, "%s", p);
		nfold += d->folded_files;
	}
	d = feed_file(&F, 11, "/var/log/");	/* the log's early writes */
	cr_assert_eq(nfold + (d != NULL ? d->folded_files : 0),
	    F.st->folded_files);
	/* the rotation tracker forgot the folded paths */
	cr_assert_null(rotation_find(F.st->rot, "/b/d3/f3.o"));
	cr_assert(rotation_count(F.st->rot) <= 110, "%zu rotation records",
	    rotation_count(F.st->rot));
}

/* a rotation is history: the log that rotated is never folded */
Test(fold, rotated_log_kept, .fini = teardown)
{
	char p[64];
	struct stats_file *sf;
	int i;

	feed_init(&F);
	stats_set_max_files(F.st, 40);
	one_file(10, "/var/log/a.log", 1, 10);
	feed_path_call(&F, 10, IOSYS_RENAME, "/var/log/a.log",
	    "/var/log/a.log.1", -1);
	one_file(10, "/var/log/a.log", 1, 10);
	for (i = 0; i < 500; i++) {
		snprintf(p, sizeof(p), "/b/f%d", i);
		one_file(10, p, 1, 1000);
	}
	check_sums();
	sf = feed_file(&F, 10, "/var/log/a.log");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->writes, 2);
	cr_assert_eq(sf->rp->rotations, 1);
	cr_assert(F.st->nfiles <= 41);
}

/* one file per directory: the directory records fold into the parent */
Test(fold, many_directories_fold_up, .fini = teardown)
{
	char p[64];
	struct stats_file *d;
	int i;

	feed_init(&F);
	stats_set_max_files(F.st, 20);
	for (i = 0; i < 400; i++) {
		snprintf(p, sizeof(p), "/t/d%d/x", i);
		one_file(10, p, 1, 7);
	}
	check_sums();
	cr_assert_eq(F.st->bytes, 400 * 7);
	cr_assert(F.st->nfiles <= 21, "%llu records",
	    (unsigned long long)F.st->nfiles);
	d = feed_file(&F, 10, "/t/");
	cr_assert_not_null(d);
	cr_assert(d->folded_files > 300);
}

/*
 * --max-file-bytes: a path folded and written again is judged on all its
 * bytes (the folded part is kept by path), and never folded again once
 * it reaches half the limit.  The other files are larger, so /b/x is the
 * first to fold.
 */
Test(fold, max_file_bytes_counts_folded_bytes, .fini = teardown)
{
	struct limits_result *lr;
	char p[64];
	int i, k;

	options_defaults(&F.cfg);
	F.cfg.limits.has_max_file_bytes = true;
	F.cfg.limits.max_file_bytes = 1000;
	F.cfg.limits.has_max_total_bytes = true;
	F.cfg.limits.max_total_bytes = 1;
	feed_init_cfg(&F);
	stats_set_max_files(F.st, 40);
	for (k = 0; k < 3; k++) {
		one_file(10, "/b/x", 1, 400);
		for (i = 0; i < 200; i++) {
			snprintf(p, sizeof(p), "/b/k%d_%d", k, i);
			one_file(10, p, 1, 450);
		}
	}
	cr_assert(F.st->folded_files > 0);
	cr_assert_eq(stats_folded_bytes(F.st, "/b/x"), 400);
	cr_assert_eq(feed_file(&F, 10, "/b/x")->bytes, 800);
	lr = limits_check(F.st, &F.cfg.limits);
	cr_assert_eq(lr->v[LIM_MAX_FILE_BYTES].nfindings, 1);
	cr_assert_str_eq(lr->v[LIM_MAX_FILE_BYTES].findings[0].path, "/b/x");
	cr_assert_eq((uint64_t)lr->v[LIM_MAX_FILE_BYTES].findings[0].value,
	    1200);
	/* the total and its file count include the folded files (/b/x,
	   folded once and written again, counts twice there) */
	cr_assert_eq((uint64_t)lr->v[LIM_MAX_TOTAL_BYTES].findings[0].value,
	    1200 + 600 * 450);
	cr_assert_eq(lr->v[LIM_MAX_TOTAL_BYTES].findings[0].count, 602);
	limits_free(lr);
}

/* files a limit judges stay: the cap is passed, and the count says so */
Test(fold, judged_files_stay_over_the_cap, .fini = teardown)
{
	char p[64];
	int i;

	options_defaults(&F.cfg);
	F.cfg.limits.has_max_file_bytes = true;
	F.cfg.limits.max_file_bytes = 1000;
	feed_init_cfg(&F);
	stats_set_max_files(F.st, 20);
	for (i = 0; i < 200; i++) {
		snprintf(p, sizeof(p), "/b/f%d", i);
		one_file(10, p, 1, i % 2 ? 600 : 10);	/* half are judged */
	}
	check_sums();
	cr_assert(F.st->folded_files >= 50 && F.st->folded_files <= 100,
	    "%llu folded", (unsigned long long)F.st->folded_files);
	cr_assert(F.st->fold_short > 0);
	for (i = 1; i < 200; i += 2) {
		snprintf(p, sizeof(p), "/b/f%d", i);
		cr_assert_not_null(feed_file(&F, 10, p), "%s folded", p);
	}
}

/* --interval lists records as they are written: a folded one is kept
   until the list lets it go, and the lines never name a freed record */
Test(fold, interval_list_survives_folds, .fini = teardown)
{
	char p[64], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	feed_init(&F);
	stats_set_max_files(F.st, 16);
	for (i = 0; i < 600; i++) {
		snprintf(p, sizeof(p), "/b/d%d/f%d", i % 3, i);
		one_file(10, p, 1 + i % 2, 10);
		if (i % 50 == 49)
			report_interval(f, F.st, F.now);
	}
	one_file(10, "/b/d0/f0", 1, 10);	/* folded, written again */
	report_interval(f, F.st, F.now);
	fclose(f);
	check_sums();
	cr_assert(F.st->folded_files > 500);
	cr_assert(len > 0);
	free(buf);
}

/* a process per file (a build's compilers): the directory records go
   into the processes' counts; the totals and the limits' total stay */
Test(fold, process_per_file_drops_into_process_counts, .fini = teardown)
{
	struct limits_result *lr;
	char p[64];
	int i;

	options_defaults(&F.cfg);
	F.cfg.limits.has_max_total_bytes = true;
	F.cfg.limits.max_total_bytes = 1;
	feed_init_cfg(&F);
	stats_set_max_files(F.st, 20);
	for (i = 0; i < 300; i++) {
		snprintf(p, sizeof(p), "/o/d%d/f%d.o", i % 7, i);
		one_file(1000 + i, p, 1, 10);
	}
	check_sums();
	cr_assert(F.st->nfiles <= 21, "%llu records",
	    (unsigned long long)F.st->nfiles);
	cr_assert(F.st->gone_files > 200);
	cr_assert(F.st->gone_procs > 200);
	lr = limits_check(F.st, &F.cfg.limits);
	cr_assert_eq((uint64_t)lr->v[LIM_MAX_TOTAL_BYTES].findings[0].value,
	    3000);
	cr_assert_eq(lr->v[LIM_MAX_TOTAL_BYTES].findings[0].count, 300);
	limits_free(lr);
}
