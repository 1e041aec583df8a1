/*
 * top.c: the --top view.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "system/top.h"
#include "base/util.h"

/* A rate in bytes/s in 6 columns: "0", "512", "12.3K", "170.2M". */
static const char *
rate(double v, char *buf, size_t bufsz)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	if (v < 0.5) {
		snprintf(buf, bufsz, "0");
		return buf;
	}
	while (v >= 1000 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, bufsz, "%.0f", v);
	else
		snprintf(buf, bufsz, "%.1f%c", v, units[u]);
	return buf;
}

static bool
disk_shown(const struct disk_rate *d)
{
	/* whole disks that did anything this interval; partitions add up
	   into their disk, and idle loop and ram devices are noise */
	return !d->partition && (d->writes > 0 || d->io_ms > 0 || d->sectors > 0);
}

static bool
proc_shown(const struct sys_proc_rate *p)
{
	return p->delta.wchar > 0 || p->delta.write_bytes > 0 ||
	    p->delta.cancelled > 0 || p->delta.syscw > 0;
}

static void
put_cut(FILE *f, const char *s, int width)
{
	if (width > 0 && (int)strlen(s) > width)
		fprintf(f, "%.*s\n", width, s);
	else
		fprintf(f, "%s\n", s);
}

/* Print rates as text. */
int
top_print(FILE *f, const struct system_settings *set,
    const struct sys_rates *r, size_t maxprocs, int width)
{
	char line[2048], a[32], b[32], c[32], comm[256], cmd[1024],
	    raw[1024];
	size_t i, shown = 0, writers = 0, idle_disks = 0;

	for (i = 0; i < r->nprocs; i++)
		if (proc_shown(&r->procs[i]))
			writers++;
	snprintf(line, sizeof(line), "iospy --top: %.1f s sampled, %zu processes, "
	    "%zu writing, %zu unreadable (not shown)", r->secs, r->total, writers,
	    r->unreadable);
	put_cut(f, line, width);
	snprintf(line, sizeof(line), "%-12s %9s %10s %9s %7s", "DEVICE", "w/s",
	    "wkB/s", "w_await", "%util");
	put_cut(f, line, width);
	for (i = 0; i < r->ndisks; i++) {
		const struct disk_rate *dr = &r->disks[i];

		if (!disk_shown(dr)) {
			if (!dr->partition)
				idle_disks++;
			continue;
		}
		util_escape_path(dr->name, comm, sizeof(comm));
		snprintf(line, sizeof(line), "%-12s %9.1f %10.1f %7.1fms %6.1f%%%s",
		    comm, dr->w_s, dr->wkb_s, dr->w_await_ms, dr->util_pct,
		    dr->appeared ? "  (new)" : "");
		put_cut(f, line, width);
	}
	if (idle_disks > 0 || r->disks_gone > 0) {
		if (r->disks_gone > 0)
			snprintf(line, sizeof(line), "(%zu idle device%s not "
			    "shown, %zu gone since the last sample)", idle_disks,
			    idle_disks == 1 ? "" : "s", r->disks_gone);
		else
			snprintf(line, sizeof(line), "(%zu idle device%s not shown)",
			    idle_disks, idle_disks == 1 ? "" : "s");
		put_cut(f, line, width);
	}
	fputc('\n', f);
	snprintf(line, sizeof(line), "%7s %-15s %8s %8s %8s %8s  %s", "PID",
	    "COMMAND", "DISK/s", "WRITE/s", "CALLS/s", "CANCEL/s", "COMMAND LINE");
	put_cut(f, line, width);
	for (i = 0; i < r->nprocs; i++) {
		const struct sys_proc_rate *p = &r->procs[i];

		if (!proc_shown(p))
			continue;
		if (maxprocs > 0 && shown == maxprocs)
			break;
		shown++;
		util_escape_path(p->comm, comm, sizeof(comm));
		if (procio_cmdline(set->proc_root, p->pid, raw, sizeof(raw)) != NULL)
			util_escape_path(raw, cmd, sizeof(cmd));
		else
			snprintf(cmd, sizeof(cmd), "(exited)");
		snprintf(line, sizeof(line), "%7ld %-15.15s %8s %8s %8.1f %8s  %s",
		    (long)p->pid, comm, rate(p->write_bytes_s, a, sizeof(a)),
		    rate(p->wchar_s, b, sizeof(b)), p->syscw_s,
		    rate(p->cancelled_s, c, sizeof(c)), cmd);
		put_cut(f, line, width);
	}
	if (shown < writers) {
		snprintf(line, sizeof(line), "(%zu more writing)", writers - shown);
		put_cut(f, line, width);
	}
	fflush(f);
	return ferror(f) ? -1 : 0;
}

