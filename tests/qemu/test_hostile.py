# SPDX-License-Identifier: GPL-2.0
"""Hostile input on the console and the command line, on every board: bad boot
options are reported (never cut or acted on half), typed-ahead input that
overflows the buffer loses whole lines only, counts and ranges are bounded and
Ctrl-C stops them, NULL faults, and every message says what really happened."""
import re
import time

from ferret import Ferret, PROMPT, check, qemu_binary

BOARDS = ("qemu-virt", "raspi3b", "qemu-virt32", "raspi2b")
NO_PSCI = ("raspi3b", "raspi2b")      # the Pis: poweroff cannot leave QEMU


def _boot_options(board):
    long_tail = " ".join("x%03d" % i for i in range(120))     # 599 bytes
    append = "page_owner=maybe nosuch=1 semihosting=1 page_owner=on " + long_tail
    with Ferret(board=board, append=append) as f:
        log = f.boot_log
        check("cmdline: 'page_owner=maybe': value is not on or off, ignored" in log, log)
        check("cmdline: 'nosuch=1': unknown option, ignored" in log, log)
        check("cmdline: 'semihosting=1': takes no value, ignored" in log, log)
        m = re.search(r"cmdline: (\d+) bytes, longer than the 511 kept: the last (\d+) words? "
                      r"\((\d+) bytes\) ignored", log)
        check(m is not None, "no report of the cut: " + log)
        check(int(m.group(1)) == len(append), "cut report: " + m.group(0))
        # The kept line ends at a word boundary, and its newline survives.
        line = [l for l in log.splitlines() if l.startswith("command line: ")]
        check(len(line) == 1, "command line printed once, on its own line: %r" % line)
        kept = line[0][len("command line: "):]
        check(len(kept) <= 511 and append.startswith(kept) and
              append[len(kept)] == " ", "kept %r" % kept[-40:])
        check(int(m.group(3)) == len(append) - len(kept), m.group(0))
        # The last word kept is whole: x<nnn>, not a piece of one.
        check(re.fullmatch(r"x\d{3}", kept.split()[-1]) is not None, kept[-20:])
        # The good option was acted on, the bad one was not.
        out = f.cmd("page_owner pfn 0")
        check("page_owner is disabled" not in out, "page_owner=on ignored: " + out)
        if board in NO_PSCI:        # semihosting=1 must not have turned semihosting on
            out = f.cmd("poweroff", timeout=10)
            check("this machine has no PSCI, cannot power off" in out, out)


def test_boot_options_virt():
    _boot_options("qemu-virt")


def test_boot_options_raspi3b():
    _boot_options("raspi3b")


def test_boot_options_virt32():
    _boot_options("qemu-virt32")


def test_boot_options_raspi2b():
    _boot_options("raspi2b")


def _semihosting_flag(board):
    """The bare flag is seen (it never was): poweroff without PSCI leaves QEMU."""
    with Ferret(board=board, append="semihosting", extra=("-semihosting",)) as f:
        check("cmdline:" not in f.boot_log, f.boot_log)
        f.send("poweroff\r")
        check(f.wait_exit(timeout=20), "QEMU did not exit: " + "".join(f.transcript)[-500:])


def test_semihosting_flag_raspi3b():
    _semihosting_flag("raspi3b")


def test_semihosting_flag_raspi2b():
    _semihosting_flag("raspi2b")


def _read_until_quiet(f, quiet=5.0, limit=60):
    """Everything the console prints until it has been quiet for @quiet seconds."""
    import pexpect
    text, end = f.child.buffer, time.time() + limit
    f.child.buffer = ""
    while time.time() < end:
        try:
            text += f.child.read_nonblocking(65536, timeout=quiet)
        except pexpect.TIMEOUT:
            break
    text = text.replace("\r", "")
    f.transcript.append(text)
    return text


def _typeahead(board):
    """More typed ahead than the buffer holds: whole lines go, counted; none spliced."""
    with Ferret(board=board) as f:
        f.send("ticktest 3000\r")
        time.sleep(1.0)         # the command runs for 3 s from now on
        lines = ["echo kept%02d" % i for i in range(40)]     # 12 bytes each with CR: 21 fit
        f.send("".join(l + "\r" for l in lines))
        text = _read_until_quiet(f)
        text += f.cmd("echo final", timeout=30)
        check("console: 19 typed-ahead lines dropped whole" in text, text[-3000:])
        ran = re.findall(r"^kept(\d\d)$", text, re.M)
        check(ran == ["%02d" % i for i in range(21)], "ran %r" % ran)
        check("unknown command" not in text, "a spliced line ran: " + text[-2000:])


