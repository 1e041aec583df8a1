/* tests/analysis/test_limits.c: CI limits -> verdicts, findings and JUnit XML. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "feed_events.h"
#include "analysis/limits.h"
#include "output/report.h"

static struct feed F;
static struct limits_result *LR;
static char *out;
static size_t outlen;

static void
setup(void)
{
	LR = NULL;
	out = NULL;
}

static void
teardown(void)
{
	limits_free(LR);
	free(out);
	feed_fini(&F);
}

TestSuite(limits, .init = setup, .fini = teardown);

/* Parse options as the command line would (SIZE syntax included). */
static void
start(const char *const *opts)
{
	char *argv[32];
	char err[256];
	enum options_action act;
	int argc = 0, rc;

	argv[argc++] = (char *)"iospy";
	while (*opts != NULL && argc < 28)
		argv[argc++] = (char *)*opts++;
	argv[argc++] = (char *)"--replay";
	argv[argc++] = (char *)"x.log";
	argv[argc] = NULL;
	options_defaults(&F.cfg);
	rc = options_parse(&F.cfg, argc, argv, &act, err, sizeof(err));
	cr_assert_eq(rc, OPTIONS_OK, "%s", err);
	feed_init_cfg(&F);
}

static void
check(void)
{
	LR = limits_check(F.st, &F.cfg.limits);
}

