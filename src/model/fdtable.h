/*
 * fdtable.h: fd -> path, one table per set of processes that share a
 * file-descriptor table (CLONE_FILES).  The same code serves live tracing
 * and replay: it learns paths from decoded open/dup/close/... events.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_FDTABLE_H
#define IOSPY_FDTABLE_H

#include <stdbool.h>
#include <stddef.h>

struct fd_entry {
	char *path;		/* absolute path, or "pipe:[N]", "socket:[N]"... */
	bool cloexec;		/* dropped at execve */
	bool deleted;		/* the file was unlinked while this fd was open */
	bool unknown;		/* the path could not be learned */
	bool named_write;	/* written through this fd while it had a name */
	bool nameless;		/* deleted before any such write, by its own
				   process (O_TMPFILE, or the unlink-after-
				   create idiom): a temporary file by design */
};

struct fdtable;

/* A new empty table with one reference. */
struct fdtable *fdtable_new(void);

/* A copy of t (fork without CLONE_FILES), with one reference. */
struct fdtable *fdtable_copy(const struct fdtable *t);

/* Take another reference (clone with CLONE_FILES). */
struct fdtable *fdtable_ref(struct fdtable *t);

/* Drop a reference; the table is freed with the last one. */
void fdtable_unref(struct fdtable *t);

/* The entry for fd, or NULL if the table knows nothing of it. */
const struct fd_entry *fdtable_get(const struct fdtable *t, int fd);

/* fd now refers to path (replacing what it was). */
void fdtable_set(struct fdtable *t, int fd, const char *path, bool cloexec);

/* fd is open but its path is unknown (shown as "fd N (opened before the
 * trace)" by consumers). */
void fdtable_set_unknown(struct fdtable *t, int fd);

/* fd is closed. */
void fdtable_close(struct fdtable *t, int fd);

/* close_range(first, last): close each, or mark close-on-exec. */
void fdtable_close_range(struct fdtable *t, int first, int last, bool cloexec_only);

/* newfd becomes a copy of oldfd (dup/dup2/dup3/F_DUPFD); returns false if
 * oldfd is unknown (newfd is then forgotten). */
bool fdtable_dup(struct fdtable *t, int oldfd, int newfd, bool cloexec);

/* Set or clear close-on-exec on fd. */
void fdtable_set_cloexec(struct fdtable *t, int fd, bool cloexec);

/* execve succeeded: drop close-on-exec fds. */
void fdtable_exec(struct fdtable *t);

/* path was unlinked: mark the fds that refer to it deleted.  own: by
   the process this table is of (its fds not yet written through become
   nameless temporaries). */
void fdtable_unlinked(struct fdtable *t, const char *path, bool own);

/* A write through fd (ok: it succeeded): true if fd's file never had a
   name while written through it (nameless, see struct fd_entry). */
bool fdtable_note_write(struct fdtable *t, int fd, bool ok);

/* from was renamed to to: fds that refer to from now refer to to. */
void fdtable_renamed(struct fdtable *t, const char *from, const char *to);

/* Number of open fds the table knows. */
size_t fdtable_count(const struct fdtable *t);

#endif /* IOSPY_FDTABLE_H */
