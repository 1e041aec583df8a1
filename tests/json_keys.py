#!/usr/bin/env python3
"""json_keys.py: the leaf key paths of iospy JSON outputs, and the check
that each one is documented.

  json_keys.py list FILE...            every leaf key path, one a line
  json_keys.py doc MANPAGE FILE...     the leaf keys the man page's JSON
                                       OUTPUT section does not name (exit 1
                                       when there is one)
  json_keys.py schema SCHEMA MANPAGE   the property names of the schema
                                       the man page does not name (exit 1)

A path is the keys from the root joined by '.', with '[]' for an array
element, e.g. processes[].files[].rotation.path_bytes.  Keys of maps whose
keys are data (writes.errors: errno names) are shown as '*'.  A leaf is a
key whose value is not an object or array (or is an empty one).
"""
import json
import re
import sys

# objects whose keys are data, not names
DATA_KEYS = {"errors"}


def leaves(v, path, out):
    if isinstance(v, dict):
        if not v:
            out.add(path)
        for k, x in v.items():
            if path.rsplit(".", 1)[-1] in DATA_KEYS:
                k = "*"
            leaves(x, path + "." + k if path else k, out)
    elif isinstance(v, list):
        if not v:
            out.add(path)
        for x in v:
            leaves(x, path + "[]", out)
    else:
        out.add(path)


def paths_of(files):
    out = set()
    for f in files:
        with open(f) as fh:
            leaves(json.load(fh), "", out)
    return out


def man_names(man):
    """The words the JSON OUTPUT section of the man page names."""
    text = open(man).read()
    m = re.search(r"^\.Sh JSON OUTPUT\n(.*?)^\.Sh ", text, re.S | re.M)
    if m is None:
        sys.exit("json_keys: no JSON OUTPUT section in " + man)
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", m.group(1)))


def last_key(p):
    k = p.rsplit(".", 1)[-1].replace("[]", "")
    return k


def schema_names(v, out):
    if isinstance(v, dict):
        props = v.get("properties")
        if isinstance(props, dict):
            out.update(props.keys())
        for x in v.values():
            schema_names(x, out)
    elif isinstance(v, list):
        for x in v:
            schema_names(x, out)


def main(argv):
    if len(argv) >= 2 and argv[0] == "list":
        for p in sorted(paths_of(argv[1:])):
            print(p)
        return 0
    if len(argv) >= 3 and argv[0] == "doc":
        names = man_names(argv[1])
        missing = sorted(p for p in paths_of(argv[2:])
                         if last_key(p) not in ("*", "") and
                         last_key(p) not in names)
        for p in missing:
            print("undocumented:", p)
        return 1 if missing else 0
    if len(argv) == 3 and argv[0] == "schema":
        out = set()
        schema_names(json.load(open(argv[1])), out)
        names = man_names(argv[2])
        missing = sorted(out - names)
        for k in missing:
            print("in the schema, not in the man page:", k)
        return 1 if missing else 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
