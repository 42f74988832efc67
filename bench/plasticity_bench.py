#!/usr/bin/python3
"""Plastic synapses in the network benchmark: CUBA (models/cuba.axon) with additive STDP
on the E -> E synapses (stdlib STDP: tau 20 ms, A_pre 0.01, A_post -0.0105, w in [0, 1]
starting at 0.5, each adding w * 3.24 mV, so the initial drive equals CUBA's 1.62 mV),
in axon and in Brian2 cpp_standalone, on the same machine in one go.

    /usr/bin/python3 bench/plasticity_bench.py [--axon build-lead/cli/axon] [--duration 1] [--repeats 2]

Prints, per program: the whole process (model to output file; Brian2's code generation
and g++ build included), the simulation loop alone (axon: `simulate` of its summary;
Brian2: device._last_run_time), the mean rate and the final mean E->E weight, and the
ratios Brian2 / axon. The fastest of --repeats runs is kept. Never asserts speed.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

AXON_MODEL = """
import receptors.exp
import synapses.stdp

neuron CubaLIF {
  parameter tau_m   = 20 ms
  parameter v_rest  = -49 mV
  parameter v_th    = -50 mV
  parameter v_reset = -60 mV
  parameter t_ref   = 5 ms
  input u : mV
  state v = v_rest
  v' = (v_rest - v + u) / tau_m
  on spike when v > v_th { v = v_reset }
  refractory t_ref clamps v
}

network CubaSTDP {
  population P = CubaLIF[4000] with receptors {
    exc = ExpVoltage(tau = 5 ms),
    inh = ExpVoltage(tau = 10 ms)
  } {
    v = Uniform(-60 mV, -50 mV)
  }
  let E = P[0:3200]
  let I = P[3200:4000]
  project EE = E -> E.exc via STDP { w_scale = 3.24 mV; w = 0.5 } connect probability(0.02)
  project E -> I.exc via Static { w = 1.62 mV } connect probability(0.02)
  project I -> P.inh via Static { w = -9 mV } connect probability(0.02)
  probe spikes of P
}

run CubaSTDP { duration = DURATION; dt = 0.1 ms; seed = 1 }
"""

BRIAN2_SCRIPT = r"""
import json, sys, time, warnings
t0 = time.perf_counter()
warnings.filterwarnings("ignore")
import numpy as np
import h5py
import brian2 as b2
from brian2 import ms, mV, Hz, second
build_dir, out, duration = sys.argv[1], sys.argv[2], float(sys.argv[3])
b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
b2.prefs.devices.cpp_standalone.openmp_threads = 0
b2.defaultclock.dt = 0.1 * ms
b2.seed(1)
taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
eqs = '''dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
         dge/dt = -ge / taue : volt
         dgi/dt = -gi / taui : volt'''
P = b2.NeuronGroup(4000, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms, method="exact")
P.v = "Vr + rand() * (Vt - Vr)"
E, I = P[:3200], P[3200:]
taupre = taupost = 20 * ms
Apre, Apost, wmax = 0.01, -0.0105, 1.0
EE = b2.Synapses(E, E, '''w : 1
                 dapre/dt = -apre / taupre : 1 (event-driven)
                 dapost/dt = -apost / taupost : 1 (event-driven)''',
                 on_pre='''ge_post += w * 3.24 * mV
                 apre += Apre
                 w = clip(w + apost, 0, wmax)''',
                 on_post='''apost += Apost
                 w = clip(w + apre, 0, wmax)''')
EE.connect(p=0.02)
EE.w = 0.5
EI = b2.Synapses(E, I, on_pre="ge_post += 1.62 * mV")
EI.connect(p=0.02)
IP = b2.Synapses(I, P, on_pre="gi_post += -9 * mV")
IP.connect(p=0.02)
mon = b2.SpikeMonitor(P)
b2.run(duration * second)
t1 = time.perf_counter()
b2.device.build(directory=build_dir, compile=True, run=True, with_output=False, clean=False)
with h5py.File(out, "w") as f:
    f["t"] = np.asarray(mon.t / second)
    f["i"] = np.asarray(mon.i)
    f["w"] = np.asarray(EE.w[:])
print(json.dumps(dict(loop=float(b2.device._last_run_time), spikes=int(mon.num_spikes),
                      mean_w=float(np.mean(EE.w[:])), synapses_ee=int(len(EE)),
                      whole=time.perf_counter() - t0)))
"""


def run_axon(axon, duration, work):
    model = os.path.join(work, "cuba_stdp.axon")
    with open(model, "w") as f:
        f.write(AXON_MODEL.replace("DURATION", "%g s" % duration))
    out = os.path.join(work, "axon.h5")
    t0 = time.perf_counter()
    p = subprocess.run([axon, "run", model, "-o", out, "--threads", "1"], capture_output=True, text=True, cwd=ROOT)
    whole = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("axon failed:\n" + p.stderr + p.stdout)
    loop = float(re.search(r"simulate ([0-9.]+) ms", p.stdout).group(1)) / 1e3
    spikes = int(re.search(r"CubaLIF\s+4000 neurons\s+(\d+) spikes", p.stdout).group(1))
    import h5py
    import numpy as np
    with h5py.File(out, "r") as f:
        mean_w = float(np.mean(f["/connectivity/EE/w"][:]))
        n_ee = len(f["/connectivity/EE/w"])
    return dict(whole=whole, loop=loop, spikes=spikes, mean_w=mean_w, synapses_ee=n_ee)


def run_brian2(duration, work):
    build = os.path.join(work, "brian2_build")
    shutil.rmtree(build, ignore_errors=True)
    script = os.path.join(work, "brian2_stdp.py")
    with open(script, "w") as f:
        f.write(BRIAN2_SCRIPT)
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/python3", script, build, os.path.join(work, "brian2.h5"), str(duration)],
                       capture_output=True, text=True)
    whole = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("brian2 failed:\n" + p.stderr[-3000:])
    res = json.loads(p.stdout.strip().splitlines()[-1])
    res["whole"] = whole
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_axon = os.path.join(ROOT, "build-lead/cli/axon")
    if not os.path.exists(default_axon):
        default_axon = os.path.join(ROOT, "build/cli/axon")
    ap.add_argument("--axon", default=default_axon)
    ap.add_argument("--duration", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="axon_plasticity_bench_")
    best = {}
    for name, fn in (("axon", lambda: run_axon(args.axon, args.duration, work)),
                     ("brian2 cpp_standalone", lambda: run_brian2(args.duration, work))):
        runs = [fn() for _ in range(args.repeats)]
        best[name] = min(runs, key=lambda r: r["whole"])
    print("CUBA + STDP on E->E, %g s biological time, dt 0.1 ms, 1 thread, float64" % args.duration)
    print("%-24s %10s %10s %10s %10s %10s" % ("program", "whole (s)", "loop (s)", "rate (Hz)", "mean w", "E->E syn"))
    for name, r in best.items():
        print("%-24s %10.3f %10.3f %10.2f %10.4f %10d" % (name, r["whole"], r["loop"], r["spikes"] / 4000 / args.duration,
                                                         r["mean_w"], r["synapses_ee"]))
    a, b = best["axon"], best["brian2 cpp_standalone"]
    print("ratio brian2 / axon: whole process %.1fx, loop %.2fx" % (b["whole"] / a["whole"], b["loop"] / a["loop"]))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
