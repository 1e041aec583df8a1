#!/bin/sh
# bench/stack_overhead.sh: what --stack costs.
#
#   bench/stack_overhead.sh [BUILDDIR]        (default: the current directory)
#
# The workload is tests/helpers/stackapp: NBIG big writes of SIZE bytes
# (main -> emit_record -> flush_buffer -> write), each after NSMALL small
# writes of 64 bytes, into a file under $TMPDIR: with the defaults 1% of the
# writes are big.  It runs, interleaved, RUNS times each:
#
#   plain       the workload alone
#   iospy       iospy --no-report
#   iospy-stack iospy --no-report --stack=SIZE   (unwinds the big writes)
#   strace      strace -f --seccomp-bpf -e trace=<iospy's set> -o /dev/null
#   strace-k    the same with -k (unwinds every traced call)
#
# and prints the median wall time of each, the ratios iospy-stack/iospy and
# iospy-stack/strace-k, and the cost per unwind.  Environment: RUNS (5),
# NBIG (100), NSMALL (99), SIZE (1048576), APPFLAGS (more stackapp flags:
# -M maps and unmaps a fresh buffer around each big write, as the seed's
# application does).
set -eu

B=${1:-.}
B=$(cd "$B" && pwd)
IOSPY=$B/iospy
APP=$B/tests/helpers/stackapp
RUNS=${RUNS:-5}
NBIG=${NBIG:-100}
NSMALL=${NSMALL:-99}
SIZE=${SIZE:-1048576}
APPFLAGS=${APPFLAGS:-}

[ -x "$IOSPY" ] || { echo "no $IOSPY: build first" >&2; exit 2; }
[ -x "$APP" ] || { echo "no $APP: make tests/helpers/stackapp" >&2; exit 2; }
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 2; }

# The calls iospy's live tracer stops on (syscalls.c, live = true).
TRACE=write,writev,pwrite64,pwritev,pwritev2,sendfile,copy_file_range,splice
TRACE=$TRACE,mmap,munmap,mremap,brk,open,openat,openat2,creat,pipe,pipe2
TRACE=$TRACE,socket,socketpair,accept,accept4,eventfd2,epoll_create1
TRACE=$TRACE,memfd_create,signalfd4,timerfd_create,inotify_init1,pidfd_open
TRACE=$TRACE,close,close_range,dup,dup2,dup3,fcntl,rename,renameat,renameat2
TRACE=$TRACE,unlink,unlinkat,truncate,ftruncate,fsync,fdatasync,execve
TRACE=$TRACE,execveat,clone,clone3,fork,vfork,exit,exit_group

T=$(mktemp -d "${TMPDIR:-/tmp}/iospy-stackbench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
WL="$APPFLAGS -b $NBIG -s $NSMALL -S $SIZE $T/out"

now_us() { echo $(( $(date +%s%N) / 1000 )); }

# run NAME CMD...: time one run, append microseconds to $T/NAME.t
run() {
	name=$1
	shift
	rm -f "$T/out"
	sync
	t0=$(now_us)
	if ! "$@" >"$T/$name.stdout" 2>"$T/$name.stderr"; then
		echo "$name failed:" >&2
		cat "$T/$name.stderr" >&2
		exit 1
	fi
	t1=$(now_us)
	echo $((t1 - t0)) >>"$T/$name.t"
}

median() { sort -n "$T/$1.t" | awk '{v[NR] = $1} END {
	if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

variants="plain iospy iospy-stack strace strace-k"
one() {
	case $1 in
	plain)       run plain "$APP" $WL ;;
	iospy)       run iospy "$IOSPY" -q --no-report -- "$APP" $WL ;;
	iospy-stack) run iospy-stack "$IOSPY" -q --no-report --stack="$SIZE" \
	                 --json "$T/stack.json" -- "$APP" $WL ;;
	strace)      run strace strace -f -qq --seccomp-bpf -e trace="$TRACE" \
	                 -o /dev/null "$APP" $WL ;;
	strace-k)    run strace-k strace -f -qq -k --seccomp-bpf -e trace="$TRACE" \
	                 -o /dev/null "$APP" $WL ;;
	esac
}

echo "workload: stackapp${APPFLAGS:+ $APPFLAGS}: $NBIG x $SIZE-byte writes, $NSMALL small writes before each; $RUNS runs"
# warm the page cache and the dynamic loader once
one plain
rm -f "$T/plain.t"
i=0
while [ "$i" -lt "$RUNS" ]; do
	# rotate the order so drift does not favour one variant
	set -- $variants
	k=0
	while [ "$k" -lt $((i % 5)) ]; do
		first=$1
		shift
		set -- "$@" "$first"
		k=$((k + 1))
	done
	for v in "$@"; do
		one "$v"
	done
	i=$((i + 1))
done

unwound=$(python3 -c 'import json,sys
try:
    j = json.load(open(sys.argv[1]))
    r = j.get("run", {})
    print(r.get("stacks_unwound", "?"))
except Exception:
    print("?")' "$T/stack.json" 2>/dev/null || echo "?")

printf '%-12s %12s %10s\n' variant "median ms" "x plain"
p=$(median plain)
for v in $variants; do
	m=$(median "$v")
	awk -v n="$v" -v m="$m" -v p="$p" \
	    'BEGIN { printf "%-12s %12.1f %10.2f\n", n, m / 1000, m / p }'
done
calls=$((NBIG * (NSMALL + 1)))
awk -v s="$(median iospy-stack)" -v i="$(median iospy)" \
    -v k="$(median strace-k)" -v st="$(median strace)" -v nb="$NBIG" \
    -v calls="$calls" -v u="$unwound" 'BEGIN {
	printf "iospy --stack / iospy       = %.3f\n", s / i
	printf "iospy --stack / strace -k   = %.3f\n", s / k
	printf "strace -k / strace          = %.3f\n", k / st
	printf "unwinds by iospy --stack    = %s (big writes: %d)\n", u, nb
	printf "iospy: extra per big write  = %.1f us\n", (s - i) / nb
	printf "strace -k: extra per write  = %.1f us (%d writes)\n", (k - st) / calls, calls
}'
