#!/bin/sh
# iospy --stack on tests/helpers/stackapp: the 4 MiB writes carry the chain
# write <- flush_buffer <- emit_record <- main, the small writes are not
# unwound at all, and the report shows the chain in that order.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

: "${TOP_BUILDDIR:=$(pwd)}"
grep -q '^#define HAVE_LIBUNWIND 1' "$TOP_BUILDDIR/config.h" ||
	skip "built without libunwind"
need_ptrace
need_cmd python3
scratch
APP=$HELPERS/stackapp

# check_log LOG NBIG NSMALL SMALL_UNWOUND TOP: the event log (-o) prints
# each unwound stack as strace -k does, " > module(func+off) [0x...]"
# lines after the call.
check_log() {
	python3 - "$@" <<'EOF' || fail "event log $1: see above"
import re, sys
log, nbig, nsmall, small_unwound, top = sys.argv[1:6]
nbig, nsmall = int(nbig), int(nsmall)
small_unwound = small_unwound == "yes"
call = re.compile(r'^\d+ +write\(\d+<[^>]*/out>, .*, (\d+)\) = (\d+)$')
frame = re.compile(r'^ > (.*)\(([^()]*)\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$')
writes = []          # [count, [funcs]]
for line in open(log, errors="replace"):
    line = line.rstrip("\n")
    m = call.match(line)
    if m:
        writes.append([int(m.group(1)), []])
        continue
    f = frame.match(line)
    if f and writes:
        writes[-1][1].append(f.group(2))
    elif line.startswith(" > "):
        sys.exit("unparsed frame line: %r" % line)
big = [w for w in writes if w[0] == 4 << 20]
small = [w for w in writes if w[0] == 64]
if len(big) != nbig or len(small) != nsmall:
    sys.exit("want %d big and %d small writes, got %d and %d"
             % (nbig, nsmall, len(big), len(small)))
for count, funcs in big:
    if len(funcs) < 4 or "write" not in funcs[0] or \
       funcs[1:4] != ["flush_buffer", "emit_record", top]:
        sys.exit("big write stack: %r" % funcs)
for count, funcs in small:
    if small_unwound:
        if len(funcs) < 3 or funcs[1:3] != ["log_line", top]:
            sys.exit("small write stack: %r" % funcs)
    elif funcs:
        sys.exit("a small write was unwound: %r" % funcs)
print("ok: %d big writes with their stacks, %d small writes %s"
      % (len(big), len(small), "unwound" if small_unwound else "not unwound"))
EOF
}

# 1. the default threshold (1 MiB): only the big writes
"$IOSPY" --engine=ptrace -q --stack -o "$T/ev.log" --report "$T/report.txt" \
    --json "$T/r.json" -- "$APP" -b 3 -s 20 "$T/out" ||
	fail "iospy --stack failed"
check_log "$T/ev.log" 3 60 no main

# the text report shows the chain, innermost first, in that order
python3 - "$T/report.txt" <<'EOF' || fail "report: $(cat "$T/report.txt")"
import sys
text = open(sys.argv[1]).read()
pos = [text.find(f) for f in ("flush_buffer", "emit_record", "main+")]
if -1 in pos or pos != sorted(pos):
    sys.exit("the report does not name flush_buffer, emit_record, main in order")
EOF

# the JSON report: 3 unwinds in all (none for the 60 small writes), one
# stack group of 3 writes for the output file, with the chain
n=$(json_get "$T/r.json" 'j["run"]["stacks_unwound"]') ||
	fail "no run.stacks_unwound in the JSON report"
[ "$n" = 3 ] || fail "stacks_unwound = $n, want 3"
python3 - "$T/r.json" <<'EOF' || fail "JSON stacks"
import json, sys
j = json.load(open(sys.argv[1]))
files = [f for p in j["processes"] for f in p["files"]
         if f["path"].endswith("/out")]
if len(files) != 1:
    sys.exit("want one record for the output file, got %d" % len(files))
stacks = files[0]["stacks"]
if len(stacks) != 1 or stacks[0]["count"] != 3 or \
   stacks[0]["bytes"] != 3 * (4 << 20):
    sys.exit("stack groups: %r" % [(s["count"], s["bytes"]) for s in stacks])
funcs = [f["func"] for f in stacks[0]["frames"]]
if funcs[1:4] != ["flush_buffer", "emit_record", "main"]:
    sys.exit("frames: %r" % funcs)
for f in stacks[0]["frames"][1:4]:
    if not f["module"].endswith("/stackapp") or f["module_offset"] <= 0:
        sys.exit("frame: %r" % f)
EOF

# 2. a threshold below the small writes: every write is unwound
"$IOSPY" --engine=ptrace -q --no-report --stack=64 -o "$T/ev2.log" --json "$T/r2.json" -- \
    "$APP" -b 2 -s 5 "$T/out" || fail "iospy --stack=64 failed"
check_log "$T/ev2.log" 2 10 yes main
n=$(json_get "$T/r2.json" 'j["run"]["stacks_unwound"]') || fail "bad JSON"
[ "$n" = 12 ] || fail "--stack=64: stacks_unwound = $n, want 12"

# 3. the writes of a second thread
"$IOSPY" --engine=ptrace -q --no-report --stack -o "$T/ev3.log" -- "$APP" -T -b 2 -s 5 \
    "$T/out" || fail "iospy --stack (thread) failed"
check_log "$T/ev3.log" 2 10 no writer_thread

# 4. a buffer mapped and unmapped around each big write (the seed's
# pattern): the stacks stay right after every munmap
"$IOSPY" --engine=ptrace -q --no-report --stack -o "$T/ev5.log" -- "$APP" -M -b 3 -s 5 \
    "$T/out" || fail "iospy --stack (-M) failed"
check_log "$T/ev5.log" 3 15 no main

# 5. a function name longer than 4 KiB is kept whole
"$IOSPY" --engine=ptrace -q --no-report --stack -o "$T/ev4.log" -- "$APP" -L -b 1 -s 0 \
    "$T/out" || fail "iospy --stack (long name) failed"
python3 - "$T/ev4.log" <<'EOF' || fail "long name"
import re, sys
want = "long_name_part_" * 512 + "_end_of_a_very_long_function_nm"
names = re.findall(r'^ > .*\(([^()]*)\+0x', open(sys.argv[1]).read(), re.M)
if want not in names:
    sys.exit("the %d-byte name is not in the log whole (longest: %d)"
             % (len(want), max(map(len, names or [""]))))
EOF

# 6. a 32-bit (i386) program is not unwound (libunwind's x86_64 unwinder
# would misread it), and tracing it still works
CC=${CC:-cc}
if "$CC" -m32 -nostdlib -static -o "$T/write32" \
    "$TOP_SRCDIR/tests/helpers/write32.S" >/dev/null 2>&1 &&
    "$T/write32" "$T/probe" 2>/dev/null; then
	"$IOSPY" --engine=ptrace -q --no-report --stack=1 -o "$T/ev6.log" --json "$T/r6.json" \
	    "$T/write32" "$T/out32" || fail "iospy --stack on an i386 program"
	grep -q '^ > ' "$T/ev6.log" && fail "an i386 program was unwound"
	n=$(json_get "$T/r6.json" 'j["run"]["stacks_unwound"]')
	[ "$n" = 0 ] || fail "i386: stacks_unwound = $n"
fi
exit 0
