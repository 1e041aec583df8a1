/*
 * iospy.bpf.c: the kernel half of the bpf engine.
 *
 * A pair of programs on syscall entry and exit, filtered by a map of
 * traced thread groups, turns the calls iospy decodes into records in a
 * ring buffer; sched_process_fork/exec/exit follow the processes, and an
 * fentry program on vfs_unlink tells the size of the file an unlink
 * removes.  The loader (engine.c) fills the per-syscall table from the
 * same tables the ptrace engine decodes with.
 *
 * Records are submitted without a wakeup unless the buffer fills up: the
 * loader polls.  A record that finds no room is counted in lost_events.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "iospy_bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define TS_COMPAT 0x0002
#define S_IFMT 00170000
#define S_IFREG 0100000
#define AT_REMOVEDIR 0x200

/* Set by the loader before load. */
const volatile __u32 data_max = 0;	/* bytes of written data to copy */
const volatile __u32 want_dur = 0;	/* -T: remember entry times */
const volatile __u64 wake_bytes = 1 << 20;	/* wake the reader past this */

__u64 lost_events = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} rb SEC(".maps");

/* Traced thread groups: a flag per tgid below the array's size (the
   loader sizes it to pid_max; an array lookup is a few instructions),
   and a hash for any beyond it (pid_max raised after the load). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32768);	/* set by the loader */
	__type(key, __u32);
	__type(value, __u8);
} tgid_flags SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u8);
} tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * IOSPY_NR_MAX);
	__type(key, __u32);
	__type(value, struct iospy_sysinfo);
} sysinfo SEC(".maps");

/* Call times (-c, -T, the write latency): the entry time of the thread's
   current call, in the task's own storage (no hash lookup, gone with the
   task); 0 = none. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} starts SEC(".maps");

/* Threads whose call's path could not be read at entry (its page not in
   memory yet: a tracing program cannot fault it in); read again at the
   exit, once the kernel has. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u32);
} retry SEC(".maps");

/* Scratch space for the variable-size records. */
struct enter_buf {
	struct iospy_enter e;
	char buf[5 * IOSPY_PATH_MAX];
};

struct call_buf {
	struct iospy_call c;
	char data[2 * IOSPY_DATA_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct enter_buf);
} enter_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct call_buf);
} call_scratch SEC(".maps");

static __always_inline __u64
wake_flag(void)
{
	return bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) >= wake_bytes ?
	    BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void
lost(void)
{
	__sync_fetch_and_add(&lost_events, 1);
}

/* soon: the reader looks at /proc for what this record starts (a new
   fd's path or socket, a new process), so it is woken now rather than at
   its next poll, while /proc still shows it */
static __always_inline int
output(void *p, __u64 size, bool soon)
{
	if (bpf_ringbuf_output(&rb, p, size, soon ? BPF_RB_FORCE_WAKEUP :
	    wake_flag()) != 0) {
		lost();
		return -1;
	}
	return 0;
}

static __always_inline bool
traced(__u32 tgid)
{
	__u8 *f = bpf_map_lookup_elem(&tgid_flags, &tgid);

	if (f != NULL)
		return *f != 0;
	return bpf_map_lookup_elem(&tgids, &tgid) != NULL;
}

/* (Two functions, not one taking a flag: clang would not inline that,
   and the verifier refused the call.) */
static __always_inline void
mark_traced(__u32 tgid)
{
	__u8 *f = bpf_map_lookup_elem(&tgid_flags, &tgid);
	__u8 one = 1;

	if (f != NULL)
		*f = 1;
	else
		bpf_map_update_elem(&tgids, &tgid, &one, BPF_ANY);
}

static __always_inline void
unmark_traced(__u32 tgid)
{
	__u8 *f = bpf_map_lookup_elem(&tgid_flags, &tgid);

	if (f != NULL)
		*f = 0;
	else
		bpf_map_delete_elem(&tgids, &tgid);
}

static __always_inline void
fill_hdr(struct iospy_hdr *h, __u32 type, __u64 pid_tgid, __u32 nr, __u32 abi)
{
	h->type = type;
	h->tid = (__u32)pid_tgid;
	h->tgid = pid_tgid >> 32;
	h->nr = nr;
	h->ts = bpf_ktime_get_ns();
	h->abi = abi;
	h->pad = 0;
}

