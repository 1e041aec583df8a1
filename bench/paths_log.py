#!/usr/bin/env python3
"""bench/paths_log.py N OUT [--dirs D] [--procs P] [-tt]

Write a strace -f -y log (the shape `strace -f -y -o OUT make` gives a big
build) touching N distinct paths: each file is opened (O_CREAT|O_TRUNC),
written 1 to 4 times (sizes from 1 B to 64 KiB, one file in 1,000 gets
about 1 MiB) and closed, in D directories (default N/100), by P processes
(default 16) taking turns.  Deterministic: the same N gives the same log.
Used by bench/paths_mem.sh and tests/e2e_paths_mem.sh.
"""
import sys


def main():
    args = sys.argv[1:]
    timed = "-tt" in args
    args = [a for a in args if a != "-tt"]
    opts = {"--dirs": None, "--procs": "16"}
    pos = []
    i = 0
    while i < len(args):
        if args[i] in opts:
            opts[args[i]] = args[i + 1]
            i += 2
        else:
            pos.append(args[i])
            i += 1
    if len(pos) != 2:
        sys.exit(__doc__)
    n = int(pos[0])
    ndirs = int(opts["--dirs"]) if opts["--dirs"] else max(1, n // 100)
    nprocs = int(opts["--procs"])
    out = open(pos[1], "w", buffering=1 << 20)
    w = out.write
    seed = 88172645463325252
    t = 0
    for f in range(n):
        seed ^= (seed << 13) & 0xFFFFFFFFFFFFFFFF
        seed ^= seed >> 7
        seed ^= (seed << 17) & 0xFFFFFFFFFFFFFFFF
        pid = 1000 + f % nprocs
        p = "/build/d%06d/obj%d.o" % (f % ndirs, f)
        if timed:
            t += 1000 + seed % 1000
            pre = "%d %02d:%02d:%02d.%06d " % (pid, 10 + t // 3600000000 % 10,
                                             t // 60000000 % 60,
                                             t // 1000000 % 60, t % 1000000)
        else:
            pre = "%d " % pid
        w('%sopenat(AT_FDCWD</build>, "%s", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 3<%s>\n'
          % (pre, p, p))
        for k in range(1 + seed % 4):
            size = 1 + (seed >> (8 * k + 4)) % 65536
            if k == 0 and f % 1000 == 7:
                size = 1048576 + f % 4096
            w('%swrite(3<%s>, "\\177ELF"..., %d) = %d\n' % (pre, p, size, size))
        w('%sclose(3<%s>) = 0\n' % (pre, p))
    out.close()


main()
