#!/usr/bin/python3
"""Brian2 reference traces for synaptic plasticity (tests/refs/data/{stdp_mult,stdp_nearest,
stdp_triplet,tsodyks_markram}.h5).

Run with Debian's Python, which has Brian2 2.5.1 (python3-brian), NumPy and h5py:

    /usr/bin/python3 tests/refs/make_plasticity_refs.py                  # all files
    /usr/bin/python3 tests/refs/make_plasticity_refs.py stdp_triplet     # some
    /usr/bin/python3 tests/refs/make_plasticity_refs.py --show-code      # + Brian2's event code

Not part of the test run: the outputs are committed and the C++ tests compare axon with
them. Brian2 runs with the cython (runtime) target, float64, dt = 0.1 ms, the default
schedule. Spike sources are SpikeGeneratorGroups with fixed spike times: nothing random.
Each file is also checked against an independent plain-Python recomputation (an event
loop with exact exponential decay between events); the script fails if any recorded
sample differs by more than 1e-12 (relative to the trace's scale).

Layout (the flat layout of tests/refs/brian2/stdp_pair.h5):
- `t` (s): t[k] = k*dt, one sample per step, none dropped (duration/dt samples).
- one float64 dataset per recorded variable, attributes `unit` (SI or `1`) and
  `description`; recorded by StateMonitor(..., when='end') every step, so sample k holds
  the values AFTER all of step k's updates (neuron state update k*dt -> (k+1)*dt, then
  the synaptic events of spikes at t = k*dt). An event at step k shows in sample k.
- `<name>_stored`: Brian2's STORED value of an event-driven variable. It changes only at
  events (pre or post spikes of that synapse); between events it stays constant, while the
  trace it represents decays. The value the trace has at time t is
  `<name>_stored * exp(-(t - lastupdate)/tau)` (for x, u of Tsodyks-Markram: relaxation
  towards 1 or U instead of 0); `lastupdate` (s) is recorded too. One `lastupdate` per
  synapse is shared by all of its event-driven variables and set to t by every event of
  either pathway.
- `pre_spikes`, `post_spikes` (s, the times given to the SpikeGeneratorGroups),
  `pre_spike_steps`, `post_spike_steps` (k; the event code sees t = k*dt), and, as in
  stdp_pair.h5, `spikes` (s) + `spikes_index` (0 = pre generator, 1 = post generator).
- attributes: `description`, `model_name`, `equations` (the exact model string passed
  to Synapses), `synapse_on_pre`, `synapse_on_post` (exact strings), each parameter as
  `param.NAME` (Brian2 repr) / `param.NAME.SI` / `param.NAME.SI_unit` and all again in
  `parameters_json`, `initial_conditions`, `dt`, `duration` (s), `n_steps`,
  `monitor_when`, `sample_convention`, `update_order`, `brian2_schedule`,
  `spike_time_convention`, `brian2_abstract_code_pre` / `_post` (the code Brian2 actually
  runs per event, event-driven decay included), `brian2_version`, `numpy_version`,
  `codegen_target`, `float_dtype`, `generator_script`, and the final values (`w_final`...).

Files:

1. stdp_mult.h5 -- multiplicative (weight-dependent) STDP, one synapse between a pre and
   a post SpikeGeneratorGroup (one neuron each):
       w : 1
       dapre/dt = -apre/taupre : 1 (event-driven)
       dapost/dt = -apost/taupost : 1 (event-driven)
   on_pre:  apre += Apre;   w = clip(w + apost * w / wmax, 0, wmax)
   on_post: apost += Apost; w = clip(w + apre * (wmax - w) / wmax, 0, wmax)
   taupre = 16.8 ms, taupost = 33.7 ms, Apre = 0.05, Apost = -0.06, wmax = 1, w0 = 0.5.
   pre every 50 ms from 10 to 960 ms (20 spikes); post at 15, 52, 117, 160, 230, 251,
   340, 405, 407, 520, 600, 645, 733, 790, 860, 912, 985 ms (17 spikes; 160 and 860 ms
   coincide with pre spikes: same step, pre pathway first). Duration 1 s.
   Datasets: t, w, apre_stored, apost_stored, lastupdate, spike datasets.

2. stdp_nearest.h5 -- nearest-spike additive STDP (stdp_pair's parameters: taupre =
   taupost = 20 ms, Apre = 0.01, Apost = -0.0105, wmax = 1, w0 = 0.5), same equations:
   on_pre:  apre = Apre;   w = clip(w + apost, 0, wmax)
   on_post: apost = Apost; w = clip(w + apre, 0, wmax)
   Same spike trains and duration as stdp_mult. Same datasets.

3. stdp_triplet.h5 -- triplet STDP, Pfister & Gerstner (2006), all-to-all interaction,
   visual-cortex parameters as given to us: tau_plus = 16.8 ms, tau_minus = 33.7 ms,
   tau_x = 101 ms, tau_y = 125 ms, A2p = 5e-10, A3p = 6.2e-3, A2m = 7e-3, A3m = 2.3e-4,
   wmax = 1, w0 = 0.5 (additive, clipped):
       w : 1
       dr1/dt = -r1/tau_plus : 1 (event-driven)
       dr2/dt = -r2/tau_x : 1 (event-driven)
       do1/dt = -o1/tau_minus : 1 (event-driven)
       do2/dt = -o2/tau_y : 1 (event-driven)
   on_pre:  w = clip(w - o1 * (A2m + A3m * r2), 0, wmax); r1 += 1; r2 += 1
   on_post: w = clip(w + r1 * (A2p + A3p * o2), 0, wmax); o1 += 1; o2 += 1
   (r2 and o2 are read before their own increment: the "epsilon" of the paper.)
   pre every 50 ms from 10 to 960 ms; post at pre + 10 ms for the first ten (20..470 ms)
   and at pre - 10 ms for the last ten (500..950 ms). Duration 1 s.
   Datasets: t, w, r1_stored, r2_stored, o1_stored, o2_stored, lastupdate, spike datasets.

4. tsodyks_markram.h5 -- short-term plasticity (Brian2 examples/synapses/
   short_term_plasticity form) onto passive neurons, two independent pairs in one run:
   a SpikeGeneratorGroup of 2 neurons (both fire at the same times) and a NeuronGroup of
   2 neurons `dv/dt = -v / tau_m : volt` (tau_m = 20 ms, method exact, no threshold,
   v0 = 0); Synapses S_dep: 0 -> 0 and S_fac: 1 -> 1, each with
       w : volt
       dx/dt = (1 - x)/tau_d : 1 (event-driven)
       du/dt = (U - u)/tau_f : 1 (event-driven)
   on_pre: v_post += w * u * x; x *= (1 - u); u += U * (1 - u)   (in this order)
   w = 1 mV, initial u = U, x = 1. "dep": U = 0.5, tau_d = 800 ms, tau_f = 50 ms;
   "fac": U = 0.15, tau_d = 50 ms, tau_f = 750 ms (namespaces of the two Synapses; the
   parameters are stored as param.U_dep, param.tau_d_fac, ...).
   Pre spikes every 25 ms from 10 to 485 ms (20) and a recovery spike at 1000 ms.
   Duration 1.2 s. Datasets: t, u_stored_dep, x_stored_dep, lastupdate_dep, v_dep,
   u_stored_fac, x_stored_fac, lastupdate_fac, v_fac, psp_jump_dep, psp_jump_fac (the jump
   w*u*x at each pre spike, V, one per pre spike), pre_spikes, pre_spike_steps,
   post_spikes (empty: no threshold).

Notes (what Brian2 2.5.1 actually runs, stored per file as brian2_abstract_code_*):
- Each pathway's code is: the exact decay of EVERY event-driven variable of the synapse
  (pre and post traces alike) from lastupdate to t, then the on_pre/on_post statements in
  the order written (no reordering), then `lastupdate = t`. For x and u of the TM synapse
  the decay is written `x*exp(-D/tau_d) + 1 - exp(-D/tau_d)` and
  `U - U*exp(-D/tau_f) + u*exp(-D/tau_f)` (D = t - lastupdate); the hand check uses
  `1 + (x - 1)*exp(-D/tau_d)`, equal to ~1e-16.
- In stdp_mult / stdp_nearest the post spikes at 160 and 860 ms fall on a pre step: the pre
  pathway runs first, so the post update (LTP) already sees this step's pre increment.
- Outputs are deterministic (no random numbers, no timestamps): rerunning gives identical files.
"""
import json
import math
import sys
from pathlib import Path

