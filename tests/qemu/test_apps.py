# SPDX-License-Identifier: GPL-2.0
"""The demo firmware (apps/): runs, stops, and leaks exactly what apps/demo.h says:
sensor floor(N / 7) pages, httpd floor(N / 5) 24-byte structs (48-byte objects)."""
import re
import termios

from ferret import Ferret, check

PAGE_KB = 4
APPS = ("netrx", "blkcache", "httpd", "sensor")


def sensor_leak(iterations):
    """Pages the sensor app leaks in @iterations since boot or its last stop."""
    return iterations // 7


def httpd_leak(iterations):
    """struct httpd_req (24 bytes asked of malloc) httpd leaks in @iterations."""
    return iterations // 5


def meminfo_free(f):
    out = f.cmd("meminfo")
    m = re.search(r"^MemFree:\s+(\d+) kB$", out, re.M)
    check(m, "meminfo:\n" + out)
    return int(m.group(1))


def memtest(f):
    out = f.cmd("memtest", timeout=120)
    check("memtest: passed" in out, "memtest:\n" + out[-3000:])


def app_list(f):
    out = f.cmd("app list")
    rows = {}
    for line in out.splitlines()[1:]:
        m = re.match(r"^(\S+)\s+(-?\d+)\s+service\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), m.group(3), int(m.group(4)), int(m.group(5)))
    check(sorted(rows) == sorted(APPS), "app list:\n" + out)
    return rows


def test_app_list_and_contexts():
    with Ferret() as f:
        rows = app_list(f)
        pids = [rows[a][0] for a in APPS]
        check(len(set(pids)) == len(APPS) and min(pids) > 2,
              "each app has its own context (pids > 2): %r" % rows)
        for a in APPS:
            check(rows[a][1:] == ("stopped", 0, 0), "fresh %s: %r" % (a, rows[a]))
        out = f.cmd("app run netrx 10")
        check(re.search(r"^netrx: 10 iterations, \d+ allocs", out, re.M), out)
        check("app: 10 of 10 iterations" in out, out)
        rows = app_list(f)
        check(rows["netrx"][1:3] == ("paused", 10), "after run: %r" % (rows["netrx"],))
        check(re.search(r"^libcheck\s+\d+\s+program\s+-\s", f.cmd("app list"), re.M),
              "libcheck is a program")
        check(rows["httpd"][1:] == ("stopped", 0, 0), "httpd untouched: %r" % (rows["httpd"],))
        out = f.cmd("app stop netrx")
        check("netrx: stopped after 10 iterations" in out, out)
        check(app_list(f)["netrx"][1:] == ("stopped", 0, 0), "after stop")


def test_app_bad_input():
    with Ferret() as f:
        for line in ("app", "app run", "app run nosuch", "app run netrx x", "app frob",
                     "app stop nosuch", "app run all 99999999999"):
            out = f.cmd(line)
            check("usage:" in out or "no application called" in out or "iterations must be" in out
                  or "error" in out, "%r: %s" % (line, out))
        memtest(f)


def test_app_sensor_leak_exact():
    with Ferret() as f:
        before = meminfo_free(f)
        out = f.cmd("app run sensor 70")
        check("sensor: 70 iterations" in out, out)
        f.cmd("app stop sensor")
        after = meminfo_free(f)
        check(before - after == 10 * PAGE_KB,
              "app run sensor 70 leaked %d kB, expected 40" % (before - after))
        memtest(f)


def test_app_all_leaks_only_sensor_and_httpd():
    """After `app run all N; app stop all` the services hold exactly the two leaks:
    sensor's pages, httpd's structs; stop gives back every page held while paused."""
    with Ferret() as f:
        leaked = objs = 0
        for n in (50, 123, 7):
            out = f.cmd("app run all %d" % n, timeout=120)
            for a in APPS:
                check(re.search(r"^%s: %d iterations, \d+ allocs, \d+ frees, 0 failed" % (a, n),
                                out, re.M), "run all %d:\n%s" % (n, out))
            held = {a: r[3] for a, r in app_list(f).items()}
            check(sum(held.values()) > 0, "apps hold pages while paused")
            out = f.cmd("app stop all")
            freed = dict((m[0], int(m[1])) for m in
                         re.findall(r"^(\S+): stopped after \d+ iterations, freed (\d+) pages",
                                    out, re.M))
            leaked += sensor_leak(n)
            objs += httpd_leak(n)
            check("app: sensor still holds %d pages and 0 heap blocks (0 bytes)" % leaked in out,
                  out)
            check("app: httpd still holds 0 pages and %d heap blocks (%d bytes)"
                  % (objs, objs * 24) in out, out)
            check(out.count("still holds") == 2, out)
            heap = {}
            for line in f.cmd("app heap").splitlines()[1:]:
                m = re.match(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$",
                             line)
                if m:
                    heap[m.group(1)] = tuple(int(x) for x in m.groups()[1:])
            check(heap["httpd"][0] == objs * 24 and heap["httpd"][2] == objs and
                  heap["httpd"][3] == objs * 48, "httpd heap: %r" % (heap["httpd"],))
            check(heap["sensor"][7] == leaked, "sensor pages: %r" % (heap["sensor"],))
            for a in ("netrx", "blkcache"):
                check(heap[a][0] == 0 and heap[a][2] == 0 and heap[a][7] == 0, "%s: %r" % (a, heap[a]))
                check(freed[a] == held[a], "%s: held %d, stop freed %d" % (a, held[a], freed[a]))
        memtest(f)


def test_app_deterministic():
    """The same commands after boot give the same summaries."""
    outs = []
    for _ in range(2):
        with Ferret() as f:
            outs.append(f.cmd("app run all 200", timeout=120))
            memtest(f)
    strip = [re.sub(r"in [\d.]+ ms", "", o) for o in outs]
    check(strip[0] == strip[1], "two boots differ:\n%s\n---\n%s" % tuple(outs))


def deliver_ctrl_c(f):
    """QEMU's `-serial stdio` leaves ISIG on its terminal, so a typed Ctrl-C
    would end QEMU instead of reaching ferret: clear it (termios calls on a
    pty master act on the slave QEMU holds)."""
    fd = f.child.child_fd
    attrs = termios.tcgetattr(fd)
    attrs[3] &= ~termios.ISIG
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def test_app_interrupt():
    with Ferret() as f:
        deliver_ctrl_c(f)
        f.send("app run all 5000000\r")
        f.expect("app run all", timeout=10)
        f.send("\x03")
        out = f.expect(r"app: \d+ of 5000000 iterations in [\d.]+ ms \(interrupted\)",
                       timeout=60)
        f.expect("ferret> ", timeout=10)
        check("interrupted" in out, out)
        f.cmd("app stop all")
        memtest(f)
