/*
 * options.c: command-line and --limits file parsing into struct config.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "cli/strace_flags.h"
#include "cli/launch_flags.h"
#include "base/util.h"

const char options_usage[] =
"usage: iospy [options] [--] COMMAND [ARGS...]\n"
"       iospy [options] -p PID [-p PID...]\n"
"       iospy [options] --replay FILE...\n"
"       iospy --top [--once] [--interval SECS] [--json FILE]\n"
"       iospy [options] --auto[=SECS] [--duration SECS]\n"
"Try 'iospy --help' for more information.\n";

const char options_help[] =
"usage: iospy [options] [--] COMMAND [ARGS...]   launch and trace a command\n"
"       iospy [options] -p PID [-p PID...]       attach to running processes\n"
"       iospy [options] --replay FILE...         read recorded strace logs\n"
"       iospy --top [--once]                     who writes, system-wide\n"
"       iospy [options] --auto[=SECS]            find the top writer, trace it\n"
"\n"
"Trace the file writes, memory churn and log rotation of a process and\n"
"print a per-file report: who writes what, in how-large writes, at what rate.\n"
"\n"
"Tracing:\n"
"  -p, --pid PID          attach to PID and all its threads (repeatable)\n"
"  -E VAR=VAL, -E VAR     set or unset VAR for the command (repeatable)\n"
"  -u USER                run the command as USER's uid, gid and groups\n"
"                         (root only)\n"
"  -f, --follow-forks     follow forks, threads and exec (always on)\n"
"  -ff                    with -o FILE: one log per thread, FILE.TID, as\n"
"                         strace -ff writes them (replay: FILE.*)\n"
"      --duration SECS    stop tracing after SECS seconds and report; the\n"
"                         command runs on (see iospy(1) for ptrace)\n"
"      --replay           read strace logs given as FILE... ('-' = stdin;\n"
"                         .gz .xz .zst .bz2 are decompressed)\n"
"      --stack[=SIZE]     unwind the caller of every write of at least SIZE\n"
"                         bytes (default 1MiB, or --max-write)\n"
"      --engine=ENGINE    live engine: auto (bpf where it loads, else\n"
"                         ptrace), ptrace, bpf\n"
"      --wait=MODE        how to wait for the tracee: auto, spin, block\n"
"      --pin[=CPU]        run iospy and the traced threads on one CPU\n"
"      --no-seccomp       stop on every syscall in launch mode\n"
"\n"
"System-wide (nothing traced, /proc only):\n"
"      --top              refreshing view: each disk's w/s, wkB/s, w_await,\n"
"                         %util, then processes by bytes/s written (q quits)\n"
"      --once             with --top: one sample over --interval (1 s),\n"
"                         printed (or --json FILE), then exit\n"
"      --auto[=SECS]      sample SECS (3), attach to the top writer for\n"
"                         --duration (5 s) and report it below its disk\n"
"\n"
"strace's filters (the report, limits and event log see only these calls):\n"
"  -e trace=SET           only these syscalls: names, %file, %desc, %memory,\n"
"                         %process, %network, %signal..., !SET, ?name, all\n"
"  -e status=SET          successful, failed, unfinished; -z: successful only,\n"
"                         -Z: failed only\n"
"  -e signal=SET          only these signals in the event log\n"
"  -P PATH                only calls touching PATH (repeatable)\n"
"  -y, -yy                fd paths (always shown); -yy: sockets by protocol\n"
"\n"
"Event log (strace format):\n"
"  -o, --output FILE      write decoded events to FILE\n"
"      --events           print decoded events to stderr as they happen\n"
"  -s, --string-limit N   print at most N bytes of written data (32)\n"
"  -t, -tt, -ttt          prefix events with time, with us, as epoch\n"
"  -T                     show the time spent in each call\n"
"  -r                     prefix events with the time since the previous one\n"
"  -x, -xx                non-ASCII strings in hex; all strings in hex\n"
"  -c, -C                 strace's summary table (calls, errors, time per\n"
"                         syscall) instead of the events; -C: and them too\n"
"  -w                     accepted: the summary is wall time in the call\n"
"  -q, --quiet            no attach/detach messages\n"
"\n"
"Report:\n"
"      --report FILE      write the text report to FILE (default: stderr\n"
"                         when tracing, stdout when replaying)\n"
"      --json FILE        write the report as JSON to FILE ('-' = stdout)\n"
"      --no-report        do not print the text report\n"
"      --no-progress      no status line on a terminal (replay progress,\n"
"                         attach status)\n"
"      --show N           the text report shows the top N files, processes\n"
"                         and directories (10); the rest in one line each\n"
"      --all              the text report shows everything (the JSON always does)\n"
"      --max-files N      keep at most N file records (200000; 0 = no cap):\n"
"                         past it the smallest files fold into one record\n"
"                         per directory, totals stay exact\n"
"      --color[=WHEN]     colour the report: auto, always, never\n"
"      --interval SECS    print a line per active file every SECS seconds\n"
"                         (--top: seconds between samples, default 1)\n"
"      --notable-write SIZE   writes this large are findings (1MiB)\n"
"      --notable-churn RATIO  mapped/written ratio that is a finding (1.0)\n"
"      --notable-rate SIZE    bytes/s to one file that is a finding (10MiB)\n"
"      --notable-latency SECS p99 time of the writes to a file that is a\n"
"                             finding (0.1; over at least 10 timed writes)\n"
"      --churn-min-map SIZE   anonymous maps counted as churn (1MiB)\n"
"\n"
"Limits (CI):\n"
"      --max-write SIZE       largest single write-like call to a file\n"
"      --max-file-bytes SIZE  total bytes written to any one file\n"
"      --max-total-bytes SIZE total bytes written to all files\n"
"      --max-churn RATIO      anonymous bytes mapped per byte written\n"
"      --fail-on WHAT         rotation, deleted-backup, write-to-deleted\n"
"                             (comma-separated, repeatable)\n"
"      --path GLOB            limits apply only to matching files, and the\n"
"                             text report shows only them (repeatable)\n"
"      --exclude GLOB         limits and the text report ignore matching\n"
"                             files (repeatable)\n"
"      --limits FILE          read 'key = value' limits from FILE\n"
"      --junit FILE           write the limit verdicts as JUnit XML\n"
"      --error-exitcode N     exit status when a limit is broken (1)\n"
"\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"SIZE: 4096, 4k, 4KiB, 1M, 1MiB, 1.5G (binary units: k = 1024).\n"
"Exit status: the command's own status (launch) or 0; 1 (or\n"
"--error-exitcode N) when a limit is broken; 2 on usage errors or failures.\n"
"See iospy(1).\n";

enum {
	OPT_REPLAY = 256, OPT_DURATION, OPT_REPORT, OPT_JSON, OPT_NO_REPORT,
	OPT_COLOR, OPT_INTERVAL, OPT_NOTABLE_WRITE, OPT_NOTABLE_CHURN,
	OPT_NOTABLE_RATE, OPT_CHURN_MIN_MAP, OPT_MAX_WRITE, OPT_MAX_FILE_BYTES,
	OPT_MAX_TOTAL_BYTES, OPT_MAX_CHURN, OPT_FAIL_ON, OPT_PATH, OPT_EXCLUDE,
	OPT_LIMITS, OPT_JUNIT, OPT_ERROR_EXITCODE, OPT_STACK, OPT_WAIT, OPT_PIN,
	OPT_NO_SECCOMP, OPT_TOP, OPT_ONCE, OPT_AUTO, OPT_ENGINE, OPT_SHOW,
	OPT_ALL, OPT_NOTABLE_LATENCY, OPT_EVENTS, OPT_MAX_FILES,
	OPT_NO_PROGRESS,
};

static const struct option long_options[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "follow-forks", no_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "events", no_argument, NULL, OPT_EVENTS },
	{ "string-limit", required_argument, NULL, 's' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "replay", no_argument, NULL, OPT_REPLAY },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "no-report", no_argument, NULL, OPT_NO_REPORT },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "notable-write", required_argument, NULL, OPT_NOTABLE_WRITE },
	{ "notable-churn", required_argument, NULL, OPT_NOTABLE_CHURN },
	{ "notable-rate", required_argument, NULL, OPT_NOTABLE_RATE },
	{ "notable-latency", required_argument, NULL, OPT_NOTABLE_LATENCY },
	{ "churn-min-map", required_argument, NULL, OPT_CHURN_MIN_MAP },
	{ "max-write", required_argument, NULL, OPT_MAX_WRITE },
	{ "max-file-bytes", required_argument, NULL, OPT_MAX_FILE_BYTES },
	{ "max-total-bytes", required_argument, NULL, OPT_MAX_TOTAL_BYTES },
	{ "max-churn", required_argument, NULL, OPT_MAX_CHURN },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "max-files", required_argument, NULL, OPT_MAX_FILES },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "limits", required_argument, NULL, OPT_LIMITS },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "error-exitcode", required_argument, NULL, OPT_ERROR_EXITCODE },
	{ "stack", optional_argument, NULL, OPT_STACK },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "pin", optional_argument, NULL, OPT_PIN },
	{ "no-seccomp", no_argument, NULL, OPT_NO_SECCOMP },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "top", no_argument, NULL, OPT_TOP },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "auto", optional_argument, NULL, OPT_AUTO },
	STRACE_FLAGS_LONG_OPTIONS,
	LAUNCH_FLAGS_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/* Fill cfg with defaults. */
