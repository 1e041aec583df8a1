#!/bin/sh
# --replay - from a live pipe (strace -o /dev/stdout ... | iospy --replay -):
# what has arrived is counted and shown while the writer waits, not once
# a buffer fills or the pipe closes.  The writer sends the first lines,
# then waits (up to 60 s, no timing asserted) for iospy's --interval line
# about them before it sends the rest.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_cmd python3
scratch
python3 - "$IOSPY" <<'PY' || fail "live pipe replay"
import subprocess, sys, time, os, select
p = subprocess.Popen([sys.argv[1], "--replay", "-", "--interval", "1"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.STDOUT)
def send(s):
    p.stdin.write(s.encode()); p.stdin.flush()
send('7 10:00:00.000000 openat(AT_FDCWD, "/tmp/x", O_WRONLY|O_CREAT, 0666) = 3\n'
     '7 10:00:00.100000 write(3, "abc", 3) = 3\n'
     '7 10:00:01.200000 write(3, "abc", 3) = 3\n')
got = b""
end = time.monotonic() + 60
while b"/tmp/x" not in got and time.monotonic() < end:
    r, _, _ = select.select([p.stdout], [], [], 0.5)
    if r:
        got += os.read(p.stdout.fileno(), 4096)
if b"/tmp/x" not in got:
    print("no --interval line while the pipe waits:", got)
    p.kill(); sys.exit(1)
send('7 10:00:02.300000 write(3, "abc", 3) = 3\n')
p.stdin.close()
rest = p.stdout.read()
p.wait()
if p.returncode != 0 or b"3 writes, 9 B" not in rest:
    print("the report:", rest); sys.exit(1)
PY
exit 0
