# SPDX-License-Identifier: GPL-2.0
"""ferret on 32-bit Arm: QEMU virt with a Cortex-A15 or A7 (SVC or HYP entry,
RAM from the DTB) and the Raspberry Pi 2 model, through the same console."""
import random
import re
import subprocess

from ferret import Ferret, check, image, ktap_results

VIRT = "qemu-virt32"


def _mib(mem):
    return int(mem[:-1]) * (1024 if mem.endswith("G") else 1)


def _boot(f, board, mode, mem_mib):
    log = f.boot_log
    check("on %s, entered in %s mode" % (board, mode) in log, "banner:\n" + log)
    m = re.search(r"RAM: (\d+) MiB in", log)
    check(m and int(m.group(1)) == mem_mib, "RAM %s MiB, expected %d:\n%s"
          % (m and m.group(1), mem_mib, log))
    check("mmu: on, caches on" in log, log)
    out = f.cmd("memtest")
    check("memtest: ok" in out or "passed" in out or "ok" in out, out)
    total = int(re.search(r"MemTotal:\s+(\d+) kB", f.cmd("meminfo")).group(1))
    check(mem_mib * 1024 * 0.95 < total <= mem_mib * 1024, "MemTotal %d kB of %d MiB"
          % (total, mem_mib))


def test_virt32_boots_any_ram_and_entry():
    for mem, cpu, opts, mode in (("128M", "cortex-a15", "", "SVC"),
                                 ("2G", "cortex-a7", "", "SVC"),
                                 ("700M", "cortex-a15", "virtualization=on", "HYP")):
        with Ferret(board=VIRT, mem=mem, cpu=cpu, machine_opts=opts) as f:
            _boot(f, VIRT, mode, _mib(mem))


def test_virt32_ram_up_to_and_past_4g():
    """RAM reaching 4 GiB (3G) or past it (4G): the top 16 MiB of the 32-bit
    space (the text's alias, a never-mapped address) and all above 4 GiB are
    left out, and said; the rest works, code patching included (page_owner=on
    patches at boot, and its pages sit at the top of RAM, in the alias's GiB)."""
    for mem, cut_end in (("3G", 0xffffffff), ("4G", 0x13fffffff)):
        with Ferret(board=VIRT, mem=mem, append="page_owner=on") as f:
            cut = 0xff000000
            check("RAM: 0x%x-0x%x (%d MiB) not used: this kernel maps RAM below 0xff000000 only"
                  % (cut, cut_end, (cut_end + 1 - cut) >> 20) in f.boot_log, f.boot_log)
            _boot(f, VIRT, "SVC", 3056)
            out = f.cmd("ktest jump_label page_owner", timeout=300)
            check("# ktest: 2 suites, 0 failed" in out, out[-2000:])
            # a block from the top GiB: its page_owner record, then freed
            pfns = [int(p, 16) for p in re.findall(r"pfn=0x([0-9a-f]+)",
                                                    f.cmd("alloc 9 1500", timeout=120))]
            top = max(pfns)
            check(top >= 0xc0000, "no block allocated above 3 GiB: %#x" % top)
            check("page last allocated via order 9" in f.cmd("page_owner pfn 0x%x" % top), "owner")
            for p in pfns:
                f.cmd("free 0x%x 9" % p)
            check(f.cmd("memtest", timeout=120).endswith("memtest: passed\n"), "memtest")
        with Ferret(board=VIRT, mem=mem, expect_crash=True) as f:
            f.send("crash unmapped\r")
            out = f.expect(r"panic: ferret> ", timeout=30)
            check("Unable to handle kernel read from address fff00000" in out, out)


def test_raspi2b_boots():
    with Ferret(board="raspi2b") as f:
        _boot(f, "raspi2b", "SVC", 960)
        check("irq: bcm2836-local" in f.boot_log, f.boot_log)