void
options_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->trace.follow = true;
	cfg->trace.strsize = 32;
	cfg->color = COLOR_AUTO;
	cfg->notable.write_size = 1ULL << 20;
	cfg->notable.churn = 1.0;
	cfg->notable.churn_map = 1ULL << 20;
	cfg->notable.rate = 10ULL << 20;
	cfg->notable.latency_ns = 100000000;
	cfg->notable.latency_min = 10;
	cfg->limits.error_exitcode = 1;
	cfg->eventlog.strsize = 32;
	cfg->trace.stack_min = 1ULL << 20;
	cfg->trace.wait = WAIT_AUTO;
	cfg->trace.pin_cpu = -1;
	cfg->trace.seccomp = true;
	cfg->auto_secs = 3;
	cfg->report.show = 10;
	cfg->max_files = STATS_MAX_FILES_DEFAULT;
}

static void
strv_push(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
}

static int
add_pids(struct config *cfg, const char *arg, char *err, size_t errsz)
{
	const char *p = arg;

	/* "-p 1,2,3" and "-p '1 2 3'" as strace accepts */
	while (*p != '\0') {
		char *end;
		long v;

		if (*p == ',' || isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		errno = 0;
		v = strtol(p, &end, 10);
		if (errno != 0 || end == p || v <= 0 || v > INT_MAX ||
		    (*end != '\0' && *end != ',' && !isspace((unsigned char)*end)))
			return util_fail(err, errsz, "invalid process id: '%s'", arg);
		cfg->trace.pids = xrealloc(cfg->trace.pids, (cfg->trace.npids + 1) * sizeof(pid_t));
		cfg->trace.pids[cfg->trace.npids++] = (pid_t)v;
		p = end;
	}
	if (cfg->trace.npids == 0)
		return util_fail(err, errsz, "invalid process id: '%s'", arg);
	return 0;
}

static int
parse_size_opt(const char *name, const char *v, uint64_t *out,
    char *err, size_t errsz)
{
	if (util_parse_size(v, out) != 0)
		return util_fail(err, errsz,
		    "invalid size for %s: '%s' (examples: 4096, 4k, 1MiB, 1.5G)",
		    name, v);
	return 0;
}

static int
parse_ratio(const char *name, const char *v, double *out, char *err,
    size_t errsz)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(d >= 0))
		return util_fail(err, errsz, "invalid ratio for %s: '%s'", name, v);
	*out = d;
	return 0;
}

