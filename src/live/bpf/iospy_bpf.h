/*
 * iospy_bpf.h: what the kernel program (iospy.bpf.c) and its loader
 * (engine.c) share: the per-syscall table the loader fills and the records
 * the program hands over through the ring buffer.
 *
 * Included by both sides: __u64 and friends come from vmlinux.h in the
 * kernel program and from <linux/types.h> in user space.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_BPF_SHARED_H
#define IOSPY_BPF_SHARED_H

/* Syscall numbers per ABI in the table (both x86 tables end below this). */
#define IOSPY_NR_MAX 512
#define IOSPY_ABI_64 0
#define IOSPY_ABI_32 1

/* struct iospy_sysinfo.flags */
#define SI_TRACE	0x01	/* a call iospy decodes: a record at its exit */
#define SI_ENTER	0x02	/* a record at entry too (paths, argv, open_how) */
#define SI_AT_ENTRY	0x04	/* never returns (exit, exit_group): entry only */
#define SI_BUF		0x08	/* buf_arg: the written bytes (preview) */
#define SI_IOV		0x10	/* buf_arg: struct iovec[args[2]] */
#define SI_PIPEFDS	0x20	/* buf_arg: int[2] filled by the call */
#define SI_OPEN_HOW	0x40	/* buf_arg: struct open_how (at entry) */
#define SI_ARGV		0x80	/* buf_arg: char *argv[] (at entry) */

/* struct iospy_sysinfo.kind */
#define SK_OTHER 0
#define SK_FORK 1	/* its success is the fork record */
#define SK_EXEC 2	/* its success is the exec record */
#define SK_FDNEW 3	/* its result is a new fd: its inode is recorded */

struct iospy_sysinfo {
	__u8 flags;
	__u8 kind;
	__s8 path_arg;
	__s8 path2_arg;
	__s8 buf_arg;
	__u8 pad[3];
};

/* Record types (struct iospy_hdr.type). */
#define REC_CALL 1	/* a call's end: args, result, data preview */
#define REC_ENTER 2	/* a call's start: paths, argv, open_how */
#define REC_FORK 3	/* sched_process_fork: a new thread or process */
#define REC_EXEC 4	/* sched_process_exec: the image changed */
#define REC_GONE 5	/* sched_process_exit: a thread ends */
#define REC_SIZE 6	/* vfs_unlink: size of the regular file it removes */
#define REC_SIGNAL 7	/* signal_deliver: a signal reaches a handler or kills */

struct iospy_hdr {
	__u32 type;
	__u32 tid;
	__u32 tgid;
	__u32 nr;	/* syscall number (CALL, ENTER, FORK) */
	__u64 ts;	/* bpf_ktime_get_ns */
	__u32 abi;	/* IOSPY_ABI_* */
	__u32 pad;
};

/* Bytes of written data a record carries at most (-s is capped there). */
#define IOSPY_DATA_MAX 4096

struct iospy_call {
	struct iospy_hdr h;
	__u64 args[6];
	__s64 ret;
	__u64 t_enter;	/* ktime at entry (when -T asks), else 0 */
	__u64 count;	/* writev: the iovec total */
	__s32 fds[2];	/* pipe, socketpair: the new fds */
	__u32 data_len;	/* bytes of data[] */
	__u32 data_trunc; /* data holds fewer bytes than the call moved */
	__u64 ino;	/* pipe, socket, accept: the new fd's inode, or 0 */
	/* data_len bytes of data follow */
};

#define IOSPY_PATH_MAX 4096
#define IOSPY_ARGV_MAX 4096

struct iospy_enter {
	struct iospy_hdr h;
	__u64 args[6];
	__u64 how_flags, how_mode;	/* openat2's struct open_how */
	__u32 len1, len2;	/* path, path2 with their NUL (0 = none) */
	__u32 argv_len;		/* argv joined by spaces, no NUL */
	__u32 argv_trunc;
	/* then len1 bytes of path, len2 of path2, argv_len of argv */
};

struct iospy_fork {
	struct iospy_hdr h;	/* the parent */
	__u64 args[6];		/* the parent's call */
	__u64 clone3_flags;	/* clone3: clone_args.flags */
	__u32 child_tid, child_tgid;
};

struct iospy_exec {
	struct iospy_hdr h;	/* tid: the leader's, after the exec */
	__u32 old_tid;		/* the thread that called execve */
	__s32 envc;		/* the new image's environment strings */
};

struct iospy_gone {
	struct iospy_hdr h;
	__s32 exit_code;	/* wait status */
	__u32 group_dead;
};

struct iospy_signal {
	struct iospy_hdr h;
	__s32 sig;
	__u32 pad2;
};

struct iospy_size {
	struct iospy_hdr h;
	__s64 size;
};

#endif /* IOSPY_BPF_SHARED_H */
