/* tests/output/test_report.c: text report, findings, JSON (parsed back with
 * jansson) and --interval lines from hand-made event sequences. */
#include "config.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "feed_events.h"
#include "output/report.h"

static struct feed F;
static char *out;
static size_t outlen;

static void
setup(void)
{
	feed_init(&F);
	out = NULL;
}

static void
teardown(void)
{
	free(out);
	feed_fini(&F);
}

TestSuite(report, .init = setup, .fini = teardown);

static const char *const replay_src[] = { "seed.log", NULL };

static const char *
text(bool color)
{
	struct report_meta m = { .mode = "replay", .sources = replay_src };
	struct limits_result *lr = limits_check(F.st, &F.cfg.limits);
	FILE *f = open_memstream(&out, &outlen);

	cr_assert_eq(report_text(f, F.st, lr, &m, &F.cfg.report, color), 0);
	fclose(f);
	limits_free(lr);
	return out;
}

static json_t *
json(void)
{
	struct report_meta m = { .mode = "replay", .sources = replay_src,
	    .lines_skipped = 3 };
	struct limits_result *lr = limits_check(F.st, &F.cfg.limits);
	FILE *f = open_memstream(&out, &outlen);
	json_error_t err;
	json_t *j;

	cr_assert_eq(report_json(f, F.st, lr, &m, &F.cfg.report), 0);
	fclose(f);
	limits_free(lr);
	j = json_loads(out, 0, &err);
	cr_assert_not_null(j, "JSON does not parse: %s (line %d)", err.text,
	    err.line);
	return j;
}

Test(report, seed_findings_say_it_plainly)
{
	const char *t;

	feed_seed(&F, 2);
	t = text(false);
	cr_assert_not_null(strstr(t, "python (pid 6648) writes /tmp/logtest.txt "
	    "in single 300.0 MiB writes"), "%s", t);
	cr_assert_not_null(strstr(t, "each write costs 2.0x its size in fresh "
	    "anonymous memory"), "%s", t);
	cr_assert_not_null(strstr(t, "the file rotates every 900.0 MiB"), "%s", t);
	cr_assert_not_null(strstr(t, "deleting the oldest backup before each "
	    "rotation (last /tmp/logtest.txt.1, 900.0 MiB lost each time"),
	    "%s", t);
	cr_assert_not_null(strstr(t, "12 maps of up to 300.0 MiB, made for 6 "
	    "of its 12 writes"), "%s", t);
	cr_assert_not_null(strstr(t, "churn      2.00x"), "%s", t);
	cr_assert_not_null(strstr(t, "[256M, 512M)"), "%s", t);
	cr_assert_not_null(strstr(t, "Process python (pid 6648): python /app.py"));
	cr_assert_null(strstr(t, "\033["), "no colour unless asked");
	/* findings come before the per-process details */
	cr_assert(strstr(t, "Findings") < strstr(t, "Process python"));
}

/* RotatingFileHandler(backupCount=2): .2 exists, and is deleted, only
   from the third rotation on: the sentence counts them */
Test(report, deleted_backups_counted_against_rotations)
{
	const char *t;
	int r;

	feed_name(&F, 40, "python3", NULL);
	for (r = 1; r <= 6; r++) {
		feed_open(&F, 40, "/var/log/app.log", O_WRONLY | O_CREAT |
		    O_APPEND, 3);
		feed_write(&F, 40, 3, 2000);
		feed_close(&F, 40, 3);
		if (r >= 3)
			feed_path_call(&F, 40, IOSYS_UNLINK, "/var/log/app.log.2",
			    NULL, -1);
		if (r >= 2)
			feed_path_call(&F, 40, IOSYS_RENAME, "/var/log/app.log.1",
			    "/var/log/app.log.2", -1);
		feed_path_call(&F, 40, IOSYS_RENAME, "/var/log/app.log",
		    "/var/log/app.log.1", -1);
	}
	t = text(false);
	cr_assert_not_null(strstr(t, "6 rotations seen"), "%s", t);
	cr_assert_not_null(strstr(t, "deleting the oldest backup before 4 of "
	    "its 6 rotations ("), "%s", t);
	cr_assert_null(strstr(t, "before each rotation"), "%s", t);
}

Test(report, colour_only_when_asked)
{
	feed_seed(&F, 1);
	cr_assert_not_null(strstr(text(true), "\033["));
}

