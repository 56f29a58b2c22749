# SPDX-License-Identifier: GPL-2.0
"""The console as a user meets it, driven through QEMU's serial line: the
editing keys in both their `ESC [` and `ESC O` forms, history, Tab
completion, every command's manual, and the banner's hint."""
import re

from ferret import Ferret, PROMPT, check

UP, DOWN, RIGHT, LEFT = "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D"
SS3_UP, SS3_RIGHT, SS3_LEFT = "\x1bOA", "\x1bOC", "\x1bOD"
HOME, END, SS3_HOME, SS3_END = "\x1b[H", "\x1b[F", "\x1bOH", "\x1bOF"
VT_HOME, VT_END, DELETE = "\x1b[1~", "\x1b[4~", "\x1b[3~"
CTRL_A, CTRL_E, CTRL_W, CTRL_U = "\x01", "\x05", "\x17", "\x15"


def render(text):
    """What a terminal shows of @text's last row: '\\b' moves left, others overwrite."""
    row, col = [], 0
    for ch in text.split("\n")[-1]:
        if ch == "\b":
            col = max(col - 1, 0)
        elif ch == "\r":
            col = 0
        else:
            if col < len(row):
                row[col] = ch
            else:
                row.append(ch)
            col += 1
    return "".join(row).rstrip()


def typed(f, keys, prompt=PROMPT):
    """Type @keys and Enter; return (the line as the terminal shows it, the reply)."""
    f.send(keys + "\r")
    f.child.expect_exact(prompt, timeout=30)
    out = f.child.before.replace("\r", "")
    f.transcript.append(out)
    nl = out.find("\n")
    return render(prompt + out[:nl]), out[nl + 1:]


def test_console_editing_keys():
    with Ferret() as f:
        cases = [
            # keys, what the line shows, what echo prints
            ("world" + HOME + "echo hello " + END + "!", "echo hello world!"),
            ("world" + SS3_HOME + "echo hello " + SS3_END + "!", "echo hello world!"),
            ("world" + VT_HOME + "echo hello " + VT_END + "!", "echo hello world!"),
            ("world" + CTRL_A + "echo hello " + CTRL_E + "!", "echo hello world!"),
            ("echo wrld" + LEFT * 3 + "o", "echo world"),
            ("echo wrld" + SS3_LEFT * 3 + "o" + SS3_RIGHT * 3 + "s", "echo worlds"),
            ("echo abXc" + LEFT * 2 + DELETE, "echo abc"),
            ("echo one two three" + CTRL_W + CTRL_W + "four", "echo one four"),
            ("reboot" + CTRL_U + "echo erased", "echo erased"),
        ]
        for keys, line in cases:
            shown, out = typed(f, keys)
            check(shown == PROMPT + line, "%r: the line shows %r" % (keys, shown))
            check(out == line[5:] + "\n", "%r: ran %r" % (keys, out))


def test_console_history():
    with Ferret() as f:
        f.cmd("echo first")
        f.cmd("echo second")
        shown, out = typed(f, UP)
        check(out == "second\n" and shown == PROMPT + "echo second", "up: %r %r" % (shown, out))
        shown, out = typed(f, SS3_UP + SS3_UP)      # "echo second" once in history
        check(out == "first\n", "ESC O A twice: %r" % out)
        shown, out = typed(f, "draft" + UP + UP + DOWN + DOWN)
        check(out.startswith("unknown command 'draft'"), "down back to the draft: %r" % out)
        # A recalled line edited: the end changed, then run.
        shown, out = typed(f, "\x1b[A" * 2 + "\x7f" * 5 + "edited")
        check(out == "edited\n", "edited recall: %r (%r)" % (out, shown))


