#!/usr/bin/python3
"""axon against Brian2 and a hand-written C++ floor, in one go on one machine.

    /usr/bin/python3 bench/run_bench.py              # everything (about 15-20 min on an idle 2-core machine)
    /usr/bin/python3 bench/run_bench.py --quick      # a 2-minute subset
    /usr/bin/python3 bench/run_bench.py --parts scaling --sizes 4k,64k --threads 1
    /usr/bin/python3 bench/run_bench.py --parts models --no-brian --json out.json

Needs: the axon CLI (--axon, default build-lead/cli/axon, else build/cli/axon), g++,
and for the Brian2 columns /usr/bin/python3 with python3-brian (2.5.1) and h5py.

Part "models" (table A): CUBA and COBA (models/cuba.axon, models/coba.axon, 4000
neurons) for 1 s and 10 s of biological time.
  - axon: `axon run MODEL -o OUT.h5 --duration D` (its summary is parsed): end to end =
    wall time of the whole process (file in, HDF5 out); loop = the `simulate` time of
    its summary; compile = parse + check + lower + codegen + jit. The `simulate` time
    includes writing the spike blocks that fill up during the run (65536 spikes each,
    deflated into the HDF5 file): none in a 1 s CUBA run at 4000 neurons, three in a
    10 s run. Brian2 and the floor keep their spikes in memory during the loop.
  - Brian2 cpp_standalone (bench/brian2_net.py, a fresh project folder each time, so
    code generation and the g++ build are included): end to end = the whole Python
    process, which also writes an HDF5 file; loop = Brian2's own run time.
  - Brian2 runtime (cython), with a warm cache (a short warm-up run first).
  - floor: bench/floor_cuba (same connectivity rule p = 0.02, float64, 1 thread),
    loop only, CUBA only.
  Ratios are Brian2 / axon (how many times axon is faster) and axon / floor.

Part "scaling" (table B): the CUBA network at N = 4k .. 1M with a fixed in-degree of
64 excitatory + 16 inhibitory sources per neuron (80 synapses per neuron, what p = 0.02
gives on average at N = 4000) and the same weights as models/cuba.axon (1.62 mV,
-9 mV), so the mean rate stays near 5 Hz at every N. The .axon text is generated per N.
axon with --threads 1 and 2, the floor in float64 and float32 with 1 and 2 threads,
Brian2 cpp_standalone (1 thread) up to 64k only (the g++ build and its memory make
larger N pointless here). Per run: loop seconds per biological second, ns per synaptic
event (loop time / (spikes x out-degree); the whole loop time divided, not a
decomposition), ns per neuron update (loop time / (N x steps)), peak RSS of the process
(wait4), state bytes per synapse (axon: state memory / synapses from its summary).

Part "variants" (table C): the floor with one feature of axon's engine added at a time
(a per-neuron input array, int64 refractory bookkeeping, a byte-wise spike scan, then
all three; with and without transparent huge pages), at --variant-sizes, 1 thread,
float64, next to axon (also run with GLIBC_TUNABLES=glibc.malloc.hugetlb=1): where the
gap to the floor comes from.

The floor (bench/floor_cuba.cpp, compiled here with g++ -O3 -march=native) puts its
large arrays on transparent huge pages (madvise), as a careful hand-written simulator
would; at 1M neurons that alone is worth ~20 % (table C).

Load: every measurement records the 1-minute load average before it and `others`: the
CPU time that other processes used during it (busy time of the machine from /proc/stat
minus the CPU time of the measured process tree), as a share of the machine's capacity
over the run. A run with others above --others-limit (default 5 %) is marked "LOADED"
in the tables: its wall times are inflated by other processes. With --retry N (default
1) a configuration whose runs were all LOADED is rerun up to N times, each after
waiting up to --quiet-wait seconds for an idle machine; --wait-start waits likewise
before starting. Of the repeats the fastest clean run is kept (else the fastest).
Speed is never asserted: the script only prints.
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# ---------------------------------------------------------------------------------------
# Machine state


def cpu_busy_seconds():
    """CPU seconds the whole machine has spent busy (all CPUs; /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


NCPU = os.cpu_count() or 1


def machine_busy_share(seconds=2.0):
    """Share of the machine's CPU capacity used by anything over the next `seconds`."""
    b0, t0 = cpu_busy_seconds(), time.perf_counter()
    time.sleep(seconds)
    b1, t1 = cpu_busy_seconds(), time.perf_counter()
    if b0 is None or b1 is None:
        return 0.0
    return (b1 - b0) / ((t1 - t0) * NCPU)


def wait_quiet(max_wait, limit=0.10, log=None):
    """Waits up to max_wait seconds for the machine to be idle (under `limit` of its CPU
    capacity busy, measured over 2 s). Returns whether it got quiet."""
    t0 = time.time()
    while True:
        share = machine_busy_share()
        if share < limit:
            return True
        if time.time() - t0 >= max_wait:
            return False
        if log:
            log(f"  (waiting for a quiet machine: {100 * share:.0f} % of the CPUs busy, load {os.getloadavg()[0]:.1f})")
        time.sleep(3)


def machine_info():
    info = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "platform": platform.platform()}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for key in ("Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket"):
            m = re.search(rf"^{re.escape(key)}:\s*(.+)$", out, re.M)
            if m:
                info[key] = m.group(1).strip()
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            info["MemTotal"] = f.readline().split(":")[1].strip()
    except OSError:
        pass
    try:
        info["g++"] = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except OSError:
        pass
    return info


