/*
 * stracelog_flags.c: symbolic flags as strace prints them
 * ("O_WRONLY|O_CREAT", "CLONE_VM|SIGCHLD", "0x441 / * ... * /") turned
 * into their x86_64 kernel values.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <string.h>

#include "replay/scan.h"
#include "replay/stracelog_int.h"
#include "base/util.h"

/* ------------------------------------------------------------ flags */

struct flagname {
	const char *name;
	uint64_t value;
};

/* Symbolic names strace prints, with their x86_64 kernel values.  Kept
   sorted by name (checked once at first use). */
static const struct flagname flagnames[] = {
	{ "AT_EACCESS", 0x200 },
	{ "AT_EMPTY_PATH", 0x1000 },
	{ "AT_FDCWD", (uint64_t)(int64_t)AT_FDCWD_VALUE },
	{ "AT_NO_AUTOMOUNT", 0x800 },
	{ "AT_RECURSIVE", 0x8000 },
	{ "AT_REMOVEDIR", 0x200 },
	{ "AT_STATX_DONT_SYNC", 0x4000 },
	{ "AT_STATX_FORCE_SYNC", 0x2000 },
	{ "AT_STATX_SYNC_AS_STAT", 0 },
	{ "AT_SYMLINK_FOLLOW", 0x400 },
	{ "AT_SYMLINK_NOFOLLOW", 0x100 },
	{ "CLONE_CHILD_CLEARTID", 0x200000 },
	{ "CLONE_CHILD_SETTID", 0x1000000 },
	{ "CLONE_CLEAR_SIGHAND", 0x100000000ULL },
	{ "CLONE_DETACHED", 0x400000 },
	{ "CLONE_FILES", 0x400 },
	{ "CLONE_FS", 0x200 },
	{ "CLONE_INTO_CGROUP", 0x200000000ULL },
	{ "CLONE_IO", 0x80000000ULL },
	{ "CLONE_NEWCGROUP", 0x2000000 },
	{ "CLONE_NEWIPC", 0x8000000 },
	{ "CLONE_NEWNET", 0x40000000 },
	{ "CLONE_NEWNS", 0x20000 },
	{ "CLONE_NEWPID", 0x20000000 },
	{ "CLONE_NEWTIME", 0x80 },
	{ "CLONE_NEWUSER", 0x10000000 },
	{ "CLONE_NEWUTS", 0x4000000 },
	{ "CLONE_PARENT", 0x8000 },
	{ "CLONE_PARENT_SETTID", 0x100000 },
	{ "CLONE_PIDFD", 0x1000 },
	{ "CLONE_PTRACE", 0x2000 },
	{ "CLONE_SETTLS", 0x80000 },
	{ "CLONE_SIGHAND", 0x800 },
	{ "CLONE_SYSVSEM", 0x40000 },
	{ "CLONE_THREAD", 0x10000 },
	{ "CLONE_UNTRACED", 0x800000 },
	{ "CLONE_VFORK", 0x4000 },
	{ "CLONE_VM", 0x100 },
	{ "CLOSE_RANGE_CLOEXEC", 4 },
	{ "CLOSE_RANGE_UNSHARE", 2 },
	{ "FD_CLOEXEC", 1 },
	{ "F_ADD_SEALS", 1033 },
	{ "F_DUPFD", 0 },
	{ "F_DUPFD_CLOEXEC", 1030 },
	{ "F_GETFD", 1 },
	{ "F_GETFL", 3 },
	{ "F_GETLK", 5 },
	{ "F_GETLK64", 5 },
	{ "F_GETOWN", 9 },
	{ "F_GET_SEALS", 1034 },
	{ "F_NOTIFY", 1026 },
	{ "F_OFD_GETLK", 36 },
	{ "F_OFD_SETLK", 37 },
	{ "F_OFD_SETLKW", 38 },
	{ "F_SETFD", 2 },
	{ "F_SETFL", 4 },
	{ "F_SETLK", 6 },
	{ "F_SETLK64", 6 },
	{ "F_SETLKW", 7 },
	{ "F_SETLKW64", 7 },
	{ "F_SETOWN", 8 },
	{ "MAP_32BIT", 0x40 },
	{ "MAP_ANON", 0x20 },
	{ "MAP_ANONYMOUS", 0x20 },
	{ "MAP_DENYWRITE", 0x800 },
	{ "MAP_EXECUTABLE", 0x1000 },
	{ "MAP_FILE", 0 },
	{ "MAP_FIXED", 0x10 },
	{ "MAP_FIXED_NOREPLACE", 0x100000 },
	{ "MAP_GROWSDOWN", 0x100 },
	{ "MAP_HUGETLB", 0x40000 },
	{ "MAP_LOCKED", 0x2000 },
	{ "MAP_NONBLOCK", 0x10000 },
	{ "MAP_NORESERVE", 0x4000 },
	{ "MAP_POPULATE", 0x8000 },
	{ "MAP_PRIVATE", 0x2 },
	{ "MAP_SHARED", 0x1 },
	{ "MAP_SHARED_VALIDATE", 0x3 },
	{ "MAP_STACK", 0x20000 },
	{ "MAP_SYNC", 0x80000 },
	{ "MAP_UNINITIALIZED", 0x4000000 },
	{ "MREMAP_DONTUNMAP", 4 },
	{ "MREMAP_FIXED", 2 },
	{ "MREMAP_MAYMOVE", 1 },
	{ "O_ACCMODE", 3 },
	{ "O_APPEND", 02000 },
	{ "O_ASYNC", 020000 },
	{ "O_CLOEXEC", 02000000 },
	{ "O_CREAT", 0100 },
	{ "O_DIRECT", 040000 },
	{ "O_DIRECTORY", 0200000 },
	{ "O_DSYNC", 010000 },
	{ "O_EXCL", 0200 },
	{ "O_LARGEFILE", 0100000 },
	{ "O_NDELAY", 04000 },
	{ "O_NOATIME", 01000000 },
	{ "O_NOCTTY", 0400 },
	{ "O_NOFOLLOW", 0400000 },
	{ "O_NONBLOCK", 04000 },
	{ "O_PATH", 010000000 },
	{ "O_RDONLY", 0 },
	{ "O_RDWR", 2 },
	{ "O_RSYNC", 04010000 },
	{ "O_SYNC", 04010000 },
	{ "O_TMPFILE", 020200000 },
	{ "O_TRUNC", 01000 },
	{ "O_WRONLY", 1 },
	{ "PROT_EXEC", 4 },
	{ "PROT_GROWSDOWN", 0x01000000 },
	{ "PROT_GROWSUP", 0x02000000 },
	{ "PROT_NONE", 0 },
	{ "PROT_READ", 1 },
	{ "PROT_SEM", 8 },
	{ "PROT_WRITE", 2 },
	{ "RENAME_EXCHANGE", 2 },
	{ "RENAME_NOREPLACE", 1 },
	{ "RENAME_WHITEOUT", 4 },
	{ "SEEK_CUR", 1 },
	{ "SEEK_DATA", 3 },
	{ "SEEK_END", 2 },
	{ "SEEK_HOLE", 4 },
	{ "SEEK_SET", 0 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static bool flag_search(const char *name, size_t len, uint64_t *v);

/* Flag names repeat on every line (PROT_READ, O_CLOEXEC...): a small
   cache in front of the binary search, one per thread. */
static bool
flag_lookup(const char *name, size_t len, uint64_t *v)
{
	static _Thread_local struct {
		char name[28];
		unsigned char len;
		bool found;
		uint64_t value;
	} cache[256];
	unsigned h;
	bool found;

	if (len == 0 || len >= sizeof(cache[0].name))
		return flag_search(name, len, v);
	h = ((unsigned)(unsigned char)name[len - 1] * 31u +
	    (unsigned)(unsigned char)name[len / 2] * 7u +
	    (unsigned)(unsigned char)name[len > 4 ? 4 : 0] * 131u +
	    (unsigned)len * 17u) & 255u;
	if (cache[h].len == len && memcmp(cache[h].name, name, len) == 0) {
		*v = cache[h].value;
		return cache[h].found;
	}
	found = flag_search(name, len, v);
	memcpy(cache[h].name, name, len);
	cache[h].len = (unsigned char)len;
	cache[h].found = found;
	cache[h].value = found ? *v : 0;
	return found;
}

static bool
flag_search(const char *name, size_t len, uint64_t *v)
{
	size_t lo = 0, hi = NELEM(flagnames);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *m = flagnames[mid].name;
		int c = strncmp(m, name, len);

		if (c == 0 && m[len] != '\0')
			c = 1;
		if (c == 0) {
			*v = flagnames[mid].value;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* SOCK_CLOEXEC, EFD_CLOEXEC, EPOLL_CLOEXEC, MFD_CLOEXEC, TFD_,
	   SFD_, IN_CLOEXEC...: the pipeline wants O_CLOEXEC for all */
	if (len > 8 && memcmp(name + len - 8, "_CLOEXEC", 8) == 0) {
		*v = O_CLOEXEC_VALUE;
		return true;
	}
	/* clone's exit signal sits in the low byte */
	if (len > 3 && memcmp(name, "SIG", 3) == 0) {
		int s = util_signal_by_name(name, len);

		if (s > 0) {
			*v = (uint64_t)s;
			return true;
		}
	}
	return false;
}

/* Parse symbolic flags into their x86_64 values. */
uint64_t
sl_parse_flags(const char *p, const char *e)
{
	uint64_t v = 0, x;
	int64_t n;

	p = sc_skip_blanks(p, e);
	while (p < e) {
		const char *t = p;

		if (*p == '/' && p + 1 < e && p[1] == '*')
			break;	/* -X verbose: the number came first */
		if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '~') {
			if (sl_parse_num(p, e, &n))
				v |= (uint64_t)n;
			while (p < e && *p != '|' && *p != ' ' && *p != ',')
				p++;
		} else {
			while (p < e && sc_is_ident((unsigned char)*p))
				p++;
			if (p > t && flag_lookup(t, (size_t)(p - t), &x))
				v |= x;
			if (p == t)
				break;
		}
		p = sc_skip_blanks(p, e);
		if (p < e && *p == '|')
			p = sc_skip_blanks(p + 1, e);
		else
			break;
	}
	return v;
}
