/*
 * load.c: loading the bpf engine's program: the kernel's syscall numbers
 * for each decoded call, the fentry programs where the kernel has them,
 * and errors explained (no BTF, no permission, locked memory).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/types.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uthash.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "base/util.h"
#include "live/bpf/engine_int.h"
#include "live/launch.h"
#include "live/procfs.h"
#include "model/filter.h"
#include "model/syscalls.h"
#include "src/live/bpf/iospy.skel.h"

/* ------------------------------------------------------------ loading */

static int
silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (getenv("IOSPY_BPF_DEBUG") == NULL ||
	    (level == LIBBPF_DEBUG && strcmp(getenv("IOSPY_BPF_DEBUG"), "2") != 0))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void
fill_sysinfo(struct beng *b)
{
	static const int abis[2] = { SYSCALLS_ABI_X86_64, SYSCALLS_ABI_I386 };
	int fd = bpf_map__fd(b->skel->maps.sysinfo);
	int a;
	long nr;

	for (a = 0; a < 2; a++) {
		for (nr = 0; nr < IOSPY_NR_MAX; nr++) {
			const struct syscalls_ent *ent = syscalls_lookup(abis[a], nr);
			const struct syscalls_desc *d;
			struct iospy_sysinfo si;
			__u32 key = (__u32)(a * IOSPY_NR_MAX + nr);

			if (ent == NULL)
				continue;
			d = syscalls_desc(ent->sys);
			if (!d->live)
				continue;
			/* -e trace=: a call it leaves out (and the tables do
			   not need) makes no record at all */
			if (!filter_traces(b->cfg->filter, abis[a], ent->sys,
			    ent->name))
				continue;
			memset(&si, 0, sizeof(si));
			si.flags = SI_TRACE;
			si.path_arg = d->path_arg;
			si.path2_arg = d->path2_arg;
			si.buf_arg = d->buf_arg;
			if (ent->sys == IOSYS_MEMFD_CREATE)
				si.path_arg = 0;
			if (si.path_arg >= 0 || si.path2_arg >= 0)
				si.flags |= SI_ENTER;
			switch (d->mem) {
			case SCM_BUF: si.flags |= SI_BUF; break;
			case SCM_IOV: si.flags |= SI_IOV; break;
			case SCM_PIPEFDS: si.flags |= SI_PIPEFDS; break;
			case SCM_OPEN_HOW: si.flags |= SI_OPEN_HOW | SI_ENTER; break;
			case SCM_ARGV: si.flags |= SI_ARGV | SI_ENTER; break;
			default: break;
			}
			if (d->cls == IOC_EXIT)
				si.flags |= SI_AT_ENTRY;
			if (d->cls == IOC_FORK)
				si.kind = SK_FORK;
			if (d->cls == IOC_EXEC)
				si.kind = SK_EXEC;
			/* a pipe or socket is named by its inode, as /proc
			   names it ("pipe:[4711]") */
			if (ent->sys == IOSYS_PIPE || ent->sys == IOSYS_PIPE2 ||
			    ent->sys == IOSYS_SOCKET || ent->sys == IOSYS_ACCEPT ||
			    ent->sys == IOSYS_ACCEPT4)
				si.kind = SK_FDNEW;
			bpf_map_update_elem(fd, &key, &si, BPF_ANY);
		}
	}
}

static void
explain_load_error(int e, char *err, size_t errsz)
{
	if ((e == EPERM || e == EACCES) && geteuid() == 0)
		/* root: the kernel's verifier, not a permission, said no */
		snprintf(err, errsz, "cannot load the BPF program: the kernel "
		    "refused it (%s; IOSPY_BPF_DEBUG=1 prints the verifier's "
		    "log)", strerror(e));
	else if (e == EPERM || e == EACCES)
		snprintf(err, errsz, "cannot load the BPF program: %s (needs "
		    "root, or CAP_BPF and CAP_PERFMON)", strerror(e));
	else if (e == E2BIG)
		snprintf(err, errsz, "cannot load the BPF program: the kernel's "
		    "verifier found it too complex (%s)", strerror(e));
	else if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		snprintf(err, errsz, "cannot load the BPF program: %s (this "
		    "kernel has no BTF at /sys/kernel/btf/vmlinux)", strerror(e));
	else
		snprintf(err, errsz, "cannot load the BPF program: %s",
		    strerror(e));
}

/* The BTF id of function name in the kernel's BTF, or -1: one pass over
 * the type section (libbpf's full parse costs a tenth of a second). */
