/*
 * test_system.c: the system-wide sampler layer on samples recorded on this
 * project's machine (tests/data/system, see its README): /proc/diskstats
 * rates, counter wrap, a device appearing, /proc/PID/io and /proc/PID/stat
 * parsing, the process rates and the block device of a file.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#define PATH_MAX 4096
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "system/blockdev.h"
#include "system/diskstats.h"
#include "system/procio.h"
#include "system/sampler.h"

static char *
data(const char *name)
{
	const char *s = getenv("TOP_SRCDIR");
	char path[1024];
	char *t;

	snprintf(path, sizeof(path), "%s/tests/data/system/%s", s ? s : ".", name);
	t = procio_slurp(path, 1 << 20, NULL);
	cr_assert_not_null(t, "cannot read %s", path);
	return t;
}

static struct disk_stat *
disks(const char *name, size_t *n)
{
	char *t = data(name);
	size_t bad, line;
	struct disk_stat *d = diskstats_parse(t, n, &bad, &line);

	free(t);
	cr_assert_eq(bad, 0, "%s: %zu bad lines (first %zu)", name, bad, line);
	return d;
}

static const struct disk_rate *
rate_of(const struct disk_rate *r, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(r[i].name, name) == 0)
			return &r[i];
	return NULL;
}

Test(diskstats, parses_every_line)
{
	size_t n;
	struct disk_stat *d = disks("diskstats.1", &n);

	cr_assert_eq(n, 10);
	cr_assert_str_eq(d[8].name, "vda");
	cr_assert_eq(d[8].major, 254);
	cr_assert_eq(d[8].minor, 0);
	cr_assert_eq(d[8].writes, 306182);
	cr_assert_eq(d[8].sectors, 6566864);
	cr_assert_eq(d[8].write_ms, 48473);
	cr_assert_eq(d[8].io_ms, 42092);
	free(d);
}

Test(diskstats, rates_of_a_recorded_dd)
{
	size_t n1, n2, n, gone;
	struct disk_stat *a = disks("diskstats.1", &n1), *b = disks("diskstats.2", &n2);
	struct disk_rate *r = diskstats_rates(a, n1, b, n2, 2.0, &n, &gone);
	const struct disk_rate *v = rate_of(r, n, "vda");

	cr_assert_eq(n, 10);
	cr_assert_eq(gone, 0);
	cr_assert_not_null(v);
	cr_assert_not(v->appeared);
	/* dd wrote 200 MiB; the rest is the filesystem's own */
	cr_assert_eq(v->writes, 417);
	cr_assert_eq(v->sectors, 414400);
	cr_assert_float_eq(v->wkb_s, 414400 * 512.0 / 1024 / 2, 1e-6);
	cr_assert_float_eq(v->w_s, 208.5, 1e-9);
	cr_assert_float_eq(v->w_await_ms, 475.0 / 417, 1e-9);
	cr_assert_float_eq(v->util_pct, 100.0 * 252 / 2000, 1e-9);
	v = rate_of(r, n, "loop0");
	cr_assert_eq(v->writes, 0);
	cr_assert_eq(v->util_pct, 0);
	free(a);
	free(b);
	free(r);
}

Test(diskstats, counters_wrapping_at_2_32)
{
	size_t n1, n2, n, gone;
	struct disk_stat *a = disks("diskstats.wrap.1", &n1),
	    *b = disks("diskstats.wrap.2", &n2);
	struct disk_rate *r = diskstats_rates(a, n1, b, n2, 1.0, &n, &gone);
	const struct disk_rate *v = rate_of(r, n, "vda");

	cr_assert_eq(v->write_ms, 475);
	cr_assert_eq(v->io_ms, 252);
	cr_assert_float_eq(v->util_pct, 25.2, 1e-9);
	cr_assert_float_eq(v->w_await_ms, 475.0 / 417, 1e-9);
	free(a);
	free(b);
	free(r);
}

