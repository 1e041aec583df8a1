/*
 * main.c: options -> struct config, then one source (tracer or replay)
 * into the pipeline and its sinks, then the report and the exit status.
 * The only place that turns errors into messages and exit codes.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/eventlog.h"
#include "output/report_summary.h"
#include "analysis/limits.h"
#include "cli/live_status.h"
#include "cli/options.h"
#include "cli/strace_flags.h"
#include "model/filter.h"
#include "model/pipeline.h"
#include "output/report.h"
#include "output/progress.h"
#include "output/report_system.h"
#include "model/source.h"
#include "analysis/stats.h"
#include "replay/replay_progress.h"
#include "replay/stracelog.h"
#include "system/sampler.h"
#include "system/top.h"
#include "system/window.h"
#include "live/attachable.h"
#include "live/bpf/engine.h"
#include "live/ptrace/tracer.h"
#include "live/sockname.h"
#include "base/util.h"

#define EXIT_USAGE 2

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t stop_signal;

static void
on_stop_signal(int sig)
{
	if (!stop_requested)
		stop_signal = sig;
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
	FILE *f;		/* --interval lines, or NULL */
	struct stats *st;
	struct progress *prog;	/* the status line to erase first, or NULL */
	struct live_status *ls;	/* attach: the status line to redraw */
	int64_t iv_ns, iv_next;	/* with ls: --interval's own period */
};

static void
on_tick(void *ctx, int64_t now_ns)
{
	struct tick_ctx *t = ctx;

	int64_t mono = util_mono_ns();

	/* with the status line, ticks come every progress_period(), the
	   first one period after the trace began */
	if (t->iv_ns > 0 && t->iv_next == 0)
		t->iv_next = mono - progress_period() + t->iv_ns;
	if (t->f != NULL && (t->iv_ns == 0 || mono >= t->iv_next)) {
		progress_clear(t->prog);
		report_interval(t->f, t->st, now_ns);
		fflush(t->f);
		t->iv_next += t->iv_ns;
		if (t->iv_next <= mono)
			t->iv_next = mono + t->iv_ns;
	}
	if (t->ls != NULL && progress_due(t->prog))
		live_status_draw(t->ls);
}

/* A status line on stderr: a terminal, not asked away, and no event
   lines (--events) streaming to it. */
static bool
want_status(const struct config *cfg)
{
	return !cfg->no_progress && !cfg->events && isatty(STDERR_FILENO);
}

/*
 * Attach mode on a terminal: a status line redrawn by the trace's tick
 * (every progress_period(), --interval lines at their own period), and
 * stderr pointed at a stream that erases it before any message.
 */
static void
status_begin(struct tick_ctx *tick, struct source_hooks *hooks,
    struct live_status *ls, struct stats *st, const struct config *cfg,
    FILE **saved_stderr)
{
	int64_t now = util_mono_ns();

	memset(ls, 0, sizeof(*ls));
	ls->line = tick->prog = progress_new(STDERR_FILENO);
	ls->st = st;
	ls->start_mono = now;
	ls->duration_ns = (int64_t)(cfg->trace.duration * 1e9);
	ls->npids = cfg->trace.npids;
	ls->pid = cfg->trace.npids > 0 ? cfg->trace.pids[0] : 0;
	tick->ls = ls;
	if (hooks->tick != NULL && hooks->interval_ns > 0) {
		tick->iv_ns = hooks->interval_ns;
		tick->iv_next = 0;	/* set at the first tick */
	}
	if (hooks->interval_ns == 0 || hooks->interval_ns > progress_period())
		hooks->interval_ns = progress_period();
	hooks->tick = on_tick;
	hooks->tick_ctx = tick;
	*saved_stderr = stderr;
	stderr = progress_stream(tick->prog, *saved_stderr);
}

static void
status_end(struct tick_ctx *tick, FILE *saved_stderr)
{
	if (tick->prog == NULL)
		return;
	stderr = saved_stderr;
	progress_free(tick->prog);
	tick->prog = NULL;
	tick->ls = NULL;
}

/*
 * One output (the event log, the text report, the JSON, the JUnit file).
 * All are opened before tracing starts, so a bad path fails at once, and
 * checked after the last write: a write that failed is exit 2 with a
 * message, never a silent loss.
 */
