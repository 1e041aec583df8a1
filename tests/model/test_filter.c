/* tests/model/test_filter.c: strace's -e qualifiers and -P, parsed and
 * applied (the words of the errors are strace 6.1's). */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "model/filter.h"
#include "model/pipeline.h"
#include "model/syscalls.h"

static char err[512];

static struct io_filter *
q(const char *e1, const char *e2)
{
	struct io_filter *f = filter_new();

	err[0] = '\0';
	cr_assert_eq(filter_qualify(f, e1, err, sizeof(err)), 0, "%s: %s", e1, err);
	if (e2 != NULL)
		cr_assert_eq(filter_qualify(f, e2, err, sizeof(err)), 0, "%s: %s",
		    e2, err);
	return f;
}

static void
bad(const char *e, const char *msg)
{
	struct io_filter *f = filter_new();

	err[0] = '\0';
	cr_expect_eq(filter_qualify(f, e, err, sizeof(err)), -1, "%s accepted", e);
	cr_expect(strstr(err, msg) != NULL, "%s: got '%s', want '%s'", e, err, msg);
	filter_free(f);
}

static struct io_event
call(enum io_sys sys, const char *name)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.sys = sys;
	ev.cls = syscalls_class(sys);
	ev.name = name;
	ev.abi = 64;
	ev.ret = 0;
	return ev;
}

static bool
passes(const struct io_filter *f, enum io_sys sys, const char *name)
{
	struct io_event ev = call(sys, name);

	return filter_event(f, &ev);
}

Test(filter, nothing_given_passes_all)
{
	struct io_filter *f = filter_new();

	cr_expect(!filter_active(f));
	cr_expect(passes(f, IOSYS_MMAP, "mmap"));
	cr_expect_null(filter_describe(f));
	filter_free(f);
	cr_expect(passes(NULL, IOSYS_WRITE, "write"));
}

Test(filter, names_and_bare_set)
{
	struct io_filter *f = q("trace=write,close", NULL);

	cr_expect(filter_active(f));
	cr_expect(passes(f, IOSYS_WRITE, "write"));
	cr_expect(passes(f, IOSYS_CLOSE, "close"));
	cr_expect(!passes(f, IOSYS_WRITEV, "writev"));
	cr_expect(!passes(f, IOSYS_MMAP, "mmap"));
	cr_expect_str_eq(filter_describe(f), "-e trace=write,close");
	filter_free(f);
	f = q("write", NULL);	/* a bare set is trace= */
	cr_expect(passes(f, IOSYS_WRITE, "write"));
	cr_expect(!passes(f, IOSYS_CLOSE, "close"));
	filter_free(f);
	f = q("t=mmap", NULL);
	cr_expect(passes(f, IOSYS_MMAP, "mmap"));
	filter_free(f);
}

Test(filter, classes_as_strace)
{
	struct io_filter *f = q("trace=%desc", NULL);

	cr_expect(passes(f, IOSYS_WRITE, "write"));
	cr_expect(passes(f, IOSYS_MMAP, "mmap"));
	cr_expect(passes(f, IOSYS_OPENAT, "openat"));
	cr_expect(!passes(f, IOSYS_MUNMAP, "munmap"));
	cr_expect(!passes(f, IOSYS_RENAME, "rename"));
	cr_expect(!passes(f, IOSYS_SOCKET, "socket"));
	filter_free(f);
	f = q("trace=%file", NULL);
	cr_expect(passes(f, IOSYS_RENAME, "rename"));
	cr_expect(passes(f, IOSYS_EXECVE, "execve"));
	cr_expect(passes(f, IOSYS_STAT, "newfstatat"));
	cr_expect(!passes(f, IOSYS_STAT, "fstat"));
	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	filter_free(f);
	f = q("trace=%memory", NULL);
	cr_expect(passes(f, IOSYS_BRK, "brk"));
	cr_expect(passes(f, IOSYS_MREMAP, "mremap"));
	cr_expect(!passes(f, IOSYS_CLOSE, "close"));
	filter_free(f);
	f = q("trace=%process", NULL);
	cr_expect(passes(f, IOSYS_CLONE3, "clone3"));
	cr_expect(passes(f, IOSYS_EXIT_GROUP, "exit_group"));
	filter_free(f);
	f = q("trace=%net", NULL);
	cr_expect(passes(f, IOSYS_ACCEPT4, "accept4"));
	cr_expect(passes(f, IOSYS_SENDFILE, "sendfile"));
	filter_free(f);
	f = q("trace=%signal", NULL);
	cr_expect(passes(f, IOSYS_SIGNALFD, "signalfd4"));
	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	filter_free(f);
	/* classes with no decoded call are valid and select nothing here */
	f = q("trace=%ipc,%creds,%clock,%pure,%%statfs", NULL);
	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	filter_free(f);
}