Test(diskstats, counter_delta)
{
	cr_assert_eq(diskstats_counter_delta(5, 9), 4);
	cr_assert_eq(diskstats_counter_delta(UINT32_MAX, 0), 1);
	cr_assert_eq(diskstats_counter_delta(UINT32_MAX - 9, 10), 20);
	/* a 64-bit counter going down: the device was re-created */
	cr_assert_eq(diskstats_counter_delta((uint64_t)1 << 40, 7), 7);
	/* never more than the interval: utilisation is capped */
}

Test(diskstats, device_appearing_and_going)
{
	size_t n1, n2, n, gone;
	struct disk_stat *a = disks("diskstats.2", &n1),
	    *b = disks("diskstats.appeared", &n2);
	struct disk_rate *r = diskstats_rates(a, n1, b, n2, 1.0, &n, &gone);
	const struct disk_rate *z = rate_of(r, n, "zram1");

	cr_assert_eq(n2, n1 + 1);
	cr_assert_eq(n, n2);
	cr_assert_eq(gone, 0);
	cr_assert_not_null(z);
	cr_assert(z->appeared);
	cr_assert_eq(z->writes, 0);
	cr_assert_not(rate_of(r, n, "vda")->appeared);
	free(r);
	/* and back: zram1 is gone */
	r = diskstats_rates(b, n2, a, n1, 1.0, &n, &gone);
	cr_assert_eq(gone, 1);
	cr_assert_eq(n, n1);
	cr_assert_null(rate_of(r, n, "zram1"));
	free(a);
	free(b);
	free(r);
}

Test(diskstats, bad_lines_are_counted_and_skipped)
{
	size_t n, bad, line;
	struct disk_stat *d = diskstats_parse(
	    "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
	    "garbage\n"
	    "   8       1 sda1 1 2 3 4 99999999999999999999999 6 7 8 9 10 11\n"
	    "   8       2 sda2 1 2 3\n", &n, &bad, &line);

	cr_assert_eq(n, 1);
	cr_assert_eq(bad, 3);
	cr_assert_eq(line, 2);
	cr_assert_eq(d[0].writes, 5);
	free(d);
}

Test(procio, parses_a_recorded_dd)
{
	char *t = data("io.dd.1");
	struct procio io;

	cr_assert_eq(procio_parse(t, &io), 0);
	cr_assert_eq(io.wchar, 100335616);
	cr_assert_eq(io.syscw, 1531);
	cr_assert_eq(io.write_bytes, 100405248);
	cr_assert_eq(io.cancelled, 0);
	free(t);
}

Test(procio, cancelled_write_bytes)
{
	char *t = data("io.cancelled");
	struct procio io;

	cr_assert_eq(procio_parse(t, &io), 0);
	cr_assert_eq(io.write_bytes, 20971520);
	cr_assert_eq(io.cancelled, 20971520);
	free(t);
}

Test(procio, malformed)
{
	struct procio io;

	cr_assert_eq(procio_parse("", &io), -1);
	cr_assert_eq(procio_parse("wchar: 1\nsyscw: 2\nwrite_bytes: 3\n", &io), -1);
	cr_assert_eq(procio_parse("wchar: 1\nsyscw: 2\nwrite_bytes: x\n"
	    "cancelled_write_bytes: 0\n", &io), -1);
	cr_assert_eq(procio_parse("wchar: 99999999999999999999\nsyscw: 2\n"
	    "write_bytes: 3\ncancelled_write_bytes: 0\n", &io), -1);
	cr_assert_eq(procio_parse("wchar: 1\nsyscw: 2\nwrite_bytes: 3\n"
	    "cancelled_write_bytes: 4", &io), 0);
	cr_assert_eq(io.cancelled, 4);
}

