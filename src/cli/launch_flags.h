/*
 * launch_flags.h: strace's output and launch flags: -c, -C, -w (the
 * summary table), -x, -xx, -r (the event log's strings and times), -E and
 * -u (the launched command's environment and user) and -D (refused, with
 * why).  options.c hands these letters and long options here.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_LAUNCH_FLAGS_H
#define IOSPY_LAUNCH_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

struct config;

/* The getopt letters handled here (appended to options.c's string). */
#define LAUNCH_FLAGS_SHORT "cCwxrDE:u:"

enum {
	LAUNCH_OPT_SUMMARY_ONLY = 0x2000, LAUNCH_OPT_SUMMARY,
	LAUNCH_OPT_SUMMARY_WALL, LAUNCH_OPT_HEX, LAUNCH_OPT_RELATIVE,
	LAUNCH_OPT_ENV, LAUNCH_OPT_USER, LAUNCH_OPT_DAEMONIZE,
	LAUNCH_OPT__END
};

#define LAUNCH_FLAGS_LONG_OPTIONS \
	{ "summary-only", no_argument, NULL, LAUNCH_OPT_SUMMARY_ONLY }, \
	{ "summary", no_argument, NULL, LAUNCH_OPT_SUMMARY }, \
	{ "summary-wall-clock", no_argument, NULL, LAUNCH_OPT_SUMMARY_WALL }, \
	{ "strings-in-hex", optional_argument, NULL, LAUNCH_OPT_HEX }, \
	{ "relative-timestamps", optional_argument, NULL, LAUNCH_OPT_RELATIVE }, \
	{ "env", required_argument, NULL, LAUNCH_OPT_ENV }, \
	{ "user", required_argument, NULL, LAUNCH_OPT_USER }, \
	{ "daemonize", optional_argument, NULL, LAUNCH_OPT_DAEMONIZE }

/* True if getopt's c is one of ours. */
bool launch_flags_owns(int c);

/* Apply flag c (arg: its argument or NULL); 0, or -1 with err set. */
int launch_flags_apply(struct config *cfg, int c, const char *arg,
    char *err, size_t errsz);

/* After the whole command line (mode known): check the combinations as
 * strace does and copy what other layers read; 0, or -1 with err set. */
int launch_flags_finish(struct config *cfg, char *err, size_t errsz);

/* Free what the flags allocated. */
void launch_flags_free(struct config *cfg);

#endif /* IOSPY_LAUNCH_FLAGS_H */
