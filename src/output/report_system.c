/*
 * report_system.c: the device section of a live report.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "output/report_system.h"
#include "output/report_text_int.h"
#include "base/util.h"

#define PATHBUF 1024
#define RS_MAX_FILES 10
#define RS_FEW_FILES 3	/* more on one disk: one line for them */

static bool
same_dev(const struct blockdev *a, const struct blockdev *b)
{
	if (a->block != b->block)
		return false;
	if (a->block)
		return a->major == b->major && a->minor == b->minor;
	return strcmp(a->fstype, b->fstype) == 0;
}

/* Build the section. */
void
report_system_build(struct report_system *rs, const struct stats *st,
    const struct sys_window *w, const struct system_settings *set)
{
	struct stats_proc **procs;
	size_t np, i, j, k, ndisks = 0;
	char mi[512];

	memset(rs, 0, sizeof(*rs));
	rs->w = w;
	rs->secs = window_secs(w);
	rs->launched = w->children;
	rs->have_io = window_procs_delta(w, &rs->io, &rs->io_partial);
	snprintf(mi, sizeof(mi), "%s/self/mountinfo", set->proc_root);
	procs = stats_sorted_procs(st, &np);
	for (i = 0; i < np; i++) {
		struct stats_file **files;
		size_t nf;

		files = stats_sorted_files(procs[i], &nf);
		for (j = 0; j < nf; j++) {
			const struct stats_file *sf = files[j];
			struct blockdev bd;
			size_t dev = (size_t)-1;

			if (sf->kind != SK_FILE || sf->bytes == 0 || sf->path == NULL ||
			    sf->path[0] != '/')
				continue;
			if (blockdev_of_path(set->sys_root, mi, sf->path, &bd) == 0) {
				for (k = 0; k < rs->ndevs; k++)
					if (same_dev(&rs->devs[k].bd, &bd))
						break;
				if (k == rs->ndevs) {
					rs->devs = xrealloc(rs->devs, (k + 1) *
					    sizeof(*rs->devs));
					memset(&rs->devs[k], 0, sizeof(rs->devs[k]));
					rs->devs[k].bd = bd;
					rs->devs[k].share = -1;
					rs->ndevs++;
				}
				dev = k;
				rs->devs[k].syscall_bytes += sf->bytes;
				rs->devs[k].nfiles++;
			}
			rs->files = xrealloc(rs->files, (rs->nfiles + 1) *
			    sizeof(*rs->files));
			rs->files[rs->nfiles].sf = sf;
			rs->files[rs->nfiles].dev = dev;
			rs->nfiles++;
		}
		free(files);
	}
	free(procs);

	for (k = 0; k < rs->ndevs; k++)
		if (rs->devs[k].bd.block)
			ndisks++;
	for (k = 0; k < rs->ndevs; k++) {
		struct report_system_dev *d = &rs->devs[k];
		uint64_t dev_bytes, traced;

		if (!d->bd.block)
			continue;
		d->have_rate = window_disk(w, d->bd.major, d->bd.minor, &d->rate);
		if (!d->have_rate)
			continue;
		dev_bytes = d->rate.sectors * 512;
		if (dev_bytes == 0)
			continue;
		/*
		 * What the traced writes gave this disk: the syscall bytes to
		 * its files, but never more than the processes dirtied for
		 * writeback and did not cancel (a file deleted before writeback
		 * costs the disk nothing) when that is known and this is the
		 * only disk they wrote to.
		 */
		traced = d->syscall_bytes;
		if (rs->have_io && !rs->io_partial && ndisks == 1) {
			uint64_t kept = rs->io.write_bytes > rs->io.cancelled ?
			    rs->io.write_bytes - rs->io.cancelled : 0;

			if (kept < traced)
				traced = kept;
		}
		d->share = traced >= dev_bytes ? 1.0 :
		    (double)traced / (double)dev_bytes;
		d->busy_finding = d->rate.util_pct >= REPORT_SYSTEM_BUSY_PCT &&
		    d->share >= REPORT_SYSTEM_SHARE &&
		    dev_bytes >= REPORT_SYSTEM_MIN_BYTES;
	}
}

/* Free it. */
void
report_system_free(struct report_system *rs)
{
	free(rs->devs);
	free(rs->files);
	memset(rs, 0, sizeof(*rs));
}

static const char *
fmt_ms(double ms, char *buf, size_t bufsz)
{
	if (ms < 1)
		snprintf(buf, bufsz, "%.2f ms", ms);
	else if (ms < 10000)
		snprintf(buf, bufsz, "%.0f ms", ms);
	else
		snprintf(buf, bufsz, "%.1f s", ms / 1000);
	return buf;
}

