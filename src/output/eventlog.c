/*
 * eventlog.c: events written back in strace's own format.
 *
 * One line per event, as `strace -f -y -o FILE` prints it: the thread id
 * padded to five columns, the -t/-tt/-ttt timestamp, the call with -y fd
 * annotations, " = " at column 40, the result (errno name and text on
 * failure, the fd's path on calls that return one) and the -T duration.
 * Strings are escaped as strace escapes them, with "..." after a string cut
 * by -s; paths inside <...> also escape '<' and '>'.  The replay parser
 * (stracelog.c) reads this back, so only real strace syntax is written.
 *
 * A line is built in one growing buffer owned by the log and written with
 * one fwrite, so nothing is allocated per event.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/eventlog.h"
#include "base/util.h"

struct eventlog {
	FILE *f;
	const struct eventlog_settings *cfg;
	int64_t prev_ns;	/* -r: the previous line's time */
	bool have_prev;
	char *buf;
	size_t len, cap;
};

/* A flag bit and its name. */
struct flagname {
	uint64_t bit;
	const char *name;
};

struct eventlog *
eventlog_new(FILE *f, const struct eventlog_settings *cfg)
{
	struct eventlog *el = xcalloc(1, sizeof(*el));

	el->f = f;
	el->cfg = cfg;
	el->cap = 1024;
	el->buf = xmalloc(el->cap);
	return el;
}

void
eventlog_get_prev(const struct eventlog *el, int64_t *ns, bool *have)
{
	*ns = el->prev_ns;
	*have = el->have_prev;
}

void
eventlog_set_prev(struct eventlog *el, int64_t ns, bool have)
{
	el->prev_ns = ns;
	el->have_prev = have;
}

void
eventlog_free(struct eventlog *el)
{
	if (el == NULL)
		return;
	fflush(el->f);
	free(el->buf);
	free(el);
}

/* ------------------------------------------------------------ buffer */

static void
grow(struct eventlog *el, size_t more)
{
	if (el->len + more + 1 <= el->cap)
		return;
	while (el->len + more + 1 > el->cap)
		el->cap *= 2;
	el->buf = xrealloc(el->buf, el->cap);
}

static void
put(struct eventlog *el, const char *s, size_t n)
{
	grow(el, n);
	memcpy(el->buf + el->len, s, n);
	el->len += n;
	el->buf[el->len] = '\0';
}

