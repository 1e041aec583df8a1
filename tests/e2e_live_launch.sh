#!/bin/sh
# Launch mode under the real tracer: helpers make known calls, the -o event
# log (strace format) must hold exactly those calls, per file, with the
# right byte counts; exit statuses come through as a shell gives them.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
scratch

# nwrites LOG PATH [deleted]: write-class lines to PATH (deleted or not)
nwrites() {
	if [ "${3:-}" = deleted ]; then
		grep -F "<$2>(deleted), " "$1" | grep -cE '^[0-9]+ +(write|pwrite64|writev|pwritev2?)\(' || true
	else
		grep -F "<$2>, " "$1" | grep -cE '^[0-9]+ +(write|pwrite64|writev|pwritev2?)\(' || true
	fi
}

# nbytes LOG PATH: the sum of the results of write-class lines to PATH
nbytes() {
	grep -F "<$2>" "$1" | grep -E '^[0-9]+ +(write|pwrite64|writev|pwritev2?)\(' |
	    sed 's/.* = \([0-9-]*\).*/\1/' | awk '{ s += $1 } END { print s + 0 }'
}

# expect WHAT GOT WANT
expect() { [ "$2" = "$3" ] || fail "$1: got $2, want $3"; }

run() {	# run LOG ARGS...: iospy -o LOG ARGS, status in $rc
	log=$1
	shift
	rc=0
	"$IOSPY" --engine=ptrace -q --no-report -o "$log" "$@" >"$T/stdout" 2>"$T/stderr" || rc=$?
}

W="$HELPERS/writer"

# single-threaded, the three write calls
for mode in write pwrite writev; do
	run "$T/$mode.log" "$W" "$T/$mode.out" 40 100 "$mode"
	expect "$mode: exit" "$rc" 0
	expect "$mode: calls" "$(nwrites "$T/$mode.log" "$T/$mode.out")" 40
	expect "$mode: bytes" "$(nbytes "$T/$mode.log" "$T/$mode.out")" 4000
	expect "$mode: file" "$(wc -c <"$T/$mode.out")" 4000
done
grep -q 'pwrite64(' "$T/pwrite.log" || fail "no pwrite64 line"
grep -q 'writev(' "$T/writev.log" || fail "no writev line"
# the first line is the command's execve; the last its exit
head -n 1 "$T/write.log" | grep -q "execve(\"$W\"" || fail "first line: $(head -n 1 "$T/write.log")"
tail -n 1 "$T/write.log" | grep -q '+++ exited with 0 +++' || fail "last line: $(tail -n 1 "$T/write.log")"

# -s: the buffer preview, strace style
run "$T/s5.log" -s 5 "$W" "$T/s5.out" 2 100
grep -qF "<$T/s5.out>, \"abcde\"..., 100) = 100" "$T/s5.log" || fail "-s 5: $(grep s5.out "$T/s5.log")"
run "$T/s0.log" -s 0 "$W" "$T/s0.out" 1 10
grep -qF "<$T/s0.out>, \"\"..., 10) = 10" "$T/s0.log" || fail "-s 0: $(grep s0.out "$T/s0.log")"

# 8 MiB in one call and in 4 KiB calls (the CI guard's two cases)
run "$T/big.log" "$W" "$T/big.out" 1 8388608
expect "8 MiB call" "$(nwrites "$T/big.log" "$T/big.out")" 1
expect "8 MiB bytes" "$(nbytes "$T/big.log" "$T/big.out")" 8388608
run "$T/small.log" "$W" "$T/small.out" 2048 4096
expect "4 KiB calls" "$(nwrites "$T/small.log" "$T/small.out")" 2048
expect "4 KiB bytes" "$(nbytes "$T/small.log" "$T/small.out")" 8388608

# threads: every thread followed, each file exact
mkdir "$T/th"
run "$T/th.log" "$HELPERS/threads" "$T/th" 4 50 64
expect "threads: exit" "$rc" 0
for i in 0 1 2 3; do
	expect "thread $i calls" "$(nwrites "$T/th.log" "$T/th/t$i.out")" 50
	expect "thread $i bytes" "$(nbytes "$T/th.log" "$T/th/t$i.out")" 3200
