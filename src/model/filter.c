/*
 * filter.c: strace's -e qualifiers and -P paths, parsed and applied.
 *
 * The trace set is kept per ABI (x86_64, i386) over every syscall name
 * the two ABIs have (sysnames.c), so names, numbers, classes and regular
 * expressions select exactly what strace would select; an event is looked
 * up by the name its source gave.  Classes (%file, %desc...) are known for
 * the calls iospy decodes, with strace's own flags for each.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "model/filter.h"
#include "model/filter_int.h"
#include "model/syscalls.h"

/* strace's syscall classes (its TD, TF... flags). */
#define TD	0x00001u	/* %desc */
#define TF	0x00002u	/* %file */
#define TI	0x00004u	/* %ipc */
#define TN	0x00008u	/* %network */
#define TP	0x00010u	/* %process */
#define TS	0x00020u	/* %signal */
#define TM	0x00040u	/* %memory */
#define TST	0x00080u	/* %stat */
#define TLST	0x00100u	/* %lstat */
#define TFST	0x00200u	/* %fstat */
#define TSTA	0x00400u	/* %%stat */
#define TSF	0x00800u	/* %statfs */
#define TFSF	0x01000u	/* %fstatfs */
#define TSFA	0x02000u	/* %%statfs */
#define TCL	0x04000u	/* %clock */
#define TC	0x08000u	/* %creds */
#define TPU	0x10000u	/* %pure */

static const struct { const char *name; unsigned cls; } classes[] = {
	{ "%desc", TD }, { "%file", TF }, { "%ipc", TI }, { "%network", TN },
	{ "%process", TP }, { "%signal", TS }, { "%memory", TM },
	{ "%stat", TST }, { "%lstat", TLST }, { "%fstat", TFST },
	{ "%%stat", TSTA }, { "%statfs", TSF }, { "%fstatfs", TFSF },
	{ "%%statfs", TSFA }, { "%clock", TCL }, { "%creds", TC },
	{ "%pure", TPU },
	/* strace's legacy spellings */
	{ "desc", TD }, { "file", TF }, { "ipc", TI }, { "network", TN },
	{ "process", TP }, { "signal", TS }, { "memory", TM },
	{ "%net", TN }, { "net", TN },
};

/*
 * The classes of the calls iospy decodes, as strace's syscall tables give
 * them (x86_64 and i386 spellings).  No decoded call is in %ipc, %creds,
 * %clock, %pure or the statfs classes: those select nothing here.
 */
