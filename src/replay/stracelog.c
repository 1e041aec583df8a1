/*
 * stracelog.c: the file level of the strace-log replay: opens the logs
 * (plain, .gz/.xz/.zst/.bz2 through the system's decompressor, "-" for
 * stdin), reads them in big blocks, cuts lines with memchr and feeds them
 * to the line parser (stracelog_line.c).  Memory stays constant whatever
 * the size of a log: one buffer per open file, grown only for a long line
 * (up to SL_MAX_LINE).
 *
 * Several files are one run.  When every file starts with an absolute
 * timestamp (-t/-tt/-ttt), their lines are merged in time order, so a
 * `strace -ff -tt` set replays as the processes ran; otherwise the files
 * are read one after the other (a -ff set in pid order).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "replay/input.h"
#include "replay/stracelog.h"
#include "replay/stracelog_int.h"
#include "replay/replay_progress.h"
#include "base/util.h"

#define SL_BUF_SINGLE (1u << 20)	/* read block, one file */
#define SL_BUF_MERGE (256u << 10)	/* read block per file when merging */
#define SL_MAX_LINE (16u << 20)		/* longer lines: only their ends kept */
#define SL_LONG_KEEP (64u << 10)	/* bytes kept of each end */
#define SL_MAX_SKIP (1ULL << 30)	/* no newline in this: not a log */
#define SL_MERGE_MAX 64
#define SL_PEEK 4096			/* bytes sniffed for a format */			/* more files: read in turn */
#define PAR_BLOCK (512u << 10)		/* lines a worker takes at once */
#define PAR_SLOTS 6			/* blocks in flight */
#define PAR_WORKERS_MAX 4
#define PAR_LONG_LINE (1u << 20)	/* longer: read line by line */

struct reader {
	const char *path;	/* as given */
	pid_t pid;		/* -ff suffix, or 0 */
	int file;		/* index in the line parser */
	int fd;
	pid_t child;		/* decompressor, or 0 */
	const char *tool;
	char peek[SL_PEEK];	/* stdin's first bytes, read to sniff them */
	size_t npeek, peek_at;
	char *buf;
	size_t cap, start, end;
	bool eof, skipping, opened, closed;
	bool live;		/* a pipe or terminal: reads may block */
	int read_errno;
	/* a line longer than SL_MAX_LINE: its ends, and the call they make */
	char *head, *tail, *rebuilt;
	size_t hlen, tlen;
	uint64_t skipped;
	/* the current line */
	bool have;
	const char *line;
	size_t len;
	bool partial;
	int64_t key;		/* merge order */
	struct replay_progress *prog;
};

/* The pid in a -ff file name ("trace.12085"), or 0. */
static pid_t
suffix_pid(const char *path, int *digits)
{
	const char *end = path + strlen(path), *dot, *p;
	const char *tool = sl_decompressor(path);
	long v = 0;

	*digits = 0;
	if (tool != NULL)	/* trace.123.gz */
		end = strrchr(path, '.');
	dot = end;
	while (dot > path && dot[-1] != '.' && dot[-1] != '/')
		dot--;
	if (dot == path || dot[-1] != '.' || dot == end)
		return 0;
	dot--;
	for (p = dot + 1; p < end; p++) {
		if (*p < '0' || *p > '9' || *digits >= 10)
			return 0;
		v = v * 10 + (*p - '0');
		(*digits)++;
	}
	return v > 0 && v <= 0x7fffffff ? (pid_t)v : 0;
}

static int
not_a_log(struct reader *r, const char *what, char *err, size_t errsz)
{
	char name[512];

	snprintf(err, errsz, "%s is not a strace log: it starts with %s",
	    strcmp(r->path, "-") == 0 ? "standard input" :
	    util_escape_path(r->path, name, sizeof(name)), what);
	return -1;
}

