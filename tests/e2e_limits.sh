#!/bin/sh
# CI limits end to end: real programs under the real tracer, and the same
# programs recorded with strace and replayed, must give the same verdicts,
# the documented exit statuses and a JUnit file of the usual shape.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
scratch

W="$HELPERS/writer"
R="$HELPERS/rotate"

# judge RC_WANT NAME IOSPY-ARGS...: run iospy, check its exit status
judge() {
	want=$1 name=$2
	shift 2
	rc=0
	"$IOSPY" --engine=ptrace -q --report "$T/$name.txt" --json "$T/$name.json" \
	    --junit "$T/$name.xml" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	[ "$rc" = "$want" ] || {
		cat "$T/$name.err" "$T/$name.txt" 2>/dev/null
		fail "$name: exit $rc, want $want"
	}
}

# junit FILE TESTS FAILURES: parse it back, check the JUnit shape
junit() {
	python3 - "$1" "$2" "$3" <<'PY' || fail "JUnit $1"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
assert len(suites) == 1, suites
cases = suites[0].findall("testcase")
fails = [c for c in cases if c.find("failure") is not None]
assert len(cases) == int(sys.argv[2]), (len(cases), sys.argv[2])
assert len(fails) == int(sys.argv[3]), (len(fails), sys.argv[3])
assert suites[0].get("tests") == sys.argv[2]
assert suites[0].get("failures") == sys.argv[3]
for c in cases:
    assert c.get("name") and c.get("classname"), c.attrib
for c in fails:
    f = c.find("failure")
    assert f.get("message") and f.get("type") and f.text, f.attrib
PY
}

# 8 MiB in one call fails --max-write 1M
judge 1 big --max-write 1M -- "$W" "$T/big.out" 1 8388608
grep -q 'LIMIT max-write 1.0 MiB broken: writer (pid [0-9]*) wrote 8.0 MiB in one call' "$T/big.txt" ||
    fail "big: finding: $(cat "$T/big.txt")"
junit "$T/big.xml" 1 1
[ "$(json_get "$T/big.json" 'j["limits"][0]["limit"]')" = 1048576 ] || fail "big: json limit"
[ "$(json_get "$T/big.json" 'j["limits_broken"]')" = 1 ] || fail "big: json"
[ "$(json_get "$T/big.json" 'j["limits"][0]["findings"][0]["value"]')" = 8388608 ] ||
    fail "big: json value"

# the same 8 MiB in 4 KiB calls passes it ...
judge 0 small --max-write 1M -- "$W" "$T/small.out" 2048 4096
junit "$T/small.xml" 1 0
# ... and fails --max-file-bytes 4M
judge 1 small4m --max-write 1M --max-file-bytes 4M -- "$W" "$T/small.out" 2048 4096
grep -q 'LIMIT max-file-bytes 4.0 MiB broken: .*small.out received 8.0 MiB' "$T/small4m.txt" ||
    fail "small4m: $(cat "$T/small4m.txt")"
junit "$T/small4m.xml" 2 1

# a helper that rotates fails --fail-on rotation (and deleted-backup)
mkdir -p "$T/rot"
judge 1 rot --fail-on rotation,deleted-backup -- "$R" "$T/rot" 3 10 4096
grep -q 'LIMIT fail-on rotation: .*app.log was rotated 3 times' "$T/rot.txt" ||
    fail "rot: $(cat "$T/rot.txt")"
grep -q 'LIMIT fail-on deleted-backup: 3 backups of' "$T/rot.txt" || fail "rot: deleted"
junit "$T/rot.xml" 2 2

# --error-exitcode N, valgrind style
judge 7 exitcode --max-write 1M --error-exitcode 7 -- "$W" "$T/big.out" 1 8388608
# no limit broken: the command's own status
judge 5 cmdstatus --max-write 1M -- sh -c 'exit 5'
# usage errors: 2
judge 2 usage --max-write lots -- true
judge 2 usage2 --fail-on everything -- true
# a limits file holds the same settings
printf '# budget\nmax-write = 1M  # one call\nfail-on = rotation\n' >"$T/budget.conf"
judge 1 limitsfile --limits "$T/budget.conf" -- "$W" "$T/big.out" 1 8388608
junit "$T/limitsfile.xml" 2 1

# replay of recorded logs gives the same verdicts
need_cmd strace
strace -f -y -tt -T -qq -o "$T/big.trace" "$W" "$T/big.out" 1 8388608 ||
    fail "strace big"
strace -f -y -tt -T -qq -o "$T/small.trace" "$W" "$T/small.out" 2048 4096 ||
    fail "strace small"
rm -rf "$T/rot" && mkdir -p "$T/rot"
strace -f -y -tt -T -qq -o "$T/rot.trace" "$R" "$T/rot" 3 10 4096 || fail "strace rot"
rc=0
"$IOSPY" --replay "$T/small.trace" >"$T/probe.out" 2>&1 || rc=$?
if grep -q 'not implemented' "$T/probe.out"; then
	echo "NOTE: replay not implemented yet: replay verdicts not checked"
	exit 0
fi
judge 1 rbig --max-write 1M --replay "$T/big.trace"
junit "$T/rbig.xml" 1 1
judge 0 rsmall --max-write 1M --replay "$T/small.trace"
judge 1 rsmall4m --max-write 1M --max-file-bytes 4M --replay "$T/small.trace"
junit "$T/rsmall4m.xml" 2 1
judge 1 rrot --fail-on rotation,deleted-backup --replay "$T/rot.trace"
grep -q 'LIMIT fail-on rotation: .*app.log was rotated 3 times' "$T/rrot.txt" ||
    fail "rrot: $(cat "$T/rrot.txt")"
junit "$T/rrot.xml" 2 2
judge 3 rexit --max-write 1M --error-exitcode 3 --replay "$T/big.trace"
exit 0
