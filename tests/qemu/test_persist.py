# SPDX-License-Identifier: GPL-2.0
"""Owner data that survives a warm reset (docs/PERSIST.md).

QEMU keeps RAM across a reset (PSCI SYSTEM_RESET on virt, the PM watchdog on
raspi3b) and reloads only the image, so the demo firmware's leaks can be found
from the next boot: run it, end the boot by a crash (panic=1 resets a second
later), a hang the watchdog catches, or `reboot`, and `leaks --previous` in the
next boot must name the leaking stacks with the exact counts the leaking boot
would have printed. A cold boot finds nothing and says so; persist=off keeps
nothing.
"""
import json
import os
import re
import socket
import tempfile
import time

from ferret import Ferret, check
from test_leaks import leaks_text, object_stacks

SENSOR = ("sensor_iterate", "sensor_log_append", "sensor_ring_grow")
HTTPD = ("httpd_iterate", "httpd_parse_request", "httpd_req_alloc")


def next_boot(f, timeout=60):
    """Wait for the reset and the next boot's prompt; return its boot log."""
    text = f.expect(r"persist: [^\n]*\n", timeout=timeout)
    f.child.expect_exact("ferret> ", timeout=timeout)
    return text + f.child.before.replace("\r", "")


def check_sensor_leak(out, pages):
    stacks, summary = leaks_text(out)
    check(len(stacks) == 1, "one page stack expected:\n" + out)
    check(stacks[0][:2] == (pages, pages), "%d pages expected:\n%s" % (pages, out))
    check(tuple(reversed(stacks[0][3][:3])) == SENSOR, "the sensor's stack expected:\n" + out)


