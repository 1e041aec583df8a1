/*
 * sockname.c: a socket's protocol and endpoints from the /proc/PID/net
 * tables, for strace -yy's names: "TCP:[1.2.3.4:80->5.6.7.8:9]" once
 * bound or connected, "TCP:[INODE]" before, "UNIX-STREAM:[INODE]".
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/sockname.h"

static bool enabled;

void
sockname_enable(bool on)
{
	enabled = on;
}

/* Field idx (0-based, space-separated) of line as a number, or -1. */
static long long
field(const char *line, int idx)
{
	const char *p = line;
	int i;

	for (i = 0; ; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '\n')
			return -1;
		if (i == idx) {
			char *end;
			long long v = strtoll(p, &end, 10);

			return end == p ? -1 : v;
		}
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
	}
}

/* The table file /proc/PID/net/NAME: is ino in it (inode in column
 * col)?  Its line into found_line (when not NULL). */
static bool
in_table(pid_t pid, const char *name, int col, unsigned long long ino,
    char *found_line, size_t fsz)
{
	char path[64], line[512];
	FILE *f;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/net/%s", (int)pid, name);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	if (fgets(line, sizeof(line), f) == NULL) {	/* the header */
		fclose(f);
		return false;
	}
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = field(line, col) == (long long)ino;
	fclose(f);
	if (found && found_line != NULL)
		snprintf(found_line, fsz, "%s", line);
	return found;
}

/* One "ADDR:PORT" of a tcp/udp table (hex, the address in the kernel's
 * byte order as /proc prints it) as strace -yy writes it: "1.2.3.4:80",
 * "[::1]:80"; false for the any-address with port 0 (nothing bound). */
static bool
endpoint(const char *hex, bool v6, char *out, size_t outsz)
{
	char a[INET6_ADDRSTRLEN];
	unsigned port;
	uint32_t w[4];
	size_t nw = v6 ? 4 : 1, i;
	const char *colon = strchr(hex, ':');

	if (colon == NULL || (size_t)(colon - hex) != nw * 8)
		return false;
	for (i = 0; i < nw; i++) {
		char part[9];

		memcpy(part, hex + i * 8, 8);
		part[8] = '\0';
		w[i] = (uint32_t)strtoul(part, NULL, 16);
	}
	port = (unsigned)strtoul(colon + 1, NULL, 16);
	if (port == 0 && w[0] == 0 && (!v6 || (w[1] == 0 && w[2] == 0 &&
	    w[3] == 0)))
		return false;
	if (inet_ntop(v6 ? AF_INET6 : AF_INET, w, a, sizeof(a)) == NULL)
		return false;
	snprintf(out, outsz, v6 ? "[%s]:%u" : "%s:%u", a, port);
	return true;
}

/* "local->remote", "local", or "" from a tcp/udp table line. */
static void
endpoints(const char *line, bool v6, char *out, size_t outsz)
{
	char loc[64], rem[64], l[80], r[80];

	out[0] = '\0';
	if (sscanf(line, "%*s %63s %63s", loc, rem) != 2 ||
	    !endpoint(loc, v6, l, sizeof(l)))
		return;
	if (endpoint(rem, v6, r, sizeof(r)))
		snprintf(out, outsz, "%s->%s", l, r);
	else
		snprintf(out, outsz, "%s", l);
}

/* The unix socket's type (0001 stream, 0002 dgram, 0005 seqpacket). */
static const char *
unix_kind(pid_t pid, unsigned long long ino)
{
	char path[64], line[512];
	FILE *f;
	const char *kind = NULL;

	snprintf(path, sizeof(path), "/proc/%d/net/unix", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return NULL;
	if (fgets(line, sizeof(line), f) != NULL)
		while (kind == NULL && fgets(line, sizeof(line), f) != NULL) {
			char num[32], type[16];
			unsigned long ref, proto, flags;
			unsigned st;
			unsigned long long i;

			if (sscanf(line, "%31s %lx %lx %lx %15s %x %llu", num,
			    &ref, &proto, &flags, type, &st, &i) != 7 || i != ino)
				continue;
			kind = strcmp(type, "0001") == 0 ? "UNIX-STREAM" :
			    strcmp(type, "0002") == 0 ? "UNIX-DGRAM" :
			    strcmp(type, "0005") == 0 ? "UNIX-SEQPACKET" : "UNIX";
		}
	fclose(f);
	return kind;
}

ssize_t
sockname_rewrite(pid_t pid, char *buf, size_t bufsz, ssize_t n)
{
	static const struct { const char *table; int col; const char *proto; }
	    inet[] = {
		{ "tcp", 9, "TCP" }, { "tcp6", 9, "TCPv6" },
		{ "udp", 9, "UDP" }, { "udp6", 9, "UDPv6" },
		{ "udplite", 9, "UDPLITE" }, { "udplite6", 9, "UDPLITEv6" },
		{ "raw", 9, "RAW" }, { "raw6", 9, "RAWv6" },
		{ "netlink", 9, "NETLINK" }, { "packet", 8, "PACKET" },
	};
	const char *proto = NULL;
	unsigned long long ino;
	char *end, line[512], ep[200] = "";
	size_t i;
	int w;

	if (!enabled || n <= 9 || strncmp(buf, "socket:[", 8) != 0)
		return n;
	ino = strtoull(buf + 8, &end, 10);
	if (end == buf + 8 || end[0] != ']' || end[1] != '\0')
		return n;
	proto = unix_kind(pid, ino);
	for (i = 0; proto == NULL && i < sizeof(inet) / sizeof(inet[0]); i++)
		if (in_table(pid, inet[i].table, inet[i].col, ino, line,
		    sizeof(line))) {
			proto = inet[i].proto;
			/* tcp, udp, udplite: the endpoints, as strace -yy */
			if (i < 6)
				endpoints(line, i % 2 == 1, ep, sizeof(ep));
		}
	if (proto == NULL)
		return n;
	if (ep[0] != '\0')
		w = snprintf(buf, bufsz, "%s:[%s]", proto, ep);
	else
		w = snprintf(buf, bufsz, "%s:[%llu]", proto, ino);
	return w > 0 && (size_t)w < bufsz ? w : n;
}

void
sockname_from_args(char *buf, size_t bufsz, int domain, int type)
{
	const char *proto = NULL;
	unsigned long long ino;
	char *end;

	if (!enabled || strncmp(buf, "socket:[", 8) != 0)
		return;
	ino = strtoull(buf + 8, &end, 10);
	if (end == buf + 8 || end[0] != ']')
		return;
	type &= 0xf;	/* SOCK_NONBLOCK and SOCK_CLOEXEC live above */
	switch (domain) {
	case 1:		/* AF_UNIX */
		proto = type == 1 ? "UNIX-STREAM" : type == 2 ? "UNIX-DGRAM" :
		    type == 5 ? "UNIX-SEQPACKET" : "UNIX";
		break;
	case 2:		/* AF_INET */
		proto = type == 1 ? "TCP" : type == 2 ? "UDP" : type == 3 ?
		    "RAW" : NULL;
		break;
	case 10:	/* AF_INET6 */
		proto = type == 1 ? "TCPv6" : type == 2 ? "UDPv6" : type == 3 ?
		    "RAWv6" : NULL;
		break;
	case 16:	/* AF_NETLINK */
		proto = "NETLINK";
		break;
	case 17:	/* AF_PACKET */
		proto = "PACKET";
		break;
	default:
		break;
	}
	if (proto != NULL)
		snprintf(buf, bufsz, "%s:[%llu]", proto, ino);
}