Test(procio, stat_name_and_start)
{
	char *t = data("stat.python3"), comm[64];
	uint64_t start;

	cr_assert_eq(procio_parse_stat(t, comm, sizeof(comm), &start), 0);
	cr_assert_str_eq(comm, "python3");
	cr_assert_gt(start, 0);
	free(t);
	/* a name with spaces and parentheses ends at the last ')' */
	cr_assert_eq(procio_parse_stat("12 (a) b)) S 1 2 3 4 5 6 7 8 9 10 11 12 "
	    "13 14 15 16 17 18 4242 19\n", comm, sizeof(comm), &start), 0);
	cr_assert_str_eq(comm, "a) b)");
	cr_assert_eq(start, 4242);
	cr_assert_eq(procio_parse_stat("12 (x) S 1\n", comm, sizeof(comm), &start), -1);
}

static void
proc_sample(struct sys_sample *s, int64_t ns, const char *const *ios,
    const pid_t *pids, size_t n)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->mono_ns = ns;
	s->procs = calloc(n, sizeof(*s->procs));
	for (i = 0; i < n; i++) {
		char *t = ios[i] ? data(ios[i]) : NULL;

		s->procs[i].pid = pids[i];
		s->procs[i].start = 100;
		snprintf(s->procs[i].comm, sizeof(s->procs[i].comm), "p%d", pids[i]);
		s->procs[i].readable = t != NULL;
		if (t == NULL)
			s->unreadable++;
		else
			cr_assert_eq(procio_parse(t, &s->procs[i].io), 0);
		free(t);
	}
	s->nprocs = n;
}

Test(sampler, process_rates_sorted_unreadable_counted)
{
	static const char *const io1[] = { "io.cancelled", "io.dd.1", NULL };
	static const char *const io2[] = { "io.cancelled", "io.dd.2", NULL, "io.cancelled" };
	static const pid_t p1[] = { 10, 20, 30 }, p2[] = { 10, 20, 30, 40 };
	struct sys_sample a, b;
	struct sys_rates r;
	const struct sys_proc_rate *top;

	proc_sample(&a, 0, io1, p1, 3);
	proc_sample(&b, 500000000, io2, p2, 4);
	sampler_rates(&a, &b, &r);
	cr_assert_float_eq(r.secs, 0.5, 1e-9);
	cr_assert_eq(r.total, 4);
	cr_assert_eq(r.unreadable, 1);
	cr_assert_eq(r.nprocs, 3);	/* 10, 20 and the new 40 */
	/* dd first: (245305344 - 100405248) / 0.5 s */
	cr_assert_eq(r.procs[0].pid, 20);
	cr_assert_float_eq(r.procs[0].write_bytes_s, 289800192.0, 1e-3);
	cr_assert_float_eq(r.procs[0].wchar_s, (245235712.0 - 100335616) / 0.5, 1e-3);
	cr_assert_float_eq(r.procs[0].syscw_s, (3742.0 - 1531) / 0.5, 1e-9);
	/* 40 appeared: all its counters are this interval's */
	cr_assert_eq(r.procs[1].pid, 40);
	cr_assert(r.procs[1].appeared);
	cr_assert_eq(r.procs[1].delta.cancelled, 20971520);
	/* 10 did nothing */
	cr_assert_eq(r.procs[2].pid, 10);
	cr_assert_eq(r.procs[2].delta.wchar, 0);
	top = sampler_top_writer(&r, 0);
	cr_assert_eq(top->pid, 20);
	top = sampler_top_writer(&r, 20);
	cr_assert_eq(top->pid, 40);
	sampler_rates_free(&r);
	sampler_sample_free(&a);
	sampler_sample_free(&b);
}

Test(sampler, reused_pid_counts_from_zero)
{
	static const char *const io1[] = { "io.dd.2" };
	static const char *const io2[] = { "io.dd.1" };
	static const pid_t p[] = { 7 };
	struct sys_sample a, b;
	struct sys_rates r;

	proc_sample(&a, 0, io1, p, 1);
	proc_sample(&b, 1000000000, io2, p, 1);
	b.procs[0].start = 200;		/* another process with pid 7 */
	sampler_rates(&a, &b, &r);
	cr_assert_eq(r.nprocs, 1);
	cr_assert(r.procs[0].appeared);
	cr_assert_eq(r.procs[0].delta.write_bytes, 100405248);
	sampler_rates_free(&r);
	sampler_sample_free(&a);
	sampler_sample_free(&b);
}