static int
parse_fail_on(struct config *cfg, const char *v, char *err, size_t errsz)
{
	const char *p = v;

	while (*p != '\0') {
		size_t n;

		while (isspace((unsigned char)*p))
			p++;
		n = strcspn(p, ",");
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;

		if (n == 8 && strncmp(p, "rotation", n) == 0)
			cfg->limits.fail_on |= FAIL_ON_ROTATION;
		else if (n == 14 && strncmp(p, "deleted-backup", n) == 0)
			cfg->limits.fail_on |= FAIL_ON_DELETED_BACKUP;
		else if (n == 16 && strncmp(p, "write-to-deleted", n) == 0)
			cfg->limits.fail_on |= FAIL_ON_WRITE_TO_DELETED;
		else if (n > 0)
			return util_fail(err, errsz,
			    "invalid --fail-on value: '%.*s' (expected rotation, "
			    "deleted-backup or write-to-deleted)", (int)n, p);
		p += n;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int
parse_int(const char *name, const char *v, long lo, long hi, long *out,
    char *err, size_t errsz)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < lo || n > hi)
		return util_fail(err, errsz, "invalid value for %s: '%s'", name, v);
	*out = n;
	return 0;
}

/* Apply one long option by name; shared by the command line and --limits. */
static int
apply(struct config *cfg, int opt, const char *name, const char *v,
    char *err, size_t errsz)
{
	long n;
	double d;

	switch (opt) {
	case OPT_NOTABLE_WRITE:
		return parse_size_opt(name, v, &cfg->notable.write_size, err, errsz);
	case OPT_NOTABLE_CHURN:
		return parse_ratio(name, v, &cfg->notable.churn, err, errsz);
	case OPT_NOTABLE_RATE:
		return parse_size_opt(name, v, &cfg->notable.rate, err, errsz);
	case OPT_NOTABLE_LATENCY:
		if (util_parse_seconds(v, &d) != 0 || d <= 0 || d > 86400)
			return util_fail(err, errsz, "invalid --notable-latency: '%s' "
			    "(seconds, e.g. 0.1)", v);
		cfg->notable.latency_ns = (int64_t)(d * 1e9);
		return 0;
	case OPT_CHURN_MIN_MAP:
		return parse_size_opt(name, v, &cfg->notable.churn_map, err, errsz);
	case OPT_MAX_WRITE:
		cfg->limits.has_max_write = true;
		return parse_size_opt(name, v, &cfg->limits.max_write, err, errsz);
	case OPT_MAX_FILE_BYTES:
		cfg->limits.has_max_file_bytes = true;
		return parse_size_opt(name, v, &cfg->limits.max_file_bytes, err, errsz);
	case OPT_MAX_TOTAL_BYTES:
		cfg->limits.has_max_total_bytes = true;
		return parse_size_opt(name, v, &cfg->limits.max_total_bytes, err, errsz);
	case OPT_MAX_CHURN:
		cfg->limits.has_max_churn = true;
		return parse_ratio(name, v, &cfg->limits.max_churn, err, errsz);
	case OPT_FAIL_ON:
		return parse_fail_on(cfg, v, err, errsz);
	case OPT_PATH:
		strv_push(&cfg->limits.paths, &cfg->limits.npaths, v);
		return 0;
	case OPT_EXCLUDE:
		strv_push(&cfg->limits.excludes, &cfg->limits.nexcludes, v);
		return 0;
	case OPT_JUNIT:
		cfg->limits.junit_file = v;
		return 0;
	case OPT_ERROR_EXITCODE:
		if (parse_int(name, v, 1, 255, &n, err, errsz) != 0)
			return -1;
		cfg->limits.error_exitcode = (int)n;
		return 0;
	case OPT_DURATION:
		if (util_parse_seconds(v, &d) != 0 || d <= 0)
			return util_fail(err, errsz, "invalid --duration: '%s' (seconds)", v);
		cfg->trace.duration = d;
		return 0;
	case OPT_INTERVAL:
		if (util_parse_seconds(v, &d) != 0 || d <= 0)
			return util_fail(err, errsz, "invalid --interval: '%s' (seconds)", v);
		cfg->report.interval = d;
		cfg->interval_set = true;
		return 0;
	case OPT_STACK:
		cfg->trace.stack = true;
		if (v != NULL) {
			cfg->stack_min_set = true;
			return parse_size_opt(name, v, &cfg->trace.stack_min, err, errsz);
		}
		return 0;
	default:
		return util_fail(err, errsz, "unknown setting '%s'", name);
	}
}