Test(report, json_schema_roundtrip)
{
	json_t *j, *p, *fl, *w, *h, *rot, *ch;
	size_t i;
	json_int_t hsum = 0;

	feed_seed(&F, 2);
	j = json();
	cr_assert_eq(json_integer_value(json_object_get(j, "version")),
	    REPORT_JSON_VERSION);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j,
	    "run"), "mode")), "replay");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "run"),
	    "lines_skipped")), 3);
	cr_assert(json_is_array(json_object_get(j, "findings")));
	cr_assert_eq(json_array_size(json_object_get(j, "findings")), 1);
	cr_assert(json_is_array(json_object_get(j, "limits")));
	p = json_array_get(json_object_get(j, "processes"), 0);
	cr_assert_eq(json_integer_value(json_object_get(p, "pid")), SEED_PID);
	cr_assert_str_eq(json_string_value(json_object_get(p, "comm")), "python");
	fl = json_array_get(json_object_get(p, "files"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(fl, "path")),
	    "/tmp/logtest.txt");
	cr_assert_str_eq(json_string_value(json_object_get(fl, "kind")), "file");
	w = json_object_get(fl, "writes");
	cr_assert_eq(json_integer_value(json_object_get(w, "count")), 12);
	cr_assert_eq(json_integer_value(json_object_get(w, "max")), SEED_MSG);
	cr_assert_eq(json_integer_value(json_object_get(w, "min")), 1);
	h = json_object_get(w, "hist");
	cr_assert_eq(json_array_size(h), 2, "only non-empty buckets");
	for (i = 0; i < json_array_size(h); i++) {
		json_t *b = json_array_get(h, i);

		cr_assert(json_integer_value(json_object_get(b, "lo")) <=
		    json_integer_value(json_object_get(b, "hi")));
		hsum += json_integer_value(json_object_get(b, "count"));
	}
	cr_assert_eq(hsum, 12);
	ch = json_object_get(fl, "churn");
	cr_assert(json_real_value(json_object_get(ch, "ratio")) > 1.99);
	rot = json_object_get(fl, "rotation");
	cr_assert_eq(json_integer_value(json_object_get(rot, "rotations")), 2);
	cr_assert_eq(json_integer_value(json_object_get(rot, "backups_deleted")), 2);
	cr_assert_eq(json_integer_value(json_object_get(rot, "bytes_lost")),
	    2 * 943718535LL);
	cr_assert(json_is_object(json_object_get(fl, "deleted_while_open")));
	cr_assert(json_is_array(json_object_get(fl, "stacks")));
	cr_assert(json_is_object(json_object_get(p, "memory")));
	json_decref(j);
}

Test(report, json_huge_values_are_clamped_and_valid)
{
	struct stats_file *sf;
	json_t *j, *w;

	feed_open(&F, 10, "/tmp/h", O_WRONLY | O_CREAT, 3);
	feed_write(&F, 10, 3, 0);
	sf = feed_file(&F, 10, "/tmp/h");
	/* a value no write can have, straight into the histogram */
	stats_hist_add(&sf->hist, UINT64_MAX);
	j = json();
	w = json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(j, "processes"), 0), "files"), 0), "writes");
	cr_assert_eq(json_integer_value(json_object_get(w, "max")), INT64_MAX);
	cr_assert_eq(json_integer_value(json_object_get(w, "min")), 0);
	json_decref(j);
}

/* "rotation" is null when nothing happened to the name (doc/iospy.1),
   an object once it was truncated, renamed or deleted */
Test(report, json_rotation_null_unless_something_happened)
{
	json_t *j, *files;
	size_t i;
	int seen = 0;

	feed_open(&F, 10, "/tmp/plain", O_WRONLY | O_CREAT | O_TRUNC, 3);
	feed_write(&F, 10, 3, 3);
	feed_open(&F, 10, "/tmp/cut", O_WRONLY | O_CREAT, 4);
	feed_write(&F, 10, 4, 3);
	feed_open(&F, 11, "/tmp/cut", O_WRONLY | O_TRUNC, 3);
	feed_open(&F, 10, "/tmp/gone", O_WRONLY | O_CREAT, 5);
	feed_write(&F, 10, 5, 3);
	feed_path_call(&F, 10, IOSYS_UNLINK, "/tmp/gone", NULL, -1);
	j = json();
	files = json_object_get(json_array_get(json_object_get(j, "processes"),
	    0), "files");
	for (i = 0; i < json_array_size(files); i++) {
		json_t *fl = json_array_get(files, i);
		const char *path = json_string_value(json_object_get(fl, "path"));
		json_t *rot = json_object_get(fl, "rotation");

		cr_assert_not_null(rot, "%s: no rotation key", path);
		if (strcmp(path, "/tmp/plain") == 0)
			cr_expect(json_is_null(rot), "%s: rotation not null", path);
		else
			cr_expect(json_is_object(rot), "%s: rotation null", path);
		seen++;
	}
	cr_assert_eq(seen, 3);
	json_decref(j);
}

