#!/bin/sh
# bench/paths_mem.sh [BUILDDIR] [N...]
#
# Peak RSS and wall time of replaying a build log naming N distinct paths
# (default 100000 1000000; 10000000 takes a few minutes and a 3.6 GB log),
# written by bench/paths_log.py: each file opened, written 1 to 4 times
# and closed, 100 files per directory, 16 processes.  For each N:
#   iospy --replay LOG --no-report --json /dev/null   (the JSON report)
#   iospy --replay LOG --report /dev/null             (the text report)
# with the default --max-files, and the folded counts from the JSON.
# Not a test: figures depend on the machine (the e2e test
# tests/e2e_paths_mem.sh checks a bound).  Logs go to $TMPDIR (/tmp).
set -eu
BUILDDIR=${1:-.}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 100000 1000000
IOSPY=$BUILDDIR/iospy
HERE=$(dirname "$0")
[ -x "$IOSPY" ] || { echo "no $IOSPY (give the build directory)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/paths-mem.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

for n in "$@"; do
	python3 "$HERE/paths_log.py" "$n" "$T/log"
	python3 - "$IOSPY" "$T/log" "$n" "$T/out.json" <<'PY'
import json, os, subprocess, sys, time
iospy, log, n, out = sys.argv[1:]
def run(args):
    t0 = time.perf_counter()
    p = subprocess.Popen([iospy, "--replay", log] + args,
                         stdout=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return ru.ru_maxrss, time.perf_counter() - t0, status
r2 = run(["--report", "/dev/null"])
r1 = run(["--no-report", "--json", out])
j = json.load(open(out))
print("%9s paths: JSON %8s KiB %6.1f s | text %8s KiB %6.1f s | folded %s files into %s records (--max-files %s)" % (
    "{:,}".format(int(n)), r1[0], r1[1], r2[0], r2[1],
    "{:,}".format(j["folded"]["files"]), "{:,}".format(j["folded"]["records"]),
    j["folded"]["max_files"]))
PY
	rm -f "$T/log" "$T/out.json"
done
