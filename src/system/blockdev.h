/*
 * blockdev.h: which block device a file lives on: st_dev ->
 * /sys/dev/block/MAJ:MIN, a partition resolved to its disk, device-mapper
 * and md resolved through their slaves to the disk(s) under them, and
 * filesystems without a block device (tmpfs, overlay, proc...) named by
 * their type from /proc/self/mountinfo.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SYSTEM_BLOCKDEV_H
#define IOSPY_SYSTEM_BLOCKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where a file's bytes go. */
struct blockdev {
	bool block;		/* a block device was found (else fstype only) */
	char disk[64];		/* the whole disk ("vda", "nvme0n1"), or "" */
	unsigned major, minor;	/* the disk's numbers (its /proc/diskstats line) */
	char via[64];		/* the partition or dm/md device on it ("vda1",
				   "dm-0"), "" when the disk itself */
	unsigned ndisks;	/* disks under a dm/md device (1 otherwise) */
	char fstype[32];	/* from mountinfo ("ext4", "tmpfs"), "" unknown */
	char mountpoint[256];	/* raw bytes, "" unknown */
};

/*
 * Resolve a device number (st_dev).  sys_root is "/sys", mountinfo the
 * path of a mountinfo file ("/proc/self/mountinfo").  Returns 0 (something
 * is known: a disk or a filesystem type), or -1.
 */
int blockdev_resolve(const char *sys_root, const char *mountinfo, dev_t dev,
    struct blockdev *out);

/*
 * The device of a path: stat(path), or its directory when the file is
 * gone (rotated, deleted).  Returns 0 or -1.
 */
int blockdev_of_path(const char *sys_root, const char *mountinfo,
    const char *path, struct blockdev *out);

/* A short label: "vda", "vda (via dm-0)", "tmpfs", "?" into buf. */
const char *blockdev_label(const struct blockdev *b, char *buf, size_t bufsz);

#endif /* IOSPY_SYSTEM_BLOCKDEV_H */
