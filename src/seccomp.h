/*
 * seccomp.h: the BPF filter a launched command runs under, so that only
 * the syscalls iospy decodes stop it.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_SECCOMP_H
#define IOSPY_SECCOMP_H

/* Install the filter in the calling process (the child, before exec);
 * 0 or -1 with errno set. */
int seccomp_install_filter(void);

#endif /* IOSPY_SECCOMP_H */