Test(filter, negation_all_none)
{
	struct io_filter *f = q("trace=!write", NULL);

	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	cr_expect(passes(f, IOSYS_WRITEV, "writev"));
	filter_free(f);
	f = q("trace=!!write", NULL);
	cr_expect(passes(f, IOSYS_WRITE, "write"));
	cr_expect(!passes(f, IOSYS_WRITEV, "writev"));
	filter_free(f);
	f = q("trace=none", NULL);
	cr_expect(filter_active(f));
	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	filter_free(f);
	f = q("trace=all", NULL);
	cr_expect(!filter_active(f));
	filter_free(f);
	f = q("trace=!none", NULL);
	cr_expect(!filter_active(f));
	filter_free(f);
	f = q("trace=!%desc", NULL);
	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	cr_expect(passes(f, IOSYS_MUNMAP, "munmap"));
	filter_free(f);
}

Test(filter, question_mark_numbers_regex_personality)
{
	struct io_filter *f = q("trace=?nosuchcall,write", NULL);

	cr_expect(passes(f, IOSYS_WRITE, "write"));
	filter_free(f);
	f = q("trace=??foo", NULL);
	filter_free(f);
	f = q("trace=?", NULL);
	filter_free(f);
	f = q("trace=1", NULL);	/* x86_64 write; i386 exit */
	cr_expect(passes(f, IOSYS_WRITE, "write"));
	cr_expect(!passes(f, IOSYS_EXIT, "exit"));
	{
		struct io_event ev = call(IOSYS_EXIT, "exit");

		ev.abi = 32;
		cr_expect(filter_event(f, &ev));
		ev = call(IOSYS_WRITE, "write");
		ev.abi = 32;
		cr_expect(!filter_event(f, &ev));
	}
	filter_free(f);
	f = q("trace=/^pwrite", NULL);
	cr_expect(passes(f, IOSYS_PWRITE64, "pwrite64"));
	cr_expect(passes(f, IOSYS_PWRITEV2, "pwritev2"));
	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	filter_free(f);
	f = q("trace=mmap@32", NULL);
	cr_expect(!passes(f, IOSYS_MMAP, "mmap"));
	cr_expect(filter_traces_name(f, 32, "mmap"));
	filter_free(f);
	/* an i386 log replayed without its personality: "mmap2" is judged
	   as i386's */
	f = q("trace=mmap2", NULL);
	cr_expect(passes(f, IOSYS_MMAP, "mmap2"));
	cr_expect(!passes(f, IOSYS_MMAP, "mmap"));
	filter_free(f);
	f = q("trace=%memory", NULL);
	cr_expect(passes(f, IOSYS_MMAP, "mmap2"));
	cr_expect(passes(f, IOSYS_TRUNCATE, "truncate64") == false);
	filter_free(f);
	f = q("trace=write@x32", NULL);
	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	filter_free(f);
	/* read is a syscall iospy does not decode: valid all the same */
	f = q("trace=read", NULL);
	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	filter_free(f);
}

Test(filter, errors_as_strace)
{
	bad("trace=foo", "invalid system call 'foo'");
	bad("foo", "invalid system call 'foo'");
	bad("trace=write,foo", "invalid system call 'foo'");
	bad("trace=write,!close", "invalid system call '!close'");
	bad("trace=", "invalid system call ''");
	bad("trace=!", "invalid system call '!'");
	bad("trace=%foo", "invalid system call '%foo'");
	bad("trace=WRITE", "invalid system call 'WRITE'");
	bad("trace=2000", "invalid system call '2000'");
	bad("trace=-1", "invalid system call '-1'");
	bad("trace=creds", "invalid system call 'creds'");
	bad("foo=bar", "invalid system call 'foo=bar'");
	bad("trace=/[", "regcomp");
	bad("trace=/^nosuch", "invalid system call '/^nosuch'");
	bad("status=", "invalid status ''");
	bad("status=bogus", "invalid status 'bogus'");
	bad("signal=FOO", "invalid signal 'FOO'");
	bad("signal=SIGUSR1,!", "invalid signal '!'");
	bad("signal=%x", "invalid signal '%x'");
	bad("quiet=exit,foo", "invalid quiet 'foo'");
	bad("decode-fds=foo", "invalid decode-fds 'foo'");
	bad("read=foo", "invalid descriptor 'foo'");
}

