#!/bin/sh
# Stacks from logs: a log recorded with strace -k replays with the same
# stack groups iospy --stack finds live, and iospy's own -o log (which
# prints stacks as strace -k does) round-trips them.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

: "${TOP_BUILDDIR:=$(pwd)}"
need_ptrace
need_cmd strace
need_cmd python3
scratch
APP=$HELPERS/stackapp

# stacks FILE.json: one line per stack group of the output file:
# "count bytes func,...,main" (innermost first; frame 0 and what is below
# main dropped: libc's names vary); stacks FILE offsets: "func+0x..."
stacks() {
	python3 - "$@" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
out = []
for p in j["processes"]:
    for f in p["files"]:
        if f["path"].endswith("/out"):
            for s in f["stacks"]:
                funcs = [fr["func"] or "?" for fr in s["frames"][1:]]
                offs = [fr["offset"] for fr in s["frames"][1:]]
                if "main" in funcs:
                    funcs = funcs[:funcs.index("main") + 1]
                if sys.argv[2:] == ["offsets"]:
                    funcs = ["%s+%#x" % fo for fo in zip(funcs, offs)]
                out.append("%d %d %s" % (s["count"], s["bytes"], ",".join(funcs)))
print("\n".join(sorted(out)))
EOF
}

# 1. strace -k: every write carries its stack
strace -f -qq -k -y -o "$T/k.log" "$APP" -b 2 -s 5 "$T/out" 2>"$T/err" ||
	skip "strace -k does not work here: $(head -1 "$T/err")"
grep -q '^ > .*flush_buffer' "$T/k.log" || skip "strace -k printed no frames"
"$IOSPY" --replay "$T/k.log" --no-report --json "$T/k.json" ||
	fail "replay of the strace -k log failed"
got=$(stacks "$T/k.json")
want="10 640 log_line,main
2 8388608 flush_buffer,emit_record,main"
[ "$got" = "$want" ] ||
	fail "strace -k replay stacks:
$got
want:
$want"

# 2. live --stack=64 (every write unwound) gives the same groups
if grep -q '^#define HAVE_LIBUNWIND 1' "$TOP_BUILDDIR/config.h"; then
	"$IOSPY" --engine=ptrace -q --no-report --stack=64 -o "$T/ev.log" --json "$T/live.json" \
	    -- "$APP" -b 2 -s 5 "$T/out" || fail "iospy --stack failed"
	live=$(stacks "$T/live.json" offsets)
	got=$(stacks "$T/k.json" offsets)
	[ "$live" = "$got" ] || fail "live stacks differ from strace -k's:
$live
strace -k:
$got"
	# 3. iospy's -o log replays to the same groups
	"$IOSPY" --replay "$T/ev.log" --no-report --json "$T/rt.json" ||
		fail "replay of iospy's -o log failed"
	rt=$(stacks "$T/rt.json" offsets)
	[ "$rt" = "$live" ] || fail "-o log round trip:
$rt
live:
$live"
fi
exit 0
