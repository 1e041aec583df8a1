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
	cr_assert_eq(rp->copytruncates, 0, "not before its writer goes on");
	rotation_write(rp, 100, 10, -1);
	cr_assert_eq(rp->copytruncates, 1);
	rotation_open(R, "/v/c.log", 200, true, false);
	/* the writer truncating its own file (after writing again) */
	rotation_write(rp, 100, 10, -1);
	cr_assert_eq(rp->copytruncates, 2);
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

/* A second process overwriting the file (sh -c 'echo b > f' after
   'echo a > f') is no copytruncate: its first writer never writes again. */
Test(rotation, overwrite_by_another_process_is_not_copytruncate)
{
	struct rotation_path *rp = written("/v/f", 100, 2);

	rotation_open(R, "/v/f", 200, true, true);
	rotation_write(rp, 200, 2, -1);
	rotation_open(R, "/v/f", 300, true, true);
	rotation_write(rp, 300, 2, -1);
	cr_assert_eq(rp->copytruncates, 0);
	cr_assert_eq(rp->other_truncations, 2);
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

Test(rotation, rotation_names)
{
	const char *a = "/v/app.log";

	/* RotatingFileHandler, logrotate (compress, dateext, hourly) */
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.1"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.12"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.3.gz"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.2.xz"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.2.bz2"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.2.zst"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log-20261201"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log-20261201.gz"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log-2026120110"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log-20261201-1764583200"));
	/* TimedRotatingFileHandler: S, M, H, D/midnight */
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.2026-12-01"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.2026-12-01_10"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.2026-12-01_10-00"));
	cr_assert(rotation_is_rotation_name(a, "/v/app.log.2026-12-01_10-00-59"));
	/* before the extension */
	cr_assert(rotation_is_rotation_name(a, "/v/app.1.log"));
	cr_assert(rotation_is_rotation_name(a, "/v/app-2026-12-01.log.gz"));
	/* not rotation names */
	cr_assert_not(rotation_is_rotation_name(a, "/v/app.log.old"));
	cr_assert_not(rotation_is_rotation_name(a, "/v/app.log.bak"));
	cr_assert_not(rotation_is_rotation_name(a, "/v/app.log-x"));
	cr_assert_not(rotation_is_rotation_name(a, "/v/app.log.2026-13"));
	cr_assert_not(rotation_is_rotation_name(a, "/v/app.log.1234567"));
	cr_assert_not(rotation_is_rotation_name(a, "/v/app.log.1/x"));
	cr_assert_not(rotation_is_rotation_name(a, "/v/app.logx.1"));
}

Test(rotation, journals_locks_and_temps_are_never_backups)
{
	static const char *const never[] = {
		"/d/t.db-journal", "/d/t.db-wal", "/d/t.db-shm", "/d/t.db.lock",
		"/d/t.db.pid", "/d/t.db.tmp", "/d/t.db.swp", "/d/t.db.new",
	};
	size_t i;

	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		cr_assert(rotation_never_backup(never[i]), "%s", never[i]);
		cr_assert_not(rotation_is_backup("/d/t.db", never[i]), "%s",
		    never[i]);
		cr_assert_not(rotation_is_rotation_name("/d/t.db", never[i]),
		    "%s", never[i]);
	}
}

Test(rotation, sqlite_journal_deleted_is_not_a_backup)
{
	struct rotation_path *db = written("/d/t.db", 1, 4096);
	int i;

	/* journal mode: each transaction writes t.db-journal, then
	   unlinks it; WAL mode: t.db-wal and -shm go at the last close */
	for (i = 0; i < 200; i++) {
		rotation_open(R, "/d/t.db-journal", 1, true, true);
		rotation_write(rotation_get(R, "/d/t.db-journal"), 1, 8704, -1);
		rotation_write(db, 1, 4096, 4096);
		cr_assert_not(rotation_unlink(R, "/d/t.db-journal"));
	}
	rotation_write(rotation_get(R, "/d/t.db-wal"), 1, 4096, -1);
	cr_assert_not(rotation_unlink(R, "/d/t.db-wal"));
	cr_assert_not(rotation_unlink(R, "/d/t.db-shm"));
	cr_assert_not(rotation_unlink(R, "/d/t.db.lock"));
	cr_assert_eq(db->backups_deleted, 0);
}

Test(rotation, a_rotation_target_is_a_backup_whatever_its_name)
{
	struct rotation_path *rp = written("/v/app.log", 1, 100);

	cr_assert_eq(rotation_rename(R, "/v/app.log", "/v/app.log_old", 1),
	    ROT_ROTATE);
	/* app.log_old is no rotation name, but it was seen renamed from
	   app.log: its deletion loses app.log's lines */
	cr_assert(rotation_unlink(R, "/v/app.log_old"));
	cr_assert_eq(rp->backups_deleted, 1);
	cr_assert_str_eq(rp->last_deleted, "/v/app.log_old");
	/* another name of that form, never seen renamed from it, is not */
	cr_assert_not(rotation_unlink(R, "/v/app.log_other"));
	cr_assert_eq(rp->backups_deleted, 1);
}

Test(rotation, backup_count_3_deletes_the_oldest)
{
	struct rotation_path *rp = written("/v/a.log", 1, 100);
	int k;

	/* logging.handlers.RotatingFileHandler(backupCount=3).doRollover */
	for (k = 0; k < 5; k++) {
		struct rotation_path *b3 = rotation_find(R, "/v/a.log.3");

		if (b3 != NULL && b3->exists)
			cr_assert(rotation_unlink(R, "/v/a.log.3"));
		if (rotation_find(R, "/v/a.log.2") && rotation_find(R, "/v/a.log.2")->exists)
			cr_assert_eq(rotation_rename(R, "/v/a.log.2", "/v/a.log.3", 1),
			    ROT_SHIFT);
		if (rotation_find(R, "/v/a.log.1") && rotation_find(R, "/v/a.log.1")->exists)
			cr_assert_eq(rotation_rename(R, "/v/a.log.1", "/v/a.log.2", 1),
			    ROT_SHIFT);
		cr_assert_eq(rotation_rename(R, "/v/a.log", "/v/a.log.1", 1),
		    ROT_ROTATE);
		rotation_open(R, "/v/a.log", 1, false, true);
		rotation_write(rp, 1, 100, -1);
	}
	cr_assert_eq(rp->rotations, 5);
	cr_assert_eq(rp->backups_deleted, 2);
	cr_assert_str_eq(rp->last_deleted, "/v/a.log.3");
	cr_assert_eq(rp->backup_bytes_lost, 200);
}

Test(rotation, timed_rotating_names_deleted)
{
	struct rotation_path *rp = written("/v/t.log", 1, 100);

	/* TimedRotatingFileHandler(when='M', backupCount=1): getFilesToDelete
	   removes the oldest stamped file, traced from the middle */
	cr_assert(rotation_unlink(R, "/v/t.log.2026-12-01_10-00"));
	cr_assert_eq(rp->backups_deleted, 1);
}