static __always_inline __u32
cur_abi(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return (t->thread_info.status & TS_COMPAT) ? IOSPY_ABI_32 : IOSPY_ABI_64;
}

/* The call's arguments from the user registers.  regs is a typed kernel
   pointer (a tp_btf argument or bpf_task_pt_regs), so plain loads read
   it: no helper call per register. */
static __always_inline void
regs_args(struct pt_regs *regs, __u32 abi, __u64 a[6])
{
	if (abi == IOSPY_ABI_32) {
		a[0] = (__u32)regs->bx;
		a[1] = (__u32)regs->cx;
		a[2] = (__u32)regs->dx;
		a[3] = (__u32)regs->si;
		a[4] = (__u32)regs->di;
		a[5] = (__u32)regs->bp;
	} else {
		a[0] = regs->di;
		a[1] = regs->si;
		a[2] = regs->dx;
		a[3] = regs->r10;
		a[4] = regs->r8;
		a[5] = regs->r9;
	}
}

static __always_inline struct iospy_sysinfo *
lookup_sys(long nr, __u32 abi)
{
	__u32 key;

	if (nr < 0 || nr >= IOSPY_NR_MAX)
		return NULL;
	key = abi * IOSPY_NR_MAX + (__u32)nr;
	return bpf_map_lookup_elem(&sysinfo, &key);
}

static __always_inline __u64
arg_at(__u64 a[6], int i)
{
	switch (i) {
	case 0: return a[0];
	case 1: return a[1];
	case 2: return a[2];
	case 3: return a[3];
	case 4: return a[4];
	default: return a[5];
	}
}

/* execve's argv strings, each with its NUL, into e->buf at off: one bpf_loop
 * step per argument (the verifier checks the step once, not 128 unrolled times). */
struct argv_ctx {
	struct enter_buf *s;
	__u64 uargv;
	__u32 off, len, abi, trunc, done;
};

static long
argv_step(__u32 i, void *data)
{
	struct argv_ctx *c = data;
	struct enter_buf *s = c->s;
	__u64 p = 0;
	long n;
	__u32 pos, room, len = c->len;

	if (c->abi == IOSPY_ABI_32) {
		__u32 p32 = 0;

		if (bpf_probe_read_user(&p32, 4, (void *)(c->uargv + i * 4)) != 0)
			goto end;
		p = p32;
	} else if (bpf_probe_read_user(&p, 8, (void *)(c->uargv + i * 8)) != 0)
		goto end;
	if (p == 0)
		goto end;
	if (len >= IOSPY_ARGV_MAX - 1) {
		c->trunc = 1;
		goto end;
	}
	pos = len;
	barrier_var(pos);	/* keep the mask the verifier needs */
	pos &= IOSPY_ARGV_MAX - 1;
	room = IOSPY_ARGV_MAX - pos;
	n = bpf_probe_read_user_str(&s->buf[(c->off + pos) &
	    (4 * IOSPY_PATH_MAX - 1)], room, (void *)p);
	if (n <= 0) {
		c->len = len;
		goto end;
	}
	len += (__u32)n;	/* with its NUL */
	c->len = len;
	if ((__u32)n >= room) {
		c->trunc = 1;
		goto end;
	}
	return 0;
end:
	c->done = 1;
	return 1;
}

static __always_inline void
read_argv(struct enter_buf *s, __u32 off, __u64 uargv, __u32 abi)
{
	struct argv_ctx c = { .s = s, .uargv = uargv, .off = off, .abi = abi };

	bpf_loop(256, argv_step, &c, 0);
	if (c.len > IOSPY_ARGV_MAX)
		c.len = IOSPY_ARGV_MAX;
	s->e.argv_len = c.len;
	s->e.argv_trunc = c.trunc || !c.done;
}

/* A call's entry record: its paths (and argv, open_how).  at_exit: sent
   again from the exit because the entry could not read a path (argv is
   never retried: an exec that returned has no old memory). */
static __always_inline void
emit_enter(__u64 pid_tgid, long nr, __u32 abi, __u64 a[6],
    struct iospy_sysinfo *si, bool at_exit)
{
	__u32 zero = 0, off = 0;
	struct enter_buf *s = bpf_map_lookup_elem(&enter_scratch, &zero);
	long n;
	__u64 size;
	int i;