# ---------------------------------------------------------------------------------------
# Running a child and measuring it


class Measured:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def measure(cmd, cwd=None, env=None, timeout=None):
    """Runs cmd; returns wall, CPU (user + sys, the child and its reaped children), peak
    RSS (largest of the process tree), stdout, and `others`: the CPU time other processes
    used during the run (machine busy time minus the child's), as a share of the
    machine's capacity over the run."""
    load1 = os.getloadavg()[0]
    busy0 = cpu_busy_seconds()
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fo, stderr=fe)
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        busy1 = cpu_busy_seconds()
        fo.seek(0)
        fe.seek(0)
        out = fo.read().decode(errors="replace")
        err = fe.read().decode(errors="replace")
    cpu = ru.ru_utime + ru.ru_stime
    others = None
    if busy0 is not None and busy1 is not None and wall > 0:
        others = max(0.0, (busy1 - busy0) - cpu) / (wall * NCPU)
    return Measured(cmd=cmd, rc=p.returncode, wall=wall, cpu=cpu, maxrss_mb=ru.ru_maxrss / 1024.0, others=others,
                    load1=load1, out=out, err=err)


def check(m, what):
    if m.rc != 0:
        raise RuntimeError(f"{what} failed (exit {m.rc}): {' '.join(m.cmd)}\n{m.err[-3000:]}\n{m.out[-2000:]}")


# ---------------------------------------------------------------------------------------
# The three programs


def parse_axon_summary(text):
    r = {}
    m = re.search(r"steps of ([\d.e+-]+) ms \(([\d.e+-]+) s\) on (\d+) thread", text)
    if m:
        r["dt_ms"], r["bio_s"], r["threads"] = float(m.group(1)), float(m.group(2)), int(m.group(3))
    m = re.search(r"^\s+\S+\s+\S+\s+(\d+) neurons\s+(\d+) spikes\s+([\d.]+) Hz", text, re.M)
    if m:
        r["neurons"], r["spikes"], r["rate_hz"] = int(m.group(1)), int(m.group(2)), float(m.group(3))
    m = re.search(r"synapses (\d+), state memory ([\d.]+) MiB", text)
    if m:
        r["synapses"], r["state_mib"] = int(m.group(1)), float(m.group(2))
    m = re.search(r"times: (.*)", text)
    if m:
        for name, val in re.findall(r"(\w+) ([\d.]+) ms", m.group(1)):
            r["t_" + name] = float(val) / 1e3
    if "t_parse" in r:
        r["compile"] = r["t_parse"] + r["t_check"] + r["t_lower"] + r["t_codegen"] + r["t_jit"]
    return r