static const struct { const char *name; unsigned cls; } decoded[] = {
	{ "_llseek", TD }, { "accept", TN }, { "accept4", TN },
	{ "brk", TM }, { "chdir", TF }, { "clone", TP }, { "clone3", TP },
	{ "close", TD }, { "close_range", TD },
	{ "copy_file_range", TD }, { "creat", TD | TF },
	{ "dup", TD }, { "dup2", TD }, { "dup3", TD },
	{ "epoll_create", TD }, { "epoll_create1", TD },
	{ "eventfd", TD }, { "eventfd2", TD },
	{ "execve", TF | TP }, { "execveat", TD | TF | TP },
	{ "exit", TP }, { "exit_group", TP },
	{ "fchdir", TD }, { "fcntl", TD }, { "fcntl64", TD },
	{ "fdatasync", TD },
	{ "fork", TP }, { "fstat", TD | TFST | TSTA },
	{ "fstat64", TD | TFST | TSTA },
	{ "fstatat64", TD | TF | TFST | TSTA }, { "fsync", TD },
	{ "ftruncate", TD }, { "ftruncate64", TD },
	{ "inotify_init", TD }, { "inotify_init1", TD },
	{ "link", TF }, { "linkat", TD | TF }, { "lseek", TD }, { "lstat", TF | TLST | TSTA },
	{ "lstat64", TF | TLST | TSTA }, { "memfd_create", TD },
	{ "mmap", TD | TM }, { "mmap2", TD | TM }, { "mremap", TM },
	{ "munmap", TM }, { "newfstatat", TD | TF | TFST | TSTA },
	{ "open", TD | TF }, { "openat", TD | TF }, { "openat2", TD | TF },
	{ "pidfd_open", TD }, { "pipe", TD }, { "pipe2", TD },
	{ "pwrite64", TD }, { "pwritev", TD }, { "pwritev2", TD },
	{ "rename", TF }, { "renameat", TD | TF }, { "renameat2", TD | TF },
	{ "sendfile", TD | TN }, { "sendfile64", TD | TN },
	{ "signalfd", TD | TS }, { "signalfd4", TD | TS },
	{ "socket", TN }, { "socketpair", TN }, { "splice", TD },
	{ "stat", TF | TST | TSTA }, { "stat64", TF | TST | TSTA },
	{ "statx", TD | TF | TFST | TSTA }, { "timerfd_create", TD },
	{ "truncate", TF }, { "truncate64", TF },
	{ "unlink", TF }, { "unlinkat", TD | TF },
	{ "vfork", TP }, { "write", TD }, { "writev", TD },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define NABI 2			/* 0 = x86_64, 1 = i386 */
#define NSIG_SET 128

struct io_filter {
	/* -e trace=: sel[abi * nsysnames + i] for sysnames[i] */
	bool trace_given;
	unsigned char *sel;
	/* per io_sys and ABI: 1 every name of it selected, 0 none, -1 mixed
	   (look the event's name up) */
	signed char sys_sel[NABI][IOSYS__COUNT];
	char *trace_expr;
	/* -e status= */
	unsigned status;
	char *status_expr;
	/* -e signal= */
	bool signal_given;
	unsigned char sigsel[NSIG_SET];
	char *signal_expr;
	/* -P */
	char **paths;
	size_t npaths;
	/* accepted qualifiers iospy already honours */
	bool quiet_attach, quiet_path_res;
	unsigned decode_fds;
	char *desc;
};

struct io_filter *
filter_new(void)
{
	struct io_filter *f = xcalloc(1, sizeof(*f));

	f->status = FILTER_ST_ALL;
	return f;
}

void
filter_free(struct io_filter *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->sel);
	free(f->trace_expr);
	free(f->status_expr);
	free(f->signal_expr);
	for (i = 0; i < f->npaths; i++)
		free(f->paths[i]);
	free(f->paths);
	free(f->desc);
	free(f);
}

static void
set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s);
}

/* ------------------------------------------------------------ names */

static int
sysname_index(const char *name)
{
	size_t lo = 0, hi = nsysnames;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(sysnames[mid].name, name);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static unsigned
decoded_class(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(decoded); i++)
		if (strcmp(decoded[i].name, name) == 0)
			return decoded[i].cls;
	return 0;
}

static bool
in_abi(size_t i, int abi)
{
	return abi == 0 ? sysnames[i].nr64 >= 0 : sysnames[i].nr32 >= 0;
}

/* "name", "name@64", "name@32", "name@x32" */
static bool
select_name(unsigned char *sel, const char *tok)
{
	char buf[128];
	const char *at = strchr(tok, '@');
	int only = -1, i;
	bool x32 = false;

	if (at != NULL) {
		if (strcmp(at, "@64") == 0)
			only = 0;
		else if (strcmp(at, "@32") == 0)
			only = 1;
		else if (strcmp(at, "@x32") == 0)
			x32 = true;
		else
			return false;
		if ((size_t)(at - tok) >= sizeof(buf))
			return false;
		memcpy(buf, tok, (size_t)(at - tok));
		buf[at - tok] = '\0';
		tok = buf;
	}
	i = sysname_index(tok);
	if (i < 0)
		return false;
	if (x32)	/* iospy never traces x32 calls: a valid name, nothing */
		return sysnames[i].nr64 >= 0;
	if (only >= 0 && !in_abi((size_t)i, only))
		return false;
	if ((only < 0 || only == 0) && in_abi((size_t)i, 0))
		sel[i] = 1;
	if ((only < 0 || only == 1) && in_abi((size_t)i, 1))
		sel[nsysnames + (size_t)i] = 1;
	return true;
}