import h5py
import numpy as np

import brian2 as b2
from brian2 import (NeuronGroup, SpikeGeneratorGroup, Synapses, StateMonitor, Network,
                    defaultclock, ms, mV, second, volt)

b2.prefs.codegen.target = "cython"
b2.prefs.core.default_float_dtype = np.float64
b2.BrianLogger.log_level_error()

OUT = Path(__file__).resolve().parent / "data"
DT = 0.1 * ms
TOL = 1e-12

SCHEDULE = ("per step k (t = k*dt): start, groups (state update k*dt -> (k+1)*dt), thresholds, "
            "synapses (pre pathway order -1, post pathway order +1), resets, end")
SAMPLE_CONVENTION = (
    "t[k] = k*dt; sample k of every trace is read by StateMonitor(when='end') in step k, i.e. "
    "AFTER all of step k's updates: the neuron state update k*dt -> (k+1)*dt (groups slot) and "
    "then the synaptic events of all spikes stamped t = k*dt (synapses slot). A spike at step k "
    "therefore shows in sample k. Sample 0 holds the initial values unless an event falls on "
    "step 0 (none here). *_stored datasets are Brian2's stored event-driven values, which change "
    "only at events; the trace's value at time t is the stored value relaxed from lastupdate to t.")
SPIKE_CONVENTION = ("SpikeGeneratorGroup spike at time s fires in step k = round(s/dt) (Brian2: "
                    "int((s + 1e-3*dt)/dt)) and is delivered with zero delay in the synapses slot of "
                    "that step; the event code sees t = k*dt")


