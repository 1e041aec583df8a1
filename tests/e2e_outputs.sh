#!/bin/sh
# Outputs never fail silently: a full disk (/dev/full) or a closed stdout
# under every output option is a message and exit 2 (with the command's
# status in the message), a bad output path fails before anything runs,
# and a replay stopped by SIGINT says it is partial and exits 130.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_cmd python3
scratch
SEED="$TOP_SRCDIR/tests/data/seed.strace"

# expect_fail WHAT CMD...: exit 2 and a "cannot write" message
expect_fail() {
	what=$1; shift
	rc=0
	"$@" >"$T/out" 2>"$T/err" || rc=$?
	[ "$rc" = 2 ] || fail "$what: exit $rc, not 2: $(cat "$T/err")"
	grep -q "iospy: cannot write" "$T/err" ||
		fail "$what: no message: $(cat "$T/err")"
}

# replay: every output on a full disk
expect_fail "replay --json /dev/full" "$IOSPY" --json /dev/full --replay "$SEED"
grep -q "JSON report to /dev/full: No space left" "$T/err" || fail "json msg: $(cat "$T/err")"
expect_fail "replay --report /dev/full" "$IOSPY" --report /dev/full --replay "$SEED"
expect_fail "replay --junit /dev/full" "$IOSPY" --max-write 1 --junit /dev/full --replay "$SEED"
expect_fail "replay -o /dev/full" "$IOSPY" -o /dev/full --replay "$SEED"
rc=0; "$IOSPY" --replay "$SEED" >/dev/full 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "report to stdout: No space left" "$T/err" ||
	fail "stdout full: exit $rc: $(cat "$T/err")"
rc=0; "$IOSPY" --replay "$SEED" >&- 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "report to stdout: it is closed" "$T/err" ||
	fail "stdout closed: exit $rc: $(cat "$T/err")"
rc=0; "$IOSPY" --json - --no-report --replay "$SEED" >&- 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && [ "$(grep -c 'cannot write' "$T/err")" = 1 ] ||
	fail "json to closed stdout: exit $rc: $(cat "$T/err")"
rc=0; "$IOSPY" --version >/dev/full 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "--version to a full stdout: exit $rc"
rc=0; "$IOSPY" --replay "$SEED" --report "$T/r.txt" 2>&- || rc=$?
[ "$rc" = 0 ] || fail "stderr closed but unused: exit $rc"

# --json - : the JSON alone on stdout (no text report anywhere)
"$IOSPY" --json - --replay "$SEED" >"$T/j.json" 2>"$T/err" || fail "json -: exit $?"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/j.json" ||
	fail "json - is not only JSON"
[ ! -s "$T/err" ] || fail "json -: text on stderr: $(cat "$T/err")"
"$IOSPY" --json - --report "$T/r.txt" --replay "$SEED" >"$T/j.json" 2>/dev/null ||
	fail "json - with --report FILE"
grep -q "iospy report" "$T/r.txt" || fail "--report FILE with --json -"
rc=0; "$IOSPY" --json - --report - --replay "$SEED" >/dev/null 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "--json - --report -: exit $rc"

# an output that cannot be opened fails before the command runs
rc=0
"$IOSPY" --json "$T/no/such/dir/x.json" -- sh -c "touch '$T/ran'" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "bad --json path: exit $rc"
[ ! -e "$T/ran" ] || fail "bad --json path: the command ran"
grep -q "cannot open JSON report" "$T/err" || fail "bad path msg: $(cat "$T/err")"
rc=0
"$IOSPY" --json "$T/ok.json" --report "$T/no/r.txt" --replay "$SEED" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "cannot open report" "$T/err" || fail "bad --report path: exit $rc"

# SIGINT during a replay: a partial report that says so, exit 130
python3 -c '
import sys
for i in range(200000):
    sys.stdout.write("100 write(3</tmp/f%d>, \"x\", 1) = 1\n" % (i % 50))' >"$T/s.log"
# through a FIFO held open: the replay never sees an end
mkfifo "$T/fifo"
"$IOSPY" --json "$T/int.json" --replay - <"$T/fifo" >"$T/int.txt" 2>"$T/int.err" &
P=$!
exec 3>"$T/fifo"
cat "$T/s.log" >&3
sleep 1
kill -INT $P
rc=0; wait $P || rc=$?
exec 3>&-
[ "$rc" = 130 ] || fail "SIGINT replay: exit $rc, not 130: $(cat "$T/int.err")"
# the line it stopped at is what was counted (the log holds one write
# per line; the pipe stays open, so the replay never reached an end)
N=$(json_get "$T/int.json" 'j["run"]["interrupted"]["line"]')
[ "$N" -gt 0 ] || fail "json interrupted: $N"
[ "$(json_get "$T/int.json" 'j["totals"]["writes"]')" = "$N" ] || fail "json writes"
grep -q "partial: interrupted by SIGINT at line $N of the log" "$T/int.txt" ||
	fail "no partial line: $(head -5 "$T/int.txt")"

# live: a full disk under each output is exit 2, the command's status said
need_ptrace
for opt in "--json /dev/full" "--report /dev/full" "-o /dev/full"; do
	# shellcheck disable=SC2086
	expect_fail "launch $opt" "$IOSPY" -q $opt -- sh -c 'echo x >/dev/null; exit 3'
	grep -q "(the command exited with 3)" "$T/err" || fail "$opt: no status: $(cat "$T/err")"
done
rc=0; "$IOSPY" -q -- true 2>/dev/full || rc=$?
[ "$rc" = 2 ] || fail "report to a full stderr: exit $rc"
# the command still finds a closed stdout closed
rc=0; "$IOSPY" -q --no-report -- sh -c 'echo x' >&- 2>/dev/null || rc=$?
[ "$rc" != 0 ] || fail "closed stdout: the command could write to it"
exit 0