/* ------------------------------------------------------------ blockdev */

static char *
root_disk_from_mounts(void)
{
	FILE *f = fopen("/proc/mounts", "r");
	char src[PATH_MAX], mnt[PATH_MAX], typ[64], *disk = NULL;
	char line[3 * PATH_MAX];

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%4095s %4095s %63s", src, mnt, typ) == 3 &&
		    strcmp(mnt, "/") == 0 && strncmp(src, "/dev/", 5) == 0) {
			free(disk);
			disk = strdup(src + 5);
		}
	fclose(f);
	return disk;
}

Test(blockdev, root_is_the_disk_proc_mounts_names)
{
	char *name = root_disk_from_mounts(), path[PATH_MAX], real[PATH_MAX];
	struct blockdev bd;

	if (name == NULL)
		cr_skip_test("/ is not mounted from a /dev block device here");
	/* the disk under it, found the other way: /sys/class/block/NAME */
	snprintf(path, sizeof(path), "/sys/class/block/%s/partition", name);
	if (access(path, F_OK) == 0) {
		char *slash;

		snprintf(path, sizeof(path), "/sys/class/block/%s", name);
		cr_assert_not_null(realpath(path, real));
		slash = strrchr(real, '/');
		*slash = '\0';
		free(name);
		name = strdup(strrchr(real, '/') + 1);
	}
	cr_assert_eq(blockdev_of_path("/sys", "/proc/self/mountinfo", "/etc/hostname",
	    &bd), 0);
	cr_assert(bd.block);
	cr_assert_str_eq(bd.disk, name);
	cr_assert_str_eq(bd.mountpoint, "/");
	/* a file that is gone: its directory's device */
	cr_assert_eq(blockdev_of_path("/sys", "/proc/self/mountinfo",
	    "/etc/no-such-file-here", &bd), 0);
	cr_assert_str_eq(bd.disk, name);
	free(name);
}

Test(blockdev, tmpfs_is_named_as_such)
{
	struct blockdev bd;
	char lab[128];

	if (access("/dev/shm", F_OK) != 0)
		cr_skip_test("no /dev/shm");
	cr_assert_eq(blockdev_of_path("/sys", "/proc/self/mountinfo", "/dev/shm",
	    &bd), 0);
	if (strcmp(bd.fstype, "tmpfs") != 0)
		cr_skip_test("/dev/shm is %s here", bd.fstype);
	cr_assert_not(bd.block);
	cr_assert_str_eq(blockdev_label(&bd, lab, sizeof(lab)), "tmpfs (no block device)");
}

/* A sysfs tree laid out as the kernel does it (symlinks into devices/):
   sda with partition sda1, and dm-0 on sda1. */
static void
mk(const char *root, const char *rel, const char *content)
{
	char p[PATH_MAX], cmd[2 * PATH_MAX];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s/%s')\"", root, rel);
	cr_assert_eq(system(cmd), 0);
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs(content, f);
	fclose(f);
}

static void
ln(const char *root, const char *target, const char *rel)
{
	char p[PATH_MAX], cmd[2 * PATH_MAX];

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s/%s')\"", root, rel);
	cr_assert_eq(system(cmd), 0);
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	cr_assert_eq(symlink(target, p), 0);
}

