/* tests/analysis/test_rotation.c: rename chains, deleted backups, copytruncate,
 * atomic replace, on the path table directly. */
#include "config.h"

#include <criterion/criterion.h>

#include "model/event.h"
#include "analysis/rotation.h"

static struct rotation *R;

static void
setup(void)
{
	R = rotation_new();
}

static void
teardown(void)
{
	rotation_free(R);
}

TestSuite(rotation, .init = setup, .fini = teardown);

static struct rotation_path *
written(const char *path, pid_t pid, uint64_t bytes)
{
	struct rotation_path *rp = rotation_get(R, path);

	rotation_write(rp, pid, bytes, -1);
	return rp;
}

Test(rotation, backup_names)
{
	cr_assert(rotation_is_backup("/tmp/logtest.txt", "/tmp/logtest.txt.1"));
	cr_assert(rotation_is_backup("/v/app.log", "/v/app.log-20200621"));
	cr_assert(rotation_is_backup("/v/app.log", "/v/app.log.1.gz"));
	cr_assert(rotation_is_backup("/v/app.log", "/v/app.log_old"));
	cr_assert(rotation_is_backup("/v/app.log", "/v/app.1.log"));
	cr_assert(rotation_is_backup("/v/app.log", "/v/app-2020-06-21.log.gz"));
	cr_assert(!rotation_is_backup("/v/app.log", "/w/app.log.1"));
	cr_assert(!rotation_is_backup("/v/app.log", "/v/app.log"));
	cr_assert(!rotation_is_backup("/v/app.log", "/v/app.logs"));
	cr_assert(!rotation_is_backup("/v/app", "/v/application"));
	cr_assert(!rotation_is_backup("/v/.log", "/v/.x.log"));
}

Test(rotation, owner_of_backup)
{
	written("/v/app.log", 1, 10);
	cr_assert_not_null(rotation_owner_of_backup(R, "/v/app.log.1"));
	cr_assert_not_null(rotation_owner_of_backup(R, "/v/app.log.2.gz"));
	cr_assert_not_null(rotation_owner_of_backup(R, "/v/app.2020-06-21.log"));
	cr_assert_not_null(rotation_owner_of_backup(R, "/v/app.3.log.gz"));
	cr_assert_null(rotation_owner_of_backup(R, "/v/app.log"));
	cr_assert_null(rotation_owner_of_backup(R, "/v/other.log.1"));
	/* a path never written owns nothing */
	rotation_get(R, "/v/quiet.log");
	cr_assert_null(rotation_owner_of_backup(R, "/v/quiet.log.1"));
}

Test(rotation, seed_unlink_then_rename_then_reopen)
{
	struct rotation_path *rp = written("/tmp/logtest.txt", 6648, 943718535);
	int i;

	for (i = 0; i < 3; i++) {
		int64_t ts = 1000000000LL * (10 + 3 * i);

		rotation_size(R, "/tmp/logtest.txt", 943718535);
		rotation_size(R, "/tmp/logtest.txt.1", 943718535);
		cr_assert(rotation_unlink(R, "/tmp/logtest.txt.1"));
		cr_assert_eq(rotation_rename(R, "/tmp/logtest.txt",
		    "/tmp/logtest.txt.1", ts), ROT_ROTATE);
		rotation_open(R, "/tmp/logtest.txt", 6648, false, true);
		rotation_write(rp, 6648, 943718535, -1);
	}
	cr_assert_eq(rp->rotations, 3);
	cr_assert_eq(rp->reopens, 3);
	cr_assert_eq(rp->backups_deleted, 3);
	cr_assert_eq(rp->backup_bytes_lost, 3ULL * 943718535);
	cr_assert_eq(rp->rotations_after_delete, 3);
	cr_assert_eq(rp->intervals, 2);
	cr_assert_eq(rp->interval_ns_sum, 6000000000LL);
	cr_assert_eq(rp->size_n, 3);
	cr_assert_eq(rp->between_n, 2);
	cr_assert_eq(rp->between_bytes_sum, 2ULL * 943718535);
	cr_assert_eq(rp->size, 943718535, "size after the reopen + writes");
	cr_assert_eq(rotation_total(R), 3);
}

