#!/bin/sh
# Replay of the log shapes real users have: strace 4.x (a clone line cut
# by "Process N attached", threads sharing fds, exit_group with no "+++"
# line) and -n logs written by hand from those shapes (tests/data), and
# -n, -c and -ff logs recorded with the installed strace.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_cmd python3
scratch
D="$TOP_SRCDIR/tests/data"

# files JSON: "pid path count bytes exited" per file, sorted
files() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for p in j["processes"]:
    for f in p["files"]:
        print(p["pid"], f["path"], f["writes"]["count"], f["writes"]["bytes"],
              p["exited"])
PY
}

# strace 4.x: the clone's rest on its own line, fd 6 made by the thread
"$IOSPY" --no-report --json "$T/4x.json" --replay "$D/strace4_threads.strace" \
    2>"$T/4x.err" || fail "4.x: replay failed: $(cat "$T/4x.err")"
[ ! -s "$T/4x.err" ] || fail "4.x: problems: $(cat "$T/4x.err")"
files "$T/4x.json" >"$T/4x.files"
grep -qx '10703 /tmp/t/server.log 3 23 True' "$T/4x.files" ||
    fail "4.x: main thread's log: $(cat "$T/4x.files")"
grep -qx '10703 socket:\[pid 10703 fd 6\] 2 16 True' "$T/4x.files" ||
    fail "4.x: the socket the thread made is lost: $(cat "$T/4x.files")"
grep -qx '10705 /tmp/t/server.log 1 6 True' "$T/4x.files" ||
    fail "4.x: the forked child: $(cat "$T/4x.files")"

# -n by hand: "[  59] execve(...)", "[pid  5010] [ 157] prctl(...)"
"$IOSPY" --no-report --json "$T/n.json" --replay "$D/strace_n.strace" \
    2>"$T/n.err" || fail "-n: replay failed: $(cat "$T/n.err")"
[ ! -s "$T/n.err" ] || fail "-n: problems: $(cat "$T/n.err")"
files "$T/n.json" >"$T/n.files"
grep -qx '5010 /tmp/t/a 1 2 True' "$T/n.files" || fail "-n: $(cat "$T/n.files")"
grep -qx '5011 /tmp/t/b 1 3 True' "$T/n.files" || fail "-n: $(cat "$T/n.files")"

command -v strace >/dev/null 2>&1 || { echo "strace not installed: recorded logs not tried"; exit 0; }
W="$T/w"
mkdir -p "$W"
script="echo hello > $W/a; (printf 12345 > $W/b); true"

# -n -f recorded
strace -n -f -o "$T/rn.log" sh -c "$script" 2>"$T/rn.strace-err" ||
    skip "strace cannot trace here: $(cat "$T/rn.strace-err")"
"$IOSPY" --no-report --json "$T/rn.json" --replay "$T/rn.log" 2>"$T/rn.err" ||
    fail "recorded -n: replay failed: $(cat "$T/rn.err")"
grep -q 'skipped' "$T/rn.err" && fail "recorded -n: $(cat "$T/rn.err")"
files "$T/rn.json" >"$T/rn.files"
grep -q " $W/a 1 6 True\$" "$T/rn.files" || fail "recorded -n: $(cat "$T/rn.files")"
grep -q " $W/b 1 5 True\$" "$T/rn.files" || fail "recorded -n: $(cat "$T/rn.files")"

# -ff recorded: one file per process, read back as a set
mkdir -p "$T/ff"
strace -ff -n -o "$T/ff/trace" sh -c "$script" 2>/dev/null || fail "strace -ff failed"
"$IOSPY" --no-report --json "$T/ff.json" --replay "$T"/ff/trace.* 2>"$T/ff.err" ||
    fail "recorded -ff: replay failed: $(cat "$T/ff.err")"
files "$T/ff.json" >"$T/ff.files"
grep -q " $W/a 1 6 " "$T/ff.files" || fail "recorded -ff: $(cat "$T/ff.files")"
grep -q " $W/b 1 5 " "$T/ff.files" || fail "recorded -ff: $(cat "$T/ff.files")"

# -c recorded: said plainly, an error, never an empty report and exit 0
strace -c -o "$T/c.log" sh -c "$script" 2>/dev/null || fail "strace -c failed"
rc=0
"$IOSPY" --replay "$T/c.log" >"$T/c.out" 2>"$T/c.err" || rc=$?
[ "$rc" = 2 ] || fail "-c: exit $rc"
grep -q 'a strace -c summary table (.* calls, .* errors in .* syscalls): it holds no per-file data' \
    "$T/c.err" || fail "-c: $(cat "$T/c.err")"
grep -q 'No process was seen' "$T/c.out" && fail "-c: an empty report"
exit 0
