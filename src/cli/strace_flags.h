/*
 * strace_flags.h: the strace flags about what is traced and shown (-e
 * EXPR, -z, -Z, -P PATH, -y, -yy) and the strace flags iospy refuses with
 * what to use instead (-k, -i, -n...).  options.c hands these letters and
 * long options here; the filter itself is the model's (model/filter.h).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_STRACE_FLAGS_H
#define IOSPY_STRACE_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config;

/* The getopt letters handled here (appended to options.c's string). */
#define STRACE_FLAGS_SHORT "e:zZP:ykinX:Ya:Ab:dvI:F"

/* Values of the long options handled here (past options.c's own). */
enum {
	STRACE_OPT_TRACE = 0x1000, STRACE_OPT_SIGNAL, STRACE_OPT_STATUS,
	STRACE_OPT_SUCCESSFUL_ONLY, STRACE_OPT_FAILED_ONLY,
	STRACE_OPT_TRACE_PATH, STRACE_OPT_DECODE_FDS, STRACE_OPT_SECCOMP_BPF,
	STRACE_OPT_STACK_TRACE, STRACE_OPT__END
};

/* Entries for options.c's struct option table. */
#define STRACE_FLAGS_LONG_OPTIONS \
	{ "trace", required_argument, NULL, STRACE_OPT_TRACE }, \
	{ "signal", required_argument, NULL, STRACE_OPT_SIGNAL }, \
	{ "status", required_argument, NULL, STRACE_OPT_STATUS }, \
	{ "successful-only", no_argument, NULL, STRACE_OPT_SUCCESSFUL_ONLY }, \
	{ "failed-only", no_argument, NULL, STRACE_OPT_FAILED_ONLY }, \
	{ "trace-path", required_argument, NULL, STRACE_OPT_TRACE_PATH }, \
	{ "decode-fds", optional_argument, NULL, STRACE_OPT_DECODE_FDS }, \
	{ "seccomp-bpf", no_argument, NULL, STRACE_OPT_SECCOMP_BPF }, \
	{ "stack-trace", no_argument, NULL, STRACE_OPT_STACK_TRACE }

/* True if getopt's c is one of ours. */
bool strace_flags_owns(int c);

/* Apply flag c (arg: its argument or NULL); 0, or -1 with err set. */
int strace_flags_apply(struct config *cfg, int c, const char *arg,
    char *err, size_t errsz);

/* After the whole command line: copy what other layers read (quiet,
 * -yy, the filter for the live engines), resolve -P symlinks as strace
 * does. */
void strace_flags_finish(struct config *cfg);

/* Print what strace would say about the flags on stderr ("Requested path
 * ... resolved into ..."); the parser itself never prints. */
void strace_flags_notes(const struct config *cfg, FILE *f);

/* Free what the flags allocated. */
void strace_flags_free(struct config *cfg);

#endif /* IOSPY_STRACE_FLAGS_H */