def test_typeahead_overflow_virt():
    _typeahead("qemu-virt")


def test_typeahead_overflow_raspi3b():
    _typeahead("raspi3b")


def test_typeahead_overflow_virt32():
    _typeahead("qemu-virt32")


def test_typeahead_overflow_raspi2b():
    _typeahead("raspi2b")


def test_counts_bounded_and_interruptible():
    with Ferret() as f:
        out = f.cmd("bench alloc 0xffffffffffffffff")
        check(out == "bench: n must be 1..100000000\n", out)
        out = f.cmd("alloc 0 0x7fffffffffffffff")
        check(re.fullmatch(r"alloc: count must be 1\.\.\d+ \(the order-0 blocks RAM could "
                           r"hold\)\n", out) is not None, out)
        out = f.cmd("alloc 10 0")
        check(out.startswith("alloc: count must be 1.."), out)
        out = f.cmd("contig free 0x40000 0xffffffffffffffff")
        check("not a range of RAM pages" in out, out)
        out = f.cmd("contig free 0xffffffffffffff00 0x200")
        check("not a range of RAM pages" in out, out)
        # A long count stops at Ctrl-C, with what it did.
        f.send("bench alloc 100000000\r")
        time.sleep(1.5)
        f.send("\x03")
        f.child.expect_exact(PROMPT, timeout=30)
        out = f.child.before.replace("\r", "")
        f.transcript.append(out)
        m = re.search(r"bench: order-0 alloc\+free pair: (\d+) ops", out)
        check(m is not None and 0 < int(m.group(1)) < 100000000, out)
        check("bench: interrupted" in out, out)


def test_bench_says_instructions_not_counted():
    """Without -icount QEMU's PMU counts no instructions: bench says so, never
    "0.00 instructions/op"; under -icount it gives the count."""
    with Ferret() as f:
        for cmd, what in (("bench alloc 2000", "order-0 alloc+free pair: 2000 ops"),
                          ("bench init", "mem_map init:")):
            out = f.cmd(cmd, timeout=60)
            check("bench: %s" % what in out and "instructions not counted (the PMU counts "
                  "none here: QEMU counts them under -icount only)" in out, out)
            check(" 0 instructions" not in out and "0.00 instructions" not in out, out)
    with Ferret(extra=("-icount", "shift=0")) as f:
        out = f.cmd("bench alloc 2000", timeout=120)
        m = re.search(r"pair: 2000 ops, (\d+)\.\d\d instructions/op", out)
        check(m is not None and int(m.group(1)) > 50 and "not counted" not in out, out)


def test_free_messages_say_what_happened():
    with Ferret() as f:
        pfn = int(re.search(r"pfn=0x([0-9a-f]+)", f.cmd("alloc 0")).group(1), 16)
        check(f.cmd("free 0x%x" % pfn) == "", "free")
        out = f.cmd("contig free 0x%x 1" % pfn)
        check("contig: freed 0 of 1 pages at pfn=0x%x; 1 refused: not allocated order-0 "
              "pages\n" % pfn in out, out)
        check("still in use" not in out, out)
        m = re.search(r"allocated 16 pages at pfn=0x([0-9a-f]+)", f.cmd("contig alloc 16"))
        start = int(m.group(1), 16)
        f.cmd("get 0x%x" % start)
        out = f.cmd("contig free 0x%x 16" % start)
        check("contig: freed 15 of 16 pages at pfn=0x%x; 1 still referenced (freed by their "
              "last put)\n" % start in out, out)
        out = f.cmd("put 0x%x" % start)
        check("refcount 0: freed" in out, out)
        check(f.cmd("memtest").endswith("memtest: passed\n"), "memtest")


def test_escape_before_enter():
    with Ferret() as f:
        out = f.cmd("echo one\x1b")
        check(out == "one\n", "ESC before Enter: %r" % out)
        out = f.cmd("echo two\x1bO")
        check(out == "two\n", "ESC O before Enter: %r" % out)
        out = f.cmd("echo abc\x1b[D\x1b[D\x1b[259~")
        check(out == "abc\n", "ESC [ 259 ~ is not Delete: %r" % out)


