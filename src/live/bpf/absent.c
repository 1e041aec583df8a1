/*
 * absent.c: the bpf engine of an iospy built without it (configure found
 * no libbpf, clang, bpftool or kernel BTF, or --with-bpf=no).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <stdio.h>

#include "live/bpf/engine.h"

bool
bpf_engine_built(char *why, size_t whysz)
{
	snprintf(why, whysz, "this iospy was built without the bpf engine (%s)",
	    BPF_ABSENT_WHY);
	return false;
}

static int
absent(char *err, size_t errsz)
{
	bpf_engine_built(err, errsz);
	return BPF_ENGINE_UNAVAILABLE;
}

int
bpf_engine_launch(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct bpf_result *res,
    char *err, size_t errsz)
{
	(void)cfg; (void)pl; (void)hooks; (void)res;
	return absent(err, errsz);
}

int
bpf_engine_attach(const struct trace_settings *cfg, struct pipeline *pl,
    const struct source_hooks *hooks, struct bpf_result *res,
    char *err, size_t errsz)
{
	(void)cfg; (void)pl; (void)hooks; (void)res;
	return absent(err, errsz);
}
