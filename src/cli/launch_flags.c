/*
 * launch_flags.c: strace's -c -C -w -x -xx -r -E -u -D (launch_flags.h).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/launch_flags.h"
#include "cli/options.h"
#include "base/util.h"

bool
launch_flags_owns(int c)
{
	if (c >= LAUNCH_OPT_SUMMARY_ONLY && c < LAUNCH_OPT__END)
		return true;
	return c > 0 && c < 128 && c != ':' &&
	    strchr(LAUNCH_FLAGS_SHORT, c) != NULL;
}

/* -u USER: a name, or a number as strace takes it (uid, and gid the
   same unless the passwd entry says otherwise). */
static int
set_user(struct config *cfg, const char *arg, char *err, size_t errsz)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(arg);
	if (pw == NULL) {
		char *end;
		long v;

		errno = 0;
		v = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || errno != 0 || v < 0 ||
		    v > 0x7ffffffe)
			return util_fail(err, errsz, "-u %s: no such user", arg);
		pw = getpwuid((uid_t)v);
		cfg->trace.uid = (uid_t)v;
		cfg->trace.gid = pw != NULL ? pw->pw_gid : (gid_t)v;
	} else {
		cfg->trace.uid = pw->pw_uid;
		cfg->trace.gid = pw->pw_gid;
	}
	free(cfg->trace.user);
	cfg->trace.user = xstrdup(pw != NULL ? pw->pw_name : arg);
	cfg->trace.set_user = true;
	cfg->trace.user_groups = pw != NULL;
	return 0;
}

int
launch_flags_apply(struct config *cfg, int c, const char *arg, char *err,
    size_t errsz)
{
	switch (c) {
	case 'c':
	case LAUNCH_OPT_SUMMARY_ONLY:
		cfg->summary = 'c';
		return 0;
	case 'C':
	case LAUNCH_OPT_SUMMARY:
		cfg->summary = 'C';
		return 0;
	case 'w':
	case LAUNCH_OPT_SUMMARY_WALL:
		/* iospy's summary is wall time already (what -w asks) */
		cfg->summary_wall = true;
		return 0;
	case 'x':
		if (cfg->eventlog.xflag < 2)
			cfg->eventlog.xflag++;
		return 0;
	case LAUNCH_OPT_HEX:
		if (arg == NULL || strcmp(arg, "all") == 0)
			cfg->eventlog.xflag = 2;
		else if (strcmp(arg, "non-ascii") == 0)
			cfg->eventlog.xflag = 1;
		else if (strcmp(arg, "none") == 0)
			cfg->eventlog.xflag = 0;
		else
			return util_fail(err, errsz, "invalid --strings-in-hex: '%s' "
			    "(none, non-ascii, all)", arg);
		return 0;
	case 'r':
		cfg->eventlog.rflag = true;
		return 0;
	case LAUNCH_OPT_RELATIVE:
		if (arg != NULL && strcmp(arg, "s") != 0 &&
		    strcmp(arg, "us") != 0 && strcmp(arg, "6") != 0)
			return util_fail(err, errsz, "--relative-timestamps=%s: iospy "
			    "prints microseconds only (us)", arg);
		cfg->eventlog.rflag = true;
		return 0;
	case 'E':
	case LAUNCH_OPT_ENV:
		if (arg[0] == '\0' || arg[0] == '=')
			return util_fail(err, errsz, "-E '%s': expected VAR=VAL or VAR",
			    arg);
		cfg->trace.env = xrealloc(cfg->trace.env,
		    (cfg->trace.nenv + 2) * sizeof(char *));
		cfg->trace.env[cfg->trace.nenv++] = xstrdup(arg);
		cfg->trace.env[cfg->trace.nenv] = NULL;
		return 0;
	case 'u':
	case LAUNCH_OPT_USER:
		return set_user(cfg, arg, err, errsz);
	case 'D':
	case LAUNCH_OPT_DAEMONIZE:
		return util_fail(err, errsz, "-D is not supported: iospy stays the "
		    "command's parent, to give its exit status and print the "
		    "report when it ends (to trace a process that is not "
		    "iospy's child, start it and use -p PID)");
	default:
		return util_fail(err, errsz, "unknown flag");
	}
}

int
launch_flags_finish(struct config *cfg, char *err, size_t errsz)
{
	if (cfg->summary != 0 && cfg->ff && cfg->outfile != NULL)
		return util_fail(err, errsz, "-c/-C and -ff -o are mutually "
		    "exclusive (as in strace)");
	if ((cfg->trace.nenv > 0 || cfg->trace.set_user) &&
	    cfg->mode != MODE_LAUNCH)
		return util_fail(err, errsz, "%s applies to a launched COMMAND only",
		    cfg->trace.set_user ? "-u" : "-E");
	if (cfg->trace.set_user && geteuid() != 0)
		return util_fail(err, errsz, "-u %s needs root (to switch the "
		    "command to that user's uid, gid and groups)",
		    cfg->trace.user);
	/* the summary and the write latency need each call's time: live,
	   measured even without -T (the log shows it only with -T) */
	if (cfg->summary != 0 || cfg->mode == MODE_LAUNCH ||
	    cfg->mode == MODE_ATTACH || cfg->mode == MODE_AUTO)
		cfg->trace.Tflag = true;
	return 0;
}

void
launch_flags_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->trace.nenv; i++)
		free(cfg->trace.env[i]);
	free(cfg->trace.env);
	cfg->trace.env = NULL;
	cfg->trace.nenv = 0;
	free(cfg->trace.user);
	cfg->trace.user = NULL;
}
