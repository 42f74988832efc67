#!/usr/bin/python3
"""Regenerates the reference traces of the stdlib neuron models (tests/refs/data/*.h5).

Run with Debian's Python, which has Brian2 (python3-brian), NumPy and h5py:

    /usr/bin/python3 tests/refs/make_neuron_refs.py            # all cases
    /usr/bin/python3 tests/refs/make_neuron_refs.py adex_step  # some

Not part of the test run: the outputs are committed, and tests/neurons/ compares axon
with them, so CI needs neither Brian2 nor this script.

References:
- Brian2 (2.5.1, numpy code generation target, float64) for every model written as
  ODEs: the same equations, parameters and integration method as the stdlib file
  (exact, euler or exponential_euler), driven by a current step, a few input spikes or
  an f-I sweep (one neuron per current).
- For the models that Nengo defines by their step function (NengoLIF, AdaptiveLIF,
  NengoIzhikevich, SpikingRectifiedLinear) Brian2 has no equivalent: an independent
  NumPy implementation of nengo 4.1's step functions (../shared/design/semantics.md).

Layout of each file (the flat layout of tests/refs/brian2): `t` (s, one sample per step,
sample k is the state at t = k*dt before step k's update, Brian2's `when='start'`), one
dataset per recorded variable named as the axon variable, with attributes `unit` (SI,
or `1`) and `description`; `spikes` (s), `spike_steps` (k), `spikes_index` (neuron);
attributes `model`, `module`, `reference`, `protocol`, `equations`, `threshold`,
`reset`, `refractory`, `method`, `dt` (s), `duration` (s), `n_neurons`,
`parameters_json`, and `axon_network`: the axon program of the same experiment, which
the tests run.
"""
import json
import sys
from pathlib import Path

import h5py
import numpy as np

import brian2 as b2
from brian2 import (NeuronGroup, SpikeGeneratorGroup, Synapses, StateMonitor, SpikeMonitor,
                    Network, defaultclock, ms, mV, nA, nS, pF, uS, Mohm, Hz, second, amp, volt, siemens)

b2.prefs.codegen.target = "numpy"
b2.BrianLogger.log_level_error()

OUT = Path(__file__).resolve().parent / "data"


# ----------------------------------------------------------------------------- helpers

def si(q):
    """A Brian2 quantity (or number) as a float in SI."""
    return float(np.asarray(q))


def unit_of(q):
    """SI unit text of a Brian2 quantity or of a dimensionless number."""
    if isinstance(q, b2.Quantity) and not q.is_dimensionless:
        d = q.dim
        for u, text in ((volt, "V"), (amp, "A"), (siemens, "S"), (second, "s"), (Hz, "Hz")):
            if d == u.dim:
                return text
        return str(d)
    return "1"


def axon_value(q):
    """A Brian2 quantity as axon source text: 0.5 nA, -65 mV, 1.5."""
    if not isinstance(q, b2.Quantity) or q.is_dimensionless:
        return repr(float(q))
    for u, text in ((mV, "mV"), (nA, "nA"), (nS, "nS"), (pF, "pF"), (ms, "ms"), (uS, "uS"),
                    (Mohm, "Mohm"), (Hz, "Hz")):
        if q.dim == u.dim:
            return "%r %s" % (float(q / u), text)
    raise ValueError(q)


def write(name, meta, t, traces, spike_steps, spike_index, dt):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / (name + ".h5")
    with h5py.File(path, "w") as f:
        f.create_dataset("t", data=np.asarray(t, dtype=np.float64), compression="gzip", shuffle=True)
        for var, (values, unit, description) in traces.items():
            d = f.create_dataset(var, data=np.asarray(values, dtype=np.float64), compression="gzip",
                                 shuffle=True)
            d.attrs["unit"] = unit
            d.attrs["description"] = description
        steps = np.asarray(spike_steps, dtype=np.int64)
        s = f.create_dataset("spikes", data=steps * dt)
        s.attrs["unit"] = "s"
        f.create_dataset("spike_steps", data=steps)
        f.create_dataset("spikes_index", data=np.asarray(spike_index, dtype=np.int64))
        for k, v in meta.items():
            f.attrs[k] = v
        f.attrs["dt"] = dt
    return path


