#!/bin/sh
# examples/ci end to end: the guard script around the sample test suite,
# the make check-io fragment, and the JUnit it writes.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
need_cmd dd
scratch

CI="$TOP_SRCDIR/examples/ci"
export IOSPY

guard() {	# guard RC_WANT NAME ARGS...
	want=$1 name=$2
	shift 2
	rc=0
	sh "$CI/check-io.sh" -j "$T/$name.xml" -r "$T/$name.txt" \
	    -J "$T/$name.json" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	[ "$rc" = 77 ] && skip "check-io.sh: tracing denied"
	[ "$rc" = "$want" ] || {
		cat "$T/$name.err" "$T/$name.txt" 2>/dev/null
		fail "$name: exit $rc, want $want"
	}
}

failures() {	# failures JUNIT: names of the failed test cases
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites"
cases = list(root.iter("testcase"))
assert len(cases) == 7, len(cases)	# one per limit in io-budget.conf
print(" ".join(c.get("name").split()[0] + ("" if c.get("name").split()[0] != "fail-on" else "-" + c.get("name").split()[1])
               for c in cases if c.find("failure") is not None))
PY
}

guard 0 pass -- sh "$CI/sample-test.sh" "$T/pass"
grep -q 'sample tests passed' "$T/pass.out" || fail "the command's stdout"
[ -z "$(failures "$T/pass.xml")" ] || fail "pass: $(failures "$T/pass.xml")"

guard 1 big -- sh "$CI/sample-test.sh" "$T/big" big
grep -q 'LIMIT max-write 1.0 MiB broken: dd (pid [0-9]*) wrote 8.0 MiB in one call' "$T/big.txt" ||
    fail "big: $(cat "$T/big.txt")"
[ "$(failures "$T/big.xml")" = max-write ] || fail "big: $(failures "$T/big.xml")"
grep -q 'I/O budget broken' "$T/big.err" || fail "big: message"

IOSPY_ARGS="--error-exitcode 3" guard 3 rotate -- sh "$CI/sample-test.sh" "$T/rot" rotate
[ "$(failures "$T/rotate.xml")" = fail-on-rotation ] ||
    fail "rotate: $(failures "$T/rotate.xml")"

# the command's own failure comes through when the budget holds
guard 4 cmdfail -- sh -c 'exit 4'
grep -q 'the command failed' "$T/cmdfail.err" || fail "cmdfail: message"

# make check-io
need_cmd make
mkdir -p "$T/proj"
cat >"$T/proj/Makefile" <<MK
include $CI/check-io.mk
check:
	sh $CI/sample-test.sh $T/proj/out big
MK
rc=0
(cd "$T/proj" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s check-io IOSPY="$IOSPY") >"$T/make.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "make check-io passed a broken budget"
[ "$(failures "$T/proj/iospy-junit.xml")" = max-write ] ||
    fail "make check-io: $(cat "$T/make.out")"
[ -s "$T/proj/iospy-report.json" ] || fail "make check-io: no JSON"
exit 0
