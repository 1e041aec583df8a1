#!/bin/sh
# strace's output and launch flags mean what they mean in the installed
# strace: -c/-C (the summary table), -x/-xx (hex strings), -r (relative
# times), -E (environment), -u (user), -D (refused, with why).
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd strace
scratch

W="$T/w"
HELPER="$HELPERS/replay_workload"
[ -x "$HELPER" ] || fail "no helper $HELPER"
mkdir -p "$W"

# -c: strace's header and rules; the same calls and errors for the write
# calls as strace counts
strace -f -c -w -o "$T/s.c" "$HELPER" "$W" >/dev/null 2>&1 || fail "strace -c failed"
rm -rf "$W" && mkdir -p "$W"
"$IOSPY" --engine=ptrace -q --no-report -c -o "$T/i.c" -- "$HELPER" "$W" >/dev/null 2>"$T/i.err" ||
    fail "iospy -c: $(cat "$T/i.err")"
[ "$(sed -n 1p "$T/s.c")" = "$(sed -n 1p "$T/i.c")" ] || fail "-c header: $(sed -n 1p "$T/i.c")"
[ "$(sed -n 2p "$T/s.c")" = "$(sed -n 2p "$T/i.c")" ] || fail "-c rule: $(sed -n 2p "$T/i.c")"
grep -q ' total$' "$T/i.c" || fail "-c: no total line: $(cat "$T/i.c")"
grep -q '^[0-9][0-9]* ' "$T/i.c" && fail "-c: event lines in the table file"
for sc in write writev pwrite64; do
	s=$(awk -v n="$sc" '$NF == n { print $4, ($6 == n ? 0 : $5) }' "$T/s.c")
	i=$(awk -v n="$sc" '$NF == n { print $4, ($6 == n ? 0 : $5) }' "$T/i.c")
	[ -n "$s" ] || continue
	[ "$s" = "$i" ] || fail "-c $sc: strace '$s', iospy '$i'"
done
# -C: the lines, then the table
rm -rf "$W" && mkdir -p "$W"
"$IOSPY" --engine=ptrace -q --no-report -C -o "$T/i.C" -- "$HELPER" "$W" >/dev/null 2>&1 ||
    fail "iospy -C failed"
grep -q '^[0-9][0-9]* *write(' "$T/i.C" || fail "-C: no event lines"
tail -n 1 "$T/i.C" | grep -q ' total$' || fail "-C: the table is not at the end"
# replayed without -T: calls and errors, said so
"$IOSPY" --no-report -c --replay "$T/i.C" 2>"$T/r.c" >/dev/null || fail "replay -c failed"
grep -q 'without -T' "$T/r.c" || fail "replay -c: no note on the missing times: $(cat "$T/r.c")"

# -x and -xx: the same strings as strace's
mask='s/^[0-9]* *//; s/  */ /g'
for x in -x -xx; do
	strace $x -f -e trace=write -o "$T/s$x" /bin/echo "é a" >/dev/null || fail "strace $x"
	"$IOSPY" --engine=ptrace -q --no-report $x -o "$T/i$x" -- /bin/echo "é a" >/dev/null 2>&1 ||
	    fail "iospy $x"
	s=$(grep 'write(1' "$T/s$x" | sed "$mask")
	i=$(grep 'write(1' "$T/i$x" | sed 's/1<[^>]*>/1/' | sed "$mask")
	[ "$s" = "$i" ] || fail "$x: strace '$s', iospy '$i'"
done

# -r: seconds.microseconds since the previous line; after -t as (+ ...)
"$IOSPY" --engine=ptrace -q --no-report -r -o "$T/r.log" -- true 2>/dev/null || fail "-r"
head -n 1 "$T/r.log" | grep -Eq '^[0-9]+ +0\.000000 execve\(' || fail "-r: $(head -n 1 "$T/r.log")"
sed -n 2p "$T/r.log" | grep -Eq '^[0-9]+ +[0-9]+\.[0-9]{6} [a-z]' || fail "-r: $(sed -n 2p "$T/r.log")"
"$IOSPY" --engine=ptrace -q --no-report -tt -r -o "$T/tr.log" -- true 2>/dev/null || fail "-tt -r"
head -n 1 "$T/tr.log" | grep -Eq '^[0-9]+ +[0-9:]{8}\.[0-9]{6} \(\+ +0\.000000\) execve\(' ||
    fail "-tt -r: $(head -n 1 "$T/tr.log")"
"$IOSPY" --no-report --json "$T/tr.json" --replay "$T/tr.log" 2>"$T/tr.err" >/dev/null ||
    fail "replay of -tt -r: $(cat "$T/tr.err")"

# -E: set, unset, in order
out=$(IOSPY_T_A=1 IOSPY_T_B=2 "$IOSPY" --engine=ptrace -q --no-report -E IOSPY_T_A \
    -E IOSPY_T_C=x=y -E IOSPY_T_B=3 -- sh -c 'echo "${IOSPY_T_A-unset} $IOSPY_T_B $IOSPY_T_C"' 2>/dev/null)
[ "$out" = "unset 3 x=y" ] || fail "-E: '$out'"

# -u: the user's uid, gid and groups (root only); a clear error otherwise
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	want=$(id nobody)
	got=$("$IOSPY" --engine=ptrace -q --no-report -u nobody -- id 2>"$T/u.err") ||
	    fail "-u nobody: $(cat "$T/u.err")"
	[ "$got" = "$want" ] || fail "-u nobody: '$got', want '$want'"
	if command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$IOSPY" -u nobody true \
		    2>"$T/u2.err" && fail "-u as non-root succeeded"
		grep -q 'needs root' "$T/u2.err" || fail "-u as non-root: $(cat "$T/u2.err")"
	fi
