/* tests/output/test_eventlog.c: strace-format lines for hand-made events. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "output/eventlog.h"
#include "cli/options.h"
#include "model/syscalls.h"

static struct config cfg;
static char line[4096];

static void
setup(void)
{
	options_defaults(&cfg);
}

TestSuite(eventlog, .init = setup);

static struct io_event
mk(enum io_sys sys, pid_t tid)
{
	struct io_event ev;
	uint64_t args[6] = { 0 };

	io_event_init(&ev);
	syscalls_decode_args(&ev, sys, 64, NULL, args);
	ev.tid = tid;
	ev.pid = tid;
	return ev;
}

static const char *
fmt(const struct io_event *ev)
{
	eventlog_format(&cfg.eventlog, ev, line, sizeof(line));
	return line;
}

Test(eventlog, write_truncated_with_path)
{
	struct io_event ev = mk(IOSYS_WRITE, 6648);

	ev.fd = 3;
	ev.path = "/tmp/logtest.txt";
	ev.data = "2020-06-21 15:59:57,806 - __main";
	ev.data_len = 32;
	ev.data_trunc = true;
	ev.count = 314572844;
	ev.ret = 314572844;
	cr_assert_str_eq(fmt(&ev), "6648  write(3</tmp/logtest.txt>, "
	    "\"2020-06-21 15:59:57,806 - __main\"..., 314572844) = 314572844\n");
}

Test(eventlog, padding_to_column_40)
{
	struct io_event ev = mk(IOSYS_WRITE, 11929);

	ev.fd = 3;
	ev.data = "abc";
	ev.data_len = 3;
	ev.count = 3;
	ev.ret = 3;
	cr_assert_str_eq(fmt(&ev), "11929 write(3, \"abc\", 3)                = 3\n");
}

Test(eventlog, escapes_like_strace)
{
	struct io_event ev = mk(IOSYS_WRITE, 1);

	ev.fd = 1;
	ev.data = "hello\tworld\n\1\377\0012\"\\";
	ev.data_len = 18;
	ev.count = 18;
	ev.ret = 18;
	cr_assert_str_eq(fmt(&ev), "1     write(1, \"hello\\tworld\\n\\1\\377\\0012"
	    "\\\"\\\\\", 18) = 18\n");
}

Test(eventlog, errors_and_unknown_results)
{
	struct io_event ev = mk(IOSYS_OPENAT, 42);

	ev.fd = AT_FDCWD;
	ev.path = "/nonexist";
	ev.flags = O_RDONLY | O_CLOEXEC;
	ev.ret = -1;
	ev.err = ENOENT;
	cr_assert_str_eq(fmt(&ev), "42    openat(AT_FDCWD, \"/nonexist\", "
	    "O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)\n");
	ev = mk(IOSYS_EXIT_GROUP, 42);
	ev.size = 0;
	cr_assert_str_eq(fmt(&ev), "42    exit_group(0)                     = ?\n");
}

Test(eventlog, restart_codes)
{
	struct io_event ev = mk(IOSYS_WRITE, 8);

	ev.fd = 1;
	ev.data = "x";
	ev.data_len = 1;
	ev.count = 1;
	ev.ret = -1;
	ev.err = 512;
	cr_assert_str_eq(fmt(&ev), "8     write(1, \"x\", 1)                  = ? "
	    "ERESTARTSYS (To be restarted if SA_RESTART is set)\n");
}

Test(eventlog, open_result_and_deleted_paths)
{
	struct io_event ev = mk(IOSYS_OPENAT, 7);

	ev.fd = AT_FDCWD;
	ev.path = "rel<x>.txt";
	ev.path2 = "/tmp/rel<x>.txt";
	ev.flags = O_WRONLY | O_CREAT | O_TRUNC;
	ev.mode = 0644;
	ev.ret = 3;
	cr_assert_str_eq(fmt(&ev), "7     openat(AT_FDCWD, \"rel<x>.txt\", "
	    "O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3</tmp/rel\\74x\\76.txt>\n");
	ev = mk(IOSYS_CLOSE, 7);
	ev.fd = 3;
	ev.path = "/tmp/a.log";
	ev.path_deleted = true;
	ev.ret = 0;
	cr_assert_str_eq(fmt(&ev), "7     close(3</tmp/a.log>(deleted))     = 0\n");
}

Test(eventlog, timestamps_and_durations)
{
	struct io_event ev = mk(IOSYS_FSYNC, 5);

	ev.fd = 4;
	ev.ret = 0;
	ev.ts_ns = 1592755197806123456LL;
	ev.dur_ns = 2104000;
	cfg.eventlog.tflag = 3;
	cfg.eventlog.Tflag = true;
	cr_assert_str_eq(fmt(&ev), "5     1592755197.806123 fsync(4)        = 0 <0.002104>\n");
	cfg.eventlog.tflag = 2;
	fmt(&ev);
	/* HH:MM:SS.uuuuuu in local time */
	cr_assert_eq(line[6 + 2], ':');
	cr_assert_eq(line[6 + 8], '.');
	cr_assert(strstr(line, ".806123 fsync(4)") != NULL, "%s", line);
}