class Bench:
    def __init__(self, args):
        self.a = args
        self.tmp = tempfile.mkdtemp(prefix="axon_bench_")
        self.results = {"machine": machine_info(), "command": " ".join([sys.executable] + sys.argv),
                        "models": [], "scaling": [], "variants": []}
        self.floor_bin = None

    def log(self, text):
        print(text, file=sys.stderr, flush=True)

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- repeats, load labels ----------------------------------------------------------

    def best_of(self, fn, repeats, key):
        """Runs fn() `repeats` times (plus retries of loaded runs); keeps the fastest
        clean run by key(result), else the fastest."""
        runs = []
        for _ in range(repeats):
            runs.append(fn())
        retries = self.a.retry
        while retries > 0 and all(r["loaded"] for r in runs):
            retries -= 1
            wait_quiet(self.a.quiet_wait, limit=self.a.quiet_limit, log=self.log)
            runs.append(fn())
        clean = [r for r in runs if not r["loaded"]]
        pool = clean or runs
        best = dict(min(pool, key=key))
        best["repeats"] = len(runs)
        best["loaded_runs"] = sum(1 for r in runs if r["loaded"])
        # The loop of the run kept is reported, and also the fastest loop of the pool.
        loops = [r["loop"] for r in pool if r.get("loop") is not None]
        best["loop_min"] = min(loops) if loops else None
        best["all"] = [{k: r.get(k) for k in ("e2e", "loop", "wall", "cpu", "others", "load1", "loaded")} for r in runs]
        return best

    def tag(self, m):
        loaded = m.others is not None and m.others > self.a.others_limit
        return {"wall": m.wall, "cpu": m.cpu, "maxrss_mb": m.maxrss_mb, "others": m.others, "load1": m.load1,
                "loaded": loaded}

    # -- axon ---------------------------------------------------------------------------

    def run_axon(self, model_path, duration, threads=None, extra=(), env_extra=None):
        out = os.path.join(self.tmp, "axon_out.h5")
        cmd = [self.a.axon, "run", model_path, "-o", out, "--duration", f"{duration} s"]
        if threads:
            cmd += ["--threads", str(threads)]
        cmd += list(extra)
        env = None
        if env_extra:
            env = dict(os.environ)
            env.update(env_extra)
        m = measure(cmd, cwd=ROOT, env=env)
        check(m, "axon")
        r = self.tag(m)
        r.update(parse_axon_summary(m.out))
        r["e2e"] = m.wall
        r["loop"] = r.get("t_simulate")
        spikes_e = None
        if self.a.count_ei:
            spikes_e = count_spikes_below(out, self.ne_of(r.get("neurons", 0)))
        r["spikes_e"] = spikes_e
        try:
            os.remove(out)
        except OSError:
            pass
        return r

    @staticmethod
    def ne_of(n):
        return int(round(0.8 * n))

    # -- Brian2 -------------------------------------------------------------------------

    def run_brian(self, model, target, duration, n=4000, in_degree=False):
        cmd = [self.a.python, os.path.join(HERE, "brian2_net.py"), "--model", model, "--target", target,
               "--duration", str(duration), "--n", str(n)]
        if in_degree:
            cmd.append("--in-degree")
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        m = measure(cmd, cwd=self.tmp, env=env, timeout=self.a.brian_timeout)
        check(m, "Brian2")
        r = self.tag(m)
        r.update(json.loads(m.out.strip().splitlines()[-1]))
        r["e2e"] = m.wall
        return r

    # -- floor --------------------------------------------------------------------------

    def build_floor(self):
        if self.floor_bin:
            return
        self.floor_bin = os.path.join(self.tmp, "floor_cuba")
        cmd = ["g++", "-O3", "-march=native", "-std=c++17", "-pthread", os.path.join(HERE, "floor_cuba.cpp"), "-o",
               self.floor_bin]
        m = measure(cmd)
        check(m, "g++ floor_cuba.cpp")
        self.log(f"built the floor ({' '.join(cmd[:5])}) in {m.wall:.1f} s")

    def run_floor(self, n, duration, threads, precision, conn, variant=()):
        self.build_floor()
        cmd = [self.floor_bin, "--n", str(n), "--duration", str(duration), "--threads", str(threads), "--precision",
               precision, "--conn", conn] + list(variant)
        m = measure(cmd)
        check(m, "floor_cuba")
        r = self.tag(m)
        r.update(json.loads(m.out.strip().splitlines()[-1]))
        r["loop"] = r["loop_s"]
        return r

    # -- part A -------------------------------------------------------------------------

    def part_models(self):
        a = self.a
        for model in a.models:
            path = os.path.join(ROOT, "models", f"{model}.axon")
            if a.brian and "cython" in a.brian_targets:
                self.log(f"[{model}] warming Brian2's cython cache")
                self.run_brian(model, "cython", 0.01)
            for duration in a.durations:
                row = {"model": model, "duration": duration}
                self.log(f"[{model} {duration:g} s] axon x{a.repeats}")
                row["axon"] = self.best_of(lambda: self.run_axon(path, duration), a.repeats, key=lambda r: r["e2e"])
                if model == "cuba" and a.floor:
                    self.log(f"[{model} {duration:g} s] floor")
                    row["floor"] = self.best_of(lambda: self.run_floor(4000, duration, 1, "f64", "p"), a.repeats,
                                                key=lambda r: r["loop"])
                if a.brian:
                    for target in a.brian_targets:
                        reps = max(1, a.brian_repeats)
                        self.log(f"[{model} {duration:g} s] Brian2 {target} x{reps}")
                        row["brian_" + target] = self.best_of(lambda: self.run_brian(model, target, duration), reps,
                                                              key=lambda r: r["e2e"])
                self.results["models"].append(row)
                self.log(format_model_row(row))

    # -- part B -------------------------------------------------------------------------

    def scaling_model(self, n):
        ne = self.ne_of(n)
        with open(os.path.join(ROOT, "models", "cuba.axon")) as f:
            text = f.read()
        text = text.replace("CubaLIF[4000]", f"CubaLIF[{n}]")
        text = text.replace("P[0:3200]", f"P[0:{ne}]").replace("P[3200:4000]", f"P[{ne}:{n}]")
        text = text.replace("{ w = 1.62 mV } connect probability(0.02)", "{ w = 1.62 mV } connect fixed_in_degree(64)")
        text = text.replace("{ w = -9 mV } connect probability(0.02)", "{ w = -9 mV } connect fixed_in_degree(16)")
        if "fixed_in_degree(64)" not in text or "fixed_in_degree(16)" not in text or f"[{n}]" not in text:
            raise RuntimeError("models/cuba.axon changed: cannot derive the scaling model from it")
        text = ("// Generated by bench/run_bench.py from models/cuba.axon: N = %d, fixed in-degree 64 E + 16 I.\n" % n
                + text)
        path = os.path.join(self.tmp, f"cuba_{n}.axon")
        with open(path, "w") as f:
            f.write(text)
        return path

    def part_scaling(self):
        a = self.a
        for n in a.sizes:
            duration = a.scaling_duration if n <= 256000 else a.scaling_duration_1m
            reps = a.repeats if n <= 64000 else 1
            path = self.scaling_model(n)
            for threads in a.threads:
                row = {"n": n, "threads": threads, "duration": duration}
                self.log(f"[scaling N={n} T={threads} {duration:g} s] axon x{reps}")
                row["axon"] = self.best_of(lambda: self.run_axon(path, duration, threads=threads), reps,
                                           key=lambda r: r["loop"])
                add_event_counts(row["axon"], n)
                if a.floor:
                    for prec in ("f64", "f32"):
                        self.log(f"[scaling N={n} T={threads}] floor {prec} x{reps}")
                        row["floor_" + prec] = self.best_of(
                            lambda: self.run_floor(n, duration, threads, prec, "in_degree"), reps,
                            key=lambda r: r["loop"])
                if a.brian and threads == 1 and n <= a.brian_max_n and "cpp_standalone" in a.brian_targets:
                    self.log(f"[scaling N={n}] Brian2 cpp_standalone")
                    row["brian"] = self.best_of(
                        lambda: self.run_brian("cuba", "cpp_standalone", duration, n=n, in_degree=True), 1,
                        key=lambda r: r["loop"])
                self.results["scaling"].append(row)
                self.log(format_scaling_row(row))


    # -- part C -------------------------------------------------------------------------

    def part_variants(self):
        """The floor with one feature of axon's engine at a time (bench/floor_cuba.cpp
        --input, --refr64, --byte-scan, --axon-like), next to axon: where the gap comes from."""
        a = self.a
        variants = [("floor", []), ("floor, 4 KiB pages", ["--no-hugepages"]), ("+input", ["--input"]),
                    ("+refr64", ["--refr64"]), ("+byte-scan", ["--byte-scan"]),
                    ("axon-like (all three)", ["--axon-like"]),
                    ("axon-like, 4 KiB pages", ["--axon-like", "--no-hugepages"])]
        for n in a.variant_sizes:
            duration = a.scaling_duration if n <= 256000 else a.scaling_duration_1m
            reps = a.repeats if n <= 64000 else 1
            row = {"n": n, "duration": duration, "floor": {}}
            path = self.scaling_model(n)
            self.log(f"[variants N={n}] axon x{reps}")
            row["axon"] = self.best_of(lambda: self.run_axon(path, duration, threads=1), reps, key=lambda r: r["loop"])
            add_event_counts(row["axon"], n)
            self.log(f"[variants N={n}] axon with glibc's malloc on transparent huge pages x{reps}")
            row["axon_thp"] = self.best_of(
                lambda: self.run_axon(path, duration, threads=1, env_extra={"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}),
                reps, key=lambda r: r["loop"])
            add_event_counts(row["axon_thp"], n)
            for name, flags in variants:
                self.log(f"[variants N={n}] floor {name} x{reps}")
                row["floor"][name] = self.best_of(lambda: self.run_floor(n, duration, 1, "f64", "in_degree", flags),
                                                  reps, key=lambda r: r["loop"])
            self.results["variants"].append(row)


def count_spikes_below(h5path, ne):
    try:
        import h5py
        import numpy as np
        with h5py.File(h5path, "r") as f:
            ids = f["spikes/P/node_ids"][:]
        return int(np.count_nonzero(ids < ne))
    except Exception:
        return None


def add_event_counts(r, n):
    """Synaptic events = spikes x mean out-degree of their population: 64 N / NE for E,
    16 N / (N - NE) for I (both 80 when NE = 0.8 N)."""
    ne = int(round(0.8 * n))
    spikes = r.get("spikes", 0)
    se = r.get("spikes_e")
    if se is None:
        events = spikes * 80.0
    else:
        events = se * 64.0 * n / ne + (spikes - se) * 16.0 * n / (n - ne)
    r["events"] = events
    bio = r.get("bio_s") or 1.0
    steps = round(bio / 1e-4)
    if r.get("loop"):
        r["loop_per_bio_s"] = r["loop"] / bio
        r["ns_per_event"] = r["loop"] * 1e9 / events if events else float("nan")
        r["ns_per_neuron_step"] = r["loop"] * 1e9 / (n * steps)
    if r.get("synapses"):
        r["bytes_per_synapse"] = r["state_mib"] * 1048576 / r["synapses"]


# ---------------------------------------------------------------------------------------
# Tables


def fmt(x, spec=".3f", none="-"):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return none
    return format(x, spec)


def ratio(a, b, spec=".1f"):
    if a is None or b is None or b == 0:
        return "-"
    return format(a / b, spec) + "x"


def mark(r):
    if r is None:
        return ""
    return " LOADED" if r.get("loaded") else ""


def others_str(r):
    if r is None or r.get("others") is None:
        return "-"
    return f"{100 * r['others']:.0f}%"


def format_model_row(row):
    ax = row["axon"]
    s = (f"  {row['model']} {row['duration']:g} s: axon e2e {ax['e2e']:.3f} s (cpu {ax['cpu']:.3f}), loop "
         f"{ax['loop']:.3f} s, compile {ax.get('compile', 0) * 1e3:.0f} ms, {ax.get('rate_hz', 0):.2f} Hz{mark(ax)}")
    for t in ("cpp_standalone", "cython"):
        b = row.get("brian_" + t)
        if b:
            s += f"\n    Brian2 {t}: e2e {b['e2e']:.2f} s, loop {b['loop']:.3f} s, {b['rate_hz']:.2f} Hz{mark(b)}"
    if row.get("floor"):
        s += f"\n    floor: loop {row['floor']['loop']:.3f} s{mark(row['floor'])}"
    return s


def format_scaling_row(row):
    ax = row["axon"]
    s = (f"  N={row['n']} T={row['threads']}: axon {ax.get('loop_per_bio_s', 0):.3f} s/bio-s, "
         f"{ax.get('ns_per_event', 0):.1f} ns/event, {ax.get('rate_hz', 0):.2f} Hz, RSS {ax['maxrss_mb']:.0f} MB{mark(ax)}")
    for k in ("floor_f64", "floor_f32"):
        if row.get(k):
            s += f"; {k} {row[k]['loop_per_bio_s']:.3f}{mark(row[k])}"
    if row.get("brian"):
        s += f"; Brian2 {row['brian']['loop'] / row['duration']:.3f}{mark(row['brian'])}"
    return s


def table_models(results):
    rows = results["models"]
    if not rows:
        return ""
    out = ["### A. CUBA and COBA, 4000 neurons, 1 thread (wall seconds; ratios = Brian2 / axon)", "",
           "| model | bio time | axon end to end | axon loop | axon compile | Brian2 standalone end to end | ratio | "
           "Brian2 standalone loop | ratio | Brian2 cython end to end | ratio | Brian2 cython loop | ratio | "
           "floor loop (f64) | axon / floor | rate axon / standalone / cython (Hz) | load1 / others |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        ax = dict(row["axon"])
        ax["loop"] = ax.get("loop_min") or ax["loop"]
        bs = row.get("brian_cpp_standalone")
        bc = row.get("brian_cython")
        fl = row.get("floor")
        cells = [row["model"].upper(), f"{row['duration']:g} s",
                 f"{ax['e2e']:.3f}{mark(ax)}", f"{ax['loop']:.3f}", f"{ax.get('compile', 0) * 1e3:.0f} ms",
                 fmt(bs and bs["e2e"], ".2f") + mark(bs), ratio(bs and bs["e2e"], ax["e2e"]),
                 fmt(bs and bs["loop"]), ratio(bs and bs["loop"], ax["loop"], ".2f"),
                 fmt(bc and bc["e2e"], ".2f") + mark(bc), ratio(bc and bc["e2e"], ax["e2e"]),
                 fmt(bc and bc["loop"]), ratio(bc and bc["loop"], ax["loop"], ".2f"),
                 fmt(fl and fl["loop"]) + (f" (CPU {fl['loop_cpu_s']:.3f})" if fl else "") + mark(fl),
                 ratio(ax["loop"], fl and fl["loop"], ".2f"),
                 f"{ax.get('rate_hz', 0):.2f} / {fmt(bs and bs['rate_hz'], '.2f')} / {fmt(bc and bc['rate_hz'], '.2f')}",
                 f"{ax['load1']:.1f} / {others_str(ax)}"]
        out.append("| " + " | ".join(cells) + " |")
    # CPU-time slope: less sensitive to other processes than wall time.
    slopes = []
    for model in sorted({r["model"] for r in rows}):
        byd = {r["duration"]: r for r in rows if r["model"] == model}
        if len(byd) >= 2:
            d0, d1 = min(byd), max(byd)
            a0, a1 = byd[d0]["axon"], byd[d1]["axon"]
            slope = (a1["cpu"] - a0["cpu"]) / (d1 - d0)
            line = (f"- {model.upper()}: axon process CPU grows by {slope:.3f} s per biological second "
                    f"({d0:g} s run: {a0['cpu']:.3f} s CPU, {d1:g} s run: {a1['cpu']:.3f} s CPU)")
            f0, f1 = byd[d0].get("floor"), byd[d1].get("floor")
            if f0 and f1:
                line += f"; floor loop CPU {f1['loop_cpu_s'] / d1:.3f} s per biological second"
            slopes.append(line)
    if slopes:
        out += ["", "Loop cost in CPU time (process CPU of the long run minus the short one, per biological second; "
                "includes streaming the spikes to the file):", ""] + slopes
    # Breakdown of Brian2.
    out += ["", "Brian2 breakdown (seconds): import = Python + Brian2 import, setup = building the objects, "
            "codegen = writing the C++ project, compile = make/g++, binary = ./main (loop, monitors, file I/O), "
            "run() = the whole run() call (cython: code generation or cache lookup + loop).", "",
            "| model | bio time | target | import | setup | codegen | compile | binary / run() | loop | write | "
            "process wall | process CPU | peak RSS MB |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for t in ("cpp_standalone", "cython"):
            b = row.get("brian_" + t)
            if not b:
                continue
            out.append("| " + " | ".join([
                row["model"].upper(), f"{row['duration']:g} s", t, fmt(b.get("import"), ".2f"),
                fmt(b.get("setup"), ".2f"), fmt(b.get("codegen"), ".2f"), fmt(b.get("compile"), ".2f"),
                fmt(b.get("binary", b.get("run_call")), ".2f"), fmt(b.get("loop")), fmt(b.get("write"), ".2f"),
                f"{b['e2e']:.2f}{mark(b)}", f"{b['cpu']:.2f}", f"{b['maxrss_mb']:.0f}"]) + " |")
    out += ["", "axon breakdown (milliseconds, from its summary; process = wall of the whole process):", "",
            "| model | bio time | parse | check | lower | codegen | jit | build | simulate | write | process wall | "
            "process CPU | peak RSS MB | state MiB / synapses |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        ax = row["axon"]
        out.append("| " + " | ".join([row["model"].upper(), f"{row['duration']:g} s"] + [
            fmt(ax.get("t_" + k, 0) * 1e3, ".1f") for k in ("parse", "check", "lower", "codegen", "jit", "build",
                                                            "simulate", "write")] + [
            f"{ax['e2e'] * 1e3:.0f}{mark(ax)}", f"{ax['cpu'] * 1e3:.0f}", f"{ax['maxrss_mb']:.0f}",
            f"{ax.get('state_mib', 0):.1f} / {ax.get('synapses', 0)}"]) + " |")
    return "\n".join(out)


def table_scaling(results):
    rows = results["scaling"]
    if not rows:
        return ""
    out = ["### B. Scaling: CUBA, fixed in-degree 64 E + 16 I (80 synapses per neuron), same weights", "",
           "Loop = seconds of wall time per biological second. axon state is float64 (there is no float32 state); "
           "axon / floor ratios at the same thread count; the floor uses transparent huge pages. Brian2 is cpp_standalone on 1 thread, N <= 64k only.", "",
           "| N | threads | axon loop s/bio-s | ns/event | ns/neuron-step | rate Hz | axon peak RSS MB | bytes/synapse | "
           "floor f64 | axon / floor f64 | floor f32 | axon / floor f32 | floor RSS MB | Brian2 loop | Brian2 / axon | "
           "Brian2 RSS MB | axon build s | load1 / others |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        ax = row["axon"]
        f64 = row.get("floor_f64")
        f32 = row.get("floor_f32")
        br = row.get("brian")
        d = row["duration"]
        axl = ax.get("loop_per_bio_s")
        cells = [human_n(row["n"]), str(row["threads"]), f"{axl:.3f}{mark(ax)}", fmt(ax.get("ns_per_event"), ".1f"),
                 fmt(ax.get("ns_per_neuron_step"), ".2f"), fmt(ax.get("rate_hz"), ".2f"), f"{ax['maxrss_mb']:.0f}",
                 fmt(ax.get("bytes_per_synapse"), ".2f"),
                 fmt(f64 and f64["loop_per_bio_s"]) + mark(f64), ratio(axl, f64 and f64["loop_per_bio_s"], ".2f"),
                 fmt(f32 and f32["loop_per_bio_s"]) + mark(f32), ratio(axl, f32 and f32["loop_per_bio_s"], ".2f"),
                 fmt(f64 and f64["maxrss_mb"], ".0f"),
                 fmt(br and br["loop"] / d) + mark(br), ratio(br and br["loop"] / d, axl, ".2f"),
                 fmt(br and br["maxrss_mb"], ".0f"), fmt(ax.get("t_build"), ".2f"),
                 f"{ax['load1']:.1f} / {others_str(ax)}"]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "Floor detail (loop wall s per bio-s, its CPU s per bio-s in parentheses; ns per event; ns per "
            "neuron-step; rate):", "",
            "| N | threads | f64 | f64 ns/event | f64 ns/neuron-step | f32 | f32 ns/event | f32 ns/neuron-step | "
            "floor rate Hz |", "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        f64 = row.get("floor_f64")
        f32 = row.get("floor_f32")
        if not f64:
            continue
        out.append("| " + " | ".join([
            human_n(row["n"]), str(row["threads"]),
            f"{f64['loop_per_bio_s']:.3f} ({f64['loop_cpu_s'] / row['duration']:.3f}){mark(f64)}",
            f"{f64['ns_per_event']:.1f}", f"{f64['ns_per_neuron_step']:.2f}",
            (f"{f32['loop_per_bio_s']:.3f} ({f32['loop_cpu_s'] / row['duration']:.3f})" if f32 else "-") + mark(f32),
            fmt(f32 and f32["ns_per_event"], ".1f"),
            fmt(f32 and f32["ns_per_neuron_step"], ".2f"), f"{f64['rate_hz']:.2f}"]) + " |")
    return "\n".join(out)


def table_variants(results):
    rows = results.get("variants")
    if not rows:
        return ""
    names = list(rows[0]["floor"].keys())
    out = ["### C. Where the gap to the floor comes from (1 thread, float64; loop s per bio-s, wall, and the floor's "
           "loop CPU seconds per bio-s in parentheses)", "",
           "Each variant adds one feature of axon's current engine to the floor: +input = a per-neuron input array "
           "read and cleared every step; +refr64 = int64 last-spike and int64 per-neuron refractory length, reset in "
           "a separate pass; +byte-scan = spikes collected one flag byte at a time. The floor puts its large arrays "
           "on transparent huge pages (madvise); '4 KiB pages' without. 'axon THP' = axon run with "
           "GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (malloc then madvises huge pages; no code change).", "",
           "| N | axon | axon THP | " + " | ".join(names) + " | axon / axon-like, 4 KiB pages |",
           "|---|---|---|" + "---|" * len(names) + "---|"]
    for row in rows:
        ax = row["axon"]
        at = row.get("axon_thp")
        cells = [human_n(row["n"]), f"{ax['loop_per_bio_s']:.3f}{mark(ax)}",
                 (f"{at['loop_per_bio_s']:.3f}{mark(at)}" if at else "-")]
        for nme in names:
            f = row["floor"][nme]
            cells.append(f"{f['loop_per_bio_s']:.3f} ({f['loop_cpu_s'] / row['duration']:.3f}){mark(f)}")
        last = row["floor"][names[-1]]
        cells.append(ratio(ax["loop_per_bio_s"], last["loop_per_bio_s"], ".2f"))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def human_n(n):
    if n >= 1000000 and n % 1000000 == 0:
        return f"{n // 1000000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def parse_size(s):
    s = s.strip().lower()
    mult = 1
    if s.endswith("k"):
        mult, s = 1000, s[:-1]
    elif s.endswith("m"):
        mult, s = 1000000, s[:-1]
    return int(float(s) * mult)


def versions(bench):
    v = {}
    try:
        v["axon"] = subprocess.run([bench.a.axon, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    try:
        # The binary measured (it need not be built from this checkout): path, time, hash.
        with open(bench.a.axon, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        stamp = datetime.datetime.fromtimestamp(os.path.getmtime(bench.a.axon)).isoformat(timespec="seconds")
        v["axon binary"] = f"{bench.a.axon} ({stamp}, sha256 {digest})"
    except OSError:
        pass
    try:
        v["checkout"] = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                                       text=True).stdout.strip()
    except OSError:
        pass
    if bench.a.brian:
        try:
            v["Brian2"] = subprocess.run([bench.a.python, "-c", "import warnings; warnings.simplefilter('ignore'); "
                                          "import brian2, numpy, Cython; print(brian2.__version__, 'numpy', "
                                          "numpy.__version__, 'Cython', Cython.__version__)"],
                                         capture_output=True, text=True).stdout.strip()
        except OSError:
            pass
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a ~2-minute subset (CUBA 1 s; scaling 4k, 64k, 256k for 0.2 s)")
    ap.add_argument("--parts", default="models,scaling,variants", help="models, scaling, variants (comma-separated)")
    ap.add_argument("--models", default="cuba,coba")
    ap.add_argument("--durations", default="1,10", help="part A biological durations, seconds")
    ap.add_argument("--sizes", default="4k,16k,64k,256k,1M")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--variant-sizes", default="4k,1M", help="part 'variants': sizes")
    ap.add_argument("--scaling-duration", type=float, default=1.0, help="biological seconds per scaling run, N <= 256k")
    ap.add_argument("--scaling-duration-1m", type=float, default=1.0, help="biological seconds per scaling run above 256k")
    ap.add_argument("--repeats", type=int, default=3, help="repeats of the cheap runs (the fastest clean one is kept)")
    ap.add_argument("--brian-repeats", type=int, default=1)
    ap.add_argument("--no-brian", dest="brian", action="store_false")
    ap.add_argument("--brian-targets", default="cpp_standalone,cython")
    ap.add_argument("--brian-max-n", type=parse_size, default=64000)
    ap.add_argument("--brian-timeout", type=float, default=1800)
    ap.add_argument("--no-floor", dest="floor", action="store_false")
    ap.add_argument("--axon", default=None, help="the axon CLI (default: build-lead/cli/axon, else build/cli/axon)")
    ap.add_argument("--python", default="/usr/bin/python3", help="the Python with Brian2")
    ap.add_argument("--others-limit", type=float, default=0.05,
                    help="share of the machine's CPU used by other processes during a run above which it is LOADED")
    ap.add_argument("--retry", type=int, default=1, help="reruns of a configuration whose runs were all LOADED")
    ap.add_argument("--quiet-wait", type=float, default=60, help="seconds to wait for a quiet machine before a retry")
    ap.add_argument("--wait-start", type=float, default=0, help="seconds to wait for a quiet machine before starting")
    ap.add_argument("--quiet-limit", type=float, default=0.10,
                    help="a machine is quiet when less than this share of its CPU capacity is busy (0.55: one core "
                         "of two may be busy)")
    ap.add_argument("--no-count-ei", dest="count_ei", action="store_false",
                    help="do not read axon's HDF5 to split spikes into E and I (events = spikes x 80)")
    ap.add_argument("--json", default=None, help="write all measurements here")
    ap.add_argument("--markdown", default=None, help="write the tables here")
    a = ap.parse_args()
    if a.quick:
        a.durations = "1"
        a.models = "cuba"
        a.sizes = "4k,64k,256k"
        a.scaling_duration = 0.2
        a.scaling_duration_1m = 0.2
        a.repeats = 2
        a.retry = 0
        a.brian_targets = "cpp_standalone,cython"
        a.brian_max_n = 0
        a.variant_sizes = "4k"
    a.parts = [p.strip() for p in a.parts.split(",") if p.strip()]
    a.models = [m.strip() for m in a.models.split(",") if m.strip()]
    a.durations = [float(d) for d in a.durations.split(",")]
    a.sizes = [parse_size(s) for s in a.sizes.split(",")]
    a.variant_sizes = [parse_size(s) for s in a.variant_sizes.split(",")]
    a.threads = [int(t) for t in a.threads.split(",")]
    a.brian_targets = [t.strip() for t in a.brian_targets.split(",") if t.strip()]
    if a.axon is None:
        for cand in ("build-lead/cli/axon", "build/cli/axon"):
            if os.path.exists(os.path.join(ROOT, cand)):
                a.axon = os.path.join(ROOT, cand)
                break
    if a.axon is None or not os.path.exists(a.axon):
        sys.exit("run_bench: no axon CLI found; build it or pass --axon")
    a.axon = os.path.abspath(a.axon)
    if a.brian:
        probe = subprocess.run([a.python, "-c", "import brian2"], capture_output=True)
        if probe.returncode != 0:
            print(f"run_bench: {a.python} cannot import brian2; running without the Brian2 columns", file=sys.stderr)
            a.brian = False

    b = Bench(a)
    info = b.results["machine"]
    b.results["versions"] = versions(b)
    t_start = time.time()
    b.log(f"machine: {info.get('Model name')} ({info.get('CPU(s)')} CPUs), load {os.getloadavg()}")
    if a.wait_start > 0:
        b.log("waiting for a quiet machine" + ("" if wait_quiet(a.wait_start, limit=a.quiet_limit, log=b.log)
                                               else ": gave up"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        if "models" in a.parts:
            b.part_models()
        if "scaling" in a.parts:
            b.part_scaling()
        if "variants" in a.parts:
            b.part_variants()
    finally:
        b.cleanup()
    b.results["elapsed_s"] = time.time() - t_start
    b.results["load_end"] = os.getloadavg()

    head = [f"Machine: {info.get('Model name')}, {info.get('CPU(s)')} CPUs ({info.get('Core(s) per socket')} cores per "
            f"socket, {info.get('Thread(s) per core')} thread per core), {info.get('MemTotal')}; {info.get('g++')}",
            f"Date: {info['date']}; versions: " + "; ".join(f"{k} {v}" for k, v in b.results["versions"].items()),
            f"Command: {b.results['command']}",
            f"Took {b.results['elapsed_s']:.0f} s. load1 = 1-minute load average before the run; others = CPU used "
            f"by other processes during the run, as a share of the machine; LOADED = others above "
            f"{100 * a.others_limit:.0f} %: that number is inflated by other processes. Fastest clean run of "
            f"{a.repeats} (runs up to 64k neurons; 1 above) kept.", ""]
    text = ("\n".join(head) + "\n" + table_models(b.results) + "\n\n" + table_scaling(b.results) + "\n\n"
            + table_variants(b.results) + "\n")
    print(text)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(b.results, f, indent=1, default=str)


if __name__ == "__main__":
    main()