def network_text(case, n, duration_ms, dt_ms):
    """The axon program of a case: population N (and a spike source G), probes."""
    lines = ["import neurons.%s" % case["module"], "", "network Ref {"]
    over = case.get("axon_overrides", "")
    lines.append("  population N = %s[%d]%s" % (case["model"], n, " { %s }" % over if over else ""))
    proto = case["protocol"]
    if proto["kind"] == "spikes":
        times = ", ".join("%r ms" % float(x / ms) for x in proto["times"])
        lines.append("  population G = SpikeTimes[1] { times = [%s] }" % times)
        for target, w in proto["targets"]:
            lines.append("  project G -> N.%s via Static { w = %s } connect all" % (target, axon_value(w)))
    if proto["kind"] == "step" and proto.get("amplitude") is not None:
        # Switched on at t_on: sample times are k*dt, compared half a step early so that
        # rounding in k*dt cannot move the switch.
        on = float(proto["t_on"] / ms) - dt_ms / 2
        zero = "0" if unit_of(proto["amplitude"]) == "1" else "0 * (%s)" % axon_value(proto["amplitude"])
        lines.append("  stimulus N.%s = t >= %r ms ? %s : %s" % (case["input"], on, axon_value(proto["amplitude"]), zero))
    if proto["kind"] == "fi":
        lines.append("  stimulus N.%s = (%s) * i" % (case["input"], axon_value(proto["step"])))
    if proto["kind"] == "spikes" and proto.get("bias") is not None:
        lines.append("  stimulus N.%s = %s" % (case["input"], axon_value(proto["bias"])))
    lines.append("  probe spikes of N")
    if proto["kind"] != "fi":
        for var in case["record"]:
            lines.append("  probe N.%s" % var)
    lines.append("}")
    lines.append("")
    lines.append("run Ref { duration = %r ms; dt = %r ms }" % (duration_ms, dt_ms))
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- Brian2 cases

def run_brian(name, case):
    proto = case["protocol"]
    dt = case.get("dt", 0.1 * ms)
    duration = case["duration"]
    n = len(proto["currents"]) if proto["kind"] == "fi" else 1
    defaultclock.dt = dt
    b2.start_scope()
    ns = dict(case["params"])
    eqs = case["eqs"]
    G = NeuronGroup(n, eqs, threshold=case.get("threshold"), reset=case.get("reset"),
                    refractory=case.get("refractory", False), method=case.get("brian_method", case["method"]),
                    namespace=ns)
    for var, value in case.get("init", {}).items():
        setattr(G, var, value)
    objects = [G]
    inp = case.get("input")
    if proto["kind"] == "fi":
        setattr(G, inp, np.arange(n) * proto["step"])
    if proto["kind"] == "spikes":
        S = SpikeGeneratorGroup(1, np.zeros(len(proto["times"]), dtype=int), proto["times"])
        objects.append(S)
        for target, w in proto["targets"]:
            syn = Synapses(S, G, on_pre="%s_post += w_in" % target, namespace={"w_in": w})
            syn.connect()
            objects.append(syn)
        if proto.get("bias") is not None:
            setattr(G, inp, proto["bias"])
    record = case["record"] if proto["kind"] != "fi" else []
    mon = StateMonitor(G, record, record=True, when="start") if record else None
    spk = SpikeMonitor(G) if case.get("threshold") else None
    objects += [m for m in (mon, spk) if m is not None]
    net = Network(*objects)
    if proto["kind"] == "step" and proto.get("amplitude") is not None:
        net.run(proto["t_on"])
        setattr(G, inp, proto["amplitude"])
        net.run(duration - proto["t_on"])
    else:
        net.run(duration)
    steps = int(round(duration / dt))
    t = np.arange(steps) * si(dt)
    traces = {}
    for var in record:
        values = getattr(mon, var)[0]
        if mon is not None and len(values) != steps:
            raise RuntimeError("%s: %d samples, expected %d" % (name, len(values), steps))
        traces[var] = (np.asarray(values), unit_of(values[:1]), case["describe"].get(var, var))
    spike_steps, spike_index = [], []
    if spk is not None:
        order = np.lexsort((np.asarray(spk.i), np.asarray(spk.t)))
        spike_steps = np.round(np.asarray(spk.t)[order] / si(dt)).astype(np.int64)
        spike_index = np.asarray(spk.i)[order]
    meta = {
        "model": case["model"],
        "module": "neurons." + case["module"],
        "reference": "Brian2 %s (numpy target, float64)" % b2.__version__,
        "protocol": proto["kind"] + ": " + case["protocol_text"],
        "equations": eqs,
        "threshold": case.get("threshold") or "",
        "reset": case.get("reset") or "",
        "refractory": repr(case.get("refractory", False)),
        "method": case.get("brian_method", case["method"]),
        "duration": si(duration),
        "n_neurons": n,
        "parameters_json": json.dumps({k: [si(v), unit_of(v)] for k, v in ns.items()}),
        "axon_network": network_text(case, n, float(duration / ms), float(dt / ms)),
    }
    return write(name, meta, t, traces, spike_steps, spike_index, si(dt))


