# tests/lib.sh: shared helpers for the end-to-end shell tests.
# Sourced by tests/e2e_*.sh.  Exit 77 = skipped (automake convention).

: "${IOSPY:=$(pwd)/iospy}"
: "${HELPERS:=$(pwd)/tests/helpers}"
: "${TOP_SRCDIR:=$(pwd)}"
: "${SHARED_DIR:=$TOP_SRCDIR/../shared}"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# Skip unless this machine lets us ptrace a child.
need_ptrace() {
	if [ -r /proc/sys/kernel/yama/ptrace_scope ] &&
	   [ "$(cat /proc/sys/kernel/yama/ptrace_scope)" = 3 ]; then
		skip "ptrace disabled (kernel.yama.ptrace_scope=3)"
	fi
	command -v strace >/dev/null 2>&1 || return 0
	if ! strace -f -qq -o /dev/null true >/dev/null 2>&1; then
		skip "ptrace is denied here (strace cannot trace 'true')"
	fi
}

# True when need_ptrace would not skip (for tests with a ptrace part).
ptrace_ok() { (need_ptrace) >/dev/null 2>&1; }

need_cmd() { command -v "$1" >/dev/null 2>&1 || skip "$1 not installed"; }

# A scratch directory removed at exit (by scratch_done).
scratch() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/iospy-test.XXXXXX") || fail "mktemp"
	trap 'scratch_done $?' EXIT
}

# json_valid FILE...: each FILE is an iospy JSON output that matches
# doc/iospy-report.schema.json (checked where python3's jsonschema is
# installed; see tests/json_valid.py).
json_valid() {
	python3 "$TOP_SRCDIR/tests/json_valid.py" \
	    "$TOP_SRCDIR/doc/iospy-report.schema.json" "$@" ||
	    fail "JSON output does not match doc/iospy-report.schema.json"
}

# scratch_done STATUS: the end of a test with a scratch directory (an EXIT
# trap calls it with the test's status): every iospy JSON output the test
# left in $T is checked against the schema -- a mismatch turns a pass into
# a failure -- and $T is removed.
scratch_done() {
	_sd=$1
	if [ "$_sd" = 0 ] && [ -d "$T" ] && ! python3 "$TOP_SRCDIR/tests/json_valid.py" \
	    "$TOP_SRCDIR/doc/iospy-report.schema.json" "$T"; then
		echo "FAIL: JSON output does not match doc/iospy-report.schema.json"
		_sd=1
	fi
	rm -rf "$T"
	exit "$_sd"
}

# json_get FILE EXPR: evaluate a Python expression on the parsed JSON 'j'.
json_get() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# Skip unless this iospy's bpf engine loads here (root or CAP_BPF +
# CAP_PERFMON, kernel BTF, built with the engine).
need_bpf() {
	_o=$("$IOSPY" --engine=bpf -q --no-report -- true 2>&1) ||
	    skip "the bpf engine cannot run here: $_o"
}
