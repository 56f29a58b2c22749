# SPDX-License-Identifier: GPL-2.0
"""tools/monitor: an interactive terminal to ferret in QEMU that decodes the
code addresses of a crash report into function (file:line), checked against
binutils' addr2line, and saves the session."""
import os
import re
import subprocess
import tempfile

import pexpect

from ferret import ROOT, check, image

MONITOR = os.path.join(ROOT, "build", "host", "tools", "monitor")
ELF = image("qemu-virt")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def symbols():
    out = subprocess.run(["aarch64-linux-gnu-nm", ELF], capture_output=True, text=True,
                         check=True).stdout
    return {m.group(2): int(m.group(1), 16)
            for m in re.finditer(r"^([0-9a-f]+) [tTW] (\S+)$", out, re.M)}


def addr2line(addr):
    out = subprocess.run(["aarch64-linux-gnu-addr2line", "-e", ELF, "%#x" % addr],
                         capture_output=True, text=True, check=True).stdout.strip()
    path, line = out.rsplit(":", 1)
    return os.path.relpath(path, ROOT) if os.path.isabs(path) else path, int(line.split()[0])


def spawn(*args):
    env = dict(os.environ, TERM="xterm")
    return pexpect.spawn(MONITOR, list(args), cwd=ROOT, env=env, encoding="latin-1",
                         timeout=60, dimensions=(50, 200))


def test_monitor_decodes_crash_report():
    syms = symbols()
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "session.log")
        m = spawn("-o", log)
        try:
            m.expect_exact("ferret> ")
            m.send("crash\r")
            m.expect_exact("panic: ferret> ")
            screen = ANSI.sub("", m.before.replace("\r", ""))
            m.send("\x1d")                      # Ctrl-] leaves
            m.expect(pexpect.EOF)
        finally:
            m.close(force=True)
        check(m.exitstatus == 0, "monitor exit status %s" % m.exitstatus)
        with open(log) as fh:
            saved = fh.read()
    frames = re.search(r"Call trace:\n(.*?)---\[ end trace \]---", screen, re.S)
    check(frames, "no call trace:\n" + screen[-2000:])
    lines = frames.group(1).splitlines()
    decoded = 0
    for i, l in enumerate(lines):
        m = re.match(r"^ (\w+)\+0x([0-9a-f]+)/0x[0-9a-f]+$", l)
        if not m:
            continue
        # The line beneath each frame decodes it; a return address at its call.
        want_file, want_line = addr2line(syms[m.group(1)] + int(m.group(2), 16) - 1)
        want = "  %s -> %s (%s:%d)" % (l.strip(), m.group(1), want_file, want_line)
        check(i + 1 < len(lines) and lines[i + 1] == want,
              "frame %r decoded as %r, want %r" % (l, lines[i + 1:i + 2], want))
        decoded += 1
    check(decoded >= 4, "only %d frames decoded:\n%s" % (decoded, frames.group(0)))
    check("console_run (kernel/console.c:" in screen, "noreturn frame not decoded")
    # The ELR is a pc: decoded exactly, in the function that faulted.
    elr = int(re.search(r"^ELR: 0x([0-9a-f]+)$", screen, re.M).group(1), 16)
    f, n = addr2line(elr)
    check("  0x%016x -> crash_load (%s:%d)" % (elr, f, n) in screen, "ELR not decoded")
    # Data addresses are not decoded: the FAR (0x10) has no line.
    check("0x0000000000000010 ->" not in screen, "FAR decoded")
    # The session file holds the same text and decodes, without '\r' or colour.
    check("\r" not in saved and "\x1b" not in saved, "raw bytes in the log")
    check(frames.group(0) in saved, "the log lacks the decoded call trace")


def test_monitor_no_decode_and_errors():
    m = spawn("--no-decode")
    try:
        m.expect_exact("ferret> ")
        m.send("crash\r")
        m.expect_exact("panic: ferret> ")
        check(" -> " not in m.before, "--no-decode decoded")
        m.send("\x1d")
        m.expect(pexpect.EOF)
    finally:
        m.close(force=True)
    p = subprocess.run([MONITOR, "--elf", "/nonexistent.elf"], capture_output=True, text=True,
                       timeout=30)
    check(p.returncode == 1 and "cannot read /nonexistent.elf" in p.stderr, p.stderr)
    # QEMU ending (poweroff) ends the monitor with a message.
    m = spawn()
    try:
        m.expect_exact("ferret> ")
        m.send("poweroff\r")
        m.expect_exact("monitor: QEMU exited")
        m.expect(pexpect.EOF)
    finally:
        m.close(force=True)
    check(m.exitstatus == 0, "exit status after poweroff: %s" % m.exitstatus)