Test(blockdev, partitions_and_device_mapper_resolve_to_the_disk)
{
	char root[] = "/tmp/iospy-sysfs.XXXXXX", mi[PATH_MAX], cmd[PATH_MAX + 16];
	struct blockdev bd;
	char lab[128];

	cr_assert_not_null(mkdtemp(root));
	mk(root, "devices/pci0/block/sda/dev", "8:0\n");
	mk(root, "devices/pci0/block/sda/sda1/dev", "8:1\n");
	mk(root, "devices/pci0/block/sda/sda1/partition", "1\n");
	mk(root, "devices/virtual/block/dm-0/dev", "252:0\n");
	ln(root, "../../../../pci0/block/sda/sda1",
	    "devices/virtual/block/dm-0/slaves/sda1");
	ln(root, "../../devices/pci0/block/sda", "dev/block/8:0");
	ln(root, "../../devices/pci0/block/sda/sda1", "dev/block/8:1");
	ln(root, "../../devices/virtual/block/dm-0", "dev/block/252:0");
	mk(root, "mountinfo",
	    "26 1 8:1 / /boot rw - ext4 /dev/sda1 rw\n"
	    "27 1 252:0 / /srv\\040data rw - xfs /dev/mapper/vg-data rw\n");
	snprintf(mi, sizeof(mi), "%s/mountinfo", root);

	cr_assert_eq(blockdev_resolve(root, mi, makedev(8, 1), &bd), 0);
	cr_assert(bd.block);
	cr_assert_str_eq(bd.disk, "sda");
	cr_assert_str_eq(bd.via, "sda1");
	cr_assert_eq(bd.major, 8);
	cr_assert_eq(bd.minor, 0);
	cr_assert_str_eq(bd.fstype, "ext4");
	cr_assert_str_eq(bd.mountpoint, "/boot");

	cr_assert_eq(blockdev_resolve(root, mi, makedev(252, 0), &bd), 0);
	cr_assert_str_eq(bd.disk, "sda");
	cr_assert_str_eq(bd.via, "dm-0");
	cr_assert_eq(bd.ndisks, 1);
	cr_assert_str_eq(bd.mountpoint, "/srv data");
	cr_assert_str_eq(blockdev_label(&bd, lab, sizeof(lab)), "sda (via dm-0)");

	cr_assert_eq(blockdev_resolve(root, mi, makedev(8, 0), &bd), 0);
	cr_assert_str_eq(bd.disk, "sda");
	cr_assert_str_eq(bd.via, "");
	/* not a block device and not mounted: nothing known */
	cr_assert_eq(blockdev_resolve(root, mi, makedev(0, 99), &bd), -1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
}

Test(sampler, reaped_children_do_not_count_for_the_parent)
{
	/* a shell whose /proc/PID/io jumps by what the dd it reaped wrote
	   (io.cancelled: the recorded shell), while its one thread wrote
	   nothing itself */
	static const char *const io1[] = { "io.dd.1" };
	static const char *const io2[] = { "io.cancelled" };
	static const pid_t p[] = { 9 };
	struct sys_sample a, b;
	struct sys_rates r;

	proc_sample(&a, 0, io1, p, 1);
	proc_sample(&b, 1000000000, io2, p, 1);
	memset(&a.procs[0].io, 0, sizeof(a.procs[0].io));
	a.procs[0].tasks = calloc(1, sizeof(struct sys_task));
	a.procs[0].tasks[0].tid = 9;
	a.procs[0].tasks[0].io.wchar = 100;
	a.procs[0].ntasks = 1;
	b.procs[0].tasks = calloc(2, sizeof(struct sys_task));
	b.procs[0].tasks[0].tid = 9;
	b.procs[0].tasks[0].io.wchar = 150;
	b.procs[0].tasks[1].tid = 11;	/* a thread new in b: from 0 */
	b.procs[0].tasks[1].io.write_bytes = 4096;
	b.procs[0].ntasks = 2;
	sampler_rates(&a, &b, &r);
	cr_assert_eq(r.nprocs, 1);
	cr_assert_eq(r.procs[0].delta.wchar, 50);
	cr_assert_eq(r.procs[0].delta.write_bytes, 4096);
	cr_assert_eq(r.procs[0].delta.cancelled, 0);
	sampler_rates_free(&r);
	sampler_sample_free(&a);
	sampler_sample_free(&b);
}
