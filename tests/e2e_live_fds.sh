#!/bin/sh
# Launch mode: none of iospy's own fds crosses into the command, whatever
# the outputs.  The command's open fds (listed by a shell from
# /proc/$$/fd) must be exactly those it gets without iospy.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
scratch
# fds make -j hands its recipes (the jobserver) are not part of the check:
# close them so both runs start from the same set
exec 3>&- 4>&- 5>&- 6>&- 8>&- 9>&-

# the shell's own glob, not a pipeline: a pipeline's fds show in
# /proc/$$/fd while the shell sets it up, at random
list='for f in /proc/$$/fd/*; do printf "%s " "${f##*/}"; done'
want=$(sh -c "$list")

check() {	# check NAME IOSPY-OPTIONS...
	name=$1
	shift
	got=$("$IOSPY" --engine=ptrace -q "$@" -- sh -c "$list" 2>/dev/null) ||
		fail "$name: iospy failed"
	[ "$got" = "$want" ] ||
		fail "$name: the command has fds '$got', without iospy '$want'"
}

check "default"
check "-o" -o "$T/ev.log"
check "--json" --json "$T/r.json"
check "--report" --report "$T/r.txt"
check "--junit" --max-write 1M --junit "$T/j.xml"
check "--interval" --interval 0.05
check "--events" --events
check "--no-seccomp" --no-seccomp -o "$T/ev2.log"
if "$IOSPY" --engine=ptrace -q --stack --no-report -- true 2>/dev/null; then
	check "--stack" --stack --json "$T/s.json"
fi
check "--pin" --pin --json "$T/p.json"
check "all outputs" -o "$T/a.log" --json "$T/a.json" --report "$T/a.txt" \
	--max-write 1M --junit "$T/a.xml" --interval 0.05 --events
# fds iospy was given are the command's too (iospy does not close them)
want=$(sh -c "$list" 7>"$T/seven")
got=$("$IOSPY" --engine=ptrace -q -o "$T/b.log" -- sh -c "$list" 7>"$T/seven" 2>/dev/null)
[ "$got" = "$want" ] || fail "inherited fd 7: got '$got', want '$want'"
echo "PASS: the command's fds are its own under every output option"
