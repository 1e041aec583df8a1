#!/usr/bin/env python3
"""bench/run.py: iospy's overhead against strace and a bare ptrace floor.

Runs each workload untraced, under strace (plain, --seccomp-bpf, pinned),
under iospy (--wait=auto/spin/block, --pin) and under bench/floor (plain,
--seccomp, --pin, --spin), several times, interleaved, and prints the
medians and their ratios as one table.  Then attach mode (a process making
getppid calls and writes, attached by iospy -p and strace -p) and the CPU
iospy uses while attached to an idle process.

Usually run as `make bench` (BENCH_ARGS=--quick for a smoke run); by hand:
  python3 bench/run.py --builddir BUILD [--quick] [--runs N] [--json FILE]

A tracer that cannot run a workload (not built yet, an error) shows "n/a";
the reason is printed under the table.
"""

import argparse
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- machine

def machine_info(tools):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {
        "nproc": os.cpu_count(),
        "cpus_allowed": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "kernel": platform.release(),
        "loadavg": os.getloadavg(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    for name, argv in tools.items():
        try:
            out = subprocess.run(argv, capture_output=True, text=True,
                                 timeout=10)
            text = (out.stdout or out.stderr).strip().splitlines()
            info[name] = text[0] if text else "?"
        except (OSError, subprocess.SubprocessError):
            info[name] = "not found"
    return info


# ---------------------------------------------------------------- workloads

def workloads(b, quick):
    """name -> (description, argv(scratch)); counts cut 10x by --quick."""
    q = 10 if quick else 1
    py = sys.executable or "python3"
    return {
        "writes": ("%d writes of 64 B to one file" % (50000 // q),
                   lambda d: [b["bench_writes"], "-n", str(50000 // q),
                              "-s", "64", "-o", os.path.join(d, "w.out")]),
        "writes500k": ("%d writes of 64 B to one file" % (500000 // q),
                       lambda d: [b["bench_writes"], "-n", str(500000 // q),
                                  "-s", "64", "-o", os.path.join(d, "w5.out")]),
        "getppid": ("%d getppid + a 64 B write every 100" % (1000000 // q),
                    lambda d: [b["bench_getppid"], "-n", str(1000000 // q),
                               "-e", "100", "-o", os.path.join(d, "g.out")]),
        "bigbuf": ("%d x 8 MiB lines, fresh mmap each, rotation at 32 MiB"
                   % (64 // (4 if quick else 1)),
                   lambda d: [b["logapp"], "--size", "8M", "--count",
                              str(64 // (4 if quick else 1)), "--interval",
                              "0", "--max-bytes", "32M", "--path",
                              os.path.join(d, "big.log")]),
        "python": ("examples/logapp.py, %d x 4 MiB, rotation at 16 MiB"
                   % (8 // (2 if quick else 1)),
                   lambda d: [py, b["logapp.py"], "--size", "4M", "--count",
                              str(8 // (2 if quick else 1)), "--interval",
                              "0", "--max-bytes", "16M", "--path",
                              os.path.join(d, "py.log")]),
        "threads": ("4 threads, %d writes of 64 B in all" % (50000 // q),
                    lambda d: [b["bench_threads"], "-t", "4", "-n",
                               str(50000 // q), "-s", "64", "-o",
                               os.path.join(d, "t.out")]),
    }


# Modes that stop on every syscall: on the getppid workload they take
# minutes (2M stops), so they are left out there unless --all.
EVERY_SYSCALL = {"strace", "strace-pin", "floor", "floor-pin", "floor-spin"}
# The modes run on writes500k (the bpf engine's target; ptrace modes take
# ten times the writes workload there), unless --all.
BIG_MODES = {"untraced", "iospy-bpf", "bpf-floor", "bpftrace"}

# bpftrace's equivalent of the work: bytes asked to be written, per fd, for
# the launched pid (it needs tracefs for the syscalls tracepoints)
BPFTRACE_PROG = ("tracepoint:syscalls:sys_enter_write /pid == cpid/ "
                 "{ @bytes[args->fd] = sum(args->count); }")


def bpftrace_ready(b):
    """(True, None) if bpftrace can run its program here, else (False, why);
    mounts tracefs at /sys/kernel/tracing when it is not mounted."""
    if not b.get("bpftrace"):
        return False, "bpftrace not installed"
    ev = "/sys/kernel/tracing/events/syscalls/sys_enter_write"
    if not os.path.isdir("/sys/kernel/tracing/events"):
        p = subprocess.run(["mount", "-t", "tracefs", "nodev",
                            "/sys/kernel/tracing"], capture_output=True)
        if p.returncode != 0:
            return False, "tracefs is not mounted and cannot be (%s)" % \
                p.stderr.decode("utf-8", "replace").strip()[:100]
        b["mounted_tracefs"] = True
    if not os.path.isdir(ev):
        return False, "no syscalls tracepoints (%s)" % ev
    return True, None


def modes(b, trace_set, cpu):
    """name -> argv prefix (the workload's argv follows)."""
    strace = [b["strace"], "-f", "-qq", "-y", "-e", "trace=" + trace_set,
              "-o", "/dev/null"]
    strace_sc = [b["strace"], "-f", "--seccomp-bpf", "-qq", "-y", "-e",
                 "trace=" + trace_set, "-o", "/dev/null"]
    iospy = [b["iospy"], "-q", "--report", "/dev/null", "--engine=ptrace"]
    bpf = [b["iospy"], "-q", "--report", "/dev/null", "--engine=bpf"]
    m = {
        "untraced": [],
        "strace": strace,
        "strace-seccomp": strace_sc,
        "strace-pin": [b["taskset"], "-c", str(cpu)] + strace,
        "iospy": iospy + ["--"],
        "iospy-spin": iospy + ["--wait=spin", "--"],
        "iospy-block": iospy + ["--wait=block", "--"],
        "iospy-pin": iospy + ["--pin=%d" % cpu, "--"],
        "floor": [b["floor"], "--"],
        "floor-seccomp": [b["floor"], "--seccomp", "--"],
        "floor-pin": [b["floor"], "--pin=%d" % cpu, "--"],
        "floor-spin": [b["floor"], "--spin", "--"],
        "iospy-bpf": bpf + ["--"],
    }
    if b.get("bpf_floor"):
        m["bpf-floor"] = [b["bpf_floor"], "--"]
    if b.get("bpftrace_ok"):
        # bpftrace -c takes the command as one string
        m["bpftrace"] = lambda argv: [b["bpftrace"], "-q", "-o", "/dev/null",
                                      "-e", BPFTRACE_PROG, "-c",
                                      " ".join(shlex.quote(a) for a in argv)]
    return m


def full_argv(mode, argv):
    return mode(argv) if callable(mode) else mode + argv


MODE_NOTES = {
    "untraced": "no tracer",
    "strace": "strace -f -qq -y -e trace=SET -o /dev/null",
    "strace-seccomp": "the same with --seccomp-bpf",
    "strace-pin": "taskset -c CPU strace ... (no seccomp)",
    "iospy": "iospy -q --report /dev/null --engine=ptrace (--wait=auto, "
             "seccomp)",
    "iospy-bpf": "iospy -q --report /dev/null --engine=bpf (load included)",
    "bpf-floor": "bench/bpf_floor: empty programs on tp_btf/sys_enter and "
                 "sys_exit, the floor of any tracer on those hooks",
    "bpftrace": "bpftrace -e 'sys_enter_write /pid == cpid/ { @bytes[fd] = "
                "sum(count) }' -c CMD",
    "iospy-spin": "iospy --wait=spin",
    "iospy-block": "iospy --wait=block",
    "iospy-pin": "iospy --pin=CPU",
    "floor": "bench/floor: PTRACE_SYSCALL + waitpid, nothing else",
    "floor-seccomp": "bench/floor --seccomp: RET_TRACE on SET, PTRACE_CONT",
    "floor-pin": "bench/floor --pin=CPU",
    "floor-spin": "bench/floor --spin: waitpid(WNOHANG) polling first",
}


def clean_dir(d):
    for name in os.listdir(d):
        p = os.path.join(d, name)
        try:
            if os.path.isdir(p):
                shutil.rmtree(p)
            else:
                os.unlink(p)
        except OSError:
            pass


def run_timed(argv, timeout):
    """(seconds, None) or (None, why)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timed out after %ds" % timeout
    except OSError as e:
        return None, "%s: %s" % (argv[0], e.strerror)
    t = time.perf_counter() - t0
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        why = err[-1] if err else ""
        return None, "exit %d %s" % (p.returncode, why[:160])
    return t, None


# ---------------------------------------------------------------- attach

def stop_tracer(tr, grace=15):
    """Wait for a tracer to end by itself, then SIGINT, then SIGKILL."""
    try:
        return tr.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    tr.send_signal(signal.SIGINT)
    try:
        return tr.wait(timeout=10)
    except subprocess.TimeoutExpired:
        tr.kill()
        return tr.wait()


def attach_once(b, tracer_argv, count, d, timeout):
    """Loop seconds of bench_getppid -w, with tracer_argv + [-p PID]; a
    tracer without ptrace (--engine=bpf) is waited for by its 'attached'
    line and starts the loop with SIGUSR1 (bench_getppid -u)."""
    usr1 = "--engine=bpf" in tracer_argv or \
        tracer_argv[0].endswith("bpf_floor")
    wl = subprocess.Popen([b["bench_getppid"], "-n", str(count), "-e", "100",
                           "-o", os.path.join(d, "a.out"),
                           "-u" if usr1 else "-w", "-r"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL)
    try:
        tr = subprocess.Popen(tracer_argv + ["-p", str(wl.pid)],
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    except OSError as e:
        wl.kill()
        wl.wait()
        return None, "%s: %s" % (tracer_argv[0], e.strerror)
    if usr1:
        while True:
            line = tr.stderr.readline()
            if not line or b"attached" in line:
                break
        wl.send_signal(signal.SIGUSR1)
    # a tracer that gives up early leaves the workload waiting for it
    deadline = time.monotonic() + timeout
    tracer_first = False
    while wl.poll() is None:
        if tr.poll() is not None:
            tracer_first = True
            try:
                wl.wait(timeout=2)
            except subprocess.TimeoutExpired:
                wl.kill()
                wl.wait()
            break
        if time.monotonic() > deadline:
            wl.kill()
            wl.wait()
            stop_tracer(tr, 0)
            return None, "timed out after %ds" % timeout
        time.sleep(0.02)
    out, err = wl.communicate()
    rc = stop_tracer(tr)
    terr = tr.stderr.read().decode("utf-8", "replace").strip().splitlines()
    tr.stderr.close()
    if wl.returncode != 0 and tracer_first:
        return None, "tracer exit %d %s" % (rc, (terr[-1] if terr else "")
                                            [:160])
    if wl.returncode != 0:
        why = (terr[-1] if terr else
               err.decode("utf-8", "replace").strip()[:160])
        return None, "workload exit %d (%s)" % (wl.returncode, why[:160])
    if rc not in (0, -signal.SIGINT):
        return None, "tracer exit %d %s" % (rc, (terr[-1] if terr else "")
                                            [:160])
    return float(out.split()[0]), None


def untraced_loop(b, count, d):
    p = subprocess.run([b["bench_getppid"], "-n", str(count), "-e", "100",
                        "-o", os.path.join(d, "a.out"), "-r"],
                       capture_output=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        return None, "exit %d" % p.returncode
    return float(p.stdout.split()[0]), None


# ---------------------------------------------------------------- idle

def proc_cpu_ticks(pid):
    """utime + stime of pid, in clock ticks (None once it is gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def idle_once(tracer_argv, idle_argv, secs):
    """CPU% of the tracer attached to an idle process over secs seconds."""
    idle = subprocess.Popen(idle_argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL)
    try:
        tr = subprocess.Popen(tracer_argv + ["-p", str(idle.pid)],
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    except OSError as e:
        idle.kill()
        idle.wait()
        return None, "%s: %s" % (tracer_argv[0], e.strerror)
    try:
        time.sleep(0.5)     # let it attach and settle
        c0, t0 = proc_cpu_ticks(tr.pid), time.perf_counter()
        time.sleep(secs)
        c1, t1 = proc_cpu_ticks(tr.pid), time.perf_counter()
        alive = tr.poll() is None
    finally:
        if tr.poll() is None:
            tr.send_signal(signal.SIGINT)
        rc = stop_tracer(tr, 10)
        idle.kill()
        idle.wait()
    terr = tr.stderr.read().decode("utf-8", "replace").strip().splitlines()
    tr.stderr.close()
    if not alive or c0 is None or c1 is None:
        return None, "tracer exit %s %s" % (rc, (terr[-1] if terr else "")
                                            [:160])
    return 100.0 * (c1 - c0) / CLK_TCK / (t1 - t0), None


# ---------------------------------------------------------------- output

def fmt_time(t):
    if t is None:
        return "n/a"
    if t < 10:
        return "%.3fs" % t
    return "%.1fs" % t


def fmt_ratio(r):
    if r is None:
        return ""
    if r < 10:
        return "%.2fx" % r
    return "%.0fx" % r


def median(xs):
    return statistics.median(xs) if xs else None


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", default=os.getcwd(),
                    help="where iospy, bench/ and examples/ were built")
    ap.add_argument("--srcdir", default=os.path.dirname(here),
                    help="the source tree (for examples/logapp.py)")
    ap.add_argument("--iospy", help="the iospy to measure "
                    "(default BUILDDIR/iospy)")
    ap.add_argument("--strace", default="strace")
    ap.add_argument("--quick", action="store_true",
                    help="a short smoke run: 10x smaller, one run each")
    ap.add_argument("--runs", type=int, help="runs per cell (5; quick 1)")
    ap.add_argument("--cpu", type=int, default=0,
                    help="the CPU of the pinned modes (0)")
    ap.add_argument("--workloads", help="comma-separated subset")
    ap.add_argument("--modes", help="comma-separated subset")
    ap.add_argument("--all", action="store_true",
                    help="also run the every-syscall modes on getppid "
                    "(minutes)")
    ap.add_argument("--no-attach", action="store_true")
    ap.add_argument("--no-idle", action="store_true")
    ap.add_argument("--only-attach", action="store_true",
                    help="only the attach table (no launch, no idle)")
    ap.add_argument("--attach-runs", type=int,
                    help="runs per attach row (min(runs, 3); quick 1)")
    ap.add_argument("--attach-modes", help="comma-separated subset of the "
                    "attach rows, e.g. 'strace -p,iospy -p,floor -p'")
    ap.add_argument("--dir", help="scratch directory (default /dev/shm "
                    "when writable, else $TMPDIR)")
    ap.add_argument("--timeout", type=int, default=600,
                    help="seconds before one run is given up (600)")
    ap.add_argument("--json", help="also write every measurement here")
    args = ap.parse_args()

    runs = args.runs or (1 if args.quick else 5)
    bd = os.path.abspath(args.builddir)
    b = {
        "iospy": os.path.abspath(args.iospy) if args.iospy
        else os.path.join(bd, "iospy"),
        "strace": shutil.which(args.strace) or args.strace,
        "taskset": shutil.which("taskset") or "taskset",
        "floor": os.path.join(bd, "bench", "floor"),
        "bench_writes": os.path.join(bd, "bench", "bench_writes"),
        "bench_getppid": os.path.join(bd, "bench", "bench_getppid"),
        "bench_threads": os.path.join(bd, "bench", "bench_threads"),
        "bench_idle": os.path.join(bd, "bench", "bench_idle"),
        "logapp": os.path.join(bd, "examples", "logapp"),
        "logapp.py": os.path.join(os.path.abspath(args.srcdir), "examples",
                                  "logapp.py"),
        "bpftrace": shutil.which("bpftrace"),
        "bpf_floor": os.path.join(bd, "bench", "bpf_floor"),
    }
    # built with the bpf engine only; it needs root (or CAP_BPF) to run
    if not os.access(b["bpf_floor"], os.X_OK) or subprocess.run(
            [b["bpf_floor"], "--", "true"], capture_output=True).returncode:
        b["bpf_floor"] = None
    for k in ("floor", "bench_writes", "bench_getppid", "bench_threads",
              "bench_idle", "logapp"):
        if not os.access(b[k], os.X_OK):
            sys.exit("run.py: %s is not built (make bench builds it)" % b[k])

    p = subprocess.run([b["floor"], "--print-set"], capture_output=True,
                       text=True, check=True)
    trace_set = p.stdout.strip()

    info = machine_info({"strace_version": [b["strace"], "-V"],
                         "iospy_version": [b["iospy"], "--version"]})
    print("iospy benchmarks%s" % (" (--quick)" if args.quick else ""))
    print("machine: %d CPUs (%d allowed), %s, Linux %s" %
          (info["nproc"], info["cpus_allowed"], info["cpu"], info["kernel"]))
    print("tools:   %s; %s; Python %s" %
          (info["iospy_version"], info["strace_version"],
           platform.python_version()))
    print("date:    %s, load average %.2f %.2f %.2f" %
          ((info["date"],) + tuple(info["loadavg"])))

    scratch_base = args.dir
    if scratch_base is None:
        scratch_base = ("/dev/shm" if os.access("/dev/shm", os.W_OK)
                        else tempfile.gettempdir())
    d = tempfile.mkdtemp(prefix="iospy-bench.", dir=scratch_base)
    print("scratch: %s; %d run(s) per cell, interleaved; medians" %
          (d, runs))
    print()

    if args.only_attach or (args.modes and "bpftrace" not in
                            args.modes.split(",")):
        b["bpftrace_ok"], bpftrace_why = False, "not asked for"
    else:
        b["bpftrace_ok"], bpftrace_why = bpftrace_ready(b)
        if not b["bpftrace_ok"]:
            print("bpftrace row skipped: %s" % bpftrace_why)
    wls = workloads(b, args.quick)
    if args.only_attach:
        wls = {}
        args.no_idle = True
        args.no_attach = False
    mds = modes(b, trace_set, args.cpu)
    if args.workloads:
        keep = args.workloads.split(",")
        wls = {k: v for k, v in wls.items() if k in keep}
    if args.modes:
        keep = args.modes.split(",")
        if "untraced" not in keep:
            keep.insert(0, "untraced")
        mds = {k: v for k, v in mds.items() if k in keep}

    times = {(w, m): [] for w in wls for m in mds}
    failed = {}
    skipped = set()
    if not args.all and "getppid" in wls:
        skipped = {("getppid", m) for m in mds if m in EVERY_SYSCALL}
    if not args.all and "writes500k" in wls:
        skipped |= {("writes500k", m) for m in mds if m not in BIG_MODES}
    results = {"machine": info, "runs": runs, "quick": args.quick,
               "trace_set": trace_set, "launch": {}, "attach": {},
               "idle": {}}

    mode_names = list(mds)
    try:
        # one untimed run of each workload first: the first run pays for
        # cold caches and fresh tmpfs pages, whichever mode it falls to
        for w, (_, argv_of) in wls.items():
            run_timed(argv_of(d), args.timeout)
            clean_dir(d)
        for r in range(runs):
            for w, (_, argv_of) in wls.items():
                # rotate the order each round so drift hits every mode
                order = mode_names[r % len(mode_names):] + \
                    mode_names[:r % len(mode_names)]
                for m in order:
                    if (w, m) in skipped or (w, m) in failed:
                        continue
                    t, why = run_timed(full_argv(mds[m], argv_of(d)),
                                       args.timeout)
                    clean_dir(d)
                    if t is None:
                        failed[(w, m)] = why
                    else:
                        times[(w, m)].append(t)
                    sys.stderr.write("  run %d/%d %-8s %-15s %s\n" %
                                     (r + 1, runs, w, m,
                                      fmt_time(t) if t is not None else why))
                    sys.stderr.flush()

        med = {k: median(v) for k, v in times.items()}
        for k in failed:
            med[k] = None
        for (w, m), v in times.items():
            results["launch"].setdefault(w, {})[m] = {
                "times": v, "median": med[(w, m)],
                "error": failed.get((w, m)),
                "skipped": (w, m) in skipped}

        # ------------------------------------------------ the launch table
        if wls:
            print_launch(wls, mds, med, skipped, failed, trace_set, args)
        if "iospy-bpf" in mds and wls:
            check_lost(b, wls, d, args, results)

        # ------------------------------------------------ attach mode
        if not args.no_attach:
            run_attach(b, trace_set, args, runs, d, results)

        # ------------------------------------------------ idle CPU
        if not args.no_idle:
            run_idle(b, trace_set, args, results)

        # ------------------------------------------------ the targets
        print_targets(med, results)
        print()
        print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())
    finally:
        shutil.rmtree(d, ignore_errors=True)
        if b.get("mounted_tracefs"):
            subprocess.run(["umount", "/sys/kernel/tracing"])

    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1, default=str)
    return 0


def print_launch(wls, mds, med, skipped, failed, trace_set, args):
    """The launch table, its legend and its failures."""
    print("Launch mode: median wall time and slowdown against untraced")
    col = 17
    print("%-15s" % "" + "".join("%*s" % (col, w) for w in wls))
    for m in mds:
        cells = []
        for w in wls:
            if (w, m) in skipped:
                cells.append("skipped")
                continue
            t = med[(w, m)]
            rr = ratio(t, med[(w, "untraced")]) if m != "untraced" \
                else None
            cells.append(("%s %s" % (fmt_time(t), fmt_ratio(rr))).strip())
        print("%-15s" % m + "".join("%*s" % (col, c) for c in cells))
    print()
    if "writes" in wls and med.get(("writes", "untraced")):
        n = 50000 // (10 if args.quick else 1)
        per = []
        for m in mds:
            t = med.get(("writes", m))
            if m != "untraced" and t is not None:
                per.append("%s %.1f" % (m, (t - med[("writes",
                                                      "untraced")])
                                        / n * 1e6))
        print(textwrap.fill("Cost per traced write (writes, us above "
                            "untraced): " + ", ".join(per), width=78,
                            subsequent_indent="  ", break_on_hyphens=False))
        print()
    for w, (desc, _) in wls.items():
        print("  %-8s %s" % (w, desc))
    print("  SET      the %d syscalls iospy stops on (bench/floor "
          "--print-set)" % len(trace_set.split(",")))
    if skipped:
        print("  skipped: modes that stop on every syscall, on getppid "
              "(minutes; --all runs them)")
    # one line per mode and reason, not per cell
    bywhy = {}
    for (w, m), why in failed.items():
        bywhy.setdefault((m, why), []).append(w)
    for (m, why), ws in bywhy.items():
        where = ("every workload" if len(ws) == len(wls) - sum(
            1 for w in wls if (w, m) in skipped) else ", ".join(ws))
        print("  n/a %s (%s): %s" % (m, where, why))
    print()



# The attach rows: name -> tracer argv ("-p PID" follows).  "floor -p"
# rows are the bare ptrace floor of attach mode: every syscall stops twice
# (no filter can be added to a running process), nothing else is done.
ATTACH_NOTES = {
    "strace -p": "strace -f -qq -y -e trace=SET -o /dev/null -p PID",
    "iospy -p": "iospy -q --report /dev/null --engine=ptrace -p PID "
                "(--wait=auto)",
    "iospy -p --engine=bpf": "iospy --report /dev/null --engine=bpf -p PID "
                             "(the workload starts at its 'attached')",
    "iospy -p --pin": "the same with --pin=CPU",
    "iospy -p --wait=spin": "the same with --wait=spin",
    "iospy -p --wait=block": "the same with --wait=block",
    "floor -p": "bench/floor -p PID: PTRACE_SYSCALL + waitpid, nothing else",
    "floor -p --spin": "bench/floor --spin -p PID: waitpid(WNOHANG) first",
    "floor -p --pin": "bench/floor --pin=CPU -p PID: tracer and tracee on "
                      "one CPU",
    "floor -p --yield": "bench/floor --yield -p PID: polling, sched_yield "
                        "between polls (iospy's spin)",
    "floor -p --pin --yield": "bench/floor --pin=CPU --yield -p PID: one "
                              "CPU, polling with sched_yield",
    "bpf floor -p": "bench/bpf_floor -p PID: empty programs on the syscall "
                    "tracepoints (the workload starts at its 'attached')",
}


def attach_tracers(b, trace_set, cpu):
    iospy = [b["iospy"], "-q", "--report", "/dev/null", "--engine=ptrace"]
    extra = {"bpf floor -p": [b["bpf_floor"]]} if b.get("bpf_floor") else {}
    return dict(extra, **{
        "iospy -p --engine=bpf": [b["iospy"], "--report", "/dev/null",
                                  "--engine=bpf"],
        "strace -p": [b["strace"], "-f", "-qq", "-y", "-e",
                      "trace=" + trace_set, "-o", "/dev/null"],
        "iospy -p": iospy,
        "iospy -p --pin": iospy + ["--pin=%d" % cpu],
        "iospy -p --wait=spin": iospy + ["--wait=spin"],
        "iospy -p --wait=block": iospy + ["--wait=block"],
        "floor -p": [b["floor"]],
        "floor -p --spin": [b["floor"], "--spin"],
        "floor -p --pin": [b["floor"], "--pin=%d" % cpu],
        "floor -p --yield": [b["floor"], "--yield"],
        "floor -p --pin --yield": [b["floor"], "--pin=%d" % cpu, "--yield"],
    })


def run_attach(b, trace_set, args, runs, d, results):
    """Two tables: the ptrace tracers on 200,000 calls, and the bpf ones
    (which add well under a microsecond a call) on ten times as many, so
    that their loop is long enough to time."""
    tracers = attach_tracers(b, trace_set, args.cpu)
    if args.attach_modes:
        keep = [k.strip() for k in args.attach_modes.split(",")]
        tracers = {k: v for k, v in tracers.items() if k in keep}
    q = 10 if args.quick else 1
    bpf = {k: v for k, v in tracers.items() if "bpf" in k}
    pt = {k: v for k, v in tracers.items() if k not in bpf}
    if pt or not bpf:
        run_attach_table(b, pt, 200000 // q, "attach", args, runs, d,
                         results)
    if bpf:
        run_attach_table(b, bpf, 2000000 // q, "attach_bpf", args, runs, d,
                         results)


def run_attach_table(b, tracers, count, key, args, runs, d, results):
    at = {k: [] for k in ["untraced"] + list(tracers)}
    afail = {}
    nruns = args.attach_runs or (min(runs, 3) if not args.quick else 1)
    names = list(tracers)
    for r in range(nruns):
        t, why = untraced_loop(b, count, d)
        if t is not None:
            at["untraced"].append(t)
        # rotate the order each round so drift hits every row
        order = names[r % len(names):] + names[:r % len(names)] \
            if names else []
        for name in order:
            if name in afail:
                continue
            t, why = attach_once(b, tracers[name], count, d, args.timeout)
            clean_dir(d)
            if t is None:
                afail[name] = why
            else:
                at[name].append(t)
            sys.stderr.write("  attach %d/%d %-22s %s\n" %
                             (r + 1, nruns, name, fmt_time(t)
                              if t is not None else why))
            sys.stderr.flush()
    amed = {k: (None if k in afail else median(v)) for k, v in at.items()}
    results[key] = {k: {"times": at[k], "median": amed[k],
                        "error": afail.get(k)} for k in at}
    un = amed["untraced"]
    st = amed.get("strace -p")
    floors = {k: v for k, v in amed.items()
              if k.startswith("floor -p") and v is not None}
    best = min(floors, key=floors.get) if floors else None
    print("Attach mode: %d getppid + a 64 B write every 100, loop time as "
          "the process measures it; median of %d" % (count, nruns))
    print("  %-22s %9s %10s %11s %11s" % ("", "time", "slowdown",
                                          "/ strace -p", "/ best floor"))
    for k in at:
        sl = ratio(amed[k], un) if k != "untraced" else None
        print("  %-22s %9s %10s %11s %11s" % (
            k, fmt_time(amed[k]), fmt_ratio(sl),
            fmt_ratio(ratio(amed[k], st)) if k != "untraced" else "",
            fmt_ratio(ratio(amed[k], floors[best]))
            if best and k != "untraced" else ""))
    for k in tracers:
        print("  %-22s %s" % (k, ATTACH_NOTES.get(k, "")))
    # the default iospy -p does not pin: its own bound is the best floor
    # row that does not pin either
    unpinned = {k: v for k, v in floors.items() if "--pin" not in k}
    best_up = min(unpinned, key=unpinned.get) if unpinned else None
    if best:
        print("  best floor: %s, %s strace -p" % (
            best, fmt_ratio(ratio(floors[best], st)) or "n/a"))
    if best_up:
        print("  best floor without --pin: %s, %s strace -p; iospy -p is "
              "%s it" % (best_up, fmt_ratio(ratio(floors[best_up], st))
                           or "n/a",
                           fmt_ratio(ratio(amed.get("iospy -p"),
                                           floors[best_up])) or "n/a"))
    for k, why in afail.items():
        print("  n/a %s: %s" % (k, why))
    print()
    if key != "attach":
        return
    # slowdown ratios (the same as time ratios: one untraced median)
    results["attach_best_floor"] = best
    results["attach_best_unpinned_floor"] = best_up
    results["attach_ratios"] = {
        k: {"vs_strace": ratio(amed[k], st),
            "vs_best_floor": ratio(amed[k], floors[best]) if best else None}
        for k in tracers}


def check_lost(b, wls, d, args, results):
    """One more (untimed) run of each workload under the bpf engine, with
    --json: the events its ring buffer lost (target 0 everywhere)."""
    print("bpf engine: events lost to a full ring buffer (one --json run "
          "per workload)")
    lost = {}
    for w, (_, argv_of) in wls.items():
        js = os.path.join(d, "lost.json")
        p = subprocess.run([b["iospy"], "-q", "--no-report", "--engine=bpf",
                            "--json", js, "--"] + argv_of(d),
                           stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=args.timeout)
        try:
            with open(js) as f:
                run = json.load(f)["run"]
            lost[w] = run.get("lost_events")
        except (OSError, ValueError, KeyError):
            lost[w] = None
        clean_dir(d)
        print("  %-10s %s" % (w, "n/a (exit %d)" % p.returncode
                              if lost[w] is None else lost[w]))
    results["bpf_lost"] = lost
    print()


def run_idle(b, trace_set, args, results):
    secs = 1.0 if args.quick else 4.0
    idles = {
        "blocked in read": [b["bench_idle"], "-r"],
        "nanosleep 100ms + write": [b["bench_idle"], "-t", "100"],
    }
    io = [b["iospy"], "-q", "--report", "/dev/null", "--engine=ptrace"]
    tracers = {
        "iospy": io,
        "iospy --wait=spin": io + ["--wait=spin"],
        "iospy --wait=block": io + ["--wait=block"],
        "iospy --pin": io + ["--pin=%d" % args.cpu],
        "iospy --engine=bpf": [b["iospy"], "-q", "--report", "/dev/null",
                               "--engine=bpf"],
        "strace": [b["strace"], "-f", "-qq", "-y", "-e",
                   "trace=" + trace_set, "-o", "/dev/null"],
    }
    print("Idle attached process: tracer CPU%% over %.0f s "
          "(utime+stime from /proc/PID/stat)" % secs)
    print("  %-20s" % "" + "".join("%26s" % k for k in idles))
    for tname, targv in tracers.items():
        cells = []
        for iname, iargv in idles.items():
            pct, why = idle_once(targv, iargv, secs)
            results["idle"].setdefault(tname, {})[iname] = {
                "cpu_percent": pct, "error": why}
            cells.append("%.1f%%" % pct if pct is not None
                         else "n/a")
            if why:
                sys.stderr.write("  idle %s / %s: %s\n" %
                                 (tname, iname, why))
        print("  %-20s" % tname + "".join("%26s" % c for c in cells))
    print()


def print_targets(med, results):
    def lm(w, m):
        return med.get((w, m))

    checks = [
        ("writes: iospy / strace", ratio(lm("writes", "iospy"),
                                         lm("writes", "strace")), 0.35),
        ("writes: iospy --pin / strace", ratio(lm("writes", "iospy-pin"),
                                               lm("writes", "strace")),
         0.2),
        ("writes: iospy --pin / floor --pin",
         ratio(lm("writes", "iospy-pin"), lm("writes", "floor-pin")),
         1.2),
        ("getppid: iospy / floor --seccomp",
         ratio(lm("getppid", "iospy"), lm("getppid", "floor-seccomp")),
         1.1),
        ("getppid: iospy / strace --seccomp-bpf",
         ratio(lm("getppid", "iospy"), lm("getppid", "strace-seccomp")),
         1.1),
        ("getppid: iospy / untraced",
         ratio(lm("getppid", "iospy"), lm("getppid", "untraced")), 4.0),
    ]
    # the bpf engine (issue 16)
    checks += [
        ("writes500k: iospy bpf / untraced",
         ratio(lm("writes500k", "iospy-bpf"), lm("writes500k", "untraced")),
         1.5),
        ("writes: iospy bpf / iospy ptrace",
         ratio(lm("writes", "iospy-bpf"), lm("writes", "iospy")), 0.2),
    ]
    a = results["attach"]
    ab = results.get("attach_bpf") or {}
    if "iospy -p --engine=bpf" in ab and ab.get("untraced"):
        checks.append(("attach: iospy bpf slowdown",
                       ratio(ab["iospy -p --engine=bpf"]["median"],
                             ab["untraced"]["median"]), 1.2))
    if results["idle"].get("iospy --engine=bpf"):
        for iname, v in results["idle"]["iospy --engine=bpf"].items():
            # one clock tick over the 4 s is 0.25%
            checks.append(("idle (%s): bpf CPU %%" % iname,
                           v["cpu_percent"], 0.25))
    if results.get("bpf_lost"):
        vals = [v for v in results["bpf_lost"].values() if v is not None]
        checks.append(("bpf: events lost, all workloads",
                       sum(vals) if vals else None, 0))
    if a and "iospy -p" in a and "strace -p" in a:
        un = a["untraced"]["median"]
        checks.append(("attach: iospy slowdown / strace's",
                       ratio(ratio(a["iospy -p"]["median"], un),
                             ratio(a["strace -p"]["median"], un)), 0.5))
    if results["idle"].get("iospy"):
        for iname, v in results["idle"]["iospy"].items():
            checks.append(("idle (%s): iospy CPU %%" % iname,
                           v["cpu_percent"], 1.0))
    # iospy --wait=block and floor --seccomp stop alike and wait alike:
    # what separates them is iospy's work per event (decode, memory
    # reads, fd lookup, aggregation)
    ib, fs, un = (lm("writes", "iospy-block"),
                  lm("writes", "floor-seccomp"), lm("writes", "untraced"))
    if None not in (ib, fs, un) and ib > un:
        share = (ib - fs) / (ib - un)
        results["per_event_share"] = share
        print("iospy's own work per event, (iospy-block - floor-seccomp)"
              " / (iospy-block - untraced)\n  on writes: %.0f%% of its "
              "tracing cost" % (100 * share))
        print()
    # the bpf floor: what any tracer on the syscall tracepoints costs here
    fl = []
    if lm("writes500k", "bpf-floor") is not None:
        fl.append(("writes500k: bpf floor / untraced",
                   ratio(lm("writes500k", "bpf-floor"),
                         lm("writes500k", "untraced"))))
        fl.append(("writes500k: iospy bpf / bpf floor",
                   ratio(lm("writes500k", "iospy-bpf"),
                         lm("writes500k", "bpf-floor"))))
    if ab.get("bpf floor -p", {}).get("median") and ab.get("untraced"):
        fl.append(("attach: bpf floor slowdown",
                   ratio(ab["bpf floor -p"]["median"],
                         ab["untraced"]["median"])))
        if ab.get("iospy -p --engine=bpf", {}).get("median"):
            fl.append(("attach: iospy bpf / bpf floor",
                       ratio(ab["iospy -p --engine=bpf"]["median"],
                             ab["bpf floor -p"]["median"])))
    if fl:
        print("The bpf floor (empty programs on the same hooks)")
        for name, val in fl:
            print("  %-42s %8s" % (name, "%.2f" % val if val else "n/a"))
        print()
        results["bpf_floor"] = {n: v for n, v in fl}
    print("Targets (issues 3, 9 and 16), from the medians above")
    for name, val, target in checks:
        if val is None and not results["launch"] and \
                name.split(":")[0] in ("writes", "getppid"):
            continue  # --only-attach: no launch table
        if val is None:
            verdict, shown = "n/a", "n/a"
        else:
            verdict = "ok" if val <= target else "MISSED"
            shown = "%.2f" % val
        print("  %-42s %8s  target <= %-5g %s" % (name, shown, target,
                                                  verdict))
    results["targets"] = [{"name": n, "value": v, "target": t}
                          for n, v, t in checks]


if __name__ == "__main__":
    sys.exit(main())
