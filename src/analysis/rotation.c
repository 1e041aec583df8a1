/*
 * rotation.c: rotation detection (definitions in rotation.h).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/event.h"
#include "analysis/rotation.h"
#include "base/util.h"

/* Recent stat results for paths without a record: the seed's
   stat("/tmp/logtest.txt.1", {st_size=...}) just before the unlink. */
#define STAT_CACHE 8

/* Recent unlinks that matched no written file yet: the seed, traced from
   the middle, unlinks A.1 before iospy has seen A written; the rename
   A -> A.1 that follows claims it. */
#define RECENT_UNLINKS 8

struct rotation {
	struct rotation_path *paths;
	struct {
		char *path;
		int64_t size;
	} cache[STAT_CACHE];
	unsigned next;
	struct {
		char *path;
		int64_t size;
	} recent[RECENT_UNLINKS];
	unsigned rnext;
};

struct rotation *
rotation_new(void)
{
	return xcalloc(1, sizeof(struct rotation));
}

void
rotation_free(struct rotation *r)
{
	struct rotation_path *rp, *tmp;
	unsigned i;

	if (r == NULL)
		return;
	HASH_ITER(hh, r->paths, rp, tmp) {
		HASH_DEL(r->paths, rp);
		free(rp->path);
		free(rp->last_backup);
		free(rp->last_deleted);
		free(rp);
	}
	for (i = 0; i < STAT_CACHE; i++)
		free(r->cache[i].path);
	for (i = 0; i < RECENT_UNLINKS; i++)
		free(r->recent[i].path);
	free(r);
}

struct rotation_path *
rotation_find(const struct rotation *r, const char *path)
{
	struct rotation_path *rp;

	if (path == NULL)
		return NULL;
	HASH_FIND_STR(r->paths, path, rp);
	return rp;
}

static int64_t
cache_size(const struct rotation *r, const char *path)
{
	unsigned i;

	/* newest first */
	for (i = 0; i < STAT_CACHE; i++) {
		unsigned k = (r->next + STAT_CACHE - 1 - i) % STAT_CACHE;

		if (r->cache[k].path != NULL && strcmp(r->cache[k].path, path) == 0)
			return r->cache[k].size;
	}
	return -1;
}

struct rotation_path *
rotation_get(struct rotation *r, const char *path)
{
	struct rotation_path *rp = rotation_find(r, path);

	if (rp != NULL)
		return rp;
	rp = xcalloc(1, sizeof(*rp));
	rp->path = xstrdup(path);
	rp->size = cache_size(r, path);	/* a stat seen before, or -1 */
	rp->exists = true;
	rp->first_rot_ns = IO_TIME_UNKNOWN;
	rp->last_rot_ns = IO_TIME_UNKNOWN;
	HASH_ADD_KEYPTR(hh, r->paths, rp->path, strlen(rp->path), rp);
	return rp;
}

static bool
is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

static bool
is_compress_ext(const char *e)
{
	return strcmp(e, ".gz") == 0 || strcmp(e, ".xz") == 0 ||
	    strcmp(e, ".bz2") == 0 || strcmp(e, ".zst") == 0 ||
	    strcmp(e, ".Z") == 0 || strcmp(e, ".lz4") == 0;
}

static bool
ends_with(const char *s, const char *suf)
{
	size_t ls = strlen(s), lf = strlen(suf);

	return ls >= lf && strcmp(s + ls - lf, suf) == 0;
}