Test(report, untrusted_paths_are_escaped)
{
	const char *t;
	json_t *j;

	feed_name(&F, 20, "ev\033[31mil", NULL);
	feed_open(&F, 20, "/tmp/a\nb\033[2Jc\377", O_WRONLY | O_CREAT, 3);
	feed_write(&F, 20, 3, 2 * MiB);
	t = text(false);
	cr_assert_null(strstr(t, "\033"), "%s", t);
	cr_assert_not_null(strstr(t, "/tmp/a\\nb\\033[2Jc\\377"), "%s", t);
	cr_assert_not_null(strstr(t, "ev\\033[31mil (pid 20)"), "%s", t);
	free(out);
	out = NULL;
	j = json();	/* invalid UTF-8 must still give a valid document */
	json_decref(j);
}

Test(report, atomic_replace_and_deleted_and_copytruncate_text)
{
	const char *t;

	feed_name(&F, 30, "editor", NULL);
	feed_open(&F, 30, "/etc/x.conf.tmp", O_WRONLY | O_CREAT | O_EXCL, 3);
	feed_write(&F, 30, 3, 100);
	feed_close(&F, 30, 3);
	feed_path_call(&F, 30, IOSYS_RENAME, "/etc/x.conf.tmp", "/etc/x.conf", -1);
	feed_name(&F, 31, "daemon", NULL);
	feed_open(&F, 31, "/var/tmp/spool", O_RDWR | O_CREAT | O_TRUNC, 3);
	feed_write(&F, 31, 3, 100);
	feed_path_call(&F, 31, IOSYS_UNLINK, "/var/tmp/spool", NULL, -1);
	feed_write(&F, 31, 3, 5 * MiB);
	feed_open(&F, 32, "/var/log/c.log", O_WRONLY | O_APPEND, 3);
	feed_write(&F, 32, 3, 10);
	feed_open(&F, 33, "/var/log/c.log", O_WRONLY | O_TRUNC, 3);
	feed_write(&F, 32, 3, 10);	/* the writer goes on: copytruncate */
	t = text(false);
	cr_assert_not_null(strstr(t, "atomic replace 1 time"), "%s", t);
	cr_assert_null(strstr(t, "x.conf.tmp"), "temp folded into target: %s", t);
	cr_assert_not_null(strstr(t, "after the file was deleted"), "%s", t);
	cr_assert_not_null(strstr(t, "copytruncate 1 time"), "%s", t);
	cr_assert_not_null(strstr(t, "another process copy-truncates it"), "%s", t);
}

Test(report, interval_lines)
{
	FILE *f = open_memstream(&out, &outlen);
	int64_t t0 = F.now;
	int i;

	feed_name(&F, 40, "app", NULL);
	feed_open(&F, 40, "/tmp/iv", O_WRONLY | O_CREAT, 3);
	for (i = 0; i < 10; i++)
		feed_write(&F, 40, 3, 1024);
	report_interval(f, F.st, t0 + 1000000000);
	report_interval(f, F.st, t0 + 2000000000);	/* idle: no line */
	feed_write(&F, 40, 3, 4096);
	report_interval(f, F.st, t0 + 3000000000);
	fclose(f);
	cr_assert_not_null(strstr(out, "writes/s"), "a header: %s", out);
	cr_assert_not_null(strstr(out, "10.0  10.0 KiB/s"), "%s", out);
	cr_assert_not_null(strstr(out, "1.0   4.0 KiB/s"), "%s", out);
	cr_assert_not_null(strstr(out, "/tmp/iv"));
	{
		int lines = 0;
		const char *p;

		for (p = out; *p; p++)
			lines += *p == '\n';
		cr_assert_eq(lines, 3, "%s", out);
	}
}

Test(report, empty_run)
{
	const char *t = text(false);
	json_t *j;

	cr_assert_not_null(strstr(t, "0 writes"));
	free(out);
	out = NULL;
	j = json();
	cr_assert_eq(json_array_size(json_object_get(j, "processes")), 0);
	json_decref(j);
}

Test(report, pipes_and_unknown_fds_are_reported)
{
	const char *t;
	struct io_event ev;

	io_event_init(&ev);
	ev.fd = 3;
	ev.fd2 = 4;
	ev.ret = 0;
	feed_ev(&F, 50, IOSYS_PIPE2, &ev);
	feed_write(&F, 50, 4, 100);
	feed_write(&F, 50, 9, 200);
	t = text(false);
	cr_assert_not_null(strstr(t, "(pipe)"), "%s", t);
	cr_assert_not_null(strstr(t, "fd 9 (opened before the trace) (unknown-fd)"),
	    "%s", t);
}