# ----------------------------------------------------------------------------- helpers

def si(q):
    return float(np.asarray(q))


def unit_of(q):
    if isinstance(q, b2.Quantity) and not q.is_dimensionless:
        for u, text in ((volt, "V"), (second, "s")):
            if q.dim == u.dim:
                return text
        return str(q.dim)
    return "1"


def param_attrs(params):
    attrs, js = {}, {}
    for name, q in params.items():
        arr = np.asarray(q, dtype=np.float64)
        value = arr.tolist() if arr.ndim else float(arr)
        attrs["param.%s" % name] = repr(q)
        attrs["param.%s.SI" % name] = arr if arr.ndim else float(arr)
        attrs["param.%s.SI_unit" % name] = unit_of(q)
        js[name] = {"brian2": repr(q), "SI_unit": unit_of(q), "SI": value}
    attrs["parameters_json"] = json.dumps(js, indent=1)
    return attrs


def steps_of(times):
    return np.array([int(round(si(s) / si(DT))) for s in times], dtype=np.int64)


def write(name, meta, datasets):
    """datasets: name -> (array, unit, description)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / (name + ".h5")
    with h5py.File(path, "w") as f:
        for var, (values, unit, description) in datasets.items():
            values = np.asarray(values)
            kw = dict(compression="gzip", shuffle=True) if values.size > 100 else {}
            d = f.create_dataset(var, data=values, **kw)
            d.attrs["unit"] = unit
            d.attrs["description"] = description
        for k, v in meta.items():
            f.attrs[k] = v
    return path


def common_meta(name, duration, n_steps):
    return {
        "model_name": name,
        "simulator": "Brian2",
        "brian2_version": b2.__version__,
        "numpy_version": np.__version__,
        "codegen_target": b2.prefs.codegen.target,
        "float_dtype": "float64",
        "generator_script": "tests/refs/make_plasticity_refs.py",
        "dt": si(DT),
        "duration": si(duration),
        "n_steps": int(n_steps),
        "monitor_when": "end",
        "sample_convention": SAMPLE_CONVENTION,
        "spike_time_convention": SPIKE_CONVENTION,
        "brian2_schedule": SCHEDULE,
    }


def check_cython(*pathways):
    for p in pathways:
        cls = type(p.codeobj).__name__
        assert cls == "CythonCodeObject", "%s ran as %s" % (p.name, cls)


def assert_close(name, got, want, scale=1.0):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (name, got.shape, want.shape)
    err = float(np.max(np.abs(got - want))) if got.size else 0.0
    assert err <= TOL * scale, "%s: Brian2 and the hand calculation differ by %g" % (name, err)
    return err


# ----------------------------------------------------------------------------- pair-type STDP

STDP_EQS = """
w : 1
dapre/dt = -apre/taupre : 1 (event-driven)
dapost/dt = -apost/taupost : 1 (event-driven)
"""

TRIPLET_EQS = """
w : 1
dr1/dt = -r1/tau_plus : 1 (event-driven)
dr2/dt = -r2/tau_x : 1 (event-driven)
do1/dt = -o1/tau_minus : 1 (event-driven)
do2/dt = -o2/tau_y : 1 (event-driven)
"""

MULT_PRE_TIMES = np.arange(10, 961, 50) * ms
MULT_POST_TIMES = np.array([15, 52, 117, 160, 230, 251, 340, 405, 407, 520, 600, 645, 733, 790,
                            860, 912, 985]) * ms
TRIPLET_PRE_TIMES = np.arange(10, 961, 50) * ms
TRIPLET_POST_TIMES = np.concatenate([np.arange(10, 461, 50) + 10, np.arange(510, 961, 50) - 10]) * ms


def hand_mult(p, s, on):
    """One event of the multiplicative rule on state dict s (traces already decayed)."""
    wmax = p["wmax"]
    if on == "pre":
        s["apre"] += p["Apre"]
        s["w"] = min(max(s["w"] + s["apost"] * s["w"] / wmax, 0.0), wmax)
    else:
        s["apost"] += p["Apost"]
        s["w"] = min(max(s["w"] + s["apre"] * (wmax - s["w"]) / wmax, 0.0), wmax)


def hand_nearest(p, s, on):
    wmax = p["wmax"]
    if on == "pre":
        s["apre"] = p["Apre"]
        s["w"] = min(max(s["w"] + s["apost"], 0.0), wmax)
    else:
        s["apost"] = p["Apost"]
        s["w"] = min(max(s["w"] + s["apre"], 0.0), wmax)


def hand_triplet(p, s, on):
    wmax = p["wmax"]
    if on == "pre":
        s["w"] = min(max(s["w"] - s["o1"] * (p["A2m"] + p["A3m"] * s["r2"]), 0.0), wmax)
        s["r1"] += 1.0
        s["r2"] += 1.0
    else:
        s["w"] = min(max(s["w"] + s["r1"] * (p["A2p"] + p["A3p"] * s["o2"]), 0.0), wmax)
        s["o1"] += 1.0
        s["o2"] += 1.0


STDP_CASES = {
    "stdp_mult": dict(
        description=("Multiplicative (weight-dependent) STDP with all-to-all pair traces: LTD "
                     "proportional to w, LTP proportional to wmax - w; one synapse between a pre "
                     "and a post SpikeGeneratorGroup with fixed spike times (post spikes at 160 and "
                     "860 ms coincide with pre spikes; 52, 251, 405, 407 ms fall a few ms before a "
                     "pre spike)."),
        eqs=STDP_EQS,
        on_pre="\napre += Apre\nw = clip(w + apost * w / wmax, 0, wmax)\n",
        on_post="\napost += Apost\nw = clip(w + apre * (wmax - w) / wmax, 0, wmax)\n",
        params=dict(taupre=16.8 * ms, taupost=33.7 * ms, Apre=0.05, Apost=-0.06, wmax=1.0, w0=0.5),
        traces=dict(apre="taupre", apost="taupost"),
        trace_desc=dict(apre="presynaptic trace", apost="postsynaptic trace"),
        init="w = w0 = 0.5, apre = apost = 0, lastupdate = 0",
        pre=MULT_PRE_TIMES, post=MULT_POST_TIMES, duration=1 * second, rule=hand_mult),
    "stdp_nearest": dict(
        description=("Nearest-spike additive STDP (stdp_pair's rule and parameters, but each spike "
                     "SETS its trace to Apre / Apost instead of adding to it), one synapse between "
                     "a pre and a post SpikeGeneratorGroup, the spike trains of stdp_mult."),
        eqs=STDP_EQS,
        on_pre="\napre = Apre\nw = clip(w + apost, 0, wmax)\n",
        on_post="\napost = Apost\nw = clip(w + apre, 0, wmax)\n",
        params=dict(taupre=20 * ms, taupost=20 * ms, Apre=0.01, Apost=-0.0105, wmax=1.0, w0=0.5),
        traces=dict(apre="taupre", apost="taupost"),
        trace_desc=dict(apre="presynaptic trace", apost="postsynaptic trace"),
        init="w = w0 = 0.5, apre = apost = 0, lastupdate = 0",
        pre=MULT_PRE_TIMES, post=MULT_POST_TIMES, duration=1 * second, rule=hand_nearest),
    "stdp_triplet": dict(
        description=("Triplet STDP (Pfister & Gerstner 2006, J Neurosci 26:9673), all-to-all "
                     "interaction, additive with clipping to [0, wmax]; visual-cortex parameter set "
                     "tau_plus = 16.8 ms, tau_minus = 33.7 ms, tau_x = 101 ms, tau_y = 125 ms, "
                     "A2p = 5e-10, A3p = 6.2e-3, A2m = 7e-3, A3m = 2.3e-4. r2 (o2) is read before "
                     "its own increment. Post 10 ms after pre for the first ten pre spikes, 10 ms "
                     "before for the last ten."),
        eqs=TRIPLET_EQS,
        on_pre="\nw = clip(w - o1 * (A2m + A3m * r2), 0, wmax)\nr1 += 1\nr2 += 1\n",
        on_post="\nw = clip(w + r1 * (A2p + A3p * o2), 0, wmax)\no1 += 1\no2 += 1\n",
        params=dict(tau_plus=16.8 * ms, tau_minus=33.7 * ms, tau_x=101 * ms, tau_y=125 * ms,
                    A2p=5e-10, A3p=6.2e-3, A2m=7e-3, A3m=2.3e-4, wmax=1.0, w0=0.5),
        traces=dict(r1="tau_plus", r2="tau_x", o1="tau_minus", o2="tau_y"),
        trace_desc=dict(r1="fast presynaptic trace (tau_plus)", r2="slow presynaptic trace (tau_x)",
                        o1="fast postsynaptic trace (tau_minus)", o2="slow postsynaptic trace (tau_y)"),
        init="w = w0 = 0.5, r1 = r2 = o1 = o2 = 0, lastupdate = 0",
        pre=TRIPLET_PRE_TIMES, post=TRIPLET_POST_TIMES, duration=1 * second, rule=hand_triplet),
}


def hand_stdp(case, pre_steps, post_steps, n_steps, dt):
    """Plain-Python event loop: merged events, pre before post at equal steps, exact decay of
    every trace from the shared lastupdate to t = k*dt before each event's statements."""
    p = {k: si(v) for k, v in case["params"].items()}
    taus = {tr: p[tau] for tr, tau in case["traces"].items()}
    events = sorted([(int(k), 0) for k in pre_steps] + [(int(k), 1) for k in post_steps])
    s = {tr: 0.0 for tr in taus}
    s["w"] = p["w0"]
    s["lastupdate"] = 0.0
    names = ["w", "lastupdate"] + list(taus)
    out = {n: np.empty(n_steps) for n in names}
    ev = 0
    for k in range(n_steps):
        while ev < len(events) and events[ev][0] == k:
            t = k * dt
            for tr, tau in taus.items():
                s[tr] = s[tr] * math.exp(-(t - s["lastupdate"]) / tau)
            case["rule"](p, s, "pre" if events[ev][1] == 0 else "post")
            s["lastupdate"] = t
            ev += 1
        for n in names:
            out[n][k] = s[n]
    assert ev == len(events)
    return out, len(events)


