#!/bin/sh
# The report end to end: replay the seed's strace excerpt (tests/data) and
# a log recorded here with strace, and check what the text report, the
# JSON and the --interval lines say.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_cmd python3
scratch

SEED="$TOP_SRCDIR/tests/data/seed.strace"
rc=0
"$IOSPY" --replay "$SEED" --json "$T/seed.json" >"$T/seed.txt" 2>"$T/seed.err" || rc=$?
grep -q 'not implemented' "$T/seed.err" && skip "replay not implemented yet"
[ "$rc" = 0 ] || fail "seed replay: exit $rc: $(cat "$T/seed.err")"

# the seed, said plainly (text report on stdout in replay mode)
for want in \
    'writes /tmp/logtest.txt in single 300.0 MiB writes' \
    'each write costs 2.0x its size in fresh anonymous memory' \
    'the file is rotated at 900.0 MiB (to /tmp/logtest.txt.1)' \
    'deleting the oldest backup (/tmp/logtest.txt.1, 900.0 MiB lost)'; do
	grep -qF "$want" "$T/seed.txt" || fail "seed: no '$want' in: $(cat "$T/seed.txt")"
done
j() { json_get "$T/seed.json" "$1"; }
[ "$(j 'j["version"]')" = 2 ] || fail "json version"
[ "$(j 'j["run"]["mode"]')" = replay ] || fail "json mode"
f='j["processes"][0]["files"][0]'
[ "$(j "$f[\"path\"]")" = /tmp/logtest.txt ] || fail "json path"
[ "$(j "$f[\"writes\"][\"max\"]")" = 314572844 ] || fail "json max"
[ "$(j "round($f[\"churn\"][\"ratio\"], 1)")" = 2.0 ] || fail "json churn"
[ "$(j "$f[\"rotation\"][\"rotations\"]")" = 1 ] || fail "json rotations"
[ "$(j "$f[\"rotation\"][\"backups_deleted\"]")" = 1 ] || fail "json backups"
[ "$(j "$f[\"rotation\"][\"bytes_lost\"]")" = 943718535 ] || fail "json lost"
[ "$(j 'len(j["findings"])')" = 1 ] || fail "json findings"

# a log recorded here, with time stamps: rates and --interval lines
need_cmd strace
cat >"$T/w.sh" <<SH
i=0
while [ \$i -lt 30 ]; do
	dd if=/dev/zero bs=64k count=1 2>/dev/null >>"$T/out.log"
	sleep 0.05
	i=\$((i + 1))
done
mv "$T/out.log" "$T/out.log.1"
SH
strace -f -y -tt -T -qq -o "$T/w.trace" sh "$T/w.sh" || fail "strace"
"$IOSPY" --replay "$T/w.trace" --interval 0.5 --json "$T/w.json" >"$T/w.txt" 2>"$T/w.err" ||
    fail "replay w: $(cat "$T/w.err")"
grep -q 'writes/s' "$T/w.txt" || fail "no interval header: $(cat "$T/w.txt")"
n=$(grep -c " $T/out.log\$" "$T/w.txt")
[ "$n" -ge 2 ] || fail "interval lines: $n: $(cat "$T/w.txt")"
grep -q 'rate ' "$T/w.txt" || fail "no rate line"
grep -q 'rotation   1 rotation, renamed to' "$T/w.txt" || fail "no rotation: $(cat "$T/w.txt")"
[ "$(json_get "$T/w.json" 'sum(f["writes"]["bytes"] for p in j["processes"] for f in p["files"] if f["path"].endswith("/out.log"))')" = 1966080 ] ||
    fail "bytes to out.log"
exit 0
