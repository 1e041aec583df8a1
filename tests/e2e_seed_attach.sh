#!/bin/sh
# The seed case in attach mode: start examples/logapp (C, then Python),
# attach for 2 s and detach.  The report sees the app's writes to its log
# (opened before the attach) at their exact size; afterwards the app is
# still running, untraced, and still writing (its log grows); SIGUSR2 then
# stops its writes and SIGUSR1 starts them again.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
scratch

APP_C="$TOP_BUILDDIR/examples/logapp"
APP_PY="$TOP_SRCDIR/examples/logapp.py"
[ -x "$APP_C" ] || fail "$APP_C not built"

P=
cleanup() { _rc=$?; [ -n "$P" ] && kill -9 "$P" 2>/dev/null; scratch_done $_rc; }
trap cleanup EXIT

size() { { wc -c <"$1"; } 2>/dev/null || echo 0; }

# grows LOG: the log grows within 10 s
grows() {
	s1=$(size "$1")
	i=0
	while [ "$(size "$1")" -le "$s1" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
	return 0
}

# quiet LOG: the log stops growing (two samples 0.5 s apart agree, then
# nothing more in another second); 1 if it never does within 10 s
quiet() {
	i=0
	while :; do
		s1=$(size "$1")
		sleep 0.5
		[ "$(size "$1")" = "$s1" ] && break
		i=$((i + 1))
		[ $i -gt 20 ] && return 1
	done
	sleep 1
	[ "$(size "$1")" = "$s1" ]
}

# one WHO LOG CMD...: the whole scenario for one app
one() {
	who=$1 log=$2
	shift 2
	"$@" --size 256k --interval 0.05 --max-bytes 1G --path "$log" &
	P=$!
	grows "$log" || fail "$who: never started writing"

	rc=0
	"$IOSPY" --engine=ptrace -q --no-report --json "$T/$who.json" -p "$P" --duration 2 \
	    2>"$T/$who.err" || rc=$?
	[ "$rc" = 0 ] || fail "$who: iospy exit $rc: $(cat "$T/$who.err")"
	kill -0 "$P" 2>/dev/null || fail "$who: the app died"
	for s in /proc/"$P"/task/*/status; do
		tp=$(sed -n 's/^TracerPid:[[:space:]]*//p' "$s")
		st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "$s")
		[ "$tp" = 0 ] || fail "$who: $s still traced by $tp"
		case $st in S|R|D) ;; *) fail "$who: $s state $st after detach" ;; esac
	done
	python3 - "$T/$who.json" "$log" "$who" <<'PY' || fail "$who: report does not match"
import json, sys
j = json.load(open(sys.argv[1]))
log, who = sys.argv[2], sys.argv[3]
line = 256 * 1024 + 45
if j["run"]["mode"] != "attach":
    print("FAIL: %s: mode %r" % (who, j["run"]["mode"])); sys.exit(1)
files = [f for p in j["processes"] for f in p["files"] if f["path"] == log]
if len(files) != 1:
    print("FAIL: %s: %d entries for %s: %s" % (who, len(files), log,
          [f["path"] for p in j["processes"] for f in p["files"]]))
    sys.exit(1)
w = files[0]["writes"]
# 2 s at one line per 50 ms is ~40; a loaded machine may manage fewer
if w["count"] < 3 or w["min"] != line or w["max"] != line:
    print("FAIL: %s: %d writes of %d..%d bytes, want >= 3 of %d" %
          (who, w["count"], w["min"], w["max"], line))
    sys.exit(1)
PY
	grows "$log" || fail "$who: no writes after the detach"
	kill -USR2 "$P"
	quiet "$log" || fail "$who: still writing after SIGUSR2"
	kill -USR1 "$P"
	grows "$log" || fail "$who: no writes after SIGUSR1"
	kill "$P"
	wait "$P" 2>/dev/null
	P=
}

one c "$T/c.log" "$APP_C"
one python "$T/p.log" python3 "$APP_PY"
exit 0
