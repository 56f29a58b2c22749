# SPDX-License-Identifier: GPL-2.0
"""The conservative leak scan from the console (`kmemleak`, `leaks --unreferenced`).

The demo firmware (apps/) leaks exactly two things and nothing else: sensor
floor(N / 7) order-0 pages (sensor_ring_grow <- sensor_log_append <-
sensor_iterate), httpd floor(N / 5) 48-byte objects (httpd_req_alloc <-
httpd_parse_request <- httpd_iterate). Everything else the services hold is
reachable from their static tables. So after `app run all N` the scan must
report exactly those, with or without owner tracking (the scan needs none;
owners add the stacks), on virt and raspi3b (RAM from 0, another stack).
"""
import random
import re
import time

from ferret import Ferret, check, PROMPT

SUMMARY = re.compile(r"^kmemleak: (\d+) new suspected memory leaks \((\d+) blocks of (\d+) pages, "
                     r"(\d+) objects of (\d+) bytes\)$", re.M)
STATS = re.compile(r"^kmemleak: 2 passes over (\d+) blocks and (\d+) objects, (\d+) KiB scanned"
                   r"(?:, (\d+) instructions)?; scan state (\d+) KiB, given back$", re.M)


def memtest(f):
    out = f.cmd("memtest", timeout=120)
    check("memtest: passed" in out, "memtest:\n" + out[-3000:])


def counts(out):
    m = SUMMARY.search(out)
    check(m is not None, "no summary line:\n" + out)
    check(STATS.search(out) is not None, "no stats line:\n" + out)
    return tuple(int(x) for x in m.groups())


