#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bytes on the wire of `page_owner` text vs `page_owner --format=stream`, with frames
as text (the kernel resolves them) and as addresses (`--symbols=host`: the host
resolves them from the ELF) (docs/PERFORMANCE.md, "page_owner over a serial line").

For each workload, one QEMU session runs the text dump and both streams of the
same state through build/host/tools/capture, checks with po_decode (given the
ELF for the second) that each stream decodes to exactly the text, then reports
bytes per record of each, as the UART sends them (every "\\n" goes out as "\\r\\n"), the ratio,
and the time each takes at 115200 baud (8N1: 10 bits a byte, 11,520 bytes/s).

  - demo: the demo firmware's state after `app run all 1000` (512 MiB);
  - fill: a board filled with order-0 blocks by `alloc 0 <all of RAM>`
    (1 GiB; 256 MiB with BENCH_QUICK=1).

    tests/bench/bench_stream.py          (about 8 minutes: the 1 GiB text dump is ~100 MB)
    BENCH_QUICK=1 tests/bench/bench_stream.py
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "build", "host", "tools")
ELF = os.path.join(ROOT, "build", "qemu-virt", "ferret.elf")
BAUD_BYTES = 115200 / 10


def session(mem, work):
    """(text dump, stream, stream --symbols=host) of one state."""
    with tempfile.TemporaryDirectory() as d:
        raw = os.path.join(d, "raw.txt")
        qemu = "-M virt -cpu cortex-a53 -m %s -kernel %s" % (mem, ELF)
        common = [os.path.join(TOOLS, "capture"), "--quiet", "--all", "--timeout", "900",
                  "--qemu", qemu, "--boot-args", "page_owner=on"]
        subprocess.run(common + ["-o", raw, work + ";;echo ==1;;page_owner;;echo ==2;;"
                                 "page_owner --format=stream;;echo ==3;;"
                                 "page_owner --format=stream --symbols=host"],
                       check=True, timeout=3600)
        with open(raw) as f:
            out = f.read()
    i, j, k = out.index("==1\n"), out.index("==2\n"), out.index("==3\n")
    return out[i + 4:j], out[j + 4:k], out[k + 4:]


def wire(text):
    return len(text) + text.count("\n")     # "\r\n" on the line


def decode(stream, elf=False):
    p = subprocess.run([os.path.join(TOOLS, "po_decode"), "--quiet"] +
                       (["--elf", ELF] if elf else []), input=stream,
                       capture_output=True, text=True, check=True)
    return p.stdout


def report(name, text, stream, host):
    n = text.count("Page allocated via order")
    ok = True
    t = wire(text)
    print("%-6s %8d records | text %11d B %7.1f B/rec %9.1f s" %
          (name, n, t, t / n, t / BAUD_BYTES), flush=True)
    for what, s, elf in (("stream", stream, False), ("--symbols=host", host, True)):
        decoded = decode(s, elf)
        w = wire(s)
        print("       %-15s %9d B %5.2f B/rec %7.1f s | %5.1fx | round trip %s" %
              (what, w, w / n, w / BAUD_BYTES, t / w,
               "identical" if decoded == text else "DIFFERS"), flush=True)
        ok &= decoded == text
    return ok


def main():
    quick = os.environ.get("BENCH_QUICK")
    fill_mem = "256M" if quick else "1G"
    pages = {"256M": 65536, "1G": 262144}[fill_mem]
    print("workload: records | text: bytes, bytes/record, time at 115200 baud; then each "
          "stream: the same | text/stream | stream decoded == text")
    ok = True
    ok &= report("demo", *session("512M", "app run all 1000"))
    text, stream, host = session(fill_mem, "alloc 0 %d GFP_KERNEL" % pages)
    ok &= report("fill", text, stream, host)
    m = re.search(r"@E \S+ (\S+)", stream)
    print("fill: %s of RAM, %d order-0 blocks in the stream" % (fill_mem, int(m.group(1), 16)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
