#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate the device tree blobs test_fdt reads. The .dtb files are
# committed, so the tests need neither dtc nor QEMU; run this (from any
# directory) only after changing a .dts, or to refresh the QEMU dumps.
#
# Needs: dtc (Debian: device-tree-compiler), qemu-system-aarch64, python3.
set -e
cd "$(dirname "$0")"

for dts in *.dts; do
	dtc -q -I dts -O dtb -o "${dts%.dts}.dtb" "$dts"
done
# The same tree in format version 16 (no size_dt_struct in the header).
dtc -q -I dts -O dtb -V 16 -o basic-v16.dtb basic.dts

# QEMU's own trees for the virt machine. QEMU pads the blob to 1 MiB;
# pack() drops the free space after the strings block, as libfdt's
# fdt_pack() would, so the files stay small.
pack() {
	python3 - "$1" <<'PY'
import struct, sys
path = sys.argv[1]
blob = bytearray(open(path, "rb").read())
h = list(struct.unpack(">10I", blob[:40]))
assert h[0] == 0xD00DFEED
rsv, st, st_size, strs, strs_size = h[4], h[2], h[9], h[3], h[8]
assert rsv < st and st + st_size <= strs, "blocks not in the usual order"
end = strs + strs_size
h[1] = end
blob[:40] = struct.pack(">10I", *h)
open(path, "wb").write(blob[:end])
PY
}

dump() {
	out=$1
	shift
	qemu-system-aarch64 -cpu cortex-a53 -nic none -display none "$@" 2>/dev/null
	pack "$out"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 4096 /dev/zero > "$tmp/kernel.bin"

dump qemu-virt-512M.dtb -M virt,dumpdtb=qemu-virt-512M.dtb -m 512M
dump qemu-virt-4G.dtb -M virt,dumpdtb=qemu-virt-4G.dtb -m 4G
dump qemu-virt-el2.dtb -M virt,virtualization=on,dumpdtb=qemu-virt-el2.dtb -m 512M
dump qemu-virt-secure.dtb -M virt,secure=on,dumpdtb=qemu-virt-secure.dtb -m 512M
dump qemu-virt-append.dtb -M virt,dumpdtb=qemu-virt-append.dtb -m 512M \
	-kernel "$tmp/kernel.bin" -append "console=ttyAMA0 page_owner=on loglevel=8"
dump qemu-virt-numa.dtb -M virt,dumpdtb=qemu-virt-numa.dtb -m 1G -smp 2 \
	-object memory-backend-ram,id=m0,size=512M \
	-object memory-backend-ram,id=m1,size=512M \
	-numa node,memdev=m0,cpus=0 -numa node,memdev=m1,cpus=1
