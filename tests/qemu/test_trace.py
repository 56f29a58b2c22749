# SPDX-License-Identifier: GPL-2.0
"""Trace events and the contiguous allocator through the console.

The formats are Linux's (include/trace/events/page_ref.h, kmem.h,
page_isolation.h; ftrace's trace file); the seed-003 scenario is diagnosed
from the console alone: a reference someone kept makes a contiguous
allocation fail, and the report names the holder's stack.
"""
import re
import time

from ferret import Ferret, check, ktap_results
from test_mm import buddy_free_pages, meminfo, memtest

CTX = r"^ {9}console-1 {7}\[000\] \.\.\.\.\. +\d+\.\d{6}: "
HEADER = """# tracer: nop
#
# entries-in-buffer/entries-written: %d/%d   #P:1
#
#                                _-----=> irqs-off/BH-disabled
#                               / _----=> need-resched
#                              | / _---=> hardirq/softirq
#                              || / _--=> preempt-depth
#                              ||| / _-=> migrate-disable
#                              |||| /     delay
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
#              | |         |   |||||     |         |
"""


def has(out, pattern, what=None):
    check(re.search(pattern, out, re.M), "%s: no match for %r in:\n%s"
          % (what or "output", pattern, out[-4000:]))


def free_kb(f):
    """MemFree, checked against buddyinfo."""
    mi = meminfo(f)
    check(buddy_free_pages(f) * 4 == mi["MemFree"], "buddyinfo does not sum to MemFree")
    return mi["MemFree"]


def alloc(f, order):
    out = f.cmd("alloc %d" % order)
    m = re.search(r"pfn=0x([0-9a-f]+)", out)
    check(m, "alloc %d: %s" % (order, out))
    return int(m.group(1), 16)


def test_trace_event_formats():
    with Ferret() as f:
        out = f.cmd("trace stats")
        has(out, r"^entries: 0$")
        has(out, r"^events: none$")
        has(out, r"^per-cpu lists: enabled$")
        out = f.cmd("trace on")
        check("trace: recording page_ref_set page_ref_mod page_ref_mod_and_test "
              "page_ref_mod_and_return page_ref_mod_unless page_ref_freeze page_ref_unfreeze "
              "mm_page_alloc mm_page_free test_pages_isolated" in out, out)
        p = alloc(f, 1)
        check("refcount 2" in f.cmd("get 0x%x" % p), "get")
        check("refcount 1" in f.cmd("put 0x%x" % p), "put")
        f.cmd("free 0x%x 1" % p)
        out = f.cmd("trace show")
        check(out.startswith(HEADER % (6, 6)), "trace header:\n" + out[:1200])
        fields = r"mapcount=0 mapping=0000000000000000 mt=\d"
        has(out, CTX + r"page_ref_set: pfn=0x%x flags=block\|order=1 count=1 %s val=1$" % (p, fields))
        has(out, CTX + r"mm_page_alloc: page=[0-9a-f]{16} pfn=0x%x order=1 migratetype=0 "
            r"gfp_flags=GFP_KERNEL$" % p)
        has(out, CTX + r"page_ref_mod: pfn=0x%x flags=block\|order=1 count=2 %s val=1$" % (p, fields))
        has(out, CTX + r"page_ref_mod_and_test: pfn=0x%x flags=block\|order=1 count=1 %s "
            r"val=-1 ret=0$" % (p, fields))
        has(out, CTX + r"page_ref_mod_and_test: pfn=0x%x flags=block\|order=1 count=0 %s "
            r"val=-1 ret=1$" % (p, fields))
        has(out, CTX + r"mm_page_free: page=[0-9a-f]{16} pfn=0x%x order=1$" % p)
        check("<stack trace>" not in out, "stacks recorded while off:\n" + out)

        # Stacks: the first frame is the command that took the reference.
        f.cmd("trace stack on")
        q = alloc(f, 0)
        f.cmd("get 0x%x" % q)
        out = f.cmd("trace show")
        has(out, CTX + r"<stack trace>\n => cmd_get\+0x[0-9a-f]+/0x[0-9a-f]+ \([0-9a-f]+\)\n"
            r" => console_execute\+0x")
        has(out, CTX + r"<stack trace>\n => cmd_alloc\+0x")

        # The pfn filter: only q's events.
        f.cmd("trace clear")
        out = f.cmd("trace filter pfn 0x%x" % q)
        check("only events touching pfn 0x%x-0x%x" % (q, q) in out, out)
        r = alloc(f, 0)
        f.cmd("put 0x%x" % q)
        f.cmd("put 0x%x" % q)
        f.cmd("free 0x%x" % r)
        out = f.cmd("trace show")
        check(out.startswith(HEADER % (3, 3)), "filtered:\n" + out[:3000])
        check(("pfn=0x%x " % r) not in out or r == q, "filter let pfn 0x%x through" % r)
        has(out, r"mm_page_free: page=[0-9a-f]{16} pfn=0x%x order=0$" % q)
        f.cmd("trace filter off")

        # Event selection and bad input.
        out = f.cmd("trace off page_ref")
        check("trace: recording mm_page_alloc mm_page_free test_pages_isolated" in out, out)
        out = f.cmd("trace on bogus")
        check("unknown event 'bogus'" in out, out)
        out = f.cmd("trace filter pfn 5 3")
        check("not above start" in out, out)
        check("usage: trace" in f.cmd("trace sideways"), "usage")

        # Streaming: what is pending, then whatever comes, until Ctrl-C.
        f.send("trace stream\r")
        time.sleep(0.3)
        f.send("\x03")
        out = f.expect(r"\^C\r*\ntrace: interrupted\r*\nferret> ").replace("\r", "")
        check("trace: streaming, Ctrl-C stops\n" in out, "trace stream:\n" + out)
        has(out, r"mm_page_free: page=[0-9a-f]{16} pfn=0x%x order=0$" % q, "trace stream")
        out = f.cmd("trace stats")
        has(out, r"^entries: 3$")
        has(out, r"^read events: 3$")
        has(out, r"^stacks: on, 3 records carry one$")
        has(out, r"^bytes: 120$")
        f.cmd("trace clear")
        has(f.cmd("trace stats"), r"^entries: 0$")
        f.cmd("trace off")
        has(f.cmd("trace stats"), r"^per-cpu lists: enabled$")
        memtest(f)


