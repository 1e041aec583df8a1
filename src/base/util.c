/*
 * util.c: allocation, parsing, escaping and clock helpers.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fnmatch.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"

static void
oom(size_t n)
{
	fprintf(stderr, "iospy: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	n = strnlen(s, n);	/* strndup semantics: stop at a NUL */
	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Parse a size with optional binary unit suffix. */
int
util_parse_size(const char *s, uint64_t *out)
{
	char *end;
	double v;
	uint64_t mult = 1;

	if (s == NULL || *s == '\0' || *s == '-' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || !isfinite(v) || v < 0)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'b':
		end++;
		break;
	case 'k':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g':
		mult = 1ULL << 30;
		end++;
		break;
	case 't':
		mult = 1ULL << 40;
		end++;
		break;
	default:
		return -1;
	}
	if (mult > 1) {
		/* accept k, kB, KiB, kib */
		if (end[0] == 'i' || end[0] == 'I')
			end++;
		if (end[0] == 'b' || end[0] == 'B')
			end++;
	}
	if (*end != '\0')
		return -1;
	v *= (double)mult;
	if (v >= 18446744073709551615.0)
		return -1;
	*out = (uint64_t)(v + 0.5);
	return 0;
}

/* Parse a non-negative number of seconds. */
int
util_parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* Format a byte count in binary units. */
const char *
util_fmt_size(uint64_t n, char *buf, size_t bufsz)
{
	static const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)n;
	int u = 0;

	if (n < 1024) {
		snprintf(buf, bufsz, "%llu B", (unsigned long long)n);
		return buf;
	}
	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	snprintf(buf, bufsz, "%.1f %s", v, units[u]);
	return buf;
}

/* Escape bytes as strace prints strings. */
size_t
util_escape(char *buf, size_t bufsz, const char *s, size_t len)
{
	size_t o = 0, i;
	char tmp[5];

#define PUT(c) do { if (o + 1 < bufsz) buf[o] = (c); o++; } while (0)
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *e = NULL;
		size_t k;

		switch (c) {
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\v': e = "\\v"; break;
		case '\f': e = "\\f"; break;
		case '\r': e = "\\r"; break;
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		default:
			break;
		}
		if (e == NULL && (c < 0x20 || c >= 0x7f)) {
			/* fewest octal digits, three if the next char is 0-7 */
			bool next_octal = i + 1 < len &&
			    s[i + 1] >= '0' && s[i + 1] <= '7';
			if (next_octal || c >= 0100)
				snprintf(tmp, sizeof(tmp), "\\%03o", c);
			else
				snprintf(tmp, sizeof(tmp), "\\%o", c);
			e = tmp;
		}
		if (e != NULL) {
			for (k = 0; e[k] != '\0'; k++)
				PUT(e[k]);
		} else
			PUT((char)c);
	}
	if (bufsz > 0)
		buf[o < bufsz ? o : bufsz - 1] = '\0';
#undef PUT
	return o;
}

/* Write bytes to f, escaped as util_escape does. */
void
util_fputs_escaped(FILE *f, const char *s, size_t len)
{
	char buf[1024];
	size_t i = 0;

	while (i < len) {
		/* a byte expands to at most 4 chars */
		size_t chunk = len - i > 250 ? 250 : len - i;

		util_escape(buf, sizeof(buf), s + i, chunk);
		fputs(buf, f);
		i += chunk;
	}
}

/* Escape a path for a terminal. */
static bool utf8_out;

void
util_set_utf8(bool on)
{
	utf8_out = on;
}

bool
util_utf8(void)
{
	return utf8_out;
}

/*
 * Length of the printable UTF-8 character at p (2 to 4 bytes), or 0: not
 * well formed (overlong, surrogate, past U+10FFFF, cut), or a character
 * that must not reach a terminal raw: the C1 controls U+0080-U+009F and
 * the bidirectional overrides and isolates, which reorder what follows.
 */
static size_t
utf8_char(const unsigned char *p)
{
	uint32_t c;
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;	/* also the terminating NUL */
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	if ((c >= 0xd800 && c <= 0xdfff) || c <= 0x9f)
		return 0;
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x200e || c == 0x200f || c == 0x061c)
		return 0;
	return n;
}

const char *
util_escape_path(const char *path, char *buf, size_t bufsz)
{
	size_t o = 0;
	const unsigned char *p;

	if (bufsz == 0)
		return buf;
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		char tmp[5];
		const char *e;
		size_t k, u;

		if (utf8_out && *p >= 0xc2 && (u = utf8_char(p)) > 0) {
			if (o + u >= bufsz)
				goto out;
			memcpy(buf + o, p, u);
			o += u;
			p += u - 1;
			continue;
		}
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			tmp[0] = (char)*p;
			tmp[1] = '\0';
		} else if (*p == '\\')
			snprintf(tmp, sizeof(tmp), "\\\\");
		else if (*p == '\n')
			snprintf(tmp, sizeof(tmp), "\\n");
		else
			snprintf(tmp, sizeof(tmp), "\\%03o", *p);
		e = tmp;
		for (k = 0; e[k] != '\0'; k++) {
			if (o + 1 >= bufsz)
				goto out;
			buf[o++] = e[k];
		}
	}
out:
	buf[o] = '\0';
	return buf;
}

int64_t
util_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
util_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct named {
	int num;
	const char *name;
};

