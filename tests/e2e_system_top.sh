#!/bin/sh
# iospy --top --once: a writer it is not told about (no pid given) is
# named, with the rate it writes at; the disk it writes to has a device
# line; unreadable processes are counted.
#
# The writer (tests/helpers/ratewriter) writes RATE bytes/s in 1 MiB
# writes, each followed by fdatasync, on an absolute schedule.  Sampling
# error over the 2 s interval: one write at each end of the window (1/64
# each), plus the time one /proc scan takes (the sample's time is taken
# before its scan, the writer's line may be read at any point of it);
# 20% covers both on a loaded 2-core machine.  Other processes on a shared
# machine may write more than the writer for a moment: then the sample is
# taken again (at most 3 times).
. "${TOP_SRCDIR:-.}/tests/lib.sh"

scratch
RATE=33554432
CHUNK=1048576
pid=""
cleanup() { _rc=$?; [ -n "$pid" ] && kill "$pid" 2>/dev/null; scratch_done $_rc; }
trap cleanup EXIT

"$HELPERS/ratewriter" "$T/w.dat" $RATE $CHUNK 30 >"$T/w.out" &
pid=$!
i=0
while ! grep -q ready "$T/w.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "writer did not start"; sleep 0.05
done

# the disk / names in /proc/mounts for the writer's filesystem
disk=$(python3 - "$T" <<'PY'
import os, sys
st = os.stat(sys.argv[1])
p = os.path.realpath("/sys/dev/block/%d:%d" % (os.major(st.st_dev), os.minor(st.st_dev)))
if os.path.exists(p + "/partition"):
    p = os.path.dirname(p)
print(os.path.basename(p) if os.path.exists(p + "/dev") else "")
PY
)

try=0
while :; do
	try=$((try + 1))
	rc=0
	"$IOSPY" --top --once --interval 2 --json "$T/top.json" >"$T/top.txt" 2>"$T/top.err" || rc=$?
	[ $rc = 0 ] || { cat "$T/top.err"; fail "--top --once: exit $rc"; }
	verdict=$(python3 - "$T/top.json" "$pid" $RATE $CHUNK "$disk" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
pid, rate, chunk, disk = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
procs = j["processes"]
me = [p for p in procs if p["pid"] == pid]
if not me:
    print("FAIL: the writer (pid %d) is not listed" % pid); sys.exit()
me = me[0]
for k, want in (("write_bytes_s", rate), ("wchar_s", rate), ("syscw_s", rate / chunk)):
    if abs(me[k] - want) > 0.2 * want:
        print("FAIL: %s %.0f, want %.0f +- 20%%" % (k, me[k], want)); sys.exit()
if procs[0]["pid"] != pid:
    print("RETRY: top writer is pid %d (%s)" % (procs[0]["pid"], procs[0]["comm"])); sys.exit()
if "ratewriter" not in me["cmdline"]:
    print("FAIL: cmdline %r" % me["cmdline"]); sys.exit()
if j["processes_unreadable"] < 0 or j["processes_total"] < len(procs):
    print("FAIL: counts"); sys.exit()
if disk:
    d = [x for x in j["devices"] if x["name"] == disk]
    if not d or d[0]["writes"] == 0 or d[0]["wkB_s"] <= 0:
        print("FAIL: device %s has no writes: %r" % (disk, d)); sys.exit()
print("OK %.1f MiB/s (want %.1f)" % (me["write_bytes_s"] / 2**20, rate / 2**20))
PY
)
	case $verdict in
	OK*) echo "$verdict"; break ;;
	RETRY*) [ $try -lt 3 ] || fail "$verdict (3 tries)"; echo "$verdict" ;;
	*) cat "$T/top.json"; fail "$verdict" ;;
	esac
done

# the text of the same sample: the writer is the first process row, the
# disk has a line, the unreadable ones are counted in the header
"$IOSPY" --top --once --interval 1 >"$T/top.txt" || fail "text: exit $?"
cat "$T/top.txt"
head -1 "$T/top.txt" | grep -q 'unreadable' || fail "no unreadable count"
[ -z "$disk" ] || grep -q "^$disk " "$T/top.txt" || fail "no line for $disk"
awk '/^ *PID COMMAND/ { getline; print; exit }' "$T/top.txt" | grep -q "^ *$pid ratewriter" ||
	echo "note: the writer is not the first text row this time (shared machine)"
grep -q "^ *$pid ratewriter .*ratewriter $T/w.dat" "$T/top.txt" || fail "writer not named in the text"

# usage errors
rc=0; "$IOSPY" --top -p 1 >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "--top -p: exit $rc, want 2"
rc=0; "$IOSPY" --once >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "--once alone: exit $rc, want 2"
# a JSON file that cannot be written: exit 2
rc=0; "$IOSPY" --top --once --interval 0.1 --json /nonexistent/dir/x.json >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "unwritable --json: exit $rc, want 2"
exit 0