def test_seed_003_scenario():
    """Commit 95813b8f's diagnosis: who keeps the page a contiguous allocation needs."""
    with Ferret(append="page_owner=on") as f:
        memtest(f)
        before = free_kb(f)
        f.cmd("trace on")
        f.cmd("trace stack on")
        p = alloc(f, 2)
        out = f.cmd("get 0x%x" % (p + 1))
        check("pfn 0x%x is in the order-2 block at pfn 0x%x" % (p + 1, p) in out, out)
        check("get: pfn 0x%x refcount 2" % p in out, out)
        out = f.cmd("free 0x%x 2" % p)
        check("still has 1 reference(s): not freed yet" in out and "BUG" not in out, out)
        memtest(f)
        check(free_kb(f) == before - 16, "the held block is not free")

        s = p & ~15
        e = s + 16
        out = f.cmd("contig alloc 0x%x 0x%x" % (s, e))
        check("alloc_contig_range: [%x, %x) PFNs busy\n" % (s, e) in out, out)
        check("alloc_contig_range: 1 block in the way, 4 of 16 pages in use; first busy pfn "
              "0x%x\n" % p in out, out)
        check("pfn 0x%x: allocated, order 2, refcount 1\n" % p in out, out)
        check("page dumped because: unmovable page\n" in out, out)
        # Who allocated it (page_owner) ...
        has(out, r"^page_owner tracks the page as allocated\npage last allocated via order 2, "
            r"migratetype Unmovable, gfp_mask 0xcc0\(GFP_KERNEL\), pid 1, tgid 1 \(console\)")
        has(out, r"^ cmd_alloc\+0x[0-9a-f]+/0x[0-9a-f]+$")
        # ... and who holds it: the page_ref history names cmd_get's stack.
        check("page_ref history of pfn 0x%x-0x%x (trace ring):\n" % (p, p + 3) in out, out)
        fields = r"mapcount=0 mapping=0000000000000000 mt=\d"
        has(out, CTX + r"page_ref_mod: pfn=0x%x flags=block\|order=2 count=2 %s val=1\n" % (p, fields)
            + CTX + r"<stack trace>\n => cmd_get\+0x")
        has(out, CTX + r"page_ref_mod_and_test: pfn=0x%x flags=block\|order=2 count=1 %s val=-1 "
            r"ret=0\n" % (p, fields) + CTX + r"<stack trace>\n => cmd_free\+0x")
        check("contig: alloc_contig_range(0x%x, 0x%x) failed: -16" % (s, e) in out, out)
        memtest(f)
        check(free_kb(f) == before - 16, "a failed contig alloc changed MemFree")
        has(f.cmd("trace show"), r"test_pages_isolated: start_pfn=0x%x end_pfn=0x%x "
            r"fin_pfn=0x%x ret=fail$" % (s, e, p))

        out = f.cmd("put 0x%x" % p)
        check("put: pfn 0x%x refcount 0: freed" % p in out, out)
        check(free_kb(f) == before, "MemFree after put")
        out = f.cmd("contig alloc 0x%x 0x%x" % (s, e))
        check("contig: allocated 16 pages at pfn=0x%x" % s in out, out)
        memtest(f)
        check(free_kb(f) == before - 64, "16 pages taken")
        has(f.cmd("trace show"), r"test_pages_isolated: start_pfn=0x%x end_pfn=0x%x "
            r"fin_pfn=0x%x ret=success$" % (s, e, e))
        out = f.cmd("page_owner pfn 0x%x" % (s + 1))
        has(out, r"page last allocated via order 0, migratetype Unmovable, gfp_mask 0xcc0")
        has(out, r"^ __alloc_contig_range\+0x[0-9a-f]+/0x[0-9a-f]+\n cmd_contig\+0x")
        out = f.cmd("contig free 0x%x 16" % s)
        check("contig: freed 16 of 16 pages at pfn=0x%x\n" % s in out, out)
        f.cmd("trace off")
        memtest(f)
        check(free_kb(f) == before, "MemFree not restored exactly")