def update_order_text(traces):
    tr = ", ".join(traces)
    return ("Within one step the pre pathway (order -1) runs before the post pathway (order +1); "
            "when a pre and a post spike fall on the same step, the post statements see the traces "
            "and w already updated by the pre statements (the decay between them is exp(0) = 1). "
            "Each pathway, per event: (1) decays ALL event-driven variables of the synapse (%s) "
            "exactly from the shared lastupdate to t = k*dt, (2) runs its statements in the order "
            "written (Brian2 does not reorder them; see brian2_abstract_code_pre/_post), "
            "(3) sets lastupdate = t." % tr)


def run_stdp(name):
    case = STDP_CASES[name]
    b2.start_scope()
    defaultclock.dt = DT
    dt = si(DT)
    n_steps = int(round(si(case["duration"]) / dt))
    params = case["params"]
    ns = {k: v for k, v in params.items() if k != "w0"}
    ns["wmax"] = params["wmax"]
    pre = SpikeGeneratorGroup(1, np.zeros(len(case["pre"]), dtype=int), case["pre"], name="pre")
    post = SpikeGeneratorGroup(1, np.zeros(len(case["post"]), dtype=int), case["post"], name="post")
    S = Synapses(pre, post, model=case["eqs"], on_pre=case["on_pre"], on_post=case["on_post"],
                 namespace=ns, name="syn")
    S.connect(i=0, j=0)
    S.w = params["w0"]
    rec = ["w", "lastupdate"] + list(case["traces"])
    mon = StateMonitor(S, rec, record=0, when="end", name="mon")
    net = Network(pre, post, S, mon)
    net.run(case["duration"])
    check_cython(S.pre, S.post)
    assert S.pre.order == -1 and S.post.order == 1 and S.pre.when == S.post.when == "synapses"

    t = np.asarray(mon.t_)
    assert t.shape == (n_steps,) and np.array_equal(t, np.arange(n_steps) * dt)
    got = {v: np.asarray(getattr(mon, v + "_")[0], dtype=np.float64) for v in rec}

    pre_steps, post_steps = steps_of(case["pre"]), steps_of(case["post"])
    want, n_events = hand_stdp(case, pre_steps, post_steps, n_steps, dt)
    errs = {v: assert_close("%s.%s" % (name, v), got[v], want[v]) for v in rec}

    datasets = {"t": (t, "s", "time of each sample = step*dt")}
    datasets["w"] = (got["w"], "1", "synaptic weight (slot end: after that step's updates)")
    for tr, tau in case["traces"].items():
        datasets[tr + "_stored"] = (got[tr], "1", "Brian2 stored event-driven %s, %s; changes only at "
                                    "events (value at t: %s_stored*exp(-(t - lastupdate)/%s))"
                                    % (tr, case["trace_desc"][tr], tr, tau))
    datasets["lastupdate"] = (got["lastupdate"], "s", "Brian2 lastupdate of the synapse: time of its "
                              "last pre or post event (shared by all event-driven variables)")
    datasets.update(spike_datasets(case["pre"], case["post"], pre_steps, post_steps))

    meta = common_meta(name, case["duration"], n_steps)
    meta.update({
        "description": case["description"],
        "equations": case["eqs"],
        "synapse_on_pre": case["on_pre"],
        "synapse_on_post": case["on_post"],
        "method": "event-driven (exact exponential decay between events, applied on each pre or "
                  "post event; lastupdate shared)",
        "initial_conditions": case["init"],
        "update_order": update_order_text(case["traces"]),
        "brian2_abstract_code_pre": S.pre.abstract_code,
        "brian2_abstract_code_post": S.post.abstract_code,
        "hand_check": "every sample of w, lastupdate and the stored traces equals an independent "
                      "Python event loop to <= %g (max abs differences: %s)"
                      % (TOL, ", ".join("%s %.1e" % kv for kv in errs.items())),
        "w_final": float(got["w"][-1]),
        "n_pre_spikes": len(pre_steps),
        "n_post_spikes": len(post_steps),
    })
    meta.update(param_attrs(dict(params, pre_times=case["pre"], post_times=case["post"])))
    path = write(name, meta, datasets)
    wmin, wmaxr = float(got["w"].min()), float(got["w"].max())
    print("%-16s w: %.4f -> %.12f (range %.6f..%.6f), %d events (%d pre, %d post), hand check max "
          "err %.1e -> %s" % (name, params["w0"], got["w"][-1], wmin, wmaxr, n_events, len(pre_steps),
                              len(post_steps), max(errs.values()), path.name))
    return abstract_code_summary(S)


