/*
 * bpf_floor.c: the floor of any tracer built on the syscall tracepoints,
 * as bench/floor is ptrace's.  It loads two BPF programs that do nothing
 * (return 0) on tp_btf/sys_enter and tp_btf/sys_exit, the hooks the bpf
 * engine uses, so every syscall on the machine takes the kernel's traced
 * path and runs two empty programs; then it runs the command (or waits for
 * a process to end).  What iospy --engine=bpf costs above this is its own
 * work: the filter, the records and the ring buffer.
 *
 *   bpf_floor -- CMD [ARGS...]   run CMD with the programs attached
 *   bpf_floor -p PID             attach, say "attached" on stderr, wait
 *                                until PID has exited
 *
 * The programs are two instructions built here (no clang, no skeleton):
 * libbpf finds the tracepoints' BTF ids in /sys/kernel/btf/vmlinux.
 * Exit status: the command's, or 1 when the programs cannot be loaded.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

/* Load "r0 = 0; exit" for tp_btf/NAME and attach it; its link fd or -1. */
static int
attach_empty(const struct btf *vmlinux, const char *name)
{
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o);
	char tname[64];
	int id, fd, link;

	snprintf(tname, sizeof(tname), "btf_trace_%s", name);
	id = btf__find_by_name_kind(vmlinux, tname, BTF_KIND_TYPEDEF);
	if (id <= 0) {
		fprintf(stderr, "bpf_floor: no %s in the kernel's BTF\n", tname);
		return -1;
	}
	o.attach_btf_id = (__u32)id;
	o.expected_attach_type = BPF_TRACE_RAW_TP;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "floor", "GPL", insns, 2, &o);
	if (fd < 0) {
		fprintf(stderr, "bpf_floor: cannot load a program on %s: %s\n",
		    name, strerror(errno));
		return -1;
	}
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link < 0) {
		fprintf(stderr, "bpf_floor: cannot attach to %s: %s\n", name,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return link;
}

int
main(int argc, char **argv)
{
	struct btf *vmlinux;
	pid_t pid = 0, child;
	int go[2], st, i0 = 1;
	char c = 'g';

	if (argc == 3 && strcmp(argv[1], "-p") == 0)
		pid = (pid_t)atol(argv[2]);
	else if (argc >= 3 && strcmp(argv[1], "--") == 0)
		i0 = 2;
	else {
		fprintf(stderr, "usage: bpf_floor -- CMD [ARGS...] | -p PID\n");
		return 2;
	}
	vmlinux = btf__load_vmlinux_btf();
	if (vmlinux == NULL) {
		fprintf(stderr, "bpf_floor: no kernel BTF: %s\n", strerror(errno));
		return 1;
	}
	if (pid > 0) {
		struct timespec ms = { 0, 1000000 };

		if (attach_empty(vmlinux, "sys_enter") < 0 ||
		    attach_empty(vmlinux, "sys_exit") < 0)
			return 1;
		fprintf(stderr, "bpf_floor: attached\n");
		while (kill(pid, 0) == 0 || errno == EPERM)
			nanosleep(&ms, NULL);
		return 0;
	}
	/* the command waits for the programs, as iospy's launch does */
	if (pipe(go) != 0)
		return 1;
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		close(go[0]);
		execvp(argv[i0], argv + i0);
		fprintf(stderr, "bpf_floor: %s: %s\n", argv[i0], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	if (attach_empty(vmlinux, "sys_enter") < 0 ||
	    attach_empty(vmlinux, "sys_exit") < 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return 1;
	}
	if (write(go[1], &c, 1) != 1)
		return 1;
	close(go[1]);
	if (waitpid(child, &st, 0) != child)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
