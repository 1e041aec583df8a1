#!/bin/sh
# check-io.sh: run a command (usually a test suite) under iospy with the
# repository's I/O budget, and fail the build when the budget is broken.
#
#   check-io.sh [-l LIMITS] [-j JUNIT] [-r REPORT] [-J JSON] -- COMMAND [ARGS...]
#   check-io.sh [-l LIMITS] [-j JUNIT] [-r REPORT] [-J JSON] --replay TRACE.log
#
#   -l LIMITS  the limits file (default: io-budget.conf next to this script)
#   -j JUNIT   write the verdicts as JUnit XML (CI systems show them natively)
#   -r REPORT  write the text report to REPORT instead of stderr
#   -J JSON    write the JSON report too
#   --replay   judge a recorded strace log (strace -f -y -tt -T -o TRACE.log)
#              instead of running a command: no ptrace needed
#
# Environment: IOSPY (the iospy binary, default: iospy on PATH),
# IOSPY_ARGS (more options, e.g. --error-exitcode 3).
#
# Exit status (iospy's own):
#   0   every limit held (and the command succeeded)
#   1   a limit was broken (or N with --error-exitcode N in IOSPY_ARGS)
#   2   usage error or iospy failed
#   77  this machine does not allow tracing (ptrace denied): nothing judged
#   other: the command's own failure status, when no limit was broken
set -u

here=$(cd "$(dirname "$0")" && pwd)
limits=$here/io-budget.conf
junit=
report=
json=
iospy=${IOSPY:-iospy}

usage() {
	sed -n '2,24s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	-l) limits=${2:?}; shift 2 ;;
	-j) junit=${2:?}; shift 2 ;;
	-r) report=${2:?}; shift 2 ;;
	-J) json=${2:?}; shift 2 ;;
	-h|--help) usage ;;
	--replay) break ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || usage
command -v "$iospy" >/dev/null 2>&1 || {
	echo "check-io: iospy not found (set IOSPY)" >&2
	exit 2
}

set -- --limits "$limits" ${junit:+--junit "$junit"} \
    ${report:+--report "$report"} ${json:+--json "$json"} \
    ${IOSPY_ARGS:-} "$@"

if [ "$1" != --replay ] && [ "${*#*--replay}" = "$*" ]; then
	# Tracing needs ptrace of our own children.  Some containers forbid
	# it (no CAP_SYS_PTRACE with yama scope 2, or scope 3): say so and
	# skip, instead of blaming the code under test.
	if [ -r /proc/sys/kernel/yama/ptrace_scope ] &&
	   [ "$(cat /proc/sys/kernel/yama/ptrace_scope)" = 3 ]; then
		echo "check-io: SKIP: ptrace is disabled (kernel.yama.ptrace_scope=3)" >&2
		exit 77
	fi
fi

errf=$(mktemp "${TMPDIR:-/tmp}/check-io.XXXXXX") || exit 2
trap 'rm -f "$errf"' EXIT
rc=0
# stderr goes through a file so a denied ptrace can be told apart from a
# failing command; it is shown in full either way.
"$iospy" "$@" 2>"$errf" || rc=$?
cat "$errf" >&2
if [ $rc = 2 ] && grep -qiE 'ptrace.*(denied|not permitted)|operation not permitted' "$errf"; then
	echo "check-io: SKIP: this machine does not allow tracing" >&2
	exit 77
fi
case $rc in
0)	echo "check-io: I/O budget held" >&2 ;;
2)	echo "check-io: iospy failed (exit 2)" >&2 ;;
*)	if grep -q 'LIMIT ' "$errf" || { [ -n "$report" ] && grep -q 'LIMIT ' "$report"; }; then
		echo "check-io: I/O budget broken (exit $rc)" >&2
	else
		echo "check-io: the command failed (exit $rc)" >&2
	fi ;;
esac
exit $rc
