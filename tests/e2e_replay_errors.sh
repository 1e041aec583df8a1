#!/bin/sh
# Replay of bad input from the command line: a missing file, an empty file,
# binary garbage, a truncated last line, a line longer than the limit, a
# decompressor that fails: a clear message, an exit status, no crash, no
# hang; and the compressed forms and stdin read the same events.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

scratch
SEED="$TOP_SRCDIR/tests/data/seed.strace"

# run NAME ARGS...: iospy --no-report ARGS, status in $rc, stderr in $T/NAME.err
run() {
	name=$1
	shift
	rc=0
	timeout 60 "$IOSPY" --no-report "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	[ "$rc" -lt 124 ] || fail "$name: exit $rc (crash or hang): $(cat "$T/$name.err")"
}
has() { grep -qF "$2" "$T/$1.err" || fail "$1: no '$2' in: $(cat "$T/$1.err")"; }

run missing --replay "$T/nope.log"
[ "$rc" = 2 ] || fail "missing: exit $rc"
has missing "cannot open"

: >"$T/empty.log"
run empty --replay "$T/empty.log"
[ "$rc" = 0 ] || fail "empty: exit $rc"
has empty "empty, nothing to replay"

head -c 200000 /dev/urandom >"$T/garbage.log" 2>/dev/null ||
	dd if=/dev/urandom of="$T/garbage.log" bs=1000 count=200 2>/dev/null
run garbage --replay "$T/garbage.log"
[ "$rc" = 2 ] || fail "garbage: exit $rc"
has garbage "is not a strace log: it starts with binary data"
[ "$(wc -l <"$T/garbage.err")" -le 2 ] || fail "garbage: more than one line said"

# an executable, on the command line and on stdin
run elf --replay /bin/sh
[ "$rc" = 2 ] || fail "elf: exit $rc"
has elf "/bin/sh is not a strace log: it starts with an ELF executable"
rc=0
"$IOSPY" --no-report --replay - </bin/sh 2>"$T/elfin.err" || rc=$?
[ "$rc" = 2 ] || fail "elf on stdin: exit $rc"
has elfin "standard input is not a strace log"

printf 'write(1, "ok", 2) = 2\nwrite(1, "cut' >"$T/trunc.log"
run trunc --replay "$T/trunc.log"
has trunc "trunc.log:2: truncated last line"

python3 -c 'import sys; sys.stdout.write("x" * (17 << 20) + "\nwrite(1, \"a\", 1) = 1\n")' \
    >"$T/long.log" 2>/dev/null || skip "python3 needed"
run long --replay "$T/long.log"
[ "$rc" = 0 ] || fail "long: exit $rc"
has long "long.log:1: line longer than 16 MiB"

# a 20 MB write line (strace -s 30000000): kept by its two ends, counted
python3 -c 'import sys; n = 20 << 20; sys.stdout.write("write(3</tmp/big>, \"" + "x" * n + "\", %d) = %d\nwrite(1, \"a\", 1) = 1\n" % (n, n))' \
    >"$T/longw.log" 2>/dev/null || skip "python3 needed"
run longw --json "$T/longw.json" --replay "$T/longw.log"
[ "$rc" = 0 ] || fail "longw: exit $rc"
has longw "longw.log:1: line longer than 16 MiB: read with its string cut short"
[ "$(json_get "$T/longw.json" 'j["totals"]["bytes"]')" = $(((20 << 20) + 1)) ] ||
    fail "longw: the long write's bytes are not counted"

# /dev/zero is binary; an endless text input without a newline is
# bounded, said, ended
run zero --replay /dev/zero
[ "$rc" = 2 ] || fail "zero: exit $rc"
has zero "/dev/zero is not a strace log"
rc=0
tr '\0' x </dev/zero | timeout 60 "$IOSPY" --no-report --replay - \
    2>"$T/endless.err" || rc=$?
[ "$rc" -lt 124 ] || fail "endless: exit $rc"
has endless "<stdin>:1: no newline in 1 GiB"

printf 'not gzip at all\n' >"$T/bad.log.gz"
if command -v gzip >/dev/null 2>&1; then
	run badgz --replay "$T/bad.log.gz"
	[ "$rc" = 2 ] || fail "badgz: exit $rc"
	has badgz "cannot decompress"
fi

# the same events from plain, compressed and stdin, and compressed input
# known by its content: a file without its extension, a stream on stdin
"$IOSPY" --no-report --json "$T/plain.json" --replay "$SEED" 2>/dev/null ||
    fail "seed replay failed"
want=$(json_get "$T/plain.json" 'j["totals"]["bytes"]')
[ "$want" = 629145689 ] || fail "seed bytes: $want"
for tool in gzip xz zstd bzip2; do
	command -v $tool >/dev/null 2>&1 || continue
	case $tool in gzip) ext=gz ;; xz) ext=xz ;; zstd) ext=zst ;; bzip2) ext=bz2 ;; esac
	$tool -c <"$SEED" >"$T/seed.$ext" 2>/dev/null || continue
	"$IOSPY" --no-report --json "$T/$ext.json" --replay "$T/seed.$ext" 2>"$T/$ext.err" ||
	    fail "$ext replay failed: $(cat "$T/$ext.err")"
	[ "$(json_get "$T/$ext.json" 'j["totals"]["bytes"]')" = "$want" ] ||
	    fail "$ext: bytes differ"
	cp "$T/seed.$ext" "$T/seed-$ext.log"
	"$IOSPY" --no-report --json "$T/$ext-n.json" --replay "$T/seed-$ext.log" \
	    2>"$T/$ext-n.err" || fail "$ext without its extension: $(cat "$T/$ext-n.err")"
	[ "$(json_get "$T/$ext-n.json" 'j["totals"]["bytes"]')" = "$want" ] ||
	    fail "$ext without its extension: bytes differ"
	"$IOSPY" --no-report --json "$T/$ext-i.json" --replay - <"$T/seed.$ext" \
	    2>"$T/$ext-i.err" || fail "$ext on stdin: $(cat "$T/$ext-i.err")"
	[ "$(json_get "$T/$ext-i.json" 'j["totals"]["bytes"]')" = "$want" ] ||
	    fail "$ext on stdin: bytes differ"
done
"$IOSPY" --no-report --json "$T/stdin.json" --replay - <"$SEED" 2>/dev/null ||
    fail "stdin replay failed"
[ "$(json_get "$T/stdin.json" 'j["totals"]["bytes"]')" = "$want" ] ||
    fail "stdin: bytes differ"
exit 0
