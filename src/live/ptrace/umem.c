/*
 * umem.c: reading tracee memory.
 *
 * process_vm_readv does one copy per call and needs no stop, but fails
 * when the kernel forbids it (old kernels, some LSMs, YAMA quirks with
 * ptrace-but-not-readv): then PTRACE_PEEKDATA word by word, which works on
 * any stopped tracee.  Strings are read page by page so that a string that
 * ends just before an unmapped page is still read.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "live/ptrace/engine.h"
#include "live/ptrace/umem.h"

#define UMEM_PAGE 4096u

/* Set once process_vm_readv has failed with ENOSYS/EPERM: stop trying it. */
static int umem_no_readv;

static ssize_t
peek_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	unsigned char *out = buf;
	size_t done = 0;

	while (done < len) {
		uint64_t a = addr + done;
		uint64_t aligned = a & ~(uint64_t)(sizeof(long) - 1);
		size_t skip = (size_t)(a - aligned);
		size_t n = sizeof(long) - skip;
		long word;

		if (pt_peek(tid, aligned, &word) != 0)
			break;
		if (n > len - done)
			n = len - done;
		memcpy(out + done, (unsigned char *)&word + skip, n);
		done += n;
	}
	if (done == 0 && len > 0)
		return -1;
	return (ssize_t)done;
}

/* Use only PTRACE_PEEKDATA, or try process_vm_readv first. */
void
umem_set_peek_only(int on)
{
	umem_no_readv = on;
}

/* Copy up to len bytes at addr in tid into buf; returns bytes read or -1. */
ssize_t
umem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local, remote;
	ssize_t n;

	if (len == 0)
		return 0;
	if (addr == 0) {
		errno = EFAULT;
		return -1;
	}
	if (!umem_no_readv) {
		local.iov_base = buf;
		local.iov_len = len;
		remote.iov_base = (void *)(uintptr_t)addr;
		remote.iov_len = len;
		n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n >= 0)
			return n;
		if (errno == ENOSYS || errno == EPERM)
			umem_no_readv = 1;
		else if (errno != EFAULT)
			return -1;
		/* EFAULT: the first page is unmapped: PEEKDATA fails too,
		   but let it say so */
	}
	return peek_read(tid, addr, buf, len);
}

/* Copy a NUL-terminated string (at most bufsz-1 bytes) into buf. */
ssize_t
umem_read_str(pid_t tid, uint64_t addr, char *buf, size_t bufsz,
    int *truncated)
{
	size_t done = 0;

	if (truncated != NULL)
		*truncated = 0;
	if (bufsz == 0)
		return -1;
	buf[0] = '\0';
	if (addr == 0) {
		errno = EFAULT;
		return -1;
	}
	while (done < bufsz - 1) {
		uint64_t a = addr + done;
		size_t chunk = UMEM_PAGE - (size_t)(a % UMEM_PAGE);
		ssize_t n;
		char *nul;

		if (chunk > bufsz - 1 - done)
			chunk = bufsz - 1 - done;
		n = umem_read(tid, a, buf + done, chunk);
		if (n <= 0) {
			if (done == 0)
				return -1;
			break;
		}
		nul = memchr(buf + done, '\0', (size_t)n);
		if (nul != NULL)
			return (ssize_t)(nul - buf);
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	buf[done] = '\0';
	if (truncated != NULL)
		*truncated = 1;
	return (ssize_t)done;
}