def test_crash_then_panic_reset_keeps_leaks():
    n = 91      # 13 pages and 18 objects leak
    with Ferret(append="slab_owner=on panic=1", expect_crash=True) as f:
        check("cold boot: no anchor" in f.boot_log, "a fresh QEMU is a cold boot:\n" + f.boot_log)
        f.cmd("checkpoint before")
        f.cmd("app run all %d" % n, timeout=120)
        f.cmd("app stop all")
        live = f.cmd("leaks")
        f.send("crash null\r")
        f.expect("Rebooting in 1 seconds", timeout=30)
        boot = next_boot(f)
        check(re.search(r"persist: previous boot 1 \(.*ended by crash, reset by panic= at", boot),
              "the next boot finds the crashed one:\n" + boot)
        prev = f.cmd("leaks --previous")
        check(prev == live, "leaks --previous differs from the crashed boot's leaks:\n%s\n---\n%s"
              % (live, prev))
        check_sensor_leak(prev, n // 7)
        objs = object_stacks(prev)
        check(len(objs) == 1 and objs[0][:2] == (48 * (n // 5), n // 5) and
              tuple(reversed(objs[0][3][:3])) == HTTPD, "the httpd objects:\n" + prev)
        check("since checkpoint 'before'" in f.cmd("leaks --previous since before"),
              "the previous boot's checkpoints")
        check("had no checkpoint called 'x'" in f.cmd("leaks --previous since x"), "bad name")
        log = f.cmd("dmesg --previous")
        check("Internal error: Synchronous exception" in log and "crash_load+" in log and
              "Rebooting in 1 seconds" in log, "the crash report is in the kept log:\n" + log)
        status = f.cmd("previous")
        check("ended by crash, reset by panic=" in status and "owner data:    kept, checked"
              in status and "objects:       %d live" % 0 not in status, status)
        # This boot's own report knows nothing of the previous one.
        check("sensor_ring_grow" not in f.cmd("leaks"), "a new boot starts empty")
        mb = f.cmd("memblock")
        check("prev page_ext" in mb and "prev depot" in mb, "kept memory is reserved:\n" + mb)
        total = lambda: int(re.search(r"MemTotal:\s+(\d+) kB", f.cmd("meminfo")).group(1))
        before = total()
        out = f.cmd("previous clear")
        m = re.search(r"dropped, (\d+) KiB given back to the page allocator", out)
        check(m and int(m.group(1)) > 4096, out)
        check(total() - before == int(m.group(1)), "MemTotal grows by what was given back")
        check("memtest: passed" in f.cmd("memtest", timeout=120), "memtest after previous clear")
        check("prev page_ext" not in f.cmd("memblock"), "no longer reserved")
        check("cleared" in f.cmd("leaks --previous"), "cleared means gone")


def test_watchdog_hang_keeps_leaks():
    n = 84      # 12 pages
    with Ferret(append="page_owner=on watchdog=2 panic=1", expect_crash=True) as f:
        check("watchdog: a hang of 2 s" in f.boot_log, f.boot_log)
        f.cmd("checkpoint c")
        f.cmd("app run sensor %d" % n, timeout=120)
        f.cmd("app stop sensor")
        f.send("crash hang\r")
        report = f.expect("Rebooting in 1 seconds", timeout=30)
        check("watchdog: BUG: soft lockup - CPU#0 stuck for" in report and
              "cmd_crash+" in report, "the watchdog's report:\n" + report)
        boot = next_boot(f)
        check("ended by watchdog, reset by panic=" in boot, boot)
        check_sensor_leak(f.cmd("leaks --previous"), n // 7)
        check("soft lockup" in f.cmd("dmesg --previous"), "the report is kept")


def test_reboot_keeps_page_owner_raspi3b():
    n = 63      # 9 pages
    with Ferret(board="raspi3b", append="page_owner=on", expect_crash=True) as f:
        f.cmd("checkpoint c")
        f.cmd("app run sensor %d" % n, timeout=120)
        f.cmd("app stop sensor")
        dump = f.cmd("page_owner", timeout=120)
        stacks = f.cmd("page_owner_stacks")
        f.send("reboot\r")
        boot = next_boot(f)
        check("ended by reboot" in boot, boot)
        check_sensor_leak(f.cmd("leaks --previous"), n // 7)
        prev_dump = f.cmd("page_owner --previous", timeout=120)
        check(prev_dump == dump, "page_owner --previous differs from the dump before reboot")
        check(f.cmd("page_owner_stacks --previous") == stacks, "page_owner_stacks --previous")


def test_cold_boot_and_persist_off():
    with Ferret(append="page_owner=on persist=off", expect_crash=True) as f:
        check("persist: off" in f.boot_log, f.boot_log)
        check("persist=off" in f.cmd("previous"), "previous says keeping is off")
        f.send("reboot\r")
        boot = next_boot(f)
        check("persist: off" in boot, boot)
    with Ferret(append="page_owner=on") as f:
        check("persist: no previous boot (cold boot: no anchor)" in f.boot_log, f.boot_log)
        out = f.cmd("leaks --previous")
        check("no owner data kept: no previous boot" in out, out)
        check("no log of a previous boot" in f.cmd("dmesg --previous"), "dmesg --previous")
        check("none kept" in f.cmd("previous"), "previous")


def test_bad_options():
    with Ferret(append="panic=soon watchdog=-1 persist=maybe") as f:
        for word in ("'panic=soon'", "'watchdog=-1'", "'persist=maybe'"):
            check(word in f.boot_log, "%s reported:\n%s" % (word, f.boot_log))


class Qmp:
    """QEMU's machine protocol on a unix socket: the board's reset button."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(100):
            try:
                self.sock.connect(path)
                break
            except OSError:
                time.sleep(0.05)
        self.f = self.sock.makefile("rw")
        self.f.readline()                       # the greeting
        self.call("qmp_capabilities")

    def call(self, cmd):
        self.f.write(json.dumps({"execute": cmd}) + "\n")
        self.f.flush()
        while True:
            reply = json.loads(self.f.readline())
            if "return" in reply or "error" in reply:
                return reply

    def close(self):
        self.sock.close()


def qmp_args(tmp):
    path = os.path.join(tmp, "qmp.sock")
    return path, ["-qmp", "unix:%s,server=on,wait=off" % path]


def test_reset_button_after_crash_keeps_panic_console_output():
    """panic=0: nobody resets but a human; what the panic console printed is kept too."""
    with tempfile.TemporaryDirectory() as tmp:
        path, extra = qmp_args(tmp)
        with Ferret(append="page_owner=on", extra=extra, expect_crash=True) as f:
            q = Qmp(path)
            f.cmd("checkpoint c")
            f.cmd("app run sensor 70", timeout=120)
            f.cmd("app stop sensor")
            f.send("crash undef\r")
            f.child.expect_exact("panic: ferret> ", timeout=30)
            f.cmd("echo typed-after-the-crash", prompt="panic: ferret> ")
            q.call("system_reset")
            boot = next_boot(f)
            q.close()
            check("ended by crash at" in boot and "reset by panic=" not in boot, boot)
            check_sensor_leak(f.cmd("leaks --previous"), 10)
            log = f.cmd("dmesg --previous")
            check("Internal error" in log and "entering the panic console" in log and
                  "typed-after-the-crash" in log,
                  "the panic console's output is in the kept log:\n" + log)


def test_reset_button_while_running_is_not_trusted():
    with tempfile.TemporaryDirectory() as tmp:
        path, extra = qmp_args(tmp)
        with Ferret(append="page_owner=on", extra=extra) as f:
            q = Qmp(path)
            f.cmd("app run sensor 70", timeout=120)
            q.call("system_reset")
            boot = next_boot(f)
            q.close()
            check("persist: boot 1 was not sealed (it ended without a reset ferret saw): "
                  "previous boot dropped" in boot, boot)
            check("not sealed" in f.cmd("leaks --previous"), "nothing to show")