bool
rotation_never_backup(const char *path)
{
	static const char *const never[] = {
		"-journal", "-wal", "-shm", ".lock", ".pid", ".tmp", ".swp",
		".swx", ".new", ".lck",
	};
	size_t i;

	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (ends_with(path, never[i]))
			return true;
	return false;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at s */
static bool
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* [s, e) is all digits (at least one) */
static bool
all_digits(const char *s, const char *e)
{
	if (s >= e)
		return false;
	for (; s < e; s++)
		if (!is_digit(*s))
			return false;
	return true;
}

/*
 * [s, e) is a date stamp: YYYYMMDD[HH] (logrotate's dateext, with
 * "hourly"), YYYYMMDD-EPOCH (dateformat -%Y%m%d-%s), or YYYY-MM-DD
 * followed by nothing, _HH, _HH-MM or _HH-MM-SS (TimedRotatingFileHandler).
 */
static bool
date_stamp(const char *s, const char *e)
{
	size_t n = (size_t)(e - s);

	if (n >= 8 && digits(s, 8) && (s[0] == '1' || s[0] == '2')) {
		if (n == 8 || (n == 10 && digits(s + 8, 2)))
			return true;
		if (s[8] == '-' && all_digits(s + 9, e))
			return true;
		return false;
	}
	if (n < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return false;
	if (n == 10)
		return true;
	if (s[10] != '_' || n < 13 || !digits(s + 11, 2))
		return false;
	if (n == 13)
		return true;
	if (s[13] != '-' || n < 16 || !digits(s + 14, 2))
		return false;
	if (n == 16)
		return true;
	return n == 19 && s[16] == '-' && digits(s + 17, 2);
}

/* [s, e) is a rotation tag after separator sep: N after '.', or a date */
static bool
rotation_tag(char sep, const char *s, const char *e)
{
	if (sep == '.' && all_digits(s, e) && e - s <= 6)
		return true;
	return date_stamp(s, e);
}

/* The end of s without a compression extension. */
static const char *
strip_compress(const char *s)
{
	const char *end = s + strlen(s);
	const char *dot = strrchr(s, '.');

	if (dot != NULL && strchr(dot, '/') == NULL && is_compress_ext(dot))
		return dot;
	return end;
}

bool
rotation_is_rotation_name(const char *a, const char *b)
{
	size_t la = strlen(a);
	const char *end, *base, *ext;
	size_t ls, lext;

	if (la == 0 || rotation_never_backup(b))
		return false;
	end = strip_compress(b);
	/* A.3, A.3.gz, A-20200621, A.2026-12-01_10-00 */
	if (strncmp(a, b, la) == 0 && (size_t)(end - b) > la + 1 &&
	    is_sep(b[la]) && rotation_tag(b[la], b + la + 1, end))
		return true;
	/* dir/app.log -> dir/app.1.log, dir/app-2020-06-21.log.gz */
	base = strrchr(a, '/');
	base = base ? base + 1 : a;
	ext = strrchr(base, '.');
	if (ext == NULL || ext == base || ext[1] == '\0')
		return false;
	ls = (size_t)(ext - a);
	lext = strlen(ext);
	if (strncmp(a, b, ls) != 0 || !is_sep(b[ls]) || strchr(b + ls, '/'))
		return false;
	if ((size_t)(end - b) < ls + 1 + lext ||
	    strncmp(end - lext, ext, lext) != 0)
		return false;
	return rotation_tag(b[ls], b + ls + 1, end - lext);
}

bool
rotation_is_backup(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	const char *base, *ext;
	size_t ls;

	if (la == 0 || lb <= la + 1 || rotation_never_backup(b))
		return false;
	/* A.1, A-20200621, A_old, A.1.gz */
	if (strncmp(a, b, la) == 0)
		return is_sep(b[la]) && b[la + 1] != '\0';
	/* dir/app.log -> dir/app.1.log, dir/app-2020-06-21.log(.gz) */
	base = strrchr(a, '/');
	base = base ? base + 1 : a;
	ext = strrchr(base, '.');
	if (ext == NULL || ext == base || ext[1] == '\0')
		return false;
	ls = (size_t)(ext - a);
	if (strncmp(a, b, ls) != 0 || !is_sep(b[ls]) || strchr(b + ls, '/'))
		return false;
	return strstr(b + ls + 1, ext) != NULL;
}

/* Is rp a file that was written (or rotated) during the trace? */
static bool
live(const struct rotation_path *rp)
{
	return rp != NULL && (rp->writes > 0 || rp->rotations > 0 ||
	    rp->copytruncates > 0);
}

static bool
name_matches(const char *a, const char *b, bool strict)
{
	return strict ? rotation_is_rotation_name(a, b) :
	    rotation_is_backup(a, b);
}

static struct rotation_path *
owner_of(const struct rotation *r, const char *path, bool strict)
{
	char buf[4096];
	const char *base = strrchr(path, '/');
	const char *ext, *ext2 = NULL;
	size_t len = strlen(path), i;

	if (len >= sizeof(buf))
		return NULL;
	base = base ? base + 1 : path;
	ext = strrchr(base, '.');
	if (ext != NULL && is_compress_ext(ext) && ext > base) {
		/* app.2.log.gz: the extension before the compression one */
		const char *p = ext - 1;

		while (p > base && *p != '.')
			p--;
		if (*p == '.' && p > base)
			ext2 = p;
	}
	for (i = len; i > (size_t)(base - path); i--) {
		struct rotation_path *rp;

		if (!is_sep(path[i - 1]) || i - 1 == (size_t)(base - path))
			continue;
		memcpy(buf, path, i - 1);
		buf[i - 1] = '\0';
		rp = rotation_find(r, buf);
		if (live(rp) && name_matches(buf, path, strict))
			return rp;
		if (ext != NULL && ext > path + i - 1 &&
		    i - 1 + strlen(ext) < sizeof(buf)) {
			const char *e = ext2 ? ext2 : ext;
			size_t el = ext2 ? (size_t)(ext - ext2) : strlen(ext);

			if (e > path + i - 1) {
				memcpy(buf + i - 1, e, el);
				buf[i - 1 + el] = '\0';
				rp = rotation_find(r, buf);
				if (live(rp) && name_matches(buf, path, strict))
					return rp;
			}
		}
	}
	return NULL;
}

struct rotation_path *
rotation_owner_of_backup(const struct rotation *r, const char *path)
{
	return owner_of(r, path, false);
}

void
rotation_write(struct rotation_path *rp, pid_t pid, uint64_t bytes,
    int64_t offset)
{
	/* the writer goes on after another process emptied the file
	   (logrotate's copytruncate); a new writer after an overwrite is
	   not one */
	if (rp->ct_writer != 0 && pid == rp->ct_writer)
		rp->copytruncates++;
	rp->ct_writer = 0;
	rp->writes++;
	rp->bytes += bytes;
	rp->bytes_since += bytes;
	rp->last_writer = pid;
	rp->exists = true;
	if (offset >= 0) {
		if ((uint64_t)offset + bytes > rp->size_lb)
			rp->size_lb = (uint64_t)offset + bytes;
	} else
		rp->size_lb += bytes;
	if (rp->size >= 0) {
		if (offset >= 0) {
			if (offset + (int64_t)bytes > rp->size)
				rp->size = offset + (int64_t)bytes;
		} else
			rp->size += (int64_t)bytes;
	}
}

void
rotation_size(struct rotation *r, const char *path, int64_t size)
{
	struct rotation_path *rp;

	if (path == NULL || size < 0)
		return;
	rp = rotation_find(r, path);
	if (rp != NULL) {
		rp->size = size;
		rp->exists = true;
		return;
	}
	free(r->cache[r->next].path);
	r->cache[r->next].path = xstrdup(path);
	r->cache[r->next].size = size;
	r->next = (r->next + 1) % STAT_CACHE;
}

/* A truncation to 0 of rp by pid. */
static void
truncated(struct rotation_path *rp, pid_t pid)
{
	if (rp->bytes_since > 0) {
		if (rp->last_writer != pid) {
			rp->ct_writer = rp->last_writer;
			rp->other_truncations++;
		} else
			rp->self_truncations++;
	}
	rp->bytes_since = 0;
	rp->seen_since_rotation = true;
	rp->size = 0;
	rp->size_lb = 0;
	rp->exists = true;
}

void
rotation_open(struct rotation *r, const char *path, pid_t pid, bool trunc,
    bool creat)
{
	struct rotation_path *rp;

	if (path == NULL)
		return;
	rp = trunc ? rotation_get(r, path) : rotation_find(r, path);
	if (rp == NULL)
		return;
	if (rp->awaiting_reopen) {
		rp->reopens++;
		rp->awaiting_reopen = false;
	}
	if (trunc)
		truncated(rp, pid);
	else if (!rp->exists && creat) {
		rp->exists = true;
		rp->size = 0;
		rp->size_lb = 0;
		rp->bytes_since = 0;
		rp->seen_since_rotation = true;
	}
}

void
rotation_truncate(struct rotation *r, const char *path, pid_t pid, int64_t size)
{
	struct rotation_path *rp;

	if (path == NULL)
		return;
	rp = size == 0 ? rotation_get(r, path) : rotation_find(r, path);
	if (rp == NULL)
		return;
	if (size == 0)
		truncated(rp, pid);
	else if (size >= 0)
		rp->size = size;
}

static void
backup_deleted(struct rotation_path *owner, const char *path, int64_t size,
    uint64_t lb)
{
	owner->backups_deleted++;
	free(owner->last_deleted);
	owner->last_deleted = xstrdup(path);
	if (size >= 0)
		owner->backup_bytes_lost += (uint64_t)size;
	else if (lb > 0) {
		owner->backup_bytes_lost += lb;
		owner->backups_size_lower++;
	} else
		owner->backups_size_unknown++;
	owner->deleted_pending = true;
}

/* Move what is known of a file's size from rf to rt (a rename). */
static void
move_size(struct rotation_path *rt, struct rotation_path *rf)
{
	rt->size = rf ? rf->size : -1;
	rt->size_lb = rf ? rf->size_lb : 0;
	rt->exists = true;
	rt->backup_of = NULL;	/* a new file there; rotations set it again */
	if (rf != NULL) {
		rf->size = -1;
		rf->size_lb = 0;
		rf->exists = false;
		rf->backup_of = NULL;
	}
}

bool
rotation_link(struct rotation *r, const char *from, const char *to)
{
	struct rotation_path *rf = from ? rotation_find(r, from) : NULL, *rt;

	if (rf == NULL || rf->writes == 0 || to == NULL)
		return false;
	rt = rotation_get(r, to);
	rt->writes += rf->writes;
	/* one inode, two names: the size is both's */
	rt->size = rf->size;
	rt->size_lb = rf->size_lb;
	rt->exists = true;
	return true;
}

/* Unlinks of backups of rf seen before rf was known to be live. */
static void
claim_recent_unlinks(struct rotation *r, struct rotation_path *rf)
{
	unsigned i;

	for (i = 0; i < RECENT_UNLINKS; i++) {
		if (r->recent[i].path == NULL ||
		    !rotation_is_rotation_name(rf->path, r->recent[i].path))
			continue;
		backup_deleted(rf, r->recent[i].path, r->recent[i].size, 0);
		free(r->recent[i].path);
		r->recent[i].path = NULL;
	}
}

enum rotation_kind
rotation_rename(struct rotation *r, const char *from, const char *to,
    int64_t ts_ns)
{
	struct rotation_path *rf, *rt, *owner;

	if (from == NULL || to == NULL || strcmp(from, to) == 0)
		return ROT_RENAME;
	rf = rotation_find(r, from);
	owner = rotation_owner_of_backup(r, from);
	if (owner != NULL && rotation_is_backup(owner->path, to)) {
		/* logrotate's A.1 -> A.2 */
		owner->shifts++;
		rt = rotation_get(r, to);
		rf = rotation_find(r, from);
		move_size(rt, rf);
		rt->backup_of = owner;
		if (rf != NULL)
			rf->backup_of = NULL;
		return ROT_SHIFT;
	}
	if (rotation_is_backup(from, to)) {
		rf = rotation_get(r, from);
		rf->rotations++;
		if (ts_ns != IO_TIME_UNKNOWN) {
			if (rf->last_rot_ns != IO_TIME_UNKNOWN &&
			    ts_ns >= rf->last_rot_ns) {
				rf->intervals++;
				rf->interval_ns_sum += ts_ns - rf->last_rot_ns;
			}
			if (rf->first_rot_ns == IO_TIME_UNKNOWN)
				rf->first_rot_ns = ts_ns;
			rf->last_rot_ns = ts_ns;
		}
		if (rf->seen_since_rotation) {
			rf->between_n++;
			rf->between_bytes_sum += rf->bytes_since;
		}
		if (rf->size >= 0) {
			rf->size_n++;
			rf->size_sum += (uint64_t)rf->size;
		}
		claim_recent_unlinks(r, rf);
		if (rf->deleted_pending) {
			rf->rotations_after_delete++;
			rf->deleted_pending = false;
		}
		free(rf->last_backup);
		rf->last_backup = xstrdup(to);
		rf->awaiting_reopen = true;
		rt = rotation_get(r, to);
		move_size(rt, rf);
		rt->backup_of = rf;
		rf->bytes_since = 0;
		rf->seen_since_rotation = true;
		return ROT_ROTATE;
	}
	if (rf != NULL && rf->writes > 0) {
		rt = rotation_get(r, to);
		rt->atomic_replaces++;
		move_size(rt, rf);
		/* the target now holds what was written: a further rename of
		   it (git's tmp_pack_* -> .tmp-*-pack -> pack-*) is one too */
		rt->writes += rf->writes;
		return ROT_ATOMIC;
	}
	if (rf != NULL)
		move_size(rotation_get(r, to), rf);
	return ROT_RENAME;
}

bool
rotation_unlink(struct rotation *r, const char *path)
{
	struct rotation_path *rp, *owner;
	int64_t size = -1;
	uint64_t lb = 0;

	if (path == NULL)
		return false;
	rp = rotation_find(r, path);
	if (rp != NULL && rp->exists) {
		size = rp->size;
		lb = rp->size_lb;
	}
	if (size < 0)
		size = cache_size(r, path);
	/* a rotation target of a written file, or a rotation name of one */
	owner = rp != NULL && rp->exists && rp->backup_of != NULL &&
	    !rotation_never_backup(path) ? rp->backup_of :
	    owner_of(r, path, true);
	if (rp != NULL) {
		rp->backup_of = NULL;
		rp->unlinks++;
		rp->exists = false;
		rp->size = -1;
		rp->size_lb = 0;
	}
	if (owner == NULL) {
		free(r->recent[r->rnext].path);
		r->recent[r->rnext].path = xstrdup(path);
		r->recent[r->rnext].size = size;
		r->rnext = (r->rnext + 1) % RECENT_UNLINKS;
		return false;
	}
	backup_deleted(owner, path, size, lb);
	return true;
}

uint64_t
rotation_total(const struct rotation *r)
{
	const struct rotation_path *rp;
	uint64_t n = 0;

	for (rp = r->paths; rp != NULL; rp = rp->hh.next)
		n += rp->rotations;
	return n;
}

bool
rotation_path_plain(const struct rotation_path *rp)
{
	return rp->rotations == 0 && rp->copytruncates == 0 &&
	    rp->backups_deleted == 0 && rp->shifts == 0 &&
	    !rp->awaiting_reopen &&
	    !rp->deleted_pending && rp->backup_of == NULL &&
	    rp->last_backup == NULL && rp->last_deleted == NULL;
}

bool
rotation_path_quiet(const struct rotation_path *rp)
{
	return rotation_path_plain(rp) && rp->exists && rp->reopens == 0 &&
	    rp->self_truncations == 0 && rp->other_truncations == 0 &&
	    rp->atomic_replaces == 0 &&
	    rp->unlinks == 0;
}

void
rotation_forget(struct rotation *r, struct rotation_path *rp)
{
	HASH_DEL(r->paths, rp);
	free(rp->path);
	free(rp->last_backup);
	free(rp->last_deleted);
	free(rp);
}

size_t
rotation_sweep(struct rotation *r)
{
	struct rotation_path *rp, *tmp;
	size_t n = 0;

	HASH_ITER(hh, r->paths, rp, tmp) {
		if (rp->refs == 0 && rotation_path_plain(rp)) {
			rotation_forget(r, rp);
			n++;
		}
	}
	return n;
}

size_t
rotation_count(const struct rotation *r)
{
	return HASH_COUNT(r->paths);
}