def test_raspi2b_command_line_from_dtb_at_0():
    """QEMU's raspi2b leaves the DTB it is given at address 0, inside the pages
    never mapped: ferret copies it out, so the command line and the DTB's
    RAM and UART reach it, and page_owner can be turned on there."""
    with Ferret(board="raspi2b", append="page_owner=on console=ttyAMA0,115200") as f:
        log = f.boot_log
        m = re.search(r"^dtb: copied from 0x0, in the never-mapped first 32 KiB, to 0x([0-9a-f]+)$",
                      log, re.M)
        check(m, "the DTB at 0 was not copied:\n" + log)
        check(re.search(r"^dtb: \d+ bytes at 0x%s$" % m.group(1), log, re.M), log)
        check("command line: page_owner=on console=ttyAMA0,115200" in log, log)
        check("malformed" not in log, log)
        out = f.cmd("alloc 1")
        pfn = re.search(r"pfn=(0x[0-9a-f]+) order=1", out)
        check(pfn, out)
        rec = f.cmd("page_owner pfn %s" % pfn.group(1))
        check("allocated via order 1" in rec and re.search(r"^ cmd_alloc\+", rec, re.M), rec)


def _ktest(report, board, **kw):
    with Ferret(board=board, **kw) as f:
        out = f.cmd("ktest", timeout=300)
        res = ktap_results(out)
        check(res, "no KTAP cases:\n" + out)
        for suite, case, ok in res:
            report("%s/%s/%s" % (board, suite, case), ok, out if not ok else "")
        check(", 0 failed" in out, out[-300:])


def test_ktest_virt32(report):
    _ktest(report, VIRT, append="page_owner=on")


def test_ktest_raspi2b(report):
    _ktest(report, "raspi2b")


def test_page_owner_stacks_32bit():
    """A page allocated by hand: its record names the console command that did
    it, through the AArch32 frame-pointer chain (fp at the saved lr)."""
    with Ferret(board=VIRT, append="page_owner=on") as f:
        out = f.cmd("alloc 2")
        pfn = re.search(r"pfn=(0x[0-9a-f]+) order=2", out)
        check(pfn, "alloc: " + out)
        rec = f.cmd("page_owner pfn %s" % pfn.group(1))
        check("allocated via order 2" in rec, rec)
        frames = re.findall(r"^ (\w+)\+0x[0-9a-f]+/0x[0-9a-f]+$", rec, re.M)
        check(frames[:1] == ["cmd_alloc"] and "console_execute" in frames
              and frames[-2:] == ["start_kernel", "_start"], "stack: %s\n%s" % (frames, rec))
        out = f.cmd("depot")
        check("stacks:" in out and "(0 with 64-bit pcs)" in out, out)


def test_crash_reports_32bit():
    """A data abort, an undefined instruction and a W^X store: each gives the
    report (fault status and address, registers, symbolized backtrace), then
    the panic console."""
    for kind, want in (("null", ("Data abort", "FAR: 0x00000010", "translation fault",
                                 "crash_load+0x", "cmd_crash+0x")),
                       ("undef", ("Undefined instruction", "cmd_crash+0x")),
                       ("text", ("Data abort", "permission fault",
                                 "Unable to handle kernel write to read-only address",
                                 "crash_store+0x"))):
        with Ferret(board=VIRT, expect_crash=True) as f:
            f.send("crash %s\r" % kind)
            out = f.expect(r"panic: ", timeout=30)
            for s in want + ("Internal error:", "Call trace:", "r0 :", "cpsr", "console_execute+0x",
                             "start_kernel+0x", "---[ end trace ]---"):
                check(s in out, "crash %s: report lacks %r:\n%s" % (kind, s, out))
            check("version" in f.cmd("help", prompt="panic: "), "panic console")


