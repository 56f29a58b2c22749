#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host benchmark of the buddy allocator: builds tests/bench/bench_buddy.c
# with the real mm/ and lib/ sources (-O2, the kernel's frame-pointer flags
# and -fno-tree-loop-distribute-patterns, no sanitizers), runs each workload
# natively for ns/op and under callgrind for instructions/op (only the
# measured region is collected).
#
#   tests/bench/bench_host.sh            all workloads
#   BENCH_QUICK=1 tests/bench/bench_host.sh   smaller counts
set -e
cd "$(dirname "$0")/../.."

OUT=build/host/bench
mkdir -p "$OUT"
CC=${HOSTCC:-gcc}
CFLAGS="-std=gnu11 -O2 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
-fno-optimize-sibling-calls -fno-tree-loop-distribute-patterns -Iinclude -Itests/host/include \
-include tests/host/include/host_rename.h"
SRC="$(ls mm/*.c lib/*.c tests/host/shim/*.c)"
for b in buddy slab; do
	# shellcheck disable=SC2086
	$CC $CFLAGS -o "$OUT/bench_$b" $SRC tests/bench/bench_$b.c
done

if [ -n "$BENCH_QUICK" ]; then
	PAIRS=200000; STEPS=400000; SIZES="1 2"
else
	PAIRS=1000000; STEPS=2000000; SIZES="1 2 4 8"
fi

have_vg=1
command -v valgrind >/dev/null || have_vg=0

# callgrind_ir [-b bench] <args>: instructions in the measured region.
callgrind_ir() {
	local f="$OUT/callgrind.out.$$" b=buddy
	[ "$1" = -b ] && { b=$2; shift 2; }
	valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$f" \
		"$OUT/bench_$b" "$@" >/dev/null 2>&1
	awk '/^(summary|totals):/ { print $2; exit }' "$f"
	rm -f "$f"
}

per() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "buddy allocator, host build ($($CC -dumpfullversion) -O2, frame pointers, no sanitizers)"
printf "%-34s %12s %16s\n" "workload" "ns/op" "instructions/op"

ns=$("$OUT/bench_buddy" pair $PAIRS | sed -n 's/.*ns_per_op=//p')
ir=-; [ $have_vg = 1 ] && ir=$(per "$(callgrind_ir pair $PAIRS)" $PAIRS)
printf "%-34s %12s %16s\n" "order-0 alloc+free pair" "$ns" "$ir"

ns=$("$OUT/bench_buddy" mixed $STEPS | sed -n '1s/.*ns_per_op=//p')
ir=-; [ $have_vg = 1 ] && ir=$(per "$(callgrind_ir mixed $STEPS)" $STEPS)
printf "%-34s %12s %16s\n" "mixed orders 0-3 (8:4:2:1) step" "$ns" "$ir"

for g in $SIZES; do
	line=$("$OUT/bench_buddy" init "$g")
	ns=$(echo "$line" | sed -n 's/.*ns_per_gib=//p')
	ir=-; [ $have_vg = 1 ] && ir=$(per "$(callgrind_ir init "$g")" "$g")
	printf "%-34s %12s %16s\n" "mem_map init, $g GiB (per GiB)" "$ns" "$ir"
done

echo
echo "object allocator, host build (same flags)"
printf "%-34s %12s %16s\n" "workload" "ns/op" "instructions/op"
ns=$("$OUT/bench_slab" pair $PAIRS | sed -n 's/.*ns_per_op=//p')
ir=-; [ $have_vg = 1 ] && ir=$(per "$(callgrind_ir -b slab pair $PAIRS)" $PAIRS)
printf "%-34s %12s %16s\n" "kmalloc(64)+kfree pair" "$ns" "$ir"
ns=$("$OUT/bench_slab" pair-var $PAIRS | sed -n 's/.*ns_per_op=//p')
ir=-; [ $have_vg = 1 ] && ir=$(per "$(callgrind_ir -b slab pair-var $PAIRS)" $PAIRS)
printf "%-34s %12s %16s\n" "same, size known at run time" "$ns" "$ir"
ns=$("$OUT/bench_slab" mixed $STEPS | sed -n '1s/.*ns_per_op=//p')
ir=-; [ $have_vg = 1 ] && ir=$(per "$(callgrind_ir -b slab mixed $STEPS)" $STEPS)
printf "%-34s %12s %16s\n" "mixed 16B-1KiB, 16Ki live, step" "$ns" "$ir"
OWN=$((PAIRS / 5))
ns=$("$OUT/bench_slab" owner $OWN | sed -n 's/.*ns_per_op=//p')
ir=-; [ $have_vg = 1 ] && ir=$(per "$(callgrind_ir -b slab owner $OWN)" $OWN)
printf "%-34s %12s %16s\n" "pair, slab_owner=on" "$ns" "$ir"
"$OUT/bench_slab" peak $STEPS
