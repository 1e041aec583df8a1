#!/usr/bin/env python3
"""pty_run.py [--cols N] [--stdout-too] TTYLOG -- COMMAND...: run COMMAND
with its stderr (and with --stdout-too its stdout) on a pseudo-terminal of
N columns (80), everything written to the terminal saved in TTYLOG; its
stdout otherwise stays this script's.  Exits with COMMAND's status."""
import fcntl
import os
import pty
import struct
import sys
import termios


def main(argv):
    cols, both = 80, False
    while argv and argv[0].startswith("--") and argv[0] != "--":
        if argv[0] == "--cols":
            cols = int(argv[1])
            argv = argv[2:]
        elif argv[0] == "--stdout-too":
            both = True
            argv = argv[1:]
        else:
            sys.exit("pty_run: unknown option " + argv[0])
    log, argv = argv[0], argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.dup2(slave, 2)
        if both:
            os.dup2(slave, 1)
        os.close(slave)
        os.environ.pop("COLUMNS", None)
        os.execvp(argv[0], argv)
    os.close(slave)
    out = bytearray()
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:		# EIO: every writer closed the terminal
            break
        if not b:
            break
        out += b
    _, st = os.waitpid(pid, 0)
    with open(log, "wb") as f:
        f.write(out)
    return os.waitstatus_to_exitcode(st)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
