/*
 * floor.c: the cost floor of ptrace, for the benchmarks.
 *
 * Launches a command under ptrace, or attaches to a running process, and
 * does nothing with the stops but resume them: no decoding, no memory
 * reads, no output.  Whatever a real tracer (iospy, strace) costs above
 * this is its own work; what this costs is the kernel's stops and the
 * wake-ups between tracer and tracee.
 *
 *   floor [--seccomp] [--pin[=CPU]] [--spin[=N]] [--yield] [--stats]
 *         -- CMD [ARGS...]
 *   floor -p PID [--pin[=CPU]] [--spin[=N]] [--yield] [--stats]
 *   floor --print-set
 *
 * Plain: PTRACE_SYSCALL on every syscall (two stops per call).
 * --seccomp: a seccomp-bpf filter returns SECCOMP_RET_TRACE for the
 *   syscalls iospy traces (the same table, syscalls_live_numbers) and lets
 *   everything else run; the tracer resumes with PTRACE_CONT and uses
 *   PTRACE_SYSCALL only to reach the exit of a traced call.
 * -p PID: seize every thread of PID (/proc/PID/task), stop at every
 *   syscall (no filter can be added to a running process), until PID
 *   exits or SIGINT/SIGTERM/SIGHUP, then detach every thread and exit 0.
 *   The tracee keeps running, unchanged (its affinity restored when
 *   pinned, a signal being delivered handed back).
 * --pin: the tracer and the tracees run on CPU (0).
 * --spin: poll waitpid(WNOHANG) up to N (20000) times before blocking.
 * --yield: sched_yield() between those polls (implies --spin): a tracee
 *   on the tracer's CPU runs at once instead of waiting for it.
 * --print-set: print the traced set as strace's -e trace= list.
 * Follows threads, forks and exec.  Launched, exits with the command's
 * status (128+N when killed by signal N).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <dirent.h>
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
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/syscalls.h"

#ifndef PTRACE_EVENT_SECCOMP
#define PTRACE_EVENT_SECCOMP 7
#endif
#ifndef PTRACE_O_TRACESECCOMP
#define PTRACE_O_TRACESECCOMP (1 << PTRACE_EVENT_SECCOMP)
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
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

/* ---------------------------------------------------------------- attach */

/* A seized thread (attach mode). */
struct athr {
	pid_t tid;
	int aff_saved;
	cpu_set_t aff;		/* to restore at detach (--pin) */
};

static struct athr *athrs;
static size_t nathrs, cathrs;
static int attach_mode;
static int pin_cpu = -1;
static cpu_set_t first_aff;	/* given back to threads born pinned */
static int first_aff_saved;
static volatile sig_atomic_t stop_req;

static void
on_stop_signal(int sig)
{
	(void)sig;
	stop_req = 1;
}

static struct athr *
athr_find(pid_t tid)
{
	size_t i;

	for (i = 0; i < nathrs; i++)
		if (athrs[i].tid == tid)
			return &athrs[i];
	return NULL;
}

static struct athr *
athr_add(pid_t tid)
{
	struct athr *a;

	if (nathrs == cathrs) {
		size_t n = cathrs ? 2 * cathrs : 16;
		struct athr *p = realloc(athrs, n * sizeof(*p));

		if (p == NULL) {
			fprintf(stderr, "floor: out of memory\n");
			exit(2);
		}
		athrs = p;
		cathrs = n;
	}
	a = &athrs[nathrs++];
	memset(a, 0, sizeof(*a));
	a->tid = tid;
	return a;
}

static void
athr_del(pid_t tid)
{
	struct athr *a = athr_find(tid);

	if (a != NULL)
		*a = athrs[--nathrs];
}

/* A thread that appeared by itself (clone, fork): under --pin it inherited
 * the pinned affinity, so it gets back the one the process had. */
static void
athr_new_child(pid_t tid)
{
	struct athr *a;

	if (athr_find(tid) != NULL)
		return;
	a = athr_add(tid);
	if (pin_cpu >= 0 && first_aff_saved) {
		a->aff = first_aff;
		a->aff_saved = 1;
	}
}