Test(eventlog, mmap_and_process_lines)
{
	struct io_event ev = mk(IOSYS_MMAP, 9);

	ev.addr = 0;
	ev.len = 314576896;
	ev.prot = 3;
	ev.flags = 0x22;
	ev.fd = -1;
	ev.offset = 0;
	ev.ret = 0x7fed00372000LL;
	cr_assert_str_eq(fmt(&ev), "9     mmap(NULL, 314576896, PROT_READ|PROT_WRITE, "
	    "MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fed00372000\n");
	ev = mk(IOSYS_PROC_EXIT, 9);
	ev.ret = 3;
	cr_assert_str_eq(fmt(&ev), "9     +++ exited with 3 +++\n");
	ev = mk(IOSYS_PROC_EXIT, 9);
	ev.sig = SIGKILL;
	cr_assert_str_eq(fmt(&ev), "9     +++ killed by SIGKILL +++\n");
	ev = mk(IOSYS_SIGNAL, 9);
	ev.sig = SIGUSR1;
	cr_assert_str_eq(fmt(&ev), "9     --- SIGUSR1 {si_signo=SIGUSR1, ...} ---\n");
	ev = mk(IOSYS_DETACH, 9);
	cr_assert_eq(eventlog_format(&cfg.eventlog, &ev, line, sizeof(line)), 0);
}

Test(eventlog, clone_execve_rename)
{
	struct io_event ev = mk(IOSYS_CLONE, 10);

	ev.flags = 0x01200000 | SIGCHLD;
	ev.ret = 11;
	cr_assert_str_eq(fmt(&ev), "10    clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|"
	    "CLONE_CHILD_SETTID|SIGCHLD) = 11\n");
	ev = mk(IOSYS_EXECVE, 11);
	ev.path = "/bin/echo";
	ev.data = "echo\0a b\0\0";
	ev.data_len = 10;
	ev.addr = 0x7ffe1000;
	ev.envc = 23;
	ev.ret = 0;
	cr_assert_str_eq(fmt(&ev), "11    execve(\"/bin/echo\", [\"echo\", \"a b\", \"\"], "
	    "0x7ffe1000 /* 23 vars */) = 0\n");
	ev = mk(IOSYS_RENAME, 11);
	ev.path = "/t/app.log";
	ev.path2 = "/t/app.log.1";
	ev.ret = 0;
	cr_assert_str_eq(fmt(&ev), "11    rename(\"/t/app.log\", \"/t/app.log.1\") = 0\n");
}

Test(eventlog, sink_writes_to_file)
{
	char *buf = NULL;
	size_t sz = 0;
	FILE *f = open_memstream(&buf, &sz);
	struct eventlog *el = eventlog_new(f, &cfg.eventlog);
	struct io_event ev = mk(IOSYS_CLOSE, 3);

	ev.fd = 5;
	ev.ret = 0;
	eventlog_event(el, &ev);
	eventlog_free(el);
	fclose(f);
	cr_assert_str_eq(buf, "3     close(5)                          = 0\n");
	free(buf);
}

/* execve as strace -s N prints it: at most N strings of at most N bytes */
Test(eventlog, execve_argv_limits)
{
	struct io_event ev = mk(IOSYS_EXECVE, 5);
	int saved = cfg.eventlog.strsize;

	ev.path = "/bin/true";
	ev.data = "/bin/true\0001\0002\0003\0";
	ev.data_len = 16;
	ev.addr = 0x7ff0;
	ev.envc = 1;
	ev.ret = 0;
	cfg.eventlog.strsize = 3;
	cr_assert_str_eq(fmt(&ev), "5     execve(\"/bin/true\", [\"/bi\"..., \"1\", \"2\", "
	    "...], 0x7ff0 /* 1 var */) = 0\n");
	cfg.eventlog.strsize = 32;
	ev.data_trunc = true;		/* more strings than the source kept */
	ev.argv_cut = 1 << 3;		/* "3" was cut in the log */
	ev.envc = -1;
	cr_assert_str_eq(fmt(&ev), "5     execve(\"/bin/true\", [\"/bin/true\", \"1\", \"2\", "
	    "\"3\"..., ...], 0x7ff0) = 0\n");
	ev.addr = 0;
	ev.envc = 0;
	ev.data = "";
	ev.data_len = 0;
	ev.data_trunc = false;
	ev.argv_cut = 0;
	cr_assert_str_eq(fmt(&ev), "5     execve(\"/bin/true\", [], NULL)     = 0\n");
	cfg.eventlog.strsize = saved;
}