Test(filter, unsupported_qualifiers_named)
{
	bad("fault=write", "-e fault=write is not supported");
	bad("inject=write:error=EIO", "-e inject=write:error=EIO is not supported");
	bad("kvm=vcpu", "-e kvm=vcpu is not supported");
	bad("abbrev=none", "-e abbrev=none is not supported");
	bad("verbose=none", "-e verbose=none is not supported");
	bad("raw=all", "-e raw=all is not supported");
	bad("read=3", "-e read=3 is not supported");
	bad("write=all", "-e write=all is not supported");
	bad("quiet=exit", "-e quiet=exit is not supported");
	bad("quiet=all", "is not supported");
	bad("decode-fds=none", "-e decode-fds=none is not supported");
	bad("decode-pids=comm", "is not supported");
}

Test(filter, harmless_qualifiers_accepted)
{
	struct io_filter *f = q("abbrev=all", "verbose=all");

	cr_expect(!filter_active(f));
	cr_expect_eq(filter_qualify(f, "raw=none", err, sizeof(err)), 0);
	cr_expect_eq(filter_qualify(f, "read=none", err, sizeof(err)), 0);
	cr_expect_eq(filter_qualify(f, "write=!all", err, sizeof(err)), 0);
	cr_expect_eq(filter_qualify(f, "quiet=attach,personality", err,
	    sizeof(err)), 0);
	cr_expect(filter_quiet_attach(f));
	cr_expect_eq(filter_qualify(f, "decode-fds=path,socket", err,
	    sizeof(err)), 0);
	cr_expect_eq(filter_decode_fds(f), FILTER_FD_PATH | FILTER_FD_SOCKET);
	cr_expect_eq(filter_qualify(f, "decode-fds=all", err, sizeof(err)), 0);
	cr_expect(!filter_active(f));
	filter_free(f);
}

Test(filter, repeated_qualifier_replaces_as_strace)
{
	/* strace 6.1: -e trace=write -e trace=close traces close only */
	struct io_filter *f = q("trace=write", "trace=close");

	cr_expect(!passes(f, IOSYS_WRITE, "write"));
	cr_expect(passes(f, IOSYS_CLOSE, "close"));
	cr_expect_str_eq(filter_describe(f), "-e trace=close");
	/* different qualifiers add up */
	cr_expect_eq(filter_qualify(f, "status=failed", err, sizeof(err)), 0);
	cr_expect_str_eq(filter_describe(f), "-e trace=close -e status=failed");
	filter_free(f);
}

Test(filter, status)
{
	struct io_filter *f = q("status=failed", NULL), *f2;
	struct io_event ev = call(IOSYS_OPENAT, "openat");

	cr_expect(filter_event(f, &ev) == false);
	ev.err = 2;
	ev.ret = -1;
	cr_expect(filter_event(f, &ev));
	filter_free(f);
	f = q("status=!failed", NULL);
	cr_expect(!filter_event(f, &ev));
	ev = call(IOSYS_EXIT_GROUP, "exit_group");
	ev.ret = IO_RET_UNKNOWN;
	cr_expect(filter_event(f, &ev));	/* unfinished */
	ev.ret = 0;	/* a source that puts the status argument there */
	cr_expect(filter_event(f, &ev), "exit_group is always unfinished");
	filter_free(f);
	f2 = q("status=Successful", NULL);
	cr_expect(!filter_event(f2, &ev));
	filter_free(f2);
	ev.ret = IO_RET_UNKNOWN;
	f = q("status=Successful", NULL);
	cr_expect(!filter_event(f, &ev));
	cr_expect_eq(filter_status(f), FILTER_ST_SUCCESSFUL);
	/* exits and signals are not calls: no status */
	ev = call(IOSYS_PROC_EXIT, "+++ exit");
	cr_expect(filter_event(f, &ev));
	filter_free(f);
	f = q("status=all", NULL);
	cr_expect(!filter_active(f));
	filter_free(f);
}

Test(filter, signals)
{
	struct io_filter *f = q("signal=USR1,sigterm,9", NULL);
	struct io_event ev = call(IOSYS_SIGNAL, "--- signal");

	ev.sig = SIGUSR1;
	cr_expect(filter_event(f, &ev));
	ev.sig = SIGTERM;
	cr_expect(filter_event(f, &ev));
	ev.sig = SIGKILL;
	cr_expect(filter_event(f, &ev));
	ev.sig = SIGCHLD;
	cr_expect(!filter_event(f, &ev));
	/* calls are not signals */
	cr_expect(passes(f, IOSYS_WRITE, "write"));
	filter_free(f);
	f = q("signal=!SIGCHLD", NULL);
	cr_expect(!filter_event(f, &ev));
	ev.sig = SIGUSR2;
	cr_expect(filter_event(f, &ev));
	filter_free(f);
	f = q("signal=none", NULL);
	cr_expect(!filter_event(f, &ev));
	cr_expect_str_eq(filter_describe(f), "-e signal=none");
	filter_free(f);
}

