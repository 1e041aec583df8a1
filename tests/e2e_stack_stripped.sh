#!/bin/sh
# --stack on a stripped copy of tests/helpers/stackapp: a frame is named
# only by a symbol that holds its pc; in the stripped program the frames
# read as module+offset, the nearest symbol below marked as a guess, and
# never a far-away name given as the function.  The unstripped program
# still names flush_buffer, emit_record and main.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

: "${TOP_BUILDDIR:=$(pwd)}"
grep -q '^#define HAVE_LIBUNWIND 1' "$TOP_BUILDDIR/config.h" ||
	skip "built without libunwind"
need_ptrace
need_cmd python3
need_cmd strip
scratch
APP=$HELPERS/stackapp

# all symbols gone but _start (a small function far below the others)
strip --strip-all --keep-symbol=_start -o "$T/stackapp" "$APP" ||
	fail "strip"
for prog in "$T/stackapp" "$APP"; do
	tag=$(basename "$(dirname "$prog")")
	rc=0
	"$IOSPY" --engine=ptrace -q --stack --report "$T/$tag.txt" --json "$T/$tag.json" -- \
	    "$prog" -b 2 -s 3 "$T/$tag.out" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 0 ] || fail "$prog: exit $rc"
done

python3 - "$T" "$(basename "$T")" <<'PY' || fail "stripped frames: see above"
import json, sys, os
t, tag = sys.argv[1], sys.argv[2]
def frames(j):
    for p in j["processes"]:
        for f in p["files"]:
            for s in f["stacks"]:
                return s["frames"]
    sys.exit("no stack in the report")
st = frames(json.load(open(os.path.join(t, tag + ".json"))))
mine = [f for f in st if (f["module"] or "").endswith(tag + "/stackapp")]
if len(mine) < 3:
    sys.exit("too few stripped frames: %r" % st)
for f in mine:
    if f["func"] not in (None, "_start"):
        sys.exit("a name given as fact in a stripped program: %r" % f)
    if f["module_offset"] <= 0:
        sys.exit("no module offset: %r" % f)
inner = mine[:3]
if any(f["func"] is not None for f in inner):
    sys.exit("the write's callers got a name: %r" % inner)
if any(f["near"] != "_start" for f in inner):
    sys.exit("the nearest symbol is not offered as a guess: %r" % inner)
PY
txt="$T/$(basename "$T").txt"
grep -Eq '#[0-9]+ +stackapp\+0x[0-9a-f]+ \(near _start, a guess\)' "$txt" ||
	fail "no module+offset frame with a guess: $(grep '#' "$txt")"
helpers=$(basename "$(dirname "$APP")")
grep -Eq '#[0-9]+ +flush_buffer\+0x[0-9a-f]+ ' "$T/$helpers.txt" ||
	fail "unstripped: no flush_buffer: $(grep '#' "$T/$helpers.txt")"
grep -Eq '#[0-9]+ +emit_record\+0x[0-9a-f]+ ' "$T/$helpers.txt" ||
	fail "unstripped: no emit_record"
exit 0
