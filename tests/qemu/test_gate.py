# SPDX-License-Identifier: GPL-2.0
"""The leak and heap regression gate (tools/gate.c, docs/CI.md).

The demo firmware's scenario and baseline (apps/demo.*) pass as they are; the
test firmware (tests/gate/fw/gatefw.c, built with APPS= beside the demo) is
written out in variants - a page leak, an object leak, a bigger peak, a
crash, code that moves every address and changes what is inlined - and each
must fail (or pass) the gate for its reason, naming the stack it added with
file:line. Plus bad input, bad frees, heap corruption, expectations, TAP and
JUnit, and `make check`.
"""
import os
import re
import subprocess
import tempfile
import traceback
import xml.etree.ElementTree as ET

from ferret import ROOT

GATE = os.path.join(ROOT, "build", "host", "tools", "gate")
ELF = os.path.join(ROOT, "build", "qemu-virt", "ferret.elf")
DEMO_SCENARIO = os.path.join(ROOT, "apps", "demo.scenario")
DEMO_BASELINE = os.path.join(ROOT, "apps", "demo.baseline")
FW = os.path.join(ROOT, "tests", "gate", "fw", "gatefw.c")


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def gate(*args):
    p = subprocess.run([GATE] + list(args), cwd=ROOT, capture_output=True, text=True,
                       timeout=600, errors="replace")
    return p.returncode, p.stdout + p.stderr


def failed(out):
    """The names of the failed checks."""
    return [l[5:] for l in out.splitlines() if l.startswith("FAIL ")]


def line_of(path, text):
    """1-based line of the only line of @path holding @text."""
    hits = [i + 1 for i, l in enumerate(open(path).read().splitlines()) if text in l]
    check(len(hits) == 1, "%r in %s: lines %r" % (text, path, hits))
    return hits[0]


