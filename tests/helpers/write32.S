/*
 * write32: an i386 program (int $0x80, no libc) for the compat-ABI test:
 * open(argv[1]), three 6-byte writes, close, exit(0).
 * Built by tests/e2e_live_i386.sh when the compiler can do -m32.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
	.text
	.globl _start
_start:
	movl 8(%esp), %ebx	/* argv[1] */
	movl $5, %eax		/* open */
	movl $0x241, %ecx	/* O_WRONLY|O_CREAT|O_TRUNC */
	movl $0644, %edx
	int $0x80
	movl %eax, %esi
	movl $3, %edi
1:	movl $4, %eax		/* write */
	movl %esi, %ebx
	leal msg, %ecx
	movl $6, %edx
	int $0x80
	decl %edi
	jnz 1b
	movl $6, %eax		/* close */
	movl %esi, %ebx
	int $0x80
	movl $1, %eax		/* exit */
	movl $0, %ebx
	int $0x80
	.data
msg:	.ascii "i386!\n"
