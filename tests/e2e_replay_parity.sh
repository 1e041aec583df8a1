#!/bin/sh
# Replay parity: the same workload (tests/helpers/replay_workload) recorded
# by the real strace in several ways (-f -o, with -y, -ff, -tt -T, -yy -xx,
# gzip'ed) replays to the same per-file write counts and bytes, which are
# the helper's known amounts; and so does iospy's own live trace and its
# -o log replayed (the round trip).
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd strace
need_cmd python3
scratch

W="$T/w"
mkdir -p "$W"
HELPER="$HELPERS/replay_workload"
[ -x "$HELPER" ] || fail "no helper $HELPER"

# The helper's known amounts: path writes bytes
expected="a.log 12 10200
b.log 3 1500
c.dat 5 20480
d.log 4 40"

# check NAME JSON: per-file writes and bytes in JSON are the expected ones
check() {
	python3 - "$1" "$2" "$W" "$expected" <<'PY' || fail "$1: per-file totals differ (see above)"
import json, sys
name, path, wdir, expected = sys.argv[1:5]
j = json.load(open(path))
got = {}
for p in j["processes"]:
    for f in p["files"]:
        if f["path"].startswith(wdir + "/"):
            base = f["path"][len(wdir) + 1:]
            c, b = got.get(base, (0, 0))
            got[base] = (c + f["writes"]["count"], b + f["writes"]["bytes"])
want = {}
for line in expected.splitlines():
    n, c, b = line.split()
    want[n] = (int(c), int(b))
if got != want:
    print("%s: got %s\n%s: want %s" % (name, sorted(got.items()), name, sorted(want.items())))
    sys.exit(1)
PY
}

# replay NAME FILE...: replay to JSON and check it
replay() {
	name=$1
	shift
	"$IOSPY" --no-report --json "$T/$name.json" --replay "$@" 2>"$T/$name.err" ||
	    fail "$name: replay failed: $(cat "$T/$name.err")"
	if grep -q 'lines skipped' "$T/$name.err"; then
		fail "$name: lines skipped: $(cat "$T/$name.err")"
	fi
	check "$name" "$T/$name.json"
}

record() {	# record NAME STRACE-OPTIONS...
	name=$1
	shift
	rm -rf "$W" && mkdir -p "$W"
	strace "$@" "$HELPER" "$W" 2>"$T/$name.strace-err" ||
	    fail "$name: strace failed: $(cat "$T/$name.strace-err")"
}

record plain -f -o "$T/plain.log"
replay plain "$T/plain.log"

record y -f -y -o "$T/y.log"
replay y "$T/y.log"

record tt -f -tt -T -o "$T/tt.log"
replay tt "$T/tt.log"

record yyxx -f -yy -xx -ttt -o "$T/yyxx.log"
replay yyxx "$T/yyxx.log"

mkdir -p "$T/ff"
record ff -ff -o "$T/ff/trace"
replay ff "$T"/ff/trace.*

mkdir -p "$T/fftt"
record fftt -ff -tt -y -o "$T/fftt/trace"
replay fftt "$T"/fftt/trace.*

# stderr with -f: [pid N] prefixes and bare lines, messages inline
rm -rf "$W" && mkdir -p "$W"
strace -f "$HELPER" "$W" 2>"$T/stderr.log" || fail "strace to stderr failed"
replay stderr "$T/stderr.log"

# compressed and stdin
if command -v gzip >/dev/null 2>&1; then
	gzip -c "$T/y.log" >"$T/y.log.gz"
	replay gz "$T/y.log.gz"
fi
"$IOSPY" --no-report --json "$T/stdin.json" --replay - <"$T/tt.log" 2>"$T/stdin.err" ||
    fail "stdin replay failed: $(cat "$T/stdin.err")"
check stdin "$T/stdin.json"

# live, and the round trip through iospy's own -o log
rm -rf "$W" && mkdir -p "$W"
rc=0
"$IOSPY" --engine=ptrace --no-report --json "$T/live.json" -o "$T/own.log" -- "$HELPER" "$W" \
    2>"$T/live.err" || rc=$?
if [ "$rc" = 0 ] && [ -s "$T/own.log" ]; then
	check live "$T/live.json"
	replay own "$T/own.log"
else
	echo "note: live tracing not usable here (exit $rc): $(head -3 "$T/live.err")"
fi
exit 0