def spike_datasets(pre_times, post_times, pre_steps, post_steps):
    pre_s, post_s = np.asarray(pre_times, dtype=np.float64), np.asarray(post_times, dtype=np.float64)
    d = {
        "pre_spikes": (pre_s, "s", "presynaptic spike times as given to the SpikeGeneratorGroup; "
                       "each fires in step pre_spike_steps (event code sees t = k*dt)"),
        "post_spikes": (post_s, "s", "postsynaptic spike times as given to the SpikeGeneratorGroup; "
                        "each fires in step post_spike_steps (event code sees t = k*dt)"),
        "pre_spike_steps": (pre_steps, "1", "presynaptic spike steps k"),
        "post_spike_steps": (post_steps, "1", "postsynaptic spike steps k"),
    }
    # Merged list as in stdp_pair.h5: by step, pre before post at the same step.
    order = sorted([(int(k), 0, x) for k, x in zip(pre_steps, pre_s)] +
                   [(int(k), 1, x) for k, x in zip(post_steps, post_s)])
    d["spikes"] = (np.array([x for _, _, x in order]), "s",
                   "all spike times in processing order (pre before post at the same step); see "
                   "spikes_index")
    d["spikes_index"] = (np.array([i for _, i, _ in order], dtype=np.int64), "1",
                         "0 = presynaptic generator, 1 = postsynaptic generator")
    return d