def test_demo_leaks_32bit():
    """The demo firmware on newlib: exactly its two leaks, whatever the count; on
    qemu-virt32 by owner (leaks), on raspi2b (which QEMU boots without a command
    line: no owners) by what `app stop` finds still held, the same as on virt."""
    n = random.Random().randrange(20, 90)
    with Ferret(board=VIRT, append="slab_owner=on") as f:
        f.cmd("checkpoint base")
        f.cmd("app run all %d" % n, timeout=300)
        held_virt = _held(f.cmd("app stop all", timeout=120))
        out = f.cmd("leaks", timeout=120)
        check("%d pages in %d blocks from sensor" % (n // 7, n // 7) in out, out)
        check("%d bytes in %d objects from httpd" % (48 * (n // 5), n // 5) in out, out)
        check(" httpd_req_alloc+0x" in out and " sensor_ring_grow+0x" in out, out)
        check(len(re.findall(r"^\d+ stacks?, ", out, re.M)) == 2, out)
    check(len(held_virt) == 2 and held_virt[0][:3] == ("httpd", 0, n // 5) and
          held_virt[1] == ("sensor", n // 7, 0, 0), "after %d: %s" % (n, held_virt))
    with Ferret(board="raspi2b") as f:
        out = f.cmd("app run all %d" % n, timeout=300)
        check("app: %d of %d iterations" % (n, n) in out, out)
        held = _held(f.cmd("app stop all", timeout=120))
    check(held == held_virt, "raspi2b %s, qemu-virt32 %s" % (held, held_virt))


def _held(out):
    """[(service, pages, heap blocks, bytes)] that `app stop` says are still held."""
    return [(m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))) for m in re.finditer(
        r"^app: (\w+) still holds (\d+) pages and (\d+) heap blocks \((\d+) bytes\) after stop: "
        r"leaked\?$", out, re.M)]


def test_libcheck_32bit():
    """The C library checks on newlib, both 32-bit boards: every one passes
    (newlib's stream table and dtoa cache, kept for good, are made before
    the heap is counted)."""
    from test_libc import LIBCHECK_CHECKS
    for board in (VIRT, "raspi2b"):
        with Ferret(board=board) as f:
            out = f.cmd("app run libcheck", timeout=120)
            check("libcheck: %d passed, 0 failed" % LIBCHECK_CHECKS in out,
                  "%s:\n%s" % (board, out[-3000:]))
            check("FAIL" not in out, out)


def _symbol(board, name):
    out = subprocess.run(["arm-none-eabi-nm", image(board)], capture_output=True, text=True,
                         check=True).stdout
    return int(re.search(r"^([0-9a-f]+) \w %s$" % name, out, re.M).group(1), 16)


def _overflow(board):
    """A stack overflow is reported as one, with the stack's owner: the boot
    stack (the console's recursion) and the exception stack (the same in the
    timer interrupt), whose entry would fault again at srsdb without the
    switch to the panic stack."""
    for kind, stack, where in (("overflow", "boot", ""),
                               ("irq-overflow", "exception", " in an exception handler")):
        with Ferret(board=board, expect_crash=True) as f:
            f.send("crash %s\r" % kind)
            out = f.expect(r"panic: ferret> ", timeout=60)
            check("Internal error: Data abort exception%s\n" % where in out, out[-3000:])
            check("Kernel stack overflow on CPU 0: the %s stack ran into its guard page\n"
                  % stack in out, out[-3000:])
            check(re.search(r"^FSR: 0x00000a07 \(translation fault\), FAR: 0x[0-9a-f]{8}$",
                            out, re.M), out[-3000:])
            check(re.search(r"^pc : crash_recurse\S*\+0x[0-9a-f]+/0x[0-9a-f]+$", out, re.M),
                  out[-3000:])
            # sp: the one that ran out, in the guard page below the stack (not where the
            # registers were saved), at or below the faulting address
            low = _symbol(board, "%s_stack" % stack)
            sp = int(re.search(r"^sp : ([0-9a-f]{8}) ", out, re.M).group(1), 16)
            far = int(re.search(r"FAR: 0x([0-9a-f]{8})$", out, re.M).group(1), 16)
            check(low - 4096 <= sp < low and sp <= far < low,
                  "sp %#x, FAR %#x, %s stack at %#x:\n%s" % (sp, far, stack, low, out[-3000:]))
            trace = out[out.index("Call trace:"):out.index("---[ end trace ]---")]
            if stack == "exception":
                for fn in ("crash_tick_recurse", "handle_irq", "do_irq", "irq_entry",
                           "cmd_crash", "console_execute", "start_kernel", "_start"):
                    check(re.search(r"^ %s\+0x[0-9a-f]+/0x[0-9a-f]+$" % fn, trace, re.M),
                          "no %s in:\n%s" % (fn, trace))
            check(out.count("Internal error:") == 1 and "came back" not in out, out[-3000:])
            check("ferret" in f.cmd("version", prompt="panic: ferret> "),
                  "the panic console does not answer")


def test_stack_overflow_virt32():
    _overflow(VIRT)


def test_stack_overflow_raspi2b():
    _overflow("raspi2b")


# ---- every core (docs/SMP.md): qemu-virt32 by PSCI, raspi2b's four from the pen/mailbox ----

def _cpus(f, board, n, how, mpidrs, entry="EL1"):
    """Every core online, started by @how, with these MPIDRs; `on` runs there."""
    from test_smp import cpus_table
    check(re.search(r"^smp: %d of %d cores? online \(" % (n, n), f.boot_log, re.M),
          "%s: boot log does not say %d of %d online:\n%s" % (board, n, n, f.boot_log))
    out = f.cmd("cpus")
    t = cpus_table(out)
    check(sorted(t) == list(range(n)), "%s: cpus lists %s:\n%s" % (board, sorted(t), out))
    for cpu, (mpidr, state, started, marked) in t.items():
        check((mpidr, state, started, marked) ==
              (mpidrs[cpu], "online", "boot" if cpu == 0 else how, cpu == 0),
              "%s: CPU%d is %s:\n%s" % (board, cpu, t[cpu], out))
    check(len(re.findall(r"^\d+\s*\*?\s+0x[0-9a-f]+\s+online\s+\S+( core)?\s+%s " % entry,
                         out, re.M)) == n, "%s: entry mode column:\n%s" % (board, out))
    check(out.rstrip().endswith("%d online, NR_CPUS 8; * marks the core this runs on" % n), out)
    for cpu in range(1, n):
        t2 = cpus_table(f.cmd("on %d cpus" % cpu))
        check([c for c in t2 if t2[c][3]] == [cpu], "on %d cpus ran on %s" % (cpu, t2))
        check(f.cmd("on %d echo from core %d" % (cpu, cpu)).strip() == "from core %d" % cpu,
              "on %d echo" % cpu)


def _make_virt32_smp_test(n, opts=""):
    def t():
        with Ferret(board=VIRT, smp=n, mem="256M", machine_opts=opts) as f:
            _cpus(f, VIRT, n, "psci", list(range(n)), "EL2" if opts else "EL1")
            check("entered in %s mode" % ("HYP" if opts else "SVC") in f.boot_log, f.boot_log)
    t.__name__ = "test_virt32_smp_%d%s" % (n, "_hyp" if opts else "")
    return t


for _n, _o in ((1, ""), (2, ""), (4, ""), (3, "virtualization=on")):
    _t = _make_virt32_smp_test(_n, _o)
    globals()[_t.__name__] = _t


def test_raspi2b_smp_four_cores():
    """QEMU starts every core of the ELF at _start: cores 1-3 wait in the pen
    (a Pi's firmware: on mailbox 3) and are released by the board's facts."""
    with Ferret(board="raspi2b") as f:
        check("smp: 4 of 4 cores online (from the board's mailboxes)" in f.boot_log,
              f.boot_log)
        _cpus(f, "raspi2b", 4, "mailbox", [0xf00, 0xf01, 0xf02, 0xf03])


def _crash_on_secondary(board, n, cpu, mpidrs, kind="null"):
    """`on <cpu> crash`: that core reports, every other core's registers and
    backtrace follow, the panic console lists the others as stopped."""
    from test_smp import cpus_table
    with Ferret(board=board, smp=n if board == VIRT else None, expect_crash=True) as f:
        f.send("on %d crash %s\r" % (cpu, kind))
        out = f.expect("panic: ferret> ", timeout=60).replace("\r", "")
        check(re.search(r"^CPU: %d PID: \d+ Comm: \S+ \(MPIDR 0x%x, %d cores online\)$"
                        % (cpu, mpidrs[cpu], n), out, re.M), "no CPU: %d header:\n%s" % (cpu, out))
        for c in range(n):
            if c == cpu:
                continue
            m = re.search(r"^CPU: %d \(MPIDR 0x%x\) stopped, running ([^:\n]*):\n"
                          r"pc : .*\nlr : .*\nsp : [0-9a-f]{8}  cpsr : [0-9a-f]{8}\n"
                          r"(r\d.*\n)+Call trace:\n( \S+\n)+" % (c, mpidrs[c]), out, re.M)
            check(m, "%s: CPU%d's state is not in the report:\n%s" % (board, c, out))
            check(m.group(1) == ("the console" if c == 0 else "idle"), m.group(0))
        check(out.index("CPU: %d PID" % cpu) < out.index("CPU: 0 (MPIDR"), "order:\n" + out)
        trace = out[out.index("Call trace:"):]
        check(re.search(r"^ secondary_start_kernel\+0x[0-9a-f]+/0x[0-9a-f]+\n"
                        r" secondary_entry\+0x[0-9a-f]+/0x[0-9a-f]+$", trace, re.M),
              "the secondary's backtrace does not end in its entry:\n" + trace)
        check(out.count("---[ end trace ]---") == 1, out)
        t = cpus_table(f.cmd("cpus", prompt="panic: ferret> "))
        check(t[cpu][1] == "online" and
              all(t[c][1] == "stopped" for c in range(n) if c != cpu), "cpus after: %s" % t)
        return out


def test_virt32_crash_on_secondary():
    out = _crash_on_secondary(VIRT, 4, 2, [0, 1, 2, 3])
    check("FAR: 0x00000010" in out and " crash_load+0x" in out, out)


def test_raspi2b_crash_on_secondary():
    out = _crash_on_secondary("raspi2b", 4, 3, [0xf00, 0xf01, 0xf02, 0xf03])
    check("FAR: 0x00000010" in out, out)


def test_virt32_stack_overflow_on_secondary():
    """Core 2's own stacks and guard pages: its boot stack, and its exception
    stack (the check in entry.S finds the core's stack from TPIDRPRW)."""
    for kind, stack in (("overflow", "boot/2"), ("irq-overflow", "exception/2")):
        out = _crash_on_secondary(VIRT, 3, 2, [0, 1, 2], kind)
        check("Kernel stack overflow on CPU 2: the %s stack ran into its guard page\n" % stack
              in out, out[-3000:])


def _ktest_smp(report, board, n=None):
    with Ferret(board=board, smp=n) as f:
        out = f.cmd("ktest smp", timeout=300)
        res = ktap_results(out)
        check(len(res) == 6, "the smp suite's 6 cases:\n" + out)
        for suite, case, ok in res:
            report("%s/smp%s/%s" % (board, n or "", case), ok, out if not ok else "")
        check("# ktest: 1 suites, 0 failed" in out, out)


def test_ktest_smp_virt32(report):
    _ktest_smp(report, VIRT, 4)
    _ktest_smp(report, VIRT, 1)


def test_ktest_smp_raspi2b(report):
    _ktest_smp(report, "raspi2b")


def test_raspi2b_smp_from_dtb():
    """With a DTB (a command line), the cores come from its /cpus as a Pi's
    firmware describes them (enable-method "brcm,bcm2836-smp" on /cpus, reg
    0xf00..0xf03): the mailbox register from the board's local controller."""
    with Ferret(board="raspi2b", append="page_owner=on") as f:
        check("smp: 4 of 4 cores online (from the DTB's /cpus)" in f.boot_log, f.boot_log)
        _cpus(f, "raspi2b", 4, "mailbox", [0xf00, 0xf01, 0xf02, 0xf03])
