#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make bench`: the allocator on several cores (QEMU virt, cortex-a53).

1. The per-cpu fast paths on each core. `on <cpu> bench alloc|kmalloc` runs
   the order-0 pair and the kmalloc(64) pair on one core while the others
   idle in WFI, under -icount shift=0. QEMU's instruction counter is one for
   the whole machine under -icount, so it is exact only while the other
   cores execute nothing: that is why they idle. Compared with the same
   kernel booted on one core, with tracking off and on.

2. Scaling of the concurrent workload (`stress`: every core allocating and
   freeing pages and objects, remote frees, each core's timer interrupt
   allocating too) from 1 to 4 cores:
   - under -icount shift=0, the guest instructions the whole machine spent per
     operation (all cores' instructions, lock looks included). QEMU runs the
     cores in turn on one thread there and its clock counts instructions, so
     guest time cannot show parallelism. The work does: each of N cores does
     1/N of the operations, so running side by side each finishes after
     ops/N * insns/op(N) instructions, and N cores go N * insns/op(1) /
     insns/op(N) times as fast as one: the "speed-up" column. It leaves out
     what instructions do not show (cache-line handoffs; a lock waited for
     in WFE, which QEMU takes as a yield); the zone lock's counters
     (acquisitions, contended, spins) count those waits as events, not time,
     so they do not depend on how fast or busy the host is;
   - without -icount (multi-threaded TCG: each core a host thread), the
     operations per second of guest time and their ratio to one core. This
     host has 2 cores, so beyond 2 guest cores the figure measures the host's
     sharing, not ferret's; it is printed for 1 and 2 cores as a check, and
     it moves with whatever else the host runs.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from ferret import Ferret  # noqa: E402

ICOUNT = ["-icount", "shift=0"]
BENCH = re.compile(r"bench: (.+?): (\d+) ops, ([\d.]+) instructions/op")
TOTAL = re.compile(r"stress: (\d+) operations in (\d+) ms")
LOCK = re.compile(r"stress: zone lock: (\d+) acquired, (\d+) contended, (\d+) spins")
INSNS = re.compile(r"stress: (\d+) instructions counted on cpu")


def boot(smp, append, icount=True, timeout=300):
    extra = ["-smp", str(smp)] + (ICOUNT if icount else [])
    return Ferret(mem="1G", cpu="cortex-a53", append=append, extra=extra, boot_timeout=timeout)


def fast_paths():
    print("### per-cpu fast paths, instructions per pair (other cores idle)")
    print("%-26s %-5s %s" % ("tracking", "cores", "order-0 pair / kmalloc(64) pair on cpu0 cpu1 cpu2 cpu3"))
    for append in ("", "page_owner=on slab_owner=on"):
        for smp in (1, 4):
            row = []
            with boot(smp, append) as f:
                for cpu in range(smp):
                    # Core 0 runs the console: directly, as with one core (`on 0` would
                    # add its frames to every stack page_owner walks).
                    pre = "" if cpu == 0 else "on %d " % cpu
                    # Warm (walk memos, caches) and past the other cores' start-up.
                    f.cmd(pre + "bench alloc 1000", timeout=600)
                    f.cmd(pre + "bench kmalloc 1000", timeout=600)
                    a = BENCH.search(f.cmd(pre + "bench alloc 100000", timeout=600))
                    k = re.search(r"kmalloc\(64\)\+kfree pair: \d+ ops, ([\d.]+) instructions/op",
                                  f.cmd(pre + "bench kmalloc 100000", timeout=600))
                    row.append("%s/%s" % (a.group(3) if a else "?", k.group(1) if k else "?"))
            print("%-26s %-5d %s" % (append or "(off)", smp, "  ".join(row)), flush=True)


def scaling(ops):
    print("\n### `stress %d` (pages and objects, remote frees, timer interrupts allocating)" % ops)
    print("%-5s %-8s %14s %10s %10s %12s %12s %12s" % (
        "cores", "mode", "instructions", "insns/op", "speed-up", "lock taken", "contended",
        "spins"))
    base = {}
    for smp in (1, 2, 4):
        for icount in (True, False):
            if not icount and smp > 2:
                continue
            with boot(smp, "page_owner=on slab_owner=on", icount) as f:
                out = f.cmd("stress %d" % ops, timeout=1800)
            t, lk, ins = TOTAL.search(out), LOCK.search(out), INSNS.search(out)
            if not t or "stress: passed" not in out:
                print("stress failed on %d cores:\n%s" % (smp, out))
                continue
            n, ms = int(t.group(1)), int(t.group(2))
            if icount:
                per_op = int(ins.group(1)) / n if ins else 0
                base.setdefault("icount", per_op)
                speed = smp * base["icount"] / per_op if per_op else 0
                cols = (ins.group(1) if ins else "?", "%.1f" % per_op, "%.2f" % speed)
            else:
                rate = n / ms if ms else 0
                base.setdefault("mttcg", rate)
                cols = ("-", "-", "%.2f" % (rate / base["mttcg"]) if base["mttcg"] else "?")
            print("%-5d %-8s %14s %10s %10s %12s %12s %12s" % (
                (smp, "icount" if icount else "mttcg") + cols +
                (lk.group(1) if lk else "?", lk.group(2) if lk else "?",
                 lk.group(3) if lk else "?")), flush=True)


def main():
    fast_paths()
    scaling(int(sys.argv[1]) if len(sys.argv) > 1 else 4000000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
