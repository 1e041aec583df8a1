#!/usr/bin/env python3
"""logapp.py: the seed incident's application, reproduced.

A program that logs one enormous message every 0.1 s through Python's
logging module into a RotatingFileHandler (/tmp/logtest.txt, rotated at
1 GiB, one backup).  Each message is a fresh 300 MiB string, so every
message costs several huge anonymous mappings (the string, the formatted
record, the line with its newline, the encoded bytes) and one write() of
about 300 MiB; every third message the log rotates: the old backup is
unlinked and the log renamed over it.  The disk saturates.

Signals, as in the incident:
  SIGUSR1  set the log level to INFO    (the messages are written)
  SIGUSR2  set the log level to WARNING (the messages are dropped: the fix)

Every option has the incident's value as its default; tests run it at
4-16 MiB with a handful of messages:
  python3 logapp.py --size 8M --max-bytes 20M --count 5 --path /tmp/x.log

Each write is SIZE + 45 bytes: the 44-byte header
"YYYY-MM-DD HH:MM:SS,mmm - __main__ - INFO - " and the newline.
Standard library only.
"""

import argparse
import logging
import os
import random
import re
import signal
import string
import sys
import time
from logging.handlers import RotatingFileHandler

UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(text):
    """'4096', '4k', '4KiB', '8M', '1.5G' -> bytes (binary units)."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*([kKmMgGtT]?)(?:i?[bB])?\s*",
                     text)
    if m is None:
        raise argparse.ArgumentTypeError("bad size: %r" % text)
    value = float(m.group(1)) * UNITS[m.group(2).lower()]
    if value != int(value) or value < 0:
        raise argparse.ArgumentTypeError("bad size: %r" % text)
    return int(value)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Log huge messages through a RotatingFileHandler "
                    "(the iospy seed case).")
    p.add_argument("--path", default="/tmp/logtest.txt",
                   help="log file (default /tmp/logtest.txt)")
    p.add_argument("--size", type=parse_size, default=300 << 20,
                   help="message size, e.g. 4M (default 300M)")
    p.add_argument("--max-bytes", type=parse_size, default=1 << 30,
                   help="rotate the log at this size (default 1G)")
    p.add_argument("--backup-count", type=int, default=1,
                   help="backups kept (default 1)")
    p.add_argument("--count", type=int, default=0,
                   help="messages to log, 0 = forever (default 0)")
    p.add_argument("--interval", type=float, default=0.1,
                   help="seconds between messages (default 0.1)")
    p.add_argument("--pidfile", default=None,
                   help="write the process id to this file at start")
    return p.parse_args(argv)


def build_message(size):
    """A fresh string of exactly size letters (one big allocation)."""
    chunk = "".join(random.choice(string.ascii_letters) for _ in range(1024))
    whole, rest = divmod(size, len(chunk))
    return chunk * whole + chunk[:rest]


def fix_mmap_threshold():
    """Keep every big allocation in its own fresh anonymous mapping.

    glibc serves large allocations with mmap, but after the first one is
    freed it raises its threshold (up to 32 MiB on 64-bit), so at the
    4-16 MiB sizes the tests use the messages would come from the heap
    instead.  At 300 MiB the incident's pattern needs no help; a fixed
    threshold (glibc's own 128 KiB default, made static with mallopt)
    shows the same pattern at any size.  Nothing happens off glibc.
    """
    try:
        import ctypes
        libc = ctypes.CDLL(None)
        libc.mallopt(-3, 128 * 1024)    # M_MMAP_THRESHOLD
    except (ImportError, OSError, AttributeError):
        pass


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    fix_mmap_threshold()

    logger = logging.getLogger("__main__")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = RotatingFileHandler(args.path, maxBytes=args.max_bytes,
                                  backupCount=args.backup_count)
    handler.setFormatter(logging.Formatter(
        "%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
    logger.addHandler(handler)

    signal.signal(signal.SIGUSR1, lambda s, f: logger.setLevel(logging.INFO))
    signal.signal(signal.SIGUSR2,
                  lambda s, f: logger.setLevel(logging.WARNING))

    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())

    n = 0
    while args.count == 0 or n < args.count:
        # built anew for every message, as the incident's app did
        message = build_message(args.size)
        logger.info(message)
        del message
        n += 1
        if args.count == 0 or n < args.count:
            time.sleep(args.interval)
    handler.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