# ----------------------------------------------------------------------------- NumPy (Nengo) cases

def nengo_lif_step(dt, J, v, rt, p, n=None):
    """nengo 4.1 LIF.step (and AdaptiveLIF.step with the adaptation n), in place."""
    Jn = J - n if n is not None else J
    rt -= dt
    delta = np.clip(dt - rt, 0, dt)
    v -= (Jn - v) * np.expm1(-delta / p["tau_rc"])
    spiked = v > 1
    t_spike = dt + p["tau_rc"] * np.log1p(-(v[spiked] - 1) / (Jn[spiked] - 1))
    v[v < p["min_voltage"]] = p["min_voltage"]
    v[spiked] = 0
    rt[spiked] = p["tau_ref"] + t_spike
    out = spiked * (p["amplitude"] / dt)
    if n is not None:
        n += (dt / p["tau_n"]) * (p["inc_n"] * out - n)
    return spiked, out


def nengo_izhikevich_step(dt, J, v, u, p):
    """nengo 4.1 Izhikevich.step, in place."""
    J = np.maximum(-30.0, J)
    dV = (0.04 * v ** 2 + 5 * v + 140 - u + J) * 1000
    v[:] += dV * dt
    out = (v >= 30) / dt
    v[out > 0] = p["reset_voltage"]
    dU = (p["tau_recovery"] * (p["coupling"] * v - u)) * 1000
    u[:] += dU * dt
    u[out > 0] = u[out > 0] + p["reset_recovery"]
    return out > 0, out


def spiking_relu_step(dt, J, v, p):
    """nengo 4.1 SpikingRectifiedLinear.step, in place."""
    v += np.maximum(J, 0) * dt
    n_spikes = np.floor(v)
    out = (p["amplitude"] / dt) * n_spikes
    v -= n_spikes
    return n_spikes > 0, out


def run_numpy(name, case):
    proto = case["protocol"]
    dt = case["dt_s"]
    steps = int(round(case["duration_s"] / dt))
    p = case["params"]
    currents = proto["currents"] if proto["kind"] == "fi" else [None]
    n = len(currents)
    state = {k: np.full(n, float(v)) for k, v in case["init"].items()}
    rec = {var: [] for var in case["record"]} if proto["kind"] != "fi" else {}
    spike_steps, spike_index = [], []
    for k in range(steps):
        t = k * dt
        for var in rec:
            rec[var].append(state[var][0])
        if proto["kind"] == "fi":
            J = np.arange(n) * proto["step"]
        else:
            J = np.full(n, proto["amplitude"] if t >= proto["t_on_s"] - dt / 2 else 0.0)
        spiked, out = case["step"](dt, J, state, p)
        state["out"] = np.asarray(out, dtype=float)
        for i in np.nonzero(spiked)[0]:
            spike_steps.append(k)
            spike_index.append(i)
    traces = {var: (np.array(vals), case["units"].get(var, "1"), case["describe"].get(var, var))
              for var, vals in rec.items()}
    net_case = dict(case)
    net_case["protocol"] = dict(proto)
    if proto["kind"] == "step":
        net_case["protocol"]["t_on"] = proto["t_on_s"] * second
    if proto["kind"] == "fi":
        net_case["protocol"]["step"] = proto["step"]
    meta = {
        "model": case["model"],
        "module": "neurons." + case["module"],
        "reference": "NumPy %s implementation of nengo 4.1 %s.step (independent of axon)" % (np.__version__, case["nengo"]),
        "protocol": proto["kind"] + ": " + case["protocol_text"],
        "equations": case["nengo"] + ".step, see the model file",
        "threshold": "", "reset": "", "refractory": "", "method": "update",
        "duration": case["duration_s"],
        "n_neurons": n,
        "parameters_json": json.dumps({k: [float(v), "1" if k not in ("tau_rc", "tau_ref", "tau_n") else "s"]
                                       for k, v in p.items()}),
        "axon_network": network_text(net_case, n, case["duration_s"] * 1e3, dt * 1e3),
    }
    return write(name, meta, np.arange(steps) * dt, traces, spike_steps, spike_index, dt)


