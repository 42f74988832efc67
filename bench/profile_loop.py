#!/usr/bin/python3
"""Where does an `axon run` spend its CPU time? A sampling profile with Linux perf.

    /usr/bin/python3 bench/profile_loop.py models/cuba.axon --duration 10
    /usr/bin/python3 bench/profile_loop.py big.axon --duration 0.2 --threads 1

Needs perf (Debian linux-perf; software event cpu-clock, so it works in VMs without
hardware counters) and llc (LLVM 19) to find the layout of the JIT-compiled kernels.

The kernels are JIT-compiled, so perf sees their samples only as addresses in an
anonymous mapping. This script compiles the same optimised module (`axon build
--emit=llvm`) with llc for the host CPU, reads the offset and size of every kernel
from the object file, and maps each JIT sample to a kernel by its offset from the start
of the page of the lowest JIT sample. That assumes ORC lays the kernels out in module
order from a page start, as llc does (checked by hand: the hottest addresses fall in
the vector body of axon_update_*). Samples of the engine's step loop itself (the lambda
in runtime/engine/simulation.cpp: the spike scan, spike merging, selection) are split by
source line when the axon binary has line tables.

Prints the samples per category and their CPU seconds (samples / frequency).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def find_axon():
    for cand in ("build-lead/cli/axon", "build/cli/axon"):
        p = os.path.join(ROOT, cand)
        if os.path.exists(p):
            return p
    return None


def kernel_layout(axon, model, tmp, llc):
    ll = os.path.join(tmp, "module.ll")
    with open(ll, "w") as f:
        subprocess.run([axon, "build", model, "--emit=llvm"], stdout=f, check=True)
    obj = os.path.join(tmp, "module.o")
    subprocess.run([llc, "-O3", "-mcpu=native", "-filetype=obj", ll, "-o", obj], check=True)
    out = subprocess.run(["nm", "-S", "--numeric-sort", "--defined-only", obj], capture_output=True, text=True,
                         check=True).stdout
    funcs = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in ("T", "t"):
            funcs.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
    return funcs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--duration", default="1", help="biological seconds")
    ap.add_argument("--threads", default=None)
    ap.add_argument("--freq", type=int, default=4000, help="samples per second of CPU time")
    ap.add_argument("--axon", default=find_axon())
    ap.add_argument("--llc", default=shutil.which("llc-19") or "/usr/lib/llvm-19/bin/llc")
    a = ap.parse_args()
    if not a.axon:
        sys.exit("profile_loop: no axon CLI; pass --axon")
    tmp = tempfile.mkdtemp(prefix="axon_profile_")
    try:
        funcs = kernel_layout(a.axon, a.model, tmp, a.llc)
        data = os.path.join(tmp, "perf.data")
        cmd = ["perf", "record", "-q", "-e", "cpu-clock", "-F", str(a.freq), "-o", data, a.axon, "run", a.model, "-o",
               os.path.join(tmp, "out.h5"), "--duration", f"{a.duration} s"]
        if a.threads:
            cmd += ["--threads", a.threads]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(run.stderr)
        print(run.stdout.strip())
        script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso,srcline"], capture_output=True,
                                text=True).stdout
        # Samples: "ip sym (dso)" then optionally an indented "file:line" line.
        samples = []
        cur = None
        for line in script.splitlines():
            if not line.strip():
                continue
            m = re.match(r"^\s*([0-9a-f]+)\s+(.*)\((.*)\)\s*$", line)
            if m:
                cur = [int(m.group(1), 16), m.group(2).strip(), m.group(3), ""]
                samples.append(cur)
            elif cur is not None and re.search(r":\d+$", line.strip()):
                cur[3] = line.strip()
        jit_ips = [s[0] for s in samples if "perf-" in s[2] or s[2].startswith("[JIT]")]
        base = (min(jit_ips) & ~0xFFF) if jit_ips else 0
        cats = collections.Counter()
        for ip, sym, dso, src in samples:
            if "perf-" in dso or dso.startswith("[JIT]"):
                off = ip - base
                name = "JIT ?"
                for start, size, fname in funcs:
                    if start <= off < start + size:
                        name = "JIT " + fname
                        break
                cats[name] += 1
            elif "simulate" in sym and "lambda(int)" in sym:
                where = os.path.basename(src) if src else ""
                line_no = where.rsplit(":", 1)[-1] if where else "?"
                label = "engine step loop (simulation.cpp)"
                if where.startswith("simulation.cpp"):
                    label += f" line {line_no}"
                cats[label] += 1
            elif "arrive_and_wait" in sym:
                cats["engine: barrier"] += 1
            elif "libz" in dso:
                cats["zlib (HDF5 deflate)"] += 1
            elif "hdf5" in dso:
                cats["HDF5"] += 1
            elif "ld-linux" in dso:
                cats["dynamic loader (start-up)"] += 1
            elif "libLLVM" in dso:
                cats["LLVM (optimise + JIT)"] += 1
            elif "kallsyms" in dso or "kernel" in dso:
                cats["kernel (page faults, I/O)"] += 1
            elif "axon" in os.path.basename(dso):
                short = re.sub(r"\(.*", "", sym)[:70]
                if "connect" in short or "build_network_state" in short or "initialise" in short:
                    cats["engine: build (connectivity, state)"] += 1
                else:
                    cats["axon other: " + short] += 1
            else:
                cats["other: " + os.path.basename(dso)] += 1
        total = sum(cats.values())
        print(f"\n{total} samples at {a.freq} Hz = {total / a.freq:.3f} s CPU; kernels laid out from {base:#x}:")
        for start, size, fname in funcs:
            print(f"  {fname}: +{start:#x}, {size} bytes")
        print()
        print(f"| {'what':60s} | samples | CPU s | share |")
        print(f"|{'-' * 62}|---------|-------|-------|")
        for name, n in cats.most_common():
            if n / total < 0.002:
                continue
            print(f"| {name:60s} | {n:7d} | {n / a.freq:5.3f} | {100 * n / total:4.1f}% |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
