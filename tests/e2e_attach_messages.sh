#!/bin/sh
# e2e_attach_messages: -p of what cannot be traced says what it is and
# exits 2 (a zombie with its parent, a kernel thread, a process another
# tracer holds, one iospy's user may not trace), and the report of an
# attach names the children started before it, with the -p to add them.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
scratch
pids=
trap '_rc=$?; for p in $pids; do kill -9 $p 2>/dev/null; done; scratch_done $_rc' EXIT

state() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1; }
kids() { cat /proc/"$1"/task/*/children 2>/dev/null | tr -s " " "\n" | grep .; }
# wait_for CMD...: until CMD succeeds (at most 20 s)
wait_for() {
	_i=0
	until "$@"; do
		_i=$((_i + 1))
		[ $_i -lt 400 ] || fail "timed out waiting for: $*"
		sleep 0.05
	done
}

# --- a zombie: a child its parent (sleep, after the exec) never reaps
sh -c 'true & exec sleep 60' &
P=$!
pids="$pids $P"
zombie_ready() { Z=$(kids $P | head -n 1); [ -n "$Z" ] && [ "$(state "$Z")" = Z ]; }
wait_for zombie_ready
for eng in auto ptrace; do
	rc=0
	"$IOSPY" --engine=$eng -p "$Z" --duration 1 >"$T/z.out" 2>"$T/z.err" || rc=$?
	[ $rc = 2 ] || fail "zombie ($eng): exit $rc, want 2: $(cat "$T/z.err")"
	grep -q "cannot attach to $Z (.*): it is a zombie (exited, not yet reaped by its parent $P (sleep))" "$T/z.err" ||
	    fail "zombie ($eng): $(cat "$T/z.err")"
	grep -q "No process was seen" "$T/z.err" && fail "zombie ($eng): a report"
done
echo "PASS: zombie: $(cat "$T/z.err")"

# the zombie and its live parent: the parent is traced, exit 2 for the zombie
rc=0
"$IOSPY" --engine=ptrace -q -p "$Z" -p "$P" --duration 0.2 --json "$T/zp.json" \
    >/dev/null 2>"$T/zp.err" || rc=$?
[ $rc = 2 ] || fail "zombie + parent: exit $rc"
grep -q "it is a zombie.*; tracing the other pids" "$T/zp.err" || fail "zombie + parent: $(cat "$T/zp.err")"
[ "$(json_get "$T/zp.json" '[p["pid"] for p in j["processes"]]')" = "[$P]" ] ||
    fail "zombie + parent: the parent is not in the report"
# the zombie is no untraced child of its parent: it writes nothing more
[ "$(json_get "$T/zp.json" 'j["run"]["untraced_children"]["count"]')" = 0 ] ||
    fail "zombie + parent: the zombie counted as an untraced child"

# --- a kernel thread (the first one /proc shows, if any)
K=$(for f in /proc/[0-9]*/stat; do
	awk '{ sub(/.*\) /, ""); if (int($7 / 2097152) % 2) { print FILENAME; exit } }' "$f" 2>/dev/null
    done | head -n 1 | cut -d/ -f3)
if [ -n "$K" ]; then
	rc=0
	"$IOSPY" -p "$K" --duration 1 >/dev/null 2>"$T/k.err" || rc=$?
	[ $rc = 2 ] || fail "kernel thread $K: exit $rc"
	grep -q "cannot attach to $K (.*): it is a kernel thread" "$T/k.err" ||
	    fail "kernel thread: $(cat "$T/k.err")"
	echo "PASS: kernel thread: $(cat "$T/k.err")"
else
	echo "(no kernel thread visible in this pid namespace: not checked)"
fi

# --- already traced by another tracer (strace)
if command -v strace >/dev/null 2>&1; then
	strace -qq -o /dev/null sleep 60 &
	S=$!
	pids="$pids $S"
	traced() { C=$(kids $S | head -n 1); [ -n "$C" ] &&
	    grep -q "^TracerPid:[[:space:]]*$S\$" /proc/"$C"/status 2>/dev/null; }
	wait_for traced
	rc=0
	"$IOSPY" --engine=ptrace -p "$C" --duration 1 >/dev/null 2>"$T/s.err" || rc=$?
	[ $rc = 2 ] || fail "traced: exit $rc"
	grep -q "cannot attach to $C (sleep): already traced by $S (strace)" "$T/s.err" ||
	    fail "traced: $(cat "$T/s.err")"
	echo "PASS: already traced: $(cat "$T/s.err")"
	kill $S 2>/dev/null
fi

# --- not the process's owner (as nobody, when root can drop to it)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$IOSPY" 2>/dev/null; then
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$IOSPY" --engine=ptrace -p "$P" --duration 1 >/dev/null 2>"$T/n.err" || rc=$?
	[ $rc = 2 ] || fail "as nobody: exit $rc"
	grep -q "cannot attach to $P (sleep): Operation not permitted: it belongs to uid 0" "$T/n.err" ||
	    fail "as nobody: $(cat "$T/n.err")"
	# yama is named only where it exists
	if [ ! -e /proc/sys/kernel/yama/ptrace_scope ] && grep -q yama "$T/n.err"; then
		fail "as nobody: yama named where there is none"
	fi
	echo "PASS: as nobody: $(cat "$T/n.err")"
fi

# --- children started before the attach: named, with the -p to add them
sh -c 'sleep 60 & while :; do echo x >"$0"; sleep 0.02; done' "$T/loop.out" &
L=$!
pids="$pids $L"
sleeper_60() { SL=; for c in $(kids $L); do
	[ "$(tr '\0' ' ' </proc/$c/cmdline 2>/dev/null)" = "sleep 60 " ] && SL=$c; done
	[ -n "$SL" ]; }
wait_for sleeper_60
pids="$pids $SL"
rc=0
"$IOSPY" --engine=ptrace -q -p "$L" --duration 0.3 --report "$T/c.txt" \
    --json "$T/c.json" 2>"$T/c.err" || rc=$?
[ $rc = 0 ] || fail "children: exit $rc: $(cat "$T/c.err")"
grep -q "^Not traced: .* started before the attach" "$T/c.txt" || fail "children: no note: $(cat "$T/c.txt")"
grep -q "^  $SL (sleep), child of $L\$" "$T/c.txt" || fail "children: $SL not named: $(cat "$T/c.txt")"
grep -q "^  to trace them too, add.* -p $SL" "$T/c.txt" || fail "children: no -p $SL"
[ "$(json_get "$T/c.json" "$SL in [c['pid'] for c in j['run']['untraced_children']['shown']]")" = True ] ||
    fail "children: not in the JSON"
# with -p CHILD too, it is traced and not listed
"$IOSPY" --engine=ptrace -q -p "$L" -p "$SL" --duration 0.2 --json "$T/c2.json" \
    --no-report 2>/dev/null || fail "children with -p CHILD"
[ "$(json_get "$T/c2.json" "$SL in [c['pid'] for c in j['run']['untraced_children']['shown']]")" = False ] ||
    fail "children: listed though traced"
echo "PASS: children: $(grep -A3 '^Not traced' "$T/c.txt" | tr '\n' ' ')"