# ----------------------------------------------------------------------------- the cases

def step(t_on, amplitude, text):
    return {"kind": "step", "t_on": t_on, "amplitude": amplitude}, text


def fi(step_, count, text):
    return {"kind": "fi", "step": step_, "currents": list(range(count))}, text


def spikes(times, targets, text, bias=None):
    return {"kind": "spikes", "times": times, "targets": targets, "bias": bias}, text


LIF_CURRENT = dict(
    model="LIFCurrent", module="lif_current", input="I", method="exact",
    eqs="""dv/dt = (v_rest - v + R*(I_syn + I))/tau_m : volt (unless refractory)
dI_syn/dt = -I_syn/tau_syn : amp
I : amp""",
    threshold="v > v_th", reset="v = v_reset", refractory=2 * ms,
    params=dict(tau_m=10 * ms, tau_syn=5 * ms, v_rest=-65 * mV, v_th=-50 * mV, v_reset=-65 * mV, R=10 * Mohm),
    init=dict(v=-65 * mV), record=["v", "I_syn"], duration=100 * ms,
    describe=dict(v="membrane potential", I_syn="synaptic current"))

LIF_REFRAC = dict(
    model="LIFRefrac", module="lif_refrac", input="I", method="exact",
    eqs="""dv/dt = (v_leak - v + i_syn + I)/tau_mem : 1 (unless refractory)
di_syn/dt = -i_syn/tau_syn : 1
I : 1""",
    threshold="v > v_th", reset="v = v_reset", refractory=5 * ms,
    params=dict(tau_mem=10 * ms, tau_syn=5 * ms, v_leak=0, v_th=1, v_reset=0),
    init={}, record=["v", "i_syn"], duration=100 * ms,
    describe=dict(v="membrane potential (normalised)", i_syn="synaptic current (normalised)"))

LIF_BOX = dict(
    model="LIFBox", module="lif_box", input="I", method="exact",
    eqs="""dv/dt = (v_leak - v + I)/tau_mem : 1
I : 1""",
    threshold="v > v_th", reset="v = v_reset",
    params=dict(tau_mem=10 * ms, v_leak=0, v_th=1, v_reset=0),
    init={}, record=["v"], duration=100 * ms, describe=dict(v="membrane potential (normalised)"))

IAF = dict(
    # Brian2's `exact` rejects a right side free of v; Euler is exact for it.
    model="IAF", module="iaf", input="I", method="exact", brian_method="euler",
    eqs="""dv/dt = I/tau : 1
I : 1""",
    threshold="v > v_th", reset="v = v_reset",
    params=dict(tau=10 * ms, v_th=1, v_reset=0),
    init={}, record=["v"], duration=100 * ms, describe=dict(v="membrane potential (normalised)"))

LI = dict(
    model="LI", module="li", input="I", method="exact",
    eqs="""dv/dt = (v_leak - v + i_syn + I)/tau_mem : 1
di_syn/dt = -i_syn/tau_syn : 1
I : 1""",
    params=dict(tau_mem=10 * ms, tau_syn=5 * ms, v_leak=0),
    init={}, record=["v", "i_syn"], duration=100 * ms,
    describe=dict(v="membrane potential (normalised)", i_syn="synaptic current (normalised)"))

ALIF = dict(
    model="ALIF", module="alif", input="I", method="exact",
    eqs="""dv/dt = (v_leak - v + i_syn + I)/tau_mem : 1
di_syn/dt = -i_syn/tau_syn : 1
db/dt = (v_th - b)/tau_adapt : 1
I : 1""",
    threshold="v > b", reset="v = v_reset; b += beta",
    params=dict(tau_mem=10 * ms, tau_syn=5 * ms, tau_adapt=800 * ms, v_leak=0, v_th=1, v_reset=0, beta=1.8),
    init=dict(b=1), record=["v", "b"], duration=200 * ms,
    describe=dict(v="membrane potential (normalised)", b="adaptive threshold (normalised)"))

