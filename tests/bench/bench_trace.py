#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tracing's cost (docs/TRACE.md): `bench trace` under QEMU -icount shift=0.

Boots ferret with page_owner off and on, runs `bench trace <n>` (an order-0
alloc+free pair and a page_ref_inc+dec pair with tracing off, on but filtered
out, on, on with stacks) and prints instructions per pair, plus what tracing
adds over "trace off".

    tests/bench/bench_trace.py [n]      (default 20000 pairs)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from ferret import Ferret  # noqa: E402

LINE = re.compile(r"^bench: (.+?): (order-0 alloc\+free pair|page_ref_inc\+dec pair): "
                  r"(\d+) ops, ([\d.]+) instructions/op", re.M)


def run(append, n):
    with Ferret(mem="1G", cpu="cortex-a53", append=append, extra=["-icount", "shift=0"],
                boot_timeout=300) as f:
        out = f.cmd("bench trace %d" % n, timeout=1800)
    res = {}
    for m in LINE.finditer(out):
        res[(m.group(1), m.group(2))] = float(m.group(4))
    if not res:
        print(out)
    return res


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    print("instructions per pair (QEMU virt, cortex-a53, -icount shift=0, %d pairs)" % n)
    print("%-12s %-24s %-26s %12s %10s" % ("page_owner", "tracing", "workload", "instr/pair",
                                            "vs off"))
    for append, label in (("", "off"), ("page_owner=on", "on")):
        res = run(append, n)
        for (cfg, work), v in res.items():
            base = res.get(("trace off", work))
            print("%-12s %-24s %-26s %12.2f %+10.2f" % (label, cfg, work, v,
                                                      v - base if base else 0.0), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
