# SPDX-License-Identifier: GPL-2.0
"""Several cores: every core comes up (virt with 1, 2, 4 and 8, GICv2 and
GICv3, entered at EL1 or EL2; raspi3b's four through the spin table), a
command placed on a core runs there, background work leaves the console
usable, a crash on a secondary core is reported with every core's state,
and the in-kernel smp suite (cross-core calls, the ticket lock under
contention, static keys flipped while the other cores run) passes."""
import re
import time

from ferret import Ferret, check, ktap_results

CPUS_LINE = re.compile(r"^(\d+)\s*(\*?)\s+0x([0-9a-f]+)\s+(\S+)\s+(\S+)", re.M)


def cpus_table(out):
    """`cpus` as {cpu: (mpidr, state, how, marked)}."""
    return {int(m.group(1)): (int(m.group(3), 16), m.group(4), m.group(5), m.group(2) == "*")
            for m in CPUS_LINE.finditer(out)}


def _all_online(f, n, how):
    check(re.search(r"smp: %d of %d cores? online" % (n, n), f.boot_log),
          "boot log does not say %d of %d online:\n%s" % (n, n, f.boot_log))
    t = cpus_table(f.cmd("cpus"))
    check(sorted(t) == list(range(n)), "cpus lists %s, expected 0..%d" % (sorted(t), n - 1))
    for cpu, (mpidr, state, started, marked) in t.items():
        check(state == "online", "CPU%d is %s" % (cpu, state))
        check(started == ("boot" if cpu == 0 else how), "CPU%d started by %s" % (cpu, started))
        check(marked == (cpu == 0), "the * is on the wrong core: %s" % t)
    return t


def _make_boot_test(n, opts, how="psci"):
    def t():
        with Ferret(smp=n, machine_opts=opts, mem="256M") as f:
            t = _all_online(f, n, how)
            check([t[c][0] for c in range(n)] == list(range(n)), "MPIDRs: %s" % t)
            last = n - 1
            out = f.cmd("on %d cpus" % last)
            t2 = cpus_table(out)
            check(t2[last][3] and (last == 0 or not t2[0][3]),
                  "on %d cpus did not run there:\n%s" % (last, out))
            check(re.search(r"^%d\s*\*.*\bcpus$" % last, out, re.M) or last == 0,
                  "cpus does not show what CPU%d runs:\n%s" % (last, out))
            out = f.cmd("on %d echo from  the other core" % last)
            check(out.strip() == "from the other core", "on %d echo: %r" % (last, out))
    t.__name__ = "test_smp_boot_%d%s" % (n, ("_" + opts.replace("=", "").replace(",", "_"))
                                             if opts else "")
    return t


for _n, _opts in ((1, ""), (2, ""), (4, ""), (8, ""), (4, "gic-version=3"),
                  (3, "virtualization=on"), (8, "gic-version=3,virtualization=on")):
    _t = _make_boot_test(_n, _opts)
    globals()[_t.__name__] = _t


def test_smp_raspi3b_spin_table():
    with Ferret(board="raspi3b") as f:
        _all_online(f, 4, "spin-table")
        out = f.cmd("on 3 cpus")
        check(cpus_table(out)[3][3], "on 3 did not run on CPU3:\n" + out)


def test_smp_secure_parks():
    """Entered at EL3 there are no interrupts, so no calls between cores: one core, said."""
    with Ferret(smp=4, machine_opts="secure=on") as f:
        check("stay parked" in f.boot_log, "no word of the parked cores:\n" + f.boot_log)
        t = cpus_table(f.cmd("cpus"))
        check(sorted(t) == [0], "cpus: %s" % t)


def test_smp_maxcpus():
    with Ferret(smp=4, append="maxcpus=2") as f:
        check("smp: 2 of 2 cores online" in f.boot_log, f.boot_log)
        check(f.boot_log.count("left parked (maxcpus=)") == 2, f.boot_log)
        check("cmdline:" not in f.boot_log, "maxcpus= reported as unknown:\n" + f.boot_log)


def test_smp_on_errors_and_background():
    with Ferret(smp=4) as f:
        out = f.cmd("on 7 echo x")
        check("CPU7 is not online" in out, "on 7: " + out)
        out = f.cmd("on x echo x")
        check("usage: on" in out, "on x: " + out)
        out = f.cmd("on 2 --nowait ticktest 1500 100")
        check(out.strip() == "", "on --nowait printed: %r" % out)
        t = f.cmd("cpus")
        check(re.search(r"^2\s+0x2\s+online.*ticktest 1500 100$", t, re.M), "cpus:\n" + t)
        out = f.cmd("on 2 echo busy")
        check("CPU2 is busy running 'ticktest 1500 100'" in out, "on 2 while busy: " + out)
        check(f.cmd("echo console still here").strip() == "console still here", "console")
        out = f.cmd("on 2 --wait", timeout=30)
        m = re.search(r"ticktest: (\d+) ticks in 1500 ms", out)
        check(m and int(m.group(1)) > 100, "the background ticktest: %r" % out)
        t = f.cmd("cpus")
        check(re.search(r"^2\s+0x2\s+online.*idle$", t, re.M), "CPU2 not idle after:\n" + t)
        ticks = {int(m.group(1)): int(m.group(2)) for m in
                 re.finditer(r"^(\d+)\s*\*?\s+0x\S+\s+\S+\s+\S+\s+\S+\s+\d+\s+(\d+)", t, re.M)}
        check(ticks.get(2, 0) > 100 and ticks.get(1, -1) == 0,
              "ticks counted on the wrong core: %s" % ticks)