Test(report, stacks_top3_and_json_all)
{
	struct io_stack s[5];
	struct io_event ev;
	const char *t;
	json_t *j, *stacks;
	int i, k;

	memset(s, 0, sizeof(s));
	feed_open(&F, 60, "/tmp/st", O_WRONLY | O_CREAT, 3);
	for (k = 0; k < 5; k++) {
		s[k].nframes = 2;
		s[k].frames[0].ip = 0x1000;
		s[k].frames[0].func = "write";
		s[k].frames[0].module = "/lib/libc.so.6";
		s[k].frames[1].ip = 0x2000 + (uint64_t)k;
		s[k].frames[1].func = k == 4 ? "flush_buffer" : "small_writer";
		s[k].frames[1].offset = (uint64_t)k;
		s[k].frames[1].module = "/usr/bin/app";
		for (i = 0; i <= k; i++) {
			io_event_init(&ev);
			ev.fd = 3;
			ev.count = ev.ret = (int64_t)((k + 1) * MiB);
			ev.stack = &s[k];
			feed_ev(&F, 60, IOSYS_WRITE, &ev);
		}
	}
	F.cfg.limits.has_max_write = true;
	F.cfg.limits.max_write = 4 * MiB;
	t = text(false);
	cr_assert_not_null(strstr(t, "stacks     5 distinct in 15 unwound writes (top 3 by bytes)"), "%s", t);
	cr_assert_not_null(strstr(t, "5 writes, 25.0 MiB (largest 5.0 MiB):"), "%s", t);
	cr_assert_null(strstr(t, "1 write, 1.0 MiB"), "only the top 3: %s", t);
	/* the broken --max-write names the stack of the worst write */
	cr_assert_not_null(strstr(t, "stack of the largest write:\n"
	    "        #0  write+0x0 (/lib/libc.so.6)\n"
	    "        #1  flush_buffer+0x4 (/usr/bin/app)"), "%s", t);
	free(out);
	out = NULL;
	j = json();
	stacks = json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(j, "processes"), 0), "files"), 0), "stacks");
	cr_assert_eq(json_array_size(stacks), 5);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(stacks, 0), "frames"), 1), "func")),
	    "flush_buffer");
	json_decref(j);
}

Test(report, many_findings_are_capped_in_text_only)
{
	const char *t;
	json_t *j;
	int i;

	F.cfg.limits.has_max_write = true;
	F.cfg.limits.max_write = MiB;
	for (i = 0; i < 15; i++) {
		char p[64];

		snprintf(p, sizeof(p), "/tmp/many/%02d", i);
		feed_open(&F, 70, p, O_WRONLY | O_CREAT, 3);
		feed_write(&F, 70, 3, 2 * MiB);
		feed_close(&F, 70, 3);
	}
	t = text(false);
	/* the 15 files of one pattern are one sentence */
	cr_assert_not_null(strstr(t, "writes 15 files in single 2.0 MiB writes"), "%s", t);
	cr_assert_null(strstr(t, "more findings"), "%s", t);
	cr_assert_not_null(strstr(t, "max-write 1.0 MiB: 5 more files"), "%s", t);
	free(out);
	out = NULL;
	j = json();
	cr_assert_eq(json_array_size(json_object_get(j, "findings")), 15);
	cr_assert_eq(json_array_size(json_object_get(json_array_get(
	    json_object_get(j, "limits"), 0), "findings")), 15);
	json_decref(j);
}

Test(report, json_strings_are_exact)
{
	json_t *j, *files;
	const char *a = NULL, *b = NULL, *c = NULL;
	size_t i;

	/* a real backslash and an invalid byte must not look alike */
	feed_open(&F, 40, "/tmp/a\\377", O_WRONLY | O_CREAT, 3);
	feed_write(&F, 40, 3, 10);
	feed_open(&F, 40, "/tmp/b\377", O_WRONLY | O_CREAT, 4);
	feed_write(&F, 40, 4, 20);
	feed_open(&F, 40, "/tmp/\303\251t\303\251", O_WRONLY | O_CREAT, 5);
	feed_write(&F, 40, 5, 30);
	j = json();
	files = json_object_get(json_array_get(json_object_get(j, "processes"), 0),
	    "files");
	for (i = 0; i < json_array_size(files); i++) {
		json_t *f = json_array_get(files, i);
		const char *p = json_string_value(json_object_get(f, "path"));
		json_int_t n = json_integer_value(json_object_get(
		    json_object_get(f, "writes"), "bytes"));

		if (n == 10)
			a = p;
		else if (n == 20)
			b = p;
		else if (n == 30)
			c = p;
	}
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_not_null(c);
	cr_expect_str_eq(a, "/tmp/a\\\\377");
	cr_expect_str_eq(b, "/tmp/b\\377");
	cr_expect_str_eq(c, "/tmp/\303\251t\303\251");	/* UTF-8 kept */
	json_decref(j);
}
