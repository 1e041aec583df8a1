#!/bin/sh
# --engine: auto takes bpf where its program loads and says so, else
# ptrace with the reason (BPF denied: IOSPY_BPF_DENY, or an unprivileged
# user; --stack); --engine=bpf refuses clearly where BPF cannot load.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
scratch

W="$HELPERS/writer"
engine() { json_get "$1" 'j["run"]["engine"]'; }
reason() { json_get "$1" 'j["run"]["engine_reason"]'; }

# bad values are usage errors
rc=0
"$IOSPY" --engine=bogus -- true 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "--engine=bogus: exit $rc"
grep -q "invalid --engine" "$T/err" || fail "--engine=bogus: no message"

# denied: auto falls back to ptrace and says why; bpf refuses
IOSPY_BPF_DENY=1 "$IOSPY" --engine=auto -q --report "$T/d.txt" --json "$T/d.json" \
    "$W" "$T/d.out" 10 64 || fail "auto, BPF denied: failed"
[ "$(engine "$T/d.json")" = ptrace ] || fail "auto, BPF denied: not ptrace"
reason "$T/d.json" | grep -q IOSPY_BPF_DENY || fail "auto, BPF denied: reason: $(reason "$T/d.json")"
grep -q "engine: ptrace, chosen by --engine=auto: .*IOSPY_BPF_DENY" "$T/d.txt" ||
    fail "auto, BPF denied: the report does not say why"
[ "$(json_get "$T/d.json" 'j["totals"]["bytes"]')" = 640 ] || fail "auto, BPF denied: bytes"
[ "$(json_get "$T/d.json" 'j["run"]["lost_events"]')" = None ] ||
    fail "ptrace run with a lost-events count"
rc=0
IOSPY_BPF_DENY=1 "$IOSPY" --engine=bpf -q -- true 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "--engine=bpf, denied: exit $rc"
grep -q "denied" "$T/err" || fail "--engine=bpf, denied: no message"

# --stack: auto takes ptrace (when this iospy unwinds at all)
if "$IOSPY" -q --no-report --stack --engine=ptrace -- true 2>/dev/null; then
	"$IOSPY" -q --no-report --stack --json "$T/s.json" -- true ||
	    fail "auto --stack failed"
	[ "$(engine "$T/s.json")" = ptrace ] || fail "auto --stack: not ptrace"
	reason "$T/s.json" | grep -q -- "--stack" || fail "auto --stack: reason"
fi
rc=0
"$IOSPY" --engine=bpf --stack -- true 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "--engine=bpf --stack: exit $rc"

# an unprivileged user: no BPF for it, auto falls back to ptrace
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$IOSPY"; then
	U="$T/nobody"
	mkdir "$U" && chmod 777 "$U" && chmod 755 "$T"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$IOSPY" --engine=auto -q --no-report --json "$U/u.json" \
	    "$W" "$U/u.out" 10 64 || fail "auto as nobody: failed"
	[ "$(engine "$U/u.json")" = ptrace ] || fail "auto as nobody: not ptrace"
	reason "$U/u.json" | grep -q "cannot load the BPF program" ||
	    fail "auto as nobody: reason: $(reason "$U/u.json")"
fi

# where BPF loads, auto takes it and says so
if "$IOSPY" --engine=bpf -q --no-report -- true 2>/dev/null; then
	"$IOSPY" -q --report "$T/a.txt" --json "$T/a.json" "$W" "$T/a.out" 10 64 ||
	    fail "auto: failed"
	[ "$(engine "$T/a.json")" = bpf ] || fail "auto where BPF loads: not bpf"
	[ "$(json_get "$T/a.json" 'j["run"]["lost_events"]')" = 0 ] ||
	    fail "auto: events lost"
	grep -q "engine: bpf, chosen by --engine=auto: the BPF program loaded; 0 events lost" \
	    "$T/a.txt" || fail "auto: the report does not say which engine"
	[ "$(json_get "$T/a.json" 'j["totals"]["bytes"]')" = 640 ] || fail "auto: bytes"
fi
exit 0
