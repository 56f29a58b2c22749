# SPDX-License-Identifier: GPL-2.0
"""Post-mortem page_owner through gdb (tools/gdb/ferret_gdb.py) against QEMU's gdb stub.

The console's `page_owner` and `page_owner_stacks` are captured, then
gdb-multiarch attaches to the same, now idle, machine, sources the script
and prints the same dumps from target memory: they must be identical line
for line. The comparison runs twice: at the prompt, and in the panic
console after a crash (the post-mortem case proper).
"""
import os
import re
import socket
import subprocess
import tempfile

from ferret import Ferret, check, image, ROOT

ELF = image("qemu-virt")
SCRIPT = os.path.join(ROOT, "tools", "gdb", "ferret_gdb.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb_dump(port, d, commands=("ferret-page-owner", "ferret-page-owner-stacks"), elf=ELF,
             arch="aarch64"):
    """Attach, run the commands, each into a file, detach. Return their outputs."""
    files = [os.path.join(d, "gdb_%d.txt" % i) for i in range(len(commands))]
    cmd = ["gdb-multiarch", "-nx", "-batch",
           "-ex", "set architecture " + arch,       # before target remote
           "-ex", "file " + elf,
           "-ex", "target remote 127.0.0.1:%d" % port,
           "-ex", "source " + SCRIPT,
           "-ex", "ferret-check-symbols"]
    for c, path in zip(commands, files):
        cmd += ["-ex", "%s -o %s" % (c, path)]
    cmd += ["-ex", "detach"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    check(p.returncode == 0 and all(os.path.exists(x) for x in files),
          "gdb failed (%d):\n%s\n%s" % (p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
    check(re.search(r"ferret: \d+ kallsyms symbols checked, 0 differ", p.stdout), p.stdout)
    outs = []
    for path in files:
        with open(path) as fh:
            outs.append(fh.read())
    return outs


def same(console, post, what):
    a, b = console.splitlines(), post.splitlines()
    for i, (x, y) in enumerate(zip(a, b)):
        check(x == y, "%s: line %d differs:\nconsole: %r\ngdb:     %r" % (what, i + 1, x, y))
    check(len(a) == len(b), "%s: %d console lines, %d from gdb" % (what, len(a), len(b)))


def workload(f):
    f.cmd("app run all 30", timeout=120)
    out = f.cmd("alloc 2 3 GFP_KERNEL|__GFP_ZERO")
    check(len(re.findall(r"pfn=0x", out)) == 3, out)


def test_postmortem_matches_console():
    port = free_port()
    with Ferret(append="page_owner=on", extra=["-gdb", "tcp:127.0.0.1:%d" % port]) as f, \
            tempfile.TemporaryDirectory() as d:
        workload(f)
        console = f.cmd("page_owner", timeout=300)
        stacks = f.cmd("page_owner_stacks")
        # The demo's pages (netrx, blkcache, sensor), the slabs of its objects, alloc's 3.
        check(console.count("Page allocated via order") >= 90, console[-2000:])
        po, st = gdb_dump(port, d)
        same(console, po, "page_owner")
        same(stacks, st, "page_owner_stacks")
        # Still alive after gdb detached.
        check("ferret" in f.cmd("version"), "no console after detach")


def test_postmortem_after_crash():
    port = free_port()
    with Ferret(append="page_owner=on", extra=["-gdb", "tcp:127.0.0.1:%d" % port],
                expect_crash=True) as f, tempfile.TemporaryDirectory() as d:
        workload(f)
        f.send("crash null\r")
        prompt = "panic: ferret> "
        f.expect(re.escape(prompt), timeout=30)
        console = f.cmd("page_owner", timeout=300, prompt=prompt)
        po, _ = gdb_dump(port, d)
        same(console, po, "page_owner after a crash")


def object_section(leaks):
    """The object half of a `leaks` text report: from its first object stack to its summary."""
    m = re.search(r"^\d+ bytes in \d+ objects from .*?^\d+ stacks?, \d+ bytes in \d+ objects\n",
                  leaks, re.M | re.S)
    check(m, "no object section:\n" + leaks[-3000:])
    return m.group(0)


def test_postmortem_object_owners():
    """gdb reads the object owner records: every live object per stack and context,
    as `leaks` (no checkpoint: since boot) counts them; the demo's object leak is one."""
    port = free_port()
    with Ferret(append="slab_owner=on", extra=["-gdb", "tcp:127.0.0.1:%d" % port]) as f, \
            tempfile.TemporaryDirectory() as d:
        f.cmd("app run all 70", timeout=120)
        f.cmd("app stop all")
        console = object_section(f.cmd("leaks", timeout=120))
        (objs,) = gdb_dump(port, d, ("ferret-slab-owners",))
        check(re.search(r"^672 bytes in 14 objects from httpd\n httpd_req_alloc\+0x[0-9a-f]+/"
                        r"0x[0-9a-f]+\n httpd_parse_request\+", objs, re.M), objs[:3000])
        same(console, objs, "object owners")
