#!/bin/sh
# --max-files bounds the memory of a replay that names many files: 200,000
# distinct paths (a build's open/write/close, bench/paths_log.py) replayed
# with --max-files 20000 stay near the peak RSS of 20,000 paths, with
# exact totals, the same limit verdicts as without a cap, and a report
# that says what was folded.  Peak RSS is the kernel's maxrss of the
# child (deterministic enough for a generous bound; not a timing).
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_cmd python3
scratch
GEN="${TOP_SRCDIR:-.}/bench/paths_log.py"

python3 "$GEN" 20000 "$T/small.log" || fail "generator"
python3 "$GEN" 200000 "$T/big.log" || fail "generator"

# peak RSS (KiB) of one run, its exit status in $T/rc
run_rss() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
PY
}
lim="--max-write 1M --max-file-bytes 1000000 --max-total-bytes 1G"
set -- $(run_rss "$IOSPY" --replay "$T/small.log" --max-files 20000 $lim \
	--report "$T/small.txt" --json "$T/small.json")
small=$1
[ "$2" = 1 ] || fail "small: exit $2 (the limits break)"
set -- $(run_rss "$IOSPY" --replay "$T/big.log" --max-files 20000 $lim \
	--report "$T/big.txt" --json "$T/big.json")
big=$1
[ "$2" = 1 ] || fail "big: exit $2 (the limits break)"
echo "peak RSS: 20,000 paths $small KiB, 200,000 paths with --max-files 20000 $big KiB"
# ten times the files, the same cap: at most 48 MiB more (the
# per-directory records, 2,000 here, and allocator slack); a sanitizer
# build keeps freed memory in quarantine, so its RSS says nothing
if grep -q '^SAN_CFLAGS = .*-fsanitize' "${TOP_BUILDDIR:-.}/Makefile" 2>/dev/null; then
	echo "sanitizer build: the RSS bound is not checked"
else
	[ "$big" -le $((small + 49152)) ] ||
		fail "peak RSS grew from $small KiB to $big KiB"
fi

# exact totals: the sum of the log's writes
python3 - "$T/big.log" "$T/big.json" <<'PY' || fail "totals"
import json, re, sys
w = b = 0
for line in open(sys.argv[1]):
    m = re.search(r' write\(.*\) = (\d+)$', line)
    if m:
        w += 1
        b += int(m.group(1))
j = json.load(open(sys.argv[2]))
t = j["totals"]
assert (t["writes"], t["bytes"], t["files"]) == (w, b, 200000), (t, w, b)
f = j["folded"]
assert f["max_files"] == 20000 and f["files"] > 150000 and f["records"] > 0, f
recs = [x for p in j["processes"] for x in p["files"]]
assert len(recs) <= 20000, len(recs)
assert sum(x["writes"]["bytes"] for x in recs) == b
assert sum(x.get("folded_files", 0) for x in recs) == f["files"]
assert all(x["path"].endswith("/") for x in recs if "folded_files" in x)
# one file in 1,000 has a 1 MiB write: a finding, never folded
big = [x for x in j["findings"] if "big-writes" in x["kinds"]]
assert len(big) == 200, len(big)
PY
# the limit verdicts do not depend on the cap (their JUnit is the same)
"$IOSPY" --replay "$T/big.log" --max-files 20000 $lim --no-report \
	--junit "$T/cap.xml" >/dev/null
"$IOSPY" --replay "$T/big.log" --max-files 0 $lim --no-report \
	--junit "$T/nocap.xml" >/dev/null
grep -q 'failures="3"' "$T/nocap.xml" || fail "three limits break: $(head -3 "$T/nocap.xml")"
cmp "$T/cap.xml" "$T/nocap.xml" || fail "verdicts differ: $(diff "$T/cap.xml" "$T/nocap.xml" | head)"

# the text report says it, and counts the folded files
grep -q "^  (--max-files 20000: [0-9,]* small files folded into [0-9,]* per-directory records" \
	"$T/big.txt" || fail "no fold line: $(head -5 "$T/big.txt")"
grep -q "^Files: 200,000 written ([0-9,]* of them in [0-9,]* DIR/ rows" "$T/big.txt" ||
	fail "Files view: $(grep '^Files' "$T/big.txt")"
grep -q "max-files" "$T/small.txt" && fail "small run folded"
"$IOSPY" --replay "$T/small.log" --max-files -1 >/dev/null 2>&1 && fail "--max-files -1 accepted"

# a process per file (a build's compilers): the directory records go
# into the processes' counts, the totals stay exact
python3 "$GEN" 20000 "$T/procs.log" --procs 20000 || fail "generator"
"$IOSPY" --replay "$T/procs.log" --max-files 2000 --report "$T/procs.txt" \
	--json "$T/procs.json" || fail "procs: exit $?"
python3 - "$T/procs.log" "$T/procs.json" <<'PY' || fail "procs totals"
import json, re, sys
b = sum(int(m.group(1)) for m in (re.search(r' write\(.*\) = (\d+)$', l)
        for l in open(sys.argv[1])) if m)
j = json.load(open(sys.argv[2]))
assert j["totals"]["bytes"] == b and j["totals"]["files"] == 20000, j["totals"]
assert sum(p["bytes"] for p in j["processes"]) == b
assert j["folded"]["in_process_totals"] > 10000, j["folded"]
assert sum(len(p["files"]) for p in j["processes"]) <= 2000
PY
grep -q "are only in their processes' totals" "$T/procs.txt" ||
	fail "no note of the dropped records: $(head -4 "$T/procs.txt")"
exit 0