static json_t *
jstr(const char *s)
{
	json_t *j = json_string(s);
	char buf[4096];

	if (j != NULL)
		return j;
	util_escape(buf, sizeof(buf), s, strlen(s));
	j = json_string(buf);
	return j ? j : json_string("?");
}

static json_t *
jint(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)v);
}

/* Write rates as JSON. */
int
top_json(FILE *f, const struct system_settings *set,
    const struct sys_rates *r)
{
	json_t *root = json_object(), *devs = json_array(), *procs = json_array();
	char raw[4096];
	size_t i;
	int rc;

	for (i = 0; i < r->ndisks; i++) {
		const struct disk_rate *d = &r->disks[i];

		json_array_append_new(devs, json_pack("{s:o,s:i,s:i,s:b,s:b,s:f,s:f,"
		    "s:f,s:f,s:o,s:o,s:o,s:o}",
		    "name", jstr(d->name), "major", (int)d->major,
		    "minor", (int)d->minor, "partition", d->partition,
		    "appeared", d->appeared, "w_s", d->w_s, "wkB_s", d->wkb_s,
		    "w_await_ms", d->w_await_ms, "util_pct", d->util_pct,
		    "writes", jint(d->writes), "sectors", jint(d->sectors),
		    "write_ms", jint(d->write_ms), "io_ms", jint(d->io_ms)));
	}
	for (i = 0; i < r->nprocs; i++) {
		const struct sys_proc_rate *p = &r->procs[i];
		json_t *cmd;

		if (!proc_shown(p))
			continue;
		cmd = procio_cmdline(set->proc_root, p->pid, raw, sizeof(raw)) ?
		    jstr(raw) : json_null();
		json_array_append_new(procs, json_pack("{s:i,s:o,s:o,s:b,s:f,s:f,"
		    "s:f,s:f,s:o,s:o,s:o,s:o}",
		    "pid", (int)p->pid, "comm", jstr(p->comm), "cmdline", cmd,
		    "appeared", p->appeared, "write_bytes_s", p->write_bytes_s,
		    "wchar_s", p->wchar_s, "syscw_s", p->syscw_s,
		    "cancelled_write_bytes_s", p->cancelled_s,
		    "write_bytes", jint(p->delta.write_bytes),
		    "wchar", jint(p->delta.wchar), "syscw", jint(p->delta.syscw),
		    "cancelled_write_bytes", jint(p->delta.cancelled)));
	}
	json_object_set_new(root, "interval_s", json_real(r->secs));
	json_object_set_new(root, "processes_total", jint(r->total));
	json_object_set_new(root, "processes_unreadable", jint(r->unreadable));
	json_object_set_new(root, "devices_gone", jint(r->disks_gone));
	json_object_set_new(root, "devices", devs);
	json_object_set_new(root, "processes", procs);
	rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc == 0)
		fputc('\n', f);
	fflush(f);
	return rc != 0 || ferror(f) ? -1 : 0;
}

