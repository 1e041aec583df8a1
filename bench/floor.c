/*
 * floor.c: the cost floor of ptrace, for the benchmarks.
 *
 * Launches a command under ptrace and does nothing with the stops but
 * resume them: no decoding, no memory reads, no output.  Whatever a real
 * tracer (iospy, strace) costs above this is its own work; what this
 * costs is the kernel's stops and the wake-ups between tracer and tracee.
 *
 *   floor [--seccomp] [--pin[=CPU]] [--spin[=N]] [--stats] -- CMD [ARGS...]
 *   floor --print-set
 *
 * Plain: PTRACE_SYSCALL on every syscall (two stops per call).
 * --seccomp: a seccomp-bpf filter returns SECCOMP_RET_TRACE for the
 *   syscalls iospy traces (the same table, syscalls_live_numbers) and lets
 *   everything else run; the tracer resumes with PTRACE_CONT and uses
 *   PTRACE_SYSCALL only to reach the exit of a traced call.
 * --pin: the tracer and (by inheritance) the tracees run on CPU (0).
 * --spin: poll waitpid(WNOHANG) up to N (20000) times before blocking.
 * --print-set: print the traced set as strace's -e trace= list.
 * Follows threads, forks and exec.  Exits with the command's status
 * (128+N when killed by signal N).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syscalls.h"

#ifndef PTRACE_EVENT_SECCOMP
#define PTRACE_EVENT_SECCOMP 7
#endif
#ifndef PTRACE_O_TRACESECCOMP
#define PTRACE_O_TRACESECCOMP (1 << PTRACE_EVENT_SECCOMP)
#endif
#ifndef PTRACE_O_EXITKILL
#define PTRACE_O_EXITKILL (1 << 20)
#endif

#define MAX_NRS 512

static long nrs[MAX_NRS];
static size_t nnrs;

/* A filter that traces the numbers in nrs[] and allows the rest; any
 * other ABI (i386, x32) is traced whole. */
static int
install_filter(void)
{
	struct sock_filter prog[MAX_NRS + 8];
	struct sock_fprog fprog;
	size_t n = 0, i, trace_at;

	/* layout: 0 ld arch; 1 jeq x86_64; 2 ld nr; 3 jge x32 bit;
	   4.. jeq each nr; allow; trace */
	trace_at = 4 + nnrs + 1;
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AUDIT_ARCH_X86_64, 0, (unsigned char)(trace_at - 2));
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
	    0x40000000, (unsigned char)(trace_at - 4), 0);
	for (i = 0; i < nnrs; i++) {
		size_t jt = trace_at - (n + 1);

		if (jt > 255)
			return -1;
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
		    BPF_K, (unsigned)nrs[i], (unsigned char)jt, 0);
	}
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_TRACE);
	fprog.len = (unsigned short)n;
	fprog.filter = prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
}

static void
usage(FILE *f)
{
	fputs("usage: floor [--seccomp] [--pin[=CPU]] [--spin[=N]] [--stats]"
	    " -- CMD [ARGS...]\n       floor --print-set\n", f);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seccomp", no_argument, NULL, 's' },
		{ "pin", optional_argument, NULL, 'p' },
		{ "spin", optional_argument, NULL, 'w' },
		{ "stats", no_argument, NULL, 'S' },
		{ "print-set", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int use_seccomp = 0, pin = -1, stats = 0, print_set = 0;
	long spin = 0, spins, nstops = 0, nspun = 0;
	int c, status, exit_status = 0, resume;
	pid_t child, pid;
	size_t i;

	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			use_seccomp = 1;
			break;
		case 'p':
			pin = optarg != NULL ? atoi(optarg) : 0;
			break;
		case 'w':
			spin = optarg != NULL ? atol(optarg) : 20000;
			break;
		case 'S':
			stats = 1;
			break;
		case 'P':
			print_set = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}

	nnrs = syscalls_live_numbers(SYSCALLS_ABI_X86_64, nrs, MAX_NRS);
	if (nnrs > MAX_NRS) {
		fprintf(stderr, "floor: too many traced syscalls\n");
		return 2;
	}
	if (print_set) {
		for (i = 0; i < nnrs; i++) {
			const struct syscalls_ent *e =
			    syscalls_lookup(SYSCALLS_ABI_X86_64, nrs[i]);

			printf("%s%s", i ? "," : "", e ? e->name : "?");
		}
		putchar('\n');
		return 0;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}

	if (pin >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(pin, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0) {
			perror("floor: sched_setaffinity");
			return 2;
		}
	}

	child = fork();
	if (child < 0) {
		perror("floor: fork");
		return 2;
	}
	if (child == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
			perror("floor: PTRACE_TRACEME");
			_exit(126);
		}
		raise(SIGSTOP);
		if (use_seccomp && install_filter() < 0) {
			perror("floor: seccomp");
			_exit(126);
		}
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "floor: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}

	if (waitpid(child, &status, 0) < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "floor: the child did not stop\n");
		return 2;
	}
	if (ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)(long)(
	    PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
	    PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL |
	    (use_seccomp ? PTRACE_O_TRACESECCOMP : 0))) < 0) {
		perror("floor: PTRACE_SETOPTIONS");
		return 2;
	}
	/* the way every stop but a seccomp one is resumed */
	resume = use_seccomp ? PTRACE_CONT : PTRACE_SYSCALL;
	ptrace(resume, child, NULL, NULL);

	for (;;) {
		pid = 0;
		for (spins = 0; spins < spin; spins++) {
			pid = waitpid(-1, &status, __WALL | WNOHANG);
			if (pid != 0)
				break;
		}
		nspun += spins;
		if (pid == 0)
			pid = waitpid(-1, &status, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;		/* ECHILD: every tracee is gone */
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				exit_status = WIFEXITED(status) ?
				    WEXITSTATUS(status) : 128 + WTERMSIG(status);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		nstops++;
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			/* with seccomp this is the exit of a traced call */
			ptrace(resume, pid, NULL, NULL);
		} else if (WSTOPSIG(status) == SIGTRAP && (status >> 16) != 0) {
			if ((status >> 16) == PTRACE_EVENT_SECCOMP)
				ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
			else
				ptrace(resume, pid, NULL, NULL);
		} else if (WSTOPSIG(status) == SIGSTOP ||
		    WSTOPSIG(status) == SIGTRAP) {
			/* a new tracee's first stop, or exec's old SIGTRAP */
			ptrace(resume, pid, NULL, NULL);
		} else {
			ptrace(resume, pid, NULL,
			    (void *)(long)WSTOPSIG(status));
		}
	}
	if (stats)
		fprintf(stderr, "floor: %ld stops, %ld empty polls\n", nstops,
		    nspun);
	return exit_status;
}
