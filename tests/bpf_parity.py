#!/usr/bin/env python3
"""bpf_parity.py A.json B.json: the per-file story of two live runs of the
same workload (ptrace and bpf engine) must be the same: per (command, file)
write counts, bytes, size distribution, rotation, deleted backups, churn,
and the per-process memory counts.  Times, rates and pids differ by
nature and are left out.  Exit 1 with the differences, else 0."""
import json
import re
import sys

TIMING = {"rate", "latency", "first_ns", "last_ns", "first_offset_ns", "last_offset_ns",
          "avg_seconds_between", "stacks"}


def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in TIMING}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


def story(path):
    # pipe inodes differ from run to run; both engines name a pipe by its
    # inode (an unnamed "pipe:[]" would be a difference); a pipe or socket
    # without one ("socketpair:[pid 7 fds 3,4]") by its maker's pid
    text = re.sub(r'pipe:\[[0-9]+\]', 'pipe:[N]', open(path).read())
    j = json.loads(re.sub(r':\[pid [0-9]+ ', ':[pid N ', text))
    files, procs = {}, {}
    for p in j["processes"]:
        key = "%s %s" % (p.get("comm"), p.get("cmdline"))
        pr = procs.setdefault(key, [])
        pr.append(strip({k: p[k] for k in ("writes", "bytes", "exited",
                                            "exit_code", "exit_signal",
                                            "memory")}))
        for f in p["files"]:
            files.setdefault("%s: %s" % (p.get("comm"), f.get("path")),
                             []).append(strip(f))
    for v in list(files.values()) + list(procs.values()):
        v.sort(key=json.dumps)
    # what was found, not how it is worded (pids) nor the rate (timing)
    finds = sorted(json.dumps([x.get("comm"), x.get("path"),
                               [k for k in x.get("kinds", []) if k != "rate"]])
                   for x in j.get("findings", []))
    return j, files, procs, finds


def main():
    a, af, ap, an = story(sys.argv[1])
    b, bf, bp, bn = story(sys.argv[2])
    bad = []
    for k in sorted(set(af) | set(bf)):
        if af.get(k) != bf.get(k):
            bad.append("file %s:\n  %s\n  %s" % (k, json.dumps(af.get(k)),
                                                json.dumps(bf.get(k))))
    for k in sorted(set(ap) | set(bp)):
        if ap.get(k) != bp.get(k):
            bad.append("process %s:\n  %s\n  %s" % (k, json.dumps(ap.get(k)),
                                                   json.dumps(bp.get(k))))
    for k in ("writes", "bytes", "files"):
        if a["totals"][k] != b["totals"][k]:
            bad.append("totals %s: %s vs %s" % (k, a["totals"][k],
                                                b["totals"][k]))
    if an != bn:
        bad.append("findings:\n  %s\n  %s" % (an, bn))
    if b["run"].get("lost_events") not in (0, None):
        bad.append("lost events: %s" % b["run"]["lost_events"])
    for x in bad:
        print(x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