def test_console_completion():
    with Ferret() as f:
        # A unique command: completed with a space; then its subcommand.
        shown, out = typed(f, "pagety\t")
        check(shown == PROMPT + "pagetypeinfo", "command: %r" % shown)
        check("Free pages count per migrate type" in out, "pagetypeinfo ran: %r" % out[:200])
        shown, out = typed(f, "ap\tli\t")
        check(shown == PROMPT + "app list", "subcommand: %r" % shown)
        check("sensor" in out, "app list ran: %r" % out[:200])
        # An option's value: "--f" to "--format=", then a value.
        shown, out = typed(f, "page_owner_stacks --f\tfo\t")
        check(shown == PROMPT + "page_owner_stacks --format=folded", "value: %r" % shown)
        check("page_owner is off" in out, out)
        # Ambiguous: the common prefix, then a second Tab lists the choices and
        # draws the line again.
        f.send("pag\t")
        f.child.expect_exact("page")
        f.send("\t")
        f.child.expect(r"page_owner\s+page_owner_stacks\s+pagetypeinfo")
        f.child.expect_exact(PROMPT + "page")
        shown, out = typed(f, "_owner_s\t5", prompt=PROMPT)
        shown = render(PROMPT + "page" + shown[len(PROMPT):])
        check(shown == PROMPT + "page_owner_stacks 5", "after listing: %r" % shown)
        # help's argument completes to a command name.
        shown, out = typed(f, "help che\t")
        check(shown == PROMPT + "help checkpoint", "help arg: %r" % shown)
        check(out.startswith("usage: checkpoint"), out)


def help_list(f):
    out = f.cmd("help")
    cmds = [m.group(1) for m in re.finditer(r"^  (\w+)", out, re.M)]
    check(len(cmds) > 20 and "leaks" in cmds, "help list: " + out)
    check("'help <command>' or '<command> --help'" in out, "help's last lines: " + out[-300:])
    return cmds


def test_help_every_command():
    with Ferret() as f:
        check(re.search(r"^Type 'help' for commands, 'help <command>' for one; leave with "
                        r"'poweroff' \(in QEMU also Ctrl-A X\)\.$", f.boot_log, re.M),
              "banner hint: " + f.boot_log[-400:])
        cmds = help_list(f)
        for c in cmds:
            manual = f.cmd("help " + c)
            check(f.cmd(c + " --help") == manual, "%s --help differs from help %s" % (c, c))
            check(manual.startswith("usage: " + c), "%s: %r" % (c, manual[:200]))
            check("\narguments and options:\n  " in manual, "%s: no options: %r" % (c, manual))
            m = re.search(r"\nexamples?:\n((?:  .+\n)+)", manual)
            check(m, "%s: no example: %r" % (c, manual))
            for ex in m.group(1).splitlines():
                check(ex.split()[0] in cmds, "%s: example %r runs no command" % (c, ex))
            check(any(ex.split()[0] == c for ex in m.group(1).splitlines()),
                  "%s: no example of itself: %r" % (c, m.group(1)))
        # Values of options are spelled out.
        check("--format=text|pprof|folded" in f.cmd("help leaks"), "leaks formats")
        check("--format=pprof|folded" in f.cmd("page_owner_stacks --help"), "stacks formats")
        for kind in ("null", "undef", "brk", "unmapped", "zonelock"):
            check(re.search(r"^  %s\s+\S" % kind, f.cmd("crash --help"), re.M), "crash " + kind)
        out = f.cmd("help nosuch")
        check("no command 'nosuch'" in out, out)
        # A bad argument points at the manual.
        out = f.cmd("alloc x")
        check("'alloc --help' explains every option" in out, out)


def test_help_in_panic_console():
    prompt = "panic: ferret> "
    with Ferret(expect_crash=True) as f:
        f.send("crash\r")
        f.expect(re.escape(prompt), timeout=30)
        out = f.cmd("help leaks", prompt=prompt)
        check(out.startswith("usage: leaks") and "not available" not in out, out)
        out = f.cmd("alloc --help", prompt=prompt)
        check("not available in the panic console" in out, out)
        shown, out = typed(f, "memt\t", prompt)
        check(shown == prompt + "memtest" and "memtest: passed" in out, "%r %r" % (shown, out))

