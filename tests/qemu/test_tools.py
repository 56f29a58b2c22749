# SPDX-License-Identifier: GPL-2.0
"""Host tools: analyse (sort, diff, map), capture (QEMU, serial), the OpenOCD script.

The analyse tests read fixtures in tests/data/ and check exact output; sort is
also checked against Linux's own tools/mm/page_owner_sort (built from Debian's
linux-source-6.12). The capture tests boot QEMU or fake a serial device on a
pseudo terminal.
"""
import os
import pty
import re
import subprocess
import tempfile
import threading
import time
import tty
import xml.etree.ElementTree as ET

from ferret import ROOT, check

TOOLS = os.path.join(ROOT, "build", "host", "tools")
DATA = os.path.join(ROOT, "tests", "data")
A = os.path.join(DATA, "page_owner_a.txt")
B = os.path.join(DATA, "page_owner_b.txt")
LINUX = os.path.join(DATA, "linux_page_owner.txt")
SORT_DIR = os.path.join(ROOT, "build", "host", "page_owner_sort")
SORT_BIN = os.path.join(SORT_DIR, "page_owner_sort")

_build_lock = threading.Lock()
_built = []


def tool(name):
    with _build_lock:
        if not _built:
            subprocess.run(["make", "--no-print-directory", "-s", "tools"], cwd=ROOT, check=True)
            _built.append(True)
    return os.path.join(TOOLS, name)


def run(args, rc=0, **kw):
    p = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=kw.pop("timeout", 120),
                       **kw)
    check(rc is None or p.returncode == rc,
          "%s: exit %d, expected %s\nstdout:\n%s\nstderr:\n%s"
          % (" ".join(args), p.returncode, rc, p.stdout[-3000:], p.stderr[-3000:]))
    return p


def analyse(*args, rc=0):
    return run([tool("analyse")] + list(args), rc=rc)


def page_owner_sort(path, *opts):
    """Linux's tools/mm/page_owner_sort on @path; its output text."""
    with _build_lock:
        if not os.path.exists(SORT_BIN):
            os.makedirs(SORT_DIR, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=SORT_DIR) as d:
                subprocess.run("tar -xJf /usr/src/linux-source-6.12.tar.xz --strip-components=3 "
                               "--wildcards '*/tools/mm/page_owner_sort.c' && "
                               "gcc -O2 -o page_owner_sort page_owner_sort.c",
                               shell=True, cwd=d, check=True, capture_output=True)
                os.replace(os.path.join(d, "page_owner_sort"), SORT_BIN)
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.txt"), os.path.join(d, "out.txt")
        with open(path, newline="") as f, open(src, "w") as g:
            g.write(f.read().replace("\r", ""))
        subprocess.run([SORT_BIN, *opts, src, dst], check=True, capture_output=True)
        with open(dst) as f:
            return f.read()