def test_contig_search_and_bad_input():
    with Ferret(mem="256M") as f:
        before = free_kb(f)
        out = f.cmd("contig alloc 1024")
        m = re.search(r"contig: allocated 1024 pages at pfn=0x([0-9a-f]+)", out)
        check(m, out)
        p = int(m.group(1), 16)
        check(p % 1024 == 0, "1024 pages at 0x%x: not aligned" % p)
        check(free_kb(f) == before - 4096, "4 MiB taken")
        memtest(f)
        f.cmd("contig free 0x%x 1024" % p)
        check(free_kb(f) == before, "MemFree after contig free")

        # One page in every 256: no free run of 512 pages is left.
        top = (0x40000000 + 256 * 2**20) >> 12
        pepper = []
        for pfn in range((0x40000000 >> 12) + 0x3ff, top, 256):
            if "allocated 1 pages" in f.cmd("contig alloc 0x%x 0x%x" % (pfn, pfn + 1)):
                pepper.append(pfn)
        check(len(pepper) > 200, "pepper: %d pages" % len(pepper))
        out = f.cmd("contig alloc 200")
        check("contig: allocated 200 pages" in out, out)
        q = int(re.search(r"pfn=0x([0-9a-f]+)", out).group(1), 16)
        check(q % 256 == 0, "200 pages at 0x%x: not aligned to 256" % q)
        f.cmd("contig free 0x%x 200" % q)
        out = f.cmd("contig alloc 512")
        check("alloc_contig_pages: no free range of 512 pages; the one with the fewest pages "
              "in use:" in out, out)
        check("PFNs busy" in out and "2 blocks in the way, 2 of 512 pages in use" in out, out)
        check("contig: no 512 contiguous free pages" in out, out)
        memtest(f)
        for pfn in pepper:
            f.cmd("free 0x%x" % pfn)
        check(free_kb(f) == before, "MemFree after freeing the pepper")

        check("no such range in RAM" in f.cmd("contig alloc 100000"), "too big")
        check("failed: -22" in f.cmd("contig alloc 0x10 0x20"), "outside RAM")
        check("usage: contig" in f.cmd("contig"), "usage")
        check("usage: contig" in f.cmd("contig shrink 1 2"), "usage")
        check("is not a page" in f.cmd("get 0x10"), "get outside RAM")
        check("is free: no reference to take" in f.cmd("get 0x%x" % p), "get of a free page")
        check("is reserved: no reference to drop" in f.cmd("put 0x40200"), "put of the image")
        memtest(f)
        check(free_kb(f) == before, "MemFree at the end")


def test_ktest_trace(report):
    for board, append in (("qemu-virt", "page_owner=on"), ("raspi3b", "")):
        with Ferret(board=board, append=append) as f:
            out = f.cmd("ktest trace", timeout=120)
            res = ktap_results(out)
            check(res, "no KTAP cases:\n" + out)
            for suite, case, ok in res:
                report("%s/%s" % (board, case), ok, "" if ok else out)
            check(all(ok for _, _, ok in res), "ktest trace on %s:\n%s" % (board, out))
