#!/bin/sh
# The threaded replay (workers decode blocks of lines, the main thread feeds
# them in order) must give exactly what a line-by-line replay gives: the
# same report, the same JSON, the same problems on stderr, the same exit
# status.  Small blocks (IOSPY_REPLAY_BLOCK) put every kind of line on a
# block boundary: a call and its -k frames, the halves of a call, a CRLF
# line, a last line without its newline, a line longer than a block.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_cmd python3
scratch

# logs of our own, made by the real strace
if strace -f -qq -o /dev/null true >/dev/null 2>&1; then
	W=$T/work
	mkdir "$W"
	# threads: unfinished/resumed pairs; -k: stack frames after calls
	python3 - "$W" > "$T/threads.py" <<'EOF'
import sys
print('''import os, threading
def w(i):
    fd = os.open("%s/t%%d" %% i, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    for j in range(150):
        os.write(fd, b"y" * (j + 1))
    os.close(fd)
ts = [threading.Thread(target=w, args=(i,)) for i in range(4)]
[t.start() for t in ts]
[t.join() for t in ts]
os.rename("%s/t0", "%s/t0.1")
os.unlink("%s/t1")
''' % ((sys.argv[1],) * 4))
EOF
	strace -f -tt -T -y -o "$T/threads.strace" python3 "$T/threads.py" ||
		fail "strace threads"
	strace -f -o "$T/plain.strace" python3 "$T/threads.py" ||
		fail "strace plain"
	strace -f -r -o "$T/relative.strace" python3 "$T/threads.py" ||
		fail "strace -r"
	strace -f -C -o "$T/summary.strace" sh -c "echo hi > $W/s" ||
		fail "strace -C"
	strace -f -k -e trace=write,openat,close -o "$T/stack.strace" python3 -c "
import os
fd = os.open('$W/k', os.O_WRONLY | os.O_CREAT, 0o644)
for i in range(40): os.write(fd, b'k' * (i + 1))
os.close(fd)" 2>/dev/null || rm -f "$T/stack.strace"	# strace without -k
	# a write of 1.5 MB shown whole: a line longer than any block
	strace -f -s 2000000 -tt -y -o "$T/long.strace" python3 -c "
import os
fd = os.open('$W/long', os.O_WRONLY | os.O_CREAT, 0o644)
os.write(fd, b'z' * 1500000)
for i in range(50): os.write(fd, b'a' * 10)
os.close(fd)" || fail "strace long"
	sed 's/$/\r/' "$T/threads.strace" > "$T/crlf.strace"
	head -c -9 "$T/threads.strace" > "$T/partial.strace"
else
	echo "strace cannot trace here: comparing the stored logs only"
fi

set -- "$TOP_SRCDIR"/tests/data/*.strace "$TOP_SRCDIR"/tests/fuzz/corpus/* \
	"$TOP_SRCDIR"/examples/logapp.strace
for f in "$T"/*.strace; do
	[ -f "$f" ] && set -- "$@" "$f"
done
if [ -d "$SHARED_DIR/corpus" ]; then
	for f in "$SHARED_DIR"/corpus/*; do
		case $f in *.md) continue ;; esac
		[ -f "$f" ] && set -- "$@" "$f"
	done
fi

n=0
for f in "$@"; do
	IOSPY_REPLAY_THREADS=0 "$IOSPY" --json "$T/a.json" --replay "$f" \
		> "$T/a.out" 2> "$T/a.err"
	ra=$?
	# workers:block ("-": the default block); a block per line costs a
	# wake-up per line: small logs only
	modes="1:- 2:300 1:4096 3:7"
	[ "$(wc -c < "$f")" -lt 200000 ] && modes="$modes 1:1"
	for mode in $modes; do
		th=${mode%:*}
		bl=${mode#*:}
		[ "$bl" = - ] && bl=
		IOSPY_REPLAY_THREADS=$th IOSPY_REPLAY_BLOCK=$bl "$IOSPY" \
			--json "$T/b.json" --replay "$f" > "$T/b.out" 2> "$T/b.err"
		rb=$?
		what="$(basename "$f") with $th worker(s), block ${bl:-default}"
		[ "$ra" = "$rb" ] || fail "$what: exit $rb, line by line $ra"
		cmp -s "$T/a.out" "$T/b.out" ||
			{ diff "$T/a.out" "$T/b.out" | head -20; fail "$what: report differs"; }
		cmp -s "$T/a.json" "$T/b.json" || fail "$what: JSON differs"
		cmp -s "$T/a.err" "$T/b.err" ||
			{ diff "$T/a.err" "$T/b.err" | head -20; fail "$what: stderr differs"; }
	done
	n=$((n + 1))
done
echo "$n logs replay the same with and without worker threads"
