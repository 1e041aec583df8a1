#!/bin/sh
# The bpf engine where it reads the process from outside, after the fact:
# a path in a page the process had not touched when its call began (the
# kernel program cannot fault it in: read again at the exit); iospy's own
# close-on-exec fds, which the launched command no longer has after its
# exec; and ^C, after which the command's end is still seen.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_bpf
need_cmd python3
need_cmd timeout
scratch

LC=$HELPERS/livecases
files() {
	json_get "$1" '" ".join(sorted("%s=%d" % (f["path"], f["writes"]["bytes"]) for p in j["processes"] for f in p.get("files", [])))'
}

# 1. a name in an unmapped page
(cd "$T" && "$IOSPY" --engine=bpf -q --no-report --json "$T/far.json" \
    -o "$T/far.log" -- "$LC" farpath) || fail "farpath: failed"
grep -q 'openat(AT_FDCWD, "farpath.out", ' "$T/far.log" ||
    fail "farpath: the open's path was not read: $(grep farpath "$T/far.log")"
[ "$(files "$T/far.json")" = "$T/farpath.out=8" ] ||
    fail "farpath: files: $(files "$T/far.json")"

# 2. fd 3 of the command is not iospy's --json file (open in iospy when
#    the command was forked, close-on-exec)
"$IOSPY" --engine=bpf -q --no-report --json "$T/own.json" -- python3 -c '
import os
try:
    os.write(3, b"x")
except OSError:
    pass' || fail "own fds: failed"
files "$T/own.json" | grep -q "own.json" &&
    fail "own fds: the command's fd 3 named after iospy's output: $(files "$T/own.json")"

# 3. ^C (here SIGINT from timeout, to iospy and the command's group): the
#    command is killed by it, and the report says so rather than detached
rc=0
timeout -s INT 1 "$IOSPY" --engine=bpf -q --no-report --json "$T/int.json" \
    -- sh -c "echo a > '$T/i.txt'; sleep 30" 2>"$T/int.err" || rc=$?
[ "$rc" = 130 ] || [ "$rc" = 124 ] || fail "SIGINT: exit $rc"
grep -q detached "$T/int.err" && fail "SIGINT: $(cat "$T/int.err")"
[ "$(json_get "$T/int.json" 'j["processes"][0]["exit_signal"]')" = SIGINT ] ||
    fail "SIGINT: $(json_get "$T/int.json" 'j["processes"][0]')"
