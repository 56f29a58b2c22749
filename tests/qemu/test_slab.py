# SPDX-License-Identifier: GPL-2.0
"""The object allocator from the console, as a user drives it.

slabinfo in Linux's version 2.1 format with exact counts; kmalloc/kfree and
ksize; alloc_traces and free_traces in Linux's debugfs format; leaks, pprof
and folded outputs covering objects; every bug `slab bug` provokes refused
with Linux's report and the accounting left exact (memtest), with and
without slab_debug=FZPU on the kmalloc caches; bad boot options reported.
"""
import os
import re
import subprocess
import tempfile

from ferret import Ferret, check, image

ELF = image("qemu-virt")
ROW = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+) : tunables\s+0\s+0\s+0"
                 r" : slabdata\s+(\d+)\s+(\d+)\s+0$")
KMALLOC = ["kmalloc-%s" % n for n in (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160,
                                      192, 224, 256, 320, 384, 448, 512, 576, 640, 704, 768,
                                      832, 896, 960, "1k",
                                      1280, 1536, 1792, "2k", 2560, "3k", 3584, "4k", "5k",
                                      "6k", "7k", "8k")]


def slabinfo(f):
    out = f.cmd("slabinfo")
    lines = out.strip("\n").splitlines()
    check(lines[0] == "slabinfo - version: 2.1", out)
    check(lines[1] == "# name            <active_objs> <num_objs> <objsize> <objperslab> "
          "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
          "<active_slabs> <num_slabs> <sharedavail>", out)
    rows = {}
    for line in lines[2:]:
        m = ROW.match(line)
        check(m, "not a slabinfo row: %r" % line)
        # Linux's "%-17s %6lu %6lu %6u %4u %4d" layout, byte for byte.
        v = [int(x) for x in m.groups()[1:]]
        check(line.startswith("%-17s %6d %6d %6d %4d %4d : tunables" % (m.group(1), *v[:5])), line)
        rows[m.group(1)] = v
    return rows


def no_memtest_violation(f):
    out = f.cmd("memtest")
    check("memtest: slab: " in out and "memtest: ok: 0 violations" in out, out)


def test_slabinfo_and_kmalloc():
    with Ferret() as f:
        before = slabinfo(f)
        # Newest first, as Linux: the kmalloc caches, then slab_desc (struct slab off-slab).
        check(list(before)[::-1] == ["slab_desc"] + KMALLOC, "caches: %s" % list(before))
        check(before["kmalloc-96"][2] == 96 and before["kmalloc-192"][2] == 192, before)
        out = f.cmd("kmalloc 100 3")
        addrs = re.findall(r"^kmalloc\(100\) = (0x[0-9a-f]+) \(ksize 112\)$", out, re.M)
        check(len(addrs) == 3 and len(set(addrs)) == 3, out)
        f.cmd("kmalloc 1000 200")
        after = slabinfo(f)
        check(after["kmalloc-112"][0] == before["kmalloc-112"][0] + 3, (before, after))
        check(after["kmalloc-1k"][0] == before["kmalloc-1k"][0] + 200, (before, after))
        objs, n, size, per, pages, active, slabs = after["kmalloc-1k"]
        check(size == 1024 and n == slabs * per and n >= objs and active <= slabs, after)
        meminfo = f.cmd("meminfo")
        slab_kb = int(re.search(r"^Slab:\s+(\d+) kB$", meminfo, re.M).group(1))
        total = sum(v[5] * v[4] * 4 for v in after.values())
        check(slab_kb == total, "meminfo Slab: %d kB, slabinfo %d kB" % (slab_kb, total))
        for a in addrs:
            check(f.cmd("kfree %s" % a) == "", a)
        check(slabinfo(f)["kmalloc-112"][0] == before["kmalloc-112"][0], "frees not counted")
        out = f.cmd("kmalloc 0")
        check("kmalloc(0) = 0x10 (ksize 0)" in out, out)
        out = f.cmd("kmalloc 20000")
        check(re.search(r"kmalloc\(20000\) = 0x[0-9a-f]+000 \(ksize 32768\)", out), out)
        no_memtest_violation(f)