static bool
select_number(unsigned char *sel, const char *tok)
{
	char *end;
	long n;
	size_t i;

	errno = 0;
	n = strtol(tok, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0 || n > 1023)
		return false;
	for (i = 0; i < nsysnames; i++) {
		if (sysnames[i].nr64 == n)
			sel[i] = 1;
		if (sysnames[i].nr32 == n)
			sel[nsysnames + i] = 1;
	}
	/* as strace: valid below the largest table's size */
	{
		long max = 0;

		for (i = 0; i < nsysnames; i++) {
			if (sysnames[i].nr64 > max)
				max = sysnames[i].nr64;
			if (sysnames[i].nr32 > max)
				max = sysnames[i].nr32;
		}
		return n <= max;
	}
}

static int
select_regex(unsigned char *sel, const char *re, bool *found, char *err,
    size_t errsz)
{
	regex_t rx;
	size_t i;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);

	*found = false;
	if (rc != 0) {
		char msg[128];

		regerror(rc, &rx, msg, sizeof(msg));
		return util_fail(err, errsz, "regcomp: %s: %s", re, msg);
	}
	for (i = 0; i < nsysnames; i++) {
		if (regexec(&rx, sysnames[i].name, 0, NULL, 0) != 0)
			continue;
		*found = true;
		if (in_abi(i, 0))
			sel[i] = 1;
		if (in_abi(i, 1))
			sel[nsysnames + i] = 1;
	}
	regfree(&rx);
	return 0;
}

static bool
select_class(unsigned char *sel, const char *tok)
{
	size_t i, k;

	for (k = 0; k < NELEM(classes); k++) {
		if (strcmp(classes[k].name, tok) != 0)
			continue;
		for (i = 0; i < nsysnames; i++) {
			if ((decoded_class(sysnames[i].name) & classes[k].cls) == 0)
				continue;
			if (in_abi(i, 0))
				sel[i] = 1;
			if (in_abi(i, 1))
				sel[nsysnames + i] = 1;
		}
		return true;
	}
	return false;
}

/*
 * Parse a syscall set as strace does into sel (2 * nsysnames): leading
 * '!' invert, "all", "none", else comma-separated tokens (empty ones
 * skipped), each a name, number, %class or /regex, '?' ahead of one
 * meaning "no error if it matches nothing".
 */
static int
parse_syscall_set(unsigned char *sel, const char *str, char *err,
    size_t errsz)
{
	const char *s = str;
	bool invert = false, any = false;
	char *copy, *tok, *save = NULL;
	size_t i;

	memset(sel, 0, 2 * nsysnames);
	while (*s == '!') {
		invert = !invert;
		s++;
	}
	if (strcmp(s, "none") == 0) {
		any = true;
	} else if (strcmp(s, "all") == 0) {
		invert = !invert;
		any = true;
	} else {
		copy = xstrdup(s);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			const char *t = tok;
			bool quiet = false, ok;

			while (*t == '?') {
				t++;
				quiet = true;
			}
			if (*t >= '0' && *t <= '9')
				ok = select_number(sel, t);
			else if (*t == '/') {
				if (select_regex(sel, t + 1, &ok, err, errsz) != 0) {
					free(copy);
					return -1;
				}
			} else
				ok = select_class(sel, t) || select_name(sel, t);
			if (!ok && !quiet) {
				util_fail(err, errsz, "invalid system call '%s'", tok);
				free(copy);
				return -1;
			}
			any = true;
		}
		free(copy);
	}
	if (!any)
		return util_fail(err, errsz, "invalid system call '%s'", str);
	if (invert)
		for (i = 0; i < 2 * nsysnames; i++)
			sel[i] = !sel[i];
	return 0;
}

static bool
set_is_all(const unsigned char *sel)
{
	size_t i;

	for (i = 0; i < nsysnames; i++)
		if ((in_abi(i, 0) && !sel[i]) || (in_abi(i, 1) &&
		    !sel[nsysnames + i]))
			return false;
	return true;
}