fi
"$IOSPY" -u iospy-no-such-user true 2>"$T/u3.err" && fail "-u unknown user succeeded"
grep -q 'no such user' "$T/u3.err" || fail "-u unknown: $(cat "$T/u3.err")"

# the write latency per file, from -T times: a finding at p99 >= 100 ms
# over at least 10 writes to a regular file, never for a pipe (its writer
# waits for the reader)
{
	echo '100 openat(AT_FDCWD, "/tmp/logtest.txt", O_WRONLY|O_CREAT|O_APPEND, 0644) = 3 <0.000010>'
	echo '100 pipe2([4, 5], 0) = 0 <0.000005>'
	i=0
	while [ $i -lt 12 ]; do
		echo '100 write(3, "x", 1) = 1 <1.200000>'
		echo '100 write(5, "x", 1) = 1 <1.200000>'
		i=$((i + 1))
	done
	echo '100 +++ exited with 0 +++'
} >"$T/slow.log"
"$IOSPY" --json "$T/slow.json" --replay "$T/slow.log" >"$T/slow.txt" 2>&1 || fail "slow replay: $(cat "$T/slow.txt")"
grep -q 'writes to /tmp/logtest.txt take 1.2 s each at p99' "$T/slow.txt" ||
    fail "no latency finding: $(cat "$T/slow.txt")"
grep -q 'latency    min 1.2 s, median 1.2 s, p99 1.2 s, max 1.2 s (12 timed writes)' "$T/slow.txt" ||
    fail "no latency line: $(cat "$T/slow.txt")"
grep 'take' "$T/slow.txt" | grep -q 'pipe' && fail "a latency finding for a pipe"
python3 - "$T/slow.json" <<'PY' || fail "latency JSON"
import json, sys
j = json.load(open(sys.argv[1]))
f = [f for p in j["processes"] for f in p["files"] if f["path"] == "/tmp/logtest.txt"][0]
l = f["latency"]
assert l["timed"] == 12 and l["min_ns"] == 1200000000 and l["max_ns"] == 1200000000, l
assert l["notable"] is True, l
PY
"$IOSPY" --notable-latency 2 --replay "$T/slow.log" 2>&1 | grep -q 'each at p99' &&
    fail "--notable-latency 2 still finds 1.2 s"
sed 's/ <[0-9.]*>$//' "$T/slow.log" >"$T/untimed.log"
"$IOSPY" --json "$T/untimed.json" --replay "$T/untimed.log" >"$T/untimed.txt" 2>&1 || fail "untimed replay"
grep -q 'latency ' "$T/untimed.txt" && fail "a latency line without times"

# --duration in launch mode: the trace ends, the command runs on to its
# end (every one of its writes happens), the report covers the traced part.
# The command runs 8 s of sleeps, the trace 0.5 s: no tighter timing.
dur_case() {	# dur_case NAME ENGINE-OPTIONS...
	name=$1
	shift
	rm -f "$T/d.out" "$T/d.done"
	rc=0
	"$IOSPY" "$@" -q --no-report --json "$T/$name.json" --duration 0.5 -- sh -c \
	    'i=0; while [ $i -lt 80 ]; do echo $i >>"$0"; i=$((i+1)); sleep 0.1; done; echo ok >"$1"' \
	    "$T/d.out" "$T/d.done" 2>"$T/$name.err" || rc=$?
	[ "$rc" = 0 ] || fail "--duration $name: exit $rc: $(cat "$T/$name.err")"
	grep -q -- '--duration 0.5 s passed' "$T/$name.err" || fail "--duration $name: $(cat "$T/$name.err")"
	n=0
	while [ ! -s "$T/d.done" ] && [ $n -lt 600 ]; do sleep 0.2; n=$((n + 1)); done
	[ -s "$T/d.done" ] || fail "--duration $name: the command did not run to its end"
	[ "$(wc -l <"$T/d.out")" = 80 ] || fail "--duration $name: the command wrote $(wc -l <"$T/d.out") lines, not 80"
	got=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(sum(f["writes"]["count"] for p in j["processes"] for f in p["files"] if f["path"] == sys.argv[2]))' "$T/$name.json" "$T/d.out")
	[ "$got" -ge 1 ] && [ "$got" -lt 80 ] || fail "--duration $name: $got traced writes"
}
dur_case ptrace --engine=ptrace
grep -q 'nothing was recorded after it' "$T/ptrace.err" || fail "--duration ptrace: $(cat "$T/ptrace.err")"
dur_case noseccomp --engine=ptrace --no-seccomp
grep -q 'detached, the command runs on' "$T/noseccomp.err" || fail "--duration --no-seccomp: $(cat "$T/noseccomp.err")"
if "$IOSPY" --engine=bpf -q --no-report -- true 2>/dev/null; then
	dur_case bpf --engine=bpf
	grep -q 'detached, the command runs on' "$T/bpf.err" || fail "--duration bpf: $(cat "$T/bpf.err")"
fi

# -D: refused, saying why
rc=0
"$IOSPY" -D true 2>"$T/d.err" || rc=$?
[ "$rc" = 2 ] || fail "-D: exit $rc"
grep -q 'iospy stays the command' "$T/d.err" || fail "-D: $(cat "$T/d.err")"
exit 0
