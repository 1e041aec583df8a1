/* tests/model/test_fdtable.c: fd -> path tables. */
#include "config.h"

#include <criterion/criterion.h>

#include "model/fdtable.h"

Test(fdtable, set_get_close)
{
	struct fdtable *t = fdtable_new();

	cr_expect_null(fdtable_get(t, 3));
	fdtable_set(t, 3, "/tmp/logtest.txt", false);
	cr_assert_not_null(fdtable_get(t, 3));
	cr_expect_str_eq(fdtable_get(t, 3)->path, "/tmp/logtest.txt");
	cr_expect_eq(fdtable_count(t), 1);
	fdtable_close(t, 3);
	cr_expect_null(fdtable_get(t, 3));
	cr_expect_eq(fdtable_count(t), 0);
	fdtable_close(t, 3);	/* twice is harmless */
	fdtable_close(t, -1);
	cr_expect_null(fdtable_get(t, -5));
	fdtable_unref(t);
}

Test(fdtable, big_fds_grow)
{
	struct fdtable *t = fdtable_new();

	fdtable_set(t, 100000, "/a", false);
	cr_expect_str_eq(fdtable_get(t, 100000)->path, "/a");
	fdtable_set(t, 1 << 30, "/b", false);	/* beyond the cap: ignored */
	cr_expect_null(fdtable_get(t, 1 << 30));
	fdtable_unref(t);
}

Test(fdtable, dup_and_cloexec_at_exec)
{
	struct fdtable *t = fdtable_new();

	fdtable_set(t, 3, "/x", true);
	cr_expect(fdtable_dup(t, 3, 10, false));
	cr_expect_str_eq(fdtable_get(t, 10)->path, "/x");
	cr_expect_not(fdtable_get(t, 10)->cloexec, "dup clears close-on-exec");
	cr_expect_not(fdtable_dup(t, 7, 11, false));
	cr_expect_null(fdtable_get(t, 11));
	fdtable_exec(t);
	cr_expect_null(fdtable_get(t, 3));
	cr_expect_not_null(fdtable_get(t, 10));
	fdtable_unref(t);
}

Test(fdtable, copy_is_independent_ref_is_shared)
{
	struct fdtable *t = fdtable_new();
	struct fdtable *c, *r;

	fdtable_set(t, 1, "/one", false);
	c = fdtable_copy(t);
	r = fdtable_ref(t);
	fdtable_close(t, 1);
	cr_expect_not_null(fdtable_get(c, 1), "fork copies");
	cr_expect_null(fdtable_get(r, 1), "CLONE_FILES shares");
	fdtable_unref(r);
	fdtable_unref(t);
	fdtable_unref(c);
}

Test(fdtable, unlink_rename_close_range)
{
	struct fdtable *t = fdtable_new();

	fdtable_set(t, 3, "/tmp/a", false);
	fdtable_set(t, 4, "/tmp/b", false);
	fdtable_set(t, 5, "/tmp/c", false);
	fdtable_unlinked(t, "/tmp/a", false);
	cr_expect(fdtable_get(t, 3)->deleted);
	cr_expect_not(fdtable_get(t, 4)->deleted);
	fdtable_renamed(t, "/tmp/b", "/tmp/b.1");
	cr_expect_str_eq(fdtable_get(t, 4)->path, "/tmp/b.1");
	fdtable_close_range(t, 4, 5, true);
	cr_expect(fdtable_get(t, 5)->cloexec);
	fdtable_close_range(t, 4, 0x7fffffff, false);
	cr_expect_null(fdtable_get(t, 4));
	cr_expect_null(fdtable_get(t, 5));
	cr_expect_not_null(fdtable_get(t, 3));
	fdtable_set_unknown(t, 9);
	cr_expect(fdtable_get(t, 9)->unknown);
	fdtable_unref(t);
}
