# SPDX-License-Identifier: GPL-2.0
"""Memory protections: W^X, and a guard page below the boot stack, on every board (the
AArch32 boards' stack overflows are in test_arm32).

The kernel's text is read-only, its read-only data too, and nothing else executes.

`crash text|rodata|exec` stores into the text, stores into read-only data and jumps into a
data array; each must end in a crash report naming the permission fault at the right address
(and the panic console), on every board. Static keys still patch the text (through its
writable alias): page_owner=on turns them on, and the KTAP suite of jump_label checks them.
"""
import re

from ferret import Ferret, check, qemu_binary

CASES = {
    "text": (r"EC: 0x25 \(DABT", r"Unable to handle kernel write to read-only address ([0-9a-f]{16})",
             r"crash_store\+0x"),
    "rodata": (r"EC: 0x25 \(DABT", r"Unable to handle kernel write to read-only address ([0-9a-f]{16})",
               r"crash_store\+0x"),
    "exec": (r"EC: 0x21 \(IABT", r"Unable to handle kernel execute from non-executable memory at "
             r"virtual address ([0-9a-f]{16})", r"cmd_crash\+0x"),
}


# AArch32 reports the fault status (FSR) and a 32-bit address instead.
CASES32 = {
    "text": (r"Data abort exception\nFSR: 0x00000a0f \(permission fault\)",
             r"Unable to handle kernel write to read-only address ([0-9a-f]{8})", r"crash_store\+0x"),
    "rodata": (r"Data abort exception\nFSR: 0x00000a0f \(permission fault\)",
               r"Unable to handle kernel write to read-only address ([0-9a-f]{8})",
               r"crash_store\+0x"),
    "exec": (r"Prefetch abort exception\nFSR: 0x0000020f \(permission fault\)",
             r"Unable to handle kernel execute from non-executable memory at "
             r"virtual address ([0-9a-f]{8})", r"cmd_crash\+0x"),
}


def _wx(board, mem=None):
    arm32 = qemu_binary(board) == "qemu-system-arm"
    for kind, (ec, msg, frame) in (CASES32 if arm32 else CASES).items():
        with Ferret(board=board, mem=mem, expect_crash=True) as f:
            f.send("crash %s\r" % kind)
            out = f.expect(r"ferret> ", timeout=30)
            check(re.search(ec, out), "%s: no %s in:\n%s" % (kind, ec, out))
            m = re.search(msg, out)
            check(m, "%s: no %r in:\n%s" % (kind, msg, out))
            far = re.search(r"FAR: 0x([0-9a-f]{%d})" % (8 if arm32 else 16), out).group(1)
            check(m.group(1) == far, "%s: message and FAR differ:\n%s" % (kind, out))
            check(re.search(frame, out), "%s: no %s frame:\n%s" % (kind, frame, out))
            check("did not fault" not in out, out)


def test_wx_virt():
    _wx("qemu-virt")


def test_wx_raspi3b():
    _wx("raspi3b")


def test_wx_virt32():
    _wx("qemu-virt32")


def test_wx_raspi2b():
    _wx("raspi2b")


def test_static_keys_patch_read_only_text():
    with Ferret(append="page_owner=on") as f:
        out = f.cmd("ktest jump_label page_owner", timeout=120)
        check(re.search(r"^ok \d+ jump_label$", out, re.M) and
              re.search(r"^ok \d+ page_owner$", out, re.M), out)
        check("not ok" not in out, out)


def _overflow(board):
    for kind, stack in (("overflow", "boot"), ("irq-overflow", "exception")):
        with Ferret(board=board, expect_crash=True) as f:
            f.send("crash %s\r" % kind)
            out = f.expect(r"ferret> ", timeout=60)
            check("Kernel stack overflow on CPU 0: the %s stack ran into its guard page" % stack
                  in out, out[-3000:])
            check(re.search(r"^pc : crash_recurse", out, re.M), out[-3000:])
            check("came back" not in out, out[-3000:])
            check("ferret" in f.cmd("version"), "the panic console does not answer")


def test_stack_overflow_virt():
    _overflow("qemu-virt")


def test_stack_overflow_raspi3b():
    _overflow("raspi3b")
