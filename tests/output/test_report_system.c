/*
 * tests/output/test_report_system.c: the device section of live reports:
 * files put on their disk, the disk's rates over the window (recorded
 * /proc/diskstats samples), the share of it the traced writes are, and
 * the busy-device finding only when the disk is busy and the traced
 * writes are most of what it wrote.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed_events.h"
#include "output/report_system.h"
#include "system/blockdev.h"
#include "system/procio.h"

static struct disk_stat *
recorded(const char *name, size_t *n, unsigned major, unsigned minor)
{
	const char *s = getenv("TOP_SRCDIR");
	char path[1024], *t;
	size_t bad, line, i;
	struct disk_stat *d;

	snprintf(path, sizeof(path), "%s/tests/data/system/%s", s ? s : ".", name);
	t = procio_slurp(path, 1 << 20, NULL);
	cr_assert_not_null(t, "%s", path);
	d = diskstats_parse(t, n, &bad, &line);
	free(t);
	/* the recorded disk is vda 254:0: give it the numbers of the disk
	   this machine has under /etc, so the file below lands on it */
	for (i = 0; i < *n; i++)
		if (strcmp(d[i].name, "vda") == 0) {
			d[i].major = major;
			d[i].minor = minor;
		}
	return d;
}

/* One process writing mib MiB to a file under /etc, a window of secs
   over the recorded dd (202.3 MiB written, 252 ms busy). */
static void
run(uint64_t mib, double secs, struct report_system *rs, struct feed *fd,
    struct sys_window *w, char *text, size_t textsz)
{
	struct system_settings set;
	struct blockdev bd;
	FILE *f;

	if (blockdev_of_path("/sys", "/proc/self/mountinfo", "/etc", &bd) != 0 ||
	    !bd.block)
		cr_skip_test("/etc is not on a block device here");
	feed_init(fd);
	feed_name(fd, 100, "logapp", "logapp");
	feed_open(fd, 100, "/etc/iospy-no-such-dir/app.log", O_WRONLY | O_CREAT, 3);
	feed_write(fd, 100, 3, mib * MiB);
	memset(w, 0, sizeof(*w));
	w->d0 = recorded("diskstats.1", &w->n0, bd.major, bd.minor);
	w->d1 = recorded("diskstats.2", &w->n1, bd.major, bd.minor);
	w->start_ns = 1000;
	w->end_ns = 1000 + (int64_t)(secs * 1e9);
	w->ended = true;
	system_settings_defaults(&set);
	report_system_build(rs, fd->st, w, &set);
	f = fmemopen(text, textsz, "w");
	cr_assert_eq(report_system_text(f, rs, fd->st), 0);
	fclose(f);
}

Test(report_system, busy_disk_mostly_the_traced_writes_is_a_finding)
{
	struct report_system rs;
	struct feed fd;
	struct sys_window w;
	char text[8192];

	run(150, 0.3, &rs, &fd, &w, text, sizeof(text));
	cr_assert_eq(rs.ndevs, 1);
	cr_assert(rs.devs[0].have_rate);
	cr_assert_float_eq(rs.devs[0].rate.util_pct, 84.0, 1e-6);
	cr_assert_float_eq(rs.devs[0].share, 150.0 * MiB / (414400 * 512.0), 1e-9);
	cr_assert(rs.devs[0].busy_finding);
	cr_assert(strstr(text, "was 84% busy and the traced writes were 74% of "
	    "what it wrote") != NULL, "%s", text);
	cr_assert(strstr(text, "/etc/iospy-no-such-dir/app.log on ") != NULL, "%s", text);
	report_system_free(&rs);
	window_free(&w);
	feed_fini(&fd);
}

Test(report_system, idle_disk_is_no_finding)
{
	struct report_system rs;
	struct feed fd;
	struct sys_window w;
	char text[8192];

	/* the same bytes over 2 s: 12.6% busy */
	run(150, 2.0, &rs, &fd, &w, text, sizeof(text));
	cr_assert_float_eq(rs.devs[0].rate.util_pct, 12.6, 1e-6);
	cr_assert_not(rs.devs[0].busy_finding);
	cr_assert(strstr(text, "busy and the traced") == NULL, "%s", text);
	cr_assert(strstr(text, "13% busy") != NULL, "%s", text);
	report_system_free(&rs);
	window_free(&w);
	feed_fini(&fd);
}

Test(report_system, busy_disk_mostly_others_is_no_finding)
{
	struct report_system rs;
	struct feed fd;
	struct sys_window w;
	char text[8192];

	run(50, 0.3, &rs, &fd, &w, text, sizeof(text));
	cr_assert(rs.devs[0].share < 0.5);
	cr_assert_not(rs.devs[0].busy_finding);
	cr_assert(strstr(text, "25% of the 202.3 MiB") != NULL, "%s", text);
	report_system_free(&rs);
	window_free(&w);
	feed_fini(&fd);
}

Test(report_system, more_than_the_disk_wrote_is_all_of_it)
{
	struct report_system rs;
	struct feed fd;
	struct sys_window w;
	char text[8192];

	/* writes still in the page cache at the end: never over 100% */
	run(400, 0.3, &rs, &fd, &w, text, sizeof(text));
	cr_assert_float_eq(rs.devs[0].share, 1.0, 1e-12);
	cr_assert(rs.devs[0].busy_finding);
	report_system_free(&rs);
	window_free(&w);
	feed_fini(&fd);
}
