/*
 * seccomp.c: the BPF filter a launched command runs under.
 *
 * The filter returns SECCOMP_RET_TRACE for the syscalls iospy decodes and
 * SECCOMP_RET_ALLOW for everything else, for both the x86_64 and the i386
 * compat entry (seccomp_data.arch tells them apart; x32 calls, which share
 * the x86_64 arch value with bit 30 set in the number, are allowed).  The
 * kernel then stops the tracee only on the calls that matter, and the
 * tracer resumes it with PTRACE_CONT instead of PTRACE_SYSCALL.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live/ptrace/seccomp.h"
#include "model/filter.h"
#include "model/syscalls.h"

/* -e trace=: the calls to stop on (NULL: every decoded one); set before
   the fork, read by the child */
static const struct io_filter *selection;
static bool selection_maps;

void
seccomp_set_selection(const struct io_filter *f, bool maps)
{
	selection = f;
	selection_maps = maps;
}


#define STMT(c, k) ((struct sock_filter)BPF_STMT((c), (k)))
#define JUMP(c, k, t, f) ((struct sock_filter)BPF_JUMP((c), (k), (t), (f)))

/*
 * Append "if nr == x return TRACE" tests for abi's numbers, then ALLOW.
 * The accumulator holds the syscall number on entry.
 */
static size_t
emit_arch(struct sock_filter *f, size_t n, int abi)
{
	long nrs[SECCOMP_MAX_NRS];
	size_t cnt = syscalls_live_numbers(abi, nrs, SECCOMP_MAX_NRS), i;

	if (cnt > SECCOMP_MAX_NRS)
		cnt = SECCOMP_MAX_NRS;
	for (i = 0; i < cnt; i++) {
		const struct syscalls_ent *e = syscalls_lookup(abi, nrs[i]);

		/* a call -e trace= leaves out runs without a stop, unless the
		   fd and process tables need it */
		if (e == NULL || (!filter_traces(selection, abi, e->sys, e->name) &&
		    !(selection_maps && syscalls_class(e->sys) == IOC_MAP)))
			continue;
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (__u32)nrs[i], 0, 1);
		f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	}
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return n;
}

/* Build the filter into f (room for SECCOMP_MAX_INSNS); returns its length. */
size_t
seccomp_build_filter(struct sock_filter *f)
{
	size_t n = 0, jpos;

	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	jpos = n;
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 0);
	/* not x86_64: i386? */
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 1, 0);
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	/* i386 */
	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	n = emit_arch(f, n, SYSCALLS_ABI_I386);
	/* x86_64 */
	if (n - jpos - 1 > 255)
		return 0;	/* a BPF jump cannot go that far */
	f[jpos].jt = (__u8)(n - jpos - 1);
	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	n = emit_arch(f, n, SYSCALLS_ABI_X86_64);
	return n;
}

/* Install the filter in the calling process (the child, before exec). */
int
seccomp_install_filter(void)
{
	struct sock_filter f[SECCOMP_MAX_INSNS];
	struct sock_fprog prog;
	size_t n = seccomp_build_filter(f);

	if (n == 0) {
		errno = E2BIG;
		return -1;
	}
	prog.len = (unsigned short)n;
	prog.filter = f;
	/* Without CAP_SYS_ADMIN the kernel wants no_new_privs first; try
	   without it so a privileged run keeps setuid semantics. */
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0)
		return 0;
	if (errno != EACCES)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}
