#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make bench`: host benchmarks (callgrind instruction counts) and in-kernel
benchmarks under QEMU -icount shift=0 (exact guest instruction counts from
the PMU). Prints one table; docs/PERFORMANCE.md records a run of it.

Only ratios within one run and instruction counts are meaningful here: the
machine is shared, nanoseconds are noise.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from ferret import Ferret  # noqa: E402

ICOUNT = ["-icount", "shift=0"]


def qemu_bench(mem, append, commands):
    out = {}
    with Ferret(mem=mem, cpu="cortex-a53", append=append, extra=ICOUNT, boot_timeout=300) as f:
        for c in commands:
            out[c] = f.cmd(c, timeout=1800)
    return out


def parse(line_re, text):
    m = re.search(line_re, text)
    return m.groups() if m else None


def section(title):
    print("\n## " + title, flush=True)


def main():
    host = os.path.join(ROOT, "tests", "bench", "bench_host.sh")
    if os.path.exists(host):
        section("host build (callgrind)")
        subprocess.run(["bash", host], cwd=ROOT, check=False)

    section("QEMU virt, cortex-a53, -icount shift=0 (PMU INST_RETIRED)")
    for mem in ("1G", "4G"):
        r = qemu_bench(mem, "", ["bench init"])
        print("%-4s %s" % (mem, r["bench init"].strip()), flush=True)
    r = qemu_bench("1G", "", ["bench alloc 100000", "bench mixed 200000"])
    for k, v in r.items():
        print(v.strip(), flush=True)

    section("object allocator (QEMU, -icount shift=0): off, slab_owner=on, slab_debug=FZPU")
    for append in ("", "slab_owner=on", "slab_debug=FZPU"):
        r = qemu_bench("1G", append, ["bench kmalloc 100000"])
        for line in r["bench kmalloc 100000"].strip().splitlines():
            print("%-16s %s" % (append or "(default)", line), flush=True)

    extra = os.path.join(ROOT, "tests", "bench", "bench_page_owner.py")
    if os.path.exists(extra):
        section("page_owner")
        subprocess.run([sys.executable, extra], cwd=ROOT, check=False)
        section("page_owner on 32-bit Arm (qemu-virt32, cortex-a15)")
        subprocess.run([sys.executable, extra, "--board", "qemu-virt32"], cwd=ROOT, check=False)
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bench", "bench_trace.py")], cwd=ROOT, check=False)
    section("the leak scan (kmemleak count), -icount shift=0")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bench", "bench_kmemleak.py")],
                   cwd=ROOT, check=False)
    section("several cores: the fast paths on each, `stress` from 1 to 4 cores")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bench", "bench_smp.py")],
                   cwd=ROOT, check=False)
    section("page_owner over a serial line: text vs --format=stream")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bench", "bench_stream.py")],
                   cwd=ROOT, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