static int
reader_open(struct reader *r, char *err, size_t errsz)
{
	const char *binary = NULL, *tool = NULL;

	r->opened = true;
	if (strcmp(r->path, "-") == 0) {
		ssize_t k;

		r->fd = STDIN_FILENO;
		/* sniff the first bytes (a pipe may give them in pieces) */
		while (r->npeek < 8) {
			k = read(STDIN_FILENO, r->peek + r->npeek,
			    sizeof(r->peek) - r->npeek);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			r->npeek += (size_t)k;
		}
		sl_sniff((const unsigned char *)r->peek, r->npeek, &tool, &binary);
		if (binary != NULL)
			return not_a_log(r, binary, err, errsz);
		if (tool == NULL)
			return 0;
		r->tool = tool;
		r->fd = -1;
		r->child = sl_spawn_decompressor(r->tool, NULL, r->peek, r->npeek,
		    &r->fd, err, errsz);
		if (r->child < 0) {
			r->child = 0;
			return -1;
		}
		r->npeek = 0;	/* the grandchild hands them on */
		return 0;
	}
	r->tool = sl_decompressor(r->path);
	if (r->tool == NULL) {
		unsigned char head[SL_PEEK];
		ssize_t k;

		r->fd = open(r->path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			char name[512];

			snprintf(err, errsz, "cannot open %s: %s",
			    util_escape_path(r->path, name, sizeof(name)),
			    strerror(errno));
			return -1;
		}
		/* a regular file: its content says what it is, whatever
		   its name (pread leaves the offset at 0) */
		k = pread(r->fd, head, sizeof(head), 0);
		if (k <= 0)
			return 0;
		sl_sniff(head, (size_t)k, &tool, &binary);
		if (binary != NULL)
			return not_a_log(r, binary, err, errsz);
		if (tool == NULL)
			return 0;
		close(r->fd);
		r->fd = -1;
		r->tool = tool;
	}
	if (access(r->path, R_OK) != 0) {
		char name[512];

		snprintf(err, errsz, "cannot open %s: %s",
		    util_escape_path(r->path, name, sizeof(name)),
		    strerror(errno));
		return -1;
	}
	r->child = sl_spawn_decompressor(r->tool, r->path, NULL, 0, &r->fd, err,
	    errsz);
	if (r->child < 0) {
		r->child = 0;
		return -1;
	}
	return 0;
}

/* Close; returns -1 with err set when the decompressor failed. */
static int
reader_close(struct reader *r, char *err, size_t errsz)
{
	int status, rc = 0;
	char name[512];

	if (!r->opened || r->closed)
		return 0;
	r->closed = true;
	if (r->fd > STDIN_FILENO)
		close(r->fd);
	free(r->buf);
	r->buf = NULL;
	free(r->head);
	free(r->tail);
	free(r->rebuilt);
	r->head = r->tail = r->rebuilt = NULL;
	if (r->child > 0) {
		if (!r->eof)	/* stopped early: the decompressor may wait */
			kill(r->child, SIGTERM);
		while (waitpid(r->child, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
			snprintf(err, errsz, "cannot read %s: %s is not installed",
			    util_escape_path(r->path, name, sizeof(name)), r->tool);
			rc = -1;
		} else if (r->eof && (!WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)) {
			snprintf(err, errsz, "cannot decompress %s: %s failed",
			    util_escape_path(r->path, name, sizeof(name)), r->tool);
			rc = -1;
		}
	}
	if (r->read_errno != 0) {
		snprintf(err, errsz, "error reading %s: %s",
		    util_escape_path(r->path, name, sizeof(name)),
		    strerror(r->read_errno));
		rc = -1;
	}
	return rc;
}

/* True if a read of fd would not block. */
static bool
input_ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) != 0;
}

/* read(2) on the input, first handing out the bytes sniffed off stdin. */
static ssize_t
raw_read(struct reader *r, char *buf, size_t n)
{
	ssize_t k;

	if (r->peek_at < r->npeek) {
		k = (ssize_t)(r->npeek - r->peek_at);
		if ((size_t)k > n)
			k = (ssize_t)n;
		memcpy(buf, r->peek + r->peek_at, (size_t)k);
		r->peek_at += (size_t)k;
		return k;
	}
	k = read(r->fd, buf, n);
	if (k > 0)
		replay_progress_read(r->prog, r->child, buf, (size_t)k);
	return k;
}

/* Read more into the buffer; false at the end (or on stop). */
static bool
reader_read(struct reader *r, volatile sig_atomic_t *stop)
{
	ssize_t n;

	for (;;) {
		n = raw_read(r, r->buf + r->end, r->cap - r->end);
		if (n > 0) {
			r->end += (size_t)n;
			return true;
		}
		if (n == 0)
			break;
		if (errno == EINTR) {
			if (stop != NULL && *stop)
				break;
			continue;
		}
		r->read_errno = errno;
		break;
	}
	r->eof = true;
	return false;
}