static bool
set_is_none(const unsigned char *sel)
{
	size_t i;

	for (i = 0; i < 2 * nsysnames; i++)
		if (sel[i])
			return false;
	return true;
}

/* The name's selection under abi (0/1); -1 if the name is unknown.  A
 * name the ABI does not have ("mmap2" in a log with no personality said)
 * is judged by the ABI that has it. */
static int
name_sel(const struct io_filter *f, int abi, const char *name)
{
	int i = sysname_index(name);

	if (i < 0)
		return -1;
	if (!in_abi((size_t)i, abi))
		abi = !abi;
	return f->sel[(size_t)abi * nsysnames + (size_t)i] != 0;
}

/* The per-io_sys shortcut: each decoded name maps to one io_sys. */
static void
compute_sys_sel(struct io_filter *f)
{
	size_t k;
	int abi, s;

	for (abi = 0; abi < NABI; abi++)
		for (s = 0; s < IOSYS__COUNT; s++)
			f->sys_sel[abi][s] = 2;	/* nothing seen yet */
	for (k = 0; k < NELEM(decoded); k++) {
		enum io_sys sys = syscalls_by_name(decoded[k].name,
		    strlen(decoded[k].name));

		for (abi = 0; abi < NABI; abi++) {
			int v = name_sel(f, abi, decoded[k].name);
			signed char *c = &f->sys_sel[abi][sys];

			if (v < 0)
				continue;	/* a spelling strace does not know */
			if (*c == 2)
				*c = (signed char)v;
			else if (*c != v)
				*c = -1;
		}
	}
	for (abi = 0; abi < NABI; abi++)
		for (s = 0; s < IOSYS__COUNT; s++)
			if (f->sys_sel[abi][s] == 2)
				f->sys_sel[abi][s] = -1;
}

/* ------------------------------------------------------------ sets */

/* Split a comma list after '!'s, "all", "none"; call fn on each token
 * (lowercased when fold).  Returns the inversion, or -1 on error. */
typedef int (*token_fn)(void *ctx, const char *tok, char *err, size_t errsz);

static int
parse_tokens(const char *str, bool *all, bool *invert, token_fn fn, void *ctx,
    const char *what, char *err, size_t errsz)
{
	const char *s = str;
	char *copy, *tok, *save = NULL;
	bool any = false;

	*invert = false;
	*all = false;
	while (*s == '!') {
		*invert = !*invert;
		s++;
	}
	if (strcasecmp(s, "none") == 0)
		return 0;
	if (strcasecmp(s, "all") == 0) {
		*all = true;
		return 0;
	}
	copy = xstrdup(s);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (fn(ctx, tok, err, errsz) != 0) {
			free(copy);
			return -1;
		}
		any = true;
	}
	free(copy);
	if (!any)
		return util_fail(err, errsz, "invalid %s '%s'", what, str);
	return 0;
}

static int
status_token(void *ctx, const char *tok, char *err, size_t errsz)
{
	static const struct { const char *name; unsigned bit; } st[] = {
		{ "successful", FILTER_ST_SUCCESSFUL },
		{ "failed", FILTER_ST_FAILED },
		{ "unfinished", FILTER_ST_UNFINISHED },
		{ "unavailable", FILTER_ST_UNAVAILABLE },
		{ "detached", FILTER_ST_DETACHED },
	};
	unsigned *bits = ctx;
	size_t i;

	for (i = 0; i < NELEM(st); i++)
		if (strcasecmp(tok, st[i].name) == 0) {
			*bits |= st[i].bit;
			return 0;
		}
	return util_fail(err, errsz, "invalid status '%s'", tok);
}