def test_alloc_and_free_traces():
    with Ferret(append="slab_owner=on") as f:
        out = f.cmd("kmalloc 100 7")
        addrs = re.findall(r"= (0x[0-9a-f]+)", out)
        f.cmd("kfree %s" % addrs[0])
        out = f.cmd("slab alloc_traces kmalloc-112")
        first = out.split("\n\n")[0].splitlines()
        m = re.match(r"^      6 cmd_kmalloc\+0x[0-9a-f]+/0x[0-9a-f]+ waste=72/12 "
                     r"age=\d+(/\d+/\d+)? pid=1$", first[0])
        check(m, out)
        check(all(re.match(r"^        \S+\+0x[0-9a-f]+/0x[0-9a-f]+$", l) for l in first[1:]), out)
        check(first[1].startswith("        cmd_kmalloc+") and
              any(l.startswith("        console_execute+") for l in first), out)
        f.cmd("kmalloc 100 1")       # takes the freed slot: its free is remembered
        out = f.cmd("slab free_traces kmalloc-112")
        check(re.search(r"^      6 <not-available> age=\d+ pid=0$", out, re.M), out)
        check(re.search(r"^      1 cmd_kfree\+0x[0-9a-f]+/0x[0-9a-f]+ age=\d+ pid=1\n"
                        r"        cmd_kfree\+", out, re.M), out)
        out = f.cmd("slab owner %s" % addrs[1])
        check(re.match(r"^object %s of kmalloc-112: allocated, 100 bytes asked for, pid 1, cpu 0, "
                       r"ts \d+ ns\n cmd_kmalloc\+" % addrs[1], out), out)
        out = f.cmd("slab alloc_traces no-such-cache")
        check("slab: no cache called 'no-such-cache'" in out, out)
    with Ferret() as f:
        out = f.cmd("slab alloc_traces kmalloc-64")
        check("has no object owners: boot with slab_owner=on" in out, out)


def pprof(*args):
    p = subprocess.run(["google-pprof", *args], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "google-pprof %s: %s" % (" ".join(args), p.stderr))
    return p.stdout


def test_leaks_with_objects():
    with Ferret(append="slab_owner=on") as f:
        f.cmd("kmalloc 48 3")
        out = f.cmd("checkpoint objs")
        check(out.startswith("checkpoint 'objs' at ts "), out)
        f.cmd("kmalloc 48 5")
        f.cmd("kmalloc 20000")
        out = f.cmd("leaks")
        check("stacks holding at least 1 page or 1 object" in out, out)
        # One call site: the five kmalloc(48) and the kmalloc(20000), not their pages.
        stacks = re.findall(r"^(\d+) bytes in (\d+) objects from (\S+)\n cmd_kmalloc\+", out, re.M)
        check(stacks == [("20240", "6", "console")], out)
        check(re.search(r"^0 stacks, 0 pages in 0 blocks\n\n1 stack, 20240 bytes in 6 objects$",
                        out, re.M), out)
        prof = f.cmd("leaks --format=pprof")
        check(prof.startswith("heap profile: 6: 20240 [6: 20240] @ heap_v2/1\n"), prof)
        folded = f.cmd("leaks --format=folded")
        check(re.search(r"^el1_entry;start_kernel;console_run;console_loop;console_execute;"
                        r"cmd_kmalloc 20240$", folded, re.M), folded)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "objs.heap")
        with open(path, "w") as fh:
            fh.write(prof)
        objs = pprof("--text", "--inuse_objects", ELF, path)
        space = pprof("--text", "--inuse_space", "--show_bytes", ELF, path)
        check(re.search(r"Total: 6 objects", objs), objs)
        check(re.search(r"Total: 20240 B", space), space)
        check("cmd_kmalloc" in objs and "cmd_kmalloc" in space, objs + space)


BUG_REPORTS = {
    "redzone": ["[Right Redzone overwritten] 0x", "First byte 0x12 instead of 0xcc",
                "): Object corrupt", "FIX {c}: Restoring Right Redzone 0x"],
    "kmalloc-redzone": ["[kmalloc Redzone overwritten] 0x", "First byte 0x12 instead of 0xcc",
                        "FIX {c}: Restoring kmalloc Redzone 0x"],
    "use-after-free": ["[Poison overwritten] 0x", "First byte 0x42 instead of 0x6b", "Freed in ",
                       "FIX {c}: Restoring Poison 0x"],
    "double-free": ["BUG {c} (Not tainted): ", "FIX {c}: Object at 0x"],
    "invalid-free": ["BUG {c} (Not tainted): Invalid object pointer 0x", "not freed"],
    "wrong-cache": ["Wrong slab cache. kmalloc-128 but object is from kmalloc-64",
                    "object of another cache: not freed"],
    "non-slab": ["BUG kfree (Not tainted): Invalid pointer 0x",
                 "not a kmalloc()ed object: not freed", "page dumped because:"],
}