def entries(text):
    """{stack text: (times, pages)} of `N times, M pages...:` entries."""
    out = {}
    for block in text.split("\n\n"):
        m = re.match(r"^(\d+) times, (\d+) pages[^:\n]*:\n(.*)$", block.strip("\n") + "\n", re.S)
        if m:
            out[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return out


TAIL = """ app_run+0x1d0/0x2f0
 cmd_app+0x224/0x350
 console_execute+0xf4/0x210
 console_loop+0x170/0x260
 console_run+0x1c/0x20
 start_kernel+0x328/0x480
 el1_entry+0x5c/0x60
"""
NETRX = " netrx_alloc_rx_buffer+0x14/0x60\n netrx_receive_burst+0x74/0x120\n netrx_iterate+0x28/0x50\n" + TAIL
BLK = " blkcache_alloc_block+0x14/0x60\n blkcache_read+0xdc/0x170\n blkcache_iterate+0xbc/0xe0\n" + TAIL
LEAK = " sensor_ring_grow+0x14/0x68\n sensor_log_append+0x9c/0x110\n sensor_iterate+0x30/0x48\n" + TAIL
HTTPD = (" httpd_alloc_scratch+0x14/0x60\n httpd_parse_request+0x1c/0x70\n"
         " httpd_handle_request+0x9c/0x190\n httpd_iterate+0x54/0x90\n" + TAIL)
BATCH = " sensor_alloc_batch+0x14/0x60\n sensor_read_samples+0x4c/0x130\n sensor_iterate+0x20/0x48\n" + TAIL


# ---------------------------------------------------------------------------
# analyse sort
# ---------------------------------------------------------------------------

def test_analyse_sort_exact():
    """Default: per stack, most pages first; contexts by pages; \\r and console noise ignored."""
    out = analyse("sort", A).stdout
    want = ("1 times, 4 pages, allocated by blkcache:\n" + BLK + "\n"
            "3 times, 3 pages, allocated by netrx,console:\n" + NETRX + "\n"
            "2 times, 2 pages, allocated by sensor:\n" + LEAK + "\n"
            "1 times, 2 pages, allocated by httpd:\n" + HTTPD + "\n")
    check(out == want, "analyse sort:\n%s\nexpected:\n%s" % (out, want))
    out = analyse("sort", "-t", "--top", "2", A).stdout
    check(out == ("3 times, 3 pages, allocated by netrx,console:\n" + NETRX + "\n"
                  "2 times, 2 pages, allocated by sensor:\n" + LEAK + "\n"), "-t --top 2:\n" + out)


def test_analyse_sort_cull_and_select():
    out = analyse("sort", "--cull=pid,name", A).stdout
    check(out == "1 times, 4 pages, PID 4, task_comm_name: blkcache\n"
                 "2 times, 2 pages, PID 3, task_comm_name: netrx\n"
                 "2 times, 2 pages, PID 6, task_comm_name: sensor\n"
                 "1 times, 2 pages, PID 5, task_comm_name: httpd\n"
                 "1 times, 1 pages, PID 1, task_comm_name: console\n", "--cull=pid,name:\n" + out)
    out = analyse("sort", "--cull", "n", "--sort=-name", A).stdout
    check(out.splitlines()[0] == "2 times, 2 pages, task_comm_name: sensor", "--sort=-name:\n" + out)
    out = analyse("sort", "--name", "sensor,httpd", "--cull=st", A).stdout
    check(out == "2 times, 2 pages, task_comm_name: sensor:\n" + LEAK + "\n"
                 "1 times, 2 pages, task_comm_name: httpd:\n" + HTTPD + "\n",
          "--name sensor,httpd --cull=st:\n" + out)
    out = analyse("sort", "--pid=1", A).stdout
    check(out == "1 times, 1 pages, allocated by console:\n" + NETRX + "\n", "--pid=1:\n" + out)
    out = analyse("sort", "--cull=order", "--sort=order", A).stdout
    check(out == "5 times, 5 pages, order 0\n1 times, 2 pages, order 1\n1 times, 4 pages, order 2\n",
          "--cull=order:\n" + out)


def test_analyse_sort_matches_page_owner_sort():
    """--cull=stacktrace and --cull=pid,name count exactly as Linux's page_owner_sort."""
    for path in (A, B, LINUX):
        ours = entries(analyse("sort", "--cull=stacktrace", path).stdout)
        theirs = entries(page_owner_sort(path, "--cull=st"))
        if path == A:
            theirs.pop("", None)    # page_owner_sort counts the console noise line as a record
        check(ours == theirs, "%s: analyse %r\npage_owner_sort %r" % (path, ours, theirs))
        ours = analyse("sort", "--cull=pid,name", path).stdout.splitlines()
        theirs = [l for l in page_owner_sort(path, "--cull=pid,name").splitlines()
                  if "PID -1" not in l]
        check(sorted(ours) == sorted(theirs), "--cull=pid,name:\n%s\nvs\n%s" % (ours, theirs))


def test_analyse_linux_capture():
    """A Linux dump parses; labels skip the allocator's own frames."""
    out = analyse("sort", LINUX).stdout
    check(out.startswith("4 times, 4 pages, allocated by init:\n get_page_from_freelist+"), out)
    with tempfile.TemporaryDirectory() as d:
        svg = os.path.join(d, "m.svg")
        analyse("map", "-o", svg, LINUX)
        titles = [g.find("{http://www.w3.org/2000/svg}title").text
                  for g in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}g")
                  if g.get("fill") not in ("#dddddd", None)]
        check("vma_alloc_zeroed_movable_folio (init): 1 pages" in titles, titles)
        check(all("get_page_from_freelist" not in t for t in titles), titles)


def test_analyse_bad_input():
    p = analyse("sort", "/nonexistent/capture.txt", rc=1)
    check("cannot read /nonexistent/capture.txt" in p.stderr, p.stderr)
    p = analyse("sort", "--cull=bogus", A, rc=1)
    check("unknown --cull key 'bogus'" in p.stderr, p.stderr)
    p = analyse("diff", A, rc=1)
    check("usage: analyse diff" in p.stderr, p.stderr)
    p = analyse("frobnicate", rc=2)
    check("usage:" in p.stderr, p.stderr)
    with tempfile.TemporaryDirectory() as d:
        empty = os.path.join(d, "empty.txt")
        open(empty, "w").close()
        p = analyse("sort", empty, rc=1)
        check("is empty: no page_owner records" in p.stderr, p.stderr)
        p = analyse("map", "-o", os.path.join(d, "m.svg"), empty, rc=1)
        check("is empty: no page_owner records" in p.stderr, p.stderr)
        # Records without a PFN line: map has nothing to place.
        nopfn = os.path.join(d, "nopfn.txt")
        with open(nopfn, "w") as f:
            f.write("Page allocated via order 0, mask 0xcc0(GFP_KERNEL), pid 1, tgid 1 (x), "
                    "ts 1 ns\n f+0x0/0x4\n\n")
        p = analyse("map", "-o", os.path.join(d, "m.svg"), nopfn, rc=1)
        check("no record with a PFN line" in p.stderr, p.stderr)


