#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the small device tree QEMU's raspi2b or raspi3b model is given (-dtb)
so that a command line (-append) reaches ferret as it does on a real Pi,
where the firmware passes its DTB with cmdline.txt in /chosen/bootargs. QEMU fills in
/chosen/bootargs and /memory's reg; the VideoCore's share and the
peripherals above RAM are kept out of the allocator by /reserved-memory.
The console is described as the firmware describes it with
dtoverlay=disable-bt: serial0 is the PL011 UART0, /chosen/stdout-path
"serial0:115200n8"; its clock is the 48 MHz the firmware sets it to (here a
fixed-clock, on a real Pi the firmware's clock node).

    qemu_dtb.py OUT.dtb [BOARD-COMPATIBLE SOC-COMPATIBLE MODEL]

The default is the Pi 3 (raspberrypi,3-model-b, brcm,bcm2837); both SoCs
have the same peripherals at the same addresses. The Pi 2's tree (brcm,bcm2836)
also has its /cpus as Linux's has them: enable-method "brcm,bcm2836-smp" on
/cpus (each core waits on its BCM2836 mailbox 3), reg 0xf00..0xf03.
"""
import struct
import sys

FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_END = 1, 2, 3, 9


def cells(*v):
    return b"".join(struct.pack(">I", x) for x in v)


def string(s):
    return s.encode() + b"\0"


TREE = ("", [
    ("#address-cells", cells(1)), ("#size-cells", cells(1)),
    ("compatible", string("raspberrypi,3-model-b") + string("brcm,bcm2837")),
    ("model", string("Raspberry Pi 3 Model B (QEMU)")),
], [
    ("aliases", [("serial0", string("/soc/serial@7e201000"))], []),
    ("chosen", [("bootargs", string("")), ("stdout-path", string("serial0:115200n8"))], []),
    ("clocks", [], [
        ("uart-clk", [("compatible", string("fixed-clock")), ("#clock-cells", cells(0)),
                      ("clock-frequency", cells(48000000)), ("phandle", cells(1))], []),
    ]),
    ("soc", [("compatible", string("simple-bus")), ("#address-cells", cells(1)),
             ("#size-cells", cells(1)), ("ranges", cells(0x7e000000, 0x3f000000, 0x01000000))], [
        ("serial@7e201000", [("compatible", string("arm,pl011") + string("arm,primecell")),
                             ("reg", cells(0x7e201000, 0x200)), ("clocks", cells(1, 1)),
                             ("clock-names", string("uartclk") + string("apb_pclk"))], []),
    ]),
    ("memory@0", [("device_type", string("memory")), ("reg", cells(0, 0x3c000000))], []),
    ("reserved-memory", [("#address-cells", cells(1)), ("#size-cells", cells(1)),
                         ("ranges", b"")], [
        ("vc@3c000000", [("reg", cells(0x3c000000, 0x04000000)), ("no-map", b"")], []),
    ]),
])


def build(tree):
    strings = bytearray()
    offsets = {}

    def name_off(n):
        if n not in offsets:
            offsets[n] = len(strings)
            strings.extend(string(n))
        return offsets[n]

    def node(name, props, children):
        out = bytearray(struct.pack(">I", FDT_BEGIN_NODE) + string(name))
        out.extend(b"\0" * (-len(out) % 4))
        for pname, value in props:
            out.extend(struct.pack(">III", FDT_PROP, len(value), name_off(pname)) + value)
            out.extend(b"\0" * (-len(out) % 4))
        for child in children:
            out.extend(node(*child))
        out.extend(struct.pack(">I", FDT_END_NODE))
        return out

    struct_block = node(*tree) + struct.pack(">I", FDT_END)
    header_size = 40
    rsvmap = b"\0" * 16                     # an empty memory reservation map
    off_rsv = header_size
    off_struct = off_rsv + len(rsvmap)
    off_strings = off_struct + len(struct_block)
    total = off_strings + len(strings)
    header = struct.pack(">10I", 0xd00dfeed, total, off_struct, off_strings, off_rsv, 17, 16,
                         0, len(strings), len(struct_block))
    return header + rsvmap + bytes(struct_block) + bytes(strings)


def main(argv):
    tree = TREE
    if len(argv) >= 5:      # another Pi: its compatible strings and model
        props = dict(TREE[1])
        props["compatible"] = string(argv[2]) + string(argv[3])
        props["model"] = string(argv[4])
        children = list(TREE[2])
        if argv[3] == "brcm,bcm2836":   # the Pi 2's cores, as its firmware's tree has them
            children.append(("cpus", [("#address-cells", cells(1)), ("#size-cells", cells(0)),
                                      ("enable-method", string("brcm,bcm2836-smp"))],
                             [("cpu@f0%d" % n, [("device_type", string("cpu")),
                                                ("compatible", string("arm,cortex-a7")),
                                                ("reg", cells(0xf00 + n))], [])
                              for n in range(4)]))
        tree = (TREE[0], list(props.items()), children)
    with open(argv[1], "wb") as f:
        f.write(build(tree))


if __name__ == "__main__":
    main(sys.argv)
