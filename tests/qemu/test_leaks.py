# SPDX-License-Identifier: GPL-2.0
"""Checkpoints and leak reports: `leaks` finds the demo firmware's two leaks exactly.

The sensor service (apps/sensor.c) leaks floor(N / 7) order-0 pages from
sensor_ring_grow <- sensor_log_append <- sensor_iterate in N iterations since
its last stop; httpd (apps/httpd.c) leaks floor(N / 5) 48-byte objects (a
24-byte struct and the heap's header) from httpd_req_alloc <-
httpd_parse_request <- httpd_iterate; `app stop` frees everything else every
service holds. So after `checkpoint; app run all N; app stop all` (booted with
slab_owner=on, so objects are counted and slab pages are not) the only
things allocated after the checkpoint and still held are the leaks: `leaks`
must list one page stack with exactly floor(N / 7) pages, one object stack
with floor(N / 5) objects, and nothing else.

The pprof and folded formats are read by google-pprof (Debian's
google-perftools) against build/qemu-virt/ferret.elf.
"""
import os
import re
import subprocess
import tempfile

from ferret import Ferret, check, image

ELF = image("qemu-virt")
LEAK_PATH = ("sensor_iterate", "sensor_log_append", "sensor_ring_grow")
OBJ_LEAK_PATH = ("httpd_iterate", "httpd_parse_request", "httpd_req_alloc")
OBJ_BYTES = 48
BOOT = "slab_owner=on"


def object_stacks(out):
    """[(bytes, objects, context, [frame names])] of a `leaks` text report's object section."""
    stacks = []
    for entry in out.split("\n\n"):
        lines = entry.strip("\n").splitlines()
        m = re.match(r"^(\d+) bytes in (\d+) objects from (.+)$", lines[0]) if lines else None
        if m:
            frames = [re.match(r"^ (\S+?)\+0x", l).group(1) for l in lines[1:]]
            stacks.append((int(m.group(1)), int(m.group(2)), m.group(3), frames))
    return stacks


def leaks_text(out):
    """[(pages, blocks, contexts, [frame names])] of a `leaks` text report, and its summary."""
    stacks = []
    for entry in out.split("\n\n"):
        lines = entry.strip("\n").splitlines()
        if not lines:
            continue
        m = re.match(r"^(\d+) pages in (\d+) blocks from (.+)$", lines[0])
        if m:
            frames = [re.match(r"^ (\S+?)\+0x[0-9a-f]+/0x[0-9a-f]+$", l) for l in lines[1:]]
            check(all(frames), "bad frame line in:\n" + entry)
            stacks.append((int(m.group(1)), int(m.group(2)), m.group(3),
                           [x.group(1) for x in frames]))
    summary = re.search(r"^(\d+) stacks?, (\d+) pages in (\d+) blocks", out, re.M)
    check(summary, "no summary line:\n" + out)
    return stacks, tuple(int(x) for x in summary.groups())


def pprof(*args):
    p = subprocess.run(["google-pprof", *args], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "google-pprof %s: %s" % (" ".join(args), p.stderr))
    return p.stdout