def test_smp_app_on_a_core():
    with Ferret(smp=4, append="page_owner=on") as f:
        out = f.cmd("app run sensor 140 --cpu 3")
        check("running on CPU3" in out, out)
        # Its report comes when it ends, from core 3: read it before typing more (the
        # echo of what is typed meanwhile would interleave with it).
        if "app: 140 of 140 iterations" not in out:     # not already before the prompt
            out += f.expect(r"app: 140 of 140 iterations[^\n]*\n", timeout=60)
        check("sensor: 140 iterations" in out, "app run on CPU3: " + out)
        out = f.cmd("app wait", timeout=60)
        check("iterations" not in out, "app wait after the end: " + out)
        out = f.cmd("app stop sensor")
        check("still holds 20 pages" in out, "the leak: " + out)
        # Long enough to still run: one core at a time per application; Ctrl-C stops it.
        out = f.cmd("app run sensor 5000000 --cpu 2")
        check("running on CPU2" in out, out)
        out = f.cmd("app run sensor 10")
        check("sensor runs on CPU2 now" in out and "iterations" not in out, out)
        t = f.cmd("cpus")
        check(re.search(r"^2\s+0x2\s+online.*app run sensor 5000000$", t, re.M), t)
        f.send("app wait 2\r")
        f.expect("app wait 2")
        f.send("\x03")
        out = f.expect(r"iterations in .* ms \(interrupted\)", timeout=60)
        check("sensor:" in out, out)


def test_smp_crash_on_secondary():
    with Ferret(smp=4, expect_crash=True) as f:
        f.send("on 2 crash null\r")
        out = f.expect("panic: ferret> ", timeout=60)
        check(re.search(r"^CPU: 2 PID: \d+ Comm: \S+", out, re.M), "no CPU: 2 header:\n" + out)
        for c in (0, 1, 3):
            m = re.search(r"^CPU: %d \(MPIDR 0x%x\) stopped, running ([^:]*):\n"
                          r"pc : .*\nlr : .*\nsp : .*\n(x\d.*\n)+Call trace:\n( \S+\n)+" % (c, c),
                          out, re.M)
            check(m, "CPU%d's state is not in the report:\n%s" % (c, out))
        check("running the console" in out, "core 0 not named the console:\n" + out)
        check(out.index("CPU: 2 PID") < out.index("CPU: 0 (MPIDR"), "order:\n" + out)
        out = f.cmd("cpus", prompt="panic: ferret> ")
        t = cpus_table(out)
        check(t[2][1] == "online" and all(t[c][1] == "stopped" for c in (0, 1, 3)),
              "cpus after the crash: %s" % t)


def test_smp_stop_timeout():
    """A core with its interrupts masked for good does not answer the stop: named as such."""
    with Ferret(smp=3, expect_crash=True) as f:
        # Its interrupts are masked once it says so (a stop sent before would reach it);
        # the line comes before or after the prompt.
        if "interrupts masked on CPU1" not in f.cmd("on 1 --nowait crash spin"):
            f.expect("crash: spinning with interrupts masked on CPU1", timeout=30)
        f.send("crash null\r")
        out = f.expect("panic: ferret> ", timeout=60)
        check(re.search(r"^CPU: 0 PID", out, re.M), out)
        check(re.search(r"^CPU: 1 \(MPIDR 0x1\) did not stop within 1000 ms", out, re.M),
              "the masked core is not named:\n" + out)
        check(re.search(r"^CPU: 2 \(MPIDR 0x2\) stopped", out, re.M), out)


def _ktest_smp(report, n, opts=""):
    with Ferret(smp=n, machine_opts=opts) as f:
        out = f.cmd("ktest smp", timeout=300)
        res = ktap_results(out)
        check(res, "no KTAP results:\n" + out)
        for suite, case, ok in res:
            report("ktest_smp%d_%s" % (n, case), ok, out if not ok else "")
        check(all(ok for _, _, ok in res), out)


def test_smp_ktest_1(report):
    _ktest_smp(report, 1)


def test_smp_ktest_4(report):
    _ktest_smp(report, 4)


def test_smp_ktest_8_gicv3(report):
    _ktest_smp(report, 8, "gic-version=3")


