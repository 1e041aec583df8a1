/* tests/base/test_util.c: sizes, escaping, errno and signal names. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "base/util.h"

Test(util, parse_size_units)
{
	uint64_t v;

	cr_assert_eq(util_parse_size("4096", &v), 0);
	cr_expect_eq(v, 4096);
	cr_assert_eq(util_parse_size("4k", &v), 0);
	cr_expect_eq(v, 4096);
	cr_assert_eq(util_parse_size("4KiB", &v), 0);
	cr_expect_eq(v, 4096);
	cr_assert_eq(util_parse_size("1M", &v), 0);
	cr_expect_eq(v, 1048576);
	cr_assert_eq(util_parse_size("1MiB", &v), 0);
	cr_expect_eq(v, 1048576);
	cr_assert_eq(util_parse_size("1.5G", &v), 0);
	cr_expect_eq(v, 1610612736ULL);
	cr_assert_eq(util_parse_size("0", &v), 0);
	cr_expect_eq(v, 0);
}

Test(util, parse_size_rejects)
{
	uint64_t v;

	cr_expect_eq(util_parse_size("", &v), -1);
	cr_expect_eq(util_parse_size("-1", &v), -1);
	cr_expect_eq(util_parse_size("1X", &v), -1);
	cr_expect_eq(util_parse_size("1MiBs", &v), -1);
	cr_expect_eq(util_parse_size("abc", &v), -1);
	cr_expect_eq(util_parse_size("99999999999T", &v), -1);
	cr_expect_eq(util_parse_size(NULL, &v), -1);
}

Test(util, fmt_size)
{
	char b[32];

	cr_expect_str_eq(util_fmt_size(512, b, sizeof(b)), "512 B");
	cr_expect_str_eq(util_fmt_size(1024, b, sizeof(b)), "1.0 KiB");
	cr_expect_str_eq(util_fmt_size(314572844, b, sizeof(b)), "300.0 MiB");
}

Test(util, escape_like_strace)
{
	char b[128];

	util_escape(b, sizeof(b), "hello\tworld\n\1\377", 14);
	cr_expect_str_eq(b, "hello\\tworld\\n\\1\\377");
	util_escape(b, sizeof(b), "\0" "1", 2);
	cr_expect_str_eq(b, "\\0001", "three digits before an octal digit");
	util_escape(b, sizeof(b), "a\"b\\c", 5);
	cr_expect_str_eq(b, "a\\\"b\\\\c");
	util_escape(b, sizeof(b), "\033[31m", 5);
	cr_expect_str_eq(b, "\\33[31m", "no raw escape reaches a terminal");
}

Test(util, escape_truncates_safely)
{
	char b[4];
	size_t n = util_escape(b, sizeof(b), "\n\n\n", 3);

	cr_expect_eq(n, 6);
	cr_expect_eq(strlen(b), 3);
}

Test(util, escape_path)
{
	char b[64];

	cr_expect_str_eq(util_escape_path("/tmp/a\nb\033", b, sizeof(b)), "/tmp/a\\nb\\033");
	cr_expect_str_eq(util_escape_path("/tmp/log.txt", b, sizeof(b)), "/tmp/log.txt");
}

Test(util, names)
{
	cr_expect_str_eq(util_errno_name(ENOENT), "ENOENT");
	cr_expect_str_eq(util_errno_name(512), "ERESTARTSYS");
	cr_expect_null(util_errno_name(100000));
	cr_expect_eq(util_errno_by_name("ENOSPC", 6), ENOSPC);
	cr_expect_eq(util_errno_by_name("ENOSPCX", 6), ENOSPC);
	cr_expect_eq(util_errno_by_name("NOPE", 4), 0);
	cr_expect_str_eq(util_signal_name(SIGUSR2), "SIGUSR2");
	cr_expect_eq(util_signal_by_name("SIGCHLD", 7), SIGCHLD);
}

Test(util, path_clean)
{
	char b[64];

	cr_expect(util_path_clean("./x", b, sizeof(b)));
	cr_expect_str_eq(b, "x");
	cr_expect(util_path_clean("//tmp/./rt//x/", b, sizeof(b)));
	cr_expect_str_eq(b, "/tmp/rt/x");
	cr_expect(util_path_clean("/tmp/a/../b", b, sizeof(b)));
	cr_expect_str_eq(b, "/tmp/b");
	cr_expect(util_path_clean("/a/../../b/..", b, sizeof(b)));
	cr_expect_str_eq(b, "/");
	cr_expect(!util_path_clean("d/../x", b, sizeof(b)));
	cr_expect_str_eq(b, "d/../x");
	cr_expect(util_path_clean("./", b, sizeof(b)));
	cr_expect_str_eq(b, ".");
	cr_expect(!util_path_clean("/", b, sizeof(b)));
	cr_expect_str_eq(b, "/");
	cr_expect(!util_path_clean("/tmp/this/is/too/long", b, 8));
}

Test(util, escape_path_utf8)
{
	char b[64];

	util_set_utf8(true);
	cr_expect_str_eq(util_escape_path("/tmp/\xc3\xa9t\xc3\xa9", b, sizeof(b)),
	    "/tmp/\xc3\xa9t\xc3\xa9");
	/* a C1 control, a right-to-left override, an overlong '/', a cut
	   sequence: escaped */
	cr_expect_str_eq(util_escape_path("a\xc2\x85" "b\xe2\x80\xae" "c", b,
	    sizeof(b)), "a\\302\\205b\\342\\200\\256c");
	cr_expect_str_eq(util_escape_path("\xc0\xaf\xe2\x82", b, sizeof(b)),
	    "\\300\\257\\342\\202");
	cr_expect_str_eq(util_escape_path("x\n", b, sizeof(b)), "x\\n");
	util_set_utf8(false);
	cr_expect_str_eq(util_escape_path("\xc3\xa9", b, sizeof(b)), "\\303\\251");
}
