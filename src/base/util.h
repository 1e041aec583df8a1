/*
 * util.h: small helpers shared by every module: allocation that cannot
 * fail, size and duration parsing, strace-style string escaping, clocks.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_UTIL_H
#define IOSPY_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Allocation wrappers: abort with a message when memory runs out. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Parse a size: "4096", "4k", "4K", "4KiB", "1M", "1MiB", "1.5G", "2T".
 * Units are binary (k = 1024).  Returns 0 and sets *out, or -1 on error.
 */
int util_parse_size(const char *s, uint64_t *out);

/* Parse a non-negative number of seconds ("2", "0.5"); 0 or -1. */
int util_parse_seconds(const char *s, double *out);

/* Skip blanks and read a decimal number at *pp, moving *pp past it; false
   (and *pp unchanged) when there is none or it does not fit 64 bits. */
bool util_scan_u64(const char **pp, uint64_t *out);

/* path with "." components, repeated and trailing slashes taken out
   ("./x" and "x//" are "x", "//tmp/./a" is "/tmp/a") into buf; in an
   absolute path ".." goes up one ("/w/sub/../f" is "/w/f", as a shell's
   PWD; through a symbolic link the kernel would go elsewhere), in a
   relative one it is kept.  True when buf differs from path; false also
   when it does not fit (buf then means nothing). */
bool util_path_clean(const char *path, char *buf, size_t bufsz);

/* Format a message into err (errsz bytes) and return -1: the error path
   of the parsers that report into a caller's buffer. */
int util_fail(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* True if path matches one of the n shell globs (fnmatch, no flags). */
bool util_glob_any(char *const *globs, size_t n, const char *path);

/* Format a byte count in binary units ("300.0 MiB", "512 B") into buf. */
const char *util_fmt_size(uint64_t n, char *buf, size_t bufsz);

/*
 * Escape len bytes of s the way strace prints strings: C escapes for \t \n
 * \v \f \r \" \\, octal for other unprintable bytes.  No quotes are added.
 * Writes at most bufsz-1 bytes and a NUL; returns the length it would have
 * written given room (like snprintf).
 */
size_t util_escape(char *buf, size_t bufsz, const char *s, size_t len);

/* Write len bytes of s to f, escaped as util_escape does. */
void util_fputs_escaped(FILE *f, const char *s, size_t len);

/* Whether the output may carry UTF-8 (the locale's character set is
   UTF-8): util_escape_path then keeps printable UTF-8 characters as they
   are; control bytes, C1 controls, bidirectional overrides and malformed
   sequences are escaped always.  Off by default. */
void util_set_utf8(bool on);
bool util_utf8(void);

/*
 * Escape a path for a terminal: printable bytes as they are, anything else
 * (control characters, invalid bytes) in \ooo / \n form.  Static storage
 * is not used; the result goes to buf (truncated to bufsz).
 */
const char *util_escape_path(const char *path, char *buf, size_t bufsz);

/* CLOCK_REALTIME now, in ns since the epoch. */
int64_t util_now_ns(void);

/* CLOCK_MONOTONIC now, in ns. */
int64_t util_mono_ns(void);

/* The errno name for e ("ENOENT"), or NULL if unknown. */
const char *util_errno_name(int e);

/* The errno number for a name ("ENOENT"), or 0 if unknown. */
int util_errno_by_name(const char *name, size_t len);

/* The signal name for sig ("SIGTERM"), or NULL if unknown. */
const char *util_signal_name(int sig);

/* The signal number for a name ("SIGTERM"), or 0 if unknown. */
int util_signal_by_name(const char *name, size_t len);

#endif /* IOSPY_UTIL_H */