static int
signal_token(void *ctx, const char *tok, char *err, size_t errsz)
{
	unsigned char *sel = ctx;
	char up[64];
	size_t i, n = strlen(tok);
	int sig = 0;

	if (n > 0 && isdigit((unsigned char)tok[0])) {
		char *end;
		long v;

		errno = 0;
		v = strtol(tok, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0 && v < NSIG_SET) {
			sel[v] = 1;
			return 0;
		}
		return util_fail(err, errsz, "invalid signal '%s'", tok);
	}
	if (n + 4 < sizeof(up)) {
		size_t o = 0;

		if (strncasecmp(tok, "SIG", 3) != 0) {
			memcpy(up, "SIG", 3);
			o = 3;
		}
		for (i = 0; i < n; i++)
			up[o + i] = (char)toupper((unsigned char)tok[i]);
		up[o + n] = '\0';
		sig = util_signal_by_name(up, strlen(up));
		if (sig == 0 && strcmp(up, "SIGRTMIN") == 0)
			sig = 34;
	}
	if (sig <= 0 || sig >= NSIG_SET)
		return util_fail(err, errsz, "invalid signal '%s'", tok);
	sel[sig] = 1;
	return 0;
}

struct word_set {
	const char *const *words;
	size_t n;
	unsigned bits;
	const char *what;
};

static int
word_token(void *ctx, const char *tok, char *err, size_t errsz)
{
	struct word_set *w = ctx;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcasecmp(tok, w->words[i]) == 0) {
			w->bits |= 1u << i;
			return 0;
		}
	return util_fail(err, errsz, "invalid %s '%s'", w->what, tok);
}

/* A set of words (quiet=, decode-fds=) into bits, inverted and "all"
 * applied; -1 on error. */
static int
parse_words(const char *str, const char *const *words, size_t n,
    const char *what, unsigned *bits, char *err, size_t errsz)
{
	struct word_set w = { words, n, 0, what };
	bool all, inv;

	if (parse_tokens(str, &all, &inv, word_token, &w, what, err, errsz) != 0)
		return -1;
	if (all)
		w.bits = (1u << n) - 1;
	if (inv)
		w.bits = ~w.bits & ((1u << n) - 1);
	*bits = w.bits;
	return 0;
}

static int
fd_token(void *ctx, const char *tok, char *err, size_t errsz)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(tok, &end, 10);
	if (errno != 0 || end == tok || *end != '\0' || v < 0 || v > 0x7fffffff)
		return util_fail(err, errsz, "invalid descriptor '%s'", tok);
	*(bool *)ctx = true;	/* a descriptor: iospy has no full dumps */
	return 0;
}

/* ------------------------------------------------------------ qualifiers */

enum qual {
	Q_TRACE, Q_ABBREV, Q_VERBOSE, Q_RAW, Q_SIGNAL, Q_STATUS, Q_READ,
	Q_WRITE, Q_FAULT, Q_INJECT, Q_KVM, Q_QUIET, Q_DECODE_FDS,
	Q_DECODE_PIDS, Q_SECONTEXT,
};

static const struct { const char *name; enum qual q; } quals[] = {
	{ "trace", Q_TRACE }, { "t", Q_TRACE },
	{ "abbrev", Q_ABBREV }, { "a", Q_ABBREV },
	{ "verbose", Q_VERBOSE }, { "v", Q_VERBOSE },
	{ "raw", Q_RAW }, { "x", Q_RAW },
	{ "signal", Q_SIGNAL }, { "signals", Q_SIGNAL }, { "s", Q_SIGNAL },
	{ "status", Q_STATUS },
	{ "read", Q_READ }, { "reads", Q_READ }, { "r", Q_READ },
	{ "write", Q_WRITE }, { "writes", Q_WRITE }, { "w", Q_WRITE },
	{ "fault", Q_FAULT }, { "inject", Q_INJECT }, { "kvm", Q_KVM },
	{ "quiet", Q_QUIET }, { "silent", Q_QUIET }, { "silence", Q_QUIET },
	{ "q", Q_QUIET },
	{ "decode-fds", Q_DECODE_FDS }, { "decode-fd", Q_DECODE_FDS },
	{ "decode-pids", Q_DECODE_PIDS }, { "decode-pid", Q_DECODE_PIDS },
	{ "secontext", Q_SECONTEXT },
};