static int
vmlinux_func_id(const char *name)
{
	struct {
		uint16_t magic;
		uint8_t version, flags;
		uint32_t hdr_len, type_off, type_len, str_off, str_len;
	} hd;
	FILE *f = fopen("/sys/kernel/btf/vmlinux", "re");
	unsigned char *buf = NULL;
	size_t cap = 0, len = 0, n, off, nl = strlen(name);
	int id = -1, cur = 1;

	if (f == NULL)
		return -1;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 8 << 20;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	if (len < sizeof(hd))
		goto out;
	memcpy(&hd, buf, sizeof(hd));
	if (hd.magic != 0xeB9F || (uint64_t)hd.hdr_len + hd.type_off +
	    hd.type_len > len || (uint64_t)hd.hdr_len + hd.str_off +
	    hd.str_len > len)
		goto out;
	for (off = 0; off + 12 <= hd.type_len; cur++) {
		const unsigned char *t = buf + hd.hdr_len + hd.type_off + off;
		uint32_t name_off, info, vlen, kind;
		size_t extra = 0;

		memcpy(&name_off, t, 4);
		memcpy(&info, t + 4, 4);
		kind = (info >> 24) & 0x1f;
		vlen = info & 0xffff;
		switch (kind) {
		case 1: case 14: case 17: extra = 4; break;	/* int var tag */
		case 3: extra = 12; break;			/* array */
		case 4: case 5: case 15: case 19: extra = 12 * (size_t)vlen; break;
		case 6: case 13: extra = 8 * (size_t)vlen; break;
		default: break;
		}
		if (kind == 12 && name_off + nl < hd.str_len &&
		    memcmp(buf + hd.hdr_len + hd.str_off + name_off, name,
		    nl + 1) == 0) {
			id = cur;
			break;
		}
		off += 12 + extra;
	}
out:
	free(buf);
	return id;
}

/* True if this kernel runs fentry programs on vfs_unlink (trampolines):
 * a two-instruction program tells, quicker than a failed load of all.
 * A kernel that refuses fentry outright says EPERM before it looks at
 * the target, so a first try with no real target (BTF id 1) spares the
 * read of vmlinux's BTF there. */
static bool
fentry_works(void)
{
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o);
	int id, fd;

	o.attach_btf_id = 1;
	o.expected_attach_type = BPF_TRACE_FENTRY;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "iospy_probe", "GPL", insns,
	    2, &o);
	if (fd >= 0)
		close(fd);	/* not expected: go on to the real test */
	else if (errno == EPERM)
		return false;
	id = vmlinux_func_id("vfs_unlink");
	if (id <= 0)
		return false;
	o.attach_btf_id = (__u32)id;
	o.expected_attach_type = BPF_TRACE_FENTRY;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "iospy_probe", "GPL", insns,
	    2, &o);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The size of the program's per-tgid flag array: pid_max now (a tgid
   past it, were pid_max raised later, goes to the hash). */
static __u32
pid_limit(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");
	unsigned long v = 0;

	if (f != NULL) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	if (v < 32768)
		v = 32768;
	if (v > 4194304)	/* PID_MAX_LIMIT on 64-bit */
		v = 4194304;
	return (__u32)v + 1;
}

/* Open, load and attach the program; 0 or -1 with err set. */
int
engine_load(struct beng *b, char *err, size_t errsz)
{
	struct iospy_bpf *s = NULL;
	int e = 0, attempt;
	int64_t t0 = util_mono_ns();

	if (getenv("IOSPY_BPF_DENY") != NULL) {
		snprintf(err, errsz, "the bpf engine is denied here "
		    "(IOSPY_BPF_DENY is set)");
		return -1;
	}
	libbpf_set_print(silent_print);
	/* the size at unlink: fentry where the kernel has it, else ext4's
	   tracepoint, else unknown (the rest runs either way) */
	attempt = fentry_works() ? 0 : 1;
	if (getenv("IOSPY_BPF_DEBUG") != NULL)
		fprintf(stderr, "iospy: bpf: fentry %s (%.3f s)\n", attempt == 0 ?
		    "works" : "refused", (double)(util_mono_ns() - t0) / 1e9);
	for (; attempt < 3; attempt++) {
		s = iospy_bpf__open();
		if (s == NULL) {
			explain_load_error(errno, err, errsz);
			return -1;
		}
		s->rodata->data_max = b->want_data ? (__u32)(b->cfg->strsize <
		    IOSPY_DATA_MAX ? b->cfg->strsize : IOSPY_DATA_MAX) : 0;
		s->rodata->want_dur = b->cfg->Tflag ? 1 : 0;
		s->rodata->wake_bytes = WAKE_BYTES;
		(void)bpf_map__set_max_entries(s->maps.tgid_flags, pid_limit());
		bpf_program__set_autoload(s->progs.iospy_vfs_unlink, attempt == 0);
		bpf_program__set_autoload(s->progs.iospy_ext4_unlink, attempt == 1);
		e = iospy_bpf__load(s);
		if (e == 0)
			break;
		iospy_bpf__destroy(s);
		s = NULL;
	}
	if (s == NULL) {
		explain_load_error(-e, err, errsz);
		return -1;
	}
	b->skel = s;
	if (getenv("IOSPY_BPF_DEBUG") != NULL)
		fprintf(stderr, "iospy: bpf: loaded, attempt %d (%.3f s)\n",
		    attempt, (double)(util_mono_ns() - t0) / 1e9);
	fill_sysinfo(b);
	e = iospy_bpf__attach(s);
	if (e != 0) {
		explain_load_error(-e, err, errsz);
		return -1;
	}
	if (getenv("IOSPY_BPF_DEBUG") != NULL)
		fprintf(stderr, "iospy: bpf: attached (%.3f s)\n",
		    (double)(util_mono_ns() - t0) / 1e9);
	b->rb = ring_buffer__new(bpf_map__fd(s->maps.rb), engine_on_record, b, NULL);
	if (b->rb == NULL) {
		snprintf(err, errsz, "cannot open the BPF ring buffer: %s",
		    strerror(errno));
		return -1;
	}
	/* the trace begins now, not before the load */
	b->res->start_ns = util_now_ns();
	return 0;
}