# (With g_c = 50 Hz the rate of v - v_d, 1/tau_mem + 2 g_c = 200/s, would equal
# 1/tau_syn, a repeated eigenvalue at which Brian2's closed form divides by zero and
# returns NaN; axon's matrix exponential has no such case. The default is 30 Hz.)
LIF_MC = dict(
    model="LIFMC", module="lif_mc", input="I", method="exact",
    eqs="""dv/dt = (v_leak - v + i_syn + I)/tau_mem + g_c*(v_d - v) : 1
dv_d/dt = (v_leak - v_d + i_syn_d + I_d)/tau_mem + g_c*(v - v_d) : 1
di_syn/dt = -i_syn/tau_syn : 1
di_syn_d/dt = -i_syn_d/tau_syn : 1
I : 1
I_d : 1""",
    threshold="v > v_th", reset="v = v_reset",
    params=dict(tau_mem=10 * ms, tau_syn=5 * ms, g_c=30 * Hz, v_leak=0, v_th=1, v_reset=0),
    init={}, record=["v", "v_d", "i_syn_d"], duration=100 * ms,
    describe=dict(v="somatic potential (normalised)", v_d="dendritic potential (normalised)",
                  i_syn_d="dendritic synaptic current (normalised)"))

LIF_EX = dict(
    model="LIFEx", module="lif_ex", input="I", method="euler",
    eqs="""dv/dt = (v_leak - v + delta_T*exp((v - v_th)/delta_T) + i_syn + I)/tau_mem : 1
di_syn/dt = -i_syn/tau_syn : 1
I : 1""",
    threshold="v > v_th", reset="v = v_reset",
    params=dict(tau_mem=10 * ms, tau_syn=5 * ms, delta_T=0.5, v_leak=0, v_th=1, v_reset=0),
    init={}, record=["v", "i_syn"], duration=100 * ms,
    describe=dict(v="membrane potential (normalised)", i_syn="synaptic current (normalised)"))

COBA = dict(
    model="CobaLIF", module="coba_lif", input="I", method="exponential_euler",
    eqs="""dv/dt = (gL*(EL - v) + ge*(Ee - v) + gi*(Ei - v) + I)/C : volt (unless refractory)
dge/dt = -ge/tau_e : siemens
dgi/dt = -gi/tau_i : siemens
I : amp""",
    threshold="v > v_th", reset="v = v_reset", refractory=5 * ms,
    params=dict(C=200 * pF, gL=10 * nS, EL=-60 * mV, Ee=0 * mV, Ei=-80 * mV, tau_e=5 * ms, tau_i=10 * ms,
                v_th=-50 * mV, v_reset=-60 * mV),
    init=dict(v=-60 * mV), record=["v", "ge", "gi"], duration=100 * ms,
    describe=dict(v="membrane potential", ge="excitatory conductance", gi="inhibitory conductance"))

ADEX = dict(
    model="AdEx", module="adex", input="I", method="euler",
    eqs="""dv/dt = (gL*(EL - v) + gL*DeltaT*exp((v - VT)/DeltaT) + I - w)/C : volt
dw/dt = (a*(v - EL) - w)/tau_w : amp
I : amp""",
    threshold="v > v_cut", reset="v = v_reset; w += b",
    params=dict(C=281 * pF, gL=30 * nS, EL=-70.6 * mV, VT=-50.4 * mV, DeltaT=2 * mV, tau_w=144 * ms,
                a=4 * nS, b=0.0805 * nA, v_reset=-70.6 * mV, v_cut=-40.4 * mV),
    init=dict(v=-70.6 * mV), record=["v", "w"], duration=150 * ms,
    describe=dict(v="membrane potential", w="adaptation current"))


def izh(model, a, b, c, d):
    return dict(
        model=model, module="izhikevich", input="I", method="euler",
        eqs="""dv/dt = (0.04*v**2 + 5*v + 140 - u + I)/ms : 1
du/dt = a*(b*v - u)/ms : 1
I : 1""",
        threshold="v >= 30", reset="v = c; u += d",
        params=dict(a=a, b=b, c=c, d=d),
        init=dict(v=-65, u=b * -65), record=["v", "u"], duration=120 * ms,
        describe=dict(v="membrane potential (mV, dimensionless)", u="recovery variable"))