def pprof_flat(text):
    """{function: flat count} of google-pprof --text."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s*(-?\d+)\s+-?[\d.]+%\s+-?[\d.]+%\s+(-?\d+)\s+-?[\d.]+%\s+(\S+)", line)
        if m:
            out[m.group(3)] = int(m.group(1))
    return out


def run_all_and_stop(f, n):
    out = f.cmd("app run all %d" % n, timeout=120)
    check("app: %d of %d iterations" % (n, n) in out, out)
    out = f.cmd("app stop all")
    # What app stop reports still held is exactly the two leaks, since boot.
    holds = re.findall(r"^app: (\S+) still holds (\d+) pages and (\d+) heap blocks", out, re.M)
    check(all(h[0] in ("sensor", "httpd") for h in holds), out)


def test_leaks_names_only_the_leak():
    with Ferret(append=BOOT) as f:
        out = f.cmd("checkpoint")
        check("no checkpoints" in out, out)
        out = f.cmd("checkpoint start")
        check(re.match(r"^checkpoint 'start' at ts \d+ ns$", out.strip()), out)
        run_all_and_stop(f, 70)
        f.cmd("checkpoint mid")
        run_all_and_stop(f, 140)

        # Since the last checkpoint: the leak of the second run alone, nothing else.
        out = f.cmd("leaks")
        check(out.startswith("leaks since checkpoint 'mid' (ts "), out)
        stacks, summary = leaks_text(out)
        check(len(stacks) == 1, "expected one stack:\n" + out)
        pages, blocks, ctx, frames = stacks[0]
        check((pages, blocks, ctx) == (20, 20, "sensor"), "leak entry %r:\n%s" % (stacks[0], out))
        check(tuple(frames[:3]) == LEAK_PATH[::-1], "leak stack %r" % frames)
        check(summary == (1, 20, 20), "summary %r" % (summary,))
        objs = object_stacks(out)
        check(len(objs) == 1 and objs[0][:3] == (28 * OBJ_BYTES, 28, "httpd"), out)
        check(tuple(objs[0][3][:3]) == OBJ_LEAK_PATH[::-1], "object leak stack %r" % objs)
        check("1 stack, %d bytes in 28 objects" % (28 * OBJ_BYTES) in out, out)

        # Since the first: both runs' leaks; a threshold above hides it.
        stacks, summary = leaks_text(f.cmd("leaks since start"))
        check([s[:3] for s in stacks] == [(30, 30, "sensor")], "since start: %r" % stacks)
        out = f.cmd("leaks since start 31")
        check(leaks_text(out)[0] == [] and "30 pages in 30 blocks from 1 stack below" in out, out)

        # The lister, bad names and bad options.
        out = f.cmd("checkpoint")
        check(re.search(r"^start\s+ts \d+ ns\nmid\s+ts \d+ ns$", out, re.M), out)
        check("no checkpoint called 'nope'" in f.cmd("leaks since nope"), "unknown name")
        check("unknown format" in f.cmd("leaks --format=svg"), "bad format")
        check("a name is 1 to 15" in f.cmd("checkpoint abcdefghijklmnopq"), "long name")


def test_leaks_while_apps_hold_pages():
    """Held, not leaked: without `app stop` the apps' working sets show up too,
    each under its own context, sorted by pages, and the threshold filters them."""
    with Ferret(append=BOOT) as f:
        f.cmd("checkpoint c")
        f.cmd("app run all 70", timeout=120)
        held = {}
        for line in f.cmd("app list").splitlines()[1:]:
            m = re.match(r"^(\S+)\s+\d+\s+\S+\s+\d+\s+(\d+)", line)
            if m:
                held[m.group(1)] = int(m.group(2))
        out = f.cmd("leaks")
        stacks, summary = leaks_text(out)
        check([s[0] for s in stacks] == sorted((s[0] for s in stacks), reverse=True),
              "not sorted by pages:\n" + out)
        per_ctx = {}
        for pages, blocks, ctx, frames in stacks:
            check(" " not in ctx, "one context per stack expected: " + ctx)
            per_ctx[ctx] = per_ctx.get(ctx, 0) + pages
        for app, h in held.items():
            expect = h + (10 if app == "sensor" else 0)
            check(per_ctx.get(app, 0) == expect,
                  "%s: leaks says %d pages, app list %d held (+leak)" % (app, per_ctx.get(app, 0), h))
        check(summary[1] == sum(per_ctx.values()), "summary %r" % (summary,))
        f.cmd("app stop all")
        out = f.cmd("leaks")
        stacks, _ = leaks_text(out)
        check([(s[0], s[2], s[3][0]) for s in stacks] == [(10, "sensor", "sensor_ring_grow")],
              "after stop: %r" % stacks)
        check([(o[0], o[1], o[2], o[3][0]) for o in object_stacks(out)]
              == [(14 * OBJ_BYTES, 14, "httpd", "httpd_req_alloc")], out)


def test_leaks_pprof_and_folded():
    with Ferret(append=BOOT) as f, tempfile.TemporaryDirectory() as d:
        f.cmd("checkpoint c")
        run_all_and_stop(f, 70)
        old = f.cmd("leaks --format=pprof")
        run_all_and_stop(f, 70)
        new = f.cmd("leaks --format=pprof")
        folded = f.cmd("leaks --format=folded")
        stacks = f.cmd("page_owner_stacks --format=pprof")
        stacks_folded = f.cmd("page_owner_stacks 20 --format=folded")

        # One profile of pages (a block is one object of its size) and objects.
        total = 20 * 4096 + 28 * OBJ_BYTES
        check(new.startswith("heap profile: 48: %d [48: %d] @ heap_v2/1\n" % (total, total)), new)
        check("\n20: 81920 [20: 81920] @ 0x" in new, new)
        check("\n28: %d [28: %d] @ 0x" % (28 * OBJ_BYTES, 28 * OBJ_BYTES) in new, new)
        paths = {}
        for name, text in (("old", old), ("new", new), ("stacks", stacks)):
            paths[name] = os.path.join(d, name + ".heap")
            with open(paths[name], "w") as fh:
                fh.write(text)

        flat = pprof_flat(pprof("--text", "--inuse_objects", ELF, paths["new"]))
        check(flat.get("sensor_ring_grow") == 20, "pprof --text: %r" % flat)
        check(flat.get("httpd_req_alloc") == 28, "pprof --text: %r" % flat)
        check(sum(v for v in flat.values() if v) == 48, "pprof --text: %r" % flat)
        diff = pprof_flat(pprof("--text", "--inuse_objects", "--base", paths["old"], ELF,
                                paths["new"]))
        check(diff.get("sensor_ring_grow") == 10, "pprof --base: %r" % diff)
        check(diff.get("httpd_req_alloc") == 14, "pprof --base: %r" % diff)
        coll = pprof("--collapsed", "--inuse_objects", ELF, paths["new"]).strip()
        check(re.search(r";sensor_iterate;sensor_log_append;sensor_ring_grow 20$", coll, re.M),
              coll)
        check(re.search(r";httpd_iterate;httpd_parse_request;httpd_req_alloc 28$", coll, re.M),
              coll)
        svg = pprof("--svg", "--inuse_objects", ELF, paths["new"])
        check(svg.lstrip().startswith("<?xml") and "sensor_ring_grow" in svg,
              "pprof --svg: %r" % svg[:300])

        # Everything held: the leak is in there, and pprof's total is the page count.
        flat = pprof_flat(pprof("--text", "--inuse_objects", ELF, paths["stacks"]))
        check(flat.get("sensor_ring_grow") == 20, "page_owner_stacks pprof: %r" % flat)

        # Folded: outermost first, bytes last (objects are tracked), names only.
        check(re.search(r"^el1_entry;start_kernel;.*;app_call;sensor_iterate;sensor_log_append;"
                        r"sensor_ring_grow 81920$", folded, re.M), folded)
        check(re.search(r"^el1_entry;start_kernel;.*;app_call;httpd_iterate;httpd_parse_request;"
                        r"httpd_req_alloc %d$" % (28 * OBJ_BYTES), folded, re.M), folded)
        check(len(folded.splitlines()) == 2, folded)
        check("sensor_iterate;sensor_log_append;sensor_ring_grow 81920\n" in stacks_folded,
              stacks_folded)
        check(all(int(l.rsplit(" ", 1)[1]) >= 20 for l in stacks_folded.splitlines()),
              "threshold ignored:\n" + stacks_folded)


PANIC_PROMPT = "panic: ferret> "


def test_leaks_in_panic_console():
    with Ferret(append=BOOT, expect_crash=True) as f:
        f.cmd("checkpoint c")
        run_all_and_stop(f, 14)
        f.send("crash null\r")
        f.expect(re.escape(PANIC_PROMPT), timeout=30)
        out = f.cmd("help", prompt=PANIC_PROMPT)
        for c in ("page_owner ", "page_owner_stacks", "leaks", "checkpoint"):
            check("\n  " + c in "\n" + out, "panic help lacks %s:\n%s" % (c, out))
        stacks, _ = leaks_text(f.cmd("leaks", prompt=PANIC_PROMPT))
        check([(s[0], s[3][0]) for s in stacks] == [(2, "sensor_ring_grow")], "%r" % stacks)
        out = f.cmd("leaks --format=folded", prompt=PANIC_PROMPT)
        check(re.search(r";sensor_log_append;sensor_ring_grow 8192$", out, re.M), out)
        check(re.search(r";httpd_parse_request;httpd_req_alloc %d$" % (2 * OBJ_BYTES), out, re.M),
              out)
        out = f.cmd("page_owner_stacks", prompt=PANIC_PROMPT)
        check(re.search(r"^ sensor_ring_grow\+0x[0-9a-f]+/0x[0-9a-f]+\n", out, re.M) and
              "nr_base_pages: 2\n" in out, out)
        out = f.cmd("page_owner", prompt=PANIC_PROMPT, timeout=120)
        check(out.count("\n sensor_ring_grow+0x") == 2, out[-3000:])


def test_panic_console_with_zone_lock_held():
    """A crash with the zone lock held (`crash zonelock`, when the kernel has
    it): the panic console's page_owner commands read without the lock, so
    they neither deadlock nor trip the lock's recursion check."""
    with Ferret(append=BOOT, expect_crash=True) as f:
        if "zonelock" not in f.cmd("help"):
            return      # the crash kind is not in this kernel yet: nothing to test
        f.cmd("checkpoint c")
        run_all_and_stop(f, 14)
        f.send("crash zonelock\r")
        f.expect(re.escape(PANIC_PROMPT), timeout=30)
        stacks, _ = leaks_text(f.cmd("leaks", prompt=PANIC_PROMPT, timeout=60))
        check([(s[0], s[3][0]) for s in stacks] == [(2, "sensor_ring_grow")], "%r" % stacks)
        out = f.cmd("page_owner_stacks", prompt=PANIC_PROMPT, timeout=60)
        check("nr_base_pages: 2\n" in out, out)
        out = f.cmd("page_owner", prompt=PANIC_PROMPT, timeout=120)
        check(out.count("\n sensor_ring_grow+0x") == 2, out[-3000:])
        check("spinlock recursion" not in "".join(f.transcript), "lock taken in panic mode")