def _bug_reports(append, cache):
    with Ferret(append=append) as f:
        before = slabinfo(f)
        for kind, want in BUG_REPORTS.items():
            out = f.cmd("slab bug %s" % kind)
            for w in want:
                check(w.format(c=cache) in out, "%s: no %r in:\n%s" % (kind, w, out))
            if kind in ("redzone", "kmalloc-redzone", "use-after-free"):
                # Linux's layout: ====, BUG line, ----, blank, the owner, the dumps.
                check(re.search(r"^={77}\nBUG %s \(Not tainted\): Object corrupt\n-{77}\n\n"
                                r"Allocated in slab_bug\+0x[0-9a-f]+/0x[0-9a-f]+ age=\d+ "
                                r"cpu=0 pid=1\n slab_bug\+" % re.escape(cache), out, re.M), out)
                check(re.search(r"^Slab 0x[0-9a-f]{16} objects=\d+ used=\d+ fp=0x[0-9a-f]{16} "
                                r"flags=0x[0-9a-f]+$", out, re.M), out)
                check(re.search(r"^Object   [0-9a-f]{16}: ([0-9a-f]{2} ){15}[0-9a-f]{2}  .{16}$",
                                out, re.M), out)
            check("Call trace:" in out, out)
            no_memtest_violation(f)
        after = slabinfo(f)
        # Every refused free left its object allocated; the bug cache's balance is exact.
        check(after["kmalloc-64"][0] == before["kmalloc-64"][0], (before, after))
        out = f.cmd("slab validate")
        check(re.search(r"^slab: \d+ caches validated, 0 problems$", out, re.M), out)


def test_bug_reports_scratch_cache():
    _bug_reports("", "bug_demo-64")


def test_bug_reports_kmalloc_debug():
    _bug_reports("slab_debug=FZPU", "kmalloc-48")


def test_kfree_bad_pointer_from_console():
    with Ferret() as f:
        out = f.cmd("kfree 0x1234")
        check("BUG kfree (Not tainted): Invalid pointer 0x1234" in out and
              "0x1234 is not in RAM" in out, out)
        out = f.cmd("kmalloc 64")
        a = re.search(r"= (0x[0-9a-f]+)", out).group(1)
        out = f.cmd("kfree %s" % hex(int(a, 16) + 8))
        check("Invalid object pointer" in out, out)
        check(f.cmd("kfree %s" % a) == "", "a good kfree printed something")
        out = f.cmd("kfree %s" % a)
        check("Object already free" in out, out)
        no_memtest_violation(f)


def test_boot_options():
    with Ferret(append="slab_debug=Q slab_owner=maybe") as f:
        check("slab: bad option 'slab_debug=Q' ignored" in f.boot_log, f.boot_log)
        check("slab: bad option 'slab_owner=maybe' ignored" in f.boot_log, f.boot_log)
    with Ferret(append="slab_debug=U,kmalloc-64") as f:
        check(f.cmd("slab alloc_traces kmalloc-64").find("has no object owners") < 0, "U")
        check("has no object owners" in f.cmd("slab alloc_traces kmalloc-128"), "U,64 only")


def test_page_owner_names_the_slab_cache():
    """A slab page's page_owner record says which cache it belongs to."""
    with Ferret(append="page_owner=on") as f:
        out = f.cmd("kmalloc 48 2")
        addr = int(re.search(r"= (0x[0-9a-f]+)", out).group(1), 16)
        out = f.cmd("page_owner pfn 0x%x" % (addr >> 12))
        check("page_owner tracks the page as allocated" in out, out)
        dump = f.cmd("page_owner")
        rec = [r for r in dump.split("\n\n") if "PFN 0x%x " % (addr >> 12) in r]
        check(len(rec) == 1, dump[-2000:])
        check(re.search(r"Flags 0x[0-9a-f]+\(block\|slab\|order=0\|cache=kmalloc-48\)\n"
                        r" cmd_kmalloc\+", rec[0]), rec[0])
