/*
 * syscalls.h: the syscall tables.  One table per architecture maps a
 * syscall number to an enum io_sys; one description per io_sys gives its
 * name, class and how its raw arguments decode into a struct io_event.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SYSCALLS_H
#define IOSPY_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>

#include "model/event.h"

/* ABIs iospy knows (the value of struct io_event.abi). */
#define SYSCALLS_ABI_X86_64 64
#define SYSCALLS_ABI_I386 32

/* What needs reading from tracee memory to complete a decode. */
enum syscalls_mem {
	SCM_NONE = 0,
	SCM_BUF,		/* buf_arg points to count bytes (data preview) */
	SCM_IOV,		/* buf_arg points to iovcnt struct iovec */
	SCM_PIPEFDS,		/* at exit: buf_arg points to int[2] */
	SCM_OPEN_HOW,		/* openat2: buf_arg points to struct open_how */
	SCM_CLONE_ARGS,		/* clone3: buf_arg points to struct clone_args */
	SCM_ARGV,		/* execve: buf_arg points to char *argv[] */
	SCM_OLD_MMAP,		/* i386 old mmap: a0 points to six u32 args */
};

/* How one io_sys decodes.  Argument indexes are 0-based; -1 = none. */
struct syscalls_desc {
	const char *name;	/* canonical (x86_64) name */
	enum io_class cls;
	signed char path_arg;	/* argument holding a C string path */
	signed char path2_arg;	/* second path (rename target) */
	signed char buf_arg;	/* argument holding the memory to read */
	enum syscalls_mem mem;	/* what buf_arg points to */
	bool live;		/* traced by the live tracer (stops on it) */
};

/* One row of an architecture table. */
struct syscalls_ent {
	const char *name;	/* name on this architecture ("mmap2") */
	enum io_sys sys;
};

/* The description of sys (never NULL for sys < IOSYS__COUNT). */
const struct syscalls_desc *syscalls_desc(enum io_sys sys);

/* The class of sys. */
enum io_class syscalls_class(enum io_sys sys);

/* The canonical name of sys ("write"), "?" if out of range. */
const char *syscalls_name(enum io_sys sys);

/* The table row for syscall number nr of abi, or NULL if iospy does not
 * decode it. */
const struct syscalls_ent *syscalls_lookup(int abi, long nr);

/* The io_sys for a syscall name as strace prints it ("mmap2", "_llseek",
 * "openat"); IOSYS_UNKNOWN if iospy does not use it.  name need not be
 * NUL-terminated. */
enum io_sys syscalls_by_name(const char *name, size_t len);

/*
 * Fill the argument fields of ev (fd, fd2, count, offset, flags, prot,
 * mode, cmd, addr, len, new_len, size, iovcnt) from the six raw register
 * arguments of a call of sys under abi.  Sets ev->sys, ev->cls, ev->abi and
 * ev->name.  Paths and buffers are not read here: see struct syscalls_desc.
 */
void syscalls_decode_args(struct io_event *ev, enum io_sys sys, int abi,
    const char *name, const uint64_t args[6]);

/*
 * Store in nrs (room for max entries) the numbers of abi's syscalls that
 * the live tracer stops on; returns how many there are (may exceed max).
 */
size_t syscalls_live_numbers(int abi, long *nrs, size_t max);

/* Highest syscall number in abi's table, plus one. */
long syscalls_table_size(int abi);

#endif /* IOSPY_SYSCALLS_H */