def test_smp_kmemleak_on_a_secondary():
    """The leak scan from another core scans that core's stack: the demo's two leaks, as on core 0."""
    with Ferret(smp=3) as f:
        f.cmd("app run all 140")
        here = f.cmd("kmemleak count")
        there = f.cmd("on 2 kmemleak count")
        want = "48 new suspected memory leaks (20 blocks of 20 pages, 28 objects of 1344 bytes)"
        check(want in here and want in there, "core 0:\n%s\ncore 2:\n%s" % (here, there))


def test_smp_object_owners_name_their_cores():
    """Objects allocated on cores 0-2 and freed on another: alloc_traces' cpus=, slab owner's cpu."""
    with Ferret(smp=4, append="slab_owner=on") as f:
        addrs = {}
        for cpu, n in ((1, 3), (2, 2), (0, 1)):
            out = f.cmd("on %d kmalloc 100 %d" % (cpu, n) if cpu else "kmalloc 100 %d" % n)
            addrs[cpu] = re.findall(r"= (0x[0-9a-f]+)", out)
            check(len(addrs[cpu]) == n, out)
        # Two stacks: through `on` (cores 1 and 2) and from the console's core.
        out = f.cmd("slab alloc_traces kmalloc-112")
        check(re.search(r"^      5 cmd_kmalloc\+0x[0-9a-f]+/0x[0-9a-f]+ waste=60/12 "
                        r"age=\d+/\d+/\d+ pid=\d+ cpus=1-2\n(        \S+\n)*        on_run\+",
                        out, re.M), out)
        check(re.search(r"^      1 cmd_kmalloc\+0x[0-9a-f]+/0x[0-9a-f]+ waste=12/12 "
                        r"age=\d+ pid=1 cpus=0\n(        \S+\n)*        console_loop\+",
                        out, re.M), out)
        out = f.cmd("slab owner %s" % addrs[2][0])
        check(re.match(r"^object %s of kmalloc-112: allocated, 100 bytes asked for, pid \d+, "
                       r"cpu 2, ts \d+ ns$" % addrs[2][0], out.splitlines()[0]), out)
        check(f.cmd("on 3 kfree %s" % addrs[1][0]) == "", "kfree on 3")
        out = f.cmd("slab owner %s" % addrs[1][0])
        check(re.search(r"^object %s of kmalloc-112: free, pid \d+, cpu 1, ts \d+ ns$"
                        % addrs[1][0], out, re.M), out)
        check(re.search(r"^last free: pid \d+, cpu 3, ts \d+ ns\n cmd_kfree\+", out, re.M), out)
        out = f.cmd("slab free_traces kmalloc-112")
        check(re.search(r"^      5 <not-available> age=\d+ pid=0 cpus=0$", out, re.M), out)
        # The free's record is the object's memory's: a double free names both cores.
        out = f.cmd("kfree %s" % addrs[1][0])
        check("Object already free" in out, out)
        check(re.search(r"^Allocated in cmd_kmalloc\+0x[0-9a-f]+/0x[0-9a-f]+ age=\d+ cpu=1 pid=\d+$",
                        out, re.M), out)
        check(re.search(r"^Freed in cmd_kfree\+0x[0-9a-f]+/0x[0-9a-f]+ age=\d+ cpu=3 pid=\d+$",
                        out, re.M), out)


def test_smp_watchdog_every_core():
    """watchdog=2: a hang on core 2 (interrupts on, no stop poll) is that core's soft lockup;
    idle cores and the console's core, waiting on it, are not."""
    with Ferret(smp=3, append="watchdog=2", expect_crash=True) as f:
        check("watchdog: a hang of 2 s" in f.boot_log, f.boot_log)
        time.sleep(3)       # idle cores: no report
        check("soft lockup" not in f.cmd("echo idle"), "an idle core reported")
        f.send("on 2 crash hang\r")
        report = f.expect(r"watchdog: BUG: soft lockup - CPU#\d+ stuck for \d+s![^\n]*\n", timeout=60)
        check("soft lockup - CPU#2 stuck for" in report, report)
        report += f.expect(r"ferret> ", timeout=60)
        check(re.search(r"\n cmd_crash\+0x[0-9a-f]+/0x[0-9a-f]+\n", report), report)


def test_smp_waits_yield_under_icount():
    """A core waiting on another (a cross-core call, the code-patching
    rendezvous) yields: under -icount QEMU runs the cores in turn on one
    thread and switches on the yield, otherwise only after 100 ms of guest
    time a turn (a memtest on two cores took minutes). bench_smp.py measures
    the several-core workload this way."""
    with Ferret(smp=2, mem="256M", extra=["-icount", "shift=0"]) as f:
        out = f.cmd("memtest", timeout=60)
        check("memtest: passed" in out, out)
        out = f.cmd("stress 20000", timeout=60)
        check("stress: passed" in out and "stress: 2 cores" in out, out)
