#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutation testing for ferret's core code (docs/TESTING.md).

Plants one small bug (a mutant, tests/mutate/operators.py) at a time in a copy
of the tree under build/mutate/tree, never in the real sources, and runs the
cheapest tier that can kill it first:

  same-code  the kernel and host compilers emit the same object code with and
             without the mutant: equivalent, nothing to run
  own        host unit tests of the mutated file (FIRST_TESTS)
  host       every other host unit test
  ktest      the in-kernel KTAP suites on QEMU virt, page_owner off and on
  qemu       every QEMU test (console tests, raspi3b, the host tools)

A mutant is killed when a test that passes on the unmutated copy fails, the
binary crashes or it runs past its time limit. One that does not build is
unviable. Mutants docs/TESTING.md lists as equivalent (each with its reason)
are not counted. The score of a file is killed / (killed + survived).

    tests/mutate/mutate.py [--files F...] [--max N] [--seed S] [--budget SECS]
                           [--tiers own,host,ktest,qemu] [--ops rel,const,...]
                           [--mutant ID...] [--survivors] [--rev REV] [--list]
                           [--report] [--show ID...]
"""
import argparse
import fcntl
import glob
import hashlib
import io
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tarfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import operators  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "build", "mutate")
TREE = os.path.join(WORK, "tree")
RESULTS = os.path.join(WORK, "results.json")

# The code under mutation. Globs, so new files in mm/ join by themselves; add
# the console parsers' files here as they gain host tests (a file with none is
# only reached by the ktest and qemu tiers).
CORE = ["mm/*.c", "lib/unwind.c"]

# The host tests that exercise a file most directly run first; a file not
# listed uses tests/host/test_<name>.c when there is one.
FIRST_TESTS = {
    "mm/page_alloc.c": ["test_buddy", "test_buddy_migrate", "test_contig"],
    "mm/gfp.c": ["test_buddy", "test_page_owner"],
    "mm/mm_init.c": ["test_buddy", "test_memblock"],
    "mm/memtest.c": ["test_buddy", "test_buddy_random", "test_buddy_migrate"],
    "mm/vmstat.c": ["test_buddy", "test_buddy_migrate"],
    "mm/debug.c": ["test_page_flags", "test_page_owner", "test_contig"],
    "mm/leaks.c": ["test_leaks"],
    "mm/owner_track.c": ["test_owner_clock", "test_page_owner", "test_slab"],
    "mm/slab.c": ["test_slab", "test_smp_mm"],
    "mm/slab_debug.c": ["test_slab"],
    "mm/slab_owner.c": ["test_slab", "test_leaks"],
    "mm/page_ext.c": ["test_page_owner"],
    "mm/page_owner.c": ["test_page_owner", "test_leaks"],
    "mm/page_isolation.c": ["test_contig"],
    "mm/page_ref.c": ["test_trace"],
    "mm/trace.c": ["test_trace"],
    "mm/kmemleak.c": ["test_kmemleak"],
    "mm/persist.c": ["test_persist"],
    "mm/prev_boot.c": ["test_persist"],
    "mm/page_owner_stream.c": ["test_page_owner_stream", "test_owner_stream"],
    "lib/unwind.c": ["test_unwind"],
}

TIERS = ["own", "host", "ktest", "qemu"]
# The ktest tier: the KTAP suites on virt with page_owner off and on (the qemu
# tier adds raspi3b and the console tests).
KTEST_RUN = """
import sys
sys.path.insert(0, "tests/qemu")
import test_boot
for fn in (test_boot.test_ktest, test_boot.test_ktest_page_owner_on):
    fails = []
    try:
        fn(report=lambda sub, ok, detail="": ok or fails.append(sub))
    except Exception as e:
        fails.append(type(e).__name__)
    for f in fails:
        print("FAIL ktest/%s/%s" % (fn.__name__, f))
