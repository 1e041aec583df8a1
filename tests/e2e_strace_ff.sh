#!/bin/sh
# strace's -ff and execve syntax, against the installed strace: iospy -ff -o
# FILE writes FILE.TID per thread with no tid column, as strace does; the
# set replays (as FILE.* and as FILE) to the same per-file totals as a
# strace -ff recording of the same workload; execve's argv is printed
# element by element with the environment count, as strace prints it.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd strace
need_cmd python3
scratch

W="$T/w"
HELPER="$HELPERS/replay_workload"
[ -x "$HELPER" ] || fail "no helper $HELPER"

totals() {	# totals JSON: "file writes bytes" lines under $W
	python3 - "$1" "$W" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
got = {}
for p in j["processes"]:
    for f in p["files"]:
        if f["path"].startswith(sys.argv[2] + "/"):
            b = f["path"][len(sys.argv[2]) + 1:]
            c, n = got.get(b, (0, 0))
            got[b] = (c + f["writes"]["count"], n + f["writes"]["bytes"])
for k in sorted(got):
    print(k, *got[k])
PY
}

# strace -ff: the reference set
rm -rf "$W" && mkdir -p "$W" "$T/s" "$T/i"
strace -ff -o "$T/s/trace" "$HELPER" "$W" 2>/dev/null || fail "strace -ff failed"
"$IOSPY" --no-report --json "$T/s.json" --replay "$T"/s/trace.* 2>"$T/s.err" ||
    fail "replay of strace -ff: $(cat "$T/s.err")"
totals "$T/s.json" >"$T/s.tot"
[ -s "$T/s.tot" ] || fail "strace -ff set: no files"

# iospy -ff: as many files as threads, named by tid, no tid column
rm -rf "$W" && mkdir -p "$W"
rc=0
"$IOSPY" --engine=ptrace --no-report -q -ff -o "$T/i/trace" --json "$T/live.json" \
    -- "$HELPER" "$W" 2>"$T/i.err" || rc=$?
[ "$rc" = 0 ] || fail "iospy -ff exited $rc: $(cat "$T/i.err")"
[ -e "$T/i/trace" ] && fail "-ff wrote FILE itself"
n_i=$(ls "$T/i" | wc -l)
n_s=$(ls "$T/s" | wc -l)
[ "$n_i" = "$n_s" ] || fail "iospy -ff wrote $n_i files, strace -ff $n_s"
for f in "$T"/i/trace.*; do
	pid=${f##*.}
	case $pid in *[!0-9]*) fail "not a tid suffix: $f" ;; esac
	grep -q "^$pid " "$f" && fail "$f: a line starts with its tid"
	tail -n 1 "$f" | grep -q '^+++ exited with ' || fail "$f: does not end with its exit"
done
"$IOSPY" --no-report --json "$T/i.json" --replay "$T"/i/trace.* 2>"$T/ir.err" ||
    fail "replay of iospy -ff: $(cat "$T/ir.err")"
totals "$T/i.json" >"$T/i.tot"
cmp -s "$T/s.tot" "$T/i.tot" || fail "per-file totals differ: strace $(cat "$T/s.tot") / iospy $(cat "$T/i.tot")"
totals "$T/live.json" >"$T/live.tot"
cmp -s "$T/s.tot" "$T/live.tot" || fail "live totals differ: $(cat "$T/live.tot")"
# --replay FILE: the FILE.PID set
"$IOSPY" --no-report --json "$T/b.json" --replay "$T/i/trace" 2>"$T/b.err" ||
    fail "--replay FILE of a -ff set: $(cat "$T/b.err")"
totals "$T/b.json" >"$T/b.tot"
cmp -s "$T/s.tot" "$T/b.tot" || fail "--replay FILE: $(cat "$T/b.tot")"

# -ff without -o: one stream, as strace
rm -rf "$W" && mkdir -p "$W"
"$IOSPY" --engine=ptrace -q --no-report -ff -- "$HELPER" "$W" 2>"$T/noo.err" ||
    fail "-ff without -o: $(cat "$T/noo.err")"
ls "$T"/trace.* >/dev/null 2>&1 && fail "-ff without -o wrote files"

# -ff -o in a directory that cannot take the files: refused before tracing
"$IOSPY" --engine=ptrace -q --no-report -ff -o "$T/nodir/x" -- true 2>"$T/nd.err" &&
    fail "-ff -o into a missing directory succeeded"
grep -q "nodir" "$T/nd.err" || fail "no clear error: $(cat "$T/nd.err")"

# execve: each argv element quoted (spaces, empty), cut by -s, the
# environment count; the same text as strace's but for the pointer
strace -f -s 4 -o "$T/se.log" /bin/echo "a b" "" "cccccccccc" 1 2 3 >/dev/null ||
    fail "strace failed"
"$IOSPY" --engine=ptrace -q --no-report -s 4 -o "$T/ie.log" -- \
    /bin/echo "a b" "" "cccccccccc" 1 2 3 >/dev/null 2>"$T/ie.err" ||
    fail "iospy -o: $(cat "$T/ie.err")"
mask='s/^[0-9]* *//; s/0x[0-9a-f]* \/\*/PTR \/*/; s/  */ /g'
sline=$(grep 'execve(' "$T/se.log" | head -1 | sed "$mask")
iline=$(grep 'execve(' "$T/ie.log" | head -1 | sed "$mask")
[ -n "$sline" ] || fail "no execve in strace's log"
[ "$sline" = "$iline" ] || fail "execve differs:
strace: $sline
iospy:  $iline"
# replayed, the cut strings keep their "..."
"$IOSPY" --no-report -s 4 -o "$T/re.log" --replay "$T/se.log" 2>/dev/null ||
    fail "replay of the strace log"
rline=$(grep 'execve(' "$T/re.log" | head -1 | sed "$mask")
[ "$sline" = "$rline" ] || fail "replayed execve differs:
strace: $sline
replay: $rline"
exit 0