/* Keep the last SL_LONG_KEEP bytes of a long line's tail and p..p+n. */
static void
tail_add(struct reader *r, const char *p, size_t n)
{
	if (n >= SL_LONG_KEEP) {
		memcpy(r->tail, p + n - SL_LONG_KEEP, SL_LONG_KEEP);
		r->tlen = SL_LONG_KEEP;
		return;
	}
	if (r->tlen + n > SL_LONG_KEEP) {
		size_t drop = r->tlen + n - SL_LONG_KEEP;

		memmove(r->tail, r->tail + drop, r->tlen - drop);
		r->tlen -= drop;
	}
	memcpy(r->tail + r->tlen, p, n);
	r->tlen += n;
}

/* A line grew past SL_MAX_LINE: keep its start (r->buf holds it from 0). */
static void
long_start(struct reader *r)
{
	if (r->head == NULL) {
		r->head = xmalloc(SL_LONG_KEEP);
		r->tail = xmalloc(SL_LONG_KEEP);
		r->rebuilt = xmalloc(2 * SL_LONG_KEEP + 8);
	}
	r->hlen = r->end < SL_LONG_KEEP ? r->end : SL_LONG_KEEP;
	memcpy(r->head, r->buf, r->hlen);
	r->tlen = 0;
	tail_add(r, r->buf, r->end);
	r->skipped = r->end;
	r->skipping = true;
	r->end = 0;
}

/* The end of a long line: the call its two ends make, or an empty line
   (which keeps the numbering) and a problem. */
static void
long_end(struct reader *r, struct stracelog *sl)
{
	uint64_t lineno = stracelog_file_lines(sl, r->file) + 1;
	size_t n = sl_long_line(r->head, r->hlen, r->tail, r->tlen, r->rebuilt);

	r->skipping = false;
	if (n > 0) {
		stracelog_note(sl, r->file, lineno, "line longer than 16 MiB: "
		    "read with its string cut short (its result counts)");
		r->line = r->rebuilt;
		r->len = n;
	} else {
		stracelog_report(sl, r->file, lineno,
		    "line longer than 16 MiB, skipped");
		r->line = r->buf;
		r->len = 0;
	}
}

/* The next line into r->line; false at the end of the file (or when
   *stop is set). */
static bool
reader_fetch(struct reader *r, struct stracelog *sl,
    volatile sig_atomic_t *stop)
{
	char *nl;

	r->have = false;
	for (;;) {
		if (stop != NULL && *stop)
			return false;
		if (r->start < r->end) {
			nl = memchr(r->buf + r->start, '\n', r->end - r->start);
			if (nl != NULL) {
				const char *ls = r->buf + r->start;

				r->start = (size_t)(nl - r->buf) + 1;
				r->partial = false;
				if (r->skipping) {
					tail_add(r, ls, (size_t)(nl - ls));
					long_end(r, sl);
				} else {
					r->line = ls;
					r->len = (size_t)(nl - ls);
				}
				r->have = true;
				return true;
			}
		}
		if (r->eof) {
			if (r->skipping) {
				tail_add(r, r->buf + r->start, r->end - r->start);
				r->start = r->end;
				r->partial = true;
				long_end(r, sl);
				r->have = true;
				return true;
			}
			if (r->start < r->end) {
				r->line = r->buf + r->start;
				r->len = r->end - r->start;
				r->start = r->end;
				r->partial = true;
				r->have = true;
				return true;
			}
			return false;
		}
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		if (r->end == r->cap) {
			if (r->skipping) {
				tail_add(r, r->buf, r->end);
				r->skipped += r->end;
				r->end = 0;
				if (r->skipped >= SL_MAX_SKIP) {
					/* /dev/zero, a binary file: bounded */
					stracelog_report(sl, r->file,
					    stracelog_file_lines(sl, r->file) + 1,
					    "no newline in 1 GiB: not a strace "
					    "log; the rest of the file is not read");
					r->skipping = false;
					r->eof = true;
					r->start = r->end = 0;
					r->line = r->buf;	/* an empty line */
					r->len = 0;
					r->partial = true;
					r->have = true;
					return true;
				}
			} else if (r->cap >= SL_MAX_LINE) {
				long_start(r);
			} else {
				r->cap *= 2;
				if (r->cap > SL_MAX_LINE)
					r->cap = SL_MAX_LINE;
				r->buf = xrealloc(r->buf, r->cap);
			}
		}
		/* a live pipe with nothing to read yet: hand on the call held
		   for -k frames now (they come with their call), so the report
		   and --interval do not lag a line behind while strace waits */
		if (r->live && !input_ready(r->fd))
			stracelog_flush(sl);
		reader_read(r, stop);
	}
}

