/*
 * diskstats.c: parse /proc/diskstats and turn two samples into rates.
 *
 * The format (Documentation/admin-guide/iostats.rst): major minor name,
 * then reads completed, reads merged, sectors read, ms reading, writes
 * completed, writes merged, sectors written, ms writing, I/Os in flight,
 * ms doing I/O, weighted ms; newer kernels append discard and flush
 * fields, which are ignored here.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "system/diskstats.h"
#include "base/util.h"

/* A number of a /proc table: blanks, digits, then a blank or the end. */
static bool
field_u64(const char **pp, uint64_t *out)
{
	const char *p = *pp;

	if (!util_scan_u64(&p, out))
		return false;
	if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\0')
		return false;
	*pp = p;
	return true;
}

static bool
parse_line(const char *p, const char *end, struct disk_stat *d)
{
	uint64_t v[11], maj, mnr;
	size_t len;
	int i;

	(void)end;
	memset(d, 0, sizeof(*d));
	if (!field_u64(&p, &maj) || !field_u64(&p, &mnr) || maj > 0xfffff ||
	    mnr > 0xfffff)
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	len = strcspn(p, " \t\n");
	if (len == 0 || len >= sizeof(d->name))
		return false;
	memcpy(d->name, p, len);
	d->name[len] = '\0';
	p += len;
	for (i = 0; i < 11; i++)
		if (!field_u64(&p, &v[i]))
			return false;
	d->major = (unsigned)maj;
	d->minor = (unsigned)mnr;
	d->writes = v[4];
	d->sectors = v[6];
	d->write_ms = v[7];
	d->io_ms = v[9];
	return true;
}

/* Parse the text of /proc/diskstats. */
struct disk_stat *
diskstats_parse(const char *text, size_t *n, size_t *bad, size_t *bad_line)
{
	struct disk_stat *v = NULL;
	size_t cap = 0, lineno = 0;
	const char *p = text;

	*n = 0;
	*bad = 0;
	*bad_line = 0;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		const char *end = nl != NULL ? nl : p + strlen(p);
		char line[512];
		size_t len = (size_t)(end - p);

		lineno++;
		if (len == 0) {
			p = nl != NULL ? nl + 1 : end;
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		if (len < sizeof(line)) {
			memcpy(line, p, len);
			line[len] = '\0';
		}
		if (len < sizeof(line) && parse_line(line, line + len, &v[*n]))
			(*n)++;
		else if ((*bad)++ == 0)
			*bad_line = lineno;
		p = nl != NULL ? nl + 1 : end;
	}
	if (*n == 0) {
		free(v);
		v = NULL;
	}
	return v;
}

/* cur - prev of one counter, wrap and reset handled. */
uint64_t
diskstats_counter_delta(uint64_t prev, uint64_t cur)
{
	if (cur >= prev)
		return cur - prev;
	if (prev <= UINT32_MAX)
		return (uint64_t)UINT32_MAX - prev + 1 + cur;
	return cur;
}

static const struct disk_stat *
find(const struct disk_stat *v, size_t n, const struct disk_stat *d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].major == d->major && v[i].minor == d->minor &&
		    strcmp(v[i].name, d->name) == 0)
			return &v[i];
	return NULL;
}

/* The rates between two samples. */
struct disk_rate *
diskstats_rates(const struct disk_stat *prev, size_t nprev,
    const struct disk_stat *cur, size_t ncur, double secs, size_t *n,
    size_t *gone)
{
	struct disk_rate *v;
	static const struct disk_stat zero;
	size_t i;

	*n = 0;
	*gone = 0;
	for (i = 0; i < nprev; i++)
		if (find(cur, ncur, &prev[i]) == NULL)
			(*gone)++;
	if (ncur == 0)
		return NULL;
	v = xcalloc(ncur, sizeof(*v));
	for (i = 0; i < ncur; i++) {
		const struct disk_stat *c = &cur[i], *p = find(prev, nprev, c);
		struct disk_rate *r = &v[i];
		double ms = secs * 1000;

		if (p == NULL) {
			p = &zero;
			r->appeared = true;
		}
		r->major = c->major;
		r->minor = c->minor;
		memcpy(r->name, c->name, sizeof(r->name));
		r->partition = c->partition;
		r->writes = diskstats_counter_delta(p->writes, c->writes);
		r->sectors = diskstats_counter_delta(p->sectors, c->sectors);
		r->write_ms = diskstats_counter_delta(p->write_ms, c->write_ms);
		r->io_ms = diskstats_counter_delta(p->io_ms, c->io_ms);
		if (secs > 0) {
			r->w_s = (double)r->writes / secs;
			r->wkb_s = (double)r->sectors * 512 / 1024 / secs;
			r->util_pct = 100.0 * (double)r->io_ms / ms;
			if (r->util_pct > 100)
				r->util_pct = 100;
		}
		if (r->writes > 0)
			r->w_await_ms = (double)r->write_ms / (double)r->writes;
	}
	*n = ncur;
	return v;
}