/* -x: a string with a non-ASCII byte all in hex; -xx: every string, paths
   in <...> too; -r: the time since the previous line, after -t as
   "(+ ...)" */
Test(eventlog, hex_and_relative)
{
	struct io_event ev = mk(IOSYS_WRITE, 7);
	struct eventlog_settings s = cfg.eventlog;
	char out[512];

	ev.fd = 1;
	ev.path = "/tmp/a";
	ev.data = "hi\n";
	ev.data_len = 3;
	ev.count = 3;
	ev.ret = 3;
	s.xflag = 1;
	eventlog_format(&s, &ev, out, sizeof(out));
	cr_assert_str_eq(out, "7     write(1</tmp/a>, \"hi\\n\", 3)       = 3\n");
	ev.data = "\xc3\xa9 a";
	ev.data_len = 4;
	eventlog_format(&s, &ev, out, sizeof(out));
	cr_assert_str_eq(out, "7     write(1</tmp/a>, \"\\xc3\\xa9\\x20\\x61\", 3) = 3\n");
	s.xflag = 2;
	ev.data = "hi";
	ev.data_len = 2;
	eventlog_format(&s, &ev, out, sizeof(out));
	cr_assert_str_eq(out, "7     write(1<\\x2f\\x74\\x6d\\x70\\x2f\\x61>, \"\\x68\\x69\", 3) = 3\n");
	s.xflag = 0;
	s.rflag = true;
	ev.ts_ns = 1700000000LL * 1000000000 + 250000000;
	eventlog_format(&s, &ev, out, sizeof(out));
	cr_assert_str_eq(out, "7          0.000000 write(1</tmp/a>, \"hi\", 3) = 3\n");
	s.tflag = 3;
	eventlog_format(&s, &ev, out, sizeof(out));
	cr_assert_str_eq(out, "7     1700000000.250000 (+     0.000000) write(1</tmp/a>, \"hi\", 3) = 3\n");
}

/* fcntl commands by strace's names, with their arguments as strace
   prints them (the values are the kernel's, checked against <fcntl.h>) */
Test(eventlog, fcntl_commands_by_name)
{
	static const struct {
		int cmd;
		uint64_t arg;
		const char *want;
	} c[] = {
		{ F_GETPIPE_SZ, 0, "F_GETPIPE_SZ" },
		{ F_SETPIPE_SZ, 1048576, "F_SETPIPE_SZ, 1048576" },
		{ F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_WRITE,
		    "F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_WRITE" },
		{ F_GET_SEALS, 0, "F_GET_SEALS" },
		{ F_SETLEASE, F_WRLCK, "F_SETLEASE, F_WRLCK" },
		{ F_GETLEASE, 0, "F_GETLEASE" },
		{ F_NOTIFY, DN_MODIFY | DN_MULTISHOT,
		    "F_NOTIFY, DN_MODIFY|DN_MULTISHOT" },
		{ F_DUPFD_CLOEXEC, 10, "F_DUPFD_CLOEXEC, 10" },
		{ F_OFD_GETLK, 0x7ffd1000, "F_OFD_GETLK, 0x7ffd1000" },
		{ F_OFD_SETLK, 0x7ffd1000, "F_OFD_SETLK, 0x7ffd1000" },
		{ F_OFD_SETLKW, 0x7ffd1000, "F_OFD_SETLKW, 0x7ffd1000" },
		{ F_GETOWN_EX, 0x7ffd1000, "F_GETOWN_EX, 0x7ffd1000" },
		{ F_SETOWN_EX, 0x7ffd1000, "F_SETOWN_EX, 0x7ffd1000" },
		{ F_SETSIG, SIGIO, "F_SETSIG, SIGIO" },
		{ F_SETSIG, 0, "F_SETSIG, 0" },
		{ F_GETSIG, 0, "F_GETSIG" },
		{ F_SETOWN, 1234, "F_SETOWN, 1234" },
		{ F_GETOWN, 0, "F_GETOWN" },
		{ 0x7777, 5, "0x7777 /* F_??? */, 0x5" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct io_event ev = mk(IOSYS_FCNTL, 7);
		char want[128];

		ev.fd = 3;
		ev.cmd = c[i].cmd;
		ev.flags = c[i].arg;
		ev.ret = 0;
		snprintf(want, sizeof(want), "7     fcntl(3, %s)", c[i].want);
		cr_expect(strncmp(fmt(&ev), want, strlen(want)) == 0,
		    "got %s want %s", line, want);
	}
}
