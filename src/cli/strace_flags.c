/*
 * strace_flags.c: strace's flags about what is traced and shown, and the
 * ones iospy refuses.  Each means what it means in strace 6.1; a flag
 * iospy cannot honour is an error naming the flag and what to use, never
 * silently ignored.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/options.h"
#include "cli/strace_flags.h"
#include "model/filter.h"

static struct io_filter *
filt(struct config *cfg)
{
	if (cfg->filter == NULL)
		cfg->filter = filter_new();
	return cfg->filter;
}

static void
note(struct config *cfg, const char *fmt, ...)
{
	char line[2 * PATH_MAX + 128];
	size_t old = cfg->strace_notes ? strlen(cfg->strace_notes) : 0, n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	cfg->strace_notes = xrealloc(cfg->strace_notes, old + n + 2);
	memcpy(cfg->strace_notes + old, line, n);
	cfg->strace_notes[old + n] = '\n';
	cfg->strace_notes[old + n + 1] = '\0';
}

bool
strace_flags_owns(int c)
{
	if (c >= STRACE_OPT_TRACE && c < STRACE_OPT__END)
		return true;
	return c > 0 && c < 128 && c != ':' && strchr(STRACE_FLAGS_SHORT, c) != NULL;
}

/* -z / -Z: strace 6 says when both are given that the last wins. */
static int
status_only(struct config *cfg, bool ok, char *err, size_t errsz)
{
	if (cfg->zflags++ == 1)
		note(cfg, "Only the last of -z/--successful-only/-Z/--failed-only "
		    "options will take effect. See status qualifier for more "
		    "complex filters.");
	return filter_qualify(filt(cfg), ok ? "status=successful" :
	    "status=failed", err, errsz);
}

static int
prefixed(struct config *cfg, const char *q, const char *arg, char *err,
    size_t errsz)
{
	char *e = xmalloc(strlen(q) + strlen(arg) + 1);
	int rc;

	strcpy(e, q);
	strcat(e, arg);
	rc = filter_qualify(filt(cfg), e, err, errsz);
	free(e);
	return rc;
}

int
strace_flags_apply(struct config *cfg, int c, const char *arg, char *err,
    size_t errsz)
{
	switch (c) {
	case 'e':
		return filter_qualify(filt(cfg), arg, err, errsz);
	case STRACE_OPT_TRACE:
		return prefixed(cfg, "trace=", arg, err, errsz);
	case STRACE_OPT_SIGNAL:
		return prefixed(cfg, "signal=", arg, err, errsz);
	case STRACE_OPT_STATUS:
		return prefixed(cfg, "status=", arg, err, errsz);
	case 'z':
	case STRACE_OPT_SUCCESSFUL_ONLY:
		return status_only(cfg, true, err, errsz);
	case 'Z':
	case STRACE_OPT_FAILED_ONLY:
		return status_only(cfg, false, err, errsz);
	case 'P':
	case STRACE_OPT_TRACE_PATH:
		if (arg[0] == '\0')
			return util_fail(err, errsz, "-P: empty path");
		filter_add_path(filt(cfg), arg);
		return 0;
	case 'y':
		cfg->yflag++;
		filter_set_decode_fds(filt(cfg), FILTER_FD_PATH |
		    (cfg->yflag > 1 ? FILTER_FD_SOCKET | FILTER_FD_DEV : 0));
		return 0;
	case STRACE_OPT_DECODE_FDS:
		return prefixed(cfg, "decode-fds=", arg ? arg : "path", err,
		    errsz);
	case STRACE_OPT_SECCOMP_BPF:
		/* launch mode runs under a seccomp filter already */
		return 0;
	case 'F':
		/* strace's old spelling of -f: iospy always follows */
		return 0;
	case 'a':
		if (strcmp(arg, "40") == 0)
			return 0;	/* iospy aligns " = " at column 40 */
		return util_fail(err, errsz, "-a %s: iospy's event log aligns results "
		    "at column 40 only (strace's default)", arg);
	case 'X':
		if (strcmp(arg, "abbrev") == 0)
			return 0;
		return util_fail(err, errsz, "-X %s is not supported: iospy prints "
		    "constants as strace does by default (-X abbrev)", arg);
	case 'k':
	case STRACE_OPT_STACK_TRACE:
		return util_fail(err, errsz, "-k is strace's stack trace flag; use "
		    "--stack[=SIZE] (stacks of writes of at least SIZE bytes)");
	case 'i':
		return util_fail(err, errsz, "-i is not supported: iospy does not "
		    "print the instruction pointer (--stack shows the callers "
		    "of big writes)");
	case 'n':
		return util_fail(err, errsz, "-n is not supported: iospy does not "
		    "print syscall numbers");
	case 'Y':
		return util_fail(err, errsz, "-Y is not supported: iospy prints plain "
		    "pids (the report names each process)");
	case 'A':
		return util_fail(err, errsz, "-A is not supported: iospy's -o FILE "
		    "starts a new file (append with -o /dev/stdout >> FILE)");
	case 'b':
		return util_fail(err, errsz, "-b %s is not supported: iospy follows "
		    "every execve (use --duration SECS to stop early)", arg);
	case 'd':
		return util_fail(err, errsz, "-d is strace's own debug output; iospy "
		    "has none");
	case 'v':
		return util_fail(err, errsz, "-v is not supported: iospy's event log "
		    "abbreviates as strace does by default");
	case 'I':
		return util_fail(err, errsz, "-I %s is not supported: iospy lets "
		    "SIGINT, SIGTERM and SIGHUP end the trace (the command runs "
		    "on)", arg);
	default:
		return util_fail(err, errsz, "unhandled strace flag");
	}
}

void
strace_flags_finish(struct config *cfg)
{
	struct io_filter *f = cfg->filter;
	const char *const *paths;
	size_t n, i;

	if (f == NULL)
		return;
	if (filter_quiet_attach(f))
		cfg->trace.quiet = true;
	cfg->eventlog.decode_fds = filter_decode_fds(f);
	/* as strace: a -P path that is a symlink also selects its target */
	paths = filter_paths(f, &n);
	for (i = 0; i < n; i++) {
		char *r = realpath(paths[i], NULL);

		if (r != NULL && strcmp(r, paths[i]) != 0) {
			char a[PATH_MAX], b[PATH_MAX];

			if (!filter_quiet_path_resolution(f))
				note(cfg, "Requested path \"%s\" resolved into "
				    "\"%s\"", util_escape_path(paths[i], a,
				    sizeof(a)), util_escape_path(r, b, sizeof(b)));
			filter_add_path(f, r);
			paths = filter_paths(f, &n);
		}
		free(r);
	}
	cfg->trace.filter = f;
}

void
strace_flags_notes(const struct config *cfg, FILE *f)
{
	const char *p = cfg->strace_notes, *nl;

	/* one line each; the paths in them are escaped already */
	for (; p != NULL && *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		fprintf(f, "iospy: %.*s\n", (int)(nl - p), p);
	}
}

void
strace_flags_free(struct config *cfg)
{
	filter_free(cfg->filter);
	cfg->filter = NULL;
	cfg->trace.filter = NULL;
	free(cfg->strace_notes);
	cfg->strace_notes = NULL;
}