# ---------------------------------------------------------------------------
# analyse diff
# ---------------------------------------------------------------------------

def test_analyse_diff_exact():
    out = analyse("diff", A, B).stdout
    want = ("+3 pages, 2 -> 5 pages, 2 -> 5 times, allocated by sensor:\n" + LEAK + "\n"
            "+1 pages, 0 -> 1 pages, 0 -> 1 times, allocated by sensor:\n" + BATCH + "\n"
            "-4 pages, 4 -> 0 pages, 1 -> 0 times, allocated by blkcache:\n" + BLK + "\n"
            "total: 11 -> 11 pages (+0), 3 stacks changed, 3 shown\n")
    check(out == want, "analyse diff:\n%s\nexpected:\n%s" % (out, want))
    out = analyse("diff", "--threshold", "2", B, A).stdout
    check(out == ("+4 pages, 0 -> 4 pages, 0 -> 1 times, allocated by blkcache:\n" + BLK + "\n"
                  "-3 pages, 5 -> 2 pages, 5 -> 2 times, allocated by sensor:\n" + LEAK + "\n"
                  "total: 11 -> 11 pages (+0), 3 stacks changed, 2 shown\n"), "reverse:\n" + out)
    out = analyse("diff", A, A).stdout
    check(out == "total: 11 -> 11 pages (+0), 0 stacks changed, 0 shown\n", out)


# ---------------------------------------------------------------------------
# analyse map: SVG and PNG
# ---------------------------------------------------------------------------

# Fixture B, one page per cell: pages per owner label.
B_OWNERS = {
    "sensor_ring_grow (sensor)": 5,
    "netrx_alloc_rx_buffer (netrx)": 3,
    "httpd_alloc_scratch (httpd)": 2,
    "sensor_alloc_batch (sensor)": 1,
}
B_SPAN = 0x40121 - 0x40100


def test_analyse_map_svg():
    with tempfile.TemporaryDirectory() as d:
        svg = os.path.join(d, "map.svg")
        p = analyse("map", "--pages-per-cell", "1", "--cols", "16", "-o", svg, B)
        check("11 of 33 pages allocated, 16 x 3 cells of 1 pages" in p.stderr, p.stderr)
        root = ET.parse(svg).getroot()      # well-formed XML
        ns = "{http://www.w3.org/2000/svg}"
        check(root.tag == ns + "svg", root.tag)
        cs = None
        seen = {}
        for g in root.iter(ns + "g"):
            t = g.find(ns + "title")
            if t is None or not t.text.endswith(" pages"):
                continue
            label, pages = t.text.rsplit(": ", 1)
            rects = g.findall(ns + "rect")
            heights = {float(r.get("height")) for r in rects}
            check(len(heights) == 1, "one cell height: %r" % heights)
            cs = heights.pop()
            cells = sum(float(r.get("width")) for r in rects) / cs
            seen[label] = (int(pages.split()[0]), cells)
        check(seen == {k: (v, v) for k, v in B_OWNERS.items()},
              "owners (pages, cells): %r" % seen)
        text = "".join(root.itertext())
        check("sensor_ring_grow (sensor)" in text and "free / not in capture" in text, text)
        # --by context, --top 1: sensor first, the rest "other".
        analyse("map", "--by", "context", "--top", "1", "-o", svg, B)
        titles = [t.text for t in ET.parse(svg).getroot().iter(ns + "title")]
        check("sensor: 6 pages" in titles and "other: 5 pages" in titles, titles)


def png_read(path):
    """The PNG as (width, height, {(x, y): 'rrggbb'} getter); decoded by Pillow."""
    from PIL import Image
    with Image.open(path) as im:
        check(im.format == "PNG", "%s is a PNG" % path)
        rgb = im.convert("RGB")
        w, h = rgb.size
        px = rgb.load()
    return w, h, lambda x, y: "%02x%02x%02x" % px[x, y]


def colour_counts(w, h, px):
    counts = {}
    for y in range(h):
        for x in range(w):
            c = px(x, y)
            counts[c] = counts.get(c, 0) + 1
    return counts


def ink_box(w, h, px, bg="ffffff"):
    """The smallest box holding every pixel that is not the background."""
    xs, ys = [], []
    for y in range(h):
        for x in range(w):
            if px(x, y) != bg:
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def check_inside(path, what, margin=4):
    """Nothing drawn within @margin pixels of the edges: no text or legend is cut off."""
    w, h, px = png_read(path)
    x0, y0, x1, y1 = ink_box(w, h, px)
    check(x0 >= margin and y0 >= margin and x1 < w - margin and y1 < h - margin,
          "%s: drawn from (%d,%d) to (%d,%d) in %dx%d: touches the edge" % (what, x0, y0, x1, y1, w, h))


def svg_to_png(svg, png):
    """Render the SVG with librsvg (rsvg-convert), as a viewer would."""
    run(["rsvg-convert", "-b", "white", "-o", png, svg])