/* The processes the block-layer counters are of, as a phrase. */
static const char *
whose(const struct report_system *rs, const struct stats *st, char *buf,
    size_t bufsz)
{
	struct stats_proc **procs;
	size_t np;

	procs = stats_sorted_procs(st, &np);
	if (rs->launched)
		snprintf(buf, bufsz, "the launched command%s",
		    np > 1 ? " and its children" : "");
	else if (rs->w->nprocs == 1 && np >= 1) {
		size_t i;

		snprintf(buf, bufsz, "pid %ld", (long)rs->w->procs[0].pid);
		for (i = 0; i < np; i++)
			if (procs[i]->pid == rs->w->procs[0].pid)
				stats_proc_label(procs[i], buf, bufsz);
	} else
		snprintf(buf, bufsz, "the %zu attached processes", rs->w->nprocs);
	free(procs);
	return buf;
}

/* Write the section as text. */
int
report_system_text(FILE *f, const struct report_system *rs,
    const struct stats *st)
{
	char a[64], b[64], c[64], who[200], lab[160], p[PATHBUF], mp[PATHBUF];
	size_t k, i, shown, rest = 0;

	/* nothing written, nothing dirtied, no disk: no section of zeros */
	if (rs->ndevs == 0 && (!rs->have_io || (rs->io.wchar == 0 &&
	    rs->io.write_bytes == 0 && rs->io.cancelled == 0)))
		return 0;
	fprintf(f, "Devices (over the %s traced)\n", fmt_secs(rs->secs, a,
	    sizeof(a)));
	for (k = 0; k < rs->ndevs; k++) {
		const struct report_system_dev *d = &rs->devs[k];

		blockdev_label(&d->bd, lab, sizeof(lab));
		if (!d->bd.block) {
			fprintf(f, "  %s: %s written by the traced syscalls to %zu "
			    "file%s (memory or another machine, not a local disk)\n",
			    lab, util_fmt_size(d->syscall_bytes, a, sizeof(a)),
			    d->nfiles, d->nfiles == 1 ? "" : "s");
			continue;
		}
		if (!d->have_rate) {
			fprintf(f, "  %s: not in /proc/diskstats at both ends\n", lab);
			continue;
		}
		fprintf(f, "  %s: %.0f%% busy, %s/s written (%.1f writes/s), "
		    "writes wait %s on average\n", lab, d->rate.util_pct,
		    util_fmt_size((uint64_t)(d->rate.wkb_s * 1024), a, sizeof(a)),
		    d->rate.w_s, fmt_ms(d->rate.w_await_ms, b, sizeof(b)));
		fprintf(f, "    the traced writes: %s by syscalls to %zu file%s on "
		    "it", util_fmt_size(d->syscall_bytes, a, sizeof(a)),
		    d->nfiles, d->nfiles == 1 ? "" : "s");
		if (d->share >= 1 && d->syscall_bytes > d->rate.sectors * 512)
			fprintf(f, "; more than the %s %s wrote in the window (the "
			    "rest is still in the page cache): all of it\n",
			    util_fmt_size(d->rate.sectors * 512, c, sizeof(c)),
			    d->bd.disk);
		else if (d->share >= 0)
			fprintf(f, "; %.0f%% of the %s %s wrote\n", d->share * 100,
			    util_fmt_size(d->rate.sectors * 512, c, sizeof(c)),
			    d->bd.disk);
		else
			fprintf(f, "; %s wrote nothing\n", d->bd.disk);
	}
	if (rs->have_io) {
		fprintf(f, "  block layer (/proc/PID/io) of %s%s: %s written by "
		    "syscalls (%llu call%s), %s dirtied for writeback, %s of it "
		    "cancelled (truncated or deleted before it reached the disk)\n",
		    whose(rs, st, who, sizeof(who)),
		    rs->io_partial ? " (some exited: not counted)" : "",
		    util_fmt_size(rs->io.wchar, a, sizeof(a)),
		    (unsigned long long)rs->io.syscw, rs->io.syscw == 1 ? "" : "s",
		    util_fmt_size(rs->io.write_bytes, b, sizeof(b)),
		    util_fmt_size(rs->io.cancelled, c, sizeof(c)));
	}
	/* where the files are: one line per disk that holds many of them,
	   the files themselves for the few */
	for (k = 0; k < rs->ndevs; k++) {
		const struct report_system_dev *d = &rs->devs[k];
		const struct stats_file *top = NULL;

		if (d->nfiles <= RS_FEW_FILES)
			continue;
		for (i = 0; i < rs->nfiles; i++)
			if (rs->files[i].dev == k && (top == NULL ||
			    rs->files[i].sf->bytes > top->bytes))
				top = rs->files[i].sf;
		blockdev_label(&d->bd, lab, sizeof(lab));
		util_escape_path(d->bd.mountpoint, mp, sizeof(mp));
		util_escape_path(top != NULL ? top->path : "?", p, sizeof(p));
		fprintf(f, "  %zu files on %s (%s%s%s), the most written %s\n",
		    d->nfiles, lab, d->bd.fstype[0] ? d->bd.fstype : "?",
		    mp[0] ? " mounted on " : "", mp, p);
	}
	for (i = 0, shown = 0; i < rs->nfiles; i++) {
		const struct report_system_file *rf = &rs->files[i];

		if (rf->dev != (size_t)-1 && rs->devs[rf->dev].nfiles > RS_FEW_FILES)
			continue;
		if (shown++ >= RS_MAX_FILES) {
			rest++;
			continue;
		}
		util_escape_path(rf->sf->path, p, sizeof(p));
		if (rf->dev == (size_t)-1) {
			fprintf(f, "  %s: device unknown\n", p);
			continue;
		}
		blockdev_label(&rs->devs[rf->dev].bd, lab, sizeof(lab));
		util_escape_path(rs->devs[rf->dev].bd.mountpoint, mp, sizeof(mp));
		fprintf(f, "  %s on %s (%s%s%s)\n", p, lab,
		    rs->devs[rf->dev].bd.fstype[0] ? rs->devs[rf->dev].bd.fstype : "?",
		    mp[0] ? " mounted on " : "", mp);
	}
	if (rest > 0)
		fprintf(f, "  (%zu more files)\n", rest);
	for (k = 0; k < rs->ndevs; k++) {
		const struct report_system_dev *d = &rs->devs[k];

		if (!d->busy_finding)
			continue;
		fprintf(f, "  * %s was %.0f%% busy and the traced writes were %.0f%% "
		    "of what it wrote (%s/s); writes to it waited %s: %s is what "
		    "keeps this disk busy.\n", d->bd.disk, d->rate.util_pct,
		    d->share * 100, util_fmt_size((uint64_t)(d->rate.wkb_s * 1024),
		    a, sizeof(a)), fmt_ms(d->rate.w_await_ms, b, sizeof(b)),
		    whose(rs, st, who, sizeof(who)));
	}
	fputc('\n', f);
	fflush(f);
	return ferror(f) ? -1 : 0;
}

