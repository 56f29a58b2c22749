# SPDX-License-Identifier: GPL-2.0
"""page_owner through the console: Linux's page_owner_sort counts a capture exactly.

PENDING: rename to test_page_owner.py once kernel/mm_boot.c makes the page_ext calls
(page_owner_param, page_ext_init_flatmem, page_ext_init_flatmem_late).

Blocks are allocated with the console's `alloc` command under gfp masks no
other code uses, so their records are known exactly; the capture of
`page_owner` is sorted by Linux's own tools/mm/page_owner_sort (built from
Debian's linux-source-6.12 into build/, as the host test does).
"""
import os
import re
import subprocess
import tempfile

from ferret import Ferret, check, ROOT

SORT_DIR = os.path.join(ROOT, "build", "host", "page_owner_sort")
SORT_BIN = os.path.join(SORT_DIR, "page_owner_sort")

MASK_A = "GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO"   # 0x2dc0
MASK_B = "GFP_KERNEL|__GFP_NORETRY"             # 0x10cc0


def page_owner_sort(capture, *opts):
    if not os.path.exists(SORT_BIN):
        os.makedirs(SORT_DIR, exist_ok=True)
        subprocess.run("tar -xJf /usr/src/linux-source-6.12.tar.xz --strip-components=3 "
                       "--wildcards '*/tools/mm/page_owner_sort.c' && "
                       "gcc -O2 -o page_owner_sort page_owner_sort.c",
                       shell=True, cwd=SORT_DIR, check=True)
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "capture.txt"), os.path.join(d, "sorted.txt")
        with open(src, "w") as f:
            f.write(capture)
        subprocess.run([SORT_BIN, *opts, src, dst], check=True, capture_output=True)
        with open(dst) as f:
            return f.read()