HH = dict(
    model="HH", module="hh", input="I", method="exponential_euler",
    eqs="""dv/dt = (gL*(EL - v) + ge*(Ee - v) + gi*(Ei - v) - gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK) + I)/C : volt
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
dge/dt = -ge/tau_e : siemens
dgi/dt = -gi/tau_i : siemens
alpha_m = 0.32*(13*mV - v + VT)/mV/(exp((13*mV - v + VT)/(4*mV)) - 1)/ms : Hz
beta_m = 0.28*(v - VT - 40*mV)/mV/(exp((v - VT - 40*mV)/(5*mV)) - 1)/ms : Hz
alpha_h = 0.128*exp((17*mV - v + VT)/(18*mV))/ms : Hz
beta_h = 4/(1 + exp((40*mV - v + VT)/(5*mV)))/ms : Hz
alpha_n = 0.032*(15*mV - v + VT)/mV/(exp((15*mV - v + VT)/(5*mV)) - 1)/ms : Hz
beta_n = 0.5*exp((10*mV - v + VT)/(40*mV))/ms : Hz
I : amp""",
    threshold="v > v_spike", refractory=3 * ms,
    params=dict(C=200 * pF, gL=10 * nS, gNa=20 * uS, gK=6 * uS, EL=-60 * mV, ENa=50 * mV, EK=-90 * mV,
                VT=-63 * mV, Ee=0 * mV, Ei=-80 * mV, tau_e=5 * ms, tau_i=10 * ms, v_spike=-20 * mV),
    init=dict(v=-60 * mV), record=["v", "m", "h", "n"], duration=60 * ms,
    describe=dict(v="membrane potential", m="Na activation", h="Na inactivation", n="K activation"))


def with_protocol(base, protocol, **extra):
    case = dict(base)
    case["protocol"], case["protocol_text"] = protocol
    case.update(extra)
    return case


