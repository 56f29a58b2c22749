#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What listens on a local TCP port, for `make gdb` and `make debug` under /bin/sh.

    gdbport.py PORT    exit 0: a gdb stub answers there; 1: nothing listens;
                       2: something listens that does not speak gdb's protocol

A gdb stub answers the halt-reason query "$?#3f" with "+" (ack) or a "$"
packet within a second.
"""
import socket
import sys


def main():
    port = int(sys.argv[1])
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
    except OSError:
        return 1
    try:
        s.sendall(b"$?#3f")
        reply = s.recv(64)
    except OSError:
        reply = b""
    finally:
        s.close()
    return 0 if reply[:1] in (b"+", b"$") else 2


if __name__ == "__main__":
    sys.exit(main())