def svg_owners(svg):
    """{label: (fill, pages, cells drawn)} of the map's owner groups."""
    ns = "{http://www.w3.org/2000/svg}"
    out = {}
    for g in ET.parse(svg).getroot().iter(ns + "g"):
        t = g.find(ns + "title")
        if t is None or not t.text.endswith(" pages"):
            continue
        label, pages = t.text.rsplit(": ", 1)
        rects = g.findall(ns + "rect")
        cells = 0
        if rects:
            cs = float(rects[0].get("height"))
            cells = sum(float(r.get("width")) for r in rects) / cs
        out[label] = (g.get("fill"), int(pages.split()[0]), cells)
    return out


def test_analyse_map_png():
    """libgd's PNG: each owner's cells and legend swatch in its colour, free cells grey."""
    with tempfile.TemporaryDirectory() as d:
        png, svg = os.path.join(d, "map.png"), os.path.join(d, "map.svg")
        analyse("map", "--pages-per-cell", "1", "--cols", "16", "-o", svg, "--png", png, B)
        w, h, px = png_read(png)
        counts = colour_counts(w, h, px)
        owners = svg_owners(svg)
        # A cell is cs x cs pixels, a legend swatch's inside 12x12: n pages -> n cs^2 + 144.
        sizes = set()
        for label, pages in B_OWNERS.items():
            colour = owners[label][0].lstrip("#")
            n = counts.get(colour, 0) - 144
            check(n > 0 and n % pages == 0, "%s: %d pixels of %s for %d pages"
                  % (label, counts.get(colour, 0), colour, pages))
            sizes.add(n // pages)
        check(len(sizes) == 1, "one cell size: %r" % sizes)
        cs2 = sizes.pop()
        check(int(cs2 ** 0.5) ** 2 == cs2 and cs2 >= 64, "cells are squares of 8+ pixels: %d" % cs2)
        check(counts["dddddd"] == cs2 * (B_SPAN - 11) + 144, "free: %d" % counts["dddddd"])
        check(counts["000000"] > 2000, "legend text is drawn")
        check_inside(png, "PNG")


# A made-up board: RAM at PFN 0x40000-0x60000 (512 MiB); blocks are (pfn, order, stack, comm).
RAM = (0x40000, 0x60000)
KERN = (" memblock_alloc_pages+0x10/0x40\n mm_init+0x80/0x100\n start_kernel+0x40/0x480\n"
        " el1_entry+0x5c/0x60\n")
DMA = " dma_alloc_ring+0x18/0x70\n netrx_setup+0x20/0x90\n" + TAIL
LONG = (" a_driver_with_a_very_long_function_name_that_goes_on_and_on_for_ever_and_ever_and_"
        "ever_alloc+0x10/0x20\n" + TAIL)


def board_capture(path, blocks, offsets=0):
    """Write @blocks as a page_owner dump; @offsets moves every frame (a rebuild)."""
    with open(path, "w") as f:
        for i, (pfn, order, stack, comm) in enumerate(blocks):
            if offsets:
                stack = re.sub(r"\+0x([0-9a-f]+)/", lambda m: "+0x%x/" % (int(m.group(1), 16) + offsets),
                               stack)
            f.write("Page allocated via order %d, mask 0xcc0(GFP_KERNEL), pid 1, tgid 1 (%s), "
                    "ts %d ns\nPFN 0x%x type Unmovable Block 512 type Unmovable Flags 0x8(head)\n"
                    "%s\n" % (order, comm, 1000 * (i + 1), pfn, stack))


def sparse_blocks():
    """Kernel pages at the bottom, a DMA ring in the middle, the apps at the top of RAM."""
    blocks = [(0x40000 + 4 * i, 2, KERN, "swapper") for i in range(64)]
    blocks += [(0x50000 + 8 * i, 3, DMA, "netrx") for i in range(16)]
    top = RAM[1] - 512
    for i in range(128):
        stack, comm = [(LEAK, "sensor"), (NETRX, "netrx"), (HTTPD, "httpd"), (BLK, "blkcache")][i % 4]
        blocks.append((top + 4 * i, 2 if stack is BLK else 0, stack, comm))
    return blocks


def full_blocks():
    """Every page of the board allocated, in stripes of four owners."""
    owners = [(KERN, "swapper"), (LEAK, "sensor"), (NETRX, "netrx"), (BLK, "blkcache")]
    return [(pfn, 9, *owners[(pfn >> 13) % 4]) for pfn in range(RAM[0], RAM[1], 512)]


def allocated_pfns(blocks):
    return {p for pfn, order, _, _ in blocks for p in range(pfn, pfn + (1 << order))}


def gap_bands(svg):
    """[(first, last)] PFNs of the gap bands, from their titles."""
    ns = "{http://www.w3.org/2000/svg}"
    out = []
    for g in ET.parse(svg).getroot().iter(ns + "g"):
        if g.get("class") == "gap":
            title = g.find(ns + "title").text
            m = re.match(r"0x([0-9a-f]+)-0x([0-9a-f]+): .* empty, not drawn$", title)
            check(m, "gap title: %r" % title)
            out.append((int(m.group(1), 16), int(m.group(2), 16)))
    return out


def test_analyse_map_sparse_board():
    """Empty stretches of RAM become bands that say what they stand for; allocated memory
    fills the grid; every allocated page is still drawn."""
    blocks = sparse_blocks()
    used = allocated_pfns(blocks)
    with tempfile.TemporaryDirectory() as d:
        cap, svg, png = (os.path.join(d, n) for n in ("sparse.txt", "m.svg", "m.png"))
        board_capture(cap, blocks)
        rng = "0x%x-0x%x" % RAM
        p = analyse("map", "--pfn-range", rng, "-o", svg, "--png", png, cap)
        m = re.search(r"(\d+) of (\d+) pages allocated, (\d+) x (\d+) cells of (\d+) pages", p.stderr)
        check(m and int(m.group(1)) == len(used), p.stderr)
        cols, rows, ppc = (int(m.group(i)) for i in (3, 4, 5))
        gaps = gap_bands(svg)
        check(len(gaps) == 2, "the stretches before and after the ring: %r" % gaps)
        skipped = sum(b - a + 1 for a, b in gaps)
        check("2 empty stretches of %d pages not drawn" % skipped in p.stderr, p.stderr)
        text = "".join(ET.parse(svg).getroot().itertext())
        check("compressed: 2 empty stretches of RAM (%d pages" % skipped in text, text[:600])
        for a, b in gaps:
            check(not any(a <= q <= b for q in used), "gap 0x%x-0x%x holds no allocated page" % (a, b))
            check("0x%x-0x%x:" % (a, b) in text, "the band says 0x%x-0x%x" % (a, b))
        # Drawn rows plus skipped pages are the whole board; allocated memory fills the rows.
        drawn = rows * cols * ppc
        check(drawn + skipped >= RAM[1] - RAM[0] and drawn < (RAM[1] - RAM[0]) // 64,
              "drawn %d pages of %d, skipped %d" % (drawn, RAM[1] - RAM[0], skipped))
        check(len(used) * 4 >= drawn, "allocated %d of %d drawn pages" % (len(used), drawn))
        owners = svg_owners(svg)
        check(sum(v[1] for v in owners.values()) == len(used), owners)
        check(owners["memblock_alloc_pages (swapper)"][1] == 256, owners)
        check_inside(png, "sparse PNG")
        # Without compression the same board is a few coloured cells in a sea of grey.
        p = analyse("map", "--pfn-range", rng, "--no-compress", "-o", svg, cap)
        m = re.search(r"(\d+) x (\d+) cells of (\d+) pages", p.stderr)
        check(int(m.group(1)) * int(m.group(2)) * int(m.group(3)) >= RAM[1] - RAM[0], p.stderr)
        check(not gap_bands(svg) and "not drawn" not in p.stderr, p.stderr)


def test_analyse_map_full_board():
    """A board with every page allocated: nothing compressed, no free cell, the whole range."""
    with tempfile.TemporaryDirectory() as d:
        cap, svg, png = (os.path.join(d, n) for n in ("full.txt", "m.svg", "m.png"))
        board_capture(cap, full_blocks())
        p = analyse("map", "-o", svg, "--png", png, cap)
        check("131072 of 131072 pages allocated, 128 x 256 cells of 4 pages" in p.stderr, p.stderr)
        check(not gap_bands(svg) and "not drawn" not in p.stderr, p.stderr)
        owners = svg_owners(svg)
        check(sorted(v[1] for v in owners.values()) == [32768] * 4, owners)
        check(all(v[2] == 32768 // 4 for v in owners.values()), "cells per owner: %r" % owners)
        text = "".join(ET.parse(svg).getroot().itertext())
        check("PFN 0x40000-0x5ffff: 131072 pages, 131072 allocated" in text, text[:300])
        w, h, px = png_read(png)
        counts = colour_counts(w, h, px)
        check(counts.get("dddddd", 0) == 144, "only the legend's free swatch is grey: %d"
              % counts.get("dddddd", 0))
        check_inside(png, "full PNG")


def test_analyse_map_colours_stable():
    """An owner's colour comes from its identity: the same in every view, zoom and capture,
    whatever its rank; the PNG uses the SVG's colours."""
    with tempfile.TemporaryDirectory() as d:
        sparse, full, moved = (os.path.join(d, n) for n in ("s.txt", "f.txt", "moved.txt"))
        board_capture(sparse, sparse_blocks())
        board_capture(full, full_blocks())
        board_capture(moved, sparse_blocks(), offsets=0x40)    # a rebuild: other offsets
        views = {}

        def view(name, *args):
            svg, png = os.path.join(d, name + ".svg"), os.path.join(d, name + ".png")
            analyse("map", "-o", svg, "--png", png, *args)
            views[name] = {k.split(" (")[0]: v[0] for k, v in svg_owners(svg).items()
                           if k != "other"}
            w, h, px = png_read(png)
            counts = colour_counts(w, h, px)
            for k, fill in views[name].items():
                check(counts.get(fill.lstrip("#"), 0) >= 144, "%s: %s's %s in the PNG" % (name, k, fill))

        view("sparse", sparse)
        view("top2", "--top", "2", sparse)
        view("zoom", "--pfn-range", "0x5fe00-0x60000", "--pages-per-cell", "1", sparse)
        view("dense", "--pages-per-cell", "64", sparse)
        view("full", full)
        view("moved", moved)
        ranks = {n: list(v) for n, v in views.items()}
        # The kernel's stack ranks first on the sparse board and is not in the zoom, where
        # the apps' stacks take the first places.
        check(ranks["sparse"][0] == "memblock_alloc_pages" and "memblock_alloc_pages" not in ranks["zoom"],
              ranks)
        check(ranks["zoom"][0] != ranks["sparse"][0], ranks)
        colour = {}
        for name, owners in views.items():
            for k, fill in owners.items():
                colour.setdefault(k, {})[name] = fill
        for k, seen in colour.items():
            check(len(set(seen.values())) == 1, "%s has one colour in every view: %r" % (k, seen))
        check(len(colour["sensor_ring_grow"]) == 5 and len(colour["memblock_alloc_pages"]) == 5, colour)
        fills = [next(iter(v.values())) for v in colour.values()]
        check(len(set(fills)) == len(fills), "distinct owners, distinct colours: %r" % colour)
        check(not {"#dddddd", "#555555", "#ffffff"} & set(fills), fills)
        # --by context: a context's colour is its name's, in every capture.
        a, b = os.path.join(d, "ca.svg"), os.path.join(d, "cb.svg")
        analyse("map", "--by", "context", "-o", a, sparse)
        analyse("map", "--by", "context", "--top", "2", "-o", b, full)
        ca, cb = svg_owners(a), svg_owners(b)
        common = set(ca) & set(cb) - {"other"}
        check(common and all(ca[k][0] == cb[k][0] for k in common), (ca, cb))


def test_analyse_map_legend_inside():
    """The legend, the title and the gap bands' text fit: rendered, nothing touches the edge,
    even with a very long label, a long title and few cells."""
    with tempfile.TemporaryDirectory() as d:
        cap = os.path.join(d, "a_capture_with_a_long_name_" + "x" * 60 + ".txt")
        board_capture(cap, sparse_blocks() + [(0x48000, 0, LONG, "a_long_context_name")])
        for args in ((), ("--cols", "4"), ("--by", "context"), ("--top", "20", "--cols", "2")):
            svg, png, raster = (os.path.join(d, n) for n in ("m.svg", "m.png", "r.png"))
            analyse("map", *args, "-o", svg, "--png", png, cap)
            check("--by" in args or "a_driver_with_a_very_long_function_name_that_goes_on_and_on_for_"
                  "ever_and_ever_and_ever_alloc (a_long_context_name)" in svg_owners(svg),
                  "the long label whole in the legend")
            check_inside(png, "PNG %r" % (args,))
            svg_to_png(svg, raster)
            check_inside(raster, "SVG rendered, %r" % (args,))


def test_analyse_map_range_and_grid():
    with tempfile.TemporaryDirectory() as d:
        svg = os.path.join(d, "m.svg")
        p = analyse("map", "--pfn-range", "0x40000-0x60000", "--no-compress", "-o", svg, B)
        # 131072 pages, 128 columns, at most 256 rows: 4 pages per cell.
        check("11 of 131072 pages allocated, 128 x 256 cells of 4 pages" in p.stderr, p.stderr)
        ET.parse(svg)
        # Compressed: one row of single pages between two bands.
        p = analyse("map", "--pfn-range", "0x40000-0x60000", "-o", svg, B)
        check("11 of 131072 pages allocated, 128 x 1 cells of 1 pages" in p.stderr, p.stderr)
        check(gap_bands(svg) == [(0x40000, 0x400ff), (0x40180, 0x5ffff)], gap_bands(svg))
        p = analyse("map", "--pfn-range", "0x40104-0x4010a", "-o", svg, B)
        check("2 of 6 pages allocated" in p.stderr, p.stderr)
        p = analyse("map", "--pfn-range", "9-3", "-o", svg, B, rc=1)
        check("START < END" in p.stderr, p.stderr)


# ---------------------------------------------------------------------------
# capture
# ---------------------------------------------------------------------------

def capture(*args, rc=0, timeout=180):
    return run([tool("capture"), "--quiet"] + list(args), rc=rc, timeout=timeout)


def test_capture_qemu_page_owner():
    """The demo's leak, found from a capture: exactly floor(70/7) pages on one stack."""
    with tempfile.TemporaryDirectory() as d:
        cap = os.path.join(d, "po.txt")
        capture("--boot-args", "page_owner=on", "-o", cap, "app run all 70;;page_owner")
        text = open(cap, newline="").read()
        check(text.startswith("Page allocated via order "), "starts with a record: %r" % text[:200])
        check("\r" not in text and "ferret> " not in text and "app run" not in text,
              "no \\r, prompt or echo")
        check(text.endswith("\n\n"), "ends with the last record's blank line: %r" % text[-100:])
        got = entries(analyse("sort", "--cull=st", cap).stdout)
        leak = [(v, s) for s, v in got.items() if s.startswith(" sensor_ring_grow+")]
        check(len(leak) == 1 and leak[0][0] == (10, 10), "sensor_ring_grow: %r" % leak)
        check(" sensor_log_append+" in leak[0][1].splitlines()[1], leak[0][1])
        check(got == entries(page_owner_sort(cap, "--cull=st")),
              "page_owner_sort reads the capture the same way")
        png, svg = os.path.join(d, "m.png"), os.path.join(d, "m.svg")
        analyse("map", "-o", svg, "--png", png, cap)
        png_read(png)
        check("sensor_ring_grow (sensor)" in "".join(ET.parse(svg).getroot().itertext()),
              "the leak is in the map's legend")


def test_capture_commands_and_all():
    out = capture("echo one;;echo two ;; echo three").stdout
    check(out == "three\n", "last reply only: %r" % out)
    p = run([tool("capture"), "--all", "echo one;;echo two"])
    check(p.stdout == "one\ntwo\n", "--all: %r" % p.stdout)
    p = run([tool("capture"), "echo one;;echo two"])
    check(p.stdout == "two\n" and "one\n" in p.stderr, "earlier replies on stderr: %r" % p.stderr)


def test_capture_timeout_and_errors():
    t0 = time.time()
    p = capture("--timeout", "2", "--qemu", "-M virt -cpu cortex-a53 -m 128M -kernel "
                "build/qemu-virt/ferret.elf -S", "help", rc=1)
    check("timeout: no output for 2 s while waiting for the prompt after boot" in p.stderr, p.stderr)
    check(time.time() - t0 < 30, "gave up in time")
    p = capture("--qemu", "-M nosuchmachine", "help", rc=1)
    check("QEMU exited" in p.stderr and "unsupported machine" in p.stderr, p.stderr)
    p = capture("--port", "/nonexistent/tty", "help", rc=1)
    check("cannot open /nonexistent/tty" in p.stderr, p.stderr)
    p = capture(rc=2)
    check("usage:" in p.stderr, p.stderr)


class FakeBoard(threading.Thread):
    """A ferret console on a pseudo terminal: echo, \\r\\n line ends, canned replies."""

    def __init__(self, replies):
        super().__init__(daemon=True)
        self.master, slave = pty.openpty()
        tty.setraw(slave)
        self.path = os.ttyname(slave)
        self.slave = slave
        self.replies = replies
        self.seen = []

    def out(self, s):
        os.write(self.master, s.replace("\n", "\r\n").encode())

    def run(self):
        line = ""
        self.out("boot noise, no prompt yet")
        while True:
            try:
                data = os.read(self.master, 1024).decode()
            except OSError:
                return
            for c in data:
                if c == "\x15":
                    line = ""
                elif c == "\r":
                    self.out("\n")
                    if line:
                        self.seen.append(line)
                        # Slow output, as a real UART: several reads per reply.
                        for chunk in re.findall(r"(?s).{1,200}", self.replies.get(line, "")):
                            self.out(chunk)
                            time.sleep(0.01)
                    line = ""
                    self.out("ferret> ")
                else:
                    line += c
                    self.out(c)


def test_capture_serial_port():
    record = ("Page allocated via order 0, mask 0xcc0(GFP_KERNEL), pid 1, tgid 1 (console), "
              "ts 5 ns\nPFN 0x40000 type Unmovable Block 512 type Unmovable Flags 0x8(block|order=0)\n"
              " cmd_alloc+0x5c/0x120\n console_execute+0xf4/0x210\n\n")
    board = FakeBoard({"page_owner": record * 40, "version": "ferret test\n"})
    board.start()
    with tempfile.TemporaryDirectory() as d:
        cap = os.path.join(d, "po.txt")
        capture("--port", board.path, "--baud", "115200", "-o", cap, "version;;page_owner",
                timeout=60)
        text = open(cap, newline="").read()
        check(text == record * 40, "serial capture: %r" % text[:300])
        check(board.seen == ["version", "page_owner"], "commands typed: %r" % board.seen)
        check(entries(analyse("sort", "--cull=st", cap).stdout) ==
              {" cmd_alloc+0x5c/0x120\n console_execute+0xf4/0x210\n": (40, 40)}, "sorted")
    os.close(board.master)
    os.close(board.slave)


# ---------------------------------------------------------------------------
# OpenOCD (REFERENCE section 10: dummy adapter, no board)
# ---------------------------------------------------------------------------

def test_openocd_check():
    p = run(["make", "--no-print-directory", "openocd-check", "BOARD=raspi3b"], timeout=300)
    out = p.stdout + p.stderr
    check("ferret: openocd script check passed" in out, out[-3000:])
    for step in ("halt 1000", "load_image build/raspi3b/ferret.elf 0 elf", "resume 0x00080000"):
        check("'%s'" % step in out, "step %r:\n%s" % (step, out[-3000:]))
    # The guard lets "no target" through, never an unknown command or bad syntax.
    for bad in ("load_imag build/raspi3b/ferret.elf 0 elf", "load_image"):
        p = run(["openocd", "-f", "interface/dummy.cfg", "-f", "board/rpi3.cfg", "-f",
                 "tools/openocd/ferret.tcl", "-c", "catch init; ferret_step 1 %s; shutdown" % bad],
                rc=None, timeout=60)
        check(p.returncode != 0, "openocd accepted %r" % bad)


def test_capture_progress_on_terminal_only():
    """A long page_owner dump shows bytes, records, rate, share done and time
    left on a terminal; in a pipe no progress line at all."""
    import pexpect
    cmds = "alloc 0 4000;;page_owner"
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "po.txt")
        c = pexpect.spawn(tool("capture"), ["--boot-args", "page_owner=on", "-o", out, cmds],
                          encoding="latin-1", timeout=120, dimensions=(24, 200))
        c.expect(r"capture: (\d+) bytes, (\d+) records, [\d.]+ kB/s, (\d+)%, (\d+):(\d\d) left")
        pct = int(c.match.group(3))
        check(0 < pct < 100, "share done: %d%%" % pct)
        c.expect(pexpect.EOF)
        c.close()
        check(c.exitstatus == 0, "capture exit %s: %s" % (c.exitstatus, c.before[-500:]))
        final = re.findall(r"capture: (\d+) bytes, (\d+) records, [\d.]+ kB/s\r?\n", c.before)
        with open(out) as fh:
            text = fh.read()
        check(final and int(final[-1][0]) == len(text), "final line %s, %d bytes saved"
              % (final[-1:], len(text)))
        check(text.count("Page allocated via") >= 4000 and "MEMBLOCK" not in text,
              "the dump holds %d records" % text.count("Page allocated via"))
        p = subprocess.run([tool("capture"), "--boot-args", "page_owner=on", "-o", out,
                            "alloc 0 1500;;page_owner"], capture_output=True, text=True,
                           timeout=120)
        check(p.returncode == 0 and "kB/s" not in p.stderr and "left" not in p.stderr,
              "progress in a pipe: %r" % p.stderr[-300:])


# ---------------------------------------------------------------------------
# flamegraph
# ---------------------------------------------------------------------------

def test_flamegraph_folded():
    """Folded stacks to SVG: each box as wide as its share, above its caller, callees in
    name order; repeated stacks add up; a bad line is reported and skipped."""
    folded = "a;b;c 30\na;e 60\nx 100\na;b;d 10\nnot a stack line\na;b;c 0\n"
    with tempfile.TemporaryDirectory() as d:
        src, svg, raster = (os.path.join(d, n) for n in ("in.folded", "f.svg", "f.png"))
        with open(src, "w") as f:
            f.write(folded)
        p = run([tool("flamegraph"), "--countname", "pages", "--width", "1020", "-o", svg, src])
        check("1 of 6 lines are not" in p.stderr, p.stderr)
        ns = "{http://www.w3.org/2000/svg}"
        boxes = {}
        for g in ET.parse(svg).getroot().iter(ns + "g"):
            r = g.find(ns + "rect")
            boxes[g.find(ns + "title").text.split(" (")[0]] = (
                float(r.get("x")), float(r.get("y")), float(r.get("width")), g.find(ns + "title").text)
        check(set(boxes) == {"all", "a", "b", "c", "d", "e", "x"}, boxes)
        scale = 1000 / 200      # 1020 pixels less 10 each side, 200 pages
        for name, count in (("all", 200), ("a", 100), ("b", 40), ("c", 30), ("d", 10), ("e", 60),
                            ("x", 100)):
            check(abs(boxes[name][2] - count * scale) < 0.01, "%s: %r" % (name, boxes[name]))
            check("(%d pages, %.2f%%)" % (count, count / 2) in boxes[name][3], boxes[name][3])
        row = {n: boxes[n][1] for n in boxes}
        check(row["all"] > row["a"] == row["x"] > row["b"] == row["e"] > row["c"] == row["d"], row)
        x = {n: boxes[n][0] for n in boxes}
        check(x["a"] == x["b"] == x["c"] == 10 and x["d"] == 10 + 30 * scale and
              x["e"] == 10 + 40 * scale and x["x"] == 10 + 100 * scale, x)
        svg_to_png(svg, raster)
        check_inside(raster, "flame graph", margin=2)
        p = run([tool("flamegraph"), "-o", svg, os.devnull], rc=1)
        check("no stacks with a count" in p.stderr, p.stderr)
