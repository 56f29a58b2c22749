# SPDX-License-Identifier: GPL-2.0
"""The host tools on 32-bit Arm: each one run on what a 32-bit board really
prints, with its 32-bit ELF (ELF32, 4-byte symbol entries, Thumb bit on
newlib's function symbols).

- capture boots qemu-system-arm by itself for a 32-bit -kernel; pprof and
  the folded stacks of `leaks` name every frame from the ELF, flamegraph
  draws them;
- analyse sorts a 32-bit page_owner dump as Linux's page_owner_sort does and
  maps it;
- po_decode and capture --stream --elf resolve a --symbols=host stream;
- the leak gate runs on qemu-virt32 against the demo's 32-bit baseline;
- the gdb post-mortem reads a halted qemu-system-arm through its gdb stub;
- monitor decodes a 32-bit crash report (ARM frames and newlib's Thumb ones);
- an allocation through newlib's Thumb code (no frame chain) has a stack of
  resolved frames that ends cleanly.
"""
import os
import random
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET

import pexpect

from ferret import Ferret, ROOT, check, image
import test_postmortem as pm
import test_tools as tt

TOOLS = os.path.join(ROOT, "build", "host", "tools")
ELF = image("qemu-virt32")
ELF64 = image("qemu-virt")
QEMU = "-M virt -cpu cortex-a15 -m 512M -kernel " + ELF
# The frames every demo service's allocation stack ends with, outermost first.
OUTER = ["_start", "start_kernel", "console_run", "console_loop", "console_execute", "cmd_app",
         "app_run_services", "app_call"]
SENSOR = ["sensor_iterate", "sensor_log_append", "sensor_ring_grow"]
HTTPD = ["httpd_iterate", "httpd_parse_request", "httpd_req_alloc"]
FRAME = re.compile(r"^ (\S+)\+0x([0-9a-f]+)/0x([0-9a-f]+)$")


def run(args, rc=0, timeout=300):
    p = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    check(p.returncode == rc, "%s: exit %d, expected %d\nstdout: %s\nstderr: %s" %
          (" ".join(args), p.returncode, rc, p.stdout[-3000:], p.stderr[-3000:]))
    return p


