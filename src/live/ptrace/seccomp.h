/*
 * seccomp.h: the BPF filter a launched command runs under, so that only
 * the syscalls iospy decodes stop it.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SECCOMP_H
#define IOSPY_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/filter.h>

/* Most numbers per architecture the filter can hold. */
#define SECCOMP_MAX_NRS 256
/* Room build_filter needs. */
#define SECCOMP_MAX_INSNS (2 * SECCOMP_MAX_NRS + 16)

struct io_filter;

/* Stop only on the calls f selects (strace's -e trace=) and the ones the
 * fd and process tables need (and, when maps, the map calls: --stack's
 * unwinder watches them); NULL = every decoded call.  Called before the
 * fork: the child builds its filter from it. */
void seccomp_set_selection(const struct io_filter *f, bool maps);

/* Build the filter into f (room for SECCOMP_MAX_INSNS); its length, 0 if it
 * cannot be encoded. */
size_t seccomp_build_filter(struct sock_filter *f);

/* Install the filter in the calling process (the child, before exec);
 * 0 or -1 with errno set. */
int seccomp_install_filter(void);

#endif /* IOSPY_SECCOMP_H */
