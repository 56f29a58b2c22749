# SPDX-License-Identifier: GPL-2.0
"""`make flash`, `make gdb`, `make debug`, `make openocd-check` without the
hardware or with the port taken: one line saying what is missing, quickly,
under /bin/sh as make runs them; and Ctrl-C in `make gdb` stops the target,
not make."""
import re
import socket
import subprocess
import time

import pexpect

from ferret import ROOT, check


def make(*args, timeout=120):
    t0 = time.time()
    p = subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                       text=True, stdin=subprocess.DEVNULL, timeout=timeout)
    return p.returncode, p.stdout + p.stderr, time.time() - t0


def one_line(out, target):
    """The lines a failure printed, without make's own "make: ***" line."""
    lines = [l for l in out.splitlines() if l.startswith("make %s: " % target)]
    check(len(lines) == 1, "want one 'make %s:' line:\n%s" % (target, out))
    check("Error:" not in out and "Open On-Chip Debugger" not in out,
          "OpenOCD's own output leaked:\n" + out)
    return lines[0]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_flash_and_gdb_without_adapter():
    for target in ("flash", "gdb"):
        rc, out, dt = make(target, "BOARD=raspi3b")
        line = one_line(out, target)
        check(rc != 0 and dt < 60, "%s: rc %d after %.0f s" % (target, rc, dt))
        check("no JTAG adapter found (interface/jlink.cfg)" in line and "OPENOCD_ADAPTER=" in line,
              line)
    rc, out, _ = make("flash", "BOARD=raspi3b", "OPENOCD_ADAPTER=interface/no-such-probe.cfg")
    line = one_line(out, "flash")
    check(rc != 0 and "no config 'interface/no-such-probe.cfg'" in line, line)
    rc, out, _ = make("flash")
    line = one_line(out, "flash")
    check(rc != 0 and "BOARD=qemu-virt is not reached over JTAG" in line, line)


def test_openocd_check_passes_without_hardware():
    rc, out, _ = make("openocd-check", "BOARD=raspi3b")
    check(rc == 0 and "ferret: openocd script check passed" in out, out[-2000:])
    check("Open On-Chip Debugger" not in out, "OpenOCD's banner in the output:\n" + out)


def test_gdb_and_debug_with_port_taken():
    port = free_port()
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(1)
    try:
        rc, out, dt = make("gdb", "GDB_PORT=%d" % port)
        line = one_line(out, "gdb")
        check(rc != 0 and dt < 60 and "port %d is in use by something that is not a gdb stub"
              % port in line, line)
        rc, out, _ = make("debug", "GDB_PORT=%d" % port)
        line = one_line(out, "debug")
        check(rc != 0 and "port %d is in use" % port in line and "GDB_PORT=" in line, line)
    finally:
        s.close()


def test_gdb_ctrl_c_stops_the_target_not_make():
    port = free_port()
    g = pexpect.spawn("make", ["--no-print-directory", "gdb", "GDB_PORT=%d" % port], cwd=ROOT,
                      encoding="latin-1", timeout=90, dimensions=(40, 200))
    try:
        g.expect_exact("(gdb) ")
        g.send("continue\r")
        g.expect_exact("Continuing.")
        time.sleep(1)
        g.send("\x03")
        g.expect(r"Program received signal SIGINT|received signal SIGINT")
        g.expect_exact("(gdb) ")
        g.send("info registers pc\r")
        g.expect(r"pc\s+0x[0-9a-f]+")
        g.expect_exact("(gdb) ")
        g.send("quit\r")
        i = g.expect([r"\(y or n\)", pexpect.EOF])
        if i == 0:
            g.send("y\r")
            g.expect(pexpect.EOF)
        out = g.before
    finally:
        g.close(force=True)
    check(g.exitstatus == 0, "make gdb exit %s" % g.exitstatus)
    check(not re.search(r"make: \*\*\*", out), "make reported an error:\n" + out[-1000:])
