/* tests/cli/test_options.c: the command-line parser and --limits files. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/options.h"

static struct config cfg;
static char err[512];
static enum options_action act;

static int
parse(int argc, const char **argv)
{
	options_free(&cfg);
	options_defaults(&cfg);
	return options_parse(&cfg, argc, (char **)argv, &act, err, sizeof(err));
}

static void
setup(void)
{
	options_defaults(&cfg);
}

static void
teardown(void)
{
	options_free(&cfg);
}

TestSuite(options, .init = setup, .fini = teardown);

Test(options, help_and_version)
{
	const char *a[] = { "iospy", "--help", NULL };
	const char *b[] = { "iospy", "-V", NULL };

	cr_expect_eq(parse(2, a), OPTIONS_EXIT);
	cr_expect_eq(act, OPTACT_HELP);
	cr_expect_eq(parse(2, b), OPTIONS_EXIT);
	cr_expect_eq(act, OPTACT_VERSION);
}

Test(options, unknown_option_is_usage)
{
	const char *a[] = { "iospy", "--bogus", NULL };
	const char *b[] = { "iospy", "-j", "true", NULL };
	const char *c[] = { "iospy", NULL };

	cr_expect_eq(parse(2, a), OPTIONS_USAGE);
	cr_expect(strstr(err, "--bogus") != NULL, "%s", err);
	cr_expect_eq(parse(3, b), OPTIONS_USAGE);
	cr_expect(strstr(err, "'j'") != NULL, "%s", err);
	cr_expect_eq(parse(1, c), OPTIONS_USAGE);
}

/* strace's flags mean what strace means: -e is the qualifier (the event
 * lines are --events only), -P a path filter (--path stays the report's
 * glob), -z/-Z the status filter; strace flags iospy lacks are named. */
Test(options, strace_filter_flags)
{
	const char *a[] = { "iospy", "-e", "trace=write", "-e", "status=failed",
	    "-P", "/tmp/x", "-y", "true", NULL };
	const char *b[] = { "iospy", "--events", "-e", "write", "true", NULL };
	const char *c[] = { "iospy", "-e", "trace=nosuch", "true", NULL };
	const char *d[] = { "iospy", "-k", "true", NULL };
	const char *e[] = { "iospy", "-z", "--replay", "x.log", NULL };
	const char *g[] = { "iospy", "--path", "*.log", "true", NULL };
	const char *h[] = { "iospy", "-e", "inject=write:error=EIO", "true", NULL };
	const char *i[] = { "iospy", "-e", "quiet=attach", "-yy", "true", NULL };

	cr_assert_eq(parse(9, a), OPTIONS_OK, "%s", err);
	cr_expect_not_null(cfg.filter);
	cr_expect(!cfg.events);
	cr_expect_eq(cfg.trace.filter, cfg.filter);
	cr_expect_eq(cfg.limits.npaths, 0);
	cr_expect_eq(parse(5, b), OPTIONS_OK, "%s", err);
	cr_expect(cfg.events);
	cr_expect_not_null(cfg.filter);
	cr_expect_eq(parse(4, c), OPTIONS_USAGE);
	cr_expect_str_eq(err, "invalid system call 'nosuch'");
	cr_expect_eq(parse(3, d), OPTIONS_USAGE);
	cr_expect(strstr(err, "-k is strace's stack trace flag; use --stack") != NULL,
	    "%s", err);
	cr_expect_eq(parse(4, e), OPTIONS_OK, "%s", err);
	cr_expect_eq(cfg.mode, MODE_REPLAY);
	cr_expect_not_null(cfg.filter);
	cr_expect_eq(parse(4, g), OPTIONS_OK, "%s", err);
	cr_expect_eq(cfg.limits.npaths, 1);
	cr_expect_null(cfg.filter);
	cr_expect_eq(parse(4, h), OPTIONS_USAGE);
	cr_expect(strstr(err, "inject") != NULL, "%s", err);
	cr_expect_eq(parse(5, i), OPTIONS_OK, "%s", err);
	cr_expect(cfg.trace.quiet);
	cr_expect_eq(cfg.yflag, 2);
	cr_expect_neq(cfg.eventlog.decode_fds, 0);
}