static int
qualify_trace(struct io_filter *f, const char *set, char *err, size_t errsz)
{
	unsigned char *sel = xmalloc(2 * nsysnames);

	if (parse_syscall_set(sel, set, err, errsz) != 0) {
		free(sel);
		return -1;
	}
	free(f->sel);
	f->sel = sel;
	f->trace_given = !set_is_all(sel);
	set_str(&f->trace_expr, set);
	if (!f->trace_given) {
		free(f->trace_expr);
		f->trace_expr = NULL;
	}
	compute_sys_sel(f);
	return 0;
}

/* abbrev=, verbose=, raw=: a syscall set iospy has one answer for. */
static int
qualify_fixed_set(const char *qname, const char *set, bool want_all,
    const char *why, char *err, size_t errsz)
{
	unsigned char *sel = xmalloc(2 * nsysnames);
	bool ok;

	if (parse_syscall_set(sel, set, err, errsz) != 0) {
		free(sel);
		return -1;
	}
	ok = want_all ? set_is_all(sel) : set_is_none(sel);
	free(sel);
	if (ok)
		return 0;
	return util_fail(err, errsz, "-e %s=%s is not supported: %s", qname, set,
	    why);
}

static int
qualify_fds(const char *qname, const char *set, char *err, size_t errsz)
{
	bool all, inv, any = false;

	if (parse_tokens(set, &all, &inv, fd_token, &any, "descriptor", err,
	    errsz) != 0)
		return -1;
	if ((!all && !any && !inv) || (all && inv))
		return 0;	/* none */
	return util_fail(err, errsz, "-e %s=%s is not supported: iospy does not "
	    "dump the data of every %s (-s N shows the first N bytes of each "
	    "write in the event log)", qname, set,
	    strcmp(qname, "read") == 0 ? "read" : "write");
}