static const char *
junit(void)
{
	FILE *f = open_memstream(&out, &outlen);

	cr_assert_eq(limits_junit(f, LR, &F.cfg.limits), 0);
	fclose(f);
	return out;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

static void
one_big_write(pid_t pid, const char *path, uint64_t n)
{
	feed_open(&F, pid, path, O_WRONLY | O_CREAT | O_TRUNC, 3);
	feed_write(&F, pid, 3, n);
	feed_close(&F, pid, 3);
}

static void
small_writes(pid_t pid, const char *path, uint64_t total, uint64_t each)
{
	uint64_t done;

	feed_open(&F, pid, path, O_WRONLY | O_CREAT | O_TRUNC, 4);
	for (done = 0; done < total; done += each)
		feed_write(&F, pid, 4, each);
	feed_close(&F, pid, 4);
}

Test(limits, max_write_fails_on_one_8mib_write)
{
	start((const char *const[]){ "--max-write", "1M", NULL });
	feed_name(&F, 1, "bigwriter", "bigwriter --size 8M");
	one_big_write(1, "/tmp/out.bin", 8 * MiB);
	check();
	cr_assert_eq(limits_broken(LR), 1);
	cr_assert_eq(LR->nset, 1);
	cr_assert_eq(LR->v[LIM_MAX_WRITE].nfindings, 1);
	cr_assert_str_eq(LR->v[LIM_MAX_WRITE].findings[0].path, "/tmp/out.bin");
	cr_assert_eq(LR->v[LIM_MAX_WRITE].findings[0].pid, 1);
	cr_assert_eq(LR->v[LIM_MAX_WRITE].findings[0].value, 8.0 * MiB);
	cr_assert_eq(LR->v[LIM_MAX_WRITE].findings[0].count, 1);
	cr_assert_str_eq(LR->v[LIM_MAX_WRITE].findings[0].cmdline,
	    "bigwriter --size 8M");
	cr_assert_not_null(strstr(LR->v[LIM_MAX_WRITE].findings[0].text,
	    "wrote 8.0 MiB in one call to /tmp/out.bin"));
}

Test(limits, small_writes_pass_max_write_and_fail_max_file_bytes)
{
	start((const char *const[]){ "--max-write", "1M", "--max-file-bytes",
	    "4M", NULL });
	small_writes(1, "/tmp/out.bin", 8 * MiB, 4096);
	check();
	cr_assert_eq(LR->v[LIM_MAX_WRITE].nfindings, 0);
	cr_assert_eq(LR->v[LIM_MAX_FILE_BYTES].nfindings, 1);
	cr_assert_eq(limits_broken(LR), 1);
	cr_assert_not_null(strstr(LR->v[LIM_MAX_FILE_BYTES].findings[0].text,
	    "/tmp/out.bin received 8.0 MiB"));
}

Test(limits, file_bytes_are_summed_over_processes)
{
	start((const char *const[]){ "--max-file-bytes", "4M", NULL });
	small_writes(1, "/tmp/shared.log", 3 * MiB, 64 * 1024);
	small_writes(2, "/tmp/shared.log", 2 * MiB, 64 * 1024);
	check();
	cr_assert_eq(LR->v[LIM_MAX_FILE_BYTES].nfindings, 1);
	cr_assert_eq(LR->v[LIM_MAX_FILE_BYTES].findings[0].pid, 1,
	    "named after the largest writer");
}

Test(limits, max_total_bytes)
{
	start((const char *const[]){ "--max-total-bytes", "10MiB", NULL });
	small_writes(1, "/tmp/a", 6 * MiB, MiB);
	small_writes(1, "/tmp/b", 6 * MiB, MiB);
	check();
	cr_assert_eq(LR->v[LIM_MAX_TOTAL_BYTES].nfindings, 1);
	cr_assert_eq(LR->v[LIM_MAX_TOTAL_BYTES].findings[0].value, 12.0 * MiB);
}

Test(limits, specials_are_excluded_unless_named)
{
	struct io_event ev;

	start((const char *const[]){ "--max-write", "1k", NULL });
	io_event_init(&ev);
	ev.fd = 5;
	ev.fd2 = 6;
	ev.ret = 0;
	feed_ev(&F, 1, IOSYS_PIPE2, &ev);
	feed_write(&F, 1, 6, 64 * 1024);		/* pipe */
	feed_write(&F, 1, 1, 64 * 1024);		/* fd opened before the trace */
	feed_open(&F, 1, "/dev/null", O_WRONLY, 7);
	feed_write(&F, 1, 7, 64 * 1024);
	feed_open(&F, 1, "/dev/pts/3", O_WRONLY, 8);
	feed_write(&F, 1, 8, 64 * 1024);
	check();
	cr_assert_eq(limits_broken(LR), 0);
	cr_assert(!limits_applies(&F.cfg.limits, "socket:[77]", SK_SOCKET));
	cr_assert(limits_applies(&F.cfg.limits, "/tmp/x", SK_FILE));
}

Test(limits, path_names_a_pipe_and_exclude_wins)
{
	struct io_event ev;

	start((const char *const[]){ "--max-write", "1k", "--path", "pipe:*",
	    "--path", "/var/log/*.log", "--exclude", "/var/log/debug*", NULL });
	io_event_init(&ev);
	ev.fd = 5;
	ev.fd2 = 6;
	ev.ret = 0;
	feed_ev(&F, 1, IOSYS_PIPE2, &ev);
	feed_write(&F, 1, 6, 64 * 1024);
	one_big_write(1, "/var/log/app.log", 64 * 1024);
	one_big_write(1, "/var/log/debug.log", 64 * 1024);
	one_big_write(1, "/tmp/other", 64 * 1024);
	check();
	cr_assert_eq(LR->v[LIM_MAX_WRITE].nfindings, 2);
	cr_assert(limits_applies(&F.cfg.limits, "/var/log/sub/x.log", SK_FILE),
	    "'*' matches '/' too");
	cr_assert(!limits_applies(&F.cfg.limits, "/var/log/debug.log", SK_FILE));
	cr_assert(!limits_applies(&F.cfg.limits, "/tmp/other", SK_FILE));
}

Test(limits, churn_rotation_and_deleted_backup_on_the_seed)
{
	start((const char *const[]){ "--max-churn", "1.5", "--fail-on",
	    "rotation,deleted-backup", "--fail-on", "write-to-deleted", NULL });
	feed_seed(&F, 2);
	check();
	cr_assert_eq(LR->nset, 4);
	cr_assert_eq(LR->v[LIM_MAX_CHURN].nfindings, 1);
	cr_assert(LR->v[LIM_MAX_CHURN].findings[0].value > 1.99);
	cr_assert_eq(LR->v[LIM_ROTATION].nfindings, 1);
	cr_assert_eq(LR->v[LIM_ROTATION].findings[0].count, 2);
	cr_assert_eq(LR->v[LIM_DELETED_BACKUP].nfindings, 1);
	cr_assert_eq(LR->v[LIM_DELETED_BACKUP].findings[0].value,
	    2.0 * 943718535);
	cr_assert_eq(LR->v[LIM_WRITE_TO_DELETED].nfindings, 0);
	cr_assert_eq(LR->broken_limits, 3);
}

Test(limits, churn_below_limit_passes)
{
	start((const char *const[]){ "--max-churn", "2.5", NULL });
	feed_seed(&F, 1);
	check();
	cr_assert_eq(limits_broken(LR), 0);
}

Test(limits, write_to_deleted)
{
	start((const char *const[]){ "--fail-on", "write-to-deleted", NULL });
	feed_open(&F, 1, "/tmp/gone", O_RDWR | O_CREAT, 3);
	feed_write(&F, 1, 3, 10);
	feed_path_call(&F, 1, IOSYS_UNLINK, "/tmp/gone", NULL, -1);
	feed_write(&F, 1, 3, 1000);
	/* a temporary file: unlinked by its maker before any write */
	feed_open(&F, 1, "/tmp/scratch", O_RDWR | O_CREAT | O_EXCL, 4);
	feed_path_call(&F, 1, IOSYS_UNLINK, "/tmp/scratch", NULL, -1);
	feed_write(&F, 1, 4, 5000);
	check();
	cr_assert_eq(LR->v[LIM_WRITE_TO_DELETED].nfindings, 1);
	cr_assert_eq(LR->v[LIM_WRITE_TO_DELETED].findings[0].value, 1000);
}

Test(limits, atomic_replace_does_not_fail_on_rotation)
{
	start((const char *const[]){ "--fail-on", "rotation", NULL });
	feed_open(&F, 1, "/etc/c.tmp", O_WRONLY | O_CREAT | O_EXCL, 3);
	feed_write(&F, 1, 3, 10);
	feed_path_call(&F, 1, IOSYS_RENAME, "/etc/c.tmp", "/etc/c", -1);
	check();
	cr_assert_eq(limits_broken(LR), 0);
}

Test(limits, no_limits_no_findings)
{
	start((const char *const[]){ NULL });
	feed_seed(&F, 1);
	check();
	cr_assert_eq(LR->nset, 0);
	cr_assert_eq(limits_broken(LR), 0);
	cr_assert_not_null(strstr(junit(), "name=\"no limits set\""));
}

Test(limits, junit_shape)
{
	const char *x;

	start((const char *const[]){ "--max-write", "1M", "--max-file-bytes",
	    "1G", "--fail-on", "rotation", NULL });
	feed_name(&F, 1, "w<&>\"'", "w --a=\"<x>\" \001");
	one_big_write(1, "/tmp/a&b<c>.log", 8 * MiB);
	one_big_write(1, "/tmp/second", 2 * MiB);
	check();
	x = junit();
	cr_assert(strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0);
	cr_assert_eq(count(x, "<testsuites "), 1);
	cr_assert_eq(count(x, "</testsuites>"), 1);
	cr_assert_eq(count(x, "<testsuite "), 1);
	cr_assert_eq(count(x, "<testcase "), 3, "one per limit set: %s", x);
	cr_assert_eq(count(x, "<failure "), 1, "one failed limit: %s", x);
	cr_assert_eq(count(x, "</failure>"), 1);
	cr_assert_not_null(strstr(x, "tests=\"3\" failures=\"1\""));
	cr_assert_not_null(strstr(x, "name=\"max-write 1.0 MiB\">"));
	cr_assert_not_null(strstr(x, "name=\"max-file-bytes 1.0 GiB\"/>"));
	cr_assert_not_null(strstr(x, "(and 1 more)"), "%s", x);
	/* markup in names and paths is escaped, control bytes are not raw */
	cr_assert_not_null(strstr(x, "/tmp/a&amp;b&lt;c&gt;.log"), "%s", x);
	cr_assert_not_null(strstr(x, "w&lt;&amp;&gt;&quot;&apos; (pid 1)"), "%s", x);
	cr_assert_null(strchr(x, '\001'));
	cr_assert_null(strstr(x, "<x>"));
}

Test(limits, broken_limit_in_report_and_json)
{
	struct report_meta m = { .mode = "replay" };
	FILE *f;

	start((const char *const[]){ "--max-write", "1M", NULL });
	one_big_write(1, "/tmp/out.bin", 8 * MiB);
	check();
	f = open_memstream(&out, &outlen);
	report_text(f, F.st, LR, &m, &F.cfg.report, false);
	fclose(f);
	cr_assert_not_null(strstr(out, "* LIMIT max-write 1.0 MiB broken:"), "%s", out);
	cr_assert_not_null(strstr(out, "FAIL  max-write 1.0 MiB"), "%s", out);
	free(out);
	out = NULL;
	f = open_memstream(&out, &outlen);
	report_json(f, F.st, LR, &m, &F.cfg.report);
	fclose(f);
	cr_assert_not_null(strstr(out, "\"limits_broken\": 1"), "%s", out);
	cr_assert_not_null(strstr(out, "\"ok\": false"), "%s", out);
}
