#!/bin/sh
# The layers' two rules, checked from the sources (comments ignored):
#   - no file under src/ outside src/cli/ includes a header from src/cli/;
#   - no file outside src/live/ptrace/ calls ptrace().
. "${TOP_SRCDIR:-.}/tests/lib.sh"

cd "$TOP_SRCDIR" || fail "no source dir"
[ -d src/cli ] || fail "no src/cli in $TOP_SRCDIR"

# The text of a C file without its comments and string literals (so that
# a comment or a message naming ptrace() or a cli/ header does not count).
strip() {
	awk '
	BEGIN { inc = 0 }
	{
		out = ""; s = $0; i = 1; n = length(s)
		while (i <= n) {
			c = substr(s, i, 1); d = substr(s, i, 2)
			if (inc) {
				if (d == "*/") { inc = 0; i += 2 } else i++
				continue
			}
			if (d == "/*") { inc = 1; i += 2; continue }
			if (d == "//") break
			if (c == "\"" && out !~ /^[ \t]*#[ \t]*include/) {
				i++
				while (i <= n) {
					c = substr(s, i, 1)
					if (c == "\\") { i += 2; continue }
					i++
					if (c == "\"") break
				}
				out = out "\"\""
				continue
			}
			if (c == "'\''") {
				i++
				while (i <= n) {
					c = substr(s, i, 1)
					if (c == "\\") { i += 2; continue }
					i++
					if (c == "'\''") break
				}
				out = out "'\'''\''"
				continue
			}
			out = out c; i++
		}
		print FILENAME ":" FNR ": " out
	}' "$1"
}

bad=0
for f in $(find src -name '*.[ch]' | sort); do
	case $f in
	src/cli/*) ;;
	*)
		hits=$(strip "$f" | grep -E ':[0-9]+: *# *include *["<](\.\./)*cli/')
		if [ -n "$hits" ]; then
			echo "includes a CLI header (only src/cli/ may):"
			echo "$hits"
			bad=1
		fi
		;;
	esac
	case $f in
	src/live/ptrace/*) ;;
	*)
		hits=$(strip "$f" | grep -E '(^|[^A-Za-z0-9_])ptrace *\(')
		if [ -n "$hits" ]; then
			echo "calls ptrace() (only src/live/ptrace/ may):"
			echo "$hits"
			bad=1
		fi
		;;
	esac
done

# the check itself sees what it looks for
t=$(mktemp "${TMPDIR:-/tmp}/iospy-layers.XXXXXX") || fail mktemp
trap 'rm -f "$t"' EXIT
printf '/* ptrace(PTRACE_X) */\n// ptrace(\nx = "ptrace(";\n#include "cli/options.h"\nlong w = ptrace (PTRACE_PEEKDATA, 1, 0, 0);\n' >"$t"
[ "$(strip "$t" | grep -cE '(^|[^A-Za-z0-9_])ptrace *\(')" = 1 ] ||
	fail "the ptrace() check misses a call or counts a comment/string"
[ "$(strip "$t" | grep -cE ':[0-9]+: *# *include *["<](\.\./)*cli/')" = 1 ] ||
	fail "the include check misses an include"

[ $bad = 0 ] || fail "a layer rule is broken (see above)"
echo "layers: ok"
