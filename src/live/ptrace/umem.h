/*
 * umem.h: reading tracee memory: process_vm_readv, with a PTRACE_PEEKDATA
 * fallback when it is not permitted.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_UMEM_H
#define IOSPY_UMEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Copy up to len bytes at addr in tid into buf; returns bytes read or -1. */
ssize_t umem_read(pid_t tid, uint64_t addr, void *buf, size_t len);

/* Copy a NUL-terminated string (at most bufsz-1 bytes) into buf; returns
 * its length, or -1.  *truncated is set when no NUL was found in time. */
ssize_t umem_read_str(pid_t tid, uint64_t addr, char *buf, size_t bufsz,
    int *truncated);

/* Use only PTRACE_PEEKDATA (on) or try process_vm_readv first (off); the
 * fallback path, selectable for tests. */
void umem_set_peek_only(int on);

#endif /* IOSPY_UMEM_H */
