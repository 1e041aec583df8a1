#!/bin/sh
# The refreshing --top view in a real terminal (tmux): device lines first,
# process rows sorted by DISK/s, no more rows than the terminal has, q
# quits with status 0 and the terminal is restored (same stty settings,
# the alternate screen left, the cursor shown).
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_cmd tmux
scratch
SOCK="iospy-test-$$"
pid=""
cleanup() {
	_rc=$?
	tmux -L "$SOCK" kill-server 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	scratch_done $_rc
}
trap cleanup EXIT

"$HELPERS/ratewriter" "$T/w.dat" 8388608 262144 30 >"$T/w.out" &
pid=$!

cat >"$T/run.sh" <<SH
printf 'before-marker\n'
stty -g >"$T/stty.before"
"$IOSPY" --top --interval 0.5
echo "rc=\$?" >"$T/rc"
stty -g >"$T/stty.after"
sleep 60
SH
tmux -L "$SOCK" -f /dev/null new-session -d -x 150 -y 20 "sh $T/run.sh" ||
	skip "tmux cannot start a session here"

screen() { tmux -L "$SOCK" capture-pane -p >"$T/screen"; }
i=0
while :; do
	screen
	grep -q '^ *PID COMMAND' "$T/screen" && grep -q "ratewriter" "$T/screen" && break
	i=$((i + 1)); [ $i -gt 60 ] && { cat "$T/screen"; fail "no view after 6 s"; }
	sleep 0.1
done
cat "$T/screen"
lines=$(grep -c . "$T/screen")
[ "$lines" -le 20 ] || fail "$lines lines on a 20-line terminal"
grep -q before-marker "$T/screen" && fail "not on the alternate screen"
# device title before process title
awk '/^DEVICE/ { d = NR } /^ *PID COMMAND/ { p = NR } END { exit !(d && p && d < p) }' \
	"$T/screen" || fail "device lines are not first"
# DISK/s (column 3) does not increase down the rows
awk '
function bytes(s,  u, v) {
	u = substr(s, length(s)); v = s + 0
	if (u == "K") v *= 1024; else if (u == "M") v *= 1048576
	else if (u == "G") v *= 1073741824
	return v
}
/^ *PID COMMAND/ { on = 1; next }
on && /^ *[0-9]+ / { v = bytes($3); if (n++ && v > last * 1.0001) bad = 1; last = v }
/^\(/ { on = 0 }
END { exit bad || n == 0 }' "$T/screen" || fail "rows not sorted by DISK/s"

tmux -L "$SOCK" send-keys q
i=0
while [ ! -s "$T/rc" ] || [ ! -s "$T/stty.after" ]; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "q did not quit within 5 s"
	sleep 0.1
done
grep -qx "rc=0" "$T/rc" || fail "exit: $(cat "$T/rc")"
cmp -s "$T/stty.before" "$T/stty.after" || fail "terminal settings not restored"
sleep 0.2
screen
grep -q before-marker "$T/screen" || { cat "$T/screen"; fail "the alternate screen was not left"; }
grep -q '^ *PID COMMAND' "$T/screen" && fail "the view stayed on the main screen"
cursor=$(tmux -L "$SOCK" display -p '#{cursor_flag}')
[ "$cursor" = 1 ] || fail "cursor still hidden"
exit 0
