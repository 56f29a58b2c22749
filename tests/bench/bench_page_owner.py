#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""page_owner's cost, under QEMU -icount shift=0 (docs/PERFORMANCE.md, page_owner).

Boots ferret several times and reports:

  - order-0 alloc+free pair (`bench alloc`), instructions: page_owner compiled
    out (CONFIG_PAGE_OWNER=0, a second build in build/qemu-virt-nopo), compiled
    in but off, on, and on with page_owner_memo=off (every stack walked, hashed
    and looked up in the depot: the cost of a stack not seen before);
  - the demo firmware (`app run all 1000`, four services on the C library:
    page blocks from ferret_alloc_pages() and malloc() blocks, both counted in
    the summaries' allocs and frees): instructions per allocation or free, off
    and on (page_owner records the pages and the slab pages; under -icount
    shift=0 one instruction takes one nanosecond, so the run's time is its
    instruction count);
  - page_ext bytes per page, depot bytes per distinct stack, and bytes per
    record of a `page_owner` dump, after that workload.

    tests/bench/bench_page_owner.py            full run (about a minute)
    BENCH_QUICK=1 tests/bench/bench_page_owner.py
    tests/bench/bench_page_owner.py --board qemu-virt32   the same on 32-bit Arm
                                               (cortex-a15; `make bench` runs both)
    tests/bench/bench_page_owner.py --pairs-only          the pair figures only
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from ferret import BOARDS, Ferret, image  # noqa: E402

ICOUNT = ["-icount", "shift=0"]
QUICK = bool(os.environ.get("BENCH_QUICK"))
PAIRS = 20000 if QUICK else 100000
APP_ITER = 300 if QUICK else 1000
BOARD = "qemu-virt"     # --board


def nopo_elf():
    return os.path.join(ROOT, "build", BOARD + "-nopo", "ferret.elf")


def build():
    """The board's kernel, and the one with page_owner compiled out
    (`make PAGE_OWNER=0`: build/<board>-nopo)."""
    subprocess.run(["make", "-s", "BOARD=" + BOARD, "all"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    cmd = ["make", "-s", "BOARD=" + BOARD, "PAGE_OWNER=0"]
    subprocess.run(cmd + ["all"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return " ".join(cmd)


def boot(append="", elf=None):
    f = Ferret(board=BOARD, append=append, extra=ICOUNT, boot_timeout=300)
    if elf:
        f.args[f.args.index(image(BOARD))] = elf
    return f


def insns_per_op(text):
    m = re.search(r"([\d.]+) instructions/op", text)
    if not m:
        raise RuntimeError("no bench figure in:\n" + text)
    return float(m.group(1))


def pair(append="", elf=None):
    with boot(append, elf) as f:
        return insns_per_op(f.cmd("bench alloc %d" % PAIRS, timeout=1800))


def apps(append=""):
    """(instructions per alloc or free, depot text, dump bytes, records)."""
    with boot(append) as f:
        f.cmd("app run all 100", timeout=600)        # warm up: every stack seen
        out = f.cmd("app run all %d" % APP_ITER, timeout=1800)
        ms = float(re.search(r"iterations in ([\d.]+) ms", out).group(1))
        ops = sum(int(a) + int(b) for a, b in re.findall(r"(\d+) allocs, (\d+) frees", out))
        depot = f.cmd("depot")
        dump = f.cmd("page_owner", timeout=600) if "page_owner=on" in append else ""
        return ms * 1e6 / ops, ops, depot, len(dump.encode()), dump.count("Page allocated via")


def main():
    global BOARD
    ap = argparse.ArgumentParser(description="page_owner's cost under QEMU -icount shift=0")
    ap.add_argument("--board", default="qemu-virt", choices=[b for b in BOARDS if "virt" in b],
                    help="qemu-virt (AArch64, cortex-a53) or qemu-virt32 (AArch32, cortex-a15)")
    ap.add_argument("--pairs-only", action="store_true", help="the alloc+free pair figures only")
    args = ap.parse_args()
    BOARD = args.board
    how = build()
    _, machine, cpu, mem, _ = BOARDS[BOARD]
    print("board %s (QEMU %s, %s, %s); compiled-out build: %s" % (BOARD, machine, cpu, mem, how),
          flush=True)
    out = pair(elf=nopo_elf())
    off = pair()
    on = pair("page_owner=on")
    cold = pair("page_owner=on page_owner_memo=off")
    print("order-0 alloc+free pair (bench alloc %d), instructions per pair:" % PAIRS)
    print("  compiled out (CONFIG_PAGE_OWNER=0)  %8.2f" % out)
    print("  compiled in, off                    %8.2f  (+%.2f, %+.2f%%)"
          % (off, off - out, 100.0 * (off - out) / out))
    print("  on                                  %8.2f  (+%.2f over off)" % (on, on - off))
    print("  on, page_owner_memo=off             %8.2f  (+%.2f over off)" % (cold, cold - off),
          flush=True)
    if args.pairs_only:
        return 0

    a_off, ops, _, _, _ = apps()
    a_on, _, depot, dump_bytes, records = apps("page_owner=on")
    print("demo firmware (app run all %d, %d allocations and frees):" % (APP_ITER, ops))
    print("  instructions per op: off %.1f, on %.1f (+%.1f per op, +%.1f per alloc+free)"
          % (a_off, a_on, a_on - a_off, 2 * (a_on - a_off)))
    m = re.search(r"(\d+) bytes per page in page_ext", depot)
    print("  page_ext: %s bytes per page" % (m.group(1) if m else "?"))
    m = re.search(r"stacks:\s+(\d+) distinct.*?([\d.]+) frames avg", depot)
    p = re.search(r"pool:\s+(\d+) / \d+ bytes used, (\d+) bytes per stack", depot)
    if m and p:
        print("  depot: %s distinct stacks, %s frames avg, %s pool bytes per stack "
              "(+16 KiB hash table)" % (m.group(1), m.group(2), p.group(2)))
    w = re.search(r"full walks:\s+(\d+)", depot)
    if w:
        print("  full walks (memo misses): %s" % w.group(1))
    if records:
        print("  page_owner dump: %d records, %d bytes, %.1f bytes per record"
              % (records, dump_bytes, dump_bytes / records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