def _null_faults(board):
    """NULL and the first pages fault on every board, RAM at 0 or not."""
    with Ferret(board=board, expect_crash=True) as f:
        f.send("crash null\r")
        out = f.expect(r"panic: ferret> ", timeout=30)
        if qemu_binary(board) == "qemu-system-arm":     # AArch32: FSR, a 32-bit FAR
            want = ("Internal error: Data abort exception", "FSR: 0x00000", "(translation fault)",
                    "FAR: 0x00000010\n", "read from address 00000010")
        else:
            want = ("Internal error", "EC: 0x25", "FAR: 0x0000000000000010")
        for s in want + ("crash_load+0x", "cmd_crash+0x"):
            check(s in out, "%s: crash null: no %r in:\n%s" % (board, s, out))
        check("did not fault" not in out, out)


def test_null_faults_virt():
    _null_faults("qemu-virt")


def test_null_faults_raspi3b():
    _null_faults("raspi3b")


def test_null_faults_virt32():
    _null_faults("qemu-virt32")


def test_null_faults_raspi2b():      # RAM at 0, as on raspi3b
    _null_faults("raspi2b")


def test_checkpoint_eviction_is_said():
    with Ferret(append="page_owner=on") as f:
        for i in range(16):
            out = f.cmd("checkpoint c%02d" % i)
            check("dropped" not in out, out)
        out = f.cmd("checkpoint c16")
        check("checkpoint: the table holds 16: the oldest, 'c00', was dropped\n" in out, out)
        out = f.cmd("checkpoint c05")           # moved to now: nothing dropped
        check("dropped" not in out and "checkpoint 'c05' at ts" in out, out)
        names = [l.split()[0] for l in f.cmd("checkpoint").splitlines()]
        want = ["c%02d" % i for i in range(1, 17) if i != 5] + ["c05"]
        check(names == want, "table %r" % names)
        out = f.cmd("leaks since c00")
        check("c00" in out, out)


def _tool(name, *args):
    import os
    import subprocess
    from ferret import ROOT
    p = subprocess.run([os.path.join(ROOT, "build", "host", "tools", name)] + list(args),
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    return p.returncode, p.stdout + p.stderr


def _analyse(*args):
    return _tool("analyse", *args)


def test_analyse_refuses_bad_input():
    import tempfile
    rc, out = _analyse("sort", "tests/data")
    check(rc != 0 and "tests/data is a directory, not a capture" in out, out)
    with tempfile.NamedTemporaryFile() as empty:
        rc, out = _analyse("sort", empty.name)
        check(rc != 0 and "is empty: no page_owner records" in out, out)


def test_tools_refuse_a_directory():
    """Every host tool given a directory where a file goes says so, and fails
    (not "Cannot allocate memory", nor a read error later)."""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as cap:
        cap.write("no stream here\n")
        cap.flush()
        for tool, args, what in (("po_decode", ("--elf", "tests", cap.name), "an ELF file"),
                                 ("po_decode", ("tests",), "a capture"),
                                 ("flamegraph", ("tests",), "folded stacks"),
                                 ("monitor", ("--elf", "tests"), "an ELF file")):
            rc, out = _tool(tool, *args)
            check(rc != 0 and "%s: tests is a directory, not %s\n" % (tool, what) in out,
                  "%s %s: rc %d, %r" % (tool, " ".join(args), rc, out))


def test_analyse_map_counts_duplicates_once():
    import os
    import tempfile
    from ferret import ROOT
    src = os.path.join(ROOT, "tests", "data", "page_owner_a.txt")
    text = open(src).read()
    with tempfile.TemporaryDirectory() as d:
        # Inputs named alike: the picture's width follows its title, which names the file.
        src = os.path.join(d, "once.txt")
        with open(src, "w") as f:
            f.write(text)
        dup = os.path.join(d, "dupl.txt")
        with open(dup, "w") as f:
            f.write(text + "\n" + text)
        rc1, once = _analyse("map", src, "-o", os.path.join(d, "a.svg"))
        rc2, twice = _analyse("map", dup, "-o", os.path.join(d, "b.svg"))
        check(rc1 == 0 and rc2 == 0, once + twice)
        a = re.search(r"(\d+) of (\d+) pages allocated", once).groups()
        b = re.search(r"(\d+) of (\d+) pages allocated", twice).groups()
        check(a == b, "pasted twice: %r, once: %r" % (b, a))
        check("claimed by more than one record: each counted once" in twice, twice)
        check(open(os.path.join(d, "a.svg")).read() == open(os.path.join(d, "b.svg")).read()
              .replace(dup, src), "the maps differ")