	if (s == NULL)
		return;
	fill_hdr(&s->e.h, REC_ENTER, pid_tgid, (__u32)nr, abi);
	for (i = 0; i < 6; i++)
		s->e.args[i] = a[i];
	s->e.how_flags = 0;
	s->e.how_mode = 0;
	s->e.len1 = 0;
	s->e.len2 = 0;
	s->e.argv_len = 0;
	s->e.argv_trunc = 0;
	if (si->path_arg >= 0) {
		n = bpf_probe_read_user_str(s->buf, IOSPY_PATH_MAX,
		    (void *)arg_at(a, si->path_arg));
		if (n > 0) {
			s->e.len1 = (__u32)n;
			off = (__u32)n;
		}
	}
	if (off > IOSPY_PATH_MAX)
		off = IOSPY_PATH_MAX;
	if (si->path2_arg >= 0) {
		n = bpf_probe_read_user_str(&s->buf[off & (2 * IOSPY_PATH_MAX - 1)],
		    IOSPY_PATH_MAX, (void *)arg_at(a, si->path2_arg));
		if (n > 0) {
			s->e.len2 = (__u32)n;
			off += (__u32)n;
		}
	}
	if (off > 2 * IOSPY_PATH_MAX)
		off = 2 * IOSPY_PATH_MAX;
	if ((si->flags & SI_OPEN_HOW) && si->buf_arg >= 0) {
		__u64 how[2] = { 0, 0 };

		if (bpf_probe_read_user(how, sizeof(how),
		    (void *)arg_at(a, si->buf_arg)) == 0) {
			s->e.how_flags = how[0];
			s->e.how_mode = how[1];
		}
	}
	if (!at_exit && ((si->path_arg >= 0 && s->e.len1 == 0 &&
	    arg_at(a, si->path_arg) != 0) || (si->path2_arg >= 0 &&
	    s->e.len2 == 0 && arg_at(a, si->path2_arg) != 0))) {
		__u32 *r = bpf_task_storage_get(&retry,
		    bpf_get_current_task_btf(), 0,
		    BPF_LOCAL_STORAGE_GET_F_CREATE);

		if (r != NULL)
			*r = 1;
	}
	if (!at_exit && (si->flags & SI_ARGV) && si->buf_arg >= 0) {
		read_argv(s, off, arg_at(a, si->buf_arg), abi);
		off += s->e.argv_len;
	}
	size = sizeof(struct iospy_enter) + off;
	if (size > sizeof(*s))
		size = sizeof(*s);
	output(s, size, false);
}

/* writev and friends: the sum of the iovec lengths, one bpf_loop step per
   iovec (the verifier checks the step once). */
struct iov_ctx {
	__u64 iov, total;
	__u32 cnt, esz;
};

static long
iov_step(__u32 i, void *data)
{
	struct iov_ctx *c = data;
	__u64 len = 0;

	if (i >= c->cnt)
		return 1;
	if (c->esz == 8) {
		__u32 l32 = 0;

		if (bpf_probe_read_user(&l32, 4, (void *)(c->iov + i * 8 + 4)))
			return 1;
		len = l32;
	} else if (bpf_probe_read_user(&len, 8, (void *)(c->iov + i * 16 + 8)))
		return 1;
	c->total += len;
	return 0;
}

/* The inode of the current task's fd, or 0: read while the call that
   made it returns, before any other thread can close it. */
static __always_inline __u64
fd_inode(long fd)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct fdtable *fdt;
	struct file **arr, *f = NULL;

	if (fd < 0)
		return 0;
	fdt = BPF_CORE_READ(t, files, fdt);
	if (fdt == NULL || (__u64)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	arr = BPF_CORE_READ(fdt, fd);
	if (arr == NULL ||
	    bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]) != 0 || f == NULL)
		return 0;
	return BPF_CORE_READ(f, f_inode, i_ino);
}

/* A call's record into c, and the first bytes it wrote into data when
   data_max asks for them (data is NULL when it does not); the number of
   those bytes. */
