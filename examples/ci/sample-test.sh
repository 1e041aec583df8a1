#!/bin/sh
# sample-test.sh: a stand-in for a project's test suite, used to show the
# CI guard at work.  It writes a log in small lines and an output file.
#   sample-test.sh DIR           well-behaved: 8 MiB in 4 KiB writes
#   sample-test.sh DIR big       the regression: the same 8 MiB in ONE write
#   sample-test.sh DIR rotate    rotates its own log (rename + reopen)
set -e
dir=${1:?usage: sample-test.sh DIR [big|rotate]}
mode=${2:-}
mkdir -p "$dir"
i=0
while [ $i -lt 20 ]; do
	echo "test $i: ok" >>"$dir/test.log"
	i=$((i + 1))
done
case $mode in
big)	dd if=/dev/zero of="$dir/out.bin" bs=8M count=1 2>/dev/null ;;
*)	dd if=/dev/zero of="$dir/out.bin" bs=4k count=2048 2>/dev/null ;;
esac
if [ "$mode" = rotate ]; then
	mv "$dir/test.log" "$dir/test.log.1"
	echo "after rotation" >>"$dir/test.log"
fi
echo "sample tests passed"
