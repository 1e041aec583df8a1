#!/bin/sh
# strace's filters (-e trace=/status=/signal=, -z, -Z, -P PATH, -y, -yy)
# mean what strace means, for a replayed strace log and for a launched
# command alike: the classes select the calls strace selects (checked
# against the installed strace itself), filtered-out calls are not counted
# but the fds of the counted ones still resolve to their paths, -P keeps
# the report to one file, and in launch mode the seccomp filter stops on
# fewer calls when -e trace= narrows them.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd strace
need_cmd python3
scratch

cat >"$T/work.py" <<'PY'
import mmap, os, signal, sys
d = sys.argv[1]
a = os.open(d + "/a.log", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
b = os.open(d + "/b.log", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
for i in range(5):
    os.write(a, b"x" * 100)
for i in range(3):
    os.write(b, b"y" * 10)
os.writev(b, [b"z", b"z"])
for i in range(150):
    m = mmap.mmap(-1, 1 << 16)
    m.close()
os.fsync(a)
try:
    os.open(d + "/missing/nope", os.O_RDONLY)
except OSError:
    pass
signal.signal(signal.SIGUSR1, lambda *x: None)
os.kill(os.getpid(), signal.SIGUSR1)
os.close(a)
os.close(b)
PY
W="$T/w"
mkdir -p "$W"
strace -f -y -o "$T/full.log" python3 "$T/work.py" "$W" ||
	fail "strace could not record the workload"

# names FILE: the call names of a strace-format log
names() {
	grep -v -e '^[0-9]* *+++' -e '^[0-9]* *---' "$1" |
	    sed -E 's/^[0-9]+ +//; s/^<\.\.\. ([a-z0-9_]+) resumed>.*/\1/; s/\(.*//; s/ .*//' |
	    sort -u
}

# 1. replay: every class selects what strace selects (among the calls
#    iospy decodes: the names of the unfiltered replay)
"$IOSPY" --replay "$T/full.log" -o "$T/all.out" >/dev/null ||
	fail "plain replay failed"
names "$T/all.out" >"$T/decoded"
for set in %file %desc %memory %process %network %signal '!%desc' \
    write,close '/^pwri' '%%stat' 'mmap@64' '?nosuch,fsync'; do
	strace -f -y -e trace="$set" -o "$T/s.log" python3 "$T/work.py" "$W" ||
		fail "strace -e trace=$set failed"
	"$IOSPY" --replay "$T/full.log" -e trace="$set" -o "$T/i.log" \
	    >/dev/null || fail "iospy -e trace=$set failed"
	want=$(names "$T/s.log" | grep -Fx -f "$T/decoded" | tr '\n' ' ')
	got=$(names "$T/i.log" | tr '\n' ' ')
	[ "$want" = "$got" ] ||
		fail "-e trace=$set: strace selects [$want], iospy [$got]"
done

# the same for -e status=, -z, -Z and -P: the calls strace shows
for flt in "-e status=unfinished" "-e status=failed" -z -Z "-P $W/b.log" \
    "-P $W/a.log -e trace=%desc"; do
	# shellcheck disable=SC2086
	strace -f -y $flt -o "$T/s.log" python3 "$T/work.py" "$W" ||
		fail "strace $flt failed"
	# shellcheck disable=SC2086
	"$IOSPY" --replay "$T/full.log" $flt -o "$T/i.log" >/dev/null ||
		fail "iospy $flt failed"
	want=$(names "$T/s.log" | grep -Fx -f "$T/decoded" | tr '\n' ' ')
	got=$(names "$T/i.log" | tr '\n' ' ')
	[ "$want" = "$got" ] || fail "$flt: strace shows [$want], iospy [$got]"
done

# check NAME JSON: -e trace=write counts the 8 write() calls only, with
# their paths resolved (the opens were filtered out of the counts, not out
# of the fd tables)
check_write_only() {
	python3 - "$1" "$2" "$W" <<'PY' || fail "$1: -e trace=write counts are wrong"
import json, sys
name, path, w = sys.argv[1:4]
j = json.load(open(path))
files = {}
for p in j["processes"]:
    for f in p["files"]:
        files[f["path"]] = files.get(f["path"], 0) + f["writes"]["count"]
a, b = files.get(w + "/a.log"), files.get(w + "/b.log")
ok = a == 5 and b == 3 and j["totals"]["writes"] >= 8
flt = j["run"]["filter"]
ok = ok and flt is not None and flt["strace_args"] == "-e trace=write"
if not ok:
    print(name, "files", files, "totals", j["totals"], "filter", flt)
    sys.exit(1)
PY
}

"$IOSPY" --replay "$T/full.log" -e trace=write --json "$T/r.json" \
    >"$T/r.txt" || fail "replay -e trace=write failed"
check_write_only "replay" "$T/r.json"
grep -q "Filter: -e trace=write (other calls not counted" "$T/r.txt" ||
	fail "the text report does not say what was filtered"

# 2. live launch, the same
rc=0
"$IOSPY" --engine=ptrace -q -e trace=write --json "$T/l.json" \
    -o "$T/l.log" python3 "$T/work.py" "$W" 2>"$T/l.err" || rc=$?
[ "$rc" = 0 ] || { cat "$T/l.err"; fail "launch -e trace=write: exit $rc"; }
check_write_only "launch" "$T/l.json"
[ "$(names "$T/l.log" | tr '\n' ' ')" = "write " ] ||
	fail "launch -e trace=write: the event log shows $(names "$T/l.log")"
grep -q "write(3<$W/a.log>" "$T/l.log" ||
	fail "launch -e trace=write: the fd's path is not resolved"

# the narrowed seccomp filter loses none of the selected calls: a launch
# shows what strace shows, among the calls iospy decodes live
"$IOSPY" --engine=ptrace -q --no-report -o "$T/lall.log" \
    python3 "$T/work.py" "$W" 2>/dev/null || fail "plain launch failed"
names "$T/lall.log" >"$T/ldecoded"
for set in %desc %memory %process '!%desc' write,fsync; do
	strace -f -y -e trace="$set" -o "$T/s.log" python3 "$T/work.py" "$W" ||
		fail "strace -e trace=$set failed"
	"$IOSPY" --engine=ptrace -q --no-report -e trace="$set" -o "$T/i.log" \
	    python3 "$T/work.py" "$W" 2>/dev/null ||
		fail "launch -e trace=$set failed"
	want=$(names "$T/s.log" | grep -Fx -f "$T/ldecoded" | tr '\n' ' ')
	got=$(names "$T/i.log" | tr '\n' ' ')
	[ "$want" = "$got" ] ||
		fail "launch -e trace=$set: strace shows [$want], iospy [$got]"
done

# 3. the seccomp filter stops on fewer calls: the 300 mmap/munmap stops
#    are gone (calls seen but filtered out, from the JSON)
rc=0
"$IOSPY" --engine=ptrace -q -e trace=write --no-seccomp --json "$T/n.json" \
    python3 "$T/work.py" "$W" 2>"$T/n.err" || rc=$?
[ "$rc" = 0 ] || { cat "$T/n.err"; fail "launch --no-seccomp: exit $rc"; }
narrow=$(json_get "$T/l.json" 'j["run"]["filter"]["withheld"]')
wide=$(json_get "$T/n.json" 'j["run"]["filter"]["withheld"]')
echo "calls seen and left out: $narrow narrowed, $wide without seccomp"
[ "$wide" -ge "$((narrow + 300))" ] ||
	fail "narrowing did not cut the stops: $narrow narrowed, $wide without"

# the bpf engine (where it loads) honours -e trace= too, and makes no
# record of the calls left out: the same counts, the mmaps never seen
if "$IOSPY" --engine=bpf -q --no-report -- true >/dev/null 2>&1; then
	rc=0
	"$IOSPY" --engine=bpf -q -e trace=write --json "$T/b.json" \
	    python3 "$T/work.py" "$W" 2>"$T/b.err" || rc=$?
	[ "$rc" = 0 ] || { cat "$T/b.err"; fail "bpf -e trace=write: exit $rc"; }
	check_write_only "bpf" "$T/b.json"
	bn=$(json_get "$T/b.json" 'j["run"]["filter"]["withheld"]')
	echo "bpf: $bn calls seen and left out"
	[ "$wide" -ge "$((bn + 300))" ] ||
		fail "bpf: the program still records the calls left out ($bn)"
else
	echo "bpf engine not available here: its part skipped"
fi

# 4. -P PATH: only calls touching that file, live and replay
for how in replay launch; do
	if [ $how = replay ]; then
		"$IOSPY" --replay "$T/full.log" -P "$W/b.log" --json "$T/p.json" \
		    -o "$T/p.log" >/dev/null || fail "replay -P failed"
	else
		"$IOSPY" --engine=ptrace -q -P "$W/b.log" --json "$T/p.json" \
		    -o "$T/p.log" python3 "$T/work.py" "$W" 2>/dev/null ||
			fail "launch -P failed"
	fi
	files=$(json_get "$T/p.json" \
	    '" ".join(sorted(set(f["path"] for p in j["processes"] for f in p["files"])))')
	[ "$files" = "$W/b.log" ] || fail "$how -P: the report has files [$files]"
	[ "$(json_get "$T/p.json" 'j["totals"]["writes"]')" = 4 ] ||
		fail "$how -P: writes $(json_get "$T/p.json" 'j["totals"]')"
	grep -v -e '+++' -e '^[0-9]* *---' "$T/p.log" | grep -v -q "$W/b.log" &&
		fail "$how -P: a call not touching b.log is in the event log"
	[ "$(names "$T/p.log" | tr '\n' ' ')" = "close openat write writev " ] ||
		fail "$how -P: calls $(names "$T/p.log" | tr '\n' ' ')"
done
# a symlink also selects its target, as strace says
ln -s "$W/b.log" "$T/link"
"$IOSPY" --replay "$T/full.log" -P "$T/link" --json "$T/p.json" \
    >/dev/null 2>"$T/p.err" || fail "replay -P link failed"
grep -q "Requested path \"$T/link\" resolved into \"$W/b.log\"" "$T/p.err" ||
	fail "-P link: no resolution message: $(cat "$T/p.err")"
[ "$(json_get "$T/p.json" 'j["totals"]["writes"]')" = 4 ] ||
	fail "-P link: the target's writes are not counted"

# 5. -Z / -z / -e status=
"$IOSPY" --replay "$T/full.log" -Z -o "$T/z.log" >/dev/null || fail "-Z failed"
grep -q 'missing/nope' "$T/z.log" || fail "-Z: the failed open is not shown"
grep -v -e '+++' -e '^[0-9]* *---' "$T/z.log" | grep -v -q ' = -1 ' &&
	fail "-Z: a call that did not fail is shown"
"$IOSPY" --replay "$T/full.log" -z -o "$T/z.log" >/dev/null || fail "-z failed"
grep -q ' = -1 ' "$T/z.log" && fail "-z: a failed call is shown"
grep -q 'write(' "$T/z.log" || fail "-z: no writes shown"
"$IOSPY" --replay "$T/full.log" -e status=failed -o "$T/z2.log" >/dev/null ||
	fail "-e status=failed failed"
cmp -s "$T/z2.log" "$T/z.log" && fail "-e status=failed is -z"

# the same live: -Z shows the failed open only, -e signal=none no signal
"$IOSPY" --engine=ptrace -q -Z -e signal=none --no-report -o "$T/lz.log" \
    python3 "$T/work.py" "$W" 2>/dev/null || fail "launch -Z failed"
grep -q 'missing/nope' "$T/lz.log" || fail "launch -Z: the failed open is not shown"
grep -v -e '+++' "$T/lz.log" | grep -v -q ' = -1 ' &&
	fail "launch -Z: a call that did not fail (or a signal) is shown"

# 6. -e signal=
"$IOSPY" --replay "$T/full.log" -e signal=none -o "$T/s.out" >/dev/null ||
	fail "-e signal=none failed"
grep -q -e '--- SIG' "$T/s.out" && fail "-e signal=none: a signal is shown"
"$IOSPY" --replay "$T/full.log" -e signal=USR1 -o "$T/s.out" >/dev/null ||
	fail "-e signal=USR1 failed"
grep -q -e '--- SIGUSR1' "$T/s.out" || fail "-e signal=USR1: SIGUSR1 not shown"
grep -e '--- SIG' "$T/s.out" | grep -v -q SIGUSR1 &&
	fail "-e signal=USR1: another signal is shown"

# 7. -y, -yy and the harmless qualifiers are accepted; the rest are errors
#    naming the strace flag, exit 2
for ok in -y -yy "-e abbrev=all" "-e quiet=attach" "-e decode-fds=path" \
    "-e trace=all" --seccomp-bpf; do
	# shellcheck disable=SC2086
	"$IOSPY" --replay "$T/full.log" $ok >/dev/null 2>&1 ||
		fail "$ok is refused"
done
# -yy names live sockets by protocol, as strace -yy: the inode while
# nothing is bound, the endpoints once /proc shows them (the accepted
# socket); -y leaves /proc's "socket:[INODE]"
cat >"$T/sock.py" <<'PY'
import os, socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
c = socket.socket()
c.connect(s.getsockname())
a, _ = s.accept()
os.write(a.fileno(), b"yo")
PY
for y in -y -yy; do
	"$IOSPY" --engine=ptrace -q $y --no-report -o "$T/y.log" \
	    python3 "$T/sock.py" 2>/dev/null || fail "launch $y failed"
	if [ $y = -yy ]; then
		grep -q 'socket(AF_INET, SOCK_STREAM.*= 3<TCP:\[[0-9]*\]>' "$T/y.log" ||
			fail "-yy: socket() not named TCP:[INODE]"
		grep -q 'write(5<TCP:\[127\.0\.0\.1:[0-9]*->127\.0\.0\.1:[0-9]*\]>, "yo"' "$T/y.log" ||
			fail "-yy: the accepted socket is not named by its endpoints: $(grep yo "$T/y.log")"
	else
		grep -q 'write(5<socket:\[[0-9]*\]>, "yo"' "$T/y.log" ||
			fail "-y: the socket is not socket:[INODE]"
	fi
done

expect_refused() {
	msg=$1
	shift
	rc=0
	"$IOSPY" "$@" --replay "$T/full.log" >/dev/null 2>"$T/e.err" || rc=$?
	[ "$rc" = 2 ] || fail "$*: exit $rc, not 2"
	grep -q -- "$msg" "$T/e.err" || fail "$*: said $(head -1 "$T/e.err")"
}
expect_refused "invalid system call 'foo'" -e trace=foo
expect_refused "invalid system call 'foo'" -e foo
expect_refused "invalid status 'nope'" -e status=nope
expect_refused "invalid signal 'SIGNOPE'" -e signal=SIGNOPE
expect_refused "strace's stack trace flag; use --stack" -k
expect_refused "-e inject=write:error=EIO is not supported" -e inject=write:error=EIO
expect_refused "-e read=3 is not supported" -e read=3
expect_refused "-i is not supported" -i
exit 0
