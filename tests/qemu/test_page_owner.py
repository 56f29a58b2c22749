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


CONSOLE_STACK = ["console_execute", "console_loop", "console_run", "start_kernel", "el1_entry"]


def frames(lines, first):
    """Check that lines are exactly the frames first + CONSOLE_STACK, each
    "name+0xoff/0xsize" with 0 < off <= size (a return address: after a
    noreturn call it is the function's end, as %pB prints); return the rest."""
    names = [first] + CONSOLE_STACK
    for name, line in zip(names, lines):
        m = re.match(r"^ (\w+)\+0x([0-9a-f]+)/0x([0-9a-f]+)$", line)
        check(m and m.group(1) == name and 0 < int(m.group(2), 16) <= int(m.group(3), 16),
              "frame %r, expected %s+0x../0x..:\n%s" % (line, name, "\n".join(lines)))
    check(len(lines) >= len(names), "stack too short:\n" + "\n".join(lines))
    return lines[len(names):]


def vmstat(f):
    return {k: int(v) for k, v in re.findall(r"^(\w+) (\d+)$", f.cmd("vmstat"), re.M)}


def test_exact_lines():
    """Whole lines with every field: the alloc reply, the block's record in the
    dump, `page_owner pfn` for each page of the block and for the page after it,
    the free and its stack, and the vmstat counters the two moved."""
    with Ferret(append="page_owner=on") as f:
        before = vmstat(f)
        out = f.cmd("alloc 2 1 " + MASK_B).replace("\r", "")
        m = re.match(r"^pfn=0x([0-9a-f]+) order=2 gfp=0x10cc0\(GFP_KERNEL\|__GFP_NORETRY\)\n$",
                     out)
        check(m, "alloc reply: %r" % out)
        pfn = int(m.group(1), 16)
        check(pfn % 4 == 0, "order-2 block at unaligned pfn 0x%x" % pfn)
        after = vmstat(f)
        moved = {k: after[k] - before[k] for k in before if after[k] != before[k]}
        # Free pages count those on the per-cpu lists too, which a refill moves.
        check(moved.get("nr_free_pages", 0) + moved.get("nr_free_pcp", 0) == -4
              and moved.get("pgalloc_normal") == 4 and moved.get("pgalloc_order2") == 1
              and "pgfree" not in moved and "pgalloc_fail" not in moved,
              "vmstat moved by %s for one order-2 allocation" % moved)

        dump = f.cmd("page_owner", timeout=300).replace("\r", "")
        rec = re.search(r"^Page allocated via [^\n]*\nPFN 0x%x [^\n]*\n(?: [^\n]*\n)*" % pfn, dump, re.M)
        check(rec, "no record for PFN 0x%x:\n%s" % (pfn, dump[-2000:]))
        lines = rec.group(0).splitlines()
        m = re.match(r"^Page allocated via order 2, mask 0x10cc0\(GFP_KERNEL\|__GFP_NORETRY\), "
                     r"pid 1, tgid 1 \(console\), ts (\d+) ns$", lines[0])
        check(m, "record line 1: %r" % lines[0])
        ts = int(m.group(1))
        want = ("PFN 0x%x type Unmovable Block %d type Unmovable Flags 0x20008(block|order=2)"
                % (pfn, pfn >> 9))
        check(lines[1] == want, "record line 2: %r, expected %r" % (lines[1], want))
        check(frames(lines[2:], "cmd_alloc") == [], "record:\n" + rec.group(0))

        alloc_line = ("page last allocated via order 2, migratetype Unmovable, gfp_mask "
                      "0x10cc0(GFP_KERNEL|__GFP_NORETRY), pid 1, tgid 1 (console), ts %d, "
                      "free_ts %%d" % ts)
        for i in range(4):
            lines = f.cmd("page_owner pfn 0x%x" % (pfn + i)).replace("\r", "").splitlines()
            if i:
                want = "PFN 0x%x is page %d of the order-2 block at PFN 0x%x" % (pfn + i, i, pfn)
                check(lines[0] == want, "pfn +%d: %r, expected %r" % (i, lines[0], want))
                lines = lines[1:]
            check(lines[:2] == ["page_owner tracks the page as allocated", alloc_line % 0],
                  "pfn +%d:\n%s" % (i, "\n".join(lines)))
            check(frames(lines[2:], "cmd_alloc") == ["page_owner free stack trace missing"],
                  "pfn +%d:\n%s" % (i, "\n".join(lines)))
        # The page right after the block is not the block's.
        out = f.cmd("page_owner pfn 0x%x" % (pfn + 4))
        check("block at PFN 0x%x\n" % pfn not in out.replace("\r", ""),
              "the page after the block is reported as the block's:\n" + out)

        out = f.cmd("free 0x%x 2" % pfn)
        check(out.strip() == "", "free reply: %r" % out)
        moved = {k: v - after[k] for k, v in vmstat(f).items() if v != after[k]}
        check(moved.get("nr_free_pages", 0) + moved.get("nr_free_pcp", 0) == 4
              and moved.get("pgfree") == 4 and moved.get("pgfree_order2") == 1
              and "pgalloc_normal" not in moved,
              "vmstat moved by %s for one order-2 free" % moved)
        lines = f.cmd("page_owner pfn 0x%x" % pfn).replace("\r", "").splitlines()
        check(lines[0] == "page_owner tracks the page as freed", "\n".join(lines))
        m = re.match(re.escape(alloc_line % 0)[:-1] + r"(\d+)$", lines[1])
        check(m and int(m.group(1)) > ts, "freed: %r (allocated at %d)" % (lines[1], ts))
        rest = frames(lines[2:], "cmd_alloc")
        check(rest[:1] == ["page last free pid 1 tgid 1 stack trace:"], "\n".join(lines))
        check(frames(rest[1:], "cmd_free") == [], "\n".join(lines))