/* Apply one "key = value" setting as from a --limits file. */
int
options_set(struct config *cfg, const char *key, const char *value,
    char *err, size_t errsz)
{
	static const int allowed[] = {
		OPT_MAX_WRITE, OPT_MAX_FILE_BYTES, OPT_MAX_TOTAL_BYTES,
		OPT_MAX_CHURN, OPT_FAIL_ON, OPT_PATH, OPT_EXCLUDE, OPT_JUNIT,
		OPT_ERROR_EXITCODE, OPT_NOTABLE_WRITE, OPT_NOTABLE_CHURN,
		OPT_NOTABLE_RATE, OPT_CHURN_MIN_MAP, OPT_DURATION, OPT_STACK,
		OPT_NOTABLE_LATENCY,
	};
	const struct option *o;
	size_t i;

	for (o = long_options; o->name != NULL; o++) {
		if (strcmp(o->name, key) != 0)
			continue;
		for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
			if (allowed[i] == o->val)
				return apply(cfg, o->val, key, value, err, errsz);
		break;
	}
	return util_fail(err, errsz, "unknown limit '%s'", key);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Read a --limits file. */
int
options_load_limits(struct config *cfg, const char *path, char *err,
    size_t errsz)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0;

	if (f == NULL)
		return util_fail(err, errsz, "cannot open limits file %s: %s", path,
		    strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p, *eq, *key, *val, e2[256];

		lineno++;
		p = strchr(line, '#');
		if (p != NULL)
			*p = '\0';
		p = trim(line);
		if (*p == '\0')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			fclose(f);
			return util_fail(err, errsz, "%s:%d: expected 'key = value'",
			    path, lineno);
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		/* values may be quoted */
		if (val[0] == '"' && strlen(val) >= 2 && val[strlen(val) - 1] == '"') {
			val[strlen(val) - 1] = '\0';
			val++;
		}
		/* the config keeps pointers for some settings: keep a copy */
		val = xstrdup(val);
		if (options_set(cfg, key, val, e2, sizeof(e2)) != 0) {
			free(val);
			fclose(f);
			return util_fail(err, errsz, "%s:%d: %s", path, lineno, e2);
		}
		/* strings the config points at (junit path) stay allocated for
		   the life of the run; free the rest */
		if (strcmp(key, "junit") != 0)
			free(val);
	}
	fclose(f);
	return 0;
}

