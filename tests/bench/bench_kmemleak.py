#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make bench`: the leak scan (`kmemleak count`) under QEMU -icount shift=0.

The PMU counts guest instructions exactly there, and one instruction is one
nanosecond of guest time. A scan costs an index walk over mem_map (per page
of RAM, allocated or not) plus the words it reads (the roots and every
reachable block and object, twice): the runs below separate the two, on an
idle board of 1 and 4 GiB and on a 1 GiB board after the demo firmware ran.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from ferret import Ferret  # noqa: E402

STATS = re.compile(r"kmemleak: 2 passes over (\d+) blocks and (\d+) objects, (\d+) KiB scanned, "
                   r"(\d+) instructions; scan state (\d+) KiB")
SUMMARY = re.compile(r"kmemleak: (\d+) new suspected memory leaks")


def run(mem, append, iterations):
    with Ferret(mem=mem, cpu="cortex-a53", append=append, extra=["-icount", "shift=0"],
                boot_timeout=300) as f:
        if iterations:
            f.cmd("app run all %d" % iterations, timeout=1800)
        out = f.cmd("kmemleak count", timeout=1800)
    m, s = STATS.search(out), SUMMARY.search(out)
    if not m or not s:
        print("no figures:\n" + out)
        return None
    blocks, objects, kib, insns, state = (int(x) for x in m.groups())
    print("%-3s %-28s %6d iterations: %4d leaks, %5d blocks + %6d objects, %6d KiB scanned, "
          "%10d instructions (%.1f ms guest), state %d KiB"
          % (mem, append or "(no owners)", iterations, int(s.group(1)), blocks, objects, kib,
             insns, insns / 1e6, state), flush=True)
    return kib, insns


def main():
    idle1 = run("1G", "", 0)
    idle4 = run("4G", "", 0)
    demo = run("1G", "", 1000)
    run("1G", "page_owner=on slab_owner=on", 1000)
    run("1G", "page_owner=on slab_owner=on", 5000)
    if idle1 and idle4:
        print("index walk: %.0f instructions per GiB of RAM (4 GiB less 1 GiB, over 3)"
              % ((idle4[1] - idle1[1]) / 3), flush=True)
    if idle1 and demo and demo[0] > idle1[0]:
        print("reading the heap: %.0f instructions per MiB scanned (the demo's 1000 iterations "
              "less the idle board, leaks reported included)"
              % ((demo[1] - idle1[1]) / ((demo[0] - idle1[0]) / 1024)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
