# SPDX-License-Identifier: GPL-2.0
"""What the dumps print, read as a Linux user or a profiler reads them:
folded stacks name every frame (a return address at the end of a noreturn
caller included), page_owner's Flags use Linux's names where the flag means
the same, and each google-pprof view of a profile shows its own units."""
import os
import re
import subprocess
import tempfile

from ferret import Ferret, check, image

ELF = image("qemu-virt")


def frame_names(out):
    """Every frame of the text format (" func+0x../0x..") of @out, by name."""
    return re.findall(r"^ (\S+?)\+0x[0-9a-f]+/0x[0-9a-f]+$", out, re.M)


def test_folded_names_every_frame():
    with Ferret(append="page_owner=on") as f:
        f.cmd("alloc 0 3")
        folded = f.cmd("page_owner_stacks 3 --format=folded")
        text = f.cmd("leaks 3")
    lines = [l for l in folded.splitlines() if l and not l.startswith("#")]
    check(lines, "no folded stacks:\n" + folded)
    for l in lines:
        m = re.match(r"^(\S+) (\d+)$", l)
        check(m, "not a folded line: %r" % l)
        frames = m.group(1).split(";")
        raw = [x for x in frames if re.match(r"^(0x)?[0-9a-f]+$", x)]
        check(not raw, "raw addresses %s in %r" % (raw, l))
    # The console's stack passes console_run(), which never returns: its
    # return address is one past start_kernel. Both formats name it.
    alloc = [l for l in lines if l.split()[0].endswith(";cmd_alloc")]
    check(alloc and "start_kernel;console_run;console_loop;console_execute;cmd_alloc" in alloc[0],
          "console stack: %r" % alloc)
    names = frame_names(text)
    check("console_run" in names and "cmd_alloc" in names, "text format frames: %s" % names)


def record_flags(out, pfn):
    m = re.search(r"^PFN 0x%x type \S+ Block \d+ type \S+ Flags (0x[0-9a-f]+)\(([^)]*)\)$" % pfn,
                  out, re.M)
    check(m, "no record for 0x%x:\n%s" % (pfn, out))
    return int(m.group(1), 16), m.group(2)


def test_page_owner_flags_linux_names():
    with Ferret(append="page_owner=on") as f:
        plain = int(re.search(r"pfn=(0x[0-9a-f]+)", f.cmd("alloc 2")).group(1), 16)
        comp = int(re.search(r"pfn=(0x[0-9a-f]+)",
                             f.cmd("alloc 2 1 GFP_KERNEL|__GFP_COMP")).group(1), 16)
        single = int(re.search(r"pfn=(0x[0-9a-f]+)", f.cmd("alloc 0")).group(1), 16)
        dump = f.cmd("page_owner", timeout=120)
    # Linux's "head" is a compound head only; a plain block head is ferret's "block".
    _, names = record_flags(dump, comp)
    check(names == "head|order=2", "compound: %r" % names)
    _, names = record_flags(dump, plain)
    check(names == "block|order=2", "plain order-2: %r" % names)
    raw, names = record_flags(dump, single)
    check(names == "block|order=0" and raw == 0x8, "order 0: %#x %r" % (raw, names))
    for m in re.finditer(r"Flags 0x[0-9a-f]+\(([^)]*)\)", dump):
        for n in m.group(1).split("|"):
            check(n in ("head", "block", "reserved") or re.match(r"order=\d+$", n),
                  "unexpected flag %r in an allocated block's record" % n)


def pprof(*args):
    p = subprocess.run(["google-pprof", *args], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "google-pprof %s: %s" % (" ".join(args), p.stderr))
    return p.stdout


def test_pprof_units_in_every_view():
    # 3 blocks of order 4 (48 pages, 196608 bytes) on one stack.
    with Ferret(append="page_owner=on") as f:
        f.cmd("checkpoint c")
        f.cmd("alloc 4 3")
        prof = f.cmd("leaks --format=pprof")
    check(prof.startswith("heap profile: 3: 196608 [3: 196608] @ heap_v2/1\n"), prof[:200])
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "leak.heap")
        with open(path, "w") as fh:
            fh.write(prof)
        views = {
            # option: (unit word, total as printed)
            (): ("MB", "0.2"),
            ("--inuse_space",): ("MB", "0.2"),
            ("--show_bytes",): ("B", "196608"),
            ("--inuse_objects",): ("objects", "3"),
            ("--alloc_space", "--show_bytes"): ("B", "196608"),
            ("--alloc_objects",): ("objects", "3"),
        }
        for opts, (unit, total) in views.items():
            text = pprof("--text", *opts, ELF, path)
            check(re.search(r"^Total: %s %s$" % (re.escape(total), unit), text, re.M),
                  "%s: %s" % (opts, text[:300]))
            check(re.search(r"\bcmd_alloc\b", text), "%s: no cmd_alloc:\n%s" % (opts, text))
            svg = pprof("--svg", *opts, ELF, path)
            check("Total %s: %s" % (unit, total) in svg.replace("&#45;", "-"),
                  "--svg %s: no 'Total %s: %s'" % (opts, unit, total))
