#!/bin/sh
# Ordinary, healthy programs under iospy (launch mode, ptrace): none of
# them may get a churn, rotation or deleted-backup finding, nor a short
# write to a regular file.  Python threads logging with a FileHandler,
# sqlite3 in journal and WAL mode, git init/add/commit, cp -r, tar czf,
# sort with temp files, xz -T2, a one-line hello, rsync -a and make.  A
# program missing here is skipped with a message.  The shipped CI budget
# (examples/ci/io-budget.conf) passes a healthy Python + sqlite suite.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
need_cmd python3
scratch
cd "$T" || fail "cd $T"

ran=0
# check NAME JSON: the verdict on one program's report
check() {
	python3 - "$1" "$2" <<'PY' || fail "$1: a false alarm (report: $T/$1.txt)"
import json, sys
name, path = sys.argv[1], sys.argv[2]
j = json.load(open(path))
bad = []
for f in j["findings"]:
    k = set(f["kinds"]) & {"churn", "rotation", "deleted-backup"}
    if k:
        bad.append("%s: %s" % (sorted(k), f["text"]))
for p in j["processes"]:
    for f in p["files"]:
        if f["kind"] == "file" and f["writes"]["short"]:
            bad.append("%d short writes to %s" % (f["writes"]["short"], f["path"]))
        if f["kind"] == "file" and f["writes"]["count"] and \
           f["writes"]["min"] == 0:
            bad.append("a 0-byte write to %s" % f["path"])
for b in bad:
    print("FAIL: %s: %s" % (name, b))
sys.exit(1 if bad else 0)
PY
}

# run NAME PROGRAM ARGS...: trace one program, check its report
run() {
	name=$1
	shift
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "SKIP part: $name ($1 not installed)"
		return 0
	fi
	rc=0
	"$IOSPY" --engine=ptrace -q --report "$T/$name.txt" --json "$T/$name.json" -- "$@" \
	    >"$T/$name.out" 2>&1 || rc=$?
	[ "$rc" = 0 ] || fail "$name: exit $rc: $(tail -5 "$T/$name.out")"
	check "$name" "$T/$name.json"
	echo "ok: $name"
	ran=$((ran + 1))
}

run hello python3 -c "open('h.txt', 'w').write('hello\n')"

cat >thr.py <<'PY'
import logging, threading
h = logging.FileHandler("thr.log")
log = logging.getLogger("t")
log.addHandler(h)
log.setLevel(logging.INFO)
def work(i):
    for k in range(300):
        log.info("thread %d line %d", i, k)
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
PY
run python-threads python3 thr.py

# sqlite3: 100 transactions of their own (a journal made and deleted each
# time) and 20,000 inserts in 20 transactions, in both journal modes
python3 - <<'PY'
for mode in ("DELETE", "WAL"):
    with open("%s.sql" % mode, "w") as f:
        f.write("PRAGMA journal_mode=%s;\nCREATE TABLE t(a, b);\n" % mode)
        for i in range(100):
            f.write("INSERT INTO t VALUES(%d, 'row %d');\n" % (i, i))
        for b in range(20):
            f.write("BEGIN;\n")
            for i in range(1000):
                f.write("INSERT INTO t VALUES(%d, 'row %d');\n" % (i, i))
            f.write("COMMIT;\n")
PY
run sqlite-journal sqlite3 -init DELETE.sql j.db .quit
run sqlite-wal sqlite3 -init WAL.sql w.db .quit

mkdir src
i=1
while [ $i -le 20 ]; do
	head -c $((i * 5000)) /dev/urandom >"src/f$i"
	i=$((i + 1))
done
if command -v git >/dev/null 2>&1; then
	cp -r src g
	run git sh -c 'cd g && git init -q && git add . &&
	    git -c user.name=t -c user.email=t@example.com commit -qm x'
fi
run cp-r cp -r src dst
run tar tar czf a.tgz src
seq 1 300000 | sort -R >in.txt 2>/dev/null || seq 1 300000 >in.txt
mkdir st
run sort sort -T st -S 1M -o sorted.txt in.txt
python3 -c "
import random
r = random.Random(1)
w = ['alpha', 'beta', 'gamma', 'delta', 'log', 'line', 'write']
with open('x.txt', 'w') as f:
    for i in range(60000):
        f.write(' '.join(r.choice(w) for _ in range(5)) + '\n')
"
run xz xz -T2 -1 --block-size=512KiB -k -f x.txt
run rsync rsync -a src/ rs/
printf 'all: out/a out/b\nout/%%: src/f1\n\tmkdir -p out && cat $< > $@\n' >Makefile
run make make -s

# the shipped CI budget passes a healthy Python + sqlite suite
if command -v sqlite3 >/dev/null 2>&1; then
	rm -f j.db
	rc=0
	"$IOSPY" --engine=ptrace -q --no-report --limits "$TOP_SRCDIR/examples/ci/io-budget.conf" \
	    -- sh -c 'python3 thr.py && sqlite3 -init DELETE.sql j.db .quit' \
	    >budget.out 2>&1 || rc=$?
	[ "$rc" = 0 ] || fail "io-budget.conf fails a healthy suite: $(cat budget.out)"
	echo "ok: io-budget.conf"
fi
[ $ran -gt 0 ] || skip "no program ran"
exit 0
