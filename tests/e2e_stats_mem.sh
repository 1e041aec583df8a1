#!/bin/sh
# The aggregation's memory does not grow with the number of events: feed
# 1,000 and 2,000,000 synthetic events through pipeline + stats and compare
# the peak RSS (bench/stats_mem; `bench/stats_mem 10000000` for the big one).
. "${TOP_SRCDIR:-.}/tests/lib.sh"

B="${TOP_BUILDDIR:-.}/bench/stats_mem"
[ -x "$B" ] || skip "bench/stats_mem not built"
small=$("$B" 1000) || fail "stats_mem 1000"
big=$("$B" 2000000) || fail "stats_mem 2000000"
echo "$small"
echo "$big"
rss() { echo "$1" | sed 's/.*peak RSS \([0-9]*\) KiB.*/\1/'; }
s=$(rss "$small")
b=$(rss "$big")
# allow 2 MiB of noise (allocator arenas, sanitizer bookkeeping)
[ "$b" -le $((s + 2048)) ] || fail "peak RSS grew from $s KiB to $b KiB"
echo "$big" | grep -q 'rotations 20 ' || fail "rotations: $big"
exit 0
