# SPDX-License-Identifier: GPL-2.0
"""The console UART's speed: console=ttyAMA0,<baud> on the command line, the DTB's
/chosen/stdout-path options ("serial0:921600n8") and the node's current-speed, the PL011
divisor computed from the UART clock (QEMU ignores it, but keeps the registers, which
`ktest uart` reads back); and capture --baud opening a serial port at that speed."""
import importlib.util
import os
import pty
import re
import subprocess
import tempfile
import termios
import threading
import tty

from ferret import Ferret, check, ktap_results, ROOT

CAPTURE = os.path.join(ROOT, "build", "host", "tools", "capture")


def pi_dtb_module():
    spec = importlib.util.spec_from_file_location(
        "qemu_dtb", os.path.join(ROOT, "soc", "bcm283x", "qemu_dtb.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def pi_dtb(path, stdout_path, current_speed=None):
    """The raspi3b QEMU DTB with another stdout-path (and a current-speed on the UART)."""
    mod = pi_dtb_module()

    def edit(node):
        name, props, children = node
        props = [(n, mod.string(stdout_path) if n == "stdout-path" else v) for n, v in props]
        if name.startswith("serial@") and current_speed is not None:
            props.append(("current-speed", mod.cells(current_speed)))
        return (name, props, [edit(c) for c in children])

    with open(path, "wb") as f:
        f.write(mod.build(edit(mod.TREE)))


def uart_line(log):
    m = re.search(r"uart: pl011 at 0x[0-9a-f]+, (\d+) baud 8N1 \(from ([^)]*)\), "
                  r"UARTCLK (\d+) Hz \(from ([^)]*)\), IBRD (\d+) FBRD (\d+)", log)
    check(m, "no uart line in the boot log:\n" + log)
    return m.group(1, 2, 3, 4, 5, 6)


def ktest_uart(f, want):
    """`ktest uart` passes and reads back the registers @want (baud, clock, IBRD, FBRD)."""
    out = f.cmd("ktest uart", timeout=60)
    res = ktap_results(out)
    check(len(res) == 3 and all(ok for _, _, ok in res), "ktest uart:\n" + out)
    check("# console: %s baud, UARTCLK %s Hz, IBRD %s FBRD %s" % want in out,
          "registers: want %s\n%s" % (want, out))


def test_uart_baud_from_command_line():
    """virt (24 MHz): 921600 from console=; too fast or malformed rates are refused."""
    with Ferret(append="console=ttyAMA0,921600n8") as f:
        check(uart_line(f.boot_log) ==
              ("921600", "the command line", "24000000", "the DTB", "1", "40"), f.boot_log)
        check("uart: switching to 921600 baud" in f.boot_log, f.boot_log)
        ktest_uart(f, ("921600", "24000000", "1", "40"))
    with Ferret(append="console=ttyAMA0,3000000") as f:
        check("uart: 3000000 baud cannot be made from the 24000000 Hz UART clock (at most "
              "1500000): staying at 115200" in f.boot_log, f.boot_log)
        ktest_uart(f, ("115200", "24000000", "13", "1"))
    with Ferret(append="console=ttyAMA0,9600e7") as f:
        check("cmdline: 'console=ttyAMA0,9600e7': only no parity ('n') is supported: "
              "ignored" in f.boot_log, f.boot_log)
        check(uart_line(f.boot_log)[:2] == ("115200", "the default"), f.boot_log)
    with Ferret(append="console=ttyS0,9600") as f:
        check("cmdline: 'console=ttyS0,9600': the console is ttyAMA0: ignored" in f.boot_log,
              f.boot_log)
        ktest_uart(f, ("115200", "24000000", "13", "1"))


def test_uart_baud_from_dtb():
    """raspi3b (48 MHz from the DTB's clock): stdout-path options, then current-speed,
    and console= over both; a stdout-path naming no PL011 is reported."""
    with Ferret(board="raspi3b", append="page_owner=on") as f:   # the default DTB
        check(uart_line(f.boot_log) == ("115200", "/chosen/stdout-path", "48000000",
                                        "the DTB", "26", "3"), f.boot_log)
        check("switching" not in f.boot_log, "no switch to the same speed:\n" + f.boot_log)
    with tempfile.TemporaryDirectory() as d:
        dtb = os.path.join(d, "pi.dtb")
        img = os.path.join(ROOT, "build", "raspi3b", "kernel8.img")
        cases = [
            ("serial0:3000000n8", None, "", ("3000000", "/chosen/stdout-path", "1", "0")),
            ("serial0", 921600, "", ("921600", "current-speed", "3", "16")),
            ("serial0:3000000", 921600, "console=ttyAMA0,230400",
             ("230400", "the command line", "13", "1")),
        ]
        for stdout_path, speed, append, (baud, src, ibrd, fbrd) in cases:
            pi_dtb(dtb, stdout_path, speed)
            with Ferret(board="raspi3b", extra=["-dtb", dtb, "-append", append]) as f:
                check(uart_line(f.boot_log) == (baud, src, "48000000", "the DTB", ibrd, fbrd),
                      "%s %s %s:\n%s" % (stdout_path, speed, append, f.boot_log))
                ktest_uart(f, (baud, "48000000", ibrd, fbrd))
        pi_dtb(dtb, "/soc:921600")
        with Ferret(board="raspi3b", extra=["-dtb", dtb, "-append", ""]) as f:
            check("uart: /chosen/stdout-path '/soc' is not a PL011 (the console is the "
                  "board's): its settings are ignored" in f.boot_log, f.boot_log)
            check(uart_line(f.boot_log) == ("115200", "the default", "48000000", "the board",
                                            "26", "3"), f.boot_log)
        pi_dtb(dtb, "serial0:9600x")
        with Ferret(board="raspi3b", extra=["-dtb", dtb, "-append", ""]) as f:
            check("uart: stdout-path options '9600x': after the baud rate come parity n "
                  "and 8 bits: ignored" in f.boot_log, f.boot_log)


def fake_target(master, seen):
    """Answer capture on a pty as ferret would: a prompt, the echo, a reply."""
    buf = b""
    os.write(master, b"ferret> ")
    while True:
        try:
            data = os.read(master, 256)
        except OSError:
            return
        if not data:
            return
        buf += data
        while b"\r" in buf:
            line, buf = buf.split(b"\r", 1)
            line = line.lstrip(b"\x03\x15")      # capture clears a half-typed line first
            if not line:
                os.write(master, b"\r\nferret> ")
                continue
            seen.append((line, termios.tcgetattr(master)[4:6]))
            os.write(master, line + b"\r\nbaud check\r\nferret> ")


def test_capture_follows_baud():
    """capture --baud N[n8] sets the port to N (a pty stands in for the board's port);
    rates a port cannot take and malformed ones are refused."""
    for arg, speed in (("921600", termios.B921600), ("3000000n8", termios.B3000000),
                       ("115200", termios.B115200)):
        master, slave = pty.openpty()
        tty.setraw(slave)
        seen = []
        th = threading.Thread(target=fake_target, args=(master, seen), daemon=True)
        th.start()
        p = subprocess.run([CAPTURE, "--quiet", "--timeout", "10", "--port",
                            os.ttyname(slave), "--baud", arg, "echo x"], capture_output=True,
                           text=True, timeout=60)
        os.close(slave)
        os.close(master)
        check(p.returncode == 0 and p.stdout == "baud check\n",
              "capture --baud %s: exit %d\n%s%s" % (arg, p.returncode, p.stdout, p.stderr))
        check(seen and seen[0][0] == b"echo x" and seen[0][1] == [speed, speed],
              "--baud %s: the port was at %s, want %s" % (arg, seen[:1], speed))
    for arg, why in (("12345", "unsupported baud rate 12345"), ("9x6", "--baud '9x6'"),
                     ("921600e7", "--baud '921600e7'")):
        p = subprocess.run([CAPTURE, "--port", "/dev/null", "--baud", arg, "echo"],
                           capture_output=True, text=True, timeout=30)
        check(p.returncode != 0 and why in p.stderr, "--baud %s: %s" % (arg, p.stderr))
