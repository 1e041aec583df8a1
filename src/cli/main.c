/*
 * main.c: options -> struct config, then one source (tracer or replay)
 * into the pipeline and its sinks, then the report and the exit status.
 * The only place that turns errors into messages and exit codes.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/eventlog.h"
#include "analysis/limits.h"
#include "cli/options.h"
#include "model/pipeline.h"
#include "output/report.h"
#include "model/source.h"
#include "analysis/stats.h"
#include "replay/stracelog.h"
#include "live/ptrace/tracer.h"
#include "base/util.h"

#define EXIT_USAGE 2

static volatile sig_atomic_t stop_requested;

static void
on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: waitpid and read must return EINTR so the loop
	   notices the request and detaches */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

struct tick_ctx {
	FILE *f;
	struct stats *st;
};

static void
on_tick(void *ctx, int64_t now_ns)
{
	struct tick_ctx *t = ctx;

	report_interval(t->f, t->st, now_ns);
	fflush(t->f);
}

static FILE *
open_out(const char *path, const char *what)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		return stdout;
	f = fopen(path, "w");
	if (f == NULL)
		fprintf(stderr, "iospy: cannot open %s %s: %s\n", what, path,
		    strerror(errno));
	return f;
}

static void
close_out(FILE *f)
{
	if (f != NULL && f != stdout && f != stderr)
		fclose(f);
}

static bool
want_color(const struct config *cfg, FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (cfg->color == COLOR_NEVER)
		return false;
	if (cfg->color == COLOR_ALWAYS)
		return true;
	if (nc != NULL && nc[0] != '\0')
		return false;
	return isatty(fileno(f));
}

int
main(int argc, char **argv)
{
	struct config cfg;
	enum options_action action;
	char err[1024];
	struct pipeline *pl = NULL;
	struct stats *st = NULL;
	struct eventlog *elog = NULL, *elive = NULL;
	struct limits_result *lr = NULL;
	struct source_hooks hooks;
	struct tick_ctx tick;
	struct report_meta meta;
	struct tracer_result tres;
	struct stracelog_result rres;
	FILE *ofile = NULL, *rfile = NULL, *jfile = NULL, *jufile = NULL;
	int rc, status = 0;

	options_defaults(&cfg);
	rc = options_parse(&cfg, argc, argv, &action, err, sizeof(err));
	if (rc == OPTIONS_USAGE) {
		fprintf(stderr, "iospy: %s\n%s", err, options_usage);
		options_free(&cfg);
		return EXIT_USAGE;
	}
	if (rc == OPTIONS_EXIT) {
		if (action == OPTACT_HELP)
			fputs(options_help, stdout);
		else
			printf("iospy %s\n", PACKAGE_VERSION);
		options_free(&cfg);
		return 0;
	}
#ifndef HAVE_LIBUNWIND
	if (cfg.stack) {
		fprintf(stderr, "iospy: --stack is not available: this iospy was "
		    "built without libunwind (configure --with-libunwind)\n");
		options_free(&cfg);
		return EXIT_USAGE;
	}
#endif

	install_signals();
	memset(&hooks, 0, sizeof(hooks));
	memset(&meta, 0, sizeof(meta));
	memset(&tres, 0, sizeof(tres));
	memset(&rres, 0, sizeof(rres));
	hooks.stop = &stop_requested;

	pl = pipeline_new();
	st = stats_new(&cfg);
	if (cfg.outfile != NULL) {
		ofile = fopen(cfg.outfile, "w");
		if (ofile == NULL) {
			fprintf(stderr, "iospy: cannot open %s: %s\n", cfg.outfile,
			    strerror(errno));
			status = EXIT_USAGE;
			goto out;
		}
		elog = eventlog_new(ofile, &cfg);
		pipeline_add_sink(pl, eventlog_event, elog);
	}
	if (cfg.events) {
		elive = eventlog_new(stderr, &cfg);
		pipeline_add_sink(pl, eventlog_event, elive);
	}
	pipeline_add_sink(pl, stats_event, st);

	if (cfg.interval > 0) {
		tick.f = stderr;
		tick.st = st;
		hooks.tick = on_tick;
		hooks.tick_ctx = &tick;
		hooks.interval_ns = (int64_t)(cfg.interval * 1e9);
	}

	switch (cfg.mode) {
	case MODE_LAUNCH:
		meta.mode = "launch";
		meta.sources = (const char *const *)cfg.argv;
		rc = tracer_launch(&cfg, pl, &hooks, &tres, err, sizeof(err));
		stats_set_span(st, tres.start_ns, tres.end_ns);
		meta.pinned = tres.pinned;
		meta.stacks_unwound = tres.stacks_unwound;
		status = tres.exit_status;
		break;
	case MODE_ATTACH:
		meta.mode = "attach";
		rc = tracer_attach(&cfg, pl, &hooks, &tres, err, sizeof(err));
		stats_set_span(st, tres.start_ns, tres.end_ns);
		meta.pinned = tres.pinned;
		meta.stacks_unwound = tres.stacks_unwound;
		break;
	case MODE_REPLAY:
		meta.mode = "replay";
		meta.sources = (const char *const *)cfg.replay_files;
		if (cfg.interval > 0)
			tick.f = stdout;
		rc = stracelog_replay(&cfg, pl, &hooks, stderr, &rres, err,
		    sizeof(err));
		stats_set_span(st, rres.start_ns, rres.end_ns);
		meta.lines_skipped = rres.skipped;
		meta.unfinished = rres.unfinished;
		break;
	default:
		rc = -1;
		snprintf(err, sizeof(err), "nothing to do");
		break;
	}
	if (rc != 0) {
		fprintf(stderr, "iospy: %s\n", err);
		status = EXIT_USAGE;
		/* a command that could not run: 127/126 as a shell says */
		if (cfg.mode == MODE_LAUNCH && tres.exit_status != 0)
			status = tres.exit_status;
		/* what was seen before the failure is still reported */
	}

	lr = limits_check(st, &cfg);
	/* a run that failed before it saw anything has nothing to report */
	if (!cfg.no_report && (rc == 0 || tres.events > 0 || rres.events > 0)) {
		FILE *f;

		if (cfg.report_file != NULL)
			f = rfile = open_out(cfg.report_file, "report");
		else
			/* replay reports to stdout, unless the JSON goes there */
			f = cfg.mode == MODE_REPLAY && !(cfg.json_file != NULL &&
			    strcmp(cfg.json_file, "-") == 0) ? stdout : stderr;
		if (f != NULL)
			report_text(f, st, lr, &meta, &cfg, want_color(&cfg, f) &&
			    cfg.report_file == NULL);
		else
			status = EXIT_USAGE;
	}
	if (cfg.json_file != NULL) {
		jfile = open_out(cfg.json_file, "JSON report");
		if (jfile != NULL)
			report_json(jfile, st, lr, &meta, &cfg);
		else
			status = EXIT_USAGE;
	}
	if (cfg.limits.junit_file != NULL) {
		jufile = open_out(cfg.limits.junit_file, "JUnit file");
		if (jufile != NULL)
			limits_junit(jufile, lr, &cfg);
		else
			status = EXIT_USAGE;
	}
	if (rc == 0 && status != EXIT_USAGE && limits_broken(lr) > 0)
		status = cfg.limits.error_exitcode;

out:
	eventlog_free(elog);
	eventlog_free(elive);
	close_out(ofile);
	close_out(rfile);
	close_out(jfile);
	close_out(jufile);
	limits_free(lr);
	stats_free(st);
	pipeline_free(pl);
	options_free(&cfg);
	fflush(stdout);
	fflush(stderr);
	return status;
}