BRIAN_CASES = {
    "lif_current_sub": with_protocol(LIF_CURRENT, step(20 * ms, 1.0 * nA, "1 nA from 20 ms (below threshold: v_inf = -55 mV)")),
    "lif_current_supra": with_protocol(LIF_CURRENT, step(20 * ms, 2.5 * nA, "2.5 nA from 20 ms")),
    "lif_current_fi": with_protocol(LIF_CURRENT, fi(0.25 * nA, 12, "I = 0.25 nA * i, i = 0..11, 200 ms"), duration=200 * ms),
    "lif_current_spikes": with_protocol(LIF_CURRENT, spikes([10 * ms, 12 * ms, 14 * ms, 40 * ms, 41 * ms, 42 * ms, 43 * ms, 70 * ms],
                                                            [("I_syn", 1.5 * nA)], "input spikes into I_syn, w = 1.5 nA")),
    "lif_refrac_supra": with_protocol(LIF_REFRAC, step(10 * ms, 1.5, "I = 1.5 from 10 ms")),
    "lif_refrac_spikes": with_protocol(LIF_REFRAC, spikes([10 * ms, 11 * ms, 12 * ms, 13 * ms, 50 * ms], [("i_syn", 0.8)], "input spikes into i_syn, w = 0.8")),
    "lif_box_sub": with_protocol(LIF_BOX, step(10 * ms, 0.8, "I = 0.8 from 10 ms")),
    "lif_box_supra": with_protocol(LIF_BOX, step(10 * ms, 1.6, "I = 1.6 from 10 ms")),
    "lif_box_fi": with_protocol(LIF_BOX, fi(0.25, 12, "I = 0.25 * i, i = 0..11, 200 ms"), duration=200 * ms),
    "iaf_step": with_protocol(IAF, step(10 * ms, 0.3, "I = 0.3 from 10 ms")),
    "li_spikes": with_protocol(LI, spikes([10 * ms, 20 * ms, 22 * ms, 60 * ms], [("i_syn", 0.5)], "input spikes into i_syn, w = 0.5")),
    "li_step": with_protocol(LI, step(10 * ms, 1.0, "I = 1 from 10 ms")),
    "alif_supra": with_protocol(ALIF, step(10 * ms, 3.0, "I = 3 from 10 ms")),
    "lif_mc_supra": with_protocol(LIF_MC, step(10 * ms, 2.5, "I = 2.5 into the soma from 10 ms")),
    "lif_mc_spikes": with_protocol(LIF_MC, spikes([10 * ms, 12 * ms, 14 * ms, 16 * ms, 18 * ms, 60 * ms], [("i_syn_d", 8.0)],
                                                  "input spikes into the dendrite's i_syn_d, w = 8")),
    "lif_ex_sub": with_protocol(LIF_EX, step(10 * ms, 0.3, "I = 0.3 from 10 ms")),
    "lif_ex_supra": with_protocol(LIF_EX, step(10 * ms, 1.2, "I = 1.2 from 10 ms")),
    "coba_lif_supra": with_protocol(COBA, step(20 * ms, 0.25 * nA, "0.25 nA from 20 ms")),
    "coba_lif_spikes": with_protocol(COBA, spikes([10 * ms, 11 * ms, 12 * ms, 13 * ms, 14 * ms, 15 * ms, 50 * ms, 60 * ms],
                                                  [("ge", 6 * nS), ("gi", 2 * nS)], "input spikes into ge (6 nS) and gi (2 nS)")),
    "coba_lif_fi": with_protocol(COBA, fi(0.05 * nA, 10, "I = 0.05 nA * i, i = 0..9, 200 ms"), duration=200 * ms),
    "adex_sub": with_protocol(ADEX, step(20 * ms, 0.5 * nA, "0.5 nA from 20 ms")),
    "adex_supra": with_protocol(ADEX, step(20 * ms, 1.0 * nA, "1 nA from 20 ms (adapting spike train)")),
    "adex_fi": with_protocol(ADEX, fi(0.2 * nA, 8, "I = 0.2 nA * i, i = 0..7, 300 ms"), duration=300 * ms),
    "hh_sub": with_protocol(HH, step(10 * ms, 0.02 * nA, "0.02 nA from 10 ms")),
    "hh_supra": with_protocol(HH, step(10 * ms, 0.5 * nA, "0.5 nA from 10 ms")),
    "hh_spikes": with_protocol(HH, spikes([10 * ms, 11 * ms, 12 * ms, 13 * ms, 50 * ms], [("ge", 20 * nS)], "input spikes into ge, w = 20 nS")),
    "hh_fi": with_protocol(HH, fi(0.1 * nA, 8, "I = 0.1 nA * i, i = 0..7, 200 ms"), duration=200 * ms),
}
for preset, (a, b, c, d) in {"": (0.02, 0.2, -65, 8), "RS": (0.02, 0.2, -65, 8), "IB": (0.02, 0.2, -55, 4),
                             "CH": (0.02, 0.2, -50, 2), "FS": (0.1, 0.2, -65, 2), "LTS": (0.02, 0.25, -65, 2)}.items():
    base = izh("Izhikevich" + preset, a, b, c, d)
    key = "izhikevich" + ("_" + preset.lower() if preset else "")
    if preset:
        BRIAN_CASES[key + "_step"] = with_protocol(base, step(10 * ms, 10.0, "I = 10 from 10 ms"))
    else:
        BRIAN_CASES[key + "_sub"] = with_protocol(base, step(10 * ms, 3.0, "I = 3 from 10 ms (below rheobase)"))
        BRIAN_CASES[key + "_fi"] = with_protocol(base, fi(2.0, 10, "I = 2 * i, i = 0..9, 300 ms"), duration=300 * ms)