def sorted_blocks(text):
    """{record text after the heading: (times, pages)} of page_owner_sort's output."""
    out = {}
    for block in text.split("\n\n"):
        m = re.match(r"^(\d+) times, (\d+) pages(?:, allocated by \w+ ?)?:\n(.*)$", block, re.S)
        if m:
            out[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return out


def alloc(f, order, count, gfp):
    out = f.cmd("alloc %d %d %s" % (order, count, gfp))
    pfns = [int(x, 16) for x in re.findall(r"pfn=0x([0-9a-f]+)", out)]
    check(len(pfns) == count, "alloc %d %d %s:\n%s" % (order, count, gfp, out))
    return pfns


def stack_pages(text, first_frame):
    for entry in text.split("\n\n"):
        if entry.startswith(" " + first_frame + "+"):
            m = re.search(r"nr_base_pages: (\d+)$", entry)
            check(m, "show_stacks entry without a count:\n" + entry)
            return int(m.group(1))
    return 0


def test_page_owner_sort_counts():
    with Ferret(append="page_owner=on") as f:
        check(re.search(r"allocated \d+ bytes of page_ext", f.boot_log),
              "no page_ext at boot:\n" + f.boot_log)
        before = stack_pages(f.cmd("page_owner_stacks"), "cmd_alloc")
        a = alloc(f, 1, 7, MASK_A)
        b = alloc(f, 0, 5, MASK_B)
        capture = f.cmd("page_owner", timeout=300).replace("\r", "")
        check(capture.count("Page allocated via") >= 12, "dump too short:\n" + capture[-2000:])
        for pfn in a + b:
            check("PFN 0x%x type Unmovable" % pfn in capture, "no record for PFN 0x%x" % pfn)

        blocks = sorted_blocks(page_owner_sort(capture))
        got = {}
        for rec, counts in blocks.items():
            if "mask 0x2dc0(" in rec:
                got["a"] = counts
                check(rec.startswith("Page allocated via order 1, mask 0x2dc0(GFP_KERNEL|"
                                     "__GFP_NOWARN|__GFP_ZERO), pid 1, tgid 1 (console), ts  ns"),
                      "record A:\n" + rec)
                check("\n cmd_alloc+0x" in rec, "stack A does not start at cmd_alloc:\n" + rec)
            if "mask 0x10cc0(" in rec:
                got["b"] = counts
        check(got.get("a") == (7, 14), "page_owner_sort counted A as %s" % (got.get("a"),))
        check(got.get("b") == (5, 5), "page_owner_sort counted B as %s" % (got.get("b"),))

        stacks = f.cmd("page_owner_stacks")
        check(stack_pages(stacks, "cmd_alloc") == before + 19,
              "cmd_alloc holds %d pages, expected %d:\n%s"
              % (stack_pages(stacks, "cmd_alloc"), before + 19, stacks))
        check(stack_pages(f.cmd("page_owner_stacks 100000"), "cmd_alloc") == 0,
              "threshold does not hide small stacks")

        # A tail page finds its block; freed blocks leave the dump and keep their free stack.
        out = f.cmd("page_owner pfn 0x%x" % (a[0] + 1))
        check("is page 1 of the order-1 block at PFN 0x%x" % a[0] in out, out)
        check("page_owner tracks the page as allocated" in out, out)
        for pfn in a:
            f.cmd("free 0x%x 1" % pfn)
        for pfn in b:
            f.cmd("free 0x%x 0" % pfn)
        out = f.cmd("page_owner pfn 0x%x" % a[0])
        check("page_owner tracks the page as freed" in out, out)
        check(re.search(r"page last free pid 1 tgid 1 stack trace:\n cmd_free\+0x", out.replace("\r", "")),
              out)
        capture = f.cmd("page_owner", timeout=300)
        check("mask 0x2dc0(" not in capture, "freed blocks still in the dump")
        check(stack_pages(f.cmd("page_owner_stacks"), "cmd_alloc") == before,
              "cmd_alloc's count did not return to %d" % before)
        depot = f.cmd("depot")
        check("failures:     0" in depot and "16 bytes per page" in depot, depot)


def test_page_owner_off():
    with Ferret() as f:
        check("page_ext" not in f.boot_log, "page_ext allocated with page_owner off")
        out = f.cmd("page_owner")
        check("page_owner is off" in out, out)
        out = f.cmd("ktest page_owner")
        check("ok 1 page_owner" in out, out)


def test_walk_memo_changes_nothing():
    """Walk memos only skip work: the same deterministic workload gives the same
    stacks, record for record, with page_owner_memo=off (every stack walked)."""
    def run(append):
        with Ferret(append=append) as f:
            f.cmd("app run all 150", timeout=120)
            f.cmd("app stop httpd")
            f.cmd("app run all 40", timeout=120)
            raw = f.cmd("page_owner", timeout=300)
            dump = re.sub(r", ts \d+ ns\n", ", ts ns\n", raw)
            stacks = f.cmd("page_owner_stacks")
            # Free stacks too: the blocks around the allocated ones were freed.
            pfns = sorted(int(x, 16) for x in re.findall(r"^PFN 0x([0-9a-f]+) ", raw, re.M))
            for pfn in pfns[::max(1, len(pfns) // 20)]:
                for d in (-8, -3, 5, 9):
                    out = f.cmd("page_owner pfn 0x%x" % (pfn + d))
                    stacks += re.sub(r"ts \d+, free_ts \d+", "ts", out)
            depot = f.cmd("depot")
            walks = int(re.search(r"full walks:\s+(\d+)", depot).group(1))
            return dump, stacks, walks
    memo, memo_stacks, memo_walks = run("page_owner=on")
    cold, cold_stacks, cold_walks = run("page_owner=on page_owner_memo=off")
    check(memo.count("Page allocated via") > 100, memo[-2000:])
    check(memo == cold, "dumps differ with and without walk memos")
    check(memo_stacks == cold_stacks, "page_owner_stacks differ:\n%s\n---\n%s"
          % (memo_stacks, cold_stacks))
    check(memo_walks < cold_walks / 20, "memos saved few walks: %d vs %d"
          % (memo_walks, cold_walks))