def expect_demo(out, n):
    leaks, blocks, pages, objects, nbytes = counts(out)
    want = (n // 7 + n // 5, n // 7, n // 7, n // 5, 48 * (n // 5))
    check((leaks, blocks, pages, objects, nbytes) == want,
          "after %d iterations: got %r, want %r:\n%s" % (n, (leaks, blocks, pages, objects, nbytes),
                                                        want, out))


def reports(out):
    """The `kmemleak` report blocks: [(addr, size, [lines])]."""
    blocks = []
    for m in re.finditer(r"^unreferenced object 0x([0-9a-f]+) \(size (\d+)\):\n((?:  .*\n)*)",
                         out, re.M):
        blocks.append((int(m.group(1), 16), int(m.group(2)), m.group(3).splitlines()))
    return blocks


def check_block(lines, comm, frames):
    """One report's lines in Linux's format, with the owner's comm and first frames."""
    check(re.fullmatch(r'  comm "%s", pid \d+, jiffies \d+ \(age \d+\.\d{3}s\)' % comm, lines[0])
          is not None, lines[0])
    check(lines[1] in ("  hex dump (first 32 bytes):",), lines[1])
    for l in lines[2:4]:
        check(re.fullmatch(r"    (?:[0-9a-f]{2} ){15}[0-9a-f]{2}  .{16}", l) is not None, repr(l))
    check(re.fullmatch(r"  backtrace \(crc [0-9a-f]+\):", lines[4]) is not None, lines[4])
    names = [re.fullmatch(r"    (\S+)\+0x[0-9a-f]+/0x[0-9a-f]+", l).group(1) for l in lines[5:]]
    check(names[:len(frames)] == list(frames), "frames %r, want %r first" % (names, frames))


def test_demo_leaks_exact_with_owners():
    n = random.Random().randrange(60, 400)
    with Ferret(append="page_owner=on slab_owner=on") as f:
        out = f.cmd("kmemleak")
        check(counts(out)[0] == 0, "leaks right after boot:\n" + out)
        f.cmd("app run all %d" % n, timeout=120)
        out = f.cmd("kmemleak", timeout=120)
        expect_demo(out, n)
        blocks = reports(out)
        check(len(blocks) == n // 7 + n // 5, "%d report blocks" % len(blocks))
        objs = [b for b in blocks if b[1] == 48]
        pages = [b for b in blocks if b[1] == 4096]
        check(len(objs) == n // 5 and len(pages) == n // 7, "sizes: %r" % [b[1] for b in blocks])
        for _, _, lines in objs:
            check_block(lines, "httpd", ("httpd_req_alloc", "httpd_parse_request",
                                         "httpd_iterate"))
        for _, _, lines in pages:
            check_block(lines, "sensor", ("sensor_ring_grow", "sensor_log_append",
                                          "sensor_iterate"))
        # The httpd_req's first bytes are the heap's header then "GET"/"POST"... as written.
        # Aggregated per stack: two stacks, exact.
        out = f.cmd("leaks --unreferenced", timeout=120)
        check(re.search(r"^%d pages in %d blocks from sensor\n sensor_ring_grow\+" % (n // 7, n // 7),
                        out, re.M) is not None, out)
        check(re.search(r"^%d bytes in %d objects from httpd\n httpd_req_alloc\+"
                        % (48 * (n // 5), n // 5), out, re.M) is not None, out)
        check(re.search(r"^1 stack, %d pages in %d blocks$" % (n // 7, n // 7), out, re.M), out)
        check(re.search(r"^1 stack, %d bytes in %d objects$" % (48 * (n // 5), n // 5), out, re.M),
              out)
        out = f.cmd("leaks --unreferenced --format=folded", timeout=120)
        lines = out.splitlines()
        check(len(lines) == 2, out)
        check(any(l.endswith(";sensor_iterate;sensor_log_append;sensor_ring_grow %d"
                             % (4096 * (n // 7))) for l in lines), out)
        check(any(l.endswith(";httpd_iterate;httpd_parse_request;httpd_req_alloc %d"
                             % (48 * (n // 5))) for l in lines), out)
        # Stopping the services frees what they hold, not the leaks.
        f.cmd("app stop all")
        expect_demo(f.cmd("kmemleak count", timeout=120), n)
        memtest(f)


def test_demo_leaks_exact_without_owners():
    n = random.Random().randrange(60, 400)
    with Ferret() as f:
        f.cmd("app run all %d" % n, timeout=120)
        out = f.cmd("kmemleak", timeout=120)
        expect_demo(out, n)
        check("reported without an owner record" in out, out)
        for _, size, lines in reports(out):
            # No owner: no comm line, no frames.
            check(lines[0] == "  hex dump (first 32 bytes):", lines)
            check(re.fullmatch(r"  backtrace \(crc [0-9a-f]+\):", lines[-1]) is not None, lines)
        out = f.cmd("leaks --unreferenced", timeout=120)
        check(re.search(r"^%d pages in %d blocks from unknown\n \[no owner record"
                        % (n // 7, n // 7), out, re.M) is not None, out)


def test_marks_from_the_console():
    with Ferret(append="page_owner=on") as f:
        f.cmd("app run sensor 70", timeout=60)
        out = f.cmd("kmemleak")
        expect_demo_pages = lambda o, k: check(counts(o)[1] == k, "%d blocks wanted:\n%s" % (k, o))
        expect_demo_pages(out, 10)
        addrs = sorted(a for a, size, _ in reports(out) if size == 4096)
        check(len(addrs) == 10, out)
        # A range over two of the leaked pages (a device's buffer): no longer reported.
        check(f.cmd("kmemleak mark ignore_range 0x%x 0x%x" % (addrs[0], 4096)) == "", "mark")
        check(f.cmd("kmemleak mark not_leak 0x%x" % addrs[1]) == "", "mark")
        out = f.cmd("kmemleak marks")
        check(re.search(r"^ignore_range  0x%x-0x%x \(4096 bytes\)$" % (addrs[0], addrs[0] + 4096),
                        out, re.M), out)
        check(re.search(r"^not_leak      0x%x$" % addrs[1], out, re.M), out)
        check(re.search(r"^2 marks, \d+ free$", out, re.M), out)
        expect_demo_pages(f.cmd("kmemleak count"), 8)
        # Bad lines: a clear error, nothing changed.
        for line, msg in (("kmemleak mark bogus 0x1000", "unknown mark 'bogus'"),
                          ("kmemleak mark root 0x1000", "root needs a size"),
                          ("kmemleak mark not_leak 0x1000 8", "marks one object: no size"),
                          ("kmemleak mark ignore_range 0xfffffffffffff000 0x2000", "bad range"),
                          ("kmemleak mark ignore_range zzz 1", ""),
                          ("kmemleak unmark 0x1234", "no mark at 0x1234"),
                          ("kmemleak frobnicate", "usage: kmemleak"),
                          ("leaks --unreferenced since x", "takes no checkpoint")):
            out = f.cmd(line)
            check(out != "" and msg in out, "%r: %r" % (line, out))
        check(re.search(r"^2 marks", f.cmd("kmemleak marks"), re.M), "marks changed")
        check(f.cmd("kmemleak unmark 0x%x" % addrs[0]) == "", "unmark")
        check(f.cmd("kmemleak unmark 0x%x" % addrs[1]) == "", "unmark")
        expect_demo_pages(f.cmd("kmemleak count"), 10)


def test_ctrl_c_stops_the_scan():
    with Ferret(mem="2G", append="page_owner=on slab_owner=on") as f:
        f.cmd("app run all 300", timeout=120)
        before = f.cmd("meminfo").splitlines()[1]
        # Ctrl-C typed right behind the command: the scan sees it at its first check.
        f.send("kmemleak\r\x03")
        f.child.expect_exact(PROMPT, timeout=60)
        out = f.child.before.replace("\r", "")
        check("kmemleak: interrupted: nothing reported, nothing changed" in out, out)
        check("unreferenced object" not in out, out)
        check(f.cmd("meminfo").splitlines()[1] == before, "MemFree changed")
        expect_demo(f.cmd("kmemleak count", timeout=120), 300)
        memtest(f)


def test_raspi3b():
    with Ferret(board="raspi3b", append="page_owner=on slab_owner=on") as f:
        f.cmd("app run all 35", timeout=120)
        out = f.cmd("kmemleak count", timeout=120)
        expect_demo(out, 35)


def test_scan_from_an_application():
    """ferret_kmemleak_scan() from app code: its own locals and statics are roots."""
    with Ferret(append="slab_owner=on") as f:
        out = f.cmd("app run libcheck scan", timeout=60)
        m = re.search(r"^libcheck: scan: (-?\d+) unreferenced; lost 0x([0-9a-f]+), held 0x([0-9a-f]+), "
                      r"kept 0x([0-9a-f]+)$", out, re.M)
        check(m is not None, out)
        lost, held, kept = (int(m.group(i), 16) for i in (2, 3, 4))
        check(m.group(1) == "1", out)
        blocks = reports(out)
        # malloc's pointer is 16 bytes past the kmalloc object (the heap's header).
        check([b[0] for b in blocks] == [lost - 16], out)
        check_block(blocks[0][2], "libcheck", ("lose_block", "scan_from_app"))
        check("app libcheck: main returned 0, 0 heap blocks" in out, out)


def test_clear_leaves_old_suspects_out():
    """`kmemleak clear`: later scans report only what leaked since."""
    with Ferret(append="page_owner=on slab_owner=on") as f:
        f.cmd("app run all 35", timeout=60)
        out = f.cmd("kmemleak clear")
        check(re.fullmatch(r"kmemleak: suspects allocated up to ts \d+ ns are not reported again\n",
                           out) is not None, out)
        f.cmd("app run all 35", timeout=60)
        out = f.cmd("kmemleak count", timeout=60)
        leaks, blocks, pages, objects, nbytes = counts(out)
        # 70 iterations since boot: 10 pages and 14 objects leaked, 5 and 7 before the clear.
        check((blocks, objects, nbytes) == (5, 7, 7 * 48), out)
        check("kmemleak: 12 older suspects not shown (allocated before `kmemleak clear`)" in out,
              out)
