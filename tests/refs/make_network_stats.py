#!/usr/bin/python3
"""Reference statistics of the example networks (models/cuba.axon, coba.axon, brunel.axon),
from Brian2 runs of the same models with several seeds -> tests/refs/data/network_stats.json.

Run with Debian's Python, which has Brian2 (python3-brian), NumPy and h5py:

    /usr/bin/python3 tests/refs/make_network_stats.py                  # every network
    /usr/bin/python3 tests/refs/make_network_stats.py cuba brunelB     # some (others kept)
    /usr/bin/python3 tests/refs/make_network_stats.py --axon build/cli/axon   # and axon too
    /usr/bin/python3 tests/refs/make_network_stats.py --axon-only --axon build/cli/axon
    /usr/bin/python3 tests/refs/make_network_stats.py --axon build/cli/axon cuba \
        --set 'P.t_ref=0 ms'          # a what-if run of axon, printed only
    /usr/bin/python3 tests/refs/make_network_stats.py --cxx    # constants of the C++ test

Not part of the test run: the JSON is committed, and tests/networks/network_stats_test.cpp
checks axon's statistics against bands written from it, so CI needs neither Brian2 nor
this script. The JSON's `axon` entries are for comparison only (they say what this axon
gave when the script last ran); the bands come from the `brian2` entries alone.
Time: about 30 s per CUBA/COBA seed and 1-3 min per Brunel seed (most of it compiling and
building the 28 M synapses) on 2 cores, about 40 min for everything.

Statistics of one run, over the spikes with t in [t0, t1) (times in whole steps):
- rate: population mean firing rate, spikes / (neurons * (t1 - t0)), in Hz;
  for Brunel also rate_E (neurons 0..9999) and rate_I (10000..12499);
- cv: the mean over the neurons with >= 3 spikes in the window of the coefficient of
  variation of their interspike intervals, std(ISI) / mean(ISI) with the population
  standard deviation (ddof = 0); n_cv is how many neurons that is.
Across seeds: the mean, the sample standard deviation (ddof = 1) and each seed's value.
Seeds are labels: Brian2's and axon's generators differ, so runs with the same seed are
different draws of the same random network, compared only as distributions.

Brian2 setup (the same networks as the axon files, written independently in Brian2):
- dt = 0.1 ms, schedule start -> groups -> thresholds -> synapses -> resets (the same step
  order as axon), float64, code generation target cpp_standalone (one project directory
  per network under --build-dir, rebuilt per seed; `--target cython|numpy` also work but a
  Brunel run then takes tens of minutes).
- CUBA: Brian2's examples/CUBA.py (Vogels & Abbott 2005): dv/dt = (ge + gi - (v - El))/taum
  (unless refractory), exact; ge, gi jump by 1.62 mV / -9 mV; p = 0.02 (self pairs allowed),
  v0 ~ U(-60, -50) mV, refractory 5 ms, 16 seeds of 1 s.
- COBA: Brette et al. (2007) benchmark 1 as in models/coba.axon: conductances with reversal
  potentials 0 / -80 mV, Euler, ge0 ~ N(40, 15) nS, gi0 ~ N(200, 120) nS (not truncated), v0 ~
  U(-60, -50) mV, w = 6 nS / 67 nS, p = 0.02, no delay, refractory 5 ms, 16 seeds of 1 s.
- Brunel (2000) states A and B (brunelA, brunelB): 12500 LIF (10000 E, 2500 I), tau 20 ms,
  theta 20 mV, V_r 10 mV, refractory 2 ms, v0 = 0, delta synapses on v (`v_post += J`),
  J = 0.1 mV, g = 3 (A) / 6 (B), delay 1.5 ms for E and I, fixed in-degree 1000 E + 250 I
  without repetition (self pairs allowed); external drive: a PoissonGroup of 10000 sources
  at 20 Hz (A) / 40 Hz (B), each neuron receiving from 1000 of them (fixed in-degree, without
  repetition), delay 0 (axon's default), J = 0.1 mV; 5 seeds of 1 s. The in-degree samples
  are drawn with NumPy (default_rng(seed)), the rest by Brian2 after brian2.seed(seed).
  With `(unless refractory)`, Brian2 drops the jumps that reach a refractory neuron (v is
  held at V_r, as in Brunel 2000). brunelA_keep / brunelB_keep (also 5 seeds) keep them
  (`dv/dt = -v / tau * int(not_refractory)`, no flag), which is what axon's clamp does.
Windows: every network over [0, 1 s); Brunel also over [0, 300 / 200 / 100 ms) (the same
runs cut short, which is what a shorter run gives, by causality) for shorter test runs.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "data" / "network_stats.json"
DT_MS = 0.1

# Brunel: the full second and shorter windows from its start (what a shorter run gives).
BRUNEL_WINDOWS = [(0.0, 1000.0), (0.0, 300.0), (0.0, 200.0), (0.0, 100.0)]

NETWORKS = {
    "cuba": dict(file="models/cuba.axon", network="CUBA", n=4000, duration_ms=1000.0,
                 seeds=list(range(1, 17)), windows=[(0.0, 1000.0)], groups=None),
    "coba": dict(file="models/coba.axon", network="COBA", n=4000, duration_ms=1000.0,
                 seeds=list(range(1, 17)), windows=[(0.0, 1000.0)], groups=None),
    "brunelA": dict(file="models/brunel.axon", network="BrunelA", n=12500, duration_ms=1000.0,
                    seeds=list(range(1, 6)), windows=BRUNEL_WINDOWS,
                    groups={"E": (0, 10000), "I": (10000, 12500)}),
    "brunelB": dict(file="models/brunel.axon", network="BrunelB", n=12500, duration_ms=1000.0,
                    seeds=list(range(1, 6)), windows=BRUNEL_WINDOWS,
                    groups={"E": (0, 10000), "I": (10000, 12500)}),
}
# Diagnostic variants: Brunel with the inputs during refractoriness kept (axon's semantics).
for _k in ("brunelA", "brunelB"):
    NETWORKS[_k + "_keep"] = dict(NETWORKS[_k])


# ----------------------------------------------------------------------------- statistics

def stats(steps, ids, n, window, groups):
    """Rate and CV of one run: spikes as integer steps and neuron indices."""
    lo = int(round(window[0] / DT_MS))
    hi = int(round(window[1] / DT_MS))
    keep = (steps >= lo) & (steps < hi)
    steps, ids = steps[keep], ids[keep]
    seconds = (hi - lo) * DT_MS / 1000.0
    out = {"rate": len(steps) / (n * seconds)}
    if groups:
        for g, (a, b) in groups.items():
            out["rate_" + g] = int(np.count_nonzero((ids >= a) & (ids < b))) / ((b - a) * seconds)
    order = np.lexsort((steps, ids))  # by neuron, then time
    steps, ids = steps[order], ids[order]
    cvs = []
    bounds = np.flatnonzero(np.diff(ids)) + 1
    for s in np.split(np.arange(len(ids)), bounds):
        if len(s) >= 3:
            isi = np.diff(steps[s]).astype(np.float64) * DT_MS
            cvs.append(isi.std() / isi.mean())
    out["cv"] = float(np.mean(cvs)) if cvs else 0.0
    out["n_cv"] = len(cvs)
    return out


def summarise(per_seed):
    """{seed: {stat: value}} -> {stat: {mean, std, values}}."""
    seeds = sorted(per_seed)
    keys = per_seed[seeds[0]].keys()
    res = {}
    for k in keys:
        vals = [per_seed[s][k] for s in seeds]
        res[k] = {"mean": float(np.mean(vals)),
                  "std": float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0,
                  "values": [float(v) for v in vals]}
    return res


# ----------------------------------------------------------------------------- Brian2

def brian_network(name, seed, b2):
    """Builds the Brian2 network `name`; returns (Network, SpikeMonitor)."""
    from brian2 import (NeuronGroup, PoissonGroup, Synapses, SpikeMonitor, Network, ms, mV, nS,
                        pF, Hz)
    b2.start_scope()
    b2.defaultclock.dt = DT_MS * ms
    b2.seed(seed)
    if name == "cuba":
        ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV,
                  we=1.62 * mV, wi=-9 * mV)
        eqs = """
        dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
        dge/dt = -ge / taue : volt
        dgi/dt = -gi / taui : volt
        """
        P = NeuronGroup(4000, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms,
                        method="exact", namespace=ns, name="P")
        P.v = "Vr + rand() * (Vt - Vr)"
        Ce = Synapses(P, P, on_pre="ge_post += we", namespace=ns, name="Ce")
        Ci = Synapses(P, P, on_pre="gi_post += wi", namespace=ns, name="Ci")
        Ce.connect("i < 3200", p=0.02)
        Ci.connect("i >= 3200", p=0.02)
        mon = SpikeMonitor(P, name="spikes")
        return Network(P, Ce, Ci, mon, name="net"), mon, eqs
    if name == "coba":
        ns = dict(C=200 * pF, gl=10 * nS, El=-60 * mV, Vt=-50 * mV, Vr=-60 * mV, taue=5 * ms,
                  taui=10 * ms, Ee=0 * mV, Ei=-80 * mV, we=6 * nS, wi=67 * nS)
        eqs = """
        dv/dt = (gl * (El - v) + ge * (Ee - v) + gi * (Ei - v)) / C : volt (unless refractory)
        dge/dt = -ge / taue : siemens
        dgi/dt = -gi / taui : siemens
        """
        P = NeuronGroup(4000, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms,
                        method="euler", namespace=ns, name="P")
        P.v = "Vr + rand() * (Vt - Vr)"
        P.ge = "(40 + 15 * randn()) * nS"
        P.gi = "(200 + 120 * randn()) * nS"
        Ce = Synapses(P, P, on_pre="ge_post += we", namespace=ns, name="Ce")
        Ci = Synapses(P, P, on_pre="gi_post += wi", namespace=ns, name="Ci")
        Ce.connect("i < 3200", p=0.02)
        Ci.connect("i >= 3200", p=0.02)
        mon = SpikeMonitor(P, name="spikes")
        return Network(P, Ce, Ci, mon, name="net"), mon, eqs
    if name.startswith("brunel"):
        g, nu_ext = (3.0, 20 * Hz) if name.startswith("brunelA") else (6.0, 40 * Hz)
        NE, NI, NX, CE, CI, CX = 10000, 2500, 10000, 1000, 250, 1000
        J = 0.1 * mV
        ns = dict(tau=20 * ms, theta=20 * mV, Vr=10 * mV, JE=J, JI=-g * J, JX=J)
        if name.endswith("_keep"):
            # Inputs that arrive during the refractory period stay in v (axon's clamp keeps
            # the value v has at the start of each refractory step, deliveries included).
            eqs = "dv/dt = -v / tau * int(not_refractory) : volt"
        else:
            # Brian2's standard form: with `(unless refractory)` Brian2 also drops the
            # synaptic increments `v_post += J` that reach a refractory neuron (the
            # generated on_pre code applies them only where not_refractory), as in
            # Brunel (2000), where v is held at Vr during the refractory period.
            eqs = "dv/dt = -v / tau : volt (unless refractory)"
        P = NeuronGroup(NE + NI, eqs, threshold="v > theta", reset="v = Vr", refractory=2 * ms,
                        method="exact", namespace=ns, name="P")
        P.v = 0 * mV
        X = PoissonGroup(NX, rates=nu_ext, name="X")
        rng = np.random.default_rng(seed)

        def in_degree(n_pre, k, n_post):
            # For every target, k distinct sources (self pairs allowed).
            pre = np.empty(n_post * k, dtype=np.int32)
            for j in range(n_post):
                pre[j * k:(j + 1) * k] = rng.choice(n_pre, size=k, replace=False)
            return pre, np.repeat(np.arange(n_post, dtype=np.int32), k)

        SE = Synapses(P[:NE], P, on_pre="v_post += JE", delay=1.5 * ms, namespace=ns,
                      name="SE")
        SI = Synapses(P[NE:], P, on_pre="v_post += JI", delay=1.5 * ms, namespace=ns,
                      name="SI")
        SX = Synapses(X, P, on_pre="v_post += JX", namespace=ns, name="SX")
        for S, n_pre, k in ((SE, NE, CE), (SI, NI, CI), (SX, NX, CX)):
            i, j = in_degree(n_pre, k, NE + NI)
            S.connect(i=i, j=j)
        mon = SpikeMonitor(P, name="spikes")
        return Network(P, X, SE, SI, SX, mon, name="net"), mon, eqs
    raise KeyError(name)


def run_brian(name, cfg, seed, target, build_dir):
    """One Brian2 run; returns (spike steps, neuron ids, wall seconds of the simulation, eqs)."""
    import gc
    import brian2 as b2
    if target == "cpp_standalone":
        # One project directory per network: only main.cpp (the seed) and the static arrays
        # change between seeds, so a rebuild recompiles little (objects have fixed names).
        d = os.path.join(build_dir, name)
        b2.device.reinit()
        b2.device.activate(directory=d, build_on_run=False)
    net, mon, eqs = brian_network(name, seed, b2)
    t0 = time.time()
    net.run(cfg["duration_ms"] * b2.ms)
    if target == "cpp_standalone":
        b2.device.build(directory=d, compile=True, run=True, debug=False, clean=False)
        wall = float(b2.device._last_run_time)
    else:
        wall = time.time() - t0
    steps = np.round(np.asarray(mon.t / b2.ms) / DT_MS).astype(np.int64)
    ids = np.asarray(mon.i, dtype=np.int64)
    del net, mon
    gc.collect()
    return steps, ids, wall, eqs


# ----------------------------------------------------------------------------- axon

def read_axon(path, pop="P"):
    """Spikes of population `pop` in an axon HDF5 file, as (steps, ids)."""
    import h5py
    with h5py.File(path, "r") as f:
        t = f["spikes/%s/timestamps" % pop][:]
        ids = f["spikes/%s/node_ids" % pop][:].astype(np.int64)
        dt = float(f["axon/dt"][()])
    return np.round(t / dt).astype(np.int64), ids


def run_axon(axon, cfg, seed, extra=()):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.h5")
        cmd = [axon, "run", str(ROOT / cfg["file"]), "-o", out, "--network", cfg["network"],
               "--seed", str(seed), "--duration", "%g ms" % cfg["duration_ms"], "--quiet"]
        cmd += list(extra)
        t0 = time.time()
        subprocess.run(cmd, check=True)
        wall = time.time() - t0
        steps, ids = read_axon(out)
    return steps, ids, wall


# ----------------------------------------------------------------------------- main

# What tests/networks/network_stats_test.cpp checks: the window (a run of that length), how
# many axon seeds it averages, and the band floors (relative for rates, absolute for CV);
# --cxx prints its constants.
TEST_BANDS = {
    "cuba": dict(const="kCuba", window=(0.0, 1000.0), axon_seeds=4, rate_floor_rel=0.02, cv_floor=0.01),
    "coba": dict(const="kCoba", window=(0.0, 1000.0), axon_seeds=4, rate_floor_rel=0.02, cv_floor=0.01),
    "brunelA": dict(const="kBrunelADrop", window=(0.0, 300.0), axon_seeds=1, rate_floor_rel=0.02,
                    cv_floor=0.02),
    "brunelB": dict(const="kBrunelBDrop", window=(0.0, 300.0), axon_seeds=1, rate_floor_rel=0.02,
                    cv_floor=0.02),
    "brunelA_keep": dict(const="kBrunelAKeep", window=(0.0, 300.0), axon_seeds=1, rate_floor_rel=0.02,
                         cv_floor=0.02),
    "brunelB_keep": dict(const="kBrunelBKeep", window=(0.0, 300.0), axon_seeds=1, rate_floor_rel=0.02,
                         cv_floor=0.02),
}


def print_cxx(data):
    for name, tb in TEST_BANDS.items():
        entry = data["networks"].get(name)
        if not entry or "brian2" not in entry:
            continue
        cfg = NETWORKS[name]
        w = entry["brian2"]["windows"][window_key(tb["window"])]

        def ref(k):
            return "{%.6g, %.4g}" % (w[k]["mean"], w[k]["std"]) if k in w else "{0, 0}"

        print('constexpr NetworkRef %s{"%s", "%s", "%s", %d, %.1f, %d, %d, %s, %s, %s, %s, %g, %g};' % (
            tb["const"], name, cfg["file"], cfg["network"], cfg["n"], tb["window"][1],
            len(entry["brian2"]["seeds"]), tb["axon_seeds"], ref("rate"), ref("cv"), ref("rate_E"),
            ref("rate_I"), tb["rate_floor_rel"], tb["cv_floor"]))


def git_state():
    try:
        return subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def compiler_version():
    try:
        return subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "?"


def window_key(w):
    return "%g-%g ms" % w


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("networks", nargs="*", default=list(NETWORKS))
    ap.add_argument("--axon", help="also run this axon binary with the same seeds")
    ap.add_argument("--axon-only", action="store_true",
                    help="only run axon (keep the Brian2 numbers in the JSON)")
    ap.add_argument("--target", default="cpp_standalone", choices=["cpp_standalone", "cython", "numpy"],
                    help="Brian2 code generation (default cpp_standalone)")
    ap.add_argument("--build-dir", default=os.path.join(tempfile.gettempdir(), "axon_network_stats"),
                    help="where the cpp_standalone projects are built (about 3 GB with Brunel; "
                         "it can be deleted afterwards)")
    ap.add_argument("--cxx", action="store_true",
                    help="only print the constants of tests/networks/network_stats_test.cpp")
    ap.add_argument("--seeds", type=int, help="number of seeds (overrides the defaults)")
    ap.add_argument("--set", action="append", default=[],
                    help="axon --set for a what-if run (printed only, not saved)")
    args = ap.parse_args()

    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    data.setdefault("networks", {})
    if args.cxx:
        print_cxx(data)
        return 0
    what_if = bool(args.set)
    if not args.axon_only and not what_if:
        import brian2 as b2
        b2.BrianLogger.log_level_error()
        if args.target == "cpp_standalone":
            b2.set_device("cpp_standalone", build_on_run=False)
        else:
            b2.prefs.codegen.target = args.target
        data["brian2_setup"] = {
            "brian2": b2.__version__, "numpy": np.__version__, "python": platform.python_version(),
            "codegen_target": args.target, "compiler": compiler_version(), "dt_ms": DT_MS, "float": "float64",
            "schedule": "start, groups, thresholds, synapses, resets, end",
        }
        data["statistics"] = (
            "per run, over the spikes in the window [t0, t1) (whole steps): rate = spikes / "
            "(neurons * (t1 - t0)) in Hz (rate_E, rate_I: of neurons 0..9999 and 10000..12499); "
            "cv = mean over the neurons with >= 3 spikes in the window of std(ISI)/mean(ISI), "
            "ddof 0; n_cv = how many neurons. Across seeds: mean, std (ddof 1), values.")
        data["generated_by"] = "tests/refs/make_network_stats.py"

    for name in args.networks:
        cfg = NETWORKS[name]
        seeds = cfg["seeds"][:args.seeds] if args.seeds else cfg["seeds"]
        if args.seeds and args.seeds > len(seeds):
            seeds = list(range(1, args.seeds + 1))
        entry = data["networks"].setdefault(name, {})
        runners = []
        if not args.axon_only and not what_if:
            runners.append("brian2")
        if args.axon:
            runners.append("axon")
        for who in runners:
            per_window = {window_key(w): {} for w in cfg["windows"]}
            walls = []
            for seed in seeds:
                if who == "brian2":
                    steps, ids, wall, eqs = run_brian(name, cfg, seed, args.target, args.build_dir)
                else:
                    steps, ids, wall = run_axon(args.axon, cfg, seed, sum((["--set", s] for s in args.set), []))
                walls.append(wall)
                for w in cfg["windows"]:
                    per_window[window_key(w)][seed] = stats(steps, ids, cfg["n"], w, cfg["groups"])
                full = per_window[window_key(cfg["windows"][0])][seed]
                print("%-8s %-6s seed %2d: rate %8.3f Hz  cv %.4f  (n_cv %5d)%s  [%.1f s]" % (
                    name, who, seed, full["rate"], full["cv"], full["n_cv"],
                    "".join("  rate_%s %.3f" % (g, full["rate_" + g]) for g in (cfg["groups"] or {})),
                    wall), flush=True)
            result = {"seeds": seeds, "duration_ms": cfg["duration_ms"],
                      "wall_seconds_per_run": float(np.mean(walls)),
                      "windows": {k: summarise(v) for k, v in per_window.items()}}
            if who == "brian2":
                result["equations"] = eqs
            else:
                result["note"] = "for comparison only; the test bands come from brian2"
                result["source"] = git_state()
            if what_if:
                b = entry.get("brian2", {}).get("windows", {})
                for wk, w in result["windows"].items():
                    for k, v in w.items():
                        if k != "n_cv":
                            ref = b.get(wk, {}).get(k)
                            print("  %-10s %-7s axon %s: %10.4f +- %-8.4f  brian2: %s" % (
                                wk, k, " ".join(args.set), v["mean"], v["std"],
                                "%.4f +- %.4f" % (ref["mean"], ref["std"]) if ref else "-"))
                continue
            entry[who] = result
            entry["model"] = {"file": cfg["file"], "network": cfg["network"], "n": cfg["n"]}
        if not what_if:
            OUT.parent.mkdir(parents=True, exist_ok=True)
            OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")

    if what_if:
        return 0
    # Summary table.
    print("\n%-8s %-11s %-7s %-24s %-24s" % ("network", "window", "stat", "brian2 mean +- std",
                                             "axon mean +- std"))
    for name, entry in data["networks"].items():
        b = entry.get("brian2", {}).get("windows", {})
        a = entry.get("axon", {}).get("windows", {})
        for wk in b:
            for k in b[wk]:
                if k == "n_cv":
                    continue
                bs = b[wk][k]
                line = "%-8s %-11s %-7s %10.4f +- %-10.4f" % (name, wk, k, bs["mean"], bs["std"])
                if wk in a and k in a[wk]:
                    s = a[wk][k]
                    line += " %10.4f +- %-10.4f  (%+.1f brian2 std)" % (
                        s["mean"], s["std"], (s["mean"] - bs["mean"]) / bs["std"] if bs["std"] else 0)
                print(line)


if __name__ == "__main__":
    sys.exit(main())
