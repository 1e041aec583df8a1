#!/bin/sh
# Attach mode under the real tracer: every thread is followed, signals
# reach the program's handler, and after detaching (--duration, SIGINT)
# the process runs on exactly as before: not stopped, not traced, same
# CPU affinity, still writing.  A stopped process stays stopped.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
scratch

expect() { [ "$2" = "$3" ] || fail "$1: got $2, want $3"; }

# untraced PID: no task is traced or in a tracing stop
untraced() {
	for s in /proc/"$1"/task/*/status; do
		tp=$(sed -n 's/^TracerPid:[[:space:]]*//p' "$s")
		st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "$s")
		[ "$tp" = 0 ] || fail "$s: still traced by $tp"
		[ "$st" = t ] && fail "$s: left in a tracing stop"
	done
	return 0
}

# running PID: every task sleeping or running
running() {
	for s in /proc/"$1"/task/*/status; do
		st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "$s")
		case $st in S|R) ;; *) fail "$s: state $st after detach" ;; esac
	done
}

wait_ready() {	# the helper wrote its first line
	i=0
	while ! grep -q ready "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "helper did not start"
		sleep 0.05
	done
}

pids=""
cleanup() { _rc=$?; for p in $pids; do kill -9 "$p" 2>/dev/null; done; scratch_done $_rc; }
trap cleanup EXIT

# a process with two extra threads, each writing 10 bytes every 20 ms
"$HELPERS/idle" "$T/i.out" 20 2 &
P=$!
pids="$P"
wait_ready "$T/i.out"
aff_before=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/$P/status)

rc=0
"$IOSPY" --engine=ptrace --no-report -o "$T/a.log" -p "$P" --duration 1 2>"$T/a.err" || rc=$?
expect "attach --duration: exit" "$rc" 0
kill -0 "$P" 2>/dev/null || fail "the process died"
untraced "$P"
running "$P"
for f in i.out i.out.0 i.out.1; do
	n=$(grep -cF "<$T/$f>, \"l" "$T/a.log" || true)
	[ "$n" -ge 5 ] || fail "$f: $n writes seen in 1 s, want >= 5"
	# every write seen is a whole 10-byte line (or was cut by the
	# detach: "= ?")
	bad=$(grep -F "<$T/$f>, \"l" "$T/a.log" | grep -v ' = ?$' |
	    grep -vc ' = 10$' || true)
	expect "$f: short or failed writes" "$bad" 0
done
expect "attached messages" "$(grep -c 'attached' "$T/a.err")" 3
expect "detached messages" "$(grep -c 'detached' "$T/a.err")" 3
# still writing after the detach
s1=$(wc -c <"$T/i.out")
sleep 0.3
s2=$(wc -c <"$T/i.out")
[ "$s2" -gt "$s1" ] || fail "no writes after detach ($s1 -> $s2)"

# SIGUSR1 sent while traced reaches the handler; SIGINT detaches
"$IOSPY" --engine=ptrace -q --no-report -o "$T/b.log" -p "$P" 2>"$T/b.err" &
I=$!
sleep 0.4
kill -USR1 "$P"
sleep 0.3
kill -INT "$I"
rc=0
wait "$I" || rc=$?
expect "SIGINT: exit" "$rc" 0
untraced "$P"
running "$P"
grep -q -- '--- SIGUSR1' "$T/b.log" || fail "no SIGUSR1 line"
sleep 0.2
tail -n 1 "$T/i.out" | grep -q '^l00000001$' || fail "handler did not run: $(tail -n 1 "$T/i.out")"

# --pin: the affinity is restored on detach
rc=0
"$IOSPY" --engine=ptrace -q --no-report --pin -p "$P" --duration 0.5 || rc=$?
expect "--pin: exit" "$rc" 0
untraced "$P"
for s in /proc/"$P"/task/*/status; do
	a=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$s")
	expect "$s: affinity after --pin" "$a" "$aff_before"
done

# a stopped process stays stopped, then continues
kill -STOP "$P"
sleep 0.1
rc=0
"$IOSPY" --engine=ptrace -q --no-report -p "$P" --duration 0.5 || rc=$?
expect "stopped: exit" "$rc" 0
untraced "$P"
st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/$P/status)
expect "state after detaching a stopped process" "$st" T
kill -CONT "$P"
sleep 0.2
running "$P"
s1=$(wc -c <"$T/i.out")
sleep 0.3
s2=$(wc -c <"$T/i.out")
[ "$s2" -gt "$s1" ] || fail "no writes after SIGCONT"

# an idle process costs (almost) no CPU while traced
"$HELPERS/idle" "$T/z.out" 0 &
Z=$!
pids="$pids $Z"
wait_ready "$T/z.out"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%U %S' -o "$T/time" "$IOSPY" --engine=ptrace -q --no-report -p "$Z" --duration 1
	cpu=$(awk '{ print ($1 + $2) * 1000 }' "$T/time")
	[ "${cpu%.*}" -lt 200 ] || fail "idle process: iospy used $cpu ms CPU in 1 s"
fi

# errors that say what to do
rc=0
"$IOSPY" --engine=ptrace -q --no-report -p 999999999 2>"$T/err" || rc=$?
[ "$rc" != 0 ] || fail "attach to a missing pid succeeded"
grep -q 'no such process' "$T/err" || fail "missing pid: $(cat "$T/err")"
if command -v strace >/dev/null 2>&1; then
	strace -qq -o /dev/null -p "$Z" &
	S=$!
	pids="$pids $S"
	i=0
	while [ "$(sed -n 's/^TracerPid:[[:space:]]*//p' /proc/$Z/status)" = 0 ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "strace did not attach"
		sleep 0.05
	done
	rc=0
	"$IOSPY" --engine=ptrace -q --no-report -p "$Z" 2>"$T/err" || rc=$?
	[ "$rc" != 0 ] || fail "attach to a traced pid succeeded"
	grep -q "already traced by $S (strace)" "$T/err" || fail "traced pid: $(cat "$T/err")"
	kill "$S"
	wait "$S" 2>/dev/null
fi
exit 0
