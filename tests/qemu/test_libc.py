# SPDX-License-Identifier: GPL-2.0
"""Applications on the C library (docs/APPS.md): libcheck exercises every entry
point of the glue (lib/libc/) on the target, the C library's own allocations
carry the application's stack, abort/assert/exit/return come back to the
console, and the out-of-tree example builds from a folder outside the repo
(make APPS=... O=...) and runs, by `app run` and at boot (app=hello).
"""
import os
import re
import shutil
import subprocess
import tempfile

from ferret import ROOT, Ferret, check

LIBCHECK_CHECKS = 66


def test_libcheck_every_entry_point():
    with Ferret(append="slab_owner=on") as f:
        out = f.cmd("app run libcheck", timeout=60)
        check("libcheck: %d passed, 0 failed" % LIBCHECK_CHECKS in out, out)
        check(re.search(r"^l$", out, re.M), "putchar:\n" + out)
        for line in ("libcheck: printf 7 seven 7.00", "libcheck: puts",
                     "libcheck: stderr", "libcheck: stdout", "libcheck: write",
                     "libcheck: fopen(/dev/console)"):
            check(line in out, "missing %r:\n%s" % (line, out))
        m = re.search(r"usleep\(20000\) took (\d+) us", out)
        check(m and 20000 <= int(m.group(1)) < 100000, out)
        # heap trace (ESP-IDF semantics): the two blocks not freed between start and stop
        check("heap trace: 2 records of 8 (mode leaks, stopped)" in out, out)
        check(re.search(r"^11 bytes at 0x[0-9a-f]+ from libcheck", out, re.M), out)
        check(re.search(r"^33 bytes at 0x[0-9a-f]+ from libcheck", out, re.M), out)
        check("heap trace: 44 bytes in 2 allocations still held; 3 allocations and 1 frees"
              in out, out)
        check("app libcheck: main returned 0, 0 heap blocks (0 bytes) and 0 pages held" in out,
              out)
        out = f.cmd("app heap libcheck")
        m = re.search(r"^libcheck\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$",
                      out, re.M)
        check(m, out)
        cur, peak, blocks, foot, allocs, frees, failed, pages = map(int, m.groups())
        check(cur == 0 and blocks == 0 and foot == 0 and pages == 0, out)
        check(allocs == frees and allocs > 30, out)
        # refused before reaching the heap (overflow, bad alignment): not failures of it
        check(failed == 0, out)


def test_libcheck_with_slab_debug():
    """Red zones shift kmalloc objects off 16-byte alignment: the heap still gives
    16-byte (and larger) aligned blocks, and writes nothing outside its objects."""
    with Ferret(append="slab_debug=FZPU slab_owner=on") as f:
        out = f.cmd("app run libcheck", timeout=60)
        check("libcheck: %d passed, 0 failed" % LIBCHECK_CHECKS in out, out)
        check("BUG " not in out, out)
        f.cmd("app run all 30", timeout=120)
        out = f.cmd("app stop all")
        check("app: httpd still holds 0 pages and 6 heap blocks (144 bytes)" in out, out)
        out = f.cmd("slab validate", timeout=60)
        check(re.search(r"slab: \d+ caches validated, 0 problems", out), out)
        check("BUG " not in "".join(f.transcript), "a slab bug report")


def test_bad_frees_refused():
    with Ferret() as f:
        out = f.cmd("app run libcheck badfree")
        check(re.search(r"^free\(0x[0-9a-f]+\) in libcheck: not a heap address; ignored$", out,
                        re.M), out)
        check(re.search(r"^free\(0x[0-9a-f]+\) in libcheck: already freed; ignored$", out, re.M),
              out)
        check(out.count("Call trace:") == 2 and re.search(r"^ bad_frees\+", out, re.M), out)
        check("libcheck: 2 bad frees refused, 0 blocks held" in out, out)
        check("main returned 0, 0 heap blocks" in out, out)