Test(rotation, unlink_size_unknown)
{
	struct rotation_path *rp = written("/v/a.log", 1, 5);

	cr_assert(rotation_unlink(R, "/v/a.log.7"));
	cr_assert_eq(rp->backups_deleted, 1);
	cr_assert_eq(rp->backups_size_unknown, 1);
	cr_assert_eq(rp->backup_bytes_lost, 0);
	/* an unrelated unlink is not a backup */
	cr_assert(!rotation_unlink(R, "/v/b.log.1"));
}

Test(rotation, size_follows_the_rename)
{
	struct rotation_path *rp = written("/v/a.log", 1, 0);

	rotation_truncate(R, "/v/a.log", 1, 0);
	rotation_write(rp, 1, 1000, -1);
	rotation_write(rp, 1, 24, -1);
	cr_assert_eq(rp->size, 1024);
	cr_assert_eq(rotation_rename(R, "/v/a.log", "/v/a.log.1", 1), ROT_ROTATE);
	cr_assert_eq(rotation_find(R, "/v/a.log.1")->size, 1024);
	/* logrotate's shift keeps the size: deleting .2 loses 1 KiB */
	cr_assert_eq(rotation_rename(R, "/v/a.log.1", "/v/a.log.2", 2), ROT_SHIFT);
	cr_assert(rotation_unlink(R, "/v/a.log.2"));
	cr_assert_eq(rp->backup_bytes_lost, 1024);
	cr_assert_eq(rp->shifts, 1);
}

Test(rotation, pwrite_size)
{
	struct rotation_path *rp = rotation_get(R, "/v/db");

	rotation_truncate(R, "/v/db", 1, 0);
	rotation_write(rp, 1, 4096, 8192);
	cr_assert_eq(rp->size, 12288);
	rotation_write(rp, 1, 4096, 0);
	cr_assert_eq(rp->size, 12288);
}

Test(rotation, copytruncate_by_another_process)
{
	struct rotation_path *rp = written("/v/c.log", 100, 4000);

	rotation_truncate(R, "/v/c.log", 200, 0);
	cr_assert_eq(rp->copytruncates, 1);
	rotation_write(rp, 100, 10, -1);
	rotation_open(R, "/v/c.log", 200, true, false);
	cr_assert_eq(rp->copytruncates, 2);
	/* the writer truncating its own file */
	rotation_write(rp, 100, 10, -1);
	rotation_truncate(R, "/v/c.log", 100, 0);
	cr_assert_eq(rp->copytruncates, 2);
	cr_assert_eq(rp->self_truncations, 1);
	/* truncating to a non-zero size is neither */
	rotation_write(rp, 100, 10, -1);
	rotation_truncate(R, "/v/c.log", 200, 5);
	cr_assert_eq(rp->copytruncates, 2);
	cr_assert_eq(rp->size, 5);
	cr_assert_eq(rp->rotations, 0);
}

Test(rotation, atomic_replace_is_counted_apart)
{
	struct rotation_path *dst;

	rotation_open(R, "/etc/app.conf.XXXX12", 7, true, true);
	written("/etc/app.conf.XXXX12", 7, 300);
	cr_assert_eq(rotation_rename(R, "/etc/app.conf.XXXX12", "/etc/app.conf",
	    5), ROT_ATOMIC);
	dst = rotation_find(R, "/etc/app.conf");
	cr_assert_not_null(dst);
	cr_assert_eq(dst->atomic_replaces, 1);
	cr_assert_eq(dst->rotations, 0);
	cr_assert_eq(dst->size, 300);
	/* git-style: temp name unrelated to the target */
	written("/repo/.git/index.lock", 8, 10);
	cr_assert_eq(rotation_rename(R, "/repo/.git/index.lock",
	    "/repo/.git/index", 6), ROT_ATOMIC);
	/* the target written directly too: still atomic, not a shift */
	written("/etc/app.conf", 7, 1);
	written("/etc/app.conf.new", 7, 300);
	cr_assert_eq(rotation_rename(R, "/etc/app.conf.new", "/etc/app.conf", 7),
	    ROT_ATOMIC);
	cr_assert_eq(dst->atomic_replaces, 2);
	cr_assert_eq(rotation_total(R), 0);
}