def capture(cmds, boot_args, extra=()):
    """Every reply capture saves for @cmds on a fresh qemu-virt32 (no QEMU named:
    capture picks qemu-system-arm from the ELF)."""
    env = dict(os.environ)
    env.pop("QEMU", None)
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.txt")
        p = subprocess.run([os.path.join(TOOLS, "capture"), "--quiet", "--all", "--timeout", "120",
                            "--qemu", QEMU, "--boot-args", boot_args, "-o", out, *extra, cmds],
                           cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
        check(p.returncode == 0, "capture: exit %d\n%s" % (p.returncode, p.stderr[-3000:]))
        with open(out) as f:
            return f.read(), p.stderr


def between(text, *marks):
    """The replies after each "==k" marker (echo between the commands)."""
    idx = [text.index("==%s\n" % m) for m in marks] + [len(text)]
    return [text[idx[i] + len("==%s\n" % marks[i]):idx[i + 1]] for i in range(len(marks))]


def test_capture_pprof_folded_32bit():
    """The demo's two leaks as pprof's heap profile and folded stacks, from a
    32-bit board: google-pprof names every frame from the ELF32 (no mapping
    symbol such as $a, no bare address), with exact counts."""
    n = random.Random().randrange(20, 90)
    pages, objs = n // 7, n // 5
    text, _ = capture("checkpoint c;;app run all %d;;app stop all;;echo ==1;;leaks --format=pprof;;"
                      "echo ==2;;leaks --format=folded" % n, "slab_owner=on")
    heap, folded = between(text, 1, 2)
    want = {";".join(OUTER + SENSOR) + " %d" % (4096 * pages),
            ";".join(OUTER + HTTPD) + " %d" % (48 * objs)}
    check(set(folded.splitlines()) == want and len(folded.splitlines()) == 2,
          "folded:\n%s\nwant:\n%s" % (folded, "\n".join(sorted(want))))
    lines = heap.splitlines()
    total_b = 4096 * pages + 48 * objs
    flame(folded, total_b, {fn: total_b for fn in OUTER} |
          {fn: 4096 * pages for fn in SENSOR} | {fn: 48 * objs for fn in HTTPD})
    check(lines[0] == "heap profile: %d: %d [%d: %d] @ heap_v2/1"
          % (pages + objs, total_b, pages + objs, total_b), heap)
    check(sorted(l.split(" @ ")[0] for l in lines[1:]) ==
          sorted(["%d: %d [%d: %d]" % (pages, 4096 * pages, pages, 4096 * pages),
                  "%d: %d [%d: %d]" % (objs, 48 * objs, objs, 48 * objs)]), heap)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "leak.heap")
        with open(path, "w") as f:
            f.write(heap)
        out = run(["google-pprof", "--text", "--inuse_objects", ELF, path]).stdout
        total = pages + objs

        def row(flat, cum, name, run_sum):
            pct = lambda v: "%.1f%%" % (100.0 * v / total)
            return "%8d %6s %6s %8d %6s %s" % (flat, pct(flat), pct(run_sum), cum, pct(cum), name)

        rows = out.splitlines()
        check("Total: %d objects" % total in rows, out)
        big, small = sorted([(objs, "httpd_req_alloc"), (pages, "sensor_ring_grow")],
                            key=lambda e: (-e[0], e[1]))
        check(row(big[0], big[0], big[1], big[0]) in rows and
              row(small[0], small[0], small[1], total) in rows, "pprof --text:\n" + out)
        for fn in OUTER:
            check(row(0, total, fn, total) in rows, "%s: pprof --text:\n%s" % (fn, out))
        for fns, count in ((SENSOR[:-1], pages), (HTTPD[:-1], objs)):
            for fn in fns:
                check(row(0, count, fn, total) in rows, "%s: pprof --text:\n%s" % (fn, out))
        names = [r.split()[-1] for r in rows if re.match(r"^ +\d+ ", r)]
        check(len(names) == len(OUTER) + 6 and not [x for x in names if x[0] in "$0"],
              "pprof names: %s" % names)
        out = run(["google-pprof", "--text", "--inuse_space", ELF, path]).stdout
        check("Total: %.1f MB" % (total_b / 1048576.0) in out, out)


def flame(folded, total, counts):
    """flamegraph on @folded: one box per function with its count and share."""
    ns = "{http://www.w3.org/2000/svg}"
    with tempfile.TemporaryDirectory() as d:
        src, svg = os.path.join(d, "in.folded"), os.path.join(d, "f.svg")
        with open(src, "w") as f:
            f.write(folded)
        run([os.path.join(TOOLS, "flamegraph"), "--countname", "bytes", "-o", svg, src])
        titles = sorted(t.text for t in ET.parse(svg).getroot().iter(ns + "title"))
    want = sorted("%s (%d bytes, %.2f%%)" % (fn, n, 100.0 * n / total)
                  for fn, n in list(counts.items()) + [("all", total)])
    check(titles == want, "flame graph boxes:\n%s\nwant:\n%s" % (titles, want))


def records(dump):
    """[(comm, pages, [frame lines])] of a page_owner dump."""
    out = []
    for rec in dump.split("\n\n"):
        m = re.match(r"Page allocated via order (\d+), .*\((.*)\), ts \d+ ns\nPFN .*\n((?: .*\n?)*)$",
                     rec.strip("\n") + "\n")
        if m:
            out.append((m.group(2), 1 << int(m.group(1)), m.group(3).splitlines()))
    return out


