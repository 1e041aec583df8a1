#!/bin/sh
# Built without libunwind (configure --with-libunwind=no), --stack is
# refused in one line with exit status 2, and everything else still works.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

: "${TOP_BUILDDIR:=$(pwd)}"
if grep -q '^#define HAVE_LIBUNWIND 1' "$TOP_BUILDDIR/config.h"; then
	skip "built with libunwind"
fi
scratch

rc=0
"$IOSPY" --stack -- true >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "--stack without libunwind: exit $rc, want 2"
[ "$(wc -l <"$T/err")" = 1 ] || fail "want one line, got: $(cat "$T/err")"
grep -q 'libunwind' "$T/err" || fail "the line does not name libunwind: $(cat "$T/err")"
[ -s "$T/out" ] && fail "stdout not empty: $(cat "$T/out")"

rc=0
"$IOSPY" --stack=4M --max-write 1M -- true >/dev/null 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "--stack=4M: exit $rc, want 2"

# the refusal comes before any work: the option alone is the problem
"$IOSPY" --version >/dev/null 2>&1 || fail "iospy --version fails"
exit 0
