#!/bin/sh
# The seed case in launch mode: examples/logapp (C) and examples/logapp.py
# at 4 MiB.  The JSON report must give the exact size of every write
# (SIZE + 45: the 44-byte header and the newline), the number of writes,
# the rotations and the deleted backups, and (for the Python app, whose
# logging copies each message several times) a churn ratio above 1.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
scratch

APP_C="$TOP_BUILDDIR/examples/logapp"
APP_PY="$TOP_SRCDIR/examples/logapp.py"
[ -x "$APP_C" ] || fail "$APP_C not built"

# 7 lines of 4 MiB + 45, rotating before a line that would reach 12 MiB:
# two lines per file, rotations before lines 3, 5 and 7, and the backup
# deleted at the second and third.
ARGS="--size 4M --count 7 --interval 0 --max-bytes 12M"

# check JSON LOG WHO: the report's entry for LOG
check() {
	python3 - "$1" "$2" "$3" <<'PY' || fail "$3: report does not match"
import json, sys
j = json.load(open(sys.argv[1]))
log, who = sys.argv[2], sys.argv[3]
line = 4 * 1024 * 1024 + 45
files = [f for p in j["processes"] for f in p["files"] if f["path"] == log]
def bad(msg):
    print("FAIL: %s: %s" % (who, msg))
    sys.exit(1)
if len(files) != 1:
    bad("%d entries for %s: %s" % (len(files), log,
        [f["path"] for p in j["processes"] for f in p["files"]]))
f = files[0]
w = f["writes"]
if w["count"] != 7 or w["bytes"] != 7 * line:
    bad("writes %d, %d bytes; want 7, %d" % (w["count"], w["bytes"], 7 * line))
if w["min"] != line or w["max"] != line:
    bad("write sizes %d..%d; want %d" % (w["min"], w["max"], line))
if w["short"] or w["failed"]:
    bad("short or failed writes")
r = f["rotation"]
if r["rotations"] != 3:
    bad("rotations %d, want 3" % r["rotations"])
if r["last_backup"] != log + ".1":
    bad("backup %r, want %r" % (r["last_backup"], log + ".1"))
if r["backups_deleted"] != 2:
    bad("backups deleted %d, want 2" % r["backups_deleted"])
c = f["churn"]["ratio"]
if c is None or c < 1.0:
    bad("churn ratio %r, want >= 1" % c)
if who == "python" and not c > 1.0:
    bad("churn ratio %r, want > 1" % c)
kinds = set(k for x in j["findings"] if x["path"] == log for k in x["kinds"])
for k in ("big-writes", "churn", "rotation", "deleted-backup"):
    if k not in kinds:
        bad("no %s finding (%s)" % (k, sorted(kinds)))
PY
}

rc=0
"$IOSPY" --engine=ptrace -q --no-report --json "$T/c.json" -- "$APP_C" $ARGS \
    --path "$T/c.log" 2>"$T/c.err" || rc=$?
[ "$rc" = 0 ] || fail "logapp (C): exit $rc: $(cat "$T/c.err")"
check "$T/c.json" "$T/c.log" c
[ "$(wc -c <"$T/c.log")" = $((4194349 * 1)) ] || fail "c.log size"
[ "$(wc -c <"$T/c.log.1")" = $((4194349 * 2)) ] || fail "c.log.1 size"

rc=0
"$IOSPY" --engine=ptrace -q --no-report --json "$T/p.json" -- python3 "$APP_PY" $ARGS \
    --path "$T/p.log" 2>"$T/p.err" || rc=$?
[ "$rc" = 0 ] || fail "logapp.py: exit $rc: $(cat "$T/p.err")"
check "$T/p.json" "$T/p.log" python
[ "$(wc -c <"$T/p.log.1")" = $((4194349 * 2)) ] || fail "p.log.1 size"

# the app's own exit status comes through
rc=0
"$IOSPY" --engine=ptrace -q --no-report -- "$APP_C" --size 1k --count 1 \
    --path "$T/nodir/x.log" 2>/dev/null || rc=$?
[ "$rc" = 1 ] || fail "logapp failing to open its log: iospy exit $rc, want 1"
exit 0
