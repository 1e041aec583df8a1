#!/bin/sh
# iospy --auto: a writer started in the background, never named to iospy,
# is found by sampling /proc, attached to, reported with the disk its file
# is on (the disk /proc/mounts names for that filesystem), its rate within
# the sampling error, and left running untraced.  The plain launch report
# has the same device section.
#
# Sampling error: the writer (tests/helpers/ratewriter) writes 1 MiB every
# 1/32 s, with fdatasync; over the 2 s traced, one write at each end of the
# window (1/64 each) and the attach and detach time (the trace's span
# includes them); 20% covers that on a loaded 2-core machine.  A shared
# machine may have a bigger writer for a moment: then --auto is run again
# (at most 3 times).
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
scratch
RATE=33554432
pid=""
cleanup() { _rc=$?; [ -n "$pid" ] && kill "$pid" 2>/dev/null; scratch_done $_rc; }
trap cleanup EXIT

"$HELPERS/ratewriter" "$T/w.dat" $RATE 1048576 40 >"$T/w.out" &
pid=$!
i=0
while ! grep -q ready "$T/w.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "writer did not start"; sleep 0.05
done

# the disk of $T, the other way round: /proc/mounts' source of the
# longest mount point above $T, resolved to its whole disk in /sys
disk=$(python3 - "$T" <<'PY'
import os, sys
t = os.path.realpath(sys.argv[1]); best = ("", "")
for line in open("/proc/mounts"):
    src, mnt = line.split()[:2]
    mnt = mnt.replace("\\040", " ")
    if (t == mnt or t.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best[1]):
        best = (src, mnt)
src = best[0]
if src.startswith("/dev/") and os.path.exists("/sys/class/block/" + os.path.basename(os.path.realpath(src))):
    p = os.path.realpath("/sys/class/block/" + os.path.basename(os.path.realpath(src)))
    if os.path.exists(p + "/partition"):
        p = os.path.dirname(p)
    print(os.path.basename(p))
PY
)
[ -n "$disk" ] || skip "$T is not on a local block device here"

try=0
while :; do
	try=$((try + 1))
	rc=0
	"$IOSPY" --auto=2 --duration 2 --json "$T/a.json" 2>"$T/a.err" || rc=$?
	[ $rc = 0 ] || { cat "$T/a.err"; fail "--auto: exit $rc"; }
	if grep -q "^iospy: top writer over .*: ratewriter (pid $pid)" "$T/a.err"; then
		break
	fi
	[ $try -lt 3 ] || { cat "$T/a.err"; fail "--auto did not pick the writer in 3 tries"; }
	echo "retry: $(head -1 "$T/a.err")"
done
cat "$T/a.err"
kill -0 "$pid" 2>/dev/null || fail "the writer died"
tp=$(sed -n 's/^TracerPid:[[:space:]]*//p' /proc/$pid/status)
[ "$tp" = 0 ] || fail "the writer is still traced by $tp"

# the device section comes first, then the normal report
awk '/^Devices \(over the / { d = NR } /^iospy report \(auto\)/ { r = NR }
    END { exit !(d && r && d < r) }' "$T/a.err" || fail "no device section above the report"
grep -q "^  $disk: [0-9]*% busy, .* written (.* writes/s), writes wait " "$T/a.err" ||
	fail "no line for $disk"
grep -q "^  $T/w.dat on $disk" "$T/a.err" || fail "the file is not on $disk"
grep -q "block layer (/proc/PID/io) of ratewriter (pid $pid): .* dirtied for writeback" "$T/a.err" ||
	fail "no block-layer line"
grep -q "^iospy report (auto): " "$T/a.err" || fail "no report"
python3 - "$T/a.json" "$T/w.dat" $RATE <<'PY' || fail "rate"
import json, sys
j = json.load(open(sys.argv[1]))
f = [f for p in j["processes"] for f in p["files"] if f["path"] == sys.argv[2]][0]
dur = j["duration_s"] if "duration_s" in j else None
rate = float(sys.argv[3])
got = f["rate"]["bytes_per_s"] if isinstance(f.get("rate"), dict) else None
if got is None:
    print("no rate in %r" % f); sys.exit(1)
print("traced rate %.1f MiB/s, written %.1f MiB/s" % (got / 2**20, rate / 2**20))
sys.exit(abs(got - rate) > 0.2 * rate)
PY

# launch mode: the same section for a command iospy starts
"$IOSPY" -- "$HELPERS/ratewriter" "$T/l.dat" 16777216 1048576 1 >/dev/null 2>"$T/l.err" ||
	fail "launch: exit $?"
grep -q "^  $T/l.dat on $disk" "$T/l.err" || { cat "$T/l.err"; fail "launch: the file is not on $disk"; }
grep -q "block layer (/proc/PID/io) of the launched command: 16.0 MiB written by syscalls" "$T/l.err" ||
	{ cat "$T/l.err"; fail "launch: block-layer bytes"; }
exit 0
