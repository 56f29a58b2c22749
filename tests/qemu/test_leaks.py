# SPDX-License-Identifier: GPL-2.0
"""Checkpoints and leak reports: `leaks` finds the demo firmware's leak exactly.

The sensor app (apps/sensor.c) leaks floor(N / 7) order-0 pages from
sensor_ring_grow <- sensor_log_append <- sensor_iterate in N iterations since
its last stop, and `app stop` frees everything else every app holds. So after
`checkpoint; app run all N; app stop all` the only blocks allocated after the
checkpoint and still held are the leak: `leaks` must list that one stack with
exactly floor(N / 7) pages, and nothing else.

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
    check("still holds" not in out, out)


def test_leaks_names_only_the_leak():
    with Ferret(append="page_owner=on") as f:
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
    with Ferret(append="page_owner=on") as f:
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
        stacks, _ = leaks_text(f.cmd("leaks"))
        check([(s[0], s[2], s[3][0]) for s in stacks] == [(10, "sensor", "sensor_ring_grow")],
              "after stop: %r" % stacks)


def test_leaks_pprof_and_folded():
    with Ferret(append="page_owner=on") as f, tempfile.TemporaryDirectory() as d:
        f.cmd("checkpoint c")
        run_all_and_stop(f, 70)
        old = f.cmd("leaks --format=pprof")
        run_all_and_stop(f, 70)
        new = f.cmd("leaks --format=pprof")
        folded = f.cmd("leaks --format=folded")
        stacks = f.cmd("page_owner_stacks --format=pprof")
        stacks_folded = f.cmd("page_owner_stacks 20 --format=folded")

        check(re.match(r"^heap profile: 20: 81920 \[20: 81920\] @ heap_v2/1\n"
                       r"20: 81920 \[20: 81920\] @( 0x[0-9a-f]+)+\n$", new), new)
        paths = {}
        for name, text in (("old", old), ("new", new), ("stacks", stacks)):
            paths[name] = os.path.join(d, name + ".heap")
            with open(paths[name], "w") as fh:
                fh.write(text)

        flat = pprof_flat(pprof("--text", "--inuse_objects", ELF, paths["new"]))
        check(flat.get("sensor_ring_grow") == 20, "pprof --text: %r" % flat)
        check(sum(v for v in flat.values() if v) == 20, "pprof --text: %r" % flat)
        diff = pprof_flat(pprof("--text", "--inuse_objects", "--base", paths["old"], ELF,
                                paths["new"]))
        check(diff.get("sensor_ring_grow") == 10, "pprof --base: %r" % diff)
        coll = pprof("--collapsed", "--inuse_objects", ELF, paths["new"]).strip()
        check(re.search(r";sensor_iterate;sensor_log_append;sensor_ring_grow 20$", coll), coll)
        svg = pprof("--svg", "--inuse_objects", ELF, paths["new"])
        check(svg.lstrip().startswith("<?xml") and "sensor_ring_grow" in svg,
              "pprof --svg: %r" % svg[:300])

        # Everything held: the leak is in there, and pprof's total is the page count.
        flat = pprof_flat(pprof("--text", "--inuse_objects", ELF, paths["stacks"]))
        check(flat.get("sensor_ring_grow") == 20, "page_owner_stacks pprof: %r" % flat)

        # Folded: outermost first, pages last, names only.
        check(re.match(r"^el1_entry;start_kernel;.*;app_run;sensor_iterate;sensor_log_append;"
                       r"sensor_ring_grow 20\n$", folded), folded)
        check("sensor_iterate;sensor_log_append;sensor_ring_grow 20\n" in stacks_folded,
              stacks_folded)
        check(all(int(l.rsplit(" ", 1)[1]) >= 20 for l in stacks_folded.splitlines()),
              "threshold ignored:\n" + stacks_folded)


PANIC_PROMPT = "panic: ferret> "


def test_leaks_in_panic_console():
    with Ferret(append="page_owner=on", expect_crash=True) as f:
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
        check(out.endswith(";sensor_log_append;sensor_ring_grow 2\n"), out)
        out = f.cmd("page_owner_stacks", prompt=PANIC_PROMPT)
        check(re.search(r"^ sensor_ring_grow\+0x[0-9a-f]+/0x[0-9a-f]+\n", out, re.M) and
              "nr_base_pages: 2\n" in out, out)
        out = f.cmd("page_owner", prompt=PANIC_PROMPT, timeout=120)
        check(out.count("\n sensor_ring_grow+0x") == 2, out[-3000:])


def test_panic_console_with_zone_lock_held():
    """A crash with the zone lock held (`crash zonelock`, when the kernel has
    it): the panic console's page_owner commands read without the lock, so
    they neither deadlock nor trip the lock's recursion check."""
    with Ferret(append="page_owner=on", expect_crash=True) as f:
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
