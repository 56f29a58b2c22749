# SPDX-License-Identifier: GPL-2.0
"""Drive a ferret console in QEMU the way a user does: type a line, read the reply.

    with Ferret(mem="4G", cpu="cortex-a72", append="page_owner=on") as f:
        out = f.cmd("meminfo")

Every Ferret checks, when it closes, that no crash report was printed (unless
the test said it expects one).
"""
import os
import re
import signal
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT = "ferret> "
CRASH_MARKERS = ("Internal error:", "BUG: spinlock", "Kernel panic")


class FerretError(AssertionError):
    pass


# Boards QEMU models: its system emulator, machine, default CPU and RAM, and
# the image it boots (a Pi's raw image, else the ELF).
BOARDS = {
    "qemu-virt": ("qemu-system-aarch64", "virt", "cortex-a53", "512M", "ferret.elf"),
    "raspi3b": ("qemu-system-aarch64", "raspi3b", None, "1G", "kernel8.img"),
    "qemu-virt32": ("qemu-system-arm", "virt", "cortex-a15", "512M", "ferret.elf"),
    # QEMU loads a raw 32-bit image as a Linux kernel (at 0x10000): the ELF instead
    "raspi2b": ("qemu-system-arm", "raspi2b", None, "1G", "ferret.elf"),
}


def image(board):
    return os.path.join(ROOT, "build", board, BOARDS[board][4])


def qemu_binary(board):
    return BOARDS[board][0]


def qemu_args(board="qemu-virt", mem=None, cpu=None, machine_opts="", append="", extra=(),
              smp=None):
    _, machine, def_cpu, def_mem, _ = BOARDS[board]
    if def_cpu is None:     # a Pi: the machine fixes the CPU and the RAM
        args = ["-M", machine, "-m", mem or def_mem, "-kernel", image(board)]
        if append:      # as `make run APPEND=`: the command line comes in a DTB
            args += ["-dtb", os.path.join(ROOT, "build", board, "qemu.dtb")]
    else:
        machine += "," + machine_opts if machine_opts else ""
        args = ["-M", machine, "-cpu", cpu or def_cpu, "-m", mem or def_mem,
                "-kernel", image(board)]
        if smp:     # cores (a Pi's model always has its four)
            args += ["-smp", str(smp)]
    if append:
        args += ["-append", append]
    # signal=off: a typed Ctrl-C goes to ferret, not to QEMU.
    args += ["-nographic", "-nic", "none", "-monitor", "none",
             "-chardev", "stdio,id=con0,signal=off", "-serial", "chardev:con0"]
    return args + list(extra)


class Ferret:
    def __init__(self, board="qemu-virt", mem=None, cpu=None, machine_opts="", append="",
                 extra=(), boot_timeout=60, expect_crash=False, log=None, smp=None):
        self.args = qemu_args(board, mem, cpu, machine_opts, append, extra, smp)
        self.qemu = qemu_binary(board)
        self.boot_timeout = boot_timeout
        self.expect_crash = expect_crash
        self.transcript = []
        self.log = log
        self.child = None
        self.boot_log = ""

    # -- lifecycle ---------------------------------------------------------
    def start(self):
        # No searchwindowsize: with one, pexpect searches only the last that
        # many characters of a read, and a pattern early in a large read
        # (a whole boot log arriving at once on a loaded machine) is missed.
        # expect_exact() looks back only its string's length anyway.
        self.child = pexpect.spawn(self.qemu, self.args, encoding="latin-1",
                                   codec_errors="replace", timeout=self.boot_timeout,
                                   maxread=65536, searchwindowsize=None,
                                   dimensions=(50, 400))
        self.child.delaybeforesend = None
        try:
            self.child.expect_exact(PROMPT)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            raise FerretError("no prompt after boot (%s); output:\n%s"
                              % (type(e).__name__, self._tail(self.child.before)))
        self.boot_log = self.child.before.replace("\r", "")
        self.transcript.append(self.boot_log)
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        self.close(check=exc_type is None)
        return False

    def close(self, check=True):
        if self.child is None:
            return
        if self.child.isalive():
            self.child.kill(signal.SIGKILL)
        try:
            self.child.close(force=True)
        except Exception:
            pass
        self.child = None
        if check and not self.expect_crash:
            self.assert_no_crash()

    def assert_no_crash(self):
        text = "".join(self.transcript)
        for m in CRASH_MARKERS:
            if m in text:
                i = text.index(m)
                raise FerretError("crash report in console output:\n" + text[max(0, i - 500):i + 3000])

    @staticmethod
    def _tail(s, n=3000):
        s = (s or "").replace("\r", "")
        return s[-n:]

    # -- console -----------------------------------------------------------
    def send(self, data):
        """Send raw characters (no newline added)."""
        self.child.send(data)

    def cmd(self, line, timeout=60, prompt=PROMPT):
        """Type @line and Enter; return the reply without echo, prompt or \\r."""
        self.child.send(line + "\r")
        try:
            self.child.expect_exact(prompt, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            raise FerretError("no prompt after %r (%s); output:\n%s"
                              % (line, type(e).__name__, self._tail(self.child.before)))
        out = self.child.before.replace("\r", "")
        self.transcript.append(out)
        # Drop the echoed command line. What another core printed before
        # the echo (a background command finishing) stays in the reply.
        echo = out.find(line + "\n")
        if echo == 0 or (echo > 0 and out[echo - 1] == "\n"):
            return out[:echo] + out[echo + len(line) + 1:]
        nl = out.find("\n")
        out = out[nl + 1:] if nl >= 0 else ""
        return out

    def expect(self, pattern, timeout=30):
        try:
            self.child.expect(pattern, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            raise FerretError("did not see %r (%s); output:\n%s"
                              % (pattern, type(e).__name__, self._tail(self.child.before)))
        text = self.child.before + (self.child.after if isinstance(self.child.after, str) else "")
        self.transcript.append(text.replace("\r", ""))
        return text.replace("\r", "")

    def wait_exit(self, timeout=20):
        """Wait until QEMU exits (poweroff); return True if it did."""
        try:
            self.child.expect(pexpect.EOF, timeout=timeout)
            self.transcript.append((self.child.before or "").replace("\r", ""))
            return True
        except pexpect.TIMEOUT:
            return False


def check(cond, msg):
    if not cond:
        raise FerretError(msg)


def ktap_results(text):
    """Parse KTAP: return [(suite, case, ok)] for every test case line."""
    res = []
    suite = None
    for line in text.splitlines():
        m = re.match(r"^    # Subtest: (\S+)", line)
        if m:
            suite = m.group(1)
            continue
        m = re.match(r"^    (not )?ok \d+ (\S+)", line)
        if m and suite:
            res.append((suite, m.group(2), m.group(1) is None))
    return res
