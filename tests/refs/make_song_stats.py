#!/usr/bin/python3
"""Brian2 runs of models/song2000.axon (Song, Miller & Abbott 2000; Brian2's
examples/synapses/STDP.py with weights relative to g_max) for several seeds ->
tests/refs/data/song_stats.json: per seed the fraction of weights below 0.1 and above
0.9 (relative to g_max) after 100 s and the output rate over the last 10 s.
Run: /usr/bin/python3 tests/refs/make_song_stats.py [n_seeds]   (cython target, ~1 min a seed)
"""
import json, sys
from pathlib import Path
import numpy as np
from brian2 import *

prefs.codegen.target = "cython"
OUT = Path(__file__).resolve().parent / "data" / "song_stats.json"


def one_seed(s):
    start_scope()
    seed(s)
    defaultclock.dt = 0.1 * ms
    taum, taue = 10 * ms, 5 * ms
    Ee, El, vt, vr = 0 * mV, -74 * mV, -54 * mV, -60 * mV
    gmax, taupre, taupost = 0.01, 20 * ms, 20 * ms
    Apre = 0.01
    Apost = -0.0105
    eqs = """dv/dt = (ge * (Ee - vr) + El - v) / taum : volt
             dge/dt = -ge / taue : 1"""
    inp = PoissonGroup(1000, rates=15 * Hz)
    n = NeuronGroup(1, eqs, threshold="v > vt", reset="v = vr", method="exact")
    n.v = vr
    S = Synapses(inp, n, """w : 1
                 dapre/dt = -apre / taupre : 1 (event-driven)
                 dapost/dt = -apost / taupost : 1 (event-driven)""",
                 on_pre="""ge += w * gmax
                 apre += Apre
                 w = clip(w + apost, 0, 1)""",
                 on_post="""apost += Apost
                 w = clip(w + apre, 0, 1)""")
    S.connect()
    S.w = "rand()"
    mon = SpikeMonitor(n)
    run(100 * second)
    w = np.array(S.w[:])
    t = np.array(mon.t / second)
    return dict(seed=s, low=float(np.mean(w < 0.1)), high=float(np.mean(w > 0.9)),
                rate_last10=float(np.sum(t >= 90) / 10.0), hist=np.histogram(w, bins=10, range=(0, 1))[0].tolist())


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    results = [one_seed(s) for s in range(1, n + 1)]
    for r in results:
        print(r)
    OUT.write_text(json.dumps({"brian2_version": __import__("brian2").__version__, "model": "models/song2000.axon (Brian2 form)",
                               "runs": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