static void
reader_prepare(struct reader *r, struct stracelog *sl, size_t bufsz)
{
	struct stat sb;

	r->cap = bufsz;
	r->buf = xmalloc(r->cap);
	r->live = r->fd >= 0 && fstat(r->fd, &sb) == 0 && !S_ISREG(sb.st_mode);
	r->file = stracelog_add_file(sl, strcmp(r->path, "-") == 0 ? "<stdin>" :
	    r->path, r->pid);
}

/* Read the start of a file and guess whose its bare lines are. */
static void
reader_first(struct reader *r, struct stracelog *sl, pid_t *first,
    volatile sig_atomic_t *stop)
{
	/* a look at the start for the first pid; a live pipe gives what
	   it has now, not a quarter of the buffer */
	while (!r->eof && r->end < r->cap / 4 &&
	    !(r->live && r->end > 0 && !input_ready(r->fd)))
		reader_read(r, stop);
	if (r->pid == 0 && *first == 0) {
		*first = stracelog_guess_first_pid(r->buf, r->end);
		if (*first > 0)
			stracelog_set_first_pid(sl, *first);
	}
}

static int
cmp_pid(const void *a, const void *b)
{
	const struct reader *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * A -ff set in the order its processes were created: by pid, but pids wrap
 * (at 32768 by default): when the set straddles the wrap, the widest gap
 * between two pids of the set is wider than the one across the wrap, and
 * the set starts after it (32700, 32750, 310, 402: the children of 32750
 * got 310 and 402).  pid_max of the recording machine is not known: 32768
 * is taken for pids below it, else the kernel's limit, 4194304.
 */
static void
order_pids(struct reader *rd, size_t n)
{
	size_t i, k = 0;
	int64_t gap = -1, wrap, pid_max;
	struct reader *tmp;

	qsort(rd, n, sizeof(*rd), cmp_pid);
	if (n < 2)
		return;
	for (i = 0; i + 1 < n; i++)
		if ((int64_t)rd[i + 1].pid - rd[i].pid > gap) {
			gap = (int64_t)rd[i + 1].pid - rd[i].pid;
			k = i + 1;
		}
	pid_max = rd[n - 1].pid < 32768 ? 32768 : 4194304;
	if (rd[n - 1].pid >= pid_max)
		return;
	wrap = pid_max - rd[n - 1].pid + rd[0].pid;
	if (gap <= wrap)
		return;
	tmp = xmalloc(n * sizeof(*rd));
	memcpy(tmp, rd + k, (n - k) * sizeof(*rd));
	memcpy(tmp + (n - k), rd, k * sizeof(*rd));
	memcpy(rd, tmp, n * sizeof(*rd));
	free(tmp);
}

/* FILE.PID names by pid. */
static int
cmp_suffix(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	long px = strtol(strrchr(x, '.') + 1, NULL, 10);
	long py = strtol(strrchr(y, '.') + 1, NULL, 10);

	return (px > py) - (px < py);
}

/* All digits, at least one. */
static bool
all_digits(const char *p)
{
	if (*p == '\0')
		return false;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/*
 * --replay FILE where FILE does not exist but FILE.PID files do (what
 * `strace -ff -o FILE` leaves): the set instead.  Returns the number of
 * files found (cfg->files replaced), 0 if none.
 */
size_t
stracelog_expand_ff(struct replay_settings *cfg)
{
	const char *base;
	char *dir, *slash;
	const char *prefix;
	size_t plen, n = 0;
	char **files = NULL;
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (cfg->nfiles != 1 || strcmp(cfg->files[0], "-") == 0)
		return 0;
	base = cfg->files[0];
	if (lstat(base, &st) == 0 || errno != ENOENT)
		return 0;
	dir = xstrdup(base);
	slash = strrchr(dir, '/');
	if (slash != NULL) {
		*slash = '\0';
		prefix = base + (slash - dir) + 1;
	} else
		prefix = base;
	plen = strlen(prefix);
	d = opendir(slash == NULL ? "." : dir[0] == '\0' ? "/" : dir);
	if (d == NULL) {
		free(dir);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len;

		if (strncmp(de->d_name, prefix, plen) != 0 ||
		    de->d_name[plen] != '.' || !all_digits(de->d_name + plen + 1))
			continue;
		len = strlen(base) + strlen(de->d_name + plen) + 1;
		files = xrealloc(files, (n + 2) * sizeof(*files));
		files[n] = xmalloc(len);
		snprintf(files[n], len, "%s%s", base, de->d_name + plen);
		files[++n] = NULL;
	}
	closedir(d);
	free(dir);
	if (n == 0)
		return 0;
	qsort(files, n, sizeof(*files), cmp_suffix);
	free(cfg->files[0]);
	free(cfg->files);
	cfg->files = files;
	cfg->nfiles = n;
	return n;
}

/* Feed r's current line, then its -k frames; deliver. */
static void
feed_one(struct reader *r, struct stracelog *sl, volatile sig_atomic_t *stop)
{
	stracelog_feed(sl, r->file, r->line, r->len, r->partial);
	while (reader_fetch(r, sl, stop)) {
		if (!stracelog_is_frame(r->line, r->len))
			break;
		stracelog_feed(sl, r->file, r->line, r->len, r->partial);
	}
	stracelog_flush(sl);
}

static int64_t
key_of(struct reader *r, struct stracelog *sl)
{
	int64_t t = stracelog_peek_time(sl, r->file, r->line, r->len);

	return t == IO_TIME_UNKNOWN ? INT64_MIN : t;
}

/* ------------------------------------------------------------ parallel */

/*
 * One file read with worker threads: the main thread reads blocks of whole
 * lines, the workers decode them (sl_worker_batch), the main thread feeds
 * the results in order (sl_feed_rec), so everything with state stays in
 * one thread and the report is the one a line-by-line replay gives.
 */
struct par_slot {
	char *buf;
	size_t cap;
	size_t len;		/* whole lines handed to a worker */
	bool last_partial;	/* its last line has no newline (end of input) */
	bool parsed;
	struct sl_batch batch;
};

struct par {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct par_slot slot[PAR_SLOTS];
	uint64_t filled;	/* blocks published */
	uint64_t taken;		/* blocks a worker took */
	bool quit;
};

struct par_worker {
	struct par *par;
	struct sl_worker *w;
	pthread_t th;
};

static void *
par_work(void *arg)
{
	struct par_worker *pw = arg;
	struct par *P = pw->par;
	struct par_slot *s;

	pthread_mutex_lock(&P->mu);
	for (;;) {
		while (!P->quit && P->taken == P->filled)
			pthread_cond_wait(&P->work, &P->mu);
		if (P->quit)
			break;
		s = &P->slot[P->taken++ % PAR_SLOTS];
		pthread_mutex_unlock(&P->mu);
		sl_worker_batch(pw->w, s->buf, s->len, s->last_partial, &s->batch);
		pthread_mutex_lock(&P->mu);
		s->parsed = true;
		pthread_cond_broadcast(&P->done);
	}
	pthread_mutex_unlock(&P->mu);
	return NULL;
}

/* Worker threads for a replay besides the main one (which decodes
   blocks too while it waits): IOSPY_REPLAY_THREADS, else one per CPU it
   may use but one; 0 (read line by line) when there is one CPU. */
static int
par_workers(void)
{
	const char *env = getenv("IOSPY_REPLAY_THREADS");
	long n;

	if (env != NULL && *env != '\0') {
		char *end;

		n = strtol(env, &end, 10);
		if (*end != '\0' || n < 0)
			n = 0;
	} else {
		cpu_set_t cpus;

		/* the CPUs this process may run on (taskset, cpusets) */
		if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
			n = CPU_COUNT(&cpus) - 1;
		else
			n = sysconf(_SC_NPROCESSORS_ONLN) - 1;
		if (n < 1)
			n = 0;
	}
	return n > PAR_WORKERS_MAX ? PAR_WORKERS_MAX : (int)n;
}

/* Bytes a worker takes at once: IOSPY_REPLAY_BLOCK (for tests: a small
   block puts every case on a block boundary), else PAR_BLOCK. */
static size_t
par_block(void)
{
	const char *env = getenv("IOSPY_REPLAY_BLOCK");
	char *end;
	unsigned long long v;

	if (env == NULL || *env == '\0')
		return PAR_BLOCK;
	v = strtoull(env, &end, 10);
	if (*end != '\0' || v == 0 || v > PAR_LONG_LINE)
		return PAR_BLOCK;
	return (size_t)v;
}

/* Input for s->buf[fill..want): first what r's buffer still holds, then
   the file.  Returns the new fill; r->eof once the file is exhausted. */
static size_t
par_read(struct reader *r, struct par_slot *s, size_t fill, size_t want,
    volatile sig_atomic_t *stop)
{
	ssize_t n;

	if (r->start < r->end) {
		size_t k = r->end - r->start;

		if (k > want - fill)
			k = want - fill;
		memcpy(s->buf + fill, r->buf + r->start, k);
		r->start += k;
		fill += k;
	}
	while (fill < want && !r->eof) {
		n = raw_read(r, s->buf + fill, want - fill);
		if (n > 0) {
			fill += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR && !(stop != NULL && *stop))
			continue;
		if (n < 0 && errno != EINTR)
			r->read_errno = errno;
		r->eof = true;
	}
	return fill;
}

/* Make s->buf hold at least n bytes, keeping its first keep bytes. */
static void
par_grow(struct par_slot *s, size_t n, size_t keep)
{
	if (s->cap >= n)
		return;
	if (keep > 0 && n < s->cap * 2)
		n = s->cap * 2;	/* a long line grows the block in doublings */
	if (keep == 0) {
		free(s->buf);
		s->buf = xmalloc(n);
	} else
		s->buf = xrealloc(s->buf, n);
	s->cap = n;
}

/*
 * Replay r (opened, its first block in r->buf) with nw workers.  True when
 * done (or stopped); false when the rest must be read line by line (a
 * line longer than PAR_LONG_LINE, or no thread could start), with r's
 * buffer holding what was read and not fed.
 */
static bool
par_replay(struct reader *r, struct stracelog *sl, int nw,
    volatile sig_atomic_t *stop)
{
	struct par P;
	struct par_worker pw[PAR_WORKERS_MAX];
	const char *carry = NULL;	/* the start of a line, in the last block */
	size_t carrylen = 0, blk = par_block(), i;
	uint64_t consumed = 0, freed = 0, last_seq = UINT64_MAX;
	bool input_done = false, fallback = false, stopped = false;
	struct par_slot *left = NULL;	/* fallback: the block not handed out */
	size_t leftlen = 0;
	sigset_t all, old;
	struct sl_worker *mine;
	int k, started = 0;

	memset(&P, 0, sizeof(P));
	pthread_mutex_init(&P.mu, NULL);
	pthread_cond_init(&P.work, NULL);
	pthread_cond_init(&P.done, NULL);
	/* signals go to the main thread, where the stop flag is read */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (k = 0; k < nw; k++) {
		pw[k].par = &P;
		pw[k].w = sl_worker_new();
		if (pthread_create(&pw[k].th, NULL, par_work, &pw[k]) != 0) {
			sl_worker_free(pw[k].w);
			break;
		}
		started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	mine = sl_worker_new();

	while (started > 0) {
		struct par_slot *s;

		/* hand out blocks of whole lines while there are free slots */
		while (!input_done && !fallback && P.filled - freed < PAR_SLOTS) {
			size_t fill, want;
			const char *nl = NULL;

			s = &P.slot[P.filled % PAR_SLOTS];
			want = carrylen + blk;
			par_grow(s, want, 0);
			if (carrylen > 0)
				memcpy(s->buf, carry, carrylen);
			fill = carrylen;
			for (;;) {
				/* only the new bytes: the older had no newline */
				size_t from = fill;

				fill = par_read(r, s, fill, want, stop);
				if (fill > from)
					nl = memrchr(s->buf + from, '\n',
					    fill - from);
				if (nl != NULL || (r->eof && r->start == r->end))
					break;
				if (fill >= PAR_LONG_LINE) {
					fallback = true;
					break;
				}
				want = fill + blk;	/* a line longer than blk */
				par_grow(s, want, fill);
			}
			if (fallback) {
				left = s;
				leftlen = fill;
				break;
			}
			if (nl == NULL) {
				/* the end of the input */
				input_done = true;
				s->len = fill;
				s->last_partial = fill > 0;
				carrylen = 0;
				if (fill == 0)
					break;
			} else {
				s->len = (size_t)(nl + 1 - s->buf);
				s->last_partial = false;
				carry = nl + 1;
				carrylen = fill - s->len;
			}
			s->parsed = false;
			pthread_mutex_lock(&P.mu);
			P.filled++;
			pthread_cond_signal(&P.work);
			pthread_mutex_unlock(&P.mu);
		}
		if (consumed == P.filled)
			break;

		/* feed the oldest block, in order */
		s = &P.slot[consumed % PAR_SLOTS];
		pthread_mutex_lock(&P.mu);
		while (!s->parsed) {
			if (P.taken < P.filled) {
				/* rather than wait, decode a block too */
				struct par_slot *t = &P.slot[P.taken++ % PAR_SLOTS];

				pthread_mutex_unlock(&P.mu);
				sl_worker_batch(mine, t->buf, t->len,
				    t->last_partial, &t->batch);
				pthread_mutex_lock(&P.mu);
				t->parsed = true;
				continue;
			}
			pthread_cond_wait(&P.done, &P.mu);
		}
		pthread_mutex_unlock(&P.mu);
		for (i = 0; i < s->batch.nrec; i++) {
			if (stracelog_stopped(sl) || (stop != NULL && *stop)) {
				stopped = true;
				break;
			}
			if (!s->batch.rec[i].frame) {
				/* a line and its -k frames, then delivery, as
				   feed_one does */
				stracelog_flush(sl);
				last_seq = consumed;
			}
			sl_feed_rec(sl, r->file, &s->batch, i);
		}
		consumed++;
		/* the block before keeps the held call's strings until a line
		   of this one flushed it */
		if (consumed >= 2 && freed < consumed - 1) {
			if (last_seq == freed)
				sl_keep_held(sl);
			freed++;
		}
		if (stopped)
			break;
	}
	stracelog_flush(sl);

	pthread_mutex_lock(&P.mu);
	P.quit = true;
	pthread_cond_broadcast(&P.work);
	pthread_mutex_unlock(&P.mu);
	for (k = 0; k < started; k++) {
		pthread_join(pw[k].th, NULL);
		sl_worker_free(pw[k].w);
	}
	sl_worker_free(mine);

	if (started > 0 && fallback && !stopped) {
		/* hand what was read and not fed back to the reader: the long
		   line's start, then what r's buffer still holds */
		size_t rest = r->end - r->start, n = leftlen + rest;
		char *nb = xmalloc(n > r->cap ? n : r->cap);

		memcpy(nb, left->buf, leftlen);
		memcpy(nb + leftlen, r->buf + r->start, rest);
		free(r->buf);
		r->buf = nb;
		r->cap = n > r->cap ? n : r->cap;
		r->start = 0;
		r->end = n;
	}
	for (k = 0; k < PAR_SLOTS; k++) {
		free(P.slot[k].buf);
		sl_batch_free(&P.slot[k].batch);
	}
	pthread_cond_destroy(&P.work);
	pthread_cond_destroy(&P.done);
	pthread_mutex_destroy(&P.mu);
	return started > 0 && (!fallback || stopped);
}

/* True when r is worth reading with workers: a regular file or a
   decompressor's output (stdin may be a live pipe, read line by line). */
static bool
par_suits(const struct reader *r)
{
	struct stat st;

	if (r->child > 0)
		return true;
	return r->fd != STDIN_FILENO && fstat(r->fd, &st) == 0 &&
	    S_ISREG(st.st_mode);
}

/* Replay cfg->files as one run into pl. */
int
stracelog_replay(const struct replay_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, FILE *diag,
    struct stracelog_result *res, char *err, size_t errsz)
{
	struct stracelog *sl;
	struct reader *rd;
	volatile sig_atomic_t *stop = hooks != NULL ? hooks->stop : NULL;
	size_t n = cfg->nfiles, i;
	pid_t first = 0;
	bool merge = false, all_pids = n > 0;
	int rc = 0, digits, nw = par_workers();
	char cerr[512];

	memset(res, 0, sizeof(*res));
	res->start_ns = res->end_ns = IO_TIME_UNKNOWN;
	if (n == 0) {
		snprintf(err, errsz, "--replay needs a file");
		return -1;
	}
	rd = xcalloc(n, sizeof(*rd));
	for (i = 0; i < n; i++) {
		rd[i].path = cfg->files[i];
		rd[i].fd = -1;
		rd[i].prog = cfg->progress;
		rd[i].pid = suffix_pid(rd[i].path, &digits);
		/* "app.log.1" is a rotated log, not pid 1: trust a short
		   suffix only in a set of several files */
		if (rd[i].pid > 0 && digits < 3 && n < 2)
			rd[i].pid = 0;
		if (rd[i].pid == 0)
			all_pids = false;
	}
	/* fail before replaying anything if a file cannot be read */
	for (i = 0; i < n; i++) {
		struct stat st;

		if (strcmp(rd[i].path, "-") == 0)
			continue;
		if (stat(rd[i].path, &st) != 0 || access(rd[i].path, R_OK) != 0) {
			char name[512];

			snprintf(err, errsz, "cannot open %s: %s",
			    util_escape_path(rd[i].path, name, sizeof(name)),
			    strerror(errno));
			free(rd);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			char name[512];

			snprintf(err, errsz, "cannot replay %s: it is a directory",
			    util_escape_path(rd[i].path, name, sizeof(name)));
			free(rd);
			return -1;
		}
	}
	if (all_pids)
		order_pids(rd, n);

	sl = stracelog_new(pl, diag);
	stracelog_set_hooks(sl, hooks);

	if (n > 1 && n <= SL_MERGE_MAX) {
		/* open all; merge when every file has absolute times */
		merge = true;
		for (i = 0; i < n; i++) {
			if (reader_open(&rd[i], err, errsz) != 0) {
				rc = -1;
				break;
			}
			reader_prepare(&rd[i], sl, SL_BUF_MERGE);
			reader_first(&rd[i], sl, &first, stop);
			if (reader_fetch(&rd[i], sl, stop)) {
				rd[i].key = stracelog_peek_time(sl, rd[i].file,
				    rd[i].line, rd[i].len);
				if (rd[i].key == IO_TIME_UNKNOWN)
					merge = false;
			}
		}
		if (rc != 0)
			goto done;
		if (merge) {
			for (i = 0; i < n; i++)
				if (rd[i].have)
					rd[i].key = key_of(&rd[i], sl);
		}
		while (!stracelog_stopped(sl) && !(stop != NULL && *stop)) {
			struct reader *best = NULL;

			for (i = 0; i < n; i++) {
				if (!rd[i].have)
					continue;
				if (!merge) {
					best = &rd[i];
					break;
				}
				if (best == NULL || rd[i].key < best->key)
					best = &rd[i];
			}
			if (best == NULL)
				break;
			feed_one(best, sl, stop);
			if (best->have)
				best->key = merge ? key_of(best, sl) : 0;
			else if (reader_close(best, cerr, sizeof(cerr)) != 0) {
				snprintf(err, errsz, "%s", cerr);
				rc = -1;
			}
		}
	} else {
		for (i = 0; i < n && !stracelog_stopped(sl) &&
		    !(stop != NULL && *stop); i++) {
			struct reader *r = &rd[i];

			if (reader_open(r, err, errsz) != 0) {
				rc = -1;
				break;
			}
			reader_prepare(r, sl, SL_BUF_SINGLE);
			reader_first(r, sl, &first, stop);
			if (nw > 0 && par_suits(r) && par_replay(r, sl, nw, stop))
				r->have = false;
			else if (!reader_fetch(r, sl, stop))
				r->have = false;
			while (r->have && !stracelog_stopped(sl) &&
			    !(stop != NULL && *stop))
				feed_one(r, sl, stop);
			if (reader_close(r, cerr, sizeof(cerr)) != 0) {
				snprintf(err, errsz, "%s", cerr);
				rc = -1;
			}
		}
	}
done:
	for (i = 0; i < n; i++)
		if (reader_close(&rd[i], cerr, sizeof(cerr)) != 0 && rc == 0) {
			snprintf(err, errsz, "%s", cerr);
			rc = -1;
		}
	stracelog_finish(sl, res);
	stracelog_free(sl);
	free(rd);
	if (rc == 0 && res != NULL && res->calls == 0 && res->summary > 0 &&
	    !(stop != NULL && *stop)) {
		char name[512];

		/* strace -c: counts per syscall, nothing per file */
		util_escape_path(n == 1 ? cfg->files[0] : "the logs",
		    name, sizeof(name));
		snprintf(err, errsz, "%s: a strace -c summary table (%" PRIu64
		    " calls, %" PRIu64 " errors in %" PRIu64 " syscalls): it "
		    "holds no per-file data to replay; record with strace -o "
		    "instead", name, res->summary_calls, res->summary_errors,
		    res->summary_syscalls);
		rc = -1;
	}
	return rc;
}
