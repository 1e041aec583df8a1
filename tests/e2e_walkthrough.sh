#!/bin/sh
# The walkthrough's replay (doc/walkthrough.md): examples/logapp.strace, a
# strace -f -tt -T -y log of examples/logapp.py at the incident's sizes,
# must tell the incident's story in the JSON report.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_cmd python3
scratch

LOG="$TOP_SRCDIR/examples/logapp.strace"
"$IOSPY" --replay "$LOG" --json "$T/r.json" >"$T/r.txt" 2>"$T/r.err" ||
	fail "replay: $(cat "$T/r.err")"

f='[f for p in j["processes"] for f in p["files"] if f["path"] == "/tmp/logtest.txt"][0]'
[ "$(json_get "$T/r.json" "$f['writes']['count']")" = 6 ] || fail "6 writes expected"
[ "$(json_get "$T/r.json" "$f['writes']['min']")" = 314572845 ] || fail "min write"
[ "$(json_get "$T/r.json" "$f['writes']['max']")" = 314572845 ] || fail "max write"
[ "$(json_get "$T/r.json" "$f['rotation']['rotations']")" = 2 ] || fail "2 rotations"
[ "$(json_get "$T/r.json" "$f['rotation']['backups_deleted']")" = 2 ] || fail "2 deleted backups"
[ "$(json_get "$T/r.json" "$f['rotation']['bytes_lost']")" = 1887437070 ] || fail "bytes lost"
[ "$(json_get "$T/r.json" "$f['churn']['ratio'] > 2")" = True ] || fail "churn above 2"
[ "$(json_get "$T/r.json" "j['run']['lines_skipped']")" = 0 ] || fail "skipped lines"
grep -q 'deleting the oldest backup before each rotation (last /tmp/logtest.txt.1, 900.0 MiB lost each time' "$T/r.txt" ||
	fail "the finding does not name the deleted backups: $(cat "$T/r.txt")"
echo "ok: the walkthrough's log tells the story"