/* Seize every thread of pid not seized yet: how many were new, or -1. */
static int
seize_threads(pid_t pid, long opts)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	int added = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL) {
		fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atoi(de->d_name);
		struct athr *a;

		if (tid <= 0 || athr_find(tid) != NULL)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, NULL, (void *)opts) != 0) {
			if (errno == ESRCH || (errno == EPERM && nathrs > 0))
				continue;	/* gone, or a zombie leader */
			fprintf(stderr, "floor: attach to %d: %s\n", (int)tid,
			    strerror(errno));
			closedir(d);
			return -1;
		}
		a = athr_add(tid);
		if (pin_cpu >= 0) {
			cpu_set_t set;

			if (sched_getaffinity(tid, sizeof(a->aff), &a->aff) == 0) {
				a->aff_saved = 1;
				if (!first_aff_saved) {
					first_aff = a->aff;
					first_aff_saved = 1;
				}
			}
			CPU_ZERO(&set);
			CPU_SET(pin_cpu, &set);
			sched_setaffinity(tid, sizeof(set), &set);
		}
		/* its interrupt stop is resumed by the loop */
		ptrace((enum __ptrace_request)PTRACE_INTERRUPT, tid, NULL, NULL);
		added++;
	}
	closedir(d);
	return added;
}

static void
detach_one(struct athr *a, int sig)
{
	if (a->aff_saved)
		sched_setaffinity(a->tid, sizeof(a->aff), &a->aff);
	ptrace(PTRACE_DETACH, a->tid, NULL, (void *)(long)sig);
	athr_del(a->tid);
}