struct output {
	const char *what;	/* "JSON report" */
	const char *path;	/* as given; "-" = stdout */
	FILE *f;
	int err;		/* errno of the first failure seen */
};

/* fds 0-2 that were closed when iospy started (held on /dev/null). */
static bool std_closed[3];

/*
 * A closed stdin, stdout or stderr would be reused by the first file iospy
 * opens: hold each on /dev/null, close-on-exec so the command still finds
 * it closed, and remember it so that output meant for it is an error.
 */
static void
hold_std_fds(void)
{
	int fd, nfd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		std_closed[fd] = true;
		nfd = open("/dev/null", (fd == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
		if (nfd >= 0 && nfd != fd) {
			dup3(nfd, fd, O_CLOEXEC);
			close(nfd);
		}
	}
}

static bool
open_out(struct output *o, const char *what, const char *path)
{
	o->what = what;
	o->path = path;
	o->err = 0;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		if (std_closed[1]) {
			fprintf(stderr, "iospy: cannot write the %s to stdout: "
			    "stdout is closed\n", what);
			o->f = NULL;
			return false;
		}
		return true;
	}
	o->f = fopen(path, "we");
	if (o->f == NULL) {
		fprintf(stderr, "iospy: cannot open %s %s: %s\n", what, path,
		    strerror(errno));
		return false;
	}
	return true;
}

/*
 * -ff -o FILE: FILE.TID files are created as threads appear; say now, not
 * after the trace, if FILE's directory cannot take them.
 */
static bool
ff_writable(const char *base)
{
	char dir[4096];
	const char *slash = strrchr(base, '/');

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == base ? 1 :
		    (int)(slash - base), base);
	if (access(dir, W_OK | X_OK) != 0) {
		fprintf(stderr, "iospy: cannot write the event logs %s.PID: "
		    "%s: %s\n", base, dir, strerror(errno));
		return false;
	}
	return true;
}

/* Note a failed write to o (rc of the writer, errno right after it). */
static void
out_check(struct output *o, int rc)
{
	int e = errno;

	if (o->f == NULL || o->err != 0)
		return;
	if (fflush(o->f) != 0 && e == 0)
		e = errno;
	if (rc != 0 || ferror(o->f))
		o->err = e != 0 ? e : EIO;
}

/* Close o (unless a standard stream); false if anything written failed. */
static bool
close_out(struct output *o)
{
	bool std = o->f == stdout || o->f == stderr;

	if (o->f == NULL)
		return true;
	errno = 0;
	out_check(o, 0);
	if (!std && fclose(o->f) != 0 && o->err == 0)
		o->err = errno != 0 ? errno : EIO;
	if (std && o->err == 0 && std_closed[o->f == stdout ? 1 : 2])
		o->err = EBADF;
	o->f = NULL;
	return o->err == 0;
}

