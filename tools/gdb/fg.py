#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run a command as the terminal's foreground process group, then give the
terminal back: `make gdb` runs gdb this way, so Ctrl-C reaches gdb (which
stops the target) and not make, and the session does not end in a make error.

    fg.py COMMAND [ARG...]    exit status: the command's

Without a terminal (a pipe, CI) the command simply runs.
"""
import os
import signal
import sys


def main():
    argv = sys.argv[1:]
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
        old = os.tcgetpgrp(tty)
    except OSError:
        tty = None
    pid = os.fork()
    if pid == 0:
        if tty is not None:
            os.setpgid(0, 0)
            signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            os.tcsetpgrp(tty, os.getpgrp())
            signal.signal(signal.SIGTTOU, signal.SIG_DFL)
        try:
            os.execvp(argv[0], argv)
        except OSError as e:
            print("fg.py: cannot run %s: %s" % (argv[0], e), file=sys.stderr)
            os._exit(127)
    if tty is not None:
        try:
            os.setpgid(pid, pid)    # whichever of the two runs first
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _, status = os.waitpid(pid, 0)
    if tty is not None:
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        os.tcsetpgrp(tty, old)
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1


if __name__ == "__main__":
    sys.exit(main())