def abstract_code_summary(S):
    return {"pre": S.pre.abstract_code,
            "post": S.post.abstract_code if hasattr(S, "post") and S.post is not None else ""}


# ----------------------------------------------------------------------------- Tsodyks-Markram

TM_EQS = """
w : volt
dx/dt = (1 - x)/tau_d : 1 (event-driven)
du/dt = (U - u)/tau_f : 1 (event-driven)
"""
TM_ON_PRE = "\nv_post += w * u * x\nx *= (1 - u)\nu += U * (1 - u)\n"
TM_NEURON_EQS = "\ndv/dt = -v / tau_m : volt\n"
TM_PRE_TIMES = np.concatenate([np.arange(10, 486, 25), [1000]]) * ms
TM_SETS = {"dep": dict(U=0.5, tau_d=800 * ms, tau_f=50 * ms),
           "fac": dict(U=0.15, tau_d=50 * ms, tau_f=750 * ms)}
TM_COMMON = dict(tau_m=20 * ms, w=1 * mV)


def hand_tm(p, pre_steps, n_steps, dt, tau_m, w):
    """Per-step event loop: v decays exactly each step (v *= exp(-dt/tau_m)); at a pre spike
    x and u relax exactly from lastupdate to t = k*dt, then v += w*u*x, x *= (1 - u),
    u += U*(1 - u), lastupdate = t. Returns the per-step stored values and v, and u, x just
    before each spike's updates and the PSP jumps w*u*x."""
    U, tau_d, tau_f = p["U"], p["tau_d"], p["tau_f"]
    u, x, last, v = U, 1.0, 0.0, 0.0
    decay = math.exp(-dt / tau_m)
    spikes = set(int(k) for k in pre_steps)
    out = {n: np.empty(n_steps) for n in ("u", "x", "lastupdate", "v")}
    us, xs, jumps = [], [], []
    for k in range(n_steps):
        v = v * decay
        if k in spikes:
            t = k * dt
            x = 1.0 + (x - 1.0) * math.exp(-(t - last) / tau_d)
            u = U + (u - U) * math.exp(-(t - last) / tau_f)
            us.append(u)
            xs.append(x)
            jumps.append(w * u * x)
            v += w * u * x
            x *= (1.0 - u)
            u += U * (1.0 - u)
            last = t
        out["u"][k], out["x"][k], out["lastupdate"][k], out["v"][k] = u, x, last, v
    assert len(jumps) == len(pre_steps)
    return out, np.array(us), np.array(xs), np.array(jumps)


