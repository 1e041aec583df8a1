#!/bin/sh
# The stress trial, short: a few dozen attach/detach cycles against the
# busy target (iospy ended by SIGINT, SIGTERM, SIGHUP, --duration and
# SIGKILL in turn), the launch-mode cases per signal, and the hostile
# tracees at a small size.  `make stress` runs the long version.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
[ -x "$(pwd)/tests/stress/target" ] || skip "tests/stress/target not built"
python3 "$TOP_SRCDIR/tests/stress/stress.py" --iospy "$IOSPY" \
	--target "$(pwd)/tests/stress/target" \
	--hostile "$(pwd)/tests/stress/hostile" \
	--cycles "${STRESS_CYCLES:-25}" --quick || fail "stress trial"
