/*
 * procio.c: read /proc/PID/io and /proc/PID/stat.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "system/procio.h"
#include "base/util.h"

/* Parse the text of /proc/PID/io. */
int
procio_parse(const char *text, struct procio *io)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "wchar", offsetof(struct procio, wchar) },
		{ "syscw", offsetof(struct procio, syscw) },
		{ "write_bytes", offsetof(struct procio, write_bytes) },
		{ "cancelled_write_bytes", offsetof(struct procio, cancelled) },
	};
	unsigned seen = 0;
	const char *p = text;
	size_t i;

	memset(io, 0, sizeof(*io));
	while (*p != '\0') {
		size_t klen = strcspn(p, ":\n");
		const char *nl;

		if (p[klen] == ':')
			for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
				const char *end = p + klen + 1;
				uint64_t v;

				if (strlen(keys[i].key) != klen ||
				    strncmp(p, keys[i].key, klen) != 0)
					continue;
				if (!util_scan_u64(&end, &v) ||
				    (*end != '\n' && *end != '\0'))
					return -1;
				*(uint64_t *)(void *)((char *)io + keys[i].off) = v;
				seen |= 1u << i;
			}
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return seen == 0xf ? 0 : -1;
}

/* Parse the text of /proc/PID/stat. */
int
procio_parse_stat(const char *text, char *comm, size_t commsz, uint64_t *start)
{
	const char *lp = strchr(text, '('), *rp = strrchr(text, ')'), *p;
	size_t n;
	int field;

	/* the name may hold spaces and parentheses: it ends at the last ')' */
	if (lp == NULL || rp == NULL || rp < lp || commsz == 0)
		return -1;
	n = (size_t)(rp - lp - 1);
	if (n >= commsz)
		n = commsz - 1;
	memcpy(comm, lp + 1, n);
	comm[n] = '\0';
	/* field 3 (state) follows ") "; start time is field 22 */
	p = rp + 1;
	for (field = 3; field < 22; field++) {
		while (*p == ' ')
			p++;
		if (*p == '\0' || *p == '\n')
			return -1;
		p += strcspn(p, " \n");
	}
	if (!util_scan_u64(&p, start))
		return -1;
	return 0;
}

/* Read a whole small file. */
char *
procio_slurp(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	size_t n = 0;

	if (fd < 0)
		return NULL;
	buf = xmalloc(max + 1);
	while (n < max) {
		ssize_t k = read(fd, buf + n, max - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;

			close(fd);
			free(buf);
			errno = e;
			return NULL;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

/* Read proc_root/PID/io. */
int
procio_read(const char *proc_root, pid_t pid, struct procio *io)
{
	char path[256], *text;
	int rc;

	snprintf(path, sizeof(path), "%s/%ld/io", proc_root, (long)pid);
	text = procio_slurp(path, 4096, NULL);
	if (text == NULL)
		return errno == EACCES || errno == EPERM ? PROCIO_DENIED :
		    PROCIO_GONE;
	rc = procio_parse(text, io);
	free(text);
	/* an empty read: the process exited between open and read */
	return rc == 0 ? PROCIO_OK : PROCIO_GONE;
}

/* The command line of pid. */
char *
procio_cmdline(const char *proc_root, pid_t pid, char *buf, size_t bufsz)
{
	char path[256], *text;
	size_t len, i;

	if (bufsz == 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/%ld/cmdline", proc_root, (long)pid);
	text = procio_slurp(path, bufsz - 1, &len);
	if (text == NULL)
		return NULL;
	while (len > 0 && text[len - 1] == '\0')
		len--;
	for (i = 0; i < len; i++)
		if (text[i] == '\0')
			text[i] = ' ';
	memcpy(buf, text, len);
	buf[len] = '\0';
	free(text);
	if (len == 0) {
		char comm[64];
		uint64_t st;

		snprintf(path, sizeof(path), "%s/%ld/stat", proc_root, (long)pid);
		text = procio_slurp(path, 4096, NULL);
		if (text == NULL)
			return NULL;
		if (procio_parse_stat(text, comm, sizeof(comm), &st) == 0)
			snprintf(buf, bufsz, "[%s]", comm);
		free(text);
	}
	return buf;
}