/* Sleep secs, or until a key when fd >= 0 ('q' sets *quit). */
static void
wait_for(double secs, int fd, volatile sig_atomic_t *stop, bool *quit)
{
	int64_t end = util_mono_ns() + (int64_t)(secs * 1e9);

	while (!*stop && !*quit) {
		int64_t left = end - util_mono_ns();
		struct pollfd pfd = { fd, POLLIN, 0 };
		int ms, n;

		if (left <= 0)
			return;
		ms = (int)((left + 999999) / 1000000);
		if (fd < 0) {
			struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

			nanosleep(&ts, NULL);	/* EINTR: the loop checks *stop */
			continue;
		}
		n = poll(&pfd, 1, ms);
		if (n > 0) {
			char c[16];
			ssize_t k = read(fd, c, sizeof(c)), i;

			if (k == 0)	/* the terminal went away */
				*quit = true;
			for (i = 0; i < k; i++)
				if (c[i] == 'q' || c[i] == 'Q')
					*quit = true;
		}
	}
}

static int
one_sample(const struct system_settings *set, struct sys_sample *prev,
    struct sys_rates *r, volatile sig_atomic_t *stop, int keyfd, bool *quit,
    char *err, size_t errsz)
{
	struct sys_sample cur;

	wait_for(set->interval, keyfd, stop, quit);
	if (sampler_take(set, &cur, err, errsz) != 0)
		return -1;
	sampler_rates(prev, &cur, r);
	sampler_sample_free(prev);
	*prev = cur;
	return 0;
}

/* Run --top. */
int
top_run(const struct system_settings *set, FILE *out,
    volatile sig_atomic_t *stop, char *err, size_t errsz)
{
	struct sys_sample prev;
	struct sys_rates r;
	struct termios saved, raw;
	bool tty, quit = false;
	int status = 0, fd = fileno(out);

	if (sampler_take(set, &prev, err, errsz) != 0)
		return 1;
	if (set->once) {
		FILE *jf = NULL;

		if (one_sample(set, &prev, &r, stop, -1, &quit, err, errsz) != 0) {
			sampler_sample_free(&prev);
			return 1;
		}
		if (set->json_file != NULL) {
			jf = strcmp(set->json_file, "-") == 0 ? stdout :
			    fopen(set->json_file, "w");
			if (jf == NULL) {
				snprintf(err, errsz, "cannot open JSON file %s: %s",
				    set->json_file, strerror(errno));
				status = 2;
			} else {
				if (top_json(jf, set, &r) != 0)
					status = 2;
				if (jf != stdout && fclose(jf) != 0)
					status = 2;
			}
		}
		if (set->json_file == NULL || strcmp(set->json_file, "-") != 0)
			if (top_print(out, set, &r, 0, 0) != 0)
				status = 2;
		sampler_rates_free(&r);
		sampler_sample_free(&prev);
		return status;
	}

	tty = isatty(fd) && isatty(STDIN_FILENO) &&
	    tcgetattr(STDIN_FILENO, &saved) == 0;
	if (tty) {
		raw = saved;
		/* no echo, a key at a time; ^C still signals (and stops us) */
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
		/* the alternate screen, cursor hidden, as top does */
		fputs("\033[?1049h\033[?25l", out);
		fflush(out);
	}
	while (!*stop && !quit && status == 0) {
		struct winsize ws;
		int rows = 24, cols = 80;
		size_t ndev = 0, i, room;

		if (one_sample(set, &prev, &r, stop, tty ? STDIN_FILENO : -1,
		    &quit, err, errsz) != 0) {
			status = 1;
			break;
		}
		if (*stop || quit) {
			sampler_rates_free(&r);
			break;
		}
		if (tty && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
			rows = ws.ws_row;
			cols = ws.ws_col;
		}
		for (i = 0; i < r.ndisks; i++)
			if (disk_shown(&r.disks[i]))
				ndev++;
		/* header, device title, devices, idle note, blank, process
		   title, "more" line, and the last line left free */
		room = rows > (int)ndev + 8 ? (size_t)rows - ndev - 8 : 1;
		if (tty)
			fputs("\033[H\033[2J", out);
		if (top_print(out, set, &r, tty ? room : 0, tty ? cols : 0) != 0)
			status = 2;
		if (tty) {
			fputs("(q quits)", out);
			fflush(out);
		} else
			fputc('\n', out);
		sampler_rates_free(&r);
	}
	if (tty) {
		fputs("\033[?25h\033[?1049l", out);
		fflush(out);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	}
	sampler_sample_free(&prev);
	return status;
}