int
filter_qualify(struct io_filter *f, const char *expr, char *err,
    size_t errsz)
{
	static const char *const quiet_words[] = {
		"attach", "exit", "path-resolution", "personality",
		"thread-execve", "superseded",
	};
	static const char *const fd_words[] = { "path", "socket", "dev", "pidfd" };
	const char *eq = strchr(expr, '=');
	const char *v = expr;
	enum qual q = Q_TRACE;
	size_t i;
	unsigned bits;

	if (eq != NULL)
		for (i = 0; i < NELEM(quals); i++)
			if (strlen(quals[i].name) == (size_t)(eq - expr) &&
			    strncmp(expr, quals[i].name, (size_t)(eq - expr)) == 0) {
				q = quals[i].q;
				v = eq + 1;
				break;
			}
	switch (q) {
	case Q_TRACE:
		return qualify_trace(f, v, err, errsz);
	case Q_STATUS: {
		bool all, inv;

		bits = 0;
		if (parse_tokens(v, &all, &inv, status_token, &bits, "status",
		    err, errsz) != 0)
			return -1;
		if (all)
			bits = FILTER_ST_ALL;
		if (inv)
			bits = ~bits & FILTER_ST_ALL;
		f->status = bits;
		if (bits == FILTER_ST_ALL) {
			free(f->status_expr);
			f->status_expr = NULL;
		} else
			set_str(&f->status_expr, v);
		return 0;
	}
	case Q_SIGNAL: {
		unsigned char sel[NSIG_SET];
		bool all, inv;

		memset(sel, 0, sizeof(sel));
		if (parse_tokens(v, &all, &inv, signal_token, sel, "signal",
		    err, errsz) != 0)
			return -1;
		if (all)
			memset(sel, 1, sizeof(sel));
		if (inv)
			for (i = 0; i < NSIG_SET; i++)
				sel[i] = !sel[i];
		memcpy(f->sigsel, sel, sizeof(sel));
		f->signal_given = memchr(sel, 0, sizeof(sel)) != NULL;
		if (f->signal_given)
			set_str(&f->signal_expr, v);
		else {
			free(f->signal_expr);
			f->signal_expr = NULL;
		}
		return 0;
	}
	case Q_ABBREV:
		return qualify_fixed_set("abbrev", v, true, "iospy's event log "
		    "abbreviates as strace does by default (abbrev=all)", err,
		    errsz);
	case Q_VERBOSE:
		return qualify_fixed_set("verbose", v, true, "iospy's event log "
		    "decodes as strace does by default (verbose=all)", err,
		    errsz);
	case Q_RAW:
		return qualify_fixed_set("raw", v, false, "iospy's event log "
		    "always decodes arguments (raw=none)", err, errsz);
	case Q_READ:
		return qualify_fds("read", v, err, errsz);
	case Q_WRITE:
		return qualify_fds("write", v, err, errsz);
	case Q_FAULT:
	case Q_INJECT:
		return util_fail(err, errsz, "-e %s is not supported: strace's "
		    "%s injection changes the traced process, and iospy never "
		    "does", expr, q == Q_FAULT ? "fault" : "return and fault");
	case Q_KVM:
		return util_fail(err, errsz, "-e %s is not supported: iospy does not "
		    "trace KVM vCPU exits", expr);
	case Q_DECODE_PIDS:
		return util_fail(err, errsz, "-e %s is not supported: iospy prints "
		    "plain pids (strace's -Y and --decode-pids)", expr);
	case Q_SECONTEXT:
		return util_fail(err, errsz, "-e %s is not supported: iospy does not "
		    "print SELinux contexts", expr);
	case Q_QUIET:
		if (parse_words(v, quiet_words, NELEM(quiet_words), "quiet",
		    &bits, err, errsz) != 0)
			return -1;
		if (bits & 2)
			return util_fail(err, errsz, "-e quiet=%s is not supported: "
			    "iospy's event log always says when a process exits "
			    "(use quiet=attach, or -q)", v);
		f->quiet_attach = (bits & 1) != 0;
		f->quiet_path_res = (bits & 4) != 0;
		return 0;
	case Q_DECODE_FDS:
		if (parse_words(v, fd_words, NELEM(fd_words), "decode-fds",
		    &bits, err, errsz) != 0)
			return -1;
		if ((bits & FILTER_FD_PATH) == 0)
			return util_fail(err, errsz, "-e decode-fds=%s is not "
			    "supported: iospy always shows the path of each fd "
			    "(decode-fds=path)", v);
		f->decode_fds = bits;
		return 0;
	}
	return util_fail(err, errsz, "invalid system call '%s'", expr);
}

void
filter_add_path(struct io_filter *f, const char *path)
{
	size_t i;

	for (i = 0; i < f->npaths; i++)
		if (strcmp(f->paths[i], path) == 0)
			return;
	f->paths = xrealloc(f->paths, (f->npaths + 1) * sizeof(*f->paths));
	f->paths[f->npaths++] = xstrdup(path);
}

const char *const *
filter_paths(const struct io_filter *f, size_t *n)
{
	*n = f != NULL ? f->npaths : 0;
	return f != NULL ? (const char *const *)f->paths : NULL;
}

bool
filter_active(const struct io_filter *f)
{
	return f != NULL && (f->trace_given || f->status != FILTER_ST_ALL ||
	    f->signal_given || f->npaths > 0);
}

bool
filter_narrows_calls(const struct io_filter *f)
{
	return f != NULL && f->trace_given;
}

unsigned
filter_status(const struct io_filter *f)
{
	return f != NULL ? f->status : FILTER_ST_ALL;
}

bool
filter_quiet_attach(const struct io_filter *f)
{
	return f != NULL && f->quiet_attach;
}

bool
filter_quiet_path_resolution(const struct io_filter *f)
{
	return f != NULL && f->quiet_path_res;
}

unsigned
filter_decode_fds(const struct io_filter *f)
{
	return f != NULL ? f->decode_fds : 0;
}

void
filter_set_decode_fds(struct io_filter *f, unsigned bits)
{
	f->decode_fds = bits;
}

/* ------------------------------------------------------------ matching */

bool
filter_traces_name(const struct io_filter *f, int abi, const char *name)
{
	int a = abi == 32 ? 1 : 0;

	if (f == NULL || !f->trace_given)
		return true;
	return name_sel(f, a, name) == 1;
}