class Firmware:
    """Variants of gatefw.c built with APPS= into one output folder (only apps.o and the
    link are redone between variants)."""

    def __init__(self, tmp):
        self.src = os.path.join(tmp, "fw")
        self.out = os.path.join(tmp, "build")
        self.elf = os.path.join(self.out, "ferret.elf")
        self.c = os.path.join(self.src, "gatefw.c")
        os.makedirs(self.src)

    def build(self, funcs="", iterate="", noinline=False):
        text = open(FW).read()
        check("/* @FUNCS@ */" in text and "/* @ITERATE@ */" in text, "gatefw.c lost its marks")
        text = text.replace("/* @FUNCS@ */", funcs).replace("/* @ITERATE@ */", iterate)
        if noinline:
            text = text.replace("static inline char *gatefw_config_load",
                                "static __attribute__((noinline)) char *gatefw_config_load")
        with open(self.c, "w") as f:
            f.write(text)
        p = subprocess.run(["make", "-j2", "BOARD=qemu-virt", "O=" + self.out, "APPS=" + self.src],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
        check(p.returncode == 0, "build failed:\n" + p.stdout[-3000:] + p.stderr[-3000:])

    def symbol(self, name):
        p = subprocess.run(["aarch64-linux-gnu-nm", self.elf], capture_output=True, text=True)
        for l in p.stdout.splitlines():
            f = l.split()
            if len(f) == 3 and f[2] == name:
                return int(f[0], 16)
        return None

    def gate(self, baseline, *args):
        return gate("--scenario", DEMO_SCENARIO, "--elf", self.elf, "--baseline", baseline, *args)


PAGE_LEAK = ("static __app_site void *gatefw_hoard(void)\n{\n"
             "\treturn ferret_alloc_pages(0);\t/* hoarded */\n}\n",
             "if (iter % 10 == 3)\n\t\tgatefw_hoard();\t/* leaks a page */\n")
OBJECT_LEAK = ("static __app_site char *gatefw_remember(unsigned long i)\n{\n"
               "\tchar *s = malloc(24);\t/* remembered */\n\n\tif (s)\n\t\ts[0] = (char)i;\n"
               "\treturn s;\n}\n",
               "if (iter % 20 == 0)\n\t\tgatefw_remember(iter);\t/* leaks an object */\n")


def frames_in(out, title):
    """The frame lines printed under the failed check @title."""
    lines = out.splitlines()
    i = lines.index("FAIL " + title)
    frames = []
    for l in lines[i + 2:]:
        if not l.startswith("    ") or l.strip().startswith("("):
            break
        frames.append(l.split())
    return frames


def test_gate_demo_passes_as_is():
    """The demo's committed scenario and baseline pass on the tree's build, twice alike."""
    with tempfile.TemporaryDirectory(prefix="ferret-gate-") as tmp:
        tap, junit = os.path.join(tmp, "g.tap"), os.path.join(tmp, "g.xml")
        rc, out = gate("--scenario", DEMO_SCENARIO, "--elf", ELF, "--runs", "2", "--tap", tap,
                       "--junit", junit)
        check(rc == 0, "rc %d:\n%s" % (rc, out))
        check(re.search(r"gate: (\d+) checks, 0 failed: no regression", out), out)
        check("ok   deterministic: run 2 measures what run 1 did" in out, out)
        # the two leaks the demo has on purpose, by name, within the baseline
        check("ok   leak: pages sensor_ring_grow <- sensor_log_append <- sensor_iterate: "
              "20 pages in 20 blocks, as the baseline allows" in out, out)
        check("ok   leak: objects httpd_req_alloc <- httpd_parse_request <- httpd_iterate: "
              "1344 bytes in 28 objects, as the baseline allows" in out, out)
        t = open(tap).read().splitlines()
        check(t[0] == "TAP version 13" and re.match(r"^1\.\.(\d+)$", t[1]), t[:2])
        n = int(t[1][3:])
        check(len([l for l in t if re.match(r"^ok \d+ - ", l)]) == n and
              not any(l.startswith("not ok") for l in t), "\n".join(t))
        suite = ET.parse(junit).getroot().find("testsuite")
        check(suite.get("tests") == str(n) and suite.get("failures") == "0",
              open(junit).read())
        check(len(suite.findall("testcase")) == n, open(junit).read())
        # another CPU model and RAM size measure the same
        rc, out = gate("--scenario", DEMO_SCENARIO, "--elf", ELF, "--cpu", "cortex-a72",
                       "--mem", "1G")
        check(rc == 0 and "0 failed: no regression" in out, out)


def test_gate_variants(report):
    """A baseline written by --update-baseline, then one change at a time."""
    with tempfile.TemporaryDirectory(prefix="ferret-gate-") as tmp:
        fw = Firmware(tmp)
        base = os.path.join(tmp, "gatefw.baseline")
        c = os.path.basename(fw.c)

        def sub(name, fn):
            try:
                fn()
                report(name, True)
            except Exception:
                report(name, False, traceback.format_exc())

        fw.build()
        addr0 = fw.symbol("gatefw_iterate")
        rc, out = fw.gate(base, "--update-baseline")
        check(rc == 0 and "wrote" in out, out)
        b = open(base).read()
        # the configuration's allocation: inlined, named through DWARF with its caller
        check(re.search(r"^leak objects 1 64\n gatefw_config_load +# .*gatefw\.c:\d+ \(inlined\)\n"
                        r" gatefw_iterate +# .*gatefw\.c:\d+\n app_call ", b, re.M), b)
        check(re.search(r"^budget heap_peak_bytes \d+$", b, re.M), b)

        def unchanged():
            rc, out = fw.gate(base)
            check(rc == 0 and "0 failed: no regression" in out, out)
        sub("unchanged", unchanged)

        def page_leak():
            fw.build(*PAGE_LEAK)
            rc, out = fw.gate(base)
            check(rc == 1, out)
            fails = failed(out)
            check([f for f in fails if f.startswith("leak:")] ==
                  ["leak: pages gatefw_hoard <- gatefw_iterate"], out)
            fr = frames_in(out, "leak: pages gatefw_hoard <- gatefw_iterate")
            check(fr[0] == ["gatefw_hoard", fr[0][1]] and
                  fr[0][1].endswith("%s:%d" % (c, line_of(fw.c, "/* hoarded */"))), out)
            check(fr[1][1].endswith("%s:%d" % (c, line_of(fw.c, "/* leaks a page */"))), out)
        sub("page leak", page_leak)

        def object_leak():
            fw.build(*OBJECT_LEAK)
            tap = os.path.join(tmp, "o.tap")
            junit = os.path.join(tmp, "o.xml")
            rc, out = fw.gate(base, "--tap", tap, "--junit", junit)
            check(rc == 1, out)
            fails = failed(out)
            title = "leak: objects gatefw_remember <- gatefw_iterate"
            check([f for f in fails if f.startswith("leak:")] == [title], out)
            fr = frames_in(out, title)
            check([f[0] for f in fr] == ["gatefw_remember", "gatefw_iterate", "app_call"], out)
            check(fr[0][1].endswith("%s:%d" % (c, line_of(fw.c, "/* remembered */"))), out)
            check(fr[1][1].endswith("%s:%d" % (c, line_of(fw.c, "/* leaks an object */"))), out)
            t = open(tap).read()
            check(re.search(r"^not ok \d+ - %s$" % re.escape(title), t, re.M), t)
            cases = {tc.get("name"): tc for tc in ET.parse(junit).getroot().iter("testcase")}
            check(cases[title].find("failure") is not None, open(junit).read())
            check("gatefw_remember" in cases[title].find("failure").text, open(junit).read())
        sub("object leak", object_leak)

        def demo_baseline_added_leak():
            """The demo's committed baseline: the demo's stacks still match, the added ones
            are named, function by function, with file:line."""
            fw.build(funcs=PAGE_LEAK[0] + OBJECT_LEAK[0],
                     iterate=PAGE_LEAK[1] + "\t" + OBJECT_LEAK[1])
            rc, out = fw.gate(DEMO_BASELINE)
            check(rc == 1 and "REGRESSION" in out, "rc %d:\n%s" % (rc, out))
            fails = failed(out)
            check("leak: pages gatefw_hoard <- gatefw_iterate" in fails, out)
            check("leak: objects gatefw_remember <- gatefw_iterate" in fails, out)
            check(not any("sensor_ring_grow" in f or "httpd_req_alloc" in f for f in fails), out)
            fr = frames_in(out, "leak: pages gatefw_hoard <- gatefw_iterate")
            check([f[0] for f in fr] == ["gatefw_hoard", "gatefw_iterate", "app_call"], out)
            check(fr[0][1].endswith("%s:%d" % (c, line_of(fw.c, "/* hoarded */"))), out)
            check(fr[1][1].endswith("%s:%d" % (c, line_of(fw.c, "/* leaks a page */"))), out)
            check("new leak: 14 pages in 14 blocks from gatefw" in out, out)
            check("new leak: 336 bytes in 7 objects from gatefw" in out, out)
        sub("demo baseline, leaks added", demo_baseline_added_leak)

        def peak():
            fw.build(iterate="if (iter == 70)\n\t\tfree(gatefw_scratch(48 * 1024));\n")
            rc, out = fw.gate(base)
            check(rc == 1, out)
            fails = failed(out)
            check("budget: heap_peak_bytes" in fails, out)
            check(not any(f.startswith("leak") for f in fails), out)
            m = re.search(r"FAIL budget: heap_peak_bytes\n  (\d+), budget (\d+): over budget", out)
            check(m and int(m.group(1)) >= 48 * 1024 > int(m.group(2)), out)
        sub("peak over budget", peak)

        def shifted():
            fw.build(funcs="static volatile unsigned long gatefw_sum;\n\n"
                           "static __app_site unsigned long gatefw_checksum(const char *s)\n{\n"
                           "\tunsigned long h = 5381;\n\n\twhile (*s)\n"
                           "\t\th = h * 33 + (unsigned char)*s++;\n\treturn h;\n}\n",
                     iterate="if (config)\n\t\tgatefw_sum += gatefw_checksum(config);\n",
                     noinline=True)
            check(fw.symbol("gatefw_iterate") != addr0, "gatefw_iterate did not move")
            check(fw.symbol("gatefw_config_load") is not None, "gatefw_config_load inlined")
            rc, out = fw.gate(base)
            check(rc == 0 and "0 failed: no regression" in out, out)
            check("ok   leak: objects gatefw_config_load <- gatefw_iterate: 64 bytes in 1 objects"
                  in out, out)
        sub("code moved, inlining changed", shifted)

        def crash():
            fw.build(funcs="static volatile unsigned long gatefw_bad = 16;\n",
                     iterate="if (iter == 50)\n\t\t*(volatile int *)gatefw_bad = 1;\t/* crash */\n")
            before = open(base).read()
            rc, out = fw.gate(base)
            check(rc == 1, out)
            fails = failed(out)
            check("no crash" in fails and "scenario: runs to the end" in fails, out)
            check("the firmware crashed after 'app run all 140'" in out, out)
            check("Internal error: Synchronous exception" in out, out)
            check(re.search(r"pc : gatefw_iterate\+0x[0-9a-f]+/0x[0-9a-f]+  -> gatefw_iterate "
                            r"\(.*%s:%d\)" % (re.escape(c), line_of(fw.c, "/* crash */")), out), out)
            rc, out = fw.gate(base, "--update-baseline")
            check(rc == 1 and "not written" in out and open(base).read() == before, out)
        sub("crash", crash)


def test_gate_bad_frees_and_corruption():
    with tempfile.TemporaryDirectory(prefix="ferret-gate-") as tmp:
        sc = os.path.join(tmp, "bugs.scenario")
        base = os.path.join(tmp, "bugs.baseline")
        with open(sc, "w") as f:
            f.write("# bugs on purpose\napp run libcheck badfree\n@expect 2 bad frees refused\n")
        open(base, "w").close()
        rc, out = gate("--scenario", sc, "--elf", ELF)
        check(rc == 1 and failed(out) == ["bad frees within budget"], out)
        check("2 bad frees, the baseline allows 0" in out, out)
        check(re.search(r"free\(0x[0-9a-f]+\) in libcheck: already freed; ignored", out), out)
        check(re.search(r" bad_frees\+0x[0-9a-f]+/0x[0-9a-f]+  -> bad_frees \(apps/libcheck\.c:\d+\)",
                        out), out)
        with open(base, "w") as f:
            f.write("budget bad_frees 2\n")
        rc, out = gate("--scenario", sc, "--elf", ELF)
        check(rc == 0 and "ok   bad frees within budget: 2 bad frees" in out, out)
        with open(sc, "a") as f:
            f.write("slab bug redzone\n")
        rc, out = gate("--scenario", sc, "--elf", ELF)
        # (what the bug's command keeps, if anything, is a leak of the console's: named too)
        fails = failed(out)
        check(rc == 1 and fails[0] == "no heap corruption" and
              all(f.startswith("leak: ") and "slab_bug" in f for f in fails[1:]), out)
        check("BUG bug_demo-64 (Not tainted): Object corrupt" in out, out)


def test_gate_expectations_and_bad_input():
    with tempfile.TemporaryDirectory(prefix="ferret-gate-") as tmp:
        sc = os.path.join(tmp, "x.scenario")
        base = os.path.join(tmp, "x.baseline")
        open(base, "w").close()

        def write(text):
            with open(sc, "w") as f:
                f.write(text)

        write("@boot-args app=hello_not_there\n@expect app=: no application called "
              "'hello_not_there'\nversion\n@expect ferret\n@expect-not ferret\n"
              "@wait never printed 0.5\n")
        rc, out = gate("--scenario", sc, "--elf", ELF)
        check(rc == 1, out)
        check(failed(out) == ["scenario: @expect-not 'ferret' (x.scenario:5)",
                              "scenario: @wait 'never printed' (x.scenario:6)"], out)
        check("ok   scenario: @expect 'app=: no application called 'hello_not_there'' "
              "(x.scenario:2)" in out, out)
        check("'never printed' did not come in 0.5 s" in out, out)

        for text, why in (("@frobnicate\nversion\n", "x.scenario:1: unknown directive '@frobnicate'"),
                          ("version\n@boot-args x=1\n", "x.scenario:2: @boot-args comes before"),
                          ("# nothing\n", "has no command"),
                          ("@timeout -1\nversion\n", "x.scenario:1: @timeout takes seconds"),
                          ("@mem lots\nversion\n", "x.scenario:1: @mem takes a QEMU size"),
                          ("@cpu 'a72'\nversion\n", "x.scenario:1: @cpu takes a QEMU CPU model"),
                          ("@expect\nversion\n", "x.scenario:1: @expect needs an argument")):
            write(text)
            rc, out = gate("--scenario", sc, "--elf", ELF)
            check(rc == 2 and why in out, "%r: rc %d\n%s" % (text, rc, out))
        write("version\n")
        for text, why in (("budget heap_peak_parsecs 3\n", "x.baseline:1: expected 'budget"),
                          (" orphan_frame\n", "x.baseline:1: a frame outside"),
                          ("leak pages 1\n", "x.baseline:1: expected 'leak pages|objects"),
                          ("leak objects 1 48\n", "a 'leak' entry without frames")):
            with open(base, "w") as f:
                f.write(text)
            rc, out = gate("--scenario", sc, "--elf", ELF)
            check(rc == 2 and why in out, "%r: rc %d\n%s" % (text, rc, out))
        open(base, "w").close()
        rc, out = gate("--scenario", sc, "--elf", ELF, "--baseline", os.path.join(tmp, "none"))
        check(rc == 2 and "cannot read the baseline" in out, out)
        rc, out = gate("--scenario", sc, "--elf", os.path.join(tmp, "none.elf"))
        check(rc == 2 and "cannot read the firmware" in out, out)
        rc, out = gate("--help")
        check(rc == 0 and "--update-baseline" in out, out)
        rc, out = gate("--runs", "0", "--scenario", sc)
        check(rc == 2 and "usage" in out, out)


def test_make_check():
    """make check on the tree's build (make test built it): the gate's verdict, and TAP,
    JUnit and the console log beside the ELF; without a scenario for APPS=, a clear error."""
    out_dir = os.path.join(ROOT, "build", "qemu-virt")
    p = subprocess.run(["make", "check"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    out = p.stdout + p.stderr
    check(p.returncode == 0 and "0 failed: no regression" in out, out[-4000:])
    for name in ("gate.tap", "gate.xml", "gate.log"):
        check(os.path.getsize(os.path.join(out_dir, name)) > 0, name)
    check("ferret> app run all 140" in open(os.path.join(out_dir, "gate.log")).read(), "gate.log")
    with tempfile.TemporaryDirectory(prefix="ferret-gate-") as tmp:
        # (its own O=: make writes the list of applications of APPS= where it builds)
        p = subprocess.run(["make", "check", "APPS=examples/hello", "O=" + tmp], cwd=ROOT,
                           capture_output=True, text=True, timeout=900)
        check(p.returncode != 0 and "SCENARIO= names the scenario" in p.stdout + p.stderr,
              p.stdout + p.stderr)
        check(not os.path.exists(os.path.join(tmp, "ferret.elf")), "built without a scenario")
