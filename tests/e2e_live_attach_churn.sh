#!/bin/sh
# Attach mode against threads that come and go: a thread that exits while
# iospy attaches is a thread that exited, not an error.  And an error on
# one -p does not drop the others: they are traced, the error is reported,
# and the exit status is 2.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
scratch

"$HELPERS/livecases" churn &
churn=$!
trap '_rc=$?; kill $churn $idle 2>/dev/null; scratch_done $_rc' EXIT
sleep 0.1
i=0
while [ $i -lt 30 ]; do
	"$IOSPY" --engine=ptrace -q --no-report --duration 0.02 -p $churn 2>"$T/err" ||
		fail "attach $i to a process making short-lived threads: $(cat "$T/err")"
	i=$((i + 1))
done
kill -0 $churn || fail "the churning process died"
grep -q '^TracerPid:[[:space:]]*0$' /proc/$churn/status ||
	fail "the churning process is still traced"

# one bad pid among good ones: a pid that no longer exists
sh -c 'exit 0' &
gone=$!
wait $gone
"$HELPERS/idle" "$T/idle" 10 &
idle=$!
i=0
while ! grep -q ready "$T/idle" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "idle did not start"; sleep 0.05
done
rc=0
"$IOSPY" --engine=ptrace -q --no-report --json "$T/r.json" --duration 0.3 -p $gone -p $idle \
	2>"$T/err2" || rc=$?
[ $rc = 2 ] || fail "a bad -p among good ones: exit $rc, want 2"
grep -q "attach to $gone: no such process" "$T/err2" ||
	fail "no message for the bad pid: $(cat "$T/err2")"
n=$(json_get "$T/r.json" "sum(f['writes']['count'] for p in j['processes'] if p['pid'] == $idle for f in p['files'])")
[ "$n" -gt 0 ] || fail "the good pid after the bad one was not traced"
echo "PASS: 30 attaches to a churning process; a bad -p keeps the others"