static json_t *
jint(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)v);
}

/* A JSON string from raw bytes: valid UTF-8 as it is, else escaped. */
static json_t *
jstr(const char *s)
{
	char buf[PATHBUF * 4];
	json_t *j = json_string(s);

	if (j != NULL)
		return j;
	util_escape(buf, sizeof(buf), s, strlen(s));
	j = json_string(buf);
	return j ? j : json_string("?");
}

/* The section as JSON. */
json_t *
report_system_json(const struct report_system *rs)
{
	json_t *devs = json_array(), *files = json_array(), *io;
	size_t k, i;

	for (k = 0; k < rs->ndevs; k++) {
		const struct report_system_dev *d = &rs->devs[k];
		json_t *o = json_pack("{s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
		    "block", d->bd.block,
		    "disk", d->bd.block ? jstr(d->bd.disk) : json_null(),
		    "via", d->bd.via[0] ? jstr(d->bd.via) : json_null(),
		    "fstype", d->bd.fstype[0] ? jstr(d->bd.fstype) : json_null(),
		    "mountpoint", d->bd.mountpoint[0] ? jstr(d->bd.mountpoint) :
			json_null(),
		    "syscall_bytes", jint(d->syscall_bytes),
		    "files", jint(d->nfiles),
		    "share", d->share >= 0 ? json_real(d->share) : json_null());

		json_object_set_new(o, "window", d->have_rate ? json_pack(
		    "{s:f,s:f,s:f,s:f,s:o,s:o,s:o,s:o}",
		    "util_pct", d->rate.util_pct, "w_s", d->rate.w_s,
		    "wkB_s", d->rate.wkb_s, "w_await_ms", d->rate.w_await_ms,
		    "writes", jint(d->rate.writes),
		    "bytes", jint(d->rate.sectors * 512),
		    "write_ms", jint(d->rate.write_ms),
		    "io_ms", jint(d->rate.io_ms)) : json_null());
		json_object_set_new(o, "busy_finding", json_boolean(d->busy_finding));
		json_array_append_new(devs, o);
	}
	for (i = 0; i < rs->nfiles; i++) {
		const struct report_system_file *rf = &rs->files[i];

		json_array_append_new(files, json_pack("{s:i,s:o,s:o}",
		    "pid", (int)rf->sf->proc->pid, "path", jstr(rf->sf->path),
		    "device", rf->dev == (size_t)-1 ? json_null() :
		    json_integer((json_int_t)rf->dev)));
	}
	io = rs->have_io ? json_pack("{s:s,s:b,s:o,s:o,s:o,s:o}",
	    "of", rs->launched ? "launched" : "attached",
	    "partial", rs->io_partial,
	    "wchar", jint(rs->io.wchar), "syscw", jint(rs->io.syscw),
	    "write_bytes", jint(rs->io.write_bytes),
	    "cancelled_write_bytes", jint(rs->io.cancelled)) : json_null();
	return json_pack("{s:f,s:o,s:o,s:o}", "window_s", rs->secs,
	    "devices", devs, "files", files, "block_layer", io);
}