print("ktest done")
"""


def log(msg):
    print(msg, flush=True)


# Sub-makes in the copy must not inherit `make mutate`'s variables and jobserver.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def sh(cmd, cwd=TREE, timeout=None):
    """Run cmd; (returncode, output). A timeout is returncode None."""
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors="replace", timeout=timeout, env=ENV)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else e.stdout
        return None, out or ""


def make(*targets, timeout=1800):
    return sh(["make", "--no-print-directory", "-j1"] + list(targets), timeout=timeout)


# ---------------------------------------------------------------------------
# The copy of the tree
# ---------------------------------------------------------------------------
def source_files(rev):
    """{path: bytes} of the working tree (rev None) or of a git revision."""
    if rev:
        tar = subprocess.run(["git", "archive", "--format=tar", rev], cwd=ROOT,
                             stdout=subprocess.PIPE, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as t:
            return {m.name: (t.extractfile(m).read(), m.mode) for m in t.getmembers()
                    if m.isfile()}
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    files = {}
    for f in out.split("\0"):
        p = os.path.join(ROOT, f)
        if f and not f.startswith("build/") and os.path.isfile(p):
            with open(p, "rb") as fp:
                files[f] = (fp.read(), os.stat(p).st_mode)
    return files


def sync_tree(rev):
    """Make build/mutate/tree a copy of the working tree or of rev. Only files
    whose contents differ are written, so make rebuilds only what changed; a
    file left mutated by an interrupted run differs and is put back."""
    files = source_files(rev)
    os.makedirs(TREE, exist_ok=True)
    manifest = os.path.join(WORK, "manifest.txt")
    old = set(open(manifest).read().split("\n")) if os.path.exists(manifest) else set()
    for f in old - set(files):
        if f and os.path.exists(os.path.join(TREE, f)):
            os.remove(os.path.join(TREE, f))
    for f in sorted(files):
        data, mode = files[f]
        dst = os.path.join(TREE, f)
        try:
            with open(dst, "rb") as fp:
                same = fp.read() == data
        except OSError:
            same = False
        if not same:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as fp:
                fp.write(data)
            os.chmod(dst, mode & 0o777)
    with open(manifest, "w") as fp:
        fp.write("\n".join(sorted(files)))
    return tree_fingerprint(files), {f: files[f][0].decode() for f in files if f.endswith(".c")}


def tree_fingerprint(files):
    """What a result depends on: every file but the engine and the docs."""
    h = hashlib.sha1()
    for f in sorted(files):
        if not f.startswith(("tests/mutate/", "docs/")):
            h.update(f.encode() + b"\0" + files[f][0])
    return h.hexdigest()


def write_tree_file(path, text):
    with open(os.path.join(TREE, path), "w") as fp:
        fp.write(text)


# ---------------------------------------------------------------------------
# Same-code check: the object code of the kernel and host builds
# ---------------------------------------------------------------------------
def compile_command(obj, src):
    """The compiler command make would run for obj, from `make -n`."""
    rc, out = make("-n", "-B", obj)
    for line in out.splitlines():
        if " -c %s " % src in line + " ":
            args = shlex.split(line)
            i = args.index("-o")
            return args[:i] + args[i + 2:]
    return None


class CodeCompare:
    def __init__(self, path):
        self.path = path
        self.cmds = [c for c in (
            compile_command("build/qemu-virt/%s.o" % path[:-2], path),
            compile_command("build/host/san/%s.o" % path[:-2], path)) if c]
        self.cmds = [[a for a in c if not a.startswith(("-fsanitize", "-fno-sanitize", "-M"))]
                     for c in self.cmds]
        self.orig = [self.code(c) for c in self.cmds]

    def code(self, cmd):
        obj = os.path.join(WORK, "cmp.o")
        rc, out = sh(cmd + ["-g0", "-o", obj], timeout=300)
        if rc != 0:
            return None
        objdump = cmd[0].replace("gcc", "objdump") if cmd[0].endswith("gcc") else "objdump"
        rc, dis = sh([objdump, "-dr", "-s", "-j", ".text", "-j", ".data", "-j", ".rodata",
                      obj] + [x for s in self.sections(obj, objdump) for x in ("-j", s)])
        return hashlib.sha1(dis.encode()).hexdigest() if rc == 0 else None

    @staticmethod
    def sections(obj, objdump):
        rc, out = sh([objdump, "-h", obj])
        return sorted(set(m.group(1) for m in re.finditer(r"^\s*\d+\s+(\S+)", out, re.M)
                          if not m.group(1).startswith((".debug", ".comment", ".note"))
                          and m.group(1) not in (".text", ".data", ".rodata")))

    def check(self):
        """'unviable', 'same' or 'differs' for the file as it is in the tree."""
        for i, cmd in enumerate(self.cmds):
            c = self.code(cmd)
            if c is None:
                return "unviable"
            if c != self.orig[i]:
                return "differs"
        return "same"


# ---------------------------------------------------------------------------
# Tiers
# ---------------------------------------------------------------------------
def host_test_names():
    return sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(TREE, "tests/host/test_*.c")))


def run_host_test(name, timeout):
    """(passed, failed) case names of one host test binary; failed also names
    a timeout or a non-zero exit."""
    rc, out = sh([os.path.join(TREE, "build/host/tests", name)], timeout=timeout)
    cases = re.findall(r"^(not )?ok \d+ (.*)$", out, re.M)
    passed = set("%s/%s" % (name, c.strip()) for n, c in cases if not n)
    failed = set("%s/%s" % (name, c.strip()) for n, c in cases if n)
    if rc is None:
        failed.add("%s (timeout)" % name)
    elif rc != 0:
        failed.add("%s (exit %d)" % (name, rc))
    return passed, failed


def run_py_tests(tier, timeout):
    """(passed, failed) test names of the ktest or qemu tier."""
    if tier == "ktest":
        cmd, done = ["/usr/bin/python3", "-c", KTEST_RUN], r"^ktest done$"
    else:
        cmd, done = ["/usr/bin/python3", "tests/run_tests.py", "qemu/"], r"^\d+ passed, \d+ failed$"
    rc, out = sh(cmd, timeout=timeout)
    passed = set(re.findall(r"^PASS (.*)$", out, re.M))
    failed = set(re.findall(r"^FAIL (.*)$", out, re.M))
    if rc is None:
        failed.add("%s (timeout)" % tier)
    elif not re.search(done, out, re.M):
        failed.add("%s (did not finish)" % tier)
    return passed, failed


class Tiers:
    def __init__(self, wanted):
        self.wanted = wanted
        self.base = {}          # test -> (passed, failed) on the unmutated tree
        self.base_time = {}

    # The kernel tiers need both boards built (ktest runs raspi3b too) and,
    # for the qemu tier, the host tools.
    def build(self, tier, tests=()):
        if tier in ("own", "host"):
            return make(*["build/host/tests/%s" % t for t in tests])[0] == 0
        targets = [["BOARD=qemu-virt", "all"]]
        if tier == "qemu":
            targets += [["BOARD=raspi3b", "all"], ["host-tests", "tools"]]
        return all(make(*t)[0] == 0 for t in targets)

    def _run(self, tier, test, timeout):
        if tier in ("own", "host"):
            return run_host_test(test, timeout)
        return run_py_tests(tier, timeout)

    def run(self, tier, test):
        """What a mutant breaks in one test (a host binary or a QEMU tier):
        cases that passed unmutated and no longer pass, new failures."""
        limit = 10 * self.base_time[test] + (30 if tier in ("own", "host") else 300)
        passed, failed = self._run(tier, test, limit)
        base_passed, base_failed = self.base[test]
        return (base_passed - passed) | (failed - base_failed)

    def baseline(self, tier, tests):
        missing = [t for t in tests if t not in self.base]
        if not missing:
            return True
        if not self.build(tier, missing):
            return False
        for t in missing:
            t0 = time.time()
            self.base[t] = self._run(tier, t, 3600)
            self.base_time[t] = time.time() - t0
            if self.base[t][1]:
                log("  baseline: %s already fails (%s); those failures do not count"
                    % (t, ", ".join(sorted(self.base[t][1]))))
        return True

    def plan(self, path):
        """[(tier, [tests])] in the order they run for a mutant of path."""
        hosts = host_test_names()
        first = FIRST_TESTS.get(path) or ["test_" + os.path.basename(path)[:-2]]
        first = [t for t in first if t in hosts]
        rest = [t for t in hosts if t not in first]
        plan = [("own", first), ("host", rest), ("ktest", ["ktest"]), ("qemu", ["qemu"])]
        return [(t, tests) for t, tests in plan if t in self.wanted and tests]


def evaluate(m, tiers, cmp):
    """Status and killer of mutant m, with the mutant applied in the tree."""
    state = cmp.check()
    if state != "differs":
        return ("unviable" if state == "unviable" else "same-code"), None, ""
    for tier, tests in tiers.plan(m.path):
        if not tiers.baseline(tier, tests):
            return "error", tier, "baseline build failed"
        if not tiers.build(tier, tests):
            return "unviable", tier, "build failed"
        for t in tests:
            fails = tiers.run(tier, t)
            if fails:
                return "killed", tier, sorted(fails)[0]
    return "survived", None, ""


# ---------------------------------------------------------------------------
# Documented equivalents, results, report
# ---------------------------------------------------------------------------
def documented_equivalents():
    """Mutant ids listed under "## Equivalent mutants" in docs/TESTING.md."""
    path = os.path.join(ROOT, "docs", "TESTING.md")
    if not os.path.exists(path):
        return set()
    text = open(path).read()
    m = re.search(r"^## Equivalent mutants\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return set(re.findall(r"^[-*] `([\w.]+@[0-9a-f]{8})`", m.group(1), re.M)) if m else set()


def load_results():
    try:
        with open(RESULTS) as fp:
            return json.load(fp)
    except (OSError, ValueError):
        return {}


def save_results(results):
    tmp = RESULTS + ".tmp"
    with open(tmp, "w") as fp:
        json.dump(results, fp, indent=1, sort_keys=True)
    os.replace(tmp, RESULTS)


def report(rows, elapsed, equivalents):
    cols = ["mutants", "killed", "own", "host", "ktest", "qemu", "survived", "equiv",
            "same-code", "unviable"]
    by_file = {}
    for r in rows:
        d = by_file.setdefault(r["path"], dict.fromkeys(cols, 0))
        d["mutants"] += 1
        st = r["status"]
        if st == "killed":
            d["killed"] += 1
            d[r["tier"]] += 1
        elif st == "survived" and r["id"] in equivalents:
            d["equiv"] += 1
        elif st in ("survived", "same-code", "unviable"):
            d[st] += 1
    total = dict.fromkeys(cols, 0)
    # A markdown table: docs/TESTING.md takes it as it is.
    log("\n| file | %s | score |" % " | ".join(cols))
    log("| --- |%s --- |" % (" ---: |" * len(cols)))
    for path in sorted(by_file) + ["total"]:
        d = by_file.get(path, total)
        if path != "total":
            for c in cols:
                total[c] += d[c]
        n = d["killed"] + d["survived"]
        score = "%.1f%%" % (100.0 * d["killed"] / n) if n else "-"
        name = "**total**" if path == "total" else "`%s`" % path
        log("| %s | %s | %s |" % (name, " | ".join(str(d[c]) for c in cols), score))
    surv = [r for r in rows if r["status"] == "survived" and r["id"] not in equivalents]
    if surv:
        log("\nsurvivors (tests/mutate/mutate.py --show ID prints the change):")
        for r in sorted(surv, key=lambda r: (r["path"], r["line"])):
            log("  %s  %s:%d %s: %s" % (r["id"], r["path"], r["line"], r["func"] or "-",
                                        r["desc"]))
    killed_equiv = [r for r in rows if r["status"] == "killed" and r["id"] in equivalents]
    for r in killed_equiv:
        log("note: %s is listed as equivalent in docs/TESTING.md but was killed by %s"
            % (r["id"], r["killer"]))
    log("\n%d mutants in %.0f s" % (len(rows), elapsed))


# ---------------------------------------------------------------------------
def select_files(patterns):
    files = []
    for p in patterns or CORE:
        hits = sorted(glob.glob(os.path.join(ROOT, p)))
        files += [os.path.relpath(h, ROOT) for h in hits] or [p]
    out = []
    for f in files:
        if not f.endswith(".c") or not os.path.isfile(os.path.join(ROOT, f)):
            sys.exit("mutate: %s: not a C source file" % f)
        if f not in out:
            out.append(f)
    return out


def sample(ms, n, seed):
    if not n or len(ms) <= n:
        return ms
    key = lambda m: hashlib.sha1(("%s:%s" % (seed, m.id)).encode()).hexdigest()
    keep = set(m.id for m in sorted(ms, key=key)[:n])
    return [m for m in ms if m.id in keep]


def diff_of(m, src):
    lo = m.line - 1
    old = src.split("\n")[lo:lo + src.count("\n", m.start, m.end) + 1]
    new = m.apply(src).split("\n")[lo:lo + m.repl.count("\n") + 1]
    return "%s  %s:%d %s: %s\n--- a/%s\n+++ b/%s\n@@ -%d +%d @@\n%s\n%s" % (
        m.id, m.path, m.line, m.func or "-", m.desc, m.path, m.path, m.line, m.line,
        "\n".join("-" + x for x in old), "\n".join("+" + x for x in new))


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main():
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", nargs="*", help="files or globs (default: %s)" % " ".join(CORE))
    ap.add_argument("--max", type=int, default=0, help="at most N mutants per file (a sample)")
    ap.add_argument("--seed", default="ferret", help="sampling seed")
    ap.add_argument("--budget", type=float, default=0, help="stop starting mutants after SECS")
    ap.add_argument("--tiers", default=",".join(TIERS), help="tiers to run, in order")
    ap.add_argument("--ops", default="", help="operators (%s)" % ",".join(operators.OPERATORS))
    ap.add_argument("--mutant", nargs="*", default=[], help="only these mutant ids")
    ap.add_argument("--survivors", action="store_true",
                    help="only the mutants that survived the last run")
    ap.add_argument("--rev", default="",
                    help="mutate this git revision (default: the working tree)")
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    ap.add_argument("--report", action="store_true",
                    help="print the table of the results stored for these mutants on this "
                    "revision (or working tree), run nothing")
    ap.add_argument("--show", nargs="*", default=[], help="print these mutants' changes")
    args = ap.parse_args()

    files = select_files(args.files)
    ops = [o for o in args.ops.split(",") if o]
    for o in ops:
        if o not in operators.OPERATORS:
            sys.exit("mutate: unknown operator %s" % o)
    wanted = [t for t in args.tiers.split(",") if t]
    for t in wanted:
        if t not in TIERS:
            sys.exit("mutate: unknown tier %s (%s)" % (t, ",".join(TIERS)))

    running = not (args.list or args.show or args.report)
    if running:
        os.makedirs(WORK, exist_ok=True)
        lock = open(os.path.join(WORK, "lock"), "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            sys.exit("mutate: another campaign is running in build/mutate")
        log("mutate: copying %s to build/mutate/tree" % (args.rev or "the working tree"))
        t_start = time.time()
        fingerprint, sources = sync_tree(args.rev)
    else:
        sources = {f: (subprocess.run(["git", "show", "%s:%s" % (args.rev, f)], cwd=ROOT,
                                      stdout=subprocess.PIPE).stdout.decode() if args.rev
                       else open(os.path.join(ROOT, f)).read()) for f in files}
    missing = [f for f in files if not sources.get(f)]
    if missing:
        sys.exit("mutate: %s: not in %s" % (" ".join(missing), args.rev or "the working tree"))
    plan = {f: operators.mutants(f, sources[f], ops) for f in files}

    if args.show or args.mutant:
        every = {m.id: m for f in files for m in plan[f]}
        missing = [i for i in args.show + args.mutant if i not in every]
        if missing:
            sys.exit("mutate: no mutant %s in %s" % (" ".join(missing), " ".join(files)))
        for i in args.show:
            log(diff_of(every[i], sources[every[i].path]))
        if args.show:
            return 0
        plan = {f: [m for m in plan[f] if m.id in args.mutant] for f in files}
    else:
        plan = {f: sample(plan[f], args.max, args.seed) for f in files}
    prev = load_results()
    if args.survivors:
        plan = {f: [m for m in plan[f] if prev.get(m.id, {}).get("status") == "survived"]
                for f in files}
    if args.report:
        fp = tree_fingerprint(source_files(args.rev))
        rows = [prev[m.id] for f in files for m in plan[f]
                if m.id in prev and prev[m.id]["fingerprint"] == fp]
        report(rows, sum(r["secs"] for r in rows), documented_equivalents())
        return 0
    if args.list:
        for f in files:
            for m in plan[f]:
                log("%s  %s:%d %s: %s" % (m.id, f, m.line, m.func or "-", m.desc))
        log("%d mutants" % sum(len(v) for v in plan.values()))
        return 0

    tiers = Tiers(wanted)
    if not tiers.baseline("host", host_test_names()):
        sys.exit("mutate: the unmutated tree does not build its host tests")
    equivalents = documented_equivalents()
    rows = []
    total = sum(len(v) for v in plan.values())
    done = 0
    # Round robin over the files, so that a run cut short by its budget has
    # sampled every file alike.
    order = [plan[f][i] for i in range(max([len(v) for v in plan.values()] + [0]))
             for f in files if i < len(plan[f])]
    cmps = {}
    try:
        for m in order:
            f, src = m.path, sources[m.path]
            if args.budget and time.time() - t_start > args.budget:
                log("mutate: budget of %.0f s spent; %d mutants not run" % (args.budget,
                                                                             total - done))
                break
            done += 1
            cached = prev.get(m.id)
            if cached and cached.get("fingerprint") == fingerprint and (
                    cached["status"] != "survived" or set(wanted) <= set(cached["tiers"])):
                r = cached
            else:
                if f not in cmps:
                    cmps[f] = CodeCompare(f)
                    if any(c is None for c in cmps[f].orig):
                        sys.exit("mutate: %s does not compile unmutated" % f)
                t0 = time.time()
                write_tree_file(f, m.apply(src))
                try:
                    status, tier, killer = evaluate(m, tiers, cmps[f])
                finally:
                    write_tree_file(f, src)
                r = {"id": m.id, "path": f, "line": m.line, "func": m.func, "op": m.op,
                     "desc": m.desc, "status": status, "tier": tier, "killer": killer,
                     "secs": round(time.time() - t0, 1), "fingerprint": fingerprint,
                     "tiers": wanted}
                prev[m.id] = r
                save_results(prev)
            rows.append(r)
            log("[%d/%d] %-9s %-5s %s %s:%d %s%s" % (
                done, total, r["status"], r["tier"] or "", m.id, f, m.line, m.desc,
                "  (%s)" % r["killer"] if r["killer"] else ""))
    except KeyboardInterrupt:
        log("mutate: interrupted; the real sources were never touched")
    finally:
        for f in files:
            write_tree_file(f, sources[f])
    report(rows, time.time() - t_start, equivalents)
    return 0


if __name__ == "__main__":
    sys.exit(main())
