#!/bin/sh
# Paths in a replayed log: one file under its spellings ("./x", "x",
# "//dir/./x"), UTF-8 names as UTF-8 in a UTF-8 locale (escaped in C, and
# control characters always), and a log without a pid column names its
# process by its command, not "pid 0".
. "${TOP_SRCDIR:-.}/tests/lib.sh"

scratch
command -v strace >/dev/null 2>&1 || skip "strace is not installed"
cd "$T" || fail "cd"
mkdir d
strace -qq -o plain.log sh -c 'echo hi > ./x; echo there >> x; echo a >> d/../x; echo b > ./"é"' 2>/dev/null ||
	skip "strace cannot trace here"
strace -qq -y -o y.log sh -c "echo a >> //$T/./x" 2>/dev/null ||
	skip "strace cannot trace here"

"$IOSPY" --json plain.json --replay plain.log >plain.txt 2>&1 || fail "replay: $(cat plain.txt)"
# ./x and x are one file (d/../x stays apart: a symlink could make it another)
[ "$(json_get plain.json 'sum(1 for f in [f for p in j["processes"] for f in p["files"]] if f["path"] == "x")')" = 1 ] ||
	fail "./x and x are not one file: $(json_get plain.json '[f["path"] for f in [f for p in j["processes"] for f in p["files"]]]')"
[ "$(json_get plain.json '[f for f in [f for p in j["processes"] for f in p["files"]] if f["path"] == "x"][0]["writes"]["bytes"]')" = 9 ] ||
	fail "x: bytes"
# the command line as its strings: the script is one string, cut by -s
[ "$(json_get plain.json 'j["processes"][0]["argv"][:2]')" = "['sh', '-c']" ] ||
	fail "argv: $(json_get plain.json 'j["processes"][0]["argv"]')"
[ "$(json_get plain.json 'j["processes"][0]["argv_cut"]')" = "[2]" ] ||
	fail "argv_cut: $(json_get plain.json 'j["processes"][0]["argv_cut"]')"
grep -q '^Process sh: sh -c echo hi > ./x; .*\.\.\.$' plain.txt ||
	fail "the cut script has no ...: $(grep Process plain.txt)"
grep -q '^Process sh:' plain.txt || fail "a log without pids: $(grep Process plain.txt)"
grep -q 'pid 0' plain.txt && fail "pid 0 in the report"

LC_ALL=C.UTF-8 "$IOSPY" --replay plain.log >utf.txt 2>&1 || fail "replay (UTF-8)"
grep -q "  é$" utf.txt || fail "UTF-8 name not printed as UTF-8: $(grep -a '\\\\303' utf.txt)"
LC_ALL=C "$IOSPY" --replay plain.log >c.txt 2>&1 || fail "replay (C)"
grep -qF '\303\251' c.txt || fail "UTF-8 name not escaped in the C locale"

"$IOSPY" --json y.json --replay y.log >y.txt 2>&1 || fail "replay -y: $(cat y.txt)"
[ "$(json_get y.json '[f["path"] for f in [f for p in j["processes"] for f in p["files"]] if f["writes"]["bytes"] == 2][0]')" = "$T/x" ] ||
	fail "//dir/./x not cleaned: $(json_get y.json '[f["path"] for f in [f for p in j["processes"] for f in p["files"]]]')"

# strace -yy names sockets by protocol and endpoints: they are sockets
cat >sock.py <<'PY'
import os, socket
a, b = socket.socketpair()
os.write(a.fileno(), b"hello")
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.create_connection(s.getsockname()); d, _ = s.accept()
os.write(c.fileno(), b"x" * 100)
PY
strace -qq -f -yy -o yy.log python3 sock.py 2>/dev/null || skip "strace cannot trace python3"
grep -q 'TCP:\[' yy.log || skip "this strace does not print -yy socket endpoints"
"$IOSPY" --no-report --json yy.json --replay yy.log 2>yy.err || fail "replay -yy: $(cat yy.err)"
[ "$(json_get yy.json 'sorted(f["kind"] for p in j["processes"] for f in p["files"] if f["path"].startswith(("TCP:", "UNIX")))')" = "['socket', 'socket']" ] ||
	fail "-yy sockets: $(json_get yy.json '[(f["path"], f["kind"]) for p in j["processes"] for f in p["files"]]')"
exit 0
