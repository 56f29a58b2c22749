# SPDX-License-Identifier: GPL-2.0
"""The page allocator through the console: statistics stay exact, bad input is refused."""
import random
import re

from ferret import Ferret, check

PAGE_KB = 4


def meminfo(f):
    out = f.cmd("meminfo")
    vals = {}
    for line in out.splitlines():
        m = re.match(r"^([A-Za-z()_]+):\s+(\d+) kB$", line)
        if m:
            vals[m.group(1)] = int(m.group(2))
    check("MemTotal" in vals and "MemFree" in vals, "meminfo:\n" + out)
    return vals


def buddy_free_pages(f):
    out = f.cmd("buddyinfo")
    lines = [l for l in out.splitlines() if l.startswith("Node")]
    check(len(lines) == 1, "buddyinfo:\n" + out)
    m = re.match(r"^Node 0, zone\s+Normal\s+((?:\s*\d+)+)\s*$", lines[0])
    check(m, "buddyinfo format: %r" % lines[0])
    counts = [int(x) for x in m.group(1).split()]
    check(len(counts) == 11, "buddyinfo has %d orders, expected 11" % len(counts))
    return sum(c << o for o, c in enumerate(counts))


def memtest(f):
    out = f.cmd("memtest", timeout=120)
    check("memtest: passed" in out, "memtest:\n" + out[-3000:])


def consistent(f):
    mi = meminfo(f)
    free = buddy_free_pages(f)
    check(free * PAGE_KB == mi["MemFree"],
          "buddyinfo sums to %d kB, MemFree is %d kB" % (free * PAGE_KB, mi["MemFree"]))
    memtest(f)
    return mi


def alloc(f, order, count=1, gfp=None):
    out = f.cmd("alloc %d %d%s" % (order, count, " " + gfp if gfp else ""))
    pfns = [int(x, 16) for x in re.findall(r"pfn=0x([0-9a-f]+)", out)]
    return pfns, out


def _random_workload(mem, seed):
    rnd = random.Random(seed)
    with Ferret(mem=mem) as f:
        before = consistent(f)
        live = []
        for _ in range(60):
            if live and rnd.random() < 0.45:
                pfn, order = live.pop(rnd.randrange(len(live)))
                out = f.cmd("free 0x%x %d" % (pfn, order))
                check("BUG" not in out and "refused" not in out, "free: " + out)
            else:
                order = rnd.choice([0, 0, 0, 1, 1, 2, 3, 5, 9, 10])
                count = rnd.randint(1, 8)
                gfp = rnd.choice([None, "GFP_KERNEL", "GFP_ATOMIC", "GFP_KERNEL|__GFP_ZERO",
                                  "GFP_KERNEL|__GFP_MOVABLE", "GFP_KERNEL|__GFP_RECLAIMABLE"])
                pfns, out = alloc(f, order, count, gfp)
                check(len(pfns) == count, "alloc %d %d: %s" % (order, count, out))
                for p in pfns:
                    check(p % (1 << order) == 0, "pfn 0x%x not aligned to order %d" % (p, order))
                live += [(p, order) for p in pfns]
        mid = consistent(f)
        used = sum(1 << o for _, o in live)
        check(before["MemFree"] - mid["MemFree"] == used * PAGE_KB,
              "MemFree dropped by %d kB, %d pages are live" % (before["MemFree"] - mid["MemFree"], used))
        for pfn, order in live:
            f.cmd("free 0x%x %d" % (pfn, order))
        after = consistent(f)
        check(after["MemFree"] == before["MemFree"],
              "MemFree %d kB after freeing everything, %d kB before" % (after["MemFree"], before["MemFree"]))


def test_random_allocs_128M():
    _random_workload("128M", 1)


def test_random_allocs_4G():
    _random_workload("4G", 2)


def bad_page_report(out, pfn, order, page_lines, because):
    """The whole report of a refused free: heading, dump_page()'s lines, the
    reason, a call trace from bad_page up through cmd_free, the refusal."""
    lines = out.replace("\r", "").splitlines()
    want = (["BUG: Bad page state in process console  pfn:%x" % pfn] + page_lines
            + ["page dumped because: " + because, "Call trace:"])
    check(lines[:len(want)] == want, "report:\n%s\nexpected it to start:\n%s"
          % ("\n".join(lines), "\n".join(want)))
    trace = [re.sub(r"\+0x[0-9a-f]+/0x[0-9a-f]+$", "", l) for l in lines[len(want):-1]]
    check(trace[:3] == [" dump_stack", " dump_page", " bad_page"] and " cmd_free" in trace,
          "call trace:\n" + "\n".join(trace))
    check(lines[-1] == "free: refused pfn 0x%x order %d" % (pfn, order), "last line: " + lines[-1])