static bool
traces_event(const struct io_filter *f, const struct io_event *ev)
{
	int a = ev->abi == 32 ? 1 : 0, v;
	const char *name;

	if (ev->sys > IOSYS_UNKNOWN && ev->sys < IOSYS__COUNT &&
	    f->sys_sel[a][ev->sys] >= 0)
		return f->sys_sel[a][ev->sys] == 1;
	name = ev->name != NULL ? ev->name : syscalls_name(ev->sys);
	v = name_sel(f, a, name);
	if (v < 0)	/* "pwrite", "old_mmap": the canonical name decides */
		v = name_sel(f, a, syscalls_name(ev->sys));
	return v == 1;
}

static bool
path_is(const struct io_filter *f, const char *p)
{
	size_t i;

	if (p == NULL)
		return false;
	for (i = 0; i < f->npaths; i++)
		if (strcmp(f->paths[i], p) == 0)
			return true;
	return false;
}

bool
filter_event(const struct io_filter *f, const struct io_event *ev)
{
	unsigned st;

	if (f == NULL)
		return true;
	if (ev->cls == IOC_PSEUDO) {
		/* exits and detaches always; signals as -e signal= says */
		if (ev->sys == IOSYS_SIGNAL && f->signal_given)
			return ev->sig >= 0 && ev->sig < NSIG_SET &&
			    f->sigsel[ev->sig];
		return true;
	}
	if (f->trace_given && !traces_event(f, ev))
		return false;
	if (f->status != FILTER_ST_ALL) {
		/* exit and exit_group never return: strace's "= ?" */
		if (ev->ret == IO_RET_UNKNOWN || ev->cls == IOC_EXIT)
			st = FILTER_ST_UNFINISHED;
		else if (ev->err != 0)
			st = FILTER_ST_FAILED;
		else
			st = FILTER_ST_SUCCESSFUL;
		if ((f->status & st) == 0)
			return false;
	}
	if (f->npaths > 0 && !path_is(f, ev->path) && !path_is(f, ev->path2))
		return false;
	return true;
}

bool
filter_state_class(enum io_class cls)
{
	switch (cls) {
	case IOC_OPEN:
	case IOC_FDNEW:
	case IOC_CLOSE:
	case IOC_DUP:
	case IOC_RENAME:
	case IOC_LINK:
	case IOC_UNLINK:
	case IOC_CWD:
	case IOC_EXEC:
	case IOC_FORK:
	case IOC_EXIT:
		return true;
	default:
		return false;
	}
}

bool
filter_traces(const struct io_filter *f, int abi, enum io_sys sys,
    const char *name)
{
	if (f == NULL || !f->trace_given)
		return true;
	return filter_state_class(syscalls_class(sys)) ||
	    filter_traces_name(f, abi, name);
}

/* ------------------------------------------------------------ describe */

static void
cat(char **s, size_t *len, const char *a, const char *b)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0;

	*s = xrealloc(*s, *len + la + lb + 2);
	if (*len > 0)
		(*s)[(*len)++] = ' ';
	memcpy(*s + *len, a, la);
	memcpy(*s + *len + la, b ? b : "", lb);
	*len += la + lb;
	(*s)[*len] = '\0';
}

const char *
filter_describe(const struct io_filter *f)
{
	struct io_filter *m = (struct io_filter *)f;
	size_t len = 0, i;

	if (!filter_active(f))
		return NULL;
	free(m->desc);
	m->desc = NULL;
	if (f->trace_given)
		cat(&m->desc, &len, "-e trace=", f->trace_expr);
	if (f->status != FILTER_ST_ALL)
		cat(&m->desc, &len, "-e status=", f->status_expr);
	if (f->signal_given)
		cat(&m->desc, &len, "-e signal=", f->signal_expr);
	for (i = 0; i < f->npaths; i++)
		cat(&m->desc, &len, "-P ", f->paths[i]);
	return m->desc;
}
