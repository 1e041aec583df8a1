#!/bin/sh
# e2e_progress: the status lines on a terminal (tests/pty_run.py gives
# iospy a pseudo-terminal): the replay's progress line (bytes of the total,
# compressed bytes of a .gz, lines, rate, ETA), erased before the report
# and never in it; nothing of it when stderr is a file or with
# --no-progress; --interval lines fit the terminal's width, the path cut
# in its middle, whole in a file; attach mode's status line (time left,
# events, busiest file), erased before the detach messages and the report.
# IOSPY_PROGRESS_PERIOD_MS=1 redraws at every chance, so that nothing
# depends on how fast the machine is.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
scratch
need_cmd gzip
PTY="python3 $TOP_SRCDIR/tests/pty_run.py"
python3 -c 'import pty' 2>/dev/null || skip "python3 has no pty module"
IOSPY_PROGRESS_PERIOD_MS=1
export IOSPY_PROGRESS_PERIOD_MS
ESC=$(printf '\033')
CR=$(printf '\r')

# a log of 40000 writes in 4 MiB or so
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    for i in range(40000):
        f.write("100 12:00:%02d.%06d write(3</tmp/p%d.log>, \"abcdefgh\"..., 4096) = 4096\n" % (i // 1000 % 60, i % 1000000, i % 7))
' "$T/big.strace"
gzip -c "$T/big.strace" >"$T/big.strace.gz"
size=$(wc -c <"$T/big.strace")

# segments: the tty bytes split at CR, one a line
segments() { tr '\r' '\n' <"$1"; }

$PTY "$T/tty1" -- "$IOSPY" --replay "$T/big.strace" >"$T/rep1.txt" ||
    fail "replay on a tty: exit $?"
segments "$T/tty1" | grep -q "^replay: [0-9.]* [KM]*i*B of 2.[0-9] MiB ([0-9]*%), [0-9.k]* lines, [0-9.]* [KMG]*i*B/s, ETA [0-9:]*${ESC}\[K\$" ||
    fail "no progress line: $(segments "$T/tty1" | tail -n 3)"
# erased at the end: the last bytes on the terminal are the erase
[ "$(tail -c 4 "$T/tty1" | od -An -c | tr -d ' ')" = '\r033[K' ] ||
    fail "the progress line is not erased at the end"
# never in the report (stdout)
grep -q "replay: " "$T/rep1.txt" && fail "progress in the report"
grep -q "$CR\|$ESC\[K" "$T/rep1.txt" && fail "terminal codes in the report"
# the same report as without a terminal
"$IOSPY" --replay "$T/big.strace" >"$T/rep0.txt" 2>"$T/err0" || fail "replay"
cmp -s "$T/rep0.txt" "$T/rep1.txt" || fail "the report differs on a tty"
# stderr a file: no progress bytes at all
[ -s "$T/err0" ] && fail "stderr not a tty, yet: $(od -c "$T/err0" | head -n 3)"
# --no-progress on a terminal: nothing
$PTY "$T/tty2" -- "$IOSPY" --no-progress --replay "$T/big.strace" >/dev/null ||
    fail "--no-progress"
[ -s "$T/tty2" ] && fail "--no-progress drew: $(od -c "$T/tty2" | head -n 3)"
# --events streams event lines to stderr: no progress line among them
$PTY "$T/tty2e" -- "$IOSPY" --events --no-report --replay "$T/big.strace" >/dev/null ||
    fail "--events on a tty"
grep -q "replay: " "$T/tty2e" && fail "a progress line among the event lines"
# no line wider than the terminal (79 of 80, 39 of 40 columns)
$PTY --cols 40 "$T/tty3" -- "$IOSPY" --replay "$T/big.strace" >/dev/null ||
    fail "replay, 40 columns"
w=$(segments "$T/tty3" | sed "s/${ESC}\[K//g" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
[ "$w" -le 39 ] || fail "progress line of $w columns on a 40-column terminal"
echo "PASS: replay progress: $(segments "$T/tty1" | grep '^replay' | sed "s/${ESC}\[K//" | tail -n 1)"

# compressed: the compressed bytes of the file's size
$PTY "$T/tty4" -- "$IOSPY" --replay "$T/big.strace.gz" >"$T/rep4.txt" ||
    fail "replay .gz on a tty"
segments "$T/tty4" | grep -q "^replay: .* of .* compressed ([0-9]*%)" ||
    fail "no compressed progress: $(segments "$T/tty4" | tail -n 3)"
sed 1d "$T/rep0.txt" >"$T/rep0b.txt"
sed 1d "$T/rep4.txt" | cmp -s "$T/rep0b.txt" - || fail "the .gz report differs"
# stdin: no total, bytes read and lines
$PTY "$T/tty5" -- sh -c '"$0" --replay - <"$1" >/dev/null' "$IOSPY" "$T/big.strace" ||
    fail "replay of stdin on a tty"
segments "$T/tty5" | grep -q "^replay: .* read, .* lines, .*/s" ||
    fail "no stdin progress: $(segments "$T/tty5" | tail -n 3)"
echo "PASS: compressed and stdin progress"

# --interval on an 80-column terminal: the path cut in its middle, the
# numbers whole, every line within 79 columns; in a file the path is whole
D="$T/a-directory-with-a-rather-long-name/and-another-one-below-it"
mkdir -p "$D"
cat >"$T/iv.strace" <<LOG
100 12:00:00.000000 write(3<$D/the-application.log>, "abc", 3) = 3
100 12:00:01.000000 write(3<$D/the-application.log>, "abc", 3) = 3
100 12:00:02.000000 write(3<$D/the-application.log>, "abc", 3) = 3
100 12:00:03.000000 write(3<$D/the-application.log>, "abc", 3) = 3
LOG
$PTY --stdout-too "$T/tty6" -- "$IOSPY" --no-progress --no-report --interval 1 \
    --replay "$T/iv.strace" || fail "--interval on a tty"
segments "$T/tty6" | grep -v '^$' >"$T/iv6"
grep -q '^time  *process\[pid\]  *writes/s  *bytes/s  *largest  *rot  *file$' "$T/iv6" ||
    fail "--interval header: $(cat "$T/iv6")"
grep -q ' 1\.0  *3 B/s  *3 B   0  /[^ ]*\.\.\.[^ ]*\.log$' "$T/iv6" ||
    fail "--interval: no cut path with whole numbers: $(cat "$T/iv6")"
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/iv6")
[ "$w" -le 79 ] || fail "--interval line of $w columns at 80: $(cat "$T/iv6")"
"$IOSPY" --no-report --interval 1 --replay "$T/iv.strace" >"$T/iv7" 2>/dev/null ||
    fail "--interval to a file"
grep -q "  $D/the-application.log\$" "$T/iv7" || fail "--interval in a file: the path is cut: $(cat "$T/iv7")"
echo "PASS: --interval at 80 columns: $(sed -n 2p "$T/iv6")"

# attach: the status line while tracing, erased before the detach and the report
if ptrace_ok; then
	sh -c 'while :; do echo x >>"$0"; sleep 0.01; done' "$T/loop.out" &
	L=$!
	trap '_rc=$?; kill $L 2>/dev/null; scratch_done $_rc' EXIT
	$PTY "$T/tty8" -- "$IOSPY" --engine=ptrace -p $L --duration 1 ||
	    fail "attach on a tty"
	segments "$T/tty8" >"$T/s8"
	grep -q "^iospy: tracing $L (sh), [0-9.]* s left, [0-9]* events" "$T/s8" ||
	    fail "no attach status line: $(head -c 600 "$T/tty8" | od -c | head)"
	grep -q "busiest: .* B .*loop\.out${ESC}\[K" "$T/s8" || fail "status: no busiest file"
	# each drawing is followed by a redraw or an erase (CR), never by
	# other text; the last one is erased before the report
	python3 -c '
import re, sys
d = open(sys.argv[1], "rb").read()
after = re.findall(rb"iospy: tracing [^\r\n]*\x1b\[K(.|$)", d, re.S)
bad = [a for a in after if a != b"\r"]
sys.exit(1 if bad or not after or b"tracing" in d[d.rfind(b"detached"):] else 0)
' "$T/tty8" || fail "the status line is not erased before other text"
	# and not on a file
	"$IOSPY" --engine=ptrace -p $L --duration 0.3 2>"$T/err9" || fail "attach"
	grep -q "tracing $L" "$T/err9" && fail "status line in a file"
	grep -q "$ESC\[K" "$T/err9" && fail "terminal codes in a file"
	echo "PASS: attach status: $(grep "^iospy: tracing" "$T/s8" | sed "s/${ESC}\[K.*//" | tail -n 1)"
fi
