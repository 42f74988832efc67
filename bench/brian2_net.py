#!/usr/bin/python3
"""The CUBA and COBA benchmark networks in Brian2, for comparison with axon.

Benchmark-only: axon never imports Brian2. Run with the Debian Python that has
python3-brian (Brian2 2.5.1):

    /usr/bin/python3 bench/brian2_net.py --model cuba --target cpp_standalone --duration 1
    /usr/bin/python3 bench/brian2_net.py --model coba --target cython --duration 10
    /usr/bin/python3 bench/brian2_net.py --model cuba --n 16000 --in-degree --target cpp_standalone

The models are those of models/cuba.axon and models/coba.axon:

- CUBA (Vogels & Abbott 2005, Brian2's CUBA example): 4000 LIF neurons (80 % E),
  dv/dt = (ge + gi - (v - El)) / taum with voltage-valued exponential synapses,
  integrated exactly ("exact" method: the system is linear), refractory 5 ms clamping v,
  we = 60 * 0.27 / 10 mV = 1.62 mV, wi = -9 mV, p = 0.02, v uniform in [Vr, Vt].
- COBA (models/coba.axon): C = 200 pF, gL = 10 nS, EL = -60 mV, conductances in nS
  with reversal potentials 0 / -80 mV, euler, we = 6 nS, wi = 67 nS, p = 0.02,
  initial ge ~ N(40, 15) nS, gi ~ N(200, 120) nS (not clipped, as in axon).

--in-degree replaces p = 0.02 by a fixed in-degree: exactly 64 excitatory and 16
inhibitory sources per neuron (80 synapses per neuron, as p = 0.02 gives on average
at N = 4000), with the same weights: the scaling benchmark of bench/run_bench.py.

Both record every spike (SpikeMonitor) and v of neurons 0-9 every 1 ms, like the axon
models, and write them to an HDF5 file (--out), so that "end to end" means model to
output file in both programs.

The last line printed on stdout is one JSON object with the timings (seconds):
  setup     python side: building the objects (up to the run() call)
  codegen   cpp_standalone: writing the C++ project (build minus make minus main)
  compile   cpp_standalone: make (g++)
  binary    cpp_standalone: the whole ./main process
  run_call  cython/numpy: the whole run() call (code generation, compilation or cache
            lookup, and the loop)
  loop      the simulation loop alone (Brian2's own measurement: device._last_run_time)
  write     writing the HDF5 output
  spikes, rate_hz, synapses
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import warnings

T_START = time.perf_counter()
warnings.filterwarnings("ignore")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=["cuba", "coba"], default="cuba")
    ap.add_argument("--target", choices=["cpp_standalone", "cython", "numpy"], default="cpp_standalone")
    ap.add_argument("--duration", type=float, default=1.0, help="biological time in seconds")
    ap.add_argument("--n", type=int, default=4000, help="neurons (80%% excitatory)")
    ap.add_argument("--in-degree", action="store_true",
                    help="fixed in-degree 64 E + 16 I instead of p = 0.02")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=None, help="HDF5 output file (default: a temporary file, deleted)")
    ap.add_argument("--build-dir", default=None, help="cpp_standalone project folder (default: a fresh temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the standalone project folder")
    ap.add_argument("--no-write", action="store_true", help="do not write the HDF5 output")
    args = ap.parse_args()

    import numpy as np
    import brian2 as b2
    from brian2 import ms, mV, nS, pF, second, NeuronGroup, Synapses, SpikeMonitor, StateMonitor
    t_import = time.perf_counter()

    b2.prefs.logging.console_log_level = "WARNING"
    build_dir = None
    if args.target == "cpp_standalone":
        build_dir = args.build_dir or tempfile.mkdtemp(prefix="axon_bench_brian2_")
        if args.build_dir is None and not args.keep:
            import atexit
            atexit.register(shutil.rmtree, build_dir, True)
        b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    else:
        b2.prefs.codegen.target = args.target
    b2.defaultclock.dt = 0.1 * ms
    b2.seed(args.seed)

    N = args.n
    NE = int(round(0.8 * N))
    if args.model == "cuba":
        taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
        Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
        eqs = """
        dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
        dge/dt = -ge / taue : volt
        dgi/dt = -gi / taui : volt
        """
        P = NeuronGroup(N, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms, method="exact",
                        name="P")
        P.v = "Vr + rand() * (Vt - Vr)"
        P.ge = 0 * mV
        P.gi = 0 * mV
        we = (60 * 0.27 / 10) * mV
        wi = (-20 * 4.5 / 10) * mV
    else:
        C, gL, EL = 200 * pF, 10 * nS, -60 * mV
        Vt, Vr = -50 * mV, -60 * mV
        Ee, Ei = 0 * mV, -80 * mV
        taue, taui = 5 * ms, 10 * ms
        eqs = """
        dv/dt  = (gL * (EL - v) + ge * (Ee - v) + gi * (Ei - v)) / C : volt (unless refractory)
        dge/dt = -ge / taue : siemens
        dgi/dt = -gi / taui : siemens
        """
        P = NeuronGroup(N, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms, method="euler",
                        name="P")
        P.v = "Vr + rand() * (Vt - Vr)"
        P.ge = "(40 + 15 * randn()) * nS"
        P.gi = "(200 + 120 * randn()) * nS"
        we = 6 * nS
        wi = 67 * nS
    Ce = Synapses(P, P, on_pre="ge += we", name="Ce")
    Ci = Synapses(P, P, on_pre="gi += wi", name="Ci")
    if args.in_degree:
        Ce.connect(i="k for k in sample(NE, size=64)")
        Ci.connect(i="k for k in sample(NE, N_pre, size=16)")
    else:
        Ce.connect("i < NE", p=0.02)
        Ci.connect("i >= NE", p=0.02)
    s_mon = SpikeMonitor(P, name="spikes")
    v_mon = StateMonitor(P, "v", record=range(10), dt=1 * ms, name="vmon")

    res = {"model": args.model, "target": args.target, "duration": args.duration, "n": N,
           "in_degree": args.in_degree, "import": t_import - T_START}
    t_run0 = time.perf_counter()
    res["setup"] = t_run0 - t_import
    b2.run(args.duration * second)
    t_run1 = time.perf_counter()
    if args.target == "cpp_standalone":
        b2.device.build(directory=build_dir, compile=True, run=True, with_output=False, clean=False)
        t_build = time.perf_counter() - t_run1
        make = b2.device.timers["compile"]["make"] or 0.0
        binary = b2.device.timers["run_binary"] or 0.0
        res.update(codegen=t_build - make - binary, compile=make, binary=binary)
    else:
        res["run_call"] = t_run1 - t_run0
    res["loop"] = float(b2.device._last_run_time)

    t_w0 = time.perf_counter()
    spike_i = np.asarray(s_mon.i[:])
    spike_t = np.asarray(s_mon.t[:] / ms)
    if not args.no_write:
        import h5py
        out = args.out
        tmp_out = out is None
        if tmp_out:
            fd, out = tempfile.mkstemp(suffix=".h5", prefix="axon_bench_brian2_")
            os.close(fd)
        with h5py.File(out, "w") as f:
            g = f.create_group("spikes/P")
            g["timestamps"] = spike_t
            g["node_ids"] = spike_i.astype(np.uint64)
            r = f.create_group("report/P/v")
            r["data"] = np.asarray(v_mon.v[:] / mV).T
        if tmp_out:
            os.remove(out)
    res["write"] = time.perf_counter() - t_w0
    res["spikes"] = int(spike_i.size)
    res["rate_hz"] = spike_i.size / (N * args.duration)
    try:
        res["synapses"] = int(len(Ce) + len(Ci))
    except Exception:  # standalone: sizes are known only through the arrays
        res["synapses"] = None
    res["python_total"] = time.perf_counter() - T_START
    print(json.dumps(res))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