Test(filter, paths)
{
	struct io_filter *f = filter_new();
	struct io_event ev = call(IOSYS_WRITE, "write");

	filter_add_path(f, "/tmp/x");
	filter_add_path(f, "/tmp/y");
	filter_add_path(f, "/tmp/x");
	cr_expect(filter_active(f));
	cr_expect_str_eq(filter_describe(f), "-P /tmp/x -P /tmp/y");
	ev.path = "/tmp/x";
	cr_expect(filter_event(f, &ev));
	ev.path = "/tmp/z";
	cr_expect(!filter_event(f, &ev));
	ev = call(IOSYS_OPENAT, "openat");
	ev.path = "y";
	ev.path2 = "/tmp/y";	/* the absolute path of the new fd */
	cr_expect(filter_event(f, &ev));
	ev = call(IOSYS_RENAME, "rename");
	ev.path = "/tmp/a";
	ev.path2 = "/tmp/x";
	cr_expect(filter_event(f, &ev));
	ev = call(IOSYS_BRK, "brk");
	cr_expect(!filter_event(f, &ev));
	ev = call(IOSYS_PROC_EXIT, "+++ exit");
	cr_expect(filter_event(f, &ev));
	filter_free(f);
}

Test(filter, live_engines_keep_state_calls)
{
	struct io_filter *f = q("trace=write", NULL);

	cr_expect(filter_narrows_calls(f));
	cr_expect(filter_traces(f, 64, IOSYS_WRITE, "write"));
	cr_expect(!filter_traces(f, 64, IOSYS_WRITEV, "writev"));
	cr_expect(!filter_traces(f, 64, IOSYS_MMAP, "mmap"));
	cr_expect(!filter_traces(f, 32, IOSYS_MMAP, "mmap2"));
	cr_expect(!filter_traces(f, 64, IOSYS_FSYNC, "fsync"));
	cr_expect(filter_traces(f, 64, IOSYS_OPENAT, "openat"));
	cr_expect(filter_traces(f, 64, IOSYS_CLOSE, "close"));
	cr_expect(filter_traces(f, 64, IOSYS_DUP2, "dup2"));
	cr_expect(filter_traces(f, 64, IOSYS_FCNTL, "fcntl"));
	cr_expect(filter_traces(f, 64, IOSYS_CLONE, "clone"));
	cr_expect(filter_traces(f, 64, IOSYS_EXECVE, "execve"));
	cr_expect(filter_traces(f, 64, IOSYS_PIPE2, "pipe2"));
	cr_expect(filter_traces(f, 64, IOSYS_RENAME, "rename"));
	filter_free(f);
	cr_expect(filter_traces(NULL, 64, IOSYS_MMAP, "mmap"));
}

/* Every name the live tables decode has strace's classes here. */
Test(filter, every_decoded_name_has_classes)
{
	int abis[2] = { SYSCALLS_ABI_X86_64, SYSCALLS_ABI_I386 }, a;
	struct io_filter *f = q("trace=%desc,%file,%memory,%process,%network", NULL);

	for (a = 0; a < 2; a++) {
		long nr, n = syscalls_table_size(abis[a]);

		for (nr = 0; nr < n; nr++) {
			const struct syscalls_ent *e = syscalls_lookup(abis[a], nr);

			if (e == NULL)
				continue;
			cr_expect(filter_traces_name(f, abis[a], e->name),
			    "%s (abi %d) is in no class", e->name, abis[a]);
		}
	}
	filter_free(f);
}

/* The pipeline keeps filtered calls from the sinks but not from its fd
 * tables: -e trace=write still resolves the write's fd. */
static int nseen;
static char lastpath[256];

static void
sink(void *ctx, const struct io_event *ev)
{
	(void)ctx;
	nseen++;
	snprintf(lastpath, sizeof(lastpath), "%s", ev->path ? ev->path : "");
}

Test(filter, pipeline_tables_see_everything)
{
	struct io_filter *f = q("trace=write", NULL);
	struct pipeline *pl = pipeline_new();
	struct io_event ev;

	pipeline_add_sink(pl, sink, NULL);
	pipeline_set_filter(pl, f);
	ev = call(IOSYS_OPENAT, "openat");
	ev.pid = ev.tid = 100;
	ev.fd = AT_FDCWD;
	ev.path = "/tmp/log";
	ev.ret = 3;
	pipeline_event(pl, &ev);
	ev = call(IOSYS_WRITE, "write");
	ev.pid = ev.tid = 100;
	ev.fd = 3;
	ev.count = 10;
	ev.ret = 10;
	pipeline_event(pl, &ev);
	cr_expect_eq(nseen, 1);
	cr_expect_str_eq(lastpath, "/tmp/log");
	cr_expect_eq(pipeline_withheld(pl), 1);
	pipeline_free(pl);
	filter_free(f);
}
