#!/bin/sh
# bench/replay_speed.sh [BUILDDIR] [SIZE_MB] [RUNS]
#
# Replay throughput as a ratio, measured in one run on one file: a strace
# log of SIZE_MB (default 1024) is generated (a realistic -f -tt -T -y mix:
# writes to a log file, socket reads, futex/epoll/clock_gettime noise,
# open/close/fstat, anonymous mmap/munmap), then `wc -l` and
# `iospy --no-report --replay` read it from the page cache RUNS times
# (default 3) each, the replay both with its worker threads (the default)
# and line by line in one thread (IOSPY_REPLAY_THREADS=0); the best times
# give MB/s, the ratios to wc, and the replay's peak RSS.  Targets (issue 5): ratio >= 1/8 (goal 1/4), peak
# RSS of a 1 GB replay < 64 MiB.  The machine is shared: run it a few times.
set -eu
BUILDDIR=${1:-.}
SIZE_MB=${2:-1024}
RUNS=${3:-3}
IOSPY=$BUILDDIR/iospy
[ -x "$IOSPY" ] || { echo "no $IOSPY (give the build directory)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/replay-speed.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

python3 - "$IOSPY" "$T/big.strace" "$SIZE_MB" "$RUNS" <<'PY'
import os, random, resource, subprocess, sys, time

iospy, path, size_mb, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

# one block of lines in the shape strace -f -tt -T -y writes
random.seed(1)
lines, t = [], 0
for i in range(400):
    pid = 1000 + random.randint(0, 7)
    t += random.randint(1, 900)
    ts = "%02d:%02d:%02d.%06d" % (10, (t // 60000000) % 60, (t // 1000000) % 60, t % 1000000)
    k = random.random()
    if k < 0.25:
        l = 'write(3</var/log/app/app.log>, "2024-01-01 12:00:00,123 INFO request handled in 12ms\\n"..., 180) = 180 <0.000021>'
    elif k < 0.35:
        l = 'read(5<socket:[12345]>, "GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n", 8192) = 27 <0.000011>'
    elif k < 0.55:
        l = 'futex(0x7f2a3c0008c8, FUTEX_WAKE_PRIVATE, 1) = 0 <0.000007>'
    elif k < 0.62:
        l = 'epoll_wait(7<anon_inode:[eventpoll]>, [{events=EPOLLIN, data={u32=5, u64=5}}], 1024, 500) = 1 <0.000123>'
    elif k < 0.67:
        l = 'openat(AT_FDCWD</srv>, "/srv/data/item%d.json", O_RDONLY|O_CLOEXEC) = 9</srv/data/item%d.json> <0.000015>' % (i, i)
    elif k < 0.72:
        l = 'close(9</srv/data/item%d.json>) = 0 <0.000004>' % i
    elif k < 0.77:
        l = 'mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f2a3c021000 <0.000009>'
    elif k < 0.80:
        l = 'munmap(0x7f2a3c021000, 262144) = 0 <0.000012>'
    elif k < 0.88:
        l = 'clock_gettime(CLOCK_MONOTONIC, {tv_sec=12345, tv_nsec=678901234}) = 0 <0.000003>'
    elif k < 0.93:
        l = 'fstat(9</srv/data/item.json>, {st_mode=S_IFREG|0644, st_size=4096, ...}) = 0 <0.000005>'
    else:
        l = 'recvfrom(5<socket:[12345]>, "\\x00\\x01", 65536, 0, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable) <0.000006>'
    lines.append("%-5d %s %s\n" % (pid, ts, l))
block = "".join(lines).encode()
target = size_mb << 20
with open(path, "wb") as f:
    chunk = block * max(1, (8 << 20) // len(block))
    written = 0
    while written + len(chunk) <= target:
        f.write(chunk)
        written += len(chunk)
    while written + len(block) <= target:
        f.write(block)
        written += len(block)
size = os.path.getsize(path)

def timed(argv, env=None):
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL,
                   env=dict(os.environ, **env) if env else None)
    return time.perf_counter() - t0

subprocess.run(["cat", path], check=True, stdout=subprocess.DEVNULL)  # warm the cache
# the default (worker threads: one per CPU but one) and line by line in
# one thread (IOSPY_REPLAY_THREADS=0), interleaved with wc
wc, rp, rp1 = [], [], []
for _ in range(runs):
    wc.append(timed(["wc", "-l", path]))
    rp.append(timed([iospy, "--no-report", "--replay", path]))
    rp1.append(timed([iospy, "--no-report", "--replay", path],
                         {"IOSPY_REPLAY_THREADS": "0"}))

# peak RSS of one more replay, in a child of its own
pid = os.fork()
if pid == 0:
    os.execv(iospy, [iospy, "--no-report", "--replay", path])
_, status, ru = os.wait4(pid, 0)
rss_kib = ru.ru_maxrss

mb = size / 1e6
w, r, r1 = min(wc), min(rp), min(rp1)
threads = os.environ.get("IOSPY_REPLAY_THREADS")
if threads is None:
    threads = "%d" % max(0, min(4, len(os.sched_getaffinity(0)) - 1))
print("replay_speed: log %.0f MB (%d lines of a -f -tt -T -y mix), best of %d,"
      " %d CPUs" % (mb, size // (len(block) // 400), runs, os.cpu_count() or 1))
print("  wc -l             %8.3f s  %8.0f MB/s" % (w, mb / w))
print("  iospy --replay    %8.3f s  %8.0f MB/s  (%s worker thread(s) + main)"
      % (r, mb / r, threads))
print("  ... line by line  %8.3f s  %8.0f MB/s  (IOSPY_REPLAY_THREADS=0)"
      % (r1, mb / r1))
print("  ratio          1/%.1f of wc -l (target 1/8, goal 1/4); line by "
      "line 1/%.1f" % (r / w, r1 / w))
print("  peak RSS       %.1f MiB (target < 64 MiB)" % (rss_kib / 1024.0))
PY