static __always_inline __u32
fill_call(struct iospy_call *c, char *data, __u64 pid_tgid, long nr,
    __u32 abi, __u64 a[6], long ret, struct iospy_sysinfo *si)
{
	__u64 *t0;
	__u32 dl = 0;
	int i;

	fill_hdr(&c->h, REC_CALL, pid_tgid, (__u32)nr, abi);
	for (i = 0; i < 6; i++)
		c->args[i] = a[i];
	c->ret = ret;
	c->t_enter = 0;
	c->count = 0;
	c->fds[0] = -1;
	c->fds[1] = -1;
	c->data_trunc = 0;
	c->ino = 0;
	if (want_dur) {
		t0 = bpf_task_storage_get(&starts, bpf_get_current_task_btf(),
		    0, 0);
		if (t0 != NULL && *t0 != 0) {
			c->t_enter = *t0;
			*t0 = 0;
		}
	}
	if ((si->flags & SI_BUF) && si->buf_arg >= 0) {
		__u64 want = a[2];

		if (data_max > 0) {
			if (want > data_max)
				want = data_max;
			if (want > IOSPY_DATA_MAX)
				want = IOSPY_DATA_MAX;
			if (want > 0 && bpf_probe_read_user(data,
			    want & (2 * IOSPY_DATA_MAX - 1),
			    (void *)arg_at(a, si->buf_arg)) == 0)
				dl = (__u32)want;
			c->data_trunc = a[2] > dl;
		}
	}
	if ((si->flags & SI_IOV) && si->buf_arg >= 0) {
		struct iov_ctx ic = {
			.iov = arg_at(a, si->buf_arg),
			.cnt = (__u32)a[2],
			.esz = abi == IOSPY_ABI_32 ? 8 : 16,
		};

		/* the total over every iovec (up to IOV_MAX) in a bpf_loop,
		   the preview from the first few in a short loop of its own:
		   one loop doing both is past the verifier's budget */
		bpf_loop(1024, iov_step, &ic, 0);
		for (i = 0; i < 8 && data_max > 0; i++) {
			__u64 base = 0, len = 0, take;
			__u32 sz, off;

			if ((__u32)i >= ic.cnt || dl >= data_max ||
			    dl >= IOSPY_DATA_MAX)
				break;
			if (ic.esz == 8) {
				__u32 v[2] = { 0, 0 };

				if (bpf_probe_read_user(v, 8, (void *)(ic.iov + i * 8)))
					break;
				base = v[0];
				len = v[1];
			} else {
				__u64 v[2] = { 0, 0 };

				if (bpf_probe_read_user(v, 16, (void *)(ic.iov + i * 16)))
					break;
				base = v[0];
				len = v[1];
			}
			if (len == 0)
				continue;
			take = data_max - dl;
			if (take > len)
				take = len;
			if (take > IOSPY_DATA_MAX - dl)
				take = IOSPY_DATA_MAX - dl;
			if (take == 0)
				break;
			if (take >= IOSPY_DATA_MAX) {
				/* a whole preview from the first iovec (dl is 0) */
				if (bpf_probe_read_user(data, IOSPY_DATA_MAX,
				    (void *)base) == 0)
					dl = IOSPY_DATA_MAX;
				break;
			}
			sz = (__u32)take & (IOSPY_DATA_MAX - 1);
			off = dl;
			barrier_var(off);	/* keep the mask the verifier needs */
			off &= IOSPY_DATA_MAX - 1;
			if (bpf_probe_read_user(&data[off], sz,
			    (void *)base) == 0)
				dl += sz;
		}
		c->count = ic.total;
		c->data_trunc = ic.total > dl;
	}
	if ((si->flags & SI_PIPEFDS) && si->buf_arg >= 0 && ret == 0) {
		__s32 fds[2] = { -1, -1 };

		if (bpf_probe_read_user(fds, sizeof(fds),
		    (void *)arg_at(a, si->buf_arg)) == 0) {
			c->fds[0] = fds[0];
			c->fds[1] = fds[1];
		}
	}
	if (si->kind == SK_FDNEW && ret >= 0)
		c->ino = fd_inode((si->flags & SI_PIPEFDS) ? c->fds[0] : ret);
	if (dl > IOSPY_DATA_MAX)
		dl = IOSPY_DATA_MAX;
	c->data_len = dl;
	return dl;
}