/* Interrupt every thread, detach each at its next stop (3 s at most). */
static void
detach_all(void)
{
	struct itimerval it;
	size_t i;
	int status;
	pid_t pid;

	for (i = 0; i < nathrs; )
		if (ptrace((enum __ptrace_request)PTRACE_INTERRUPT, athrs[i].tid,
		    NULL, NULL) != 0 && errno == ESRCH)
			athr_del(athrs[i].tid);	/* a zombie leader */
		else
			i++;
	/* SIGALRM (no SA_RESTART) ends a wait that would never return */
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = 3;
	setitimer(ITIMER_REAL, &it, NULL);
	while (nathrs > 0) {
		struct athr *a;
		int sig, event;

		pid = waitpid(-1, &status, __WALL);
		if (pid < 0)
			break;		/* ECHILD, or the 3 s are up */
		a = athr_find(pid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			athr_del(pid);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (a == NULL) {
			/* a new child, not seen yet */
			athr_new_child(pid);
			a = athr_find(pid);
		}
		sig = WSTOPSIG(status);
		event = (status >> 16) & 0xff;
		if (event == 0 && sig == (SIGTRAP | 0x80))
			sig = 0;		/* a syscall-stop */
		else if (status >> 16 != 0) {
			if (event == PTRACE_EVENT_FORK ||
			    event == PTRACE_EVENT_VFORK ||
			    event == PTRACE_EVENT_CLONE) {
				unsigned long msg = 0;

				/* the new one is traced too: its first
				   stop detaches it */
				if (ptrace(PTRACE_GETEVENTMSG, pid, NULL,
				    &msg) == 0 && msg != 0)
					athr_new_child((pid_t)msg);
			}
			sig = 0;	/* an event stop or a group-stop */
		}
		/* else a signal being delivered: hand it back */
		detach_one(a, sig);
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	/* whatever could not be stopped: let go of it anyway (the kernel
	   would, at our exit) */
	while (nathrs > 0)
		detach_one(&athrs[0], 0);
}

/* ---------------------------------------------------------------- main */

static void
usage(FILE *f)
{
	fputs("usage: floor [--seccomp] [--pin[=CPU]] [--spin[=N]] [--yield] "
	    "[--stats] -- CMD [ARGS...]\n"
	    "       floor -p PID [--pin[=CPU]] [--spin[=N]] [--yield] "
	    "[--stats]\n"
	    "       floor --print-set\n", f);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seccomp", no_argument, NULL, 's' },
		{ "pin", optional_argument, NULL, 'c' },
		{ "spin", optional_argument, NULL, 'w' },
		{ "stats", no_argument, NULL, 'S' },
		{ "yield", no_argument, NULL, 'y' },
		{ "print-set", no_argument, NULL, 'P' },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int use_seccomp = 0, stats = 0, print_set = 0, yield = 0;
	long spin = 0, spins, nstops = 0, nspun = 0, opts;
	int c, status, exit_status = 0, resume;
	pid_t child = 0, pid, target = 0;
	size_t i;

	while ((c = getopt_long(argc, argv, "+hp:", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			use_seccomp = 1;
			break;
		case 'c':
			pin_cpu = optarg != NULL ? atoi(optarg) : 0;
			break;
		case 'w':
			spin = optarg != NULL ? atol(optarg) : 20000;
			break;
		case 'S':
			stats = 1;
			break;
		case 'y':
			yield = 1;
			break;
		case 'P':
			print_set = 1;
			break;
		case 'p':
			target = (pid_t)atol(optarg);
			attach_mode = 1;
			if (target <= 0) {
				fprintf(stderr, "floor: -p %s: not a pid\n",
				    optarg);
				return 2;
			}
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
	if (yield && spin == 0)
		spin = 20000;
	if (attach_mode ? optind < argc || use_seccomp : optind >= argc) {
		if (attach_mode && use_seccomp)
			fprintf(stderr, "floor: --seccomp cannot go with -p (no "
			    "filter can be added to a running process)\n");
		usage(stderr);
		return 2;
	}

	if (pin_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(pin_cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0) {
			perror("floor: sched_setaffinity");
			return 2;
		}
	}

	opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE |
	    PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;
	if (attach_mode) {
		struct sigaction sa;
		int n;

		/* no SA_RESTART: a blocked waitpid returns to see the request */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_stop_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGALRM, &sa, NULL);
		if (target == getpid()) {
			fprintf(stderr, "floor: -p %d is floor itself\n",
			    (int)target);
			return 2;
		}
		/* threads created while we attach: scan until stable */
		while ((n = seize_threads(target, opts)) > 0)
			;
		if (n < 0 || nathrs == 0) {
			if (n == 0)
				fprintf(stderr, "floor: %d: no thread to "
				    "attach to\n", (int)target);
			detach_all();
			return 2;
		}
		resume = PTRACE_SYSCALL;
	} else {
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
			fprintf(stderr, "floor: %s: %s\n", argv[optind],
			    strerror(errno));
			_exit(127);
		}

		if (waitpid(child, &status, 0) < 0 || !WIFSTOPPED(status)) {
			fprintf(stderr, "floor: the child did not stop\n");
			return 2;
		}
		if (ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)(opts |
		    PTRACE_O_EXITKILL |
		    (use_seccomp ? PTRACE_O_TRACESECCOMP : 0))) < 0) {
			perror("floor: PTRACE_SETOPTIONS");
			return 2;
		}
		/* the way every stop but a seccomp one is resumed */
		resume = use_seccomp ? PTRACE_CONT : PTRACE_SYSCALL;
		ptrace(resume, child, NULL, NULL);
	}

	for (;;) {
		if (stop_req)
			break;
		pid = 0;
		for (spins = 0; spins < spin; spins++) {
			pid = waitpid(-1, &status, __WALL | WNOHANG);
			if (pid != 0 || stop_req)
				break;
			if (yield)
				sched_yield();
		}
		nspun += spins;
		if (pid == 0) {
			if (stop_req)
				break;
			pid = waitpid(-1, &status, __WALL);
		}
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;		/* ECHILD: every tracee is gone */
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				exit_status = WIFEXITED(status) ?
				    WEXITSTATUS(status) : 128 + WTERMSIG(status);
			if (attach_mode)
				athr_del(pid);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		nstops++;
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			/* with seccomp this is the exit of a traced call */
			ptrace(resume, pid, NULL, NULL);
			continue;
		}
		/* everything below is rare: bookkeeping is allowed */
		if (attach_mode && athr_find(pid) == NULL)
			athr_new_child(pid);	/* before its parent's event */
		if ((status >> 16) == PTRACE_EVENT_STOP) {
			/* seize mode: the interrupt that started a thread, or
			   a group-stop, which stays stopped until SIGCONT */
			int sig = WSTOPSIG(status);

			if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
			    sig == SIGTTOU)
				ptrace((enum __ptrace_request)PTRACE_LISTEN, pid,
				    NULL, NULL);
			else
				ptrace(resume, pid, NULL, NULL);
		} else if (WSTOPSIG(status) == SIGTRAP && (status >> 16) != 0) {
			int event = status >> 16;
			unsigned long msg = 0;

			if (attach_mode && (event == PTRACE_EVENT_FORK ||
			    event == PTRACE_EVENT_VFORK ||
			    event == PTRACE_EVENT_CLONE) &&
			    ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg) == 0 &&
			    msg != 0)
				athr_new_child((pid_t)msg);
			if (attach_mode && event == PTRACE_EVENT_EXEC &&
			    ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg) == 0 &&
			    msg != 0 && (pid_t)msg != pid)
				athr_del((pid_t)msg);	/* took the leader's tid */
			if (event == PTRACE_EVENT_SECCOMP)
				ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
			else
				ptrace(resume, pid, NULL, NULL);
		} else if (!attach_mode && (WSTOPSIG(status) == SIGSTOP ||
		    WSTOPSIG(status) == SIGTRAP)) {
			/* a new tracee's first stop, or exec's old SIGTRAP */
			ptrace(resume, pid, NULL, NULL);
		} else {
			ptrace(resume, pid, NULL,
			    (void *)(long)WSTOPSIG(status));
		}
	}
	if (attach_mode)
		detach_all();
	if (stats)
		fprintf(stderr, "floor: %ld stops, %ld empty polls\n", nstops,
		    nspun);
	return exit_status;
}
