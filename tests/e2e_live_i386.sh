#!/bin/sh
# A 32-bit (i386 compat ABI) tracee: the seccomp filter's i386 branch, the
# i386 syscall table and 32-bit registers, in launch mode with and without
# the filter.  Skipped when the compiler cannot build -m32.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

need_ptrace
scratch
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip "no C compiler to build the i386 helper"
"$CC" -m32 -nostdlib -static -o "$T/write32" "$TOP_SRCDIR/tests/helpers/write32.S" \
    >/dev/null 2>&1 || skip "cannot build i386 programs here"
"$T/write32" "$T/probe" 2>/dev/null || skip "cannot run i386 programs here"

for opt in --seccomp --no-seccomp; do
	[ "$opt" = --seccomp ] && opt=""
	rc=0
	"$IOSPY" --engine=ptrace -q --no-report $opt -o "$T/log" "$T/write32" "$T/out" || rc=$?
	[ "$rc" = 0 ] || fail "exit $rc ${opt}"
	n=$(grep -F "<$T/out>, \"i386!\\n\", 6) = 6" "$T/log" | grep -c "^[0-9]* *write(" || true)
	[ "$n" = 3 ] || fail "${opt}: $n writes, want 3: $(cat "$T/log")"
	grep -qF "open(\"$T/out\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = " "$T/log" ||
	    fail "${opt}: no open line: $(cat "$T/log")"
	grep -q '^[0-9]* *exit(0) ' "$T/log" || fail "${opt}: no exit line"
done
exit 0