/* The message for a failed output; launch mode adds the command's status. */
static void
out_failed(const struct output *o, const struct config *cfg, int cmd_status)
{
	const char *to = strcmp(o->path, "-") == 0 ? "stdout" : o->path;

	fprintf(stderr, "iospy: cannot write the %s to %s: %s", o->what, to,
	    o->err == EBADF && (strcmp(to, "stdout") == 0 ||
	    strcmp(to, "stderr") == 0) ? "it is closed" : strerror(o->err));
	if (cfg->mode == MODE_LAUNCH)
		fprintf(stderr, " (the command exited with %d)", cmd_status);
	fputc('\n', stderr);
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

/* The system layer's settings from the command line. */
static void
system_settings_from(const struct config *cfg, struct system_settings *set)
{
	system_settings_defaults(set);
	set->interval = cfg->report.interval > 0 ? cfg->report.interval : 1;
	set->once = cfg->once;
	set->json_file = cfg->json_file;
	set->auto_secs = cfg->auto_secs;
	set->exclude_pid = getpid();
}

/*
 * --auto: sample the system for set->auto_secs and put the top writer's
 * pid into cfg (attach mode).  Returns 0, or -1 with err set.
 */
static int
auto_pick(struct config *cfg, const struct system_settings *set, char *err,
    size_t errsz)
{
	struct sys_sample a, b;
	struct sys_rates r;
	const struct sys_proc_rate *top;
	struct timespec ts;
	char name[256], x[64], y[64];

	if (sampler_take(set, &a, err, errsz) != 0)
		return -1;
	ts.tv_sec = (time_t)set->auto_secs;
	ts.tv_nsec = (long)((set->auto_secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !stop_requested)
		;
	if (stop_requested) {
		sampler_sample_free(&a);
		snprintf(err, errsz, "interrupted while sampling");
		return -1;
	}
	if (sampler_take(set, &b, err, errsz) != 0) {
		sampler_sample_free(&a);
		return -1;
	}
	sampler_rates(&a, &b, &r);
	top = sampler_top_writer(&r, set->exclude_pid);
	if (top == NULL) {
		snprintf(err, errsz, "no process wrote anything in %.1f s "
		    "(%zu processes, %zu unreadable)", r.secs, r.total,
		    r.unreadable);
		sampler_rates_free(&r);
		sampler_sample_free(&a);
		sampler_sample_free(&b);
		return -1;
	}
	util_escape_path(top->comm, name, sizeof(name));
	if (!cfg->trace.quiet)
		fprintf(stderr, "iospy: top writer over %.1f s: %s (pid %ld), %s/s "
		    "to the block layer, %s/s by syscalls (%zu processes, %zu "
		    "unreadable); tracing it for %.1f s\n", r.secs, name,
		    (long)top->pid, util_fmt_size((uint64_t)top->write_bytes_s, x,
		    sizeof(x)), util_fmt_size((uint64_t)top->wchar_s, y, sizeof(y)),
		    r.total, r.unreadable, cfg->trace.duration);
	cfg->trace.pids = xrealloc(cfg->trace.pids, sizeof(pid_t));
	cfg->trace.pids[0] = top->pid;
	cfg->trace.npids = 1;
	cfg->mode = MODE_ATTACH;
	sampler_rates_free(&r);
	sampler_sample_free(&a);
	sampler_sample_free(&b);
	return 0;
}

/* The outcome of a live run, whichever engine ran it. */
struct live_run {
	int rc;
	int exit_status;
	int64_t start_ns, end_ns;
	unsigned long events;
	bool detached;		/* launch: stopped by a request, the command
				   runs on */
	bool duration_passed;	/* launch: --duration ended the trace */
	char reason[512];
};

/*
 * Run the live mode with the engine cfg->engine names; auto takes bpf
 * where its program loads (and --stack is not asked for), else ptrace,
 * and says why in meta->engine_reason.
 */
static void
run_live(const struct trace_settings *cfg, bool attach, struct pipeline *pl,
    const struct source_hooks *hooks, struct report_meta *meta,
    struct live_run *lr, char *err, size_t errsz)
{
	struct tracer_result tres;
	struct bpf_result bres;
	bool try_bpf = cfg->engine == ENGINE_BPF;
	char why[512];

	memset(&tres, 0, sizeof(tres));
	memset(&bres, 0, sizeof(bres));
	lr->reason[0] = '\0';
	if (cfg->engine == ENGINE_AUTO) {
		if (cfg->stack)
			snprintf(lr->reason, sizeof(lr->reason), "--stack needs "
			    "the ptrace engine");
		else if (!bpf_engine_built(why, sizeof(why)))
			snprintf(lr->reason, sizeof(lr->reason), "%s", why);
		else
			try_bpf = true;
	}
	if (try_bpf) {
		lr->rc = attach ? bpf_engine_attach(cfg, pl, hooks, &bres, err,
		    errsz) : bpf_engine_launch(cfg, pl, hooks, &bres, err, errsz);
		if (lr->rc != BPF_ENGINE_UNAVAILABLE) {
			meta->engine = "bpf";
			if (cfg->engine == ENGINE_AUTO) {
				snprintf(lr->reason, sizeof(lr->reason), "the BPF "
				    "program loaded");
				meta->engine_reason = lr->reason;
			}
			meta->has_lost = true;
			meta->lost_events = bres.lost;
			lr->exit_status = bres.exit_status;
			lr->start_ns = bres.start_ns;
			lr->end_ns = bres.end_ns;
			lr->events = bres.events;
			lr->detached = bres.detached;
			lr->duration_passed = bres.duration_passed;
			return;
		}
		if (cfg->engine == ENGINE_BPF) {
			lr->rc = -1;
			return;
		}
		snprintf(lr->reason, sizeof(lr->reason), "%.500s", err);
	}
	meta->engine = "ptrace";
	if (cfg->engine == ENGINE_AUTO)
		meta->engine_reason = lr->reason;
	lr->rc = attach ? tracer_attach(cfg, pl, hooks, &tres, err, errsz) :
	    tracer_launch(cfg, pl, hooks, &tres, err, errsz);
	meta->pinned = tres.pinned;
	meta->stacks_unwound = tres.stacks_unwound;
	lr->exit_status = tres.exit_status;
	lr->start_ns = tres.start_ns;
	lr->end_ns = tres.end_ns;
	lr->events = tres.events;
	lr->detached = tres.detached;
	lr->duration_passed = tres.duration_passed;
}

#define UNTRACED_SHOWN 16

/*
 * Before an attach: drop the pids no engine can trace (zombies, kernel
 * threads), saying why in err and on stderr when others remain, and list
 * the children started before the attach into meta.  Returns how many
 * pids are left.
 */
static size_t
attach_prepare(struct trace_settings *tr, struct report_meta *meta,
    struct report_child *kids, char *err, size_t errsz)
{
	struct live_child lc[UNTRACED_SHOWN];
	size_t i, k = 0, n, used;
	char one[512];

	err[0] = '\0';
	for (i = 0; i < tr->npids; i++) {
		if (!live_attach_refused(tr->pids[i], one, sizeof(one))) {
			tr->pids[k++] = tr->pids[i];
			continue;
		}
		used = strlen(err);
		snprintf(err + used, errsz - used, "%s%s", used > 0 ? "; " : "",
		    one);
	}
	if (err[0] != '\0' && k > 0)
		fprintf(stderr, "iospy: %s; tracing the other pids\n", err);
	tr->npids = k;
	n = live_untraced_children(tr->pids, tr->npids, lc, UNTRACED_SHOWN);
	meta->nuntraced = n;
	meta->nuntraced_shown = n < UNTRACED_SHOWN ? n : UNTRACED_SHOWN;
	for (i = 0; i < meta->nuntraced_shown; i++) {
		kids[i].pid = (int)lc[i].pid;
		kids[i].parent = (int)lc[i].parent;
		snprintf(kids[i].comm, sizeof(kids[i].comm), "%s", lc[i].comm);
	}
	meta->untraced = kids;
	return k;
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
	struct eventlog_ff *eff = NULL;
	struct syscount *sc = NULL;
	struct limits_result *lr = NULL;
	struct source_hooks hooks;
	struct tick_ctx tick;
	struct report_meta meta;
	struct live_run lrun;
	struct stracelog_result rres;
	struct output outs[5];	/* -o, -e, text report, JSON, JUnit */
	struct output *oev = &outs[0], *olive = &outs[1], *orep = &outs[2],
	    *ojson = &outs[3], *ojunit = &outs[4];
	bool json_stdout, want_report, ok = true;
	int rc, status = 0, cmd_status = 0;
	size_t i;
	struct system_settings sset;
	struct sys_window win;
	struct report_system rsys;
	struct report_child kids[UNTRACED_SHOWN];
	char refused[1024];
	struct progress *prog = NULL;
	struct live_status lstat;
	FILE *saved_stderr = stderr;
	bool live = false, is_auto = false;

	hold_std_fds();
	/* UTF-8 paths print as UTF-8 where the locale says the terminal
	   takes it; everything else keeps the C locale */
	if (setlocale(LC_CTYPE, "") != NULL) {
		util_set_utf8(strcmp(nl_langinfo(CODESET), "UTF-8") == 0);
		setlocale(LC_CTYPE, "C");
	}
	memset(outs, 0, sizeof(outs));
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
		if (fflush(stdout) != 0 || ferror(stdout) || std_closed[1]) {
			fprintf(stderr, "iospy: cannot write to stdout: %s\n",
			    std_closed[1] ? "it is closed" : strerror(errno));
			return EXIT_USAGE;
		}
		return 0;
	}
#ifndef HAVE_LIBUNWIND
	if (cfg.trace.stack) {
		fprintf(stderr, "iospy: --stack is not available: this iospy was "
		    "built without libunwind (configure --with-libunwind)\n");
		options_free(&cfg);
		return EXIT_USAGE;
	}
#endif
	if (cfg.trace.stack && cfg.trace.engine == ENGINE_BPF) {
		fprintf(stderr, "iospy: --stack is not available with "
		    "--engine=bpf (use --engine=ptrace or auto)\n");
		options_free(&cfg);
		return EXIT_USAGE;
	}

	/* --top reads /proc only: its own outputs, no report */
	system_settings_from(&cfg, &sset);
	if (cfg.mode == MODE_TOP) {
		install_signals();
		err[0] = '\0';
		rc = top_run(&sset, stdout, &stop_requested, err, sizeof(err));
		if (rc != 0)
			fprintf(stderr, "iospy: %s\n", err[0] != '\0' ? err :
			    "cannot write the output");
		options_free(&cfg);
		return rc == 0 ? 0 : EXIT_USAGE;
	}
	memset(&win, 0, sizeof(win));
	memset(&rsys, 0, sizeof(rsys));

	/*
	 * Every output is opened before anything is traced.  The text report
	 * goes to --report FILE, else to stdout in replay mode and stderr
	 * when tracing; when the JSON takes stdout (--json -) and no
	 * --report FILE is given, the text report is not printed at all.
	 */
	json_stdout = cfg.json_file != NULL && strcmp(cfg.json_file, "-") == 0;
	want_report = !cfg.no_report && (cfg.report_file != NULL || !json_stdout);
	if (json_stdout && cfg.report_file != NULL &&
	    strcmp(cfg.report_file, "-") == 0) {
		fprintf(stderr, "iospy: --json - and --report - cannot both "
		    "write to stdout\n%s", options_usage);
		options_free(&cfg);
		return EXIT_USAGE;
	}
	if (cfg.outfile != NULL && cfg.ff && cfg.mode != MODE_REPLAY)
		ok = ff_writable(cfg.outfile) && ok;
	else if (cfg.outfile != NULL)
		ok = open_out(oev, "event log", cfg.outfile) && ok;
	if (cfg.events) {
		olive->what = "event lines";
		olive->path = "stderr";
		olive->f = stderr;
	}
	if (want_report) {
		if (cfg.report_file != NULL)
			ok = open_out(orep, "report", cfg.report_file) && ok;
		else {
			orep->what = "report";
			orep->path = cfg.mode == MODE_REPLAY ? "-" : "stderr";
			orep->f = cfg.mode == MODE_REPLAY ? stdout : stderr;
		}
	}
	if (cfg.json_file != NULL)
		ok = open_out(ojson, "JSON report", cfg.json_file) && ok;
	if (cfg.limits.junit_file != NULL)
		ok = open_out(ojunit, "JUnit file", cfg.limits.junit_file) && ok;
	if (!ok) {
		status = EXIT_USAGE;
		goto out;
	}

	install_signals();
	if (cfg.mode == MODE_AUTO) {
		is_auto = true;
		err[0] = '\0';
		if (auto_pick(&cfg, &sset, err, sizeof(err)) != 0) {
			fprintf(stderr, "iospy: --auto: %s\n", err);
			options_free(&cfg);
			return EXIT_USAGE;
		}
	}
	memset(&hooks, 0, sizeof(hooks));
	memset(&tick, 0, sizeof(tick));
	memset(&meta, 0, sizeof(meta));
	memset(&lrun, 0, sizeof(lrun));
	memset(&rres, 0, sizeof(rres));
	hooks.stop = &stop_requested;

	pl = pipeline_new();
	pipeline_set_filter(pl, cfg.filter);
	/* -yy: live sockets named by protocol, as strace -yy prints them */
	sockname_enable((cfg.eventlog.decode_fds & FILTER_FD_SOCKET) != 0);
	meta.filter = filter_describe(cfg.filter);
	strace_flags_notes(&cfg, stderr);
	st = stats_new(&cfg.notable, &cfg.limits);
	stats_set_max_files(st, cfg.max_files);
	if (cfg.summary != 0) {
		sc = syscount_new();
		pipeline_add_sink(pl, syscount_event, sc);
	}
	/* -c: the summary table instead of the event lines */
	if (oev->f != NULL && cfg.summary != 'c') {
		elog = eventlog_new(oev->f, &cfg.eventlog);
		pipeline_add_sink(pl, eventlog_event, elog);
	}
	if (cfg.outfile != NULL && oev->f == NULL && cfg.summary == 0) {
		/* -ff -o FILE: FILE.TID per thread */
		eff = eventlog_ff_new(cfg.outfile, &cfg.eventlog);
		pipeline_add_sink(pl, eventlog_ff_event, eff);
	}
	if (cfg.events && cfg.summary != 'c') {
		elive = eventlog_new(stderr, &cfg.eventlog);
		pipeline_add_sink(pl, eventlog_event, elive);
	}
	pipeline_add_sink(pl, stats_event, st);

	if (cfg.report.interval > 0) {
		tick.f = stderr;
		tick.st = st;
		hooks.tick = on_tick;
		hooks.tick_ctx = &tick;
		hooks.interval_ns = (int64_t)(cfg.report.interval * 1e9);
	}

	switch (cfg.mode) {
	case MODE_LAUNCH:
		meta.mode = "launch";
		meta.sources = (const char *const *)cfg.trace.argv;
		live = true;
		window_begin(&win, &sset, NULL, 0, true);
		run_live(&cfg.trace, false, pl, &hooks, &meta, &lrun, err,
		    sizeof(err));
		rc = lrun.rc;
		window_end(&win, &sset);
		stats_set_span(st, lrun.start_ns, lrun.end_ns);
		status = cmd_status = lrun.exit_status;
		if (lrun.detached && lrun.duration_passed) {
			/* --duration: the command runs on untraced, its
			   status unknown: iospy's own is 0 */
			status = cmd_status = 0;
			fprintf(stderr, "iospy: --duration %g s passed: "
			    "detached, the command runs on untraced\n",
			    cfg.trace.duration);
		} else if (lrun.detached)
			/* the command runs on untraced: iospy's own status
			   says what ended the trace (128+N) */
			status = cmd_status = 128 +
			    (stop_signal > 0 ? stop_signal : SIGINT);
		else if (lrun.duration_passed)
			fprintf(stderr, "iospy: --duration %g s passed: nothing "
			    "was recorded after it (under the ptrace engine's "
			    "seccomp filter the command needs iospy until it "
			    "ends; --engine=bpf or --no-seccomp detach "
			    "instead)\n", cfg.trace.duration);
		break;
	case MODE_ATTACH:
		meta.mode = is_auto ? "auto" : "attach";
		live = true;
		if (attach_prepare(&cfg.trace, &meta, kids, refused,
		    sizeof(refused)) == 0) {
			/* nothing left to trace: the reasons, exit 2 */
			snprintf(err, sizeof(err), "%s", refused);
			rc = -1;
			break;
		}
		window_begin(&win, &sset, cfg.trace.pids, cfg.trace.npids, false);
		if (want_status(&cfg))
			status_begin(&tick, &hooks, &lstat, st, &cfg,
			    &saved_stderr);
		run_live(&cfg.trace, true, pl, &hooks, &meta, &lrun, err,
		    sizeof(err));
		status_end(&tick, saved_stderr);
		rc = lrun.rc;
		if (refused[0] != '\0') {
			size_t used = rc != 0 ? strlen(err) : 0;

			snprintf(err + used, sizeof(err) - used, "%s%s",
			    used > 0 ? "; " : "", refused);
			rc = -1;
		}
		window_end(&win, &sset);
		stats_set_span(st, lrun.start_ns, lrun.end_ns);
		break;
	case MODE_REPLAY:
		meta.mode = "replay";
		meta.sources = (const char *const *)cfg.replay.files;
		if (cfg.report.interval > 0)
			tick.f = json_stdout ? stderr : stdout;
		stracelog_expand_ff(&cfg.replay);
		meta.sources = (const char *const *)cfg.replay.files;
		/* a progress line when stderr is a terminal; messages on
		   stderr erase it first */
		if (want_status(&cfg)) {
			tick.prog = prog = progress_new(STDERR_FILENO);
			cfg.replay.progress = replay_progress_new(prog,
			    cfg.replay.files);
		}
		rc = stracelog_replay(&cfg.replay, pl, &hooks,
		    progress_stream(prog, stderr), &rres, err, sizeof(err));
		replay_progress_free(cfg.replay.progress);
		cfg.replay.progress = NULL;
		progress_free(prog);
		tick.prog = prog = NULL;
		stats_set_span(st, rres.start_ns, rres.end_ns);
		meta.lines_skipped = rres.skipped;
		meta.unfinished = rres.unfinished;
		meta.relative_time = rres.relative;
		if (stop_requested) {
			/* a partial report says so; the status says by what
			   (128+N, as a shell reports a command killed by N) */
			meta.interrupted = true;
			meta.interrupted_line = rres.lines;
			meta.interrupted_signal = stop_signal;
			status = 128 + (stop_signal > 0 ? stop_signal : SIGINT);
		}
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
		if (cfg.mode == MODE_LAUNCH && lrun.exit_status != 0)
			status = lrun.exit_status;
		/* what was seen before the failure is still reported */
	}

	meta.filter_withheld = pipeline_withheld(pl);
	if (sc != NULL) {
		/* strace -c / -C: the table, after the lines (-o FILE or
		   stderr) */
		struct output *o = oev->f != NULL ? oev : olive;

		if (o->f == NULL) {
			o->what = "summary table";
			o->path = "stderr";
			o->f = stderr;
		}
		fflush(o->f);
		errno = 0;
		out_check(o, report_summary(o->f, sc));
	}
	lr = limits_check(st, &cfg.limits);
	if (live) {
		report_system_build(&rsys, st, &win, &sset);
		meta.system = &rsys;
	}
	/* a run that failed before it saw anything has nothing to report */
	if (orep->f != NULL && (rc == 0 || lrun.events > 0 || rres.events > 0)) {
		if (live) {
			errno = 0;
			out_check(orep, report_system_text(orep->f, &rsys, st));
		}
		errno = 0;
		out_check(orep, report_text(orep->f, st, lr, &meta, &cfg.report,
		    want_color(&cfg, orep->f) && cfg.report_file == NULL));
		errno = 0;
		out_check(orep, report_untraced_text(orep->f, &meta));
	}
	if (ojson->f != NULL) {
		errno = 0;
		out_check(ojson, report_json(ojson->f, st, lr, &meta, &cfg.report));
	}
	if (ojunit->f != NULL) {
		errno = 0;
		limits_junit(ojunit->f, lr, &cfg.limits);
		out_check(ojunit, 0);
	}
	if (rc == 0 && status != EXIT_USAGE && !meta.interrupted &&
	    limits_broken(lr) > 0)
		status = cfg.limits.error_exitcode;

out:
	errno = 0;
	eventlog_free(elog);
	out_check(oev, 0);
	errno = 0;
	eventlog_free(elive);
	out_check(olive, 0);
	if (eventlog_ff_free(eff, err, sizeof(err)) != 0) {
		fprintf(stderr, "iospy: %s\n", err);
		status = EXIT_USAGE;
	}
	/* a failed write to any output is exit 2, with the command's status
	   in the message */
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
		if (!close_out(&outs[i])) {
			out_failed(&outs[i], &cfg, cmd_status);
			status = EXIT_USAGE;
		}
	report_system_free(&rsys);
	window_free(&win);
	limits_free(lr);
	stats_free(st);
	syscount_free(sc);
	pipeline_free(pl);
	options_free(&cfg);
	if (fflush(stdout) != 0 && status != EXIT_USAGE) {
		fprintf(stderr, "iospy: cannot write to stdout: %s\n",
		    strerror(errno));
		status = EXIT_USAGE;
	}
	if ((fflush(stderr) != 0 || ferror(stderr)) && status != EXIT_USAGE)
		status = EXIT_USAGE;
	return status;
}
