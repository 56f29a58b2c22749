#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ferret's test runner: host unit tests, then QEMU tests.

Each host test binary prints TAP-style "ok N name" / "not ok N name" lines;
each line counts. Each QEMU test module tests/qemu/test_*.py defines test_*
functions; each function counts, and a function may report sub-results (the
KTAP cases of `ktest`) through the `report` callback it receives when it asks
for it. The last line is "N passed, N failed"; the exit status is non-zero on
any failure.

    tests/run_tests.py [substring...]   run only tests whose name contains one
"""
import glob
import importlib.util
import inspect
import os
import re
import subprocess
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))

passed = 0
failed = 0
failures = []


def record(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("PASS %s" % name, flush=True)
    else:
        failed += 1
        failures.append(name)
        print("FAIL %s" % name, flush=True)
        if detail:
            print("\n".join("     " + l for l in detail.rstrip().splitlines()[-60:]), flush=True)


def selected(name, filters):
    return not filters or any(f in name for f in filters)


def run_host_binary(binary):
    """Run one host test; a 32-bit one under qemu-i386 when this host's kernel
    cannot run 32-bit programs itself (exec fails with ENOEXEC)."""
    for cmd in ([binary], ["qemu-i386", binary]):
        try:
            return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600,
                                  errors="replace")
        except OSError:
            if cmd[0] != binary:
                raise
    return None


def run_host_tests(filters):
    for flavour in ("host", "host32"):
        for binary in sorted(glob.glob(os.path.join(ROOT, "build", flavour, "tests", "test_*"))):
            base = os.path.basename(binary)
            if not selected("%s/%s" % (flavour, base), filters):
                continue
            t0 = time.time()
            try:
                p = run_host_binary(binary)
                out, rc = p.stdout + p.stderr, p.returncode
            except subprocess.TimeoutExpired as e:
                out, rc = (e.stdout or b"").decode(errors="replace") + "\nTIMEOUT", -1
            cases = 0
            for line in out.splitlines():
                m = re.match(r"^(not )?ok \d+ (.*)$", line)
                if m:
                    cases += 1
                    record("%s/%s/%s" % (flavour, base, m.group(2).strip()), m.group(1) is None,
                           out if m.group(1) else "")
            if rc != 0 and (cases == 0 or "not ok" not in out):
                record("%s/%s (exit %d)" % (flavour, base, rc), False, out)
            print("     %s/%s: %.1fs" % (flavour, base, time.time() - t0), flush=True)


def load_qemu_tests(filters):
    tests = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "qemu", "test_*.py"))):
        modname = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(modname, path)
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except Exception:
            record("qemu/%s (import)" % modname, False, traceback.format_exc())
            continue
        for fname, fn in inspect.getmembers(mod, inspect.isfunction):
            if fname.startswith("test_") and fn.__module__ == modname:
                name = "qemu/%s/%s" % (modname, fname)
                if selected(name, filters):
                    tests.append((name, fn))
    return tests


def run_one(name, fn):
    results = []
    t0 = time.time()
    try:
        if "report" in inspect.signature(fn).parameters:
            fn(report=lambda sub, ok, detail="": results.append((name + "/" + sub, ok, detail)))
        else:
            fn()
        results.append((name, True, ""))
    except Exception:
        results.append((name, False, traceback.format_exc()))
    return results, time.time() - t0


def main():
    filters = sys.argv[1:]
    if os.environ.get("FERRET_BUILD_FAILED") == "1":
        record("build (make test could not build everything: see the errors above)", False)
    run_host_tests(filters)
    tests = load_qemu_tests(filters)
    jobs = int(os.environ.get("FERRET_TEST_JOBS", "2"))
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = [(name, ex.submit(run_one, name, fn)) for name, fn in tests]
        for name, fut in futs:
            results, secs = fut.result()
            for n, ok, detail in results:
                record(n, ok, detail)
            print("     %s: %.1fs" % (name, secs), flush=True)
    if failures:
        print("\nfailed:\n  " + "\n  ".join(failures))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