NENGO_LIF_P = dict(tau_rc=0.02, tau_ref=0.002, min_voltage=0.0, amplitude=1.0)
NENGO_CASES = {
    "nengo_lif_supra": dict(model="NengoLIF", module="nengo_lif", nengo="nengo.LIF", input="J",
                            params=NENGO_LIF_P, init=dict(v=0, rt=0), record=["v", "rt"],
                            units=dict(rt="s"), describe=dict(v="voltage (normalised)", rt="refractory time left"),
                            step=lambda dt, J, s, p: nengo_lif_step(dt, J, s["v"], s["rt"], p),
                            protocol={"kind": "step", "amplitude": 1.5, "t_on_s": 0.01},
                            protocol_text="J = 1.5 from 10 ms, dt = 1 ms", dt_s=0.001, duration_s=0.2),
    "nengo_lif_fi": dict(model="NengoLIF", module="nengo_lif", nengo="nengo.LIF", input="J",
                         params=NENGO_LIF_P, init=dict(v=0, rt=0), record=[], units={}, describe={},
                         step=lambda dt, J, s, p: nengo_lif_step(dt, J, s["v"], s["rt"], p),
                         protocol={"kind": "fi", "step": 0.5, "currents": list(range(12))},
                         protocol_text="J = 0.5 * i, i = 0..11, dt = 1 ms, 500 ms", dt_s=0.001, duration_s=0.5),
    "nengo_lif_fine": dict(model="NengoLIF", module="nengo_lif", nengo="nengo.LIF", input="J",
                           params=NENGO_LIF_P, init=dict(v=0, rt=0), record=["v", "rt"],
                           units=dict(rt="s"), describe=dict(v="voltage (normalised)", rt="refractory time left"),
                           step=lambda dt, J, s, p: nengo_lif_step(dt, J, s["v"], s["rt"], p),
                           protocol={"kind": "step", "amplitude": 3.0, "t_on_s": 0.005},
                           protocol_text="J = 3 from 5 ms, dt = 0.1 ms", dt_s=0.0001, duration_s=0.05),
    "adaptive_lif_supra": dict(model="AdaptiveLIF", module="adaptive_lif", nengo="nengo.AdaptiveLIF", input="J",
                               params=dict(NENGO_LIF_P, tau_n=0.1, inc_n=0.05), init=dict(v=0, rt=0, n=0),
                               axon_overrides="tau_n = 100 ms; inc_n = 0.05",
                               record=["v", "n"], units={}, describe=dict(v="voltage (normalised)", n="adaptation"),
                               step=lambda dt, J, s, p: nengo_lif_step(dt, J, s["v"], s["rt"], p, s["n"]),
                               protocol={"kind": "step", "amplitude": 2.0, "t_on_s": 0.01},
                               protocol_text="J = 2 from 10 ms, tau_n = 100 ms, inc_n = 0.05, dt = 1 ms",
                               dt_s=0.001, duration_s=0.3),
    "nengo_izhikevich_step": dict(model="NengoIzhikevich", module="nengo_izhikevich", nengo="nengo.Izhikevich", input="J",
                                  params=dict(tau_recovery=0.02, coupling=0.2, reset_voltage=-65.0, reset_recovery=8.0),
                                  init=dict(v=0, u=0), record=["v", "u"], units={},
                                  describe=dict(v="voltage (mV, dimensionless)", u="recovery"),
                                  step=lambda dt, J, s, p: nengo_izhikevich_step(dt, J, s["v"], s["u"], p),
                                  protocol={"kind": "step", "amplitude": 10.0, "t_on_s": 0.02},
                                  protocol_text="J = 10 from 20 ms, dt = 0.1 ms", dt_s=0.0001, duration_s=0.2),
    "spiking_relu_fi": dict(model="SpikingRectifiedLinear", module="spiking_relu", nengo="nengo.SpikingRectifiedLinear",
                            input="J", params=dict(amplitude=1.0), init=dict(v=0), record=[], units={}, describe={},
                            step=lambda dt, J, s, p: spiking_relu_step(dt, J, s["v"], p),
                            protocol={"kind": "fi", "step": 37.0, "currents": list(range(12))},
                            protocol_text="J = 37 * i (Hz), i = 0..11, dt = 1 ms, 300 ms", dt_s=0.001, duration_s=0.3),
    "spiking_relu_step": dict(model="SpikingRectifiedLinear", module="spiking_relu", nengo="nengo.SpikingRectifiedLinear",
                              input="J", params=dict(amplitude=1.0), init=dict(v=0), record=["v"], units={},
                              describe=dict(v="accumulated fraction of a spike"),
                              step=lambda dt, J, s, p: spiking_relu_step(dt, J, s["v"], p),
                              protocol={"kind": "step", "amplitude": 130.0, "t_on_s": 0.01},
                              protocol_text="J = 130 (Hz) from 10 ms, dt = 1 ms", dt_s=0.001, duration_s=0.2),
}


def main(argv):
    wanted = set(argv[1:])
    for name, case in BRIAN_CASES.items():
        if not wanted or name in wanted:
            print("brian2:", run_brian(name, case))
    for name, case in NENGO_CASES.items():
        if not wanted or name in wanted:
            print("numpy: ", run_numpy(name, case))


if __name__ == "__main__":
    main(sys.argv)