def run_tm(name="tsodyks_markram"):
    b2.start_scope()
    defaultclock.dt = DT
    dt = si(DT)
    duration = 1.2 * second
    n_steps = int(round(si(duration) / dt))
    n_pre = len(TM_PRE_TIMES)
    gen = SpikeGeneratorGroup(2, np.repeat([0, 1], n_pre), np.tile(np.asarray(TM_PRE_TIMES), 2) * second,
                              name="pre")
    post = NeuronGroup(2, TM_NEURON_EQS, method="exact", namespace=dict(tau_m=TM_COMMON["tau_m"]),
                       name="post")
    post.v = 0 * mV
    syn, mons = {}, {}
    for idx, (tag, p) in enumerate(TM_SETS.items()):
        S = Synapses(gen, post, model=TM_EQS, on_pre=TM_ON_PRE, namespace=dict(p), name="S_" + tag)
        S.connect(i=idx, j=idx)
        S.w = TM_COMMON["w"]
        S.u = "U"
        S.x = 1
        syn[tag] = S
        mons[tag] = StateMonitor(S, ["u", "x", "lastupdate"], record=0, when="end", name="mon_" + tag)
    vmon = StateMonitor(post, "v", record=True, when="end", name="mon_v")
    net = Network(gen, post, vmon, *syn.values(), *mons.values())
    net.run(duration)
    for S in syn.values():
        check_cython(S.pre)
        assert S.pre.order == -1 and S.pre.when == "synapses"
    assert type(post.state_updater.codeobj).__name__ == "CythonCodeObject"

    t = np.asarray(vmon.t_)
    assert t.shape == (n_steps,) and np.array_equal(t, np.arange(n_steps) * dt)
    pre_steps = steps_of(TM_PRE_TIMES)
    datasets = {"t": (t, "s", "time of each sample = step*dt")}
    meta = common_meta(name, duration, n_steps)
    summary, errs, jumps_all = [], [], {}
    w = si(TM_COMMON["w"])
    tau_m = si(TM_COMMON["tau_m"])
    for idx, (tag, p) in enumerate(TM_SETS.items()):
        ps = {k: si(v) for k, v in p.items()}
        got = {"u": np.asarray(mons[tag].u_[0], dtype=np.float64),
               "x": np.asarray(mons[tag].x_[0], dtype=np.float64),
               "lastupdate": np.asarray(mons[tag].lastupdate_[0], dtype=np.float64),
               "v": np.asarray(vmon.v_[idx], dtype=np.float64)}
        want, us, xs, jumps = hand_tm(ps, pre_steps, n_steps, dt, tau_m, w)
        for v in ("u", "x", "lastupdate"):
            errs.append(assert_close("%s.%s_%s" % (name, v, tag), got[v], want[v]))
        vscale = float(np.max(np.abs(want["v"])))
        errs.append(assert_close("%s.v_%s" % (name, tag), got["v"], want["v"], vscale) / vscale)
        # PSP jumps read off Brian2's v: v[k] - v[k-1]*exp(-dt/tau_m) at each pre step.
        decay = math.exp(-dt / tau_m)
        brian_jumps = np.array([got["v"][k] - got["v"][k - 1] * decay for k in pre_steps])
        errs.append(assert_close("%s.psp_jump_%s" % (name, tag), brian_jumps, jumps, w) / w)
        # v is continuous between spikes: no jump except at pre steps
        others = np.setdiff1d(np.arange(1, n_steps), pre_steps)
        assert np.max(np.abs(got["v"][others] - got["v"][others - 1] * decay)) <= TOL * vscale
        # u, x just before each spike (decayed stored values) and right after
        assert_close("%s.u_after_%s" % (name, tag), got["u"][pre_steps], us + ps["U"] * (1 - us))
        assert_close("%s.x_after_%s" % (name, tag), got["x"][pre_steps], xs * (1 - us))

        datasets["u_stored_" + tag] = (got["u"], "1", "[%s] Brian2 stored event-driven u (release "
                                       "probability), changes only at pre spikes; value at t: U + "
                                       "(u_stored - U)*exp(-(t - lastupdate)/tau_f)" % tag)
        datasets["x_stored_" + tag] = (got["x"], "1", "[%s] Brian2 stored event-driven x (available "
                                       "resources), changes only at pre spikes; value at t: 1 + "
                                       "(x_stored - 1)*exp(-(t - lastupdate)/tau_d)" % tag)
        datasets["lastupdate_" + tag] = (got["lastupdate"], "s", "[%s] Brian2 lastupdate of the "
                                         "synapse (time of its last pre spike)" % tag)
        datasets["v_" + tag] = (got["v"], "V", "[%s] membrane potential of post neuron %d (slot end: "
                                "after the exact decay of step k and the jump of a pre spike at "
                                "step k)" % (tag, idx))
        datasets["psp_jump_" + tag] = (jumps, "V", "[%s] jump of v at each pre spike, w*u*x with u, x "
                                       "decayed to the spike time and read BEFORE that spike's updates "
                                       "(hand calculation; equals Brian2's v[k] - v[k-1]*exp(-dt/tau_m) "
                                       "to 1e-12)" % tag)
        jumps_all[tag] = jumps
        meta["u_final_%s" % tag] = float(got["u"][-1])
        meta["x_final_%s" % tag] = float(got["x"][-1])
        meta["v_final_%s" % tag] = float(got["v"][-1])
        meta["brian2_abstract_code_pre_%s" % tag] = syn[tag].pre.abstract_code
        summary.append("%s: PSP1 %.4f mV, PSP20/PSP1 %.4f, recovery/PSP1 %.4f, final u %.6f x %.6f "
                       "v %.3e V" % (tag, jumps[0] * 1e3, jumps[19] / jumps[0], jumps[20] / jumps[0],
                                     got["u"][-1], got["x"][-1], got["v"][-1]))

    datasets["pre_spikes"] = (np.asarray(TM_PRE_TIMES, dtype=np.float64), "s", "presynaptic spike "
                              "times as given to the SpikeGeneratorGroup (both generator neurons, i.e. "
                              "both synapses, fire at these times, in steps pre_spike_steps)")
    datasets["pre_spike_steps"] = (pre_steps, "1", "presynaptic spike steps k")
    datasets["post_spikes"] = (np.zeros(0), "s", "postsynaptic spike times: none (passive neurons, no "
                               "threshold)")
    meta.update({
        "description": ("Tsodyks-Markram short-term plasticity (Brian2 examples/synapses/"
                        "short_term_plasticity form, update order v_post += w*u*x; x *= (1 - u); "
                        "u += U*(1 - u)) onto passive neurons dv/dt = -v/tau_m. Two independent "
                        "pairs in one run: 'dep' (generator 0 -> neuron 0, Synapses S_dep: U = 0.5, "
                        "tau_d = 800 ms, tau_f = 50 ms, depressing) and 'fac' (generator 1 -> "
                        "neuron 1, Synapses S_fac: U = 0.15, tau_d = 50 ms, tau_f = 750 ms, "
                        "facilitating). 20 pre spikes at 40 Hz (10..485 ms) and a recovery spike "
                        "at 1000 ms."),
        "equations": TM_EQS,
        "neuron_equations": TM_NEURON_EQS,
        "neuron_method": "exact (v *= exp(-dt/tau_m) each step), no threshold, no reset",
        "synapse_on_pre": TM_ON_PRE,
        "synapse_on_post": "",
        "method": "event-driven x, u (exact relaxation to 1 and U between pre spikes)",
        "initial_conditions": "v = 0 V, u = U, x = 1, lastupdate = 0 (per synapse)",
        "update_order": ("Step k: groups slot: v decays exactly over the step (v *= exp(-dt/tau_m)); "
                         "synapses slot: for a pre spike at step k, (1) x and u are relaxed exactly "
                         "from lastupdate to t = k*dt, (2) v_post += w*u*x, x *= (1 - u), "
                         "u += U*(1 - u) in this order (not reordered by Brian2), (3) lastupdate = t; "
                         "end slot: the monitors read u, x, v. So the PSP jump of a spike at step k "
                         "appears in sample k and uses u, x before that spike's own updates."),
        "hand_check": "u, x, lastupdate to <= %g absolute, v and PSP jumps to <= %g relative, against "
                      "an independent Python event loop (max error %.1e)" % (TOL, TOL, max(errs)),
        "n_pre_spikes": n_pre,
    })
    params = dict(TM_COMMON)
    for tag, p in TM_SETS.items():
        for k, v in p.items():
            params["%s_%s" % (k, tag)] = v
    params["pre_times"] = TM_PRE_TIMES
    meta.update(param_attrs(params))
    path = write(name, meta, datasets)
    print("%-16s %d pre spikes per synapse; %s; hand check max err %.1e -> %s"
          % (name, n_pre, "; ".join(summary), max(errs), path.name))
    return {tag: syn[tag].pre.abstract_code for tag in syn}


# ----------------------------------------------------------------------------- main

ALL = ["stdp_mult", "stdp_nearest", "stdp_triplet", "tsodyks_markram"]


def main(argv):
    names = [a for a in argv[1:] if not a.startswith("--")] or ALL
    for n in names:
        if n not in ALL:
            raise SystemExit("unknown case %r; known: %s" % (n, ", ".join(ALL)))
    show = "--show-code" in argv
    for n in names:
        code = run_tm(n) if n == "tsodyks_markram" else run_stdp(n)
        if show:
            for k, v in code.items():
                print("--- %s %s abstract code:%s" % (n, k, v))


if __name__ == "__main__":
    main(sys.argv)
