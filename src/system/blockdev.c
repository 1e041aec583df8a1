/*
 * blockdev.c: st_dev -> disk, through sysfs and mountinfo.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "system/blockdev.h"
#include "system/procio.h"
#include "base/util.h"

/* Copy a string, cut to fit. */
static void
copy(char *dst, size_t dsz, const char *src)
{
	size_t n = strlen(src);

	if (n >= dsz)
		n = dsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void
unescape_octal(char *s)
{
	char *o = s;

	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else
			*o++ = *s++;
	}
	*o = '\0';
}

/* Find dev in mountinfo: its type, mount point and source. */
static bool
mount_of(const char *mountinfo, dev_t dev, char *fstype, size_t fsz,
    char *mnt, size_t msz, char *src, size_t ssz)
{
	char *text = procio_slurp(mountinfo, 4 << 20, NULL), *line, *save = NULL;
	bool found = false;

	if (text == NULL)
		return false;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		unsigned ma, mi;
		char mp[PATH_MAX], *sep, typ[64], source[PATH_MAX];

		/* id parent MAJ:MIN root mountpoint opts [optional...] - type source super */
		if (sscanf(line, "%*u %*u %u:%u %*s %4095s", &ma, &mi, mp) != 3)
			continue;
		if (makedev(ma, mi) != dev)
			continue;
		sep = strstr(line, " - ");
		if (sep == NULL || sscanf(sep + 3, "%63s %4095s", typ, source) != 2)
			continue;
		unescape_octal(mp);
		unescape_octal(source);
		copy(fstype, fsz, typ);
		copy(mnt, msz, mp);
		copy(src, ssz, source);
		found = true;
		/* the last mount of the device wins: it is the visible one */
	}
	free(text);
	return found;
}

static bool
read_devnum(const char *path, unsigned *ma, unsigned *mi)
{
	char *t = procio_slurp(path, 64, NULL);
	bool ok;

	if (t == NULL)
		return false;
	ok = sscanf(t, "%u:%u", ma, mi) == 2;
	free(t);
	return ok;
}

/*
 * The whole disk under the sysfs block directory dir (a realpath under
 * /sys/devices): a partition's parent; a dm/md device's first slave,
 * itself resolved.  depth bounds stacked devices.
 */
static bool
disk_under(const char *dir, struct blockdev *out, int depth)
{
	char path[PATH_MAX], real[PATH_MAX], *base;
	DIR *d;
	struct dirent *de;
	bool got = false;
	unsigned nslaves = 0;

	if (depth > 8)
		return false;
	snprintf(path, sizeof(path), "%s/partition", dir);
	if (access(path, F_OK) == 0) {
		char parent[PATH_MAX];

		copy(parent, sizeof(parent), dir);
		base = strrchr(parent, '/');
		if (base == NULL)
			return false;
		*base = '\0';
		return disk_under(parent, out, depth + 1);
	}
	snprintf(path, sizeof(path), "%s/slaves", dir);
	d = opendir(path);
	if (d != NULL) {
		while ((de = readdir(d)) != NULL) {
			char sp[PATH_MAX];

			if (de->d_name[0] == '.')
				continue;
			nslaves++;
			if (got)
				continue;
			snprintf(sp, sizeof(sp), "%s/slaves/%s", dir, de->d_name);
			if (realpath(sp, real) != NULL && disk_under(real, out, depth + 1))
				got = true;
		}
		closedir(d);
		if (got) {
			if (nslaves > out->ndisks)
				out->ndisks = nslaves;
			return true;
		}
	}
	/* a whole disk */
	base = strrchr(dir, '/');
	if (base == NULL)
		return false;
	copy(out->disk, sizeof(out->disk), base + 1);
	snprintf(path, sizeof(path), "%s/dev", dir);
	if (!read_devnum(path, &out->major, &out->minor))
		return false;
	if (out->ndisks == 0)
		out->ndisks = 1;
	return true;
}

static bool
resolve_block(const char *sys_root, dev_t dev, struct blockdev *out)
{
	char path[PATH_MAX], real[PATH_MAX], *base;

	snprintf(path, sizeof(path), "%s/dev/block/%u:%u", sys_root, major(dev),
	    minor(dev));
	if (realpath(path, real) == NULL)
		return false;
	if (!disk_under(real, out, 0))
		return false;
	base = strrchr(real, '/');
	if (base != NULL && strcmp(base + 1, out->disk) != 0)
		copy(out->via, sizeof(out->via), base + 1);
	out->block = true;
	return true;
}

/* Resolve a device number. */
int
blockdev_resolve(const char *sys_root, const char *mountinfo, dev_t dev,
    struct blockdev *out)
{
	char src[PATH_MAX];
	bool mounted;

	memset(out, 0, sizeof(*out));
	mounted = mount_of(mountinfo, dev, out->fstype, sizeof(out->fstype),
	    out->mountpoint, sizeof(out->mountpoint), src, sizeof(src));
	if (major(dev) != 0 && resolve_block(sys_root, dev, out))
		return 0;
	/* an anonymous device (btrfs subvolumes...) whose source is a block
	   device: that device */
	if (mounted && strncmp(src, "/dev/", 5) == 0) {
		struct stat sb;

		if (stat(src, &sb) == 0 && S_ISBLK(sb.st_mode) &&
		    resolve_block(sys_root, sb.st_rdev, out))
			return 0;
	}
	return mounted ? 0 : -1;
}

/* The device of a path. */
int
blockdev_of_path(const char *sys_root, const char *mountinfo, const char *path,
    struct blockdev *out)
{
	struct stat sb;
	char dir[PATH_MAX];

	/* a file that is gone (rotated, deleted, its directory too): the
	   nearest directory above it that still exists */
	copy(dir, sizeof(dir), path);
	while (stat(dir, &sb) != 0) {
		char *slash = strrchr(dir, '/');

		if (slash == NULL || slash == dir) {
			if (stat("/", &sb) != 0 || dir[0] != '/') {
				memset(out, 0, sizeof(*out));
				return -1;
			}
			break;
		}
		*slash = '\0';
	}
	return blockdev_resolve(sys_root, mountinfo, sb.st_dev, out);
}

/* A short label. */
const char *
blockdev_label(const struct blockdev *b, char *buf, size_t bufsz)
{
	if (b->block && b->via[0] != '\0')
		snprintf(buf, bufsz, "%s (via %s)", b->disk, b->via);
	else if (b->block)
		snprintf(buf, bufsz, "%s", b->disk);
	else if (b->fstype[0] != '\0')
		snprintf(buf, bufsz, "%s (no block device)", b->fstype);
	else
		snprintf(buf, bufsz, "?");
	return buf;
}
