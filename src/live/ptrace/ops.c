/*
 * ops.c: every ptrace request iospy makes, in one place.
 *
 * Every tracee is seized (PTRACE_SEIZE), never PTRACE_ATTACHed: group-stops
 * are then reported as PTRACE_EVENT_STOP and parked with PTRACE_LISTEN, so
 * job control keeps working, and PTRACE_INTERRUPT gives a clean way to
 * stop a running thread for detaching.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <linux/audit.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "live/ptrace/engine.h"
#include "model/syscalls.h"

/* Requests glibc may not name (values from linux/ptrace.h). */
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#define TR_SYSINFO_NONE 0
#define TR_SYSINFO_ENTRY 1
#define TR_SYSINFO_EXIT 2
#define TR_SYSINFO_SECCOMP 3

/* struct ptrace_syscall_info, spelled out so no header conflict matters. */
struct tr_sysinfo {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t ip;
	uint64_t sp;
	union {
		struct {
			uint64_t nr;
			uint64_t args[6];
		} entry;
		struct {
			int64_t rval;
			uint8_t is_error;
		} exit;
		struct {
			uint64_t nr;
			uint64_t args[6];
			uint32_t ret_data;
		} seccomp;
	} u;
};

#define OPTS_COMMON (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | \
	PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC)

int
pt_seize(pid_t tid, unsigned flags)
{
	long opts = OPTS_COMMON;

	if (flags & PT_SEIZE_EXITKILL)
		opts |= PTRACE_O_EXITKILL;
	if (flags & PT_SEIZE_SECCOMP)
		opts |= PTRACE_O_TRACESECCOMP;
	return (int)ptrace(PTRACE_SEIZE, tid, NULL, (void *)opts);
}

int
pt_interrupt(pid_t tid)
{
	return (int)ptrace((enum __ptrace_request)PTRACE_INTERRUPT, tid, NULL,
	    NULL);
}

int
pt_listen(pid_t tid)
{
	return (int)ptrace((enum __ptrace_request)PTRACE_LISTEN, tid, NULL,
	    NULL);
}

int
pt_resume(pid_t tid, bool to_syscall, int sig)
{
	return (int)ptrace(to_syscall ? PTRACE_SYSCALL : PTRACE_CONT, tid, NULL,
	    (void *)(uintptr_t)sig);
}

int
pt_detach(pid_t tid, int sig)
{
	return (int)ptrace(PTRACE_DETACH, tid, NULL, (void *)(uintptr_t)sig);
}

int
pt_eventmsg(pid_t tid, unsigned long *msg)
{
	return (int)ptrace(PTRACE_GETEVENTMSG, tid, NULL, msg);
}

int
pt_peek(pid_t tid, uint64_t addr, long *word)
{
	errno = 0;
	*word = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)addr, NULL);
	return *word == -1 && errno != 0 ? -1 : 0;
}

static int
arch_abi(uint32_t arch)
{
	return arch == AUDIT_ARCH_I386 ? SYSCALLS_ABI_I386 : SYSCALLS_ABI_X86_64;
}

int
pt_call_info(pid_t tid, struct pt_call *c)
{
	struct tr_sysinfo si;

	if (ptrace((enum __ptrace_request)PTRACE_GET_SYSCALL_INFO, tid,
	    (void *)sizeof(si), &si) <= 0)
		return -1;
	memset(c, 0, sizeof(*c));
	c->abi = arch_abi(si.arch);
	switch (si.op) {
	case TR_SYSINFO_ENTRY:
		c->op = PT_CALL_ENTRY;
		c->nr = (long)si.u.entry.nr;
		memcpy(c->args, si.u.entry.args, sizeof(c->args));
		break;
	case TR_SYSINFO_EXIT:
		c->op = PT_CALL_EXIT;
		c->rval = si.u.exit.rval;
		c->is_error = si.u.exit.is_error != 0;
		break;
	case TR_SYSINFO_SECCOMP:
		c->op = PT_CALL_SECCOMP;
		c->nr = (long)si.u.seccomp.nr;
		memcpy(c->args, si.u.seccomp.args, sizeof(c->args));
		break;
	default:
		c->op = PT_CALL_NONE;
		break;
	}
	return 0;
}

/* The ABI of a stopped thread (CS 0x23 = i386 compat) and its six
 * syscall arguments, number and result from the registers. */
int
pt_call_regs(pid_t tid, struct pt_call *c)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, NULL, &regs) != 0)
		return -1;
	memset(c, 0, sizeof(*c));
	c->op = PT_CALL_REGS;
	c->nr = (long)regs.orig_rax;
	if (regs.cs == 0x23) {
		c->abi = SYSCALLS_ABI_I386;
		c->args[0] = regs.rbx; c->args[1] = regs.rcx;
		c->args[2] = regs.rdx; c->args[3] = regs.rsi;
		c->args[4] = regs.rdi; c->args[5] = regs.rbp;
		c->rval = (int64_t)(int32_t)(uint32_t)regs.rax;
	} else {
		c->abi = SYSCALLS_ABI_X86_64;
		c->args[0] = regs.rdi; c->args[1] = regs.rsi;
		c->args[2] = regs.rdx; c->args[3] = regs.r10;
		c->args[4] = regs.r8; c->args[5] = regs.r9;
		c->rval = (int64_t)regs.rax;
	}
	c->is_error = c->rval < 0 && c->rval >= -4095;
	return 0;
}