/* A call's record: at exit, or at entry for exit/exit_group.  With no
   data to copy (no event log asks for it) the record is fixed in size
   and is written in place in the ring; else it is built in the per-CPU
   scratch and copied in at its length. */
static __always_inline void
emit_call(__u64 pid_tgid, long nr, __u32 abi, __u64 a[6], long ret,
    struct iospy_sysinfo *si)
{
	bool soon = si->kind == SK_FDNEW || (si->flags & SI_ENTER);
	__u32 zero = 0, dl;
	struct call_buf *s;
	__u64 size;

	if (data_max == 0) {
		struct iospy_call *c = bpf_ringbuf_reserve(&rb, sizeof(*c), 0);

		if (c == NULL) {
			lost();
			return;
		}
		fill_call(c, NULL, pid_tgid, nr, abi, a, ret, si);
		bpf_ringbuf_submit(c, soon ? BPF_RB_FORCE_WAKEUP : wake_flag());
		return;
	}
	s = bpf_map_lookup_elem(&call_scratch, &zero);
	if (s == NULL)
		return;
	dl = fill_call(&s->c, s->data, pid_tgid, nr, abi, a, ret, si);
	size = sizeof(struct iospy_call) + dl;
	barrier_var(size);	/* keep the bound the verifier needs */
	if (size > sizeof(*s))
		size = sizeof(*s);
	output(s, size, soon);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(iospy_sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct iospy_sysinfo *si;
	__u32 abi, tid;
	__u64 a[6];

	/* the table first (an array: cheap), the traced groups (a hash)
	   only for the calls iospy decodes */
	abi = cur_abi();
	si = lookup_sys(id, abi);
	if (si == NULL || !(si->flags & SI_TRACE))
		return 0;
	if (!(si->flags & (SI_ENTER | SI_AT_ENTRY)) && !want_dur)
		return 0;	/* (most calls: read, write) */
	if (!traced(pid_tgid >> 32))
		return 0;
	regs_args(regs, abi, a);
	if (si->flags & SI_AT_ENTRY) {
		emit_call(pid_tgid, id, abi, a, 0, si);
		return 0;
	}
	if (want_dur) {
		__u64 *t0 = bpf_task_storage_get(&starts,
		    bpf_get_current_task_btf(), 0,
		    BPF_LOCAL_STORAGE_GET_F_CREATE);

		if (t0 != NULL)
			*t0 = bpf_ktime_get_ns();
	}
	if (si->flags & SI_ENTER)
		emit_enter(pid_tgid, id, abi, a, si, false);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(iospy_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct iospy_sysinfo *si;
	__u32 abi;
	long nr;
	__u64 a[6];

	nr = regs->orig_ax;
	abi = cur_abi();
	si = lookup_sys(nr, abi);
	if (si == NULL || !(si->flags & SI_TRACE) || (si->flags & SI_AT_ENTRY))
		return 0;
	if (!traced(pid_tgid >> 32))
		return 0;
	/* a fork's success is its fork record (and the child sees 0 here);
	   an exec's success is its exec record */
	if ((si->kind == SK_FORK || si->kind == SK_EXEC) && ret >= 0) {
		if (want_dur) {
			__u64 *t0 = bpf_task_storage_get(&starts,
			    bpf_get_current_task_btf(), 0, 0);

			if (t0 != NULL)
				*t0 = 0;
		}
		return 0;
	}
	regs_args(regs, abi, a);
	if ((si->flags & SI_ENTER) && si->kind != SK_EXEC) {
		__u32 *r = bpf_task_storage_get(&retry,
		    bpf_get_current_task_btf(), 0, 0);

		if (r != NULL && *r != 0) {
			*r = 0;
			emit_enter(pid_tgid, nr, abi, a, si, true);
		}
	}
	emit_call(pid_tgid, nr, abi, a, ret, si);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(iospy_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	struct iospy_fork *f;
	struct pt_regs *regs;
	__u32 abi;
	long nr;

	if (!traced(ptgid))
		return 0;
	if (ctgid != ptgid)
		mark_traced(ctgid);
	f = bpf_ringbuf_reserve(&rb, sizeof(*f), 0);
	if (f == NULL) {
		lost();
		return 0;
	}
	regs = (struct pt_regs *)bpf_task_pt_regs(parent);
	nr = regs->orig_ax;
	abi = cur_abi();
	fill_hdr(&f->h, REC_FORK, ((__u64)ptgid << 32) | (__u32)parent->pid,
	    (__u32)nr, abi);
	regs_args(regs, abi, f->args);
	f->clone3_flags = 0;
	if (nr == 435)	/* clone3, the same number on both ABIs */
		bpf_probe_read_user(&f->clone3_flags, 8, (void *)f->args[0]);
	f->child_tid = child->pid;
	f->child_tgid = ctgid;
	bpf_ringbuf_submit(f, BPF_RB_FORCE_WAKEUP);	/* a new process */
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(iospy_exec, struct task_struct *p, pid_t old_pid,
    struct linux_binprm *bprm)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct iospy_exec *x;

	if (!traced(pid_tgid >> 32))
		return 0;
	x = bpf_ringbuf_reserve(&rb, sizeof(*x), 0);
	if (x == NULL) {
		lost();
		return 0;
	}
	fill_hdr(&x->h, REC_EXEC, pid_tgid, 0, cur_abi());
	x->old_tid = (__u32)old_pid;
	x->envc = BPF_CORE_READ(bprm, envc);
	bpf_ringbuf_submit(x, BPF_RB_FORCE_WAKEUP);	/* a new image */
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(iospy_exit, struct task_struct *p, bool group_dead)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, tid = (__u32)pid_tgid;
	struct iospy_gone *g;

	if (!traced(tgid))
		return 0;
	g = bpf_ringbuf_reserve(&rb, sizeof(*g), 0);
	if (g == NULL) {
		lost();
	} else {
		fill_hdr(&g->h, REC_GONE, pid_tgid, 0, IOSPY_ABI_64);
		g->exit_code = p->exit_code;
		g->group_dead = group_dead;
			/* the reader must learn soon that a process ended */
		bpf_ringbuf_submit(g, group_dead ? BPF_RB_FORCE_WAKEUP :
		    wake_flag());
	}
	if (group_dead)
		unmark_traced(tgid);
	return 0;
}

/* The size of the regular file an unlink removes. */
static __always_inline int
unlink_size(struct dentry *dentry)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct iospy_size *z;
	struct inode *ino;
	umode_t mode;

	if (!traced(pid_tgid >> 32))
		return 0;
	ino = dentry->d_inode;
	if (ino == NULL)
		return 0;
	mode = ino->i_mode;
	if ((mode & S_IFMT) != S_IFREG)
		return 0;
	z = bpf_ringbuf_reserve(&rb, sizeof(*z), 0);
	if (z == NULL) {
		lost();
		return 0;
	}
	fill_hdr(&z->h, REC_SIZE, pid_tgid, 0, IOSPY_ABI_64);
	z->size = ino->i_size;
	bpf_ringbuf_submit(z, wake_flag());
	return 0;
}

/* Where the kernel has fentry, any filesystem's unlink... */
SEC("fentry/vfs_unlink")
int BPF_PROG(iospy_vfs_unlink, struct mnt_idmap *idmap, struct inode *dir,
    struct dentry *dentry)
{
	return unlink_size(dentry);
}

/* ...else ext4's own tracepoint (a kernel without trampolines). */
SEC("tp_btf/ext4_unlink_enter")
int BPF_PROG(iospy_ext4_unlink, struct inode *parent, struct dentry *dentry)
{
	return unlink_size(dentry);
}

/* A signal delivered to a traced thread (what ptrace sees as a
 * signal-delivery stop). */
SEC("tp_btf/signal_deliver")
int BPF_PROG(iospy_signal, int sig, struct kernel_siginfo *info,
    struct k_sigaction *ka)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct iospy_signal *g;

	if (!traced(pid_tgid >> 32))
		return 0;
	g = bpf_ringbuf_reserve(&rb, sizeof(*g), 0);
	if (g == NULL) {
		lost();
		return 0;
	}
	fill_hdr(&g->h, REC_SIGNAL, pid_tgid, 0, IOSPY_ABI_64);
	g->sig = sig;
	g->pad2 = 0;
	bpf_ringbuf_submit(g, wake_flag());
	return 0;
}
