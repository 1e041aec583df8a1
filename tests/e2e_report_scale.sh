#!/bin/sh
# The report of a busy program: ranked and cut (--show N, --all), a view
# by file across processes and by directory, the findings grouped (one
# sentence per pattern), and --path selecting what the report shows.
# The JSON always holds everything.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_cmd python3
scratch

# a replayed log: one process copies 300 files in 30 directories (20 of
# them in single 2 MiB writes), 8 workers append to one log
python3 - "$T/busy.log" <<'PY'
import sys
out = open(sys.argv[1], "w")
for d in range(30):
    for f in range(10):
        p = "/dst/pkg%02d/file%d" % (d, f)
        size = 2097152 if (d * 10 + f) % 15 == 0 else 1000 + d * 10 + f
        out.write('100 write(4<%s>, "x"..., %d) = %d\n' % (p, size, size))
        out.write('100 write(4<%s>, "x"..., %d) = %d\n' % (p, 100, 100))
for w in range(8):
    for i in range(5):
        out.write('%d write(3</var/log/app.log>, "line"..., 50) = 50\n' % (200 + w))
PY
"$IOSPY" --replay "$T/busy.log" --json "$T/busy.json" >"$T/busy.txt" 2>"$T/busy.err" ||
	fail "replay: exit $?: $(cat "$T/busy.err")"
n=$(wc -l <"$T/busy.txt")
[ "$n" -lt 100 ] || fail "default report has $n lines: $(cat "$T/busy.txt")"
grep -q "^Files: 301 written, the 10 largest" "$T/busy.txt" || fail "no Files view: $(cat "$T/busy.txt")"
grep -q "and 291 more files: " "$T/busy.txt" || fail "no rest line"
grep -q "/var/log/app.log (8 processes)" "$T/busy.txt" ||
	grep -q "most writes: /var/log/app.log (40)" "$T/busy.txt" ||
	fail "the log of 8 workers is not one file: $(cat "$T/busy.txt")"
grep -q "^Directories under /dst/: 31" "$T/busy.txt" || fail "no directory view"
grep -q "  /dst/pkg[0-9]*/$" "$T/busy.txt" || fail "no pkg row"
# one sentence for the 20 files written in single 2 MiB writes
grep -q "writes 20 files in single 2.0 MiB writes" "$T/busy.txt" ||
	fail "findings not grouped: $(grep -A12 Findings "$T/busy.txt")"
[ "$(grep -c 'in single' "$T/busy.txt")" = 1 ] || fail "more than one big-write sentence"
# the JSON has every file and every finding
[ "$(json_get "$T/busy.json" 'len(j["processes"][0]["files"])')" = 300 ] || fail "json files"
[ "$(json_get "$T/busy.json" 'len(j["findings"])')" = 20 ] || fail "json findings"

# --show 3: three files in the view; --all: every file in detail
"$IOSPY" --replay "$T/busy.log" --show 3 >"$T/s3.txt" 2>/dev/null || fail "--show 3"
grep -q "^Files: 301 written, the 3 largest" "$T/s3.txt" || fail "--show 3 view"
grep -q "and 298 more files" "$T/s3.txt" || fail "--show 3 rest"
"$IOSPY" --replay "$T/busy.log" --all >"$T/all.txt" 2>/dev/null || fail "--all"
[ "$(grep -c '^  /dst/pkg' "$T/all.txt")" = 300 ] || fail "--all: not every file in detail"
grep -q "more files" "$T/all.txt" && fail "--all still cuts"
"$IOSPY" --replay "$T/busy.log" --show 0 >/dev/null 2>&1 && fail "--show 0 accepted"

# --path selects what the report shows (and what the limits judge)
"$IOSPY" --replay "$T/busy.log" --path '/dst/pkg02/*' --max-write 1M >"$T/p.txt" 2>/dev/null
rc=$?
[ "$rc" = 0 ] || fail "-P: exit $rc (pkg02 has no big write)"
grep -q "/dst/pkg02/file" "$T/p.txt" || fail "-P: the selected files are not shown"
grep -q "/dst/pkg00\|app.log" "$T/p.txt" && fail "-P: other files shown: $(cat "$T/p.txt")"
grep -q "the report shows only the files they select: 20 writes" "$T/p.txt" ||
	fail "-P: no selection line: $(head -4 "$T/p.txt")"
"$IOSPY" --replay "$T/busy.log" --path '/dst/pkg00/*' --max-write 1M >"$T/p0.txt" 2>/dev/null
[ $? = 1 ] || fail "--path pkg00 with --max-write: a limit should break"

# live: cp -r of a real tree reports in under 100 lines
if [ -d /usr/share/doc ] && command -v strace >/dev/null 2>&1 &&
    strace -f -qq -o /dev/null true >/dev/null 2>&1; then
	"$IOSPY" -q -- cp -r /usr/share/doc "$T/X" 2>"$T/cp.txt" ||
		fail "cp -r: exit $?: $(tail -3 "$T/cp.txt")"
	n=$(wc -l <"$T/cp.txt")
	[ "$n" -lt 100 ] || fail "cp -r /usr/share/doc: $n lines"
fi
exit 0