Test(options, launch_stops_at_command)
{
	const char *a[] = { "iospy", "-o", "x.log", "-tt", "-T", "ls", "-l", "-o", NULL };

	cr_assert_eq(parse(8, a), OPTIONS_OK, "%s", err);
	cr_expect_eq(cfg.mode, MODE_LAUNCH);
	cr_expect_eq(cfg.trace.argc, 3);
	cr_expect_str_eq(cfg.trace.argv[0], "ls");
	cr_expect_str_eq(cfg.trace.argv[1], "-l");
	cr_expect_str_eq(cfg.outfile, "x.log");
	cr_expect_eq(cfg.eventlog.tflag, 2);
	cr_expect(cfg.trace.Tflag);
}

Test(options, double_dash)
{
	const char *a[] = { "iospy", "-f", "--", "--weird-cmd", NULL };

	cr_assert_eq(parse(4, a), OPTIONS_OK, "%s", err);
	cr_expect_str_eq(cfg.trace.argv[0], "--weird-cmd");
}

Test(options, attach_several_pids)
{
	const char *a[] = { "iospy", "-p", "12", "-p", "34,56", "--duration", "2.5", NULL };
	const char *b[] = { "iospy", "-p", "abc", NULL };
	const char *c[] = { "iospy", "-p", "1", "ls", NULL };

	cr_assert_eq(parse(7, a), OPTIONS_OK, "%s", err);
	cr_expect_eq(cfg.mode, MODE_ATTACH);
	cr_expect_eq(cfg.trace.npids, 3);
	cr_expect_eq(cfg.trace.pids[2], 56);
	cr_expect_float_eq(cfg.trace.duration, 2.5, 1e-9);
	cr_expect_eq(parse(3, b), OPTIONS_USAGE);
	cr_expect_eq(parse(4, c), OPTIONS_USAGE);
}

Test(options, replay_files_and_later_options)
{
	const char *a[] = { "iospy", "--replay", "a.log", "b.log", "--json", "-", NULL };
	const char *b[] = { "iospy", "--replay", NULL };

	cr_assert_eq(parse(6, a), OPTIONS_OK, "%s", err);
	cr_expect_eq(cfg.mode, MODE_REPLAY);
	cr_expect_eq(cfg.replay.nfiles, 2);
	cr_expect_str_eq(cfg.replay.files[1], "b.log");
	cr_expect_str_eq(cfg.json_file, "-");
	cr_expect_eq(parse(2, b), OPTIONS_USAGE);
}

Test(options, limits_on_command_line)
{
	const char *a[] = { "iospy", "--max-write", "1M", "--max-file-bytes", "4MiB",
		"--fail-on", "rotation,deleted-backup", "--path", "*.log",
		"--error-exitcode", "3", "--stack", "--replay", "x", NULL };
	const char *b[] = { "iospy", "--max-write", "lots", "ls", NULL };
	const char *c[] = { "iospy", "--fail-on", "sometimes", "ls", NULL };

	cr_assert_eq(parse(14, a), OPTIONS_OK, "%s", err);
	cr_expect(cfg.limits.has_max_write);
	cr_expect_eq(cfg.limits.max_write, 1 << 20);
	cr_expect_eq(cfg.limits.max_file_bytes, 4 << 20);
	cr_expect_eq(cfg.limits.fail_on, FAIL_ON_ROTATION | FAIL_ON_DELETED_BACKUP);
	cr_expect_eq(cfg.limits.npaths, 1);
	cr_expect_eq(cfg.limits.error_exitcode, 3);
	cr_expect(cfg.trace.stack);
	cr_expect_eq(cfg.trace.stack_min, 1 << 20, "--stack defaults to --max-write");
	cr_expect_eq(parse(4, b), OPTIONS_USAGE);
	cr_expect(strstr(err, "lots") != NULL);
	cr_expect_eq(parse(4, c), OPTIONS_USAGE);
}