done
expect "main thread" "$(nbytes "$T/th.log" "$T/th/main.out")" 5
expect "thread exits" "$(grep -c '+++ exited with 0 +++' "$T/th.log")" 5
grep -q 'CLONE_THREAD' "$T/th.log" || fail "no clone(CLONE_THREAD) line"

# fork + exec
mkdir "$T/fe"
run "$T/fe.log" "$HELPERS/forkexec" "$T/fe" "$W"
expect "forkexec: exit" "$rc" 0
expect "parent" "$(nbytes "$T/fe.log" "$T/fe/parent.out")" 300
expect "child before exec" "$(nwrites "$T/fe.log" "$T/fe/child.out")" 5
expect "child after exec" "$(nwrites "$T/fe.log" "$T/fe/exec.out")" 7
expect "child after exec bytes" "$(nbytes "$T/fe.log" "$T/fe/exec.out")" 140
expect "two execve" "$(grep -c 'execve(' "$T/fe.log")" 2

# vfork + exec
mkdir "$T/vf"
run "$T/vf.log" "$HELPERS/forkexec" "$T/vf" "$W" vfork
expect "vfork: exit" "$rc" 0
grep -q 'vfork()' "$T/vf.log" || fail "no vfork line"
expect "vfork child" "$(nbytes "$T/vf.log" "$T/vf/exec.out")" 140

# rotation: rename, reopen, unlink
mkdir "$T/ro"
run "$T/ro.log" "$HELPERS/rotate" "$T/ro" 2 3 100
expect "rotate: exit" "$rc" 0
expect "rotate: writes" "$(nwrites "$T/ro.log" "$T/ro/app.log")" 7
expect "rotate: bytes" "$(nbytes "$T/ro.log" "$T/ro/app.log")" 601
expect "renames" "$(grep -c "rename(\"$T/ro/app.log\", \"$T/ro/app.log.[12]\") = 0" "$T/ro.log")" 2
expect "unlinks" "$(grep -c "unlink(\"$T/ro/app.log.[12]\") = 0" "$T/ro.log")" 2

# writes into a deleted file
mkdir "$T/de"
run "$T/de.log" "$HELPERS/deleted" "$T/de" 3 100
expect "before unlink" "$(nwrites "$T/de.log" "$T/de/gone.log")" 1
expect "after unlink" "$(nwrites "$T/de.log" "$T/de/gone.log" deleted)" 3

# a SIGUSR1 handler keeps working; the log shows the signals
run "$T/sig.log" "$HELPERS/sigusr" "$T/sig.out" 3
expect "sigusr: exit" "$rc" 0
expect "sigusr: handled" "$(tail -n 1 "$T/sig.out")" "got 3"
expect "signal lines" "$(grep -c -- '--- SIGUSR1 {si_signo=SIGUSR1' "$T/sig.log")" 3

# job control: a command that stops itself stays stopped until SIGCONT (needs pgrep)
if command -v pgrep >/dev/null 2>&1; then
	"$IOSPY" --engine=ptrace -q --no-report -o "$T/jc.log" sh -c "echo before >'$T/jc.out'; kill -STOP \$\$; echo after >>'$T/jc.out'" &
	I=$!
	i=0
	C=
	while :; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "job control: the command did not stop"
		sleep 0.05
		[ -n "$C" ] || C=$(pgrep -P "$I" 2>/dev/null | head -n 1)
		[ -n "$C" ] || continue
		st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/"$C"/status 2>/dev/null)
		case $st in t|T) break ;; esac
	done
	sleep 0.2
	[ "$(cat "$T/jc.out")" = before ] || fail "job control: ran on while stopped"
	kill -CONT "$C"
	rc=0
	wait "$I" || rc=$?
	expect "job control: exit" "$rc" 0
	expect "job control: output" "$(tr '\n' ' ' <"$T/jc.out")" "before after "
	grep -q -- '--- SIGCONT' "$T/jc.log" || fail "no SIGCONT line"
fi

# exit statuses as a shell gives them
run "$T/x.log" sh -c 'exit 7'
expect "exit 7" "$rc" 7
run "$T/x.log" sh -c 'kill -TERM $$'
expect "killed by SIGTERM" "$rc" 143
grep -q '+++ killed by SIGTERM +++' "$T/x.log" || fail "no killed line"
run "$T/x.log" iospy-no-such-command-here
expect "command not found" "$rc" 127
grep -q 'iospy-no-such-command-here: command not found' "$T/stderr" || fail "message: $(cat "$T/stderr")"