def test_libc_allocations_have_the_apps_stack():
    with Ferret(append="slab_owner=on") as f:
        out = f.cmd("app run libcheck owners", timeout=60)
        stacks = {}
        for entry in out.split("\n\n"):
            lines = entry.strip().splitlines()
            m = re.match(r"^(\d+) bytes in (\d+) objects from (\S+)$", lines[0]) if lines else None
            if m:
                frames = [re.match(r"^ (\S+?)\+", l).group(1) for l in lines[1:]]
                stacks[tuple(frames[:3])] = (int(m.group(1)), int(m.group(2)), m.group(3))
        check(stacks.get(("strdup", "libcheck_owners", "libcheck_main")) == (48, 1, "libcheck"),
              out)
        check(stacks.get(("asprintf", "libcheck_owners", "libcheck_main"), (0,))[1:]
              == (1, "libcheck"), out)
        check(stacks.get(("fdopen", "fopen", "libcheck_owners")), out)
        check(len(stacks) == 3 and "3 stacks, " in out, out)
        check(not any(k[0] in ("malloc", "calloc", "ferret_heap_alloc") for k in stacks),
              "the allocator's own frames are skipped: %s" % out)


def test_abort_assert_exit_return_leave_the_console():
    with Ferret(expect_crash=False) as f:
        out = f.cmd("app run libcheck abort")
        check("app libcheck: abort()" in out and "Call trace:" in out, out)
        check(re.search(r"^ abort\+.*\n libcheck_main\+", out, re.M), out)
        out = f.cmd("app run libcheck assert 41")
        check('assertion "n == 42" failed: file "apps/libcheck.c"' in out, out)
        check(re.search(r"^ __assert_func\+.*\n libcheck_main\+", out, re.M), out)
        out = f.cmd("app run libcheck exit 3")
        check("app libcheck: exit(3)" in out and "Call trace" not in out, out)
        out = f.cmd("app run libcheck return 5")
        check("app libcheck: main returned 5, 0 heap blocks (0 bytes) and 0 pages held" in out,
              out)
        out = f.cmd("app run libcheck assert 42")
        check("main returned 0" in out, out)
        check("libcheck: %d passed, 0 failed" % LIBCHECK_CHECKS in f.cmd("app run libcheck",
                                                                         timeout=60), "again")
        check("ferret" in f.cmd("version"), "console works")


def test_stdin_from_the_console():
    with Ferret() as f:
        f.send("app run libcheck stdin\r")
        f.expect("type a line: ", timeout=20)
        f.send("ferret rocks\r")
        f.expect(r"read 13 bytes: ferret rocks", timeout=20)
        f.expect("ferret> ", timeout=20)
        f.send("app run libcheck stdin\r")
        f.expect("type a line: ", timeout=20)
        f.send("\x04")
        f.expect("end of file", timeout=20)
        f.expect("ferret> ", timeout=20)
        # Typed ahead, with the command: the console's type-ahead buffer feeds stdin.
        f.send("app run libcheck stdin\rtyped early\r")
        f.expect(r"read 12 bytes: typed early", timeout=20)
        f.expect("ferret> ", timeout=20)


def test_out_of_tree_example():
    """examples/hello copied to a folder outside the repo, built with APPS= into
    its own output folder, booted, run."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "src")
        os.makedirs(src)
        shutil.copy(os.path.join(ROOT, "examples", "hello", "hello.c"), src)
        out = os.path.join(d, "build")
        p = subprocess.run(["make", "-j2", "BOARD=qemu-virt", "O=" + out, "APPS=" + src],
                           cwd=ROOT, capture_output=True, text=True, timeout=900)
        check(p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:])
        elf = os.path.join(out, "ferret.elf")
        check(os.path.exists(elf), "no " + elf)
        f = Ferret(append="slab_owner=on app=hello")
        f.args[f.args.index("-kernel") + 1] = elf
        with f:
            check("hello, world (5 bytes)" in f.boot_log, f.boot_log[-2000:])
            out = f.cmd("app list")
            check(re.search(r"^hello\s+\d+\s+program\s+ran\s", out, re.M), out)
            out = f.cmd("app run hello ferret world")
            check("hello, ferret (6 bytes)" in out and "hello, world (5 bytes)" in out, out)
            # two 16-byte list entries and the strings "ferret" and "world" (7 + 6)
            check("hello: 45 bytes in 4 blocks held" in out, out)
            check("app hello: main returned 0, 0 heap blocks (0 bytes)" in out, out)