def test_analyse_32bit_dump():
    """analyse on a page_owner dump of the 32-bit board: the sensor leak's stack
    with its exact count, and --cull=stacktrace equal to Linux's page_owner_sort."""
    n = random.Random().randrange(30, 120)
    text, _ = capture("app run all %d;;echo ==1;;page_owner" % n, "page_owner=on")
    (text,) = between(text, 1)
    recs = records(text)
    check(len(recs) == text.count("Page allocated via"), "records: %d" % len(recs))
    leak = [r for r in recs if r[2] and r[2][0].startswith(" sensor_ring_grow+")]
    check(len(leak) == n // 7 and all(r[0] == "sensor" and r[1] == 1 for r in leak),
          "%d sensor_ring_grow records after %d iterations" % (len(leak), n))
    stack = leak[0][2]
    check([FRAME.match(l).group(1) for l in stack] == (OUTER + SENSOR)[::-1], stack)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "po.txt")
        with open(path, "w") as f:
            f.write(text)
        out = tt.analyse("sort", "--name", "sensor", path).stdout
        entry = "%d times, %d pages, allocated by sensor:\n%s\n" % (n // 7, n // 7, "\n".join(stack))
        check(entry in out, "analyse sort --name sensor:\n%s\nwant:\n%s" % (out, entry))
        ours = tt.entries(tt.analyse("sort", "--cull=stacktrace", path).stdout)
        theirs = tt.entries(tt.page_owner_sort(path, "--cull=st"))
        check(ours == theirs, "analyse %r\npage_owner_sort %r" % (ours, theirs))
        svg = os.path.join(d, "map.svg")
        tt.analyse("map", "-o", svg, path)
        legend = [t for t in ET.parse(svg).getroot().itertext() if t.strip()]
        label = "sensor_ring_grow (sensor): %d pages" % (n // 7)
        check(label in legend, "map legend: %s" % legend[:40])


def test_stream_host_symbols_32bit():
    """A --symbols=host stream from the 32-bit board decodes with its ELF32 to
    the text dump byte for byte (po_decode; capture --stream --elf, repairing a
    dropped and a corrupted frame); the 64-bit ELF is refused."""
    out, err = capture("app run all 300;;echo ==1;;page_owner;;echo ==2;;page_owner",
                       "page_owner=on",
                       extra=["--stream", "--elf", ELF, "--drop-frame", "1", "--corrupt-frame", "3"])
    textdump, decoded = between(out, 1, 2)
    check(textdump.count("Page allocated") > 80 and textdump == decoded,
          "capture --stream --elf: differs from the text dump\n" + err)
    check("every lost range was sent again and decoded" in err, err)
    out, _ = capture("app run all 200;;echo ==1;;page_owner;;echo ==2;;"
                     "page_owner --format=stream --symbols=host", "page_owner=on")
    textdump, stream = between(out, 1, 2)
    with tempfile.TemporaryDirectory() as d:
        cap = os.path.join(d, "cap.txt")
        with open(cap, "w") as f:
            f.write(stream)
        p = run([os.path.join(TOOLS, "po_decode"), "--quiet", "--elf", ELF, cap])
        check(p.stdout == textdump and p.stderr == "", "po_decode --elf: differs\n" + p.stderr)
        p = run([os.path.join(TOOLS, "po_decode"), "--elf", ELF64, cap], rc=2)
        check(p.stdout == "" and "refused: the ELF given has build id" in p.stderr, p.stderr)


def test_gate_virt32():
    """The leak gate on qemu-virt32: the demo's 32-bit baseline (apps/demo.arm.baseline,
    chosen for a 32-bit ELF) holds, every figure measured the same twice, and on
    another CPU and RAM size."""
    for extra in (["--runs", "2"], ["--cpu", "cortex-a7", "--mem", "1G"]):
        p = subprocess.run([os.path.join(TOOLS, "gate"), "--scenario",
                            os.path.join(ROOT, "apps", "demo.scenario"), "--elf", ELF] + extra,
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
        out = p.stdout + p.stderr
        check(p.returncode == 0, "rc %d:\n%s" % (p.returncode, out))
        check("against %s\n" % os.path.join(ROOT, "apps", "demo.arm.baseline") in out, out)
        check(re.search(r"gate: \d+ checks, 0 failed: no regression", out), out)
        check("ok   leak: pages sensor_ring_grow <- sensor_log_append <- sensor_iterate: "
              "20 pages in 20 blocks, as the baseline allows\n" in out, out)
        check("ok   leak: objects httpd_req_alloc <- httpd_parse_request <- httpd_iterate: "
              "1344 bytes in 28 objects, as the baseline allows\n" in out, out)
        if "--runs" in extra:
            check("ok   deterministic: run 2 measures what run 1 did" in out, out)


def gdb32(port, d, commands):
    return pm.gdb_dump(port, d, commands, elf=ELF, arch="arm")


def test_postmortem_32bit():
    """gdb-multiarch on qemu-system-arm's gdb stub, with the ELF32: the ELF's
    symbols (Thumb bit cleared) match the running kernel's kallsyms, and
    page_owner, page_owner_stacks and the object owners read from the halted
    board are the console's own, line for line; again after a crash."""
    port = pm.free_port()
    with Ferret(board="qemu-virt32", append="slab_owner=on",
                extra=["-gdb", "tcp:127.0.0.1:%d" % port], expect_crash=True) as f, \
            tempfile.TemporaryDirectory() as d:
        f.cmd("app run all 70", timeout=120)
        console = f.cmd("page_owner", timeout=300)
        stacks = f.cmd("page_owner_stacks")
        po, st = gdb32(port, d, ("ferret-page-owner", "ferret-page-owner-stacks"))
        check(console.count("Page allocated via order") >= 60, console[-2000:])
        pm.same(console, po, "page_owner")
        pm.same(stacks, st, "page_owner_stacks")
        f.cmd("app stop all", timeout=120)
        objs_console = pm.object_section(f.cmd("leaks", timeout=120))
        (objs,) = gdb32(port, d, ("ferret-slab-owners",))
        check(re.search(r"^672 bytes in 14 objects from httpd\n httpd_req_alloc\+0x[0-9a-f]+/"
                        r"0x[0-9a-f]+\n httpd_parse_request\+", objs, re.M), objs[:3000])
        pm.same(objs_console, objs, "object owners")
        f.send("crash null\r")
        prompt = "panic: ferret> "
        f.expect(re.escape(prompt), timeout=30)
        console = f.cmd("page_owner", timeout=300, prompt=prompt)
        (po,) = gdb32(port, d, ("ferret-page-owner",))
        pm.same(console, po, "page_owner after a crash")


def addr2line(addr):
    out = subprocess.run(["arm-none-eabi-addr2line", "-e", ELF, "%#x" % addr],
                         capture_output=True, text=True, check=True).stdout.strip()
    path, line = out.rsplit(":", 1)
    return os.path.relpath(path, ROOT) if os.path.isabs(path) else path, int(line.split()[0])


def symbols():
    out = subprocess.run(["arm-none-eabi-nm", ELF], capture_output=True, text=True,
                         check=True).stdout
    return {m.group(2): int(m.group(1), 16)
            for m in re.finditer(r"^([0-9a-f]+) [tTW] (\S+)$", out, re.M)}


def test_monitor_32bit():
    """monitor with --qemu on a 32-bit ELF: qemu-system-arm, the ELF taken from
    -kernel; the crash report's frames, pc and PC decoded at the lines binutils'
    addr2line gives, and newlib's Thumb frames (odd offsets) decoded too."""
    syms = symbols()
    env = dict(os.environ, TERM="xterm")
    env.pop("QEMU", None)
    m = pexpect.spawn(os.path.join(TOOLS, "monitor"), ["--qemu", QEMU, "--boot-args", "page_owner=on"],
                      cwd=ROOT, env=env, encoding="latin-1", timeout=60, dimensions=(50, 200))
    try:
        m.expect_exact("ferret> ")
        m.send("app run libcheck owners\r")
        m.expect_exact("ferret> ")
        owners = m.before.replace("\r", "")
        m.send("crash null\r")
        m.expect_exact("panic: ferret> ")
        screen = m.before.replace("\r", "")
        m.send("\x1d")
        m.expect(pexpect.EOF)
    finally:
        m.close(force=True)
    screen = re.sub(r"\x1b\[[0-9;]*m", "", screen)
    owners = re.sub(r"\x1b\[[0-9;]*m", "", owners)
    trace = re.search(r"Call trace:\n(.*?)---\[ end trace \]---", screen, re.S)
    check(trace, "no call trace:\n" + screen[-2000:])
    lines = trace.group(1).splitlines()
    decoded = 0
    for i, l in enumerate(lines):
        fm = FRAME.match(l)
        if not fm:
            continue
        # a return address, looked up at its call (the first frame too, as on AArch64)
        f, n = addr2line(syms[fm.group(1)] + int(fm.group(2), 16) - 1)
        want = "  %s -> %s (%s:%d)" % (l.strip(), fm.group(1), f, n)
        check(lines[i + 1] == want, "frame %r decoded as %r, want %r" % (l, lines[i + 1], want))
        decoded += 1
    check(decoded >= 6, trace.group(0))
    pc = int(re.search(r"^PC: 0x([0-9a-f]{8})$", screen, re.M).group(1), 16)
    f, n = addr2line(pc)
    check("\n  0x%08x -> crash_load (%s:%d)\n" % (pc, f, n) in screen, screen[-2500:])
    check("0x00000010 ->" not in screen, "the FAR was decoded")
    # newlib's frames: Thumb functions (bit 0 of their symbols), looked up at their call
    thumb = 0
    for fm in re.finditer(r"^ (_\w+|__\w+)\+0x([0-9a-f]+)/0x[0-9a-f]+\n  \S+ -> (\S+) \(.*:(\d+)\)",
                          owners, re.M):
        addr = syms[fm.group(1)] + int(fm.group(2), 16) - 1
        out = subprocess.run(["arm-none-eabi-addr2line", "-f", "-i", "-e", ELF, "%#x" % addr],
                             capture_output=True, text=True, check=True).stdout.split("\n")
        check(out[0] == fm.group(3) and out[1].endswith(":" + fm.group(4)),
              "%s decoded as %s:%s, addr2line %s" % (fm.group(0), fm.group(3), fm.group(4), out))
        thumb += 1
    check(thumb >= 2, owners)


def test_newlib_stacks_end_cleanly():
    """Allocations made inside newlib (Thumb-2, no frame pointers: its fp register
    holds whatever it last put there): every frame of every stack resolves to a
    function, the first is newlib's (an odd return address: Thumb), and what
    follows is either the ferret chain down to _start or nothing: the walk never
    follows the register when it is not a frame pointer."""
    with Ferret(board="qemu-virt32", append="page_owner=on") as f:
        out = f.cmd("app run libcheck owners", timeout=120)
        out2 = f.cmd("app run blkcache 40", timeout=120)
        f.cmd("app stop all")
        dump = f.cmd("page_owner", timeout=120)
    check("blkcache: 40 iterations" in out2, out2)
    stacks = re.findall(r"^\d+ pages in \d+ blocks from libcheck\n((?: .*\n)+)", out, re.M)
    check(len(stacks) >= 3, out)
    seen_end = False
    for st in stacks + [r[2] and "\n".join(r[2]) + "\n" for r in records(dump)]:
        if not st:
            continue
        frames = [FRAME.match(l) for l in st.splitlines()]
        check(all(frames), "unresolved frame in:\n" + st)
        first = frames[0]
        if int(first.group(2), 16) % 2 == 0:
            continue        # an ARM allocation site: the usual chain
        names = [x.group(1) for x in frames]
        if len(names) > 1:
            check(names[-2:] == ["start_kernel", "_start"], "stack after a newlib frame:\n" + st)
            check(all(int(x.group(2), 16) % 2 == 0 for x in frames[1:]), st)
            seen_end = True
    check(seen_end, "no newlib stack continued into ferret's frames:\n" + out)
