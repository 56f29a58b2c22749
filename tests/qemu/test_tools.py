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
import struct
import subprocess
import tempfile
import threading
import time
import tty
import xml.etree.ElementTree as ET
import zlib

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


def png_decode(path):
    """Check signature, chunk CRCs and the zlib stream; return (w, h, palette, pixels)."""
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature")
    pos, chunks = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        check(zlib.crc32(kind + body) == crc, "CRC of %r" % kind)
        chunks.append((kind, body))
        pos += 12 + n
    kinds = [k for k, _ in chunks]
    check(kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"PLTE" in kinds, kinds)
    w, h, depth, ctype, comp, filt, inter = struct.unpack(">IIBBBBB", chunks[0][1])
    check((depth, ctype, comp, filt, inter) == (8, 3, 0, 0, 0), "IHDR %r" % (chunks[0][1],))
    plte = dict(chunks)[b"PLTE"]
    pal = [plte[i:i + 3].hex() for i in range(0, len(plte), 3)]
    raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))   # checks Adler-32
    check(len(raw) == (w + 1) * h, "IDAT holds %d bytes for %dx%d" % (len(raw), w, h))
    rows = [raw[r * (w + 1):(r + 1) * (w + 1)] for r in range(h)]
    check(all(r[0] == 0 for r in rows), "filter type 0 on every row")
    return w, h, pal, b"".join(r[1:] for r in rows)


def test_analyse_map_png():
    with tempfile.TemporaryDirectory() as d:
        png = os.path.join(d, "map.png")
        analyse("map", "--pages-per-cell", "1", "--cols", "16", "--png", png, B)
        w, h, pal, pix = png_decode(png)
        counts = {}
        for b in pix:
            counts[b] = counts.get(b, 0) + 1
        by_color = {pal[i]: counts.get(i, 0) for i in range(len(pal))}
        # A cell is 4x4 pixels, a legend swatch 7x7: owner n pages -> 16n + 49 pixels.
        for color, pages in (("4e79a7", 5), ("f28e2b", 3), ("e15759", 2), ("76b7b2", 1)):
            check(by_color[color] == 16 * pages + 49,
                  "colour %s: %d pixels, %d pages" % (color, by_color[color], pages))
        check(by_color["dddddd"] == 16 * (B_SPAN - 11) + 49, "free: %d" % by_color["dddddd"])
        check(by_color["000000"] > 1000, "legend text is drawn")


def test_analyse_map_range_and_grid():
    with tempfile.TemporaryDirectory() as d:
        svg = os.path.join(d, "m.svg")
        p = analyse("map", "--pfn-range", "0x40000-0x60000", "-o", svg, B)
        # 131072 pages, 128 columns, at most 256 rows: 4 pages per cell.
        check("11 of 131072 pages allocated, 128 x 256 cells of 4 pages" in p.stderr, p.stderr)
        ET.parse(svg)
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
        png_decode(png)
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
