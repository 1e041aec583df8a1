/*
 * rotation.h: log rotation: rename chains, deleted backups, reopen,
 * copytruncate, atomic replace (how a log's bytes end up somewhere other
 * than the file its writer thinks it has open).
 *
 * Rotation is a fact about a path, not about one process (logrotate renames
 * what the application writes), so this module keeps one record per path
 * seen written, renamed or truncated, whatever process did it.  Memory grows
 * with the number of distinct paths, never with the number of events.
 *
 * Definitions:
 *  - a rotation is a rename that moves a written file A to a backup name of
 *    A: A.1, A-20200621, A.1.gz, A_old, or dir/app.log -> dir/app.1.log,
 *    or the same in another directory (logrotate olddir);
 *  - a deleted backup is an unlink of a file that was a rotation target of
 *    a written file A (seen renamed from A, or along A's chain), or whose
 *    name is A with a rotation suffix (rotation_is_rotation_name: A.3,
 *    A.3.gz, A-20200621, A.2026-12-01_10-00, app.1.log); journals, WALs,
 *    locks, pid, temp, swap and .new files never are; the bytes lost are its size when known (from an O_TRUNC/new file and the
 *    writes seen, an lseek(SEEK_END), or a stat in the log, carried along
 *    renames), else at least the bytes seen written to it;
 *  - a reopen is a successful open of A after A was rotated away;
 *  - a copytruncate is a truncation of A to 0 (truncate, ftruncate, open
 *    with O_TRUNC) by a process other than the one that was writing it;
 *  - an atomic replace is a rename of a written file T onto a name that is
 *    not a backup of T (write a temp file, rename it over A): counted apart,
 *    never a rotation.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_ROTATION_H
#define IOSPY_ROTATION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uthash.h>

/* What a rename meant. */
enum rotation_kind {
	ROT_RENAME = 0,		/* an ordinary rename */
	ROT_ROTATE,		/* the live file moved to a backup name */
	ROT_SHIFT,		/* a backup moved to another backup name */
	ROT_ATOMIC,		/* a written file renamed onto a name: atomic replace */
};

/* Everything known about one path. */
struct rotation_path {
	char *path;
	/* size */
	int64_t size;			/* current size, -1 if unknown */
	uint64_t size_lb;		/* at least this (bytes seen written) */
	bool exists;			/* false after it was renamed away or unlinked */
	/* writes (all processes) */
	uint64_t writes, bytes;		/* in total */
	uint64_t bytes_since;		/* since the last rotation/truncation */
	pid_t last_writer;
	/* rotation */
	uint64_t rotations;
	int64_t first_rot_ns, last_rot_ns;
	uint64_t intervals;		/* rotations with a previous one timed */
	int64_t interval_ns_sum;
	uint64_t between_n;		/* rotations whose preceding bytes were all seen */
	uint64_t between_bytes_sum;
	uint64_t size_n;		/* rotations with the size known */
	uint64_t size_sum;
	uint64_t reopens;
	bool awaiting_reopen;
	bool seen_since_rotation;	/* bytes_since covers a whole period */
	char *last_backup;		/* the last name A was rotated to */
	char *last_deleted;		/* the last backup of A deleted */
	struct rotation_path *backup_of; /* this path is a rotation target of
					   that file (renamed from it) */
	uint64_t backups_deleted;
	uint64_t backup_bytes_lost;	/* of the deletions with a known size */
	uint64_t backups_size_unknown;	/* deletions of unknown size */
	uint64_t backups_size_lower;	/* sized by the writes seen: a lower bound */
	uint64_t rotations_after_delete; /* rotations preceded by a backup delete */
	bool deleted_pending;
	uint64_t shifts;		/* backup -> backup renames */
	uint64_t copytruncates;		/* truncated to 0 by another process,
					   and written again by its writer */
	pid_t ct_writer;		/* truncated by another: the writer
					   whose next write makes it one */
	uint64_t other_truncations;	/* truncated to 0 by a process other
					   than its last writer (copytruncate
					   or a plain overwrite) */
	uint64_t self_truncations;	/* truncated to 0 by its own writer */
	uint64_t atomic_replaces;	/* renamed onto this path */
	uint64_t unlinks;		/* this path itself unlinked */
	uint32_t refs;			/* stats records pointing here (and
					   sharing the path string) */
	UT_hash_handle hh;
};