/* The settings two layers read, parsed once into trace: copy them. */
static int
fill_shared(struct config *cfg, char *err, size_t errsz)
{
	cfg->trace.read_data = cfg->outfile != NULL || cfg->events;
	cfg->eventlog.strsize = cfg->trace.strsize;
	cfg->eventlog.Tflag = cfg->trace.Tflag;
	cfg->report.duration = cfg->trace.duration;
	cfg->report.stack = cfg->trace.stack;
	cfg->report.stack_min = cfg->trace.stack_min;
	cfg->report.paths = cfg->limits.paths;
	cfg->report.npaths = cfg->limits.npaths;
	cfg->report.excludes = cfg->limits.excludes;
	cfg->report.nexcludes = cfg->limits.nexcludes;
	strace_flags_finish(cfg);
	return launch_flags_finish(cfg, err, errsz);
}

/* Parse argv into cfg. */
int
options_parse(struct config *cfg, int argc, char **argv,
    enum options_action *action, char *err, size_t errsz)
{
	bool replay = false, top = false, autod = false;
	int nf = 0;
	char **positional = NULL;
	size_t npos = 0;
	int c, idx;
	long n;

	*action = OPTACT_NONE;
	err[0] = '\0';
	optind = 0;	/* reset getopt (tests call us more than once) */
	opterr = 0;
	for (;;) {
		idx = -1;
		c = getopt_long(argc, argv, "+:hVp:fo:s:tTq" STRACE_FLAGS_SHORT
		    LAUNCH_FLAGS_SHORT, long_options, &idx);
		if (c == -1) {
			/*
			 * A non-option argument.  In replay mode it is a file and
			 * options may follow; otherwise it starts the command.
			 */
			if (optind < argc && replay &&
			    strcmp(argv[optind - 1], "--") != 0) {
				strv_push(&positional, &npos, argv[optind]);
				optind++;
				continue;
			}
			break;
		}
		if (launch_flags_owns(c)) {
			if (launch_flags_apply(cfg, c, optarg, err, errsz) != 0)
				goto usage;
			continue;
		}
		if (strace_flags_owns(c)) {
			if (strace_flags_apply(cfg, c, optarg, err, errsz) != 0)
				goto usage;
			continue;
		}
		switch (c) {
		case 'h':
			*action = OPTACT_HELP;
			goto exit_ok;
		case 'V':
			*action = OPTACT_VERSION;
			goto exit_ok;
		case 'p':
			if (add_pids(cfg, optarg, err, errsz) != 0)
				goto usage;
			break;
		case 'f':
			/* -ff: one log per process with -o, as strace */
			cfg->ff = ++nf >= 2;
			cfg->trace.follow = true;
			break;
		case 'o':
			cfg->outfile = optarg;
			break;
		case OPT_EVENTS:
			cfg->events = true;
			break;
		case 's':
			if (parse_int("-s", optarg, 0, 1 << 30, &n, err, errsz) != 0)
				goto usage;
			cfg->trace.strsize = (int)n;
			break;
		case 't':
			if (cfg->eventlog.tflag < 3)
				cfg->eventlog.tflag++;
			break;
		case 'T':
			cfg->trace.Tflag = true;
			break;
		case 'q':
			cfg->trace.quiet = true;
			break;
		case OPT_REPLAY:
			replay = true;
			break;
		case OPT_REPORT:
			cfg->report_file = optarg;
			break;
		case OPT_JSON:
			cfg->json_file = optarg;
			break;
		case OPT_NO_REPORT:
			cfg->no_report = true;
			break;
		case OPT_NO_PROGRESS:
			cfg->no_progress = true;
			break;
		case OPT_COLOR:
			if (optarg == NULL || strcmp(optarg, "always") == 0)
				cfg->color = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				cfg->color = COLOR_NEVER;
			else if (strcmp(optarg, "auto") == 0)
				cfg->color = COLOR_AUTO;
			else {
				util_fail(err, errsz, "invalid --color: '%s' (auto, always, never)", optarg);
				goto usage;
			}
			break;
		case OPT_WAIT:
			if (strcmp(optarg, "auto") == 0)
				cfg->trace.wait = WAIT_AUTO;
			else if (strcmp(optarg, "spin") == 0)
				cfg->trace.wait = WAIT_SPIN;
			else if (strcmp(optarg, "block") == 0)
				cfg->trace.wait = WAIT_BLOCK;
			else {
				util_fail(err, errsz, "invalid --wait: '%s' (auto, spin, block)", optarg);
				goto usage;
			}
			break;
		case OPT_PIN:
			cfg->trace.pin = true;
			if (optarg != NULL) {
				if (parse_int("--pin", optarg, 0, 4095, &n, err, errsz) != 0)
					goto usage;
				cfg->trace.pin_cpu = (int)n;
			}
			break;
		case OPT_NO_SECCOMP:
			cfg->trace.seccomp = false;
			break;
		case OPT_ENGINE:
			if (strcmp(optarg, "auto") == 0)
				cfg->trace.engine = ENGINE_AUTO;
			else if (strcmp(optarg, "ptrace") == 0)
				cfg->trace.engine = ENGINE_PTRACE;
			else if (strcmp(optarg, "bpf") == 0)
				cfg->trace.engine = ENGINE_BPF;
			else {
				util_fail(err, errsz, "invalid --engine: '%s' (auto, ptrace, bpf)", optarg);
				goto usage;
			}
			break;
		case OPT_TOP:
			top = true;
			break;
		case OPT_ONCE:
			cfg->once = true;
			break;
		case OPT_AUTO:
			autod = true;
			if (optarg != NULL && (util_parse_seconds(optarg,
			    &cfg->auto_secs) != 0 || cfg->auto_secs <= 0)) {
				util_fail(err, errsz, "invalid --auto: '%s' (seconds)", optarg);
				goto usage;
			}
			break;
		case OPT_SHOW:
			if (parse_int("--show", optarg, 1, 1 << 30, &n, err,
			    errsz) != 0)
				goto usage;
			cfg->report.show = (size_t)n;
			break;
		case OPT_ALL:
			cfg->report.show = 0;
			break;
		case OPT_MAX_FILES:
			if (parse_int("--max-files", optarg, 0, 1 << 30, &n, err,
			    errsz) != 0)
				goto usage;
			cfg->max_files = (uint64_t)n;
			break;
		case OPT_LIMITS:
			if (options_load_limits(cfg, optarg, err, errsz) != 0)
				goto usage;
			break;
		case ':':
			util_fail(err, errsz, "option '%s' requires an argument",
			    argv[optind - 1]);
			goto usage;
		case '?':
			if (optopt != 0)
				util_fail(err, errsz, "invalid option -- '%c'", optopt);
			else
				util_fail(err, errsz, "unrecognized option '%s'",
				    argv[optind - 1]);
			goto usage;
		default:
			if (apply(cfg, c, idx >= 0 ? long_options[idx].name : "?",
			    optarg, err, errsz) != 0)
				goto usage;
			break;
		}
	}