Test(options, limits_file)
{
	char path[] = "/tmp/iospy-limits-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	const char *a[4] = { "iospy", "--limits", path, "true" };

	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	fprintf(f, "# budget\nmax-write = 64k\n\nmax-churn = 2.5  # ratio\nfail-on = write-to-deleted , rotation\nexclude = /dev/*\n");
	fclose(f);
	cr_assert_eq(parse(4, a), OPTIONS_OK, "%s", err);
	cr_expect_eq(cfg.limits.max_write, 65536);
	cr_expect_float_eq(cfg.limits.max_churn, 2.5, 1e-9);
	cr_expect_eq(cfg.limits.fail_on, FAIL_ON_WRITE_TO_DELETED | FAIL_ON_ROTATION);
	cr_expect_str_eq(cfg.limits.excludes[0], "/dev/*");

	f = fopen(path, "w");
	fprintf(f, "max-write = 1k\nbogus = 3\n");
	fclose(f);
	cr_expect_eq(parse(4, a), OPTIONS_USAGE);
	cr_expect(strstr(err, ":2:") != NULL, "line number in '%s'", err);
	unlink(path);
}

Test(options, wait_pin_color)
{
	const char *a[] = { "iospy", "--wait=spin", "--pin=1", "--color=never", "-s", "64", "ls", NULL };
	const char *b[] = { "iospy", "--wait=sometimes", "ls", NULL };

	cr_assert_eq(parse(7, a), OPTIONS_OK, "%s", err);
	cr_expect_eq(cfg.trace.wait, WAIT_SPIN);
	cr_expect(cfg.trace.pin);
	cr_expect_eq(cfg.trace.pin_cpu, 1);
	cr_expect_eq(cfg.color, COLOR_NEVER);
	cr_expect_eq(cfg.trace.strsize, 64);
	cr_expect_eq(parse(3, b), OPTIONS_USAGE);
}

Test(options, top_once_and_auto)
{
	const char *a[] = { "iospy", "--top", NULL };
	const char *b[] = { "iospy", "--top", "--once", "--interval", "2", "--json", "t.json", NULL };
	const char *c[] = { "iospy", "--auto", NULL };
	const char *d[] = { "iospy", "--auto=1.5", "--duration", "10", NULL };
	const char *e[] = { "iospy", "--once", NULL };
	const char *f[] = { "iospy", "--top", "-p", "1", NULL };
	const char *g[] = { "iospy", "--auto", "--", "true", NULL };
	const char *h[] = { "iospy", "--auto=0", NULL };
	const char *i[] = { "iospy", "--top", "--auto", NULL };

	cr_assert_eq(parse(2, a), OPTIONS_OK);
	cr_expect_eq(cfg.mode, MODE_TOP);
	cr_expect_eq(cfg.report.interval, 1);
	cr_expect_not(cfg.once);
	cr_assert_eq(parse(7, b), OPTIONS_OK);
	cr_expect(cfg.once);
	cr_expect_eq(cfg.report.interval, 2);
	cr_expect_str_eq(cfg.json_file, "t.json");
	cr_assert_eq(parse(2, c), OPTIONS_OK);
	cr_expect_eq(cfg.mode, MODE_AUTO);
	cr_expect_eq(cfg.auto_secs, 3);
	cr_expect_eq(cfg.trace.duration, 5);
	cr_expect_eq(cfg.report.duration, 5);
	cr_assert_eq(parse(4, d), OPTIONS_OK);
	cr_expect_eq(cfg.auto_secs, 1.5);
	cr_expect_eq(cfg.trace.duration, 10);
	cr_expect_eq(parse(2, e), OPTIONS_USAGE);
	cr_expect_eq(parse(4, f), OPTIONS_USAGE);
	cr_expect_eq(parse(4, g), OPTIONS_USAGE);
	cr_expect_eq(parse(2, h), OPTIONS_USAGE);
	cr_expect_eq(parse(3, i), OPTIONS_USAGE);
}