# the command's own output is untouched
run "$T/x.log" sh -c 'echo hello; echo err >&2'
expect "stdout" "$(cat "$T/stdout")" hello
grep -q '^err$' "$T/stderr" || fail "stderr lost"

# the same counts without the seccomp filter, and in every waiting mode
for opt in --no-seccomp --wait=spin --wait=block --pin; do
	run "$T/o.log" $opt "$W" "$T/o.out" 30 10
	expect "$opt: exit" "$rc" 0
	expect "$opt: calls" "$(nwrites "$T/o.log" "$T/o.out")" 30
	expect "$opt: bytes" "$(nbytes "$T/o.log" "$T/o.out")" 300
done

# the JSON report agrees (per process and file)
files() {	# files JSON PATH EXPR: EXPR on the file record of PATH
	json_get "$1" "[f$3 for p in j['processes'] for f in p['files'] if f['path'] == '$2'][0]"
}
rm -rf "$T/th"
mkdir "$T/th"
rc=0
"$IOSPY" --engine=ptrace -q --no-report --json "$T/th.json" "$HELPERS/threads" "$T/th" 3 20 64 || rc=$?
expect "json threads: exit" "$rc" 0
for i in 0 1 2; do
	expect "json t$i writes" "$(files "$T/th.json" "$T/th/t$i.out" "['writes']['count']")" 20
	expect "json t$i bytes" "$(files "$T/th.json" "$T/th/t$i.out" "['writes']['bytes']")" 1280
done
expect "json: one process for the threads" "$(json_get "$T/th.json" "len(j['processes'])")" 1
rm -rf "$T/de"
mkdir "$T/de"
"$IOSPY" --engine=ptrace -q --no-report --pin --json "$T/de.json" "$HELPERS/deleted" "$T/de" 4 50 || fail "deleted under --pin"
expect "json after unlink" "$(files "$T/de.json" "$T/de/gone.log" "['deleted_while_open']['bytes_after_unlink']")" 200
expect "json pinned" "$(json_get "$T/de.json" "j['run']['pinned']")" True
mkdir "$T/fe2"
"$IOSPY" --engine=ptrace -q --no-report --json "$T/fe.json" "$HELPERS/forkexec" "$T/fe2" "$W" || fail "forkexec --json"
expect "json processes" "$(json_get "$T/fe.json" "len(j['processes'])")" 2
expect "json exec.out" "$(files "$T/fe.json" "$T/fe2/exec.out" "['writes']['bytes']")" 140

# stop requests (SIGINT to iospy alone).  Under the filter the command
# gets a grace period, then SIGTERM: iospy exits with its status.
"$IOSPY" --engine=ptrace -q --no-report -o "$T/int.log" sleep 30 &
I=$!
sleep 0.3
kill -INT "$I"
rc=0
wait "$I" || rc=$?
expect "SIGINT under the filter: status" "$rc" 143
grep -q '+++ killed by SIGTERM +++' "$T/int.log" || fail "SIGINT: $(tail -n 2 "$T/int.log")"
# without the filter iospy detaches and the command runs on
if command -v pgrep >/dev/null 2>&1; then
	"$IOSPY" --engine=ptrace -q --no-report --no-seccomp sleep 30 &
	I=$!
	sleep 0.3
	C=$(pgrep -P "$I" | head -n 1)
	kill -INT "$I"
	wait "$I"
	[ -n "$C" ] && kill -0 "$C" 2>/dev/null || fail "--no-seccomp SIGINT: the command died"
	tp=$(sed -n 's/^TracerPid:[[:space:]]*//p' /proc/"$C"/status)
	expect "--no-seccomp SIGINT: tracer" "$tp" 0
	kill "$C"
fi

# --events prints the same lines to stderr
rc=0
"$IOSPY" --engine=ptrace -q --no-report --events "$W" "$T/e.out" 3 10 2>"$T/e.err" || rc=$?
expect "--events: exit" "$rc" 0
expect "--events: lines" "$(nwrites "$T/e.err" "$T/e.out")" 3
exit 0