Test(rotation, plain_rename)
{
	cr_assert_eq(rotation_rename(R, "/a", "/b", 1), ROT_RENAME);
	cr_assert_eq(rotation_rename(R, "/a", "/a", 1), ROT_RENAME);
	cr_assert_eq(rotation_rename(R, NULL, "/a", 1), ROT_RENAME);
}

Test(rotation, rotation_of_unwritten_file_by_logrotate)
{
	/* tracing logrotate alone: the live file is not written here, the
	   rename is still a rotation by name */
	struct rotation_path *rp;

	cr_assert_eq(rotation_rename(R, "/v/x.log", "/v/x.log-20200621",
	    IO_TIME_UNKNOWN), ROT_ROTATE);
	rp = rotation_find(R, "/v/x.log");
	cr_assert_eq(rp->rotations, 1);
	cr_assert_eq(rp->intervals, 0);
	cr_assert_eq(rp->first_rot_ns, IO_TIME_UNKNOWN);
}

Test(rotation, unlink_before_the_live_file_is_known)
{
	struct rotation_path *rp;

	/* strace -p from the middle (the seed's excerpt): the backup is
	   stat'ed and unlinked, then the unseen live file is renamed */
	rotation_size(R, "/tmp/logtest.txt.1", 943718535);
	cr_assert(!rotation_unlink(R, "/tmp/logtest.txt.1"));
	rotation_size(R, "/tmp/logtest.txt", 943718535);
	cr_assert_eq(rotation_rename(R, "/tmp/logtest.txt", "/tmp/logtest.txt.1",
	    IO_TIME_UNKNOWN), ROT_ROTATE);
	rp = rotation_find(R, "/tmp/logtest.txt");
	cr_assert_eq(rp->backups_deleted, 1);
	cr_assert_eq(rp->backup_bytes_lost, 943718535);
	cr_assert_eq(rp->rotations_after_delete, 1);
	cr_assert_eq(rp->size_n, 1, "the size from the stat");
	cr_assert_eq(rp->size_sum, 943718535);
	/* claimed once only */
	cr_assert_eq(rotation_rename(R, "/tmp/logtest.txt", "/tmp/logtest.txt.1",
	    IO_TIME_UNKNOWN), ROT_ROTATE);
	cr_assert_eq(rp->backups_deleted, 1);
}

Test(rotation, lower_bound_from_the_writes_seen)
{
	/* opened without O_TRUNC: the size before the trace is unknown, but
	   the backup holds at least what was written */
	struct rotation_path *rp = written("/v/l.log", 1, 100);

	rotation_write(rp, 1, 28, -1);
	cr_assert_eq(rp->size, -1);
	cr_assert_eq(rp->size_lb, 128);
	cr_assert_eq(rotation_rename(R, "/v/l.log", "/v/l.log.1", 1), ROT_ROTATE);
	cr_assert_eq(rotation_rename(R, "/v/l.log.1", "/v/l.log.2", 2), ROT_SHIFT);
	cr_assert(rotation_unlink(R, "/v/l.log.2"));
	cr_assert_eq(rp->backup_bytes_lost, 128);
	cr_assert_eq(rp->backups_size_lower, 1);
	cr_assert_eq(rp->backups_size_unknown, 0);
}