static void
puts_(struct eventlog *el, const char *s)
{
	put(el, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
putf(struct eventlog *el, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(el->buf + el->len, el->cap - el->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= el->cap - el->len) {
		grow(el, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(el->buf + el->len, el->cap - el->len, fmt, ap);
		va_end(ap);
	}
	el->len += (size_t)n;
}

/*
 * Escape bytes as strace does; in_path also escapes '<' and '>' (strace -y
 * does, so a path in <...> can be read back).
 */
/*
 * -x: a string with a byte that is not printable ASCII or one of
 * \t\n\v\f\r goes all in hex; -xx: every string (strace's rule).
 */
static bool
wants_hex(const struct eventlog *el, const char *s, size_t n)
{
	size_t i;

	if (el->cfg->xflag >= 2)
		return true;
	if (el->cfg->xflag == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c > 0x7e || (c < 0x20 && (c < 9 || c > 13)))
			return true;
	}
	return false;
}

static void
put_escaped(struct eventlog *el, const char *s, size_t n, bool in_path)
{
	size_t i;

	grow(el, n * 4);
	if (wants_hex(el, s, n)) {
		static const char hex[] = "0123456789abcdef";

		for (i = 0; i < n; i++) {
			char *o = el->buf + el->len;
			unsigned char c = (unsigned char)s[i];

			o[0] = '\\';
			o[1] = 'x';
			o[2] = hex[c >> 4];
			o[3] = hex[c & 15];
			el->len += 4;
		}
		el->buf[el->len] = '\0';
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char *o = el->buf + el->len;
		const char *e = NULL;

		switch (c) {
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\v': e = "\\v"; break;
		case '\f': e = "\\f"; break;
		case '\r': e = "\\r"; break;
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		default: break;
		}
		if (e != NULL) {
			o[0] = e[0];
			o[1] = e[1];
			el->len += 2;
		} else if (c < 0x20 || c >= 0x7f ||
		    (in_path && (c == '<' || c == '>'))) {
			/* fewest octal digits, three if a digit 0-7 follows */
			bool next_octal = i + 1 < n && s[i + 1] >= '0' &&
			    s[i + 1] <= '7';

			el->len += (size_t)sprintf(o, next_octal ? "\\%03o" :
			    "\\%o", c);
		} else {
			o[0] = (char)c;
			el->len++;
		}
	}
	el->buf[el->len] = '\0';
}

static void
put_qstr(struct eventlog *el, const char *s, size_t n, bool trunc)
{
	puts_(el, "\"");
	put_escaped(el, s, n, false);
	puts_(el, trunc ? "\"..." : "\"");
}

static void
put_path(struct eventlog *el, const char *p)
{
	if (p == NULL) {
		puts_(el, "NULL");
		return;
	}
	put_qstr(el, p, strlen(p), false);
}

/* fd with its -y annotation: 3</tmp/x>, 4</tmp/y>(deleted). */
static void
put_fd(struct eventlog *el, int fd, const char *path, bool deleted,
    bool unknown)
{
	if (fd == AT_FDCWD) {
		puts_(el, "AT_FDCWD");
		return;
	}
	putf(el, "%d", fd);
	if (path == NULL || unknown || fd < 0)
		return;
	puts_(el, "<");
	/* a file's path escapes '<' and '>'; a socket's endpoints
	   ("TCP:[1.2.3.4:5->6.7.8.9:10]") do not, as in strace -yy */
	put_escaped(el, path, strlen(path), path[0] == '/');
	puts_(el, deleted ? ">(deleted)" : ">");
}

static void
put_flags(struct eventlog *el, uint64_t v, const struct flagname *t,
    const char *zero)
{
	bool any = false;

	for (; t->name != NULL; t++) {
		if (t->bit != 0 && (v & t->bit) == t->bit) {
			if (any)
				puts_(el, "|");
			puts_(el, t->name);
			v &= ~t->bit;
			any = true;
		}
	}
	if (v != 0 || !any) {
		if (any)
			puts_(el, "|");
		if (v == 0 && zero != NULL)
			puts_(el, zero);
		else
			putf(el, "%#" PRIx64, v);
	}
}

static const struct flagname open_flags[] = {
	{ 020200000, "O_TMPFILE" }, { 04010000, "O_SYNC" },
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" }, { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
	{ 010000, "O_DSYNC" }, { 020000, "O_ASYNC" }, { 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" }, { 0200000, "O_DIRECTORY" },
	{ 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" }, { 0, NULL }
};

static void
put_open_flags(struct eventlog *el, uint64_t fl)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	uint64_t rest = fl & ~(uint64_t)3;

	puts_(el, acc[fl & 3]);
	if (rest != 0) {
		puts_(el, "|");
		put_flags(el, rest, open_flags, NULL);
	}
}

static const struct flagname prot_flags[] = {
	{ 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" },
	{ 0x01000000, "PROT_GROWSDOWN" }, { 0x02000000, "PROT_GROWSUP" },
	{ 0, NULL }
};

static const struct flagname map_flags[] = {
	{ 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" }, { 0x40, "MAP_32BIT" },
	{ 0x100, "MAP_GROWSDOWN" }, { 0x800, "MAP_DENYWRITE" },
	{ 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" },
	{ 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" },
	{ 0x10000, "MAP_NONBLOCK" }, { 0x20000, "MAP_STACK" },
	{ 0x40000, "MAP_HUGETLB" }, { 0x80000, "MAP_SYNC" },
	{ 0x100000, "MAP_FIXED_NOREPLACE" }, { 0, NULL }
};

static void
put_map_flags(struct eventlog *el, uint64_t fl)
{
	static const char *const type[] = { "0", "MAP_SHARED", "MAP_PRIVATE",
	    "MAP_SHARED_VALIDATE" };
	uint64_t rest = fl & ~(uint64_t)3;

	puts_(el, type[fl & 3]);
	if (rest != 0) {
		puts_(el, "|");
		put_flags(el, rest, map_flags, NULL);
	}
}

static const struct flagname clone_flags[] = {
	{ 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" },
	{ 0x800, "CLONE_SIGHAND" }, { 0x1000, "CLONE_PIDFD" },
	{ 0x2000, "CLONE_PTRACE" }, { 0x4000, "CLONE_VFORK" },
	{ 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" },
	{ 0x20000, "CLONE_NEWNS" }, { 0x40000, "CLONE_SYSVSEM" },
	{ 0x80000, "CLONE_SETTLS" }, { 0x100000, "CLONE_PARENT_SETTID" },
	{ 0x200000, "CLONE_CHILD_CLEARTID" }, { 0x400000, "CLONE_DETACHED" },
	{ 0x800000, "CLONE_UNTRACED" }, { 0x1000000, "CLONE_CHILD_SETTID" },
	{ 0x2000000, "CLONE_NEWCGROUP" }, { 0x4000000, "CLONE_NEWUTS" },
	{ 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" }, { 0x40000000, "CLONE_NEWNET" },
	{ 0x80000000u, "CLONE_IO" }, { 0, NULL }
};

static void
put_clone_flags(struct eventlog *el, uint64_t fl)
{
	int sig = (int)(fl & 0xff);
	uint64_t rest = fl & ~(uint64_t)0xff;
	const char *sn = sig ? util_signal_name(sig) : NULL;

	if (rest != 0)
		put_flags(el, rest, clone_flags, NULL);
	if (sig != 0) {
		if (rest != 0)
			puts_(el, "|");
		if (sn != NULL)
			puts_(el, sn);
		else
			putf(el, "%d", sig);
	} else if (rest == 0)
		puts_(el, "0");
}

static const struct flagname sock_flags[] = {
	{ 02000000, "SOCK_CLOEXEC" }, { 04000, "SOCK_NONBLOCK" }, { 0, NULL }
};

static void
put_sock_type(struct eventlog *el, uint64_t ty)
{
	static const char *const types[] = { "0", "SOCK_STREAM", "SOCK_DGRAM",
	    "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET", "SOCK_DCCP" };
	uint64_t base = ty & 0xf, rest = ty & ~(uint64_t)0xf;

	if (base < sizeof(types) / sizeof(types[0]))
		puts_(el, types[base]);
	else
		putf(el, "%#" PRIx64, base);
	if (rest != 0) {
		puts_(el, "|");
		put_flags(el, rest, sock_flags, NULL);
	}
}

static void
put_domain(struct eventlog *el, int d)
{
	switch (d) {
	case 1: puts_(el, "AF_UNIX"); break;
	case 2: puts_(el, "AF_INET"); break;
	case 10: puts_(el, "AF_INET6"); break;
	case 16: puts_(el, "AF_NETLINK"); break;
	case 17: puts_(el, "AF_PACKET"); break;
	default: putf(el, "%d", d); break;
	}
}

static const struct flagname cloexec_flags[] = {
	{ 02000000, "O_CLOEXEC" }, { 04000, "O_NONBLOCK" }, { 040000, "O_DIRECT" },
	{ 0, NULL }
};

static const struct flagname seal_flags[] = {
	{ 1, "F_SEAL_SEAL" }, { 2, "F_SEAL_SHRINK" }, { 4, "F_SEAL_GROW" },
	{ 8, "F_SEAL_WRITE" }, { 0x10, "F_SEAL_FUTURE_WRITE" }, { 0, NULL }
};

static const struct flagname notify_flags[] = {
	{ 1, "DN_ACCESS" }, { 2, "DN_MODIFY" }, { 4, "DN_CREATE" },
	{ 8, "DN_DELETE" }, { 0x10, "DN_RENAME" }, { 0x20, "DN_ATTRIB" },
	{ 0x80000000, "DN_MULTISHOT" }, { 0, NULL }
};

/* The fcntl commands that take no argument, one an int, or a pointer
   (printed as an address, as for the locks), by the kernel's numbers,
   named as strace names them. */
static const struct {
	int cmd;
	const char *name;
	char arg;		/* 0: none, 'd': int, 'p': pointer */
} fcntl_cmds[] = {
	{ 8, "F_SETOWN", 'd' }, { 9, "F_GETOWN", 0 },
	{ 11, "F_GETSIG", 0 },
	{ 15, "F_SETOWN_EX", 'p' }, { 16, "F_GETOWN_EX", 'p' },
	{ 36, "F_OFD_GETLK", 'p' }, { 37, "F_OFD_SETLK", 'p' },
	{ 38, "F_OFD_SETLKW", 'p' },
	{ 1025, "F_GETLEASE", 0 },
	{ 1031, "F_SETPIPE_SZ", 'd' }, { 1032, "F_GETPIPE_SZ", 0 },
	{ 1034, "F_GET_SEALS", 0 },
};

static void
put_fcntl(struct eventlog *el, const struct io_event *ev)
{
	static const char *const lease[] = { "F_RDLCK", "F_WRLCK", "F_UNLCK" };
	size_t i;

	for (i = 0; i < sizeof(fcntl_cmds) / sizeof(fcntl_cmds[0]); i++) {
		if (fcntl_cmds[i].cmd != ev->cmd)
			continue;
		puts_(el, fcntl_cmds[i].name);
		if (fcntl_cmds[i].arg == 'd')
			putf(el, ", %d", (int)ev->flags);
		else if (fcntl_cmds[i].arg == 'p')
			putf(el, ", %#" PRIx64, ev->flags);
		return;
	}
	switch (ev->cmd) {
	case 10: {	/* F_SETSIG */
		const char *sn = util_signal_name((int)ev->flags);

		puts_(el, "F_SETSIG, ");
		if (sn != NULL && ev->flags != 0)
			puts_(el, sn);
		else
			putf(el, "%d", (int)ev->flags);
		return;
	}
	case 1024:	/* F_SETLEASE */
		puts_(el, "F_SETLEASE, ");
		if (ev->flags < 3)
			puts_(el, lease[ev->flags]);
		else
			putf(el, "%#" PRIx64 " /* F_??? */", ev->flags);
		return;
	case 1026:	/* F_NOTIFY */
		puts_(el, "F_NOTIFY, ");
		put_flags(el, ev->flags, notify_flags, "0");
		return;
	case 1033:	/* F_ADD_SEALS */
		puts_(el, "F_ADD_SEALS, ");
		put_flags(el, ev->flags, seal_flags, "0");
		return;
	default:
		break;
	}
	switch (ev->cmd) {
	case F_DUPFD: puts_(el, "F_DUPFD, "); putf(el, "%d", (int)ev->flags); break;
	case F_DUPFD_CLOEXEC: puts_(el, "F_DUPFD_CLOEXEC, "); putf(el, "%d", (int)ev->flags); break;
	case F_GETFD: puts_(el, "F_GETFD"); break;
	case F_SETFD: puts_(el, "F_SETFD, ");
		puts_(el, (ev->flags & FD_CLOEXEC) ? "FD_CLOEXEC" : "0");
		break;
	case F_GETFL: puts_(el, "F_GETFL"); break;
	case F_SETFL: puts_(el, "F_SETFL, "); put_open_flags(el, ev->flags); break;
	case F_GETLK: puts_(el, "F_GETLK, "); putf(el, "%#" PRIx64, ev->flags); break;
	case F_SETLK: puts_(el, "F_SETLK, "); putf(el, "%#" PRIx64, ev->flags); break;
	case F_SETLKW: puts_(el, "F_SETLKW, "); putf(el, "%#" PRIx64, ev->flags); break;
	default: putf(el, "%#x /* F_??? */, %#" PRIx64, ev->cmd, ev->flags); break;
	}
}

static void
put_ptr(struct eventlog *el, uint64_t p)
{
	if (p == 0)
		puts_(el, "NULL");
	else
		putf(el, "%#" PRIx64, p);
}

/* The write buffer: "data"... or its address if it could not be read. */
static void
put_data(struct eventlog *el, const struct io_event *ev)
{
	if (ev->data == NULL)
		put_ptr(el, ev->addr);
	else
		put_qstr(el, ev->data, ev->data_len, ev->data_trunc);
}

static void
put_iov(struct eventlog *el, const struct io_event *ev)
{
	if (ev->data == NULL) {
		put_ptr(el, ev->addr);
		return;
	}
	/* the preview spans the first iovecs: shown as one, with the total */
	puts_(el, "[{iov_base=");
	put_qstr(el, ev->data, ev->data_len, ev->data_trunc);
	putf(el, ", iov_len=%" PRIu64 "}]", ev->count);
}

/*
 * execve's argv as strace prints it: at most -s strings, each cut at -s
 * bytes with "..." after it, and ", ..." for the strings left out.
 */
static void
put_argv(struct eventlog *el, const struct io_event *ev)
{
	const char *s = ev->data, *end;
	size_t lim = (size_t)el->cfg->strsize;
	size_t i = 0;

	if (s == NULL) {
		puts_(el, "NULL");
		return;
	}
	end = s + ev->data_len;
	puts_(el, "[");
	while (s < end) {
		const char *z = memchr(s, '\0', (size_t)(end - s));
		size_t k = z != NULL ? (size_t)(z - s) : (size_t)(end - s);
		bool cut = (i < 64 && (ev->argv_cut >> i & 1)) || k > lim;

		if (i > 0)
			puts_(el, ", ");
		if (i >= lim) {
			puts_(el, "...");
			break;
		}
		put_qstr(el, s, k < lim ? k : lim, cut);
		i++;
		s += k + 1;
	}
	if (ev->data_trunc && s >= end && i <= lim)
		puts_(el, i > 0 ? ", ..." : "...");
	puts_(el, "]");
}

/* execve's environment: its address and count, as strace prints it
 * without -v. */
static void
put_envp(struct eventlog *el, const struct io_event *ev)
{
	if (ev->envc >= 0 && ev->addr != 0)
		putf(el, "%#" PRIx64 " /* %d var%s */", ev->addr, ev->envc,
		    ev->envc == 1 ? "" : "s");
	else if (ev->envc > 0)	/* the count without the pointer (old logs) */
		putf(el, "[/* %d var%s */]", ev->envc, ev->envc == 1 ? "" : "s");
	else if (ev->addr != 0)
		putf(el, "%#" PRIx64, ev->addr);
	else
		puts_(el, "NULL");
}

/* ------------------------------------------------------------ lines */

static void
put_prefix(struct eventlog *el, const struct io_event *ev)
{
	int tf = el->cfg->tflag;

	if (!el->cfg->no_tid)
		putf(el, "%-5d ", (int)(ev->tid > 0 ? ev->tid : ev->pid));
	if (tf > 0 && ev->ts_ns != IO_TIME_UNKNOWN) {
		time_t sec = (time_t)(ev->ts_ns / 1000000000);
		long usec = (long)(ev->ts_ns % 1000000000 / 1000);
		struct tm tm;

		if (tf >= 3)
			putf(el, "%lld.%06ld", (long long)sec, usec);
		else {
			localtime_r(&sec, &tm);
			putf(el, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
			if (tf == 2)
				putf(el, ".%06ld", usec);
		}
		puts_(el, " ");
	}
	if (el->cfg->rflag) {
		/* -r: since the previous line ("(+ ...)" after -t, as strace) */
		int64_t d = 0;

		if (ev->ts_ns != IO_TIME_UNKNOWN) {
			if (el->have_prev && ev->ts_ns > el->prev_ns)
				d = ev->ts_ns - el->prev_ns;
			el->prev_ns = ev->ts_ns;
			el->have_prev = true;
		}
		putf(el, tf > 0 ? "(+%6lld.%06lld) " : "%6lld.%06lld ",
		    (long long)(d / 1000000000), (long long)(d % 1000000000 / 1000));
	}
}

static bool
returns_fd(const struct io_event *ev)
{
	switch (ev->cls) {
	case IOC_OPEN:
		return true;
	case IOC_DUP:
		return ev->sys != IOSYS_FCNTL || ev->cmd == F_DUPFD ||
		    ev->cmd == F_DUPFD_CLOEXEC;
	case IOC_FDNEW:
		return ev->sys != IOSYS_PIPE && ev->sys != IOSYS_PIPE2 &&
		    ev->sys != IOSYS_SOCKETPAIR;
	default:
		return false;
	}
}

static bool
returns_addr(const struct io_event *ev)
{
	return ev->sys == IOSYS_MMAP || ev->sys == IOSYS_MREMAP ||
	    ev->sys == IOSYS_BRK;
}

static void
put_result(struct eventlog *el, const struct io_event *ev, size_t linestart)
{
	size_t col = el->len - linestart;

	if (col < 39) {
		grow(el, 40);
		memset(el->buf + el->len, ' ', 39 - col);
		el->len += 39 - col;
		el->buf[el->len] = '\0';
	}
	puts_(el, " = ");
	if (ev->ret == IO_RET_UNKNOWN && ev->err == 0) {
		puts_(el, "?");
		return;
	}
	if (ev->err >= 512 && ev->err <= 516) {
		/* the kernel-internal restart codes: strace prints "= ?" */
		static const char *const text[] = {
			"To be restarted if SA_RESTART is set",
			"To be restarted", "To be restarted if no handler",
			"Inappropriate ioctl for device", "Interrupted by signal" };

		putf(el, "? %s (%s)", util_errno_name(ev->err),
		    text[ev->err - 512]);
	} else if (ev->err != 0) {
		const char *name = util_errno_name(ev->err);

		if (name != NULL)
			putf(el, "-1 %s (%s)", name, strerror(ev->err));
		else
			putf(el, "-1 (errno %d)", ev->err);
	} else if (returns_addr(ev))
		putf(el, "%#" PRIx64, (uint64_t)ev->ret);
	else if (returns_fd(ev)) {
		const char *p = ev->cls == IOC_OPEN ? ev->path2 :
		    ev->cls == IOC_DUP ? ev->path : ev->path2;

		put_fd(el, (int)ev->ret, p, ev->cls == IOC_OPEN ?
		    ev->path2_deleted : ev->cls == IOC_DUP && ev->path_deleted,
		    ev->cls == IOC_DUP && ev->fd_unknown);
	} else
		putf(el, "%" PRId64, ev->ret);
	if (ev->dur_ns >= 0 && el->cfg->Tflag)
		putf(el, " <%" PRId64 ".%06" PRId64 ">", ev->dur_ns / 1000000000,
		    ev->dur_ns % 1000000000 / 1000);
}

/* name(args) of a call. */
static void
put_call(struct eventlog *el, const struct io_event *ev)
{
	const char *name = ev->name ? ev->name : "?";

	puts_(el, name);
	puts_(el, "(");
	switch (ev->sys) {
	case IOSYS_WRITE:
	case IOSYS_PWRITE64:
		put_fd(el, ev->fd, ev->path, ev->path_deleted, ev->fd_unknown);
		puts_(el, ", ");
		put_data(el, ev);
		putf(el, ", %" PRIu64, ev->count);
		if (ev->sys == IOSYS_PWRITE64)
			putf(el, ", %" PRId64, ev->offset);
		break;
	case IOSYS_WRITEV:
	case IOSYS_PWRITEV:
	case IOSYS_PWRITEV2:
		put_fd(el, ev->fd, ev->path, ev->path_deleted, ev->fd_unknown);
		puts_(el, ", ");
		put_iov(el, ev);
		putf(el, ", %d", ev->iovcnt);
		if (ev->sys != IOSYS_WRITEV)
			putf(el, ", %" PRId64, ev->offset);
		if (ev->sys == IOSYS_PWRITEV2)
			putf(el, ", %#" PRIx64, ev->flags);
		break;
	case IOSYS_SENDFILE:
		put_fd(el, ev->fd, ev->path, ev->path_deleted, ev->fd_unknown);
		puts_(el, ", ");
		put_fd(el, ev->fd2, ev->path2, ev->path2_deleted, false);
		putf(el, ", NULL, %" PRIu64, ev->count);
		break;
	case IOSYS_COPY_FILE_RANGE:
	case IOSYS_SPLICE:
		put_fd(el, ev->fd2, ev->path2, ev->path2_deleted, false);
		puts_(el, ", NULL, ");
		put_fd(el, ev->fd, ev->path, ev->path_deleted, ev->fd_unknown);
		putf(el, ", NULL, %" PRIu64 ", %" PRIu64, ev->count, ev->flags);
		break;
	case IOSYS_MMAP:
		put_ptr(el, ev->addr);
		putf(el, ", %" PRIu64 ", ", ev->len);
		put_flags(el, ev->prot, prot_flags, "PROT_NONE");
		puts_(el, ", ");
		put_map_flags(el, ev->flags);
		puts_(el, ", ");
		if (ev->fd >= 0 && !(ev->flags & 0x20))
			put_fd(el, ev->fd, ev->path, ev->path_deleted,
			    ev->fd_unknown);
		else
			putf(el, "%d", ev->fd);
		putf(el, ", %#" PRIx64, (uint64_t)ev->offset);	/* 0 is "0" */
		break;
	case IOSYS_MUNMAP:
		put_ptr(el, ev->addr);
		putf(el, ", %" PRIu64, ev->len);
		break;
	case IOSYS_MREMAP:
		put_ptr(el, ev->addr);
		putf(el, ", %" PRIu64 ", %" PRIu64 ", ", ev->len, ev->new_len);
		{
			static const struct flagname mr[] = {
				{ 1, "MREMAP_MAYMOVE" }, { 2, "MREMAP_FIXED" },
				{ 4, "MREMAP_DONTUNMAP" }, { 0, NULL } };

			put_flags(el, ev->flags, mr, "0");
		}
		break;
	case IOSYS_BRK:
		put_ptr(el, ev->addr);
		break;
	case IOSYS_OPEN:
	case IOSYS_OPENAT:
	case IOSYS_OPENAT2:
	case IOSYS_CREAT:
		if (ev->sys == IOSYS_OPENAT || ev->sys == IOSYS_OPENAT2) {
			put_fd(el, ev->fd, NULL, false, false);
			puts_(el, ", ");
		}
		put_path(el, ev->path);
		if (ev->sys == IOSYS_CREAT) {
			putf(el, ", %#03o", ev->mode);
			break;
		}
		if (ev->sys == IOSYS_OPENAT2) {
			puts_(el, ", {flags=");
			put_open_flags(el, ev->flags);
			putf(el, ", mode=%#03o, resolve=0}, 24", ev->mode);
			break;
		}
		puts_(el, ", ");
		put_open_flags(el, ev->flags);
		if ((ev->flags & 0100) || (ev->flags & 020200000) == 020200000)
			putf(el, ", %#03o", ev->mode);
		break;
	case IOSYS_PIPE:
	case IOSYS_PIPE2:
		if (ev->fd >= 0)
			putf(el, "[%d, %d]", ev->fd, ev->fd2);
		else
			put_ptr(el, ev->addr);
		if (ev->sys == IOSYS_PIPE2) {
			puts_(el, ", ");
			put_flags(el, ev->flags, cloexec_flags, "0");
		}
		break;
	case IOSYS_SOCKET:
		put_domain(el, ev->cmd);
		puts_(el, ", ");
		put_sock_type(el, ev->flags);
		puts_(el, ", 0");
		break;
	case IOSYS_SOCKETPAIR:
		put_domain(el, ev->cmd);
		puts_(el, ", ");
		put_sock_type(el, ev->flags);
		if (ev->fd >= 0)
			putf(el, ", 0, [%d, %d]", ev->fd, ev->fd2);
		else
			puts_(el, ", 0, NULL");
		break;
	case IOSYS_ACCEPT:
	case IOSYS_ACCEPT4:
		put_fd(el, ev->fd, NULL, false, false);
		puts_(el, ", NULL, NULL");
		if (ev->sys == IOSYS_ACCEPT4) {
			puts_(el, ", ");
			put_flags(el, ev->flags, sock_flags, "0");
		}
		break;
	case IOSYS_MEMFD_CREATE:
		put_path(el, ev->path);
		putf(el, ", %#" PRIx64, ev->flags);
		break;
	case IOSYS_EVENTFD:
		putf(el, "0, %#" PRIx64, ev->flags);
		break;
	case IOSYS_SIGNALFD:
		putf(el, "%d, NULL, 8, %#" PRIx64, ev->fd2, ev->flags);
		break;
	case IOSYS_TIMERFD_CREATE:
		putf(el, "%d, %#" PRIx64, ev->cmd, ev->flags);
		break;
	case IOSYS_EPOLL_CREATE:
	case IOSYS_INOTIFY_INIT:
	case IOSYS_PIDFD_OPEN:
		putf(el, "%#" PRIx64, ev->flags);
		break;
	case IOSYS_CLOSE:
	case IOSYS_FSYNC:
	case IOSYS_FDATASYNC:
	case IOSYS_FCHDIR:
	case IOSYS_DUP:
		put_fd(el, ev->fd, ev->path, ev->path_deleted, ev->fd_unknown);
		break;
	case IOSYS_CHDIR:
		put_path(el, ev->path);
		break;
	case IOSYS_CLOSE_RANGE:
		putf(el, "%d, %u, ", ev->fd, ev->fd2 == 0x7fffffff ?
		    0xffffffffu : (unsigned)ev->fd2);
		{
			static const struct flagname cr[] = {
				{ 2, "CLOSE_RANGE_UNSHARE" },
				{ 4, "CLOSE_RANGE_CLOEXEC" }, { 0, NULL } };

			put_flags(el, ev->flags, cr, "0");
		}
		break;
	case IOSYS_DUP2:
	case IOSYS_DUP3:
		put_fd(el, ev->fd, ev->path, ev->path_deleted, ev->fd_unknown);
		putf(el, ", %d", ev->fd2);
		if (ev->sys == IOSYS_DUP3) {
			puts_(el, ", ");
			put_flags(el, ev->flags, cloexec_flags, "0");
		}
		break;
	case IOSYS_FCNTL:
		put_fd(el, ev->fd, ev->path, ev->path_deleted, ev->fd_unknown);
		puts_(el, ", ");
		put_fcntl(el, ev);
		break;
	case IOSYS_RENAME:
	case IOSYS_LINK:
		put_path(el, ev->path);
		puts_(el, ", ");
		put_path(el, ev->path2);
		break;
	case IOSYS_RENAMEAT:
	case IOSYS_RENAMEAT2:
	case IOSYS_LINKAT:
		put_fd(el, ev->fd, NULL, false, false);
		puts_(el, ", ");
		put_path(el, ev->path);
		puts_(el, ", ");
		put_fd(el, ev->fd2, NULL, false, false);
		puts_(el, ", ");
		put_path(el, ev->path2);
		if (ev->sys != IOSYS_RENAMEAT) {
			static const struct flagname rn[] = {
				{ 1, "RENAME_NOREPLACE" }, { 2, "RENAME_EXCHANGE" },
				{ 4, "RENAME_WHITEOUT" }, { 0, NULL } };
			static const struct flagname lk[] = {
				{ 0x400, "AT_SYMLINK_FOLLOW" },
				{ 0x1000, "AT_EMPTY_PATH" }, { 0, NULL } };

			puts_(el, ", ");
			put_flags(el, ev->flags, ev->sys == IOSYS_LINKAT ? lk : rn,
			    "0");
		}
		break;
	case IOSYS_UNLINK:
		put_path(el, ev->path);
		break;
	case IOSYS_UNLINKAT:
		put_fd(el, ev->fd, NULL, false, false);
		puts_(el, ", ");
		put_path(el, ev->path);
		puts_(el, (ev->flags & 0x200) ? ", AT_REMOVEDIR" : ", 0");
		break;
	case IOSYS_TRUNCATE:
		put_path(el, ev->path);
		putf(el, ", %" PRId64, ev->size);
		break;
	case IOSYS_FTRUNCATE:
		put_fd(el, ev->fd, ev->path, ev->path_deleted, ev->fd_unknown);
		putf(el, ", %" PRId64, ev->size);
		break;
	case IOSYS_EXECVE:
		put_path(el, ev->path);
		puts_(el, ", ");
		put_argv(el, ev);
		puts_(el, ", ");
		put_envp(el, ev);
		break;
	case IOSYS_EXECVEAT:
		put_fd(el, ev->fd, NULL, false, false);
		puts_(el, ", ");
		put_path(el, ev->path);
		puts_(el, ", ");
		put_argv(el, ev);
		puts_(el, ", ");
		put_envp(el, ev);
		putf(el, ", %#" PRIx64, ev->flags);
		break;
	case IOSYS_CLONE:
		puts_(el, "child_stack=NULL, flags=");
		put_clone_flags(el, ev->flags);
		break;
	case IOSYS_CLONE3:
		puts_(el, "{flags=");
		put_clone_flags(el, ev->flags & ~(uint64_t)0xff);
		puts_(el, ", ...}, 88");
		break;
	case IOSYS_FORK:
	case IOSYS_VFORK:
		break;
	case IOSYS_EXIT:
	case IOSYS_EXIT_GROUP:
		putf(el, "%" PRId64, ev->size);
		break;
	case IOSYS_LSEEK:
		put_fd(el, ev->fd, ev->path, ev->path_deleted, ev->fd_unknown);
		putf(el, ", %" PRId64 ", %s", ev->offset, ev->cmd == 0 ?
		    "SEEK_SET" : ev->cmd == 1 ? "SEEK_CUR" : ev->cmd == 2 ?
		    "SEEK_END" : "SEEK_DATA");
		break;
	case IOSYS_STAT:
		put_path(el, ev->path);
		puts_(el, ", {...}");
		break;
	default:
		if (ev->fd >= 0)
			put_fd(el, ev->fd, ev->path, ev->path_deleted,
			    ev->fd_unknown);
		break;
	}
	puts_(el, ")");
}

static void
put_signame(struct eventlog *el, int sig)
{
	const char *n = util_signal_name(sig);

	if (n != NULL)
		puts_(el, n);
	else
		putf(el, "%d", sig);
}

/* Format one event as a log line into el->buf; false if none. */
static bool
format_event(struct eventlog *el, const struct io_event *ev)
{
	size_t start;

	el->len = 0;
	el->buf[0] = '\0';
	switch (ev->sys) {
	case IOSYS_DETACH:
		return false;
	case IOSYS_PROC_EXIT:
		put_prefix(el, ev);
		if (ev->sig > 0) {
			puts_(el, "+++ killed by ");
			put_signame(el, ev->sig);
			puts_(el, " +++\n");
		} else
			putf(el, "+++ exited with %d +++\n",
			    ev->ret == IO_RET_UNKNOWN ? 0 : (int)ev->ret);
		return true;
	case IOSYS_SIGNAL:
		put_prefix(el, ev);
		puts_(el, "--- ");
		put_signame(el, ev->sig);
		puts_(el, " {si_signo=");
		put_signame(el, ev->sig);
		puts_(el, ", ...} ---\n");
		return true;
	default:
		break;
	}
	start = 0;
	put_prefix(el, ev);
	put_call(el, ev);
	put_result(el, ev, start);
	puts_(el, "\n");
	return true;
}

/* The pipeline sink: write one event. */
void
eventlog_event(void *ctx, const struct io_event *ev)
{
	struct eventlog *el = ctx;

	if (!format_event(el, ev))
		return;
	fwrite(el->buf, 1, el->len, el->f);
	if (ev->stack != NULL) {
		int i;

		for (i = 0; i < ev->stack->nframes; i++) {
			const struct io_frame *fr = &ev->stack->frames[i];

			fprintf(el->f, " > %s(%s+%#" PRIx64 ") [%#" PRIx64 "]\n",
			    fr->module ? fr->module : "?",
			    fr->func ? fr->func : "",
			    fr->offset, fr->ip);
		}
	}
	if (el->f == stderr)
		fflush(el->f);
}

/* Format ev as one log line (with its newline) into buf; for tests. */
size_t
eventlog_format(const struct eventlog_settings *cfg, const struct io_event *ev,
    char *buf, size_t bufsz)
{
	struct eventlog el;
	size_t n = 0;

	memset(&el, 0, sizeof(el));
	el.cfg = cfg;
	el.cap = 256;
	el.buf = xmalloc(el.cap);
	if (format_event(&el, ev)) {
		n = el.len;
		snprintf(buf, bufsz, "%s", el.buf);
	} else if (bufsz > 0)
		buf[0] = '\0';
	free(el.buf);
	return n;
}
