#!/bin/sh
# Relative paths are resolved from the working directory the calls leave
# (chdir, fchdir, ".." and an absolute jump), inherited by a child: under
# both live engines, where the bpf engine reads its records after the
# process has moved on, and in the replay of a strace -y log.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
need_cmd strace
scratch

mkdir -p "$T/w"
cat >"$T/w/mover.py" <<'PY'
import os, sys
top = os.getcwd()
for i in range(20):
    os.makedirs("d%d/in" % i, exist_ok=True)
    os.chdir("d%d" % i)
    with open("f.txt", "w") as f:
        f.write("x" * (i + 1))
    os.chdir("in")
    with open("g.txt", "w") as f:
        f.write("y")
    os.chdir("../..")
import logging, logging.handlers
os.makedirs("logs", exist_ok=True)
os.chdir("logs")
h = logging.handlers.RotatingFileHandler("app.log", maxBytes=2000,
                                         backupCount=2)
lg = logging.getLogger("t")
lg.addHandler(h)
lg.setLevel(logging.INFO)
for i in range(100):
    lg.info("line %03d %s", i, "x" * 40)
h.close()
os.chdir(top)
os.makedirs("mv", exist_ok=True)
with open("mv/r.tmp.txt", "w") as f:
    f.write("rr")
os.chdir("mv")
os.rename("r.tmp.txt", "r.txt")
os.chdir(top)
fd = os.open("d3", os.O_RDONLY)
os.fchdir(fd)
with open("h.txt", "w") as f:
    f.write("zz")
os.chdir(top + "/d4")
if os.fork() == 0:
    with open("child.txt", "w") as f:
        f.write("c")
    os._exit(0)
os.wait()
PY

# the files written and their bytes, as a sorted "path bytes" list
files() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
out = set()
for p in j["processes"]:
    for f in p.get("files", []):
        if f["path"].endswith((".txt", ".log")):
            out.add("%s %d" % (f["path"], f["writes"]["bytes"]))
print("\n".join(sorted(out)))
PY
}

W=$T/w
{
	for i in $(seq 0 19); do
		echo "$W/d$i/f.txt $((i + 1))"
		echo "$W/d$i/in/g.txt 1"
	done
	echo "$W/d3/h.txt 2"
	echo "$W/logs/app.log 5000"
	echo "$W/mv/r.txt 2"
	echo "$W/d4/child.txt 1"
} | sort >"$T/want"

check() {
	files "$1" >"$T/got"
	diff "$T/want" "$T/got" >"$T/diff" || {
		cat "$T/diff"
		fail "$2: the files are not where the process wrote them"
	}
	# the handler's relative renames are the same file's rotations
	r=$(json_get "$1" '[f["rotation"]["rotations"] for p in j["processes"] for f in p.get("files", []) if f["path"].endswith("/logs/app.log")][0]')
	[ "$r" = 2 ] || fail "$2: app.log rotations: $r"
}

engines=ptrace
if "$IOSPY" --engine=bpf -q --no-report -- true 2>/dev/null; then
	engines="ptrace bpf"
else
	echo "bpf engine unavailable here: ptrace and replay only"
fi
for e in $engines; do
	rm -rf "$W"/d* "$W"/logs "$W"/mv
	(cd "$W" && "$IOSPY" --engine=$e -q --no-report --json "$T/$e.json" \
	    -- python3 mover.py) || fail "--engine=$e: failed"
	check "$T/$e.json" "--engine=$e"
done

rm -rf "$W"/d* "$W"/logs "$W"/mv
(cd "$W" && strace -f -y -qq -o "$T/log" python3 mover.py) ||
    skip "strace cannot trace here"
"$IOSPY" -q --no-report --json "$T/r.json" --replay "$T/log" ||
    fail "replay failed"
check "$T/r.json" "replay of strace -y"
grep -q 'fchdir(' "$T/log" || fail "the workload made no fchdir"
