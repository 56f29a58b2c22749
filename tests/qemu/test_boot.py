# SPDX-License-Identifier: GPL-2.0
"""Boot every QEMU configuration and use the console as a user would."""
import os
import random
import re
import select
import time

import pexpect

from ferret import Ferret, check, ktap_results, PROMPT

CONFIGS = [
    # (name, kwargs, expected entry EL)
    ("virt_el1_a53_128M", dict(mem="128M", cpu="cortex-a53"), 1),
    ("virt_el2_a72_512M", dict(mem="512M", cpu="cortex-a72", machine_opts="virtualization=on"), 2),
    ("virt_el3_a53_4G", dict(mem="4G", cpu="cortex-a53", machine_opts="secure=on"), 3),
    ("virt_el1_a72_4G", dict(mem="4G", cpu="cortex-a72"), 1),
    ("virt_el1_max_1G", dict(mem="1G", cpu="max"), 1),
    ("virt_el1_a57_gicv3_2G", dict(mem="2G", cpu="cortex-a57", machine_opts="gic-version=3"), 1),
    ("virt_el2_max_gicv3_8G", dict(mem="8G", cpu="max", machine_opts="gic-version=3,virtualization=on"), 2),
    ("virt_el3_a72_gicv3_300M", dict(mem="300M", cpu="cortex-a72", machine_opts="gic-version=3,secure=on"), 3),
]


def _mib(mem):
    return int(mem[:-1]) * (1024 if mem.endswith("G") else 1)


def _boot_checks(f, board, el, mem_mib):
    log = f.boot_log
    check("ferret" in log, "banner does not name ferret:\n" + log)
    check(board in log, "banner does not name the board %s:\n%s" % (board, log))
    check("entered at EL%d" % el in log, "banner does not say EL%d:\n%s" % (el, log))
    m = re.search(r"RAM: (\d+) MiB in", log)
    check(m is not None, "no RAM line:\n" + log)
    check(int(m.group(1)) == mem_mib, "RAM found %s MiB, expected %d" % (m.group(1), mem_mib))
    out = f.cmd("help")
    for c in ("help", "version", "echo", "poweroff", "reboot", "ktest"):
        check(re.search(r"^  %s\b" % c, out, re.M), "help does not list %s:\n%s" % (c, out))
    names = re.findall(r"^  (\S+)", out, re.M)
    check(names == sorted(names), "help is not sorted by name: %s" % names)
    out = f.cmd("version")
    check("ferret" in out and board in out, "version: " + out)
    out = f.cmd("echo hello   world")
    check(out.strip() == "hello world", "echo: %r" % out)


def _make_boot_test(name, kw, el):
    def t():
        with Ferret(**kw) as f:
            _boot_checks(f, "qemu-virt", el, _mib(kw["mem"]))
    t.__name__ = "test_boot_" + name
    return t


for _n, _kw, _el in CONFIGS:
    globals()["test_boot_" + _n] = _make_boot_test(_n, _kw, _el)


def test_boot_raspi3b():
    with Ferret(board="raspi3b") as f:
        log = f.boot_log
        check("raspi3b" in log, "banner: " + log)
        check(re.search(r"entered at EL[123]", log), "no entry EL:\n" + log)
        check(re.search(r"RAM: \d+ MiB in", log), "no RAM line:\n" + log)
        out = f.cmd("help")
        check("ktest" in out, "help: " + out)
        out = f.cmd("poweroff")
        check("cannot power off" in out, "raspi3b poweroff: " + out)


def test_console_errors():
    with Ferret() as f:
        out = f.cmd("frobnicate 1 2")
        check("unknown command 'frobnicate'" in out, out)
        out = f.cmd("ktest no_such_suite")
        check("no suite" in out and "usage: ktest" in out, out)
        out = f.cmd("version extra")
        check("usage: version" in out, out)
        # Ctrl-C cancels a half-typed line; Ctrl-U erases; backspace edits.
        f.send("reboot\x03")
        f.child.expect_exact(PROMPT)
        out = f.cmd("echo abX\x7fc")
        check(out.strip() == "abc", "backspace: %r" % out)
        out = f.cmd("echo zzz\x15echo ok")
        check(out.strip() == "ok", "ctrl-u: %r" % out)
        # An over-long line is refused, not truncated and run.
        out = f.cmd("echo " + "x" * 400)
        check("longer than" in out and "xxxx\n" not in out, "long line: %r" % out[-200:])
        # NUL bytes and escape sequences the editor has no use for are dropped
        # (Page Up, F5: CSI with parameters; ESC x).
        out = f.cmd("ec\x00ho \x1b[5~\x1b[15;2~\x1bxhi")
        check(out.strip() == "hi", "NUL/escape: %r" % out)
        # CR, CR LF and LF each end exactly one line: no stray empty prompts.
        for end in ("\r", "\r\n", "\n"):
            f.send("echo one" + end)
            f.child.expect_exact(PROMPT)
            out = f.cmd("echo two")
            check(out == "two\n", "after %r: %r" % (end, out))


