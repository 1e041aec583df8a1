#!/bin/sh
# e2e_json_schema: the JSON outputs of each mode match the schema
# (doc/iospy-report.schema.json), every leaf key they hold is named in the
# man page's JSON OUTPUT section, and so is every key of the schema.  Also
# the version 2 meanings: start_ns is epoch ns or null in every mode,
# totals.files counts distinct paths.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
scratch
SCHEMA="$TOP_SRCDIR/doc/iospy-report.schema.json"
MAN="$TOP_SRCDIR/doc/iospy.1"
KEYS="$TOP_SRCDIR/tests/json_keys.py"

python3 "$KEYS" schema "$SCHEMA" "$MAN" || fail "schema keys missing from the man page"

# replay: a -tt log (time of day, no date), with a limit broken
"$IOSPY" --replay "$TOP_SRCDIR/examples/logapp.strace" --no-report \
    --max-write 1k --json "$T/tod.json" >/dev/null 2>&1
[ "$(json_get "$T/tod.json" 'j["run"]["clock"]')" = time-of-day ] || fail "tod: clock"
[ "$(json_get "$T/tod.json" 'j["run"]["start_ns"]')" = None ] || fail "tod: start_ns not null"
[ "$(json_get "$T/tod.json" 'j["run"]["start_time_of_day_ns"] > 0')" = True ] ||
    fail "tod: start_time_of_day_ns"
[ "$(json_get "$T/tod.json" 'j["processes"][0]["files"][0]["first_ns"]')" = None ] ||
    fail "tod: first_ns not null"
[ "$(json_get "$T/tod.json" 'j["processes"][0]["files"][0]["first_offset_ns"] >= 0')" = True ] ||
    fail "tod: first_offset_ns"

# the same log with epoch times (-ttt): start_ns is the date
python3 -c '
import re, sys
for l in open(sys.argv[1]):
    sys.stdout.write(re.sub(r"^(\d+ +)(\d\d):(\d\d):(\d\d)\.",
        lambda m: "%s%d." % (m.group(1), 1790000000 + int(m.group(2)) * 3600 +
                             int(m.group(3)) * 60 + int(m.group(4))), l))
' "$TOP_SRCDIR/examples/logapp.strace" >"$T/epoch.strace"
"$IOSPY" --replay "$T/epoch.strace" --no-report --json "$T/epoch.json" >/dev/null 2>&1
[ "$(json_get "$T/epoch.json" 'j["run"]["clock"]')" = epoch ] || fail "epoch: clock"
[ "$(json_get "$T/epoch.json" 'j["run"]["start_ns"] > 1790000000 * 10**9')" = True ] ||
    fail "epoch: start_ns"
[ "$(json_get "$T/epoch.json" 'j["run"]["start_time_of_day_ns"]')" = None ] ||
    fail "epoch: start_time_of_day_ns"

# two processes writing one path: 1 distinct file, 2 (process, file) pairs
cat >"$T/two.strace" <<'LOG'
100 write(1</tmp/shared.log>, "abc", 3) = 3
101 write(1</tmp/shared.log>, "abc", 3) = 3
101 write(2</tmp/other.log>, "abc", 3) = 3
LOG
"$IOSPY" --replay "$T/two.strace" --no-report --json "$T/two.json" >/dev/null 2>&1
[ "$(json_get "$T/two.json" 'j["totals"]["files"]')" = 2 ] || fail "two: totals.files"
[ "$(json_get "$T/two.json" 'j["totals"]["process_files"]')" = 3 ] ||
    fail "two: totals.process_files"
[ "$(json_get "$T/two.json" 'j["run"]["clock"]')" = None ] || fail "two: clock"

# --top --once: the other object
"$IOSPY" --top --once --interval 0.2 --json "$T/top.json" >/dev/null 2>&1 ||
    fail "--top --once --json"

if ptrace_ok; then
	"$IOSPY" --engine=ptrace -q --no-report --max-write 1 --json "$T/launch.json" \
	    -- "$HELPERS/writer" "$T/w.out" 20 64 >/dev/null 2>&1
	[ "$(json_get "$T/launch.json" 'j["run"]["clock"]')" = epoch ] || fail "launch: clock"
	[ "$(json_get "$T/launch.json" 'j["run"]["start_ns"] > 10**18')" = True ] ||
	    fail "launch: start_ns"
	[ "$(json_get "$T/launch.json" 'j["processes"][0]["files"][0]["first_ns"] >= j["run"]["start_ns"]')" = True ] ||
	    fail "launch: first_ns"
fi

json_valid "$T"/*.json
python3 "$KEYS" doc "$MAN" "$T"/*.json || fail "keys missing from the man page"
python3 "$KEYS" list "$T"/*.json >"$T/keys"
echo "$(wc -l <"$T/keys") leaf key paths, all documented"
