#!/bin/sh
# The event log round trip: `iospy -o LOG CMD` then `iospy --replay LOG`
# must give the same per-file numbers as the live run, and the replay
# parser must read every line iospy wrote (strace's own syntax).
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
scratch

W="$HELPERS/writer"

compare() {	# compare NAME LIVE.json REPLAY.json
	python3 - "$@" <<'PY' || fail "$1: live and replay differ"
import json, sys
name, a, b = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
def files(j):
    out = {}
    for p in j['processes']:
        for f in p['files']:
            w, r, d = f['writes'], f['rotation'] or {}, f['deleted_while_open']
            out[(p['pid'], f['path'])] = (w['count'], w['bytes'], w['failed'],
                r.get('rotations', 0), r.get('backups_deleted', 0),
                d['bytes_after_unlink'])
    return out
fa, fb = files(a), files(b)
ok = True
if fa != fb:
    print(name, 'live  ', sorted(fa.items()))
    print(name, 'replay', sorted(fb.items()))
    ok = False
if a['totals'] != b['totals']:
    print(name, 'totals', a['totals'], b['totals'])
    ok = False
if b['run']['lines_skipped'] != 0 or b['run']['unfinished'] != 0:
    print(name, 'replay skipped/unfinished', b['run'])
    ok = False
sys.exit(0 if ok else 1)
PY
}

roundtrip() {	# roundtrip NAME [IOSPY OPTIONS] -- CMD...
	name=$1
	shift
	opts=
	while [ "$1" != -- ]; do opts="$opts $1"; shift; done
	shift
	rc=0
	"$IOSPY" --engine=ptrace -q --no-report $opts -o "$T/$name.log" --json "$T/$name.live.json" "$@" ||
	    rc=$?
	[ "$rc" = 0 ] || fail "$name: live run exit $rc"
	rc=0
	"$IOSPY" -q --no-report --replay "$T/$name.log" --json "$T/$name.replay.json" ||
	    rc=$?
	[ "$rc" = 0 ] || fail "$name: replay exit $rc"
	compare "$name" "$T/$name.live.json" "$T/$name.replay.json"
}

mkdir "$T/th" "$T/fe" "$T/ro" "$T/de"
roundtrip writes -- "$W" "$T/w.out" 50 100 writev
roundtrip threads -- "$HELPERS/threads" "$T/th" 3 20 64
roundtrip forkexec -- "$HELPERS/forkexec" "$T/fe" "$W"
roundtrip rotate -ttt -T -- "$HELPERS/rotate" "$T/ro" 3 4 100
roundtrip deleted -tt -s 0 -- "$HELPERS/deleted" "$T/de" 5 64
roundtrip shell -- sh -c "echo a >'$T/sh.out'; echo bb >>'$T/sh.out'; mv '$T/sh.out' '$T/sh.old'"
exit 0