def test_poweroff_psci():
    with Ferret() as f:
        f.send("poweroff\r")
        check(f.wait_exit(20), "QEMU did not exit after poweroff")


def test_poweroff_no_psci():
    with Ferret(machine_opts="secure=on") as f:
        out = f.cmd("poweroff")
        check("no PSCI" in out, "secure=on poweroff: " + out)
        out = f.cmd("reboot")
        check("cannot reboot" in out, "secure=on reboot: " + out)
        out = f.cmd("echo alive")
        check("alive" in out, out)


def test_reboot_psci():
    with Ferret(machine_opts="virtualization=on", cpu="cortex-a72") as f:
        f.send("reboot\r")
        f.expect("Restarting system")
        f.expect(r"entered at EL2", timeout=30)
        f.expect(PROMPT.replace(">", r"\>"), timeout=30)


def test_crash_report_and_panic_console():
    with Ferret(expect_crash=True) as f:
        f.send("crash null\r")
        out = f.expect(r"ferret> ", timeout=30)
        for s in ("Internal error", "ESR: 0x", "EC: 0x25", "FAR: 0x0000000000000010", "ELR: 0x",
                  "SPSR: 0x", "x0 :", "Call trace:", "crash_load+0x", "cmd_crash+0x"):
            check(s in out, "crash report lacks %r:\n%s" % (s, out))
        out = f.cmd("help")
        check("version" in out and "ktest" not in out, "panic help: " + out)
        out = f.cmd("version")
        check("ferret" in out, out)
        out = f.cmd("ktest")
        check("not available in the panic console" in out, out)


def test_garbage_input():
    """256 KiB of random bytes must not crash or wedge the console.

    (Every byte is echoed and edited: a quarter of a megabyte exercises every
    key path many times over and keeps the test under a minute.)"""
    rnd = random.Random(1234)
    data = bytes(rnd.getrandbits(8) for _ in range(1 << 18))
    with Ferret() as f:
        fd = f.child.child_fd
        sent = 0
        deadline = time.time() + 600
        # Write and read at once: ferret echoes, and a full pty in either
        # direction would stall QEMU and the guest with it.
        while sent < len(data):
            check(time.time() < deadline, "garbage: only %d bytes accepted in 600 s" % sent)
            r, w, _ = select.select([fd], [fd], [], 1.0)
            if r:
                try:
                    os.read(fd, 65536)
                except OSError:
                    break
            if w:
                try:
                    sent += os.write(fd, data[sent:sent + 512])
                except BlockingIOError:
                    pass
        check(f.child.isalive(), "QEMU died during the garbage")
        end = time.time() + 10
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.5)
            if not r:
                break
            os.read(fd, 65536)
        f.send("\x03\x15\r")
        f.send("echo SYNC-%d\r" % 4242)
        f.child.expect(r"\nSYNC-4242\r", timeout=60)
        f.child.expect_exact(PROMPT, timeout=60)
        out = f.cmd("help", timeout=60)
        check("version" in out, "help after garbage: %r" % out[-500:])
        f.transcript = []   # the garbage itself may contain anything


def _ktest(report, **kw):
    with Ferret(**kw) as f:
        out = f.cmd("ktest", timeout=300)
        res = ktap_results(out)
        check(res, "ktest printed no KTAP cases:\n" + out)
        check(out.lstrip().startswith("KTAP version 1"), "not KTAP:\n" + out[:300])
        for suite, case, ok in res:
            report("%s/%s" % (suite, case), ok, out if not ok else "")
        check(all(ok for _, _, ok in res), "ktest failures")
        check("# ktest: " in out and ", 0 failed" in out, out[-300:])


def test_ktest(report):
    _ktest(report, mem="512M")


def test_ktest_page_owner_on(report):
    _ktest(report, mem="1G", cpu="cortex-a72", append="page_owner=on")


def test_ktest_raspi3b(report):
    _ktest(report, board="raspi3b")


def test_ctrl_c_aborts_long_command():
    with Ferret(mem="1G") as f:
        f.send("ticktest 60000\r")
        time.sleep(1.0)
        f.send("\x03")
        out = f.expect(r"ferret> ", timeout=20)
        check("interrupted" in out, "ticktest not interrupted:\n" + out)
        f.send("alloc 0 200000\r")
        time.sleep(0.5)
        f.send("\x03")
        out = f.expect(r"ferret> ", timeout=60)
        check("interrupted" in out, "alloc not interrupted:\n" + out[-500:])
        n = len(re.findall(r"pfn=0x", out))
        check(0 < n < 200000, "alloc printed %d blocks" % n)
        out = f.cmd("memtest", timeout=60)
        check("memtest: passed" in out, out)
