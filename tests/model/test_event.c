/* tests/model/test_event.c: struct io_event helpers. */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>

#include "model/event.h"
#include "model/syscalls.h"

Test(event, init_sets_unknowns)
{
	struct io_event ev;

	io_event_init(&ev);
	cr_expect_eq(ev.fd, -1);
	cr_expect_eq(ev.fd2, -1);
	cr_expect_eq(ev.offset, -1);
	cr_expect_eq(ev.size, -1);
	cr_expect_eq(ev.dur_ns, -1);
	cr_expect_eq(ev.ts_ns, IO_TIME_UNKNOWN);
	cr_expect_eq(ev.ret, IO_RET_UNKNOWN);
	cr_expect_eq(ev.err, 0);
	cr_expect_null(ev.path);
	cr_expect_null(ev.stack);
	cr_expect_not(io_event_ok(&ev), "an unreturned call is not ok");
}

Test(event, bytes_only_for_successful_writes)
{
	struct io_event ev;

	io_event_init(&ev);
	ev.sys = IOSYS_WRITE;
	ev.cls = IOC_WRITE;
	ev.count = 100;
	ev.ret = 60;		/* short write */
	cr_expect_eq(io_event_bytes(&ev), 60);
	ev.ret = -1;
	ev.err = 28;		/* ENOSPC */
	cr_expect_eq(io_event_bytes(&ev), 0);
	ev.err = 0;
	ev.ret = IO_RET_UNKNOWN;
	cr_expect_eq(io_event_bytes(&ev), 0);
	ev.ret = 4096;
	ev.cls = IOC_MAP;
	cr_expect_eq(io_event_bytes(&ev), 0, "a map is not a write");
}

Test(event, stack_holds_max_frames)
{
	struct io_stack s;

	cr_expect_eq(sizeof(s.frames) / sizeof(s.frames[0]), IO_STACK_MAX);
	cr_expect_geq(IO_STACK_MAX, 32);
}

Test(event, every_sys_has_a_class_and_name)
{
	int s;

	for (s = IOSYS_WRITE; s < IOSYS__COUNT; s++) {
		cr_expect_neq(syscalls_class((enum io_sys)s), IOC_OTHER,
		    "sys %d has no class", s);
		cr_expect_not_null(syscalls_name((enum io_sys)s));
	}
}

Test(event, argv_join_marks_cut_strings)
{
	struct io_event ev;
	static const char argv[] = "/usr/bin/pyth\0-c\0print(1)";
	char *s;

	io_event_init(&ev);
	ev.data = argv;
	ev.data_len = sizeof(argv);
	s = io_event_argv_join(&ev);
	cr_expect_str_eq(s, "/usr/bin/pyth -c print(1)");
	free(s);
	ev.argv_cut = 1;	/* strace -s cut the first string */
	s = io_event_argv_join(&ev);
	cr_expect_str_eq(s, "/usr/bin/pyth... -c print(1)");
	free(s);
	ev.data_trunc = true;	/* and left strings out */
	s = io_event_argv_join(&ev);
	cr_expect_str_eq(s, "/usr/bin/pyth... -c print(1) ...");
	free(s);
	ev.argv_cut = 4;	/* the last string cut, nothing after it */
	s = io_event_argv_join(&ev);
	cr_expect_str_eq(s, "/usr/bin/pyth -c print(1)...");
	free(s);
}