	if (cfg->once && !top) {
		util_fail(err, errsz, "--once goes with --top");
		goto usage;
	}
	if (top || autod) {
		const char *what = top ? "--top" : "--auto";

		if (top && autod) {
			util_fail(err, errsz, "--top and --auto cannot be used together");
			goto usage;
		}
		if (replay || cfg->trace.npids > 0 || optind < argc) {
			util_fail(err, errsz, "%s takes no COMMAND, -p PID or --replay", what);
			goto usage;
		}
		cfg->mode = top ? MODE_TOP : MODE_AUTO;
		if (top && !cfg->interval_set)
			cfg->report.interval = 1;
		if (autod && cfg->trace.duration <= 0)
			cfg->trace.duration = 5;
		if (cfg->trace.stack && !cfg->stack_min_set &&
		    cfg->limits.has_max_write)
			cfg->trace.stack_min = cfg->limits.max_write;
		if (fill_shared(cfg, err, errsz) != 0)
			goto usage;
		return OPTIONS_OK;
	}
	if (replay) {
		size_t i;

		for (i = optind; i < (size_t)argc; i++)
			strv_push(&positional, &npos, argv[i]);
		if (npos == 0) {
			util_fail(err, errsz, "--replay needs at least one FILE ('-' for stdin)");
			goto usage;
		}
		if (cfg->trace.npids > 0) {
			util_fail(err, errsz, "--replay and -p cannot be used together");
			goto usage;
		}
		cfg->mode = MODE_REPLAY;
		cfg->replay.files = positional;
		cfg->replay.nfiles = npos;
		positional = NULL;
	} else if (cfg->trace.npids > 0) {
		if (optind < argc) {
			util_fail(err, errsz, "-p and a COMMAND cannot be used together");
			goto usage;
		}
		cfg->mode = MODE_ATTACH;
	} else if (optind < argc) {
		int i;

		cfg->mode = MODE_LAUNCH;
		cfg->trace.argc = argc - optind;
		cfg->trace.argv = xcalloc((size_t)cfg->trace.argc + 1, sizeof(char *));
		for (i = 0; i < cfg->trace.argc; i++)
			cfg->trace.argv[i] = argv[optind + i];
	} else {
		util_fail(err, errsz, "must have COMMAND to run, -p PID or --replay FILE");
		goto usage;
	}
	if (cfg->trace.stack && !cfg->stack_min_set && cfg->limits.has_max_write)
		cfg->trace.stack_min = cfg->limits.max_write;
	if (fill_shared(cfg, err, errsz) != 0)
		goto usage;
	return OPTIONS_OK;

exit_ok:
	free(positional);
	return OPTIONS_EXIT;
usage:
	if (positional != NULL) {
		size_t i;

		for (i = 0; i < npos; i++)
			free(positional[i]);
		free(positional);
	}
	return OPTIONS_USAGE;
}

/* Free what options_parse allocated. */
void
options_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->replay.nfiles; i++)
		free(cfg->replay.files[i]);
	free(cfg->replay.files);
	for (i = 0; i < cfg->limits.npaths; i++)
		free(cfg->limits.paths[i]);
	free(cfg->limits.paths);
	for (i = 0; i < cfg->limits.nexcludes; i++)
		free(cfg->limits.excludes[i]);
	free(cfg->limits.excludes);
	free(cfg->trace.argv);
	free(cfg->trace.pids);
	strace_flags_free(cfg);
	launch_flags_free(cfg);
	cfg->replay.files = NULL;
	cfg->replay.nfiles = 0;
	cfg->trace.argv = NULL;
	cfg->trace.pids = NULL;
}
