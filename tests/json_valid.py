#!/usr/bin/env python3
"""json_valid.py SCHEMA PATH...: check iospy's JSON outputs against the
schema (doc/iospy-report.schema.json).

A PATH that is a directory is searched for *.json files; of those, the ones
that are not iospy outputs (do not parse, or are neither a report, with
"tool": "iospy", nor a --top sample) are left alone.  A file named on the
command line must be an iospy output.  Prints each mismatch and exits 1 on
any.  Without python3's jsonschema module it checks nothing and exits 0,
unless IOSPY_REQUIRE_JSONSCHEMA is set (CI sets it): then it exits 1.
"""
import json
import os
import sys


def is_output(j):
    return isinstance(j, dict) and (j.get("tool") == "iospy" or
                                    ("interval_s" in j and "devices" in j))


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        import jsonschema
    except ImportError:
        if os.environ.get("IOSPY_REQUIRE_JSONSCHEMA"):
            print("json_valid: python3 jsonschema is missing "
                  "(apt-get install python3-jsonschema)")
            return 1
        return 0
    with open(argv[0]) as f:
        schema = json.load(f)
    v = jsonschema.Draft7Validator(schema)
    files = []
    for p in argv[1:]:
        if os.path.isdir(p):
            for d, _, names in os.walk(p):
                files += [(os.path.join(d, n), False) for n in sorted(names)
                          if n.endswith(".json")]
        else:
            files.append((p, True))
    bad = 0
    for path, named in files:
        try:
            with open(path) as f:
                j = json.load(f)
        except (OSError, ValueError) as e:
            if named:
                print("json_valid: %s: %s" % (path, e))
                bad += 1
            continue
        if not is_output(j):
            if named:
                print("json_valid: %s: not an iospy output" % path)
                bad += 1
            continue
        for e in sorted(v.iter_errors(j), key=lambda e: list(e.absolute_path)):
            where = "".join("[%s]" % x if isinstance(x, int) else "." + x
                            for x in e.absolute_path)
            print("json_valid: %s: %s: %s" % (os.path.basename(path),
                                              where or "(root)", e.message[:300]))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