struct rotation;

/* True when nothing about rp is worth keeping past its writes: no
   rotation, copytruncate, deleted backup or shift, and no file points to
   it as its backup (an atomic replace is only counted: the stats record
   of the file counts its temp files too). */
bool rotation_path_plain(const struct rotation_path *rp);

/* True when the name was never renamed, deleted or truncated (nor
   reopened after one, nor the target of a rotation or replace): the
   JSON report's "rotation" is then null. */
bool rotation_path_quiet(const struct rotation_path *rp);

/* Forget rp (plain, no stats record pointing to it). */
void rotation_forget(struct rotation *r, struct rotation_path *rp);

/* Forget every plain record no stats record points to; how many. */
size_t rotation_sweep(struct rotation *r);

/* Number of path records. */
size_t rotation_count(const struct rotation *r);

struct rotation;

/* An empty path table. */
struct rotation *rotation_new(void);

/* Free it. */
void rotation_free(struct rotation *r);

/* The record for path, created when absent. */
struct rotation_path *rotation_get(struct rotation *r, const char *path);

/* The record for path, or NULL. */
struct rotation_path *rotation_find(const struct rotation *r, const char *path);

/* True if b is a backup name of a (a.1, a-2020, a.1.gz, dir/x.1.log,
   a_old...): a rename of a to b is a rotation.  Never a journal, WAL,
   lock, pid, temp, swap or .new file (rotation_never_backup). */
bool rotation_is_backup(const char *a, const char *b);

/* True if b is a with a rotation suffix: .N, .N.gz|.xz|.bz2|.zst,
   -YYYYMMDD (logrotate dateext), .YYYY-MM-DD[_HH[-MM[-SS]]]
   (TimedRotatingFileHandler), or those before a's extension
   (app.1.log, app-2020-06-21.log.gz).  Its deletion is a lost backup
   even when its rotation was not seen. */
bool rotation_is_rotation_name(const char *a, const char *b);

/* True if path names a file that is never a backup: -journal, -wal,
   -shm, .lock, .pid, .tmp, .swp, .new (and ~ .tmp forms of those). */
bool rotation_never_backup(const char *path);

/* A write of bytes to rp by pid (offset: pwrite offset or -1). */
void rotation_write(struct rotation_path *rp, pid_t pid, uint64_t bytes,
    int64_t offset);

/* The size of path became known (stat, lseek SEEK_END). */
void rotation_size(struct rotation *r, const char *path, int64_t size);

/* A successful open of path by pid; trunc/creat from the flags. */
void rotation_open(struct rotation *r, const char *path, pid_t pid,
    bool trunc, bool creat);

/* A successful truncate/ftruncate of path to size by pid. */
void rotation_truncate(struct rotation *r, const char *path, pid_t pid,
    int64_t size);

/* A successful rename from -> to at ts_ns; what it meant. */
enum rotation_kind rotation_rename(struct rotation *r, const char *from,
    const char *to, int64_t ts_ns);

/* A successful link of from to the new name to: true if from was a
   written file (to holds what was written, and its size). */
bool rotation_link(struct rotation *r, const char *from, const char *to);

/* A successful unlink of path; true if it deleted a backup. */
bool rotation_unlink(struct rotation *r, const char *path);

/* The written file whose backup path is (or NULL). */
struct rotation_path *rotation_owner_of_backup(const struct rotation *r,
    const char *path);

/* Total rotations of all paths. */
uint64_t rotation_total(const struct rotation *r);

#endif /* IOSPY_ROTATION_H */