/* strace's output and launch flags (launch_flags.c) */
Test(options, strace_output_and_launch_flags)
{
	const char *ff[] = { "iospy", "-ff", "-o", "x", "true", NULL };
	const char *f1[] = { "iospy", "-f", "-o", "x", "true", NULL };
	const char *c[] = { "iospy", "-c", "-w", "true", NULL };
	const char *cff[] = { "iospy", "-C", "-ff", "-o", "x", "true", NULL };
	const char *x[] = { "iospy", "-xx", "-r", "-T", "true", NULL };
	const char *hex[] = { "iospy", "--strings-in-hex=non-ascii", "true", NULL };
	const char *bad[] = { "iospy", "--strings-in-hex=some", "true", NULL };
	const char *env[] = { "iospy", "-E", "A=1", "--env=B", "true", NULL };
	const char *envp[] = { "iospy", "-E", "A=1", "-p", "1", NULL };
	const char *enve[] = { "iospy", "-E", "=1", "true", NULL };
	const char *u[] = { "iospy", "-u", "root", "true", NULL };
	const char *un[] = { "iospy", "-u", "no-such-user-here", "true", NULL };
	const char *d[] = { "iospy", "-D", "true", NULL };

	cr_assert_eq(parse(5, ff), OPTIONS_OK, "%s", err);
	cr_assert(cfg.ff);
	cr_assert_eq(parse(5, f1), OPTIONS_OK, "%s", err);
	cr_assert_not(cfg.ff);
	cr_assert_eq(parse(4, c), OPTIONS_OK, "%s", err);
	cr_assert_eq(cfg.summary, 'c');
	cr_assert(cfg.trace.Tflag, "the table needs call times");
	cr_assert_not(cfg.eventlog.Tflag, "the log shows them only with -T");
	cr_assert_eq(parse(6, cff), OPTIONS_USAGE);
	cr_assert_not_null(strstr(err, "mutually exclusive"), "%s", err);
	cr_assert_eq(parse(5, x), OPTIONS_OK, "%s", err);
	cr_assert_eq(cfg.eventlog.xflag, 2);
	cr_assert(cfg.eventlog.rflag);
	cr_assert(cfg.eventlog.Tflag);
	cr_assert_eq(parse(3, hex), OPTIONS_OK, "%s", err);
	cr_assert_eq(cfg.eventlog.xflag, 1);
	cr_assert_eq(parse(3, bad), OPTIONS_USAGE);
	cr_assert_eq(parse(6, env), OPTIONS_OK, "%s", err);
	cr_assert_eq(cfg.trace.nenv, 2);
	cr_assert_str_eq(cfg.trace.env[0], "A=1");
	cr_assert_str_eq(cfg.trace.env[1], "B");
	cr_assert_eq(parse(5, envp), OPTIONS_USAGE);
	cr_assert_not_null(strstr(err, "launched COMMAND"), "%s", err);
	cr_assert_eq(parse(4, enve), OPTIONS_USAGE);
	if (geteuid() == 0) {
		cr_assert_eq(parse(4, u), OPTIONS_OK, "%s", err);
		cr_assert(cfg.trace.set_user);
		cr_assert_eq(cfg.trace.uid, 0);
		cr_assert_str_eq(cfg.trace.user, "root");
	} else {
		cr_assert_eq(parse(4, u), OPTIONS_USAGE);
		cr_assert_not_null(strstr(err, "needs root"), "%s", err);
	}
	cr_assert_eq(parse(4, un), OPTIONS_USAGE);
	cr_assert_not_null(strstr(err, "no such user"), "%s", err);
	cr_assert_eq(parse(3, d), OPTIONS_USAGE);
	cr_assert_not_null(strstr(err, "-D is not supported"), "%s", err);
}