def test_bad_frees_are_refused():
    with Ferret(mem="256M") as f:
        before = consistent(f)
        pfns, out = alloc(f, 2)
        p = pfns[0]
        check(out.replace("\r", "") == "pfn=0x%x order=2 gfp=0xcc0(GFP_KERNEL)\n" % p, out)
        # wrong order
        out = f.cmd("free 0x%x 3" % p)
        bad_page_report(out, p, 3, [
            "page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x%x" % p,
            "head: order:2 mapcount:0 entire_mapcount:0 nr_pages_mapped:0 pincount:0",
            "flags: 0x20008(block|order=2)",
            "raw: 00020008 00000001 00000000 00000000"],
            "wrong order: freed as order 3, allocated as order 2")
        # tail page
        out = f.cmd("free 0x%x 0" % (p + 1))
        bad_page_report(out, p + 1, 0, [
            "page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x%x" % (p + 1),
            "flags: 0x0()", "raw: 00000000 00000000 00000000 00000000"],
            "freeing a tail page (block head pfn:0x%x order:2)" % p)
        consistent(f)
        out = f.cmd("free 0x%x 2" % p)
        check(out.strip() == "", "good free reported:\n" + out)
        # double free
        out = f.cmd("free 0x%x 2" % p)
        out = out.replace("\r", "")
        check(out.startswith("BUG: Bad page state in process console  pfn:%x\n" % p)
              and "\npage dumped because: double free: page heads a free order-2 block" in out
              and out.endswith("\nfree: refused pfn 0x%x order 2\n" % p),
              "double free not reported:\n" + out)
        # never allocated (a free page in the middle of RAM)
        out = f.cmd("free 0x%x 0" % (p + 64))
        check("BUG: Bad page state" in out or "refused" in out, "free of a free page:\n" + out)
        # reserved: the kernel image
        out = f.cmd("free 0x40200 0")
        check("BUG: Bad page state" in out, "free of the image not reported:\n" + out)
        # outside RAM, and garbage
        out = f.cmd("free 0x10 0")
        check("refused" in out, "pfn outside RAM:\n" + out)
        out = f.cmd("free 0xffffffffffff 0")
        check("refused" in out, "huge pfn:\n" + out)
        out = f.cmd("free banana")
        check("usage: free" in out, out)
        out = f.cmd("alloc 11")
        check("out of range" in out and "usage: alloc" in out, out)
        out = f.cmd("alloc 0 1 GFP_BOGUS")
        check("bad gfp" in out, out)
        after = consistent(f)
        check(after["MemFree"] == before["MemFree"], "MemFree changed across refused frees")


def test_alloc_failure_warns():
    with Ferret(mem="128M") as f:
        out = f.cmd("alloc 10 32", timeout=60)      # all the order-10 blocks of 128 MiB
        check("page allocation failure: order:10" in out, "no failure warning:\n" + out[-2000:])
        pfns = [int(x, 16) for x in re.findall(r"pfn=0x([0-9a-f]+)", out)]
        out = f.cmd("alloc 10 1 GFP_KERNEL|__GFP_NOWARN")
        check("page allocation failure" not in out and "failed" in out, out)
        for p in pfns:
            f.cmd("free 0x%x 10" % p)
        consistent(f)
        out = f.cmd("vmstat")
        check(re.search(r"fail", out), "vmstat has no failure counters:\n" + out)


def test_statistics_formats():
    with Ferret(mem="1G") as f:
        mi = meminfo(f)
        check(900 * 1024 < mi["MemTotal"] <= 1024 * 1024, "MemTotal %d kB for 1G" % mi["MemTotal"])
        out = f.cmd("pagetypeinfo")
        check("Page block order: 9" in out, out)
        check("Pages per block:  512" in out, out)
        check(re.search(r"^Free pages count per migrate type at order(\s+\d+){11}\s*$", out, re.M), out)
        for t in ("Unmovable", "Movable", "Reclaimable", "HighAtomic"):
            check(re.search(r"^Node    0, zone   Normal, type\s+%s(\s+\d+){11}\s*$" % t, out, re.M),
                  "pagetypeinfo lacks %s row:\n%s" % (t, out))
        check("Number of blocks type" in out, out)
        out = f.cmd("memblock")
        for name in ("image", "stacks", "mem_map"):
            check(name in out, "memblock does not list %s:\n%s" % (name, out))


def _irqstress(**kw):
    with Ferret(mem="256M", **kw) as f:
        out = f.cmd("irqstress 1500", timeout=120)
        check("memtest passed" in out, out)
        m = re.search(r"(\d+) in (\d+) interrupts", out)
        check(m and int(m.group(2)) > 50, "too few interrupts: " + out)
        consistent(f)


def test_irqstress_gicv2():
    _irqstress()


def test_irqstress_gicv3_el2():
    _irqstress(cpu="cortex-a72", machine_opts="gic-version=3,virtualization=on")


def test_irqstress_raspi3b():
    with Ferret(board="raspi3b") as f:
        out = f.cmd("irqstress 1000", timeout=120)
        check("memtest passed" in out, out)
        m = re.search(r"(\d+) in (\d+) interrupts", out)
        check(m and int(m.group(2)) > 50, "too few interrupts: " + out)