#define E(x) { x, #x }
static const struct named errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ENOSTR),
	E(ENODATA), E(ETIME), E(ENOSR), E(EREMOTE), E(ENOLINK), E(EPROTO),
	E(EBADMSG), E(EOVERFLOW), E(EILSEQ), E(EUSERS), E(ENOTSOCK),
	E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT),
	E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(EPFNOSUPPORT),
	E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN),
	E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED), E(ECONNRESET),
	E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS),
	E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH),
	E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EDQUOT), E(ECANCELED),
	E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),
	E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED),
	E(EMEDIUMTYPE), E(ENOMEDIUM), E(EREMOTEIO), E(EISNAM), E(ENAVAIL),
	E(ENOTNAM), E(EUCLEAN), E(ESTRPIPE), E(ERESTART), E(ELIBEXEC),
	E(ELIBMAX), E(ELIBSCN), E(ELIBBAD), E(ELIBACC), E(EREMCHG),
	E(EBADFD), E(ENOTUNIQ), E(ECOMM), E(ESRMNT), E(EADV), E(ENOPKG),
	E(ENONET), E(ENOANO), E(EBADRQC), E(EBADSLT), E(EBFONT), E(EBADR),
	E(EBADE), E(EXFULL), E(ECHRNG), E(EL2NSYNC), E(EL3HLT), E(EL3RST),
	E(ELNRNG), E(EUNATCH), E(ENOCSI), E(EL2HLT),
	/* kernel-internal restart codes strace shows */
	{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" },
	{ 514, "ERESTARTNOHAND" }, { 515, "ENOIOCTLCMD" },
	{ 516, "ERESTART_RESTARTBLOCK" }, { 517, "EPROBE_DEFER" },
	{ 518, "EOPENSTALE" }, { 519, "ENOPARAM" },
	{ 521, "EBADHANDLE" }, { 522, "ENOTSYNC" }, { 523, "EBADCOOKIE" },
	{ 524, "ENOTSUPP" }, { 525, "ETOOSMALL" }, { 526, "ESERVERFAULT" },
	{ 527, "EBADTYPE" }, { 528, "EJUKEBOX" }, { 529, "EIOCBQUEUED" },
	{ 530, "ERECALLCONFLICT" },
};

static const struct named signals[] = {
	E(SIGHUP), E(SIGINT), E(SIGQUIT), E(SIGILL), E(SIGTRAP), E(SIGABRT),
	E(SIGBUS), E(SIGFPE), E(SIGKILL), E(SIGUSR1), E(SIGSEGV), E(SIGUSR2),
	E(SIGPIPE), E(SIGALRM), E(SIGTERM), E(SIGSTKFLT), E(SIGCHLD),
	E(SIGCONT), E(SIGSTOP), E(SIGTSTP), E(SIGTTIN), E(SIGTTOU), E(SIGURG),
	E(SIGXCPU), E(SIGXFSZ), E(SIGVTALRM), E(SIGPROF), E(SIGWINCH),
	E(SIGIO), E(SIGPWR), E(SIGSYS),
	{ SIGIO, "SIGPOLL" }, { SIGABRT, "SIGIOT" }, { SIGCHLD, "SIGCLD" },
};
#undef E

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *
named_name(const struct named *t, size_t n, int num)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].num == num)
			return t[i].name;
	return NULL;
}

static int
named_num(const struct named *t, size_t n, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strncmp(t[i].name, name, len) == 0 && t[i].name[len] == '\0')
			return t[i].num;
	return 0;
}

const char *
util_errno_name(int e)
{
	return named_name(errnos, NELEM(errnos), e);
}

int
util_errno_by_name(const char *name, size_t len)
{
	return named_num(errnos, NELEM(errnos), name, len);
}

const char *
util_signal_name(int sig)
{
	return named_name(signals, NELEM(signals), sig);
}

int
util_signal_by_name(const char *name, size_t len)
{
	return named_num(signals, NELEM(signals), name, len);
}

bool
util_scan_u64(const char **pp, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;	/* out of range: refused, never wrapped */
		v = v * 10 + d;
		p++;
	}
	*pp = p;
	*out = v;
	return true;
}

bool
util_glob_any(char *const *globs, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (globs[i] != NULL && fnmatch(globs[i], path, 0) == 0)
			return true;
	return false;
}

bool
util_path_clean(const char *path, char *buf, size_t bufsz)
{
	const char *p = path;
	size_t o = 0;

	if (bufsz < 2)
		return false;
	if (*p == '/')
		buf[o++] = '/';
	while (*p != '\0') {
		const char *s;
		size_t n;

		while (*p == '/')
			p++;
		s = p;
		while (*p != '\0' && *p != '/')
			p++;
		n = (size_t)(p - s);
		if (n == 0 || (n == 1 && s[0] == '.'))
			continue;	/* "//", "./", "/./", a trailing '/' */
		if (n == 2 && s[0] == '.' && s[1] == '.' && buf[0] == '/') {
			/* absolute: up one, never above the root */
			while (o > 1 && buf[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o > 0 && buf[o - 1] != '/')
			buf[o++] = '/';
		if (o + n >= bufsz)
			return false;
		memcpy(buf + o, s, n);
		o += n;
	}
	if (o == 0)
		buf[o++] = '.';
	buf[o] = '\0';
	return strcmp(buf, path) != 0;
}

int
util_fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}
