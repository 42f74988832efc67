#!/usr/bin/python3
"""Plot the HDF5 output of `axon run`: spike rasters, traces, population rates, synapse
variables and histograms of learned weights (layout: docs/output.md).

Needs h5py, numpy and matplotlib (Debian: python3-h5py python3-numpy python3-matplotlib);
run it with /usr/bin/python3.

  axon_plot.py OUT.h5 --list
  axon_plot.py OUT.h5                                   # default: every raster + traces
  axon_plot.py OUT.h5 --raster P --trace P.v --rate P -o fig.png
  axon_plot.py OUT.h5 --trace P.v:0,3,5 --from 100ms --to 500ms -o fig.png
  axon_plot.py OUT.h5 --trace S.w --hist S.w -o weights.png

Items are drawn one per subplot, in the order given; time plots share one time axis in
ms, histograms come after them. Exit codes: 0 ok, 2 usage or input error.
"""

import argparse
import math
import os
import re
import sys

try:
    import numpy as np
    import h5py
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        "axon_plot: error: %s\n"
        "  needs h5py, numpy and matplotlib: apt-get install python3-h5py python3-numpy "
        "python3-matplotlib, and run it with /usr/bin/python3\n" % e)
    sys.exit(2)

PROG = "axon_plot"
AXON_MAGIC = 0x0A7A
DEFAULT_COLUMNS = 5      # columns of each report in the default figure
MAX_COLUMNS = 10         # columns of an explicit --trace without a selection
LEGEND_MAX = 10          # more lines than this: no legend


class UsageError(Exception):
    """An error in the command line or the input: printed, exit code 2."""


def fail(msg):
    raise UsageError(msg)


# ---------------------------------------------------------------------------------------
# Small helpers

def text(v):
    """An HDF5 string (bytes, str, or a 0-d array of either) as str."""
    if isinstance(v, np.ndarray):
        v = v[()]
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


def attr_text(obj, name, default=""):
    if name in obj.attrs:
        return text(obj.attrs[name])
    return default


def scalar(f, path, default=None):
    if path in f:
        return f[path][()]
    return default


def unit_label(name, units):
    """`P.v (mV)`; no unit shown for dimensionless values."""
    if units and units != "1":
        return "%s (%s)" % (name, units)
    return name


def fmt_num(x):
    return "%g" % x


_TIME_RE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([a-zµ]*)\s*$")
_TIME_UNITS = {"": 1.0, "ms": 1.0, "s": 1000.0, "us": 1e-3, "µs": 1e-3, "min": 60000.0}


def parse_time(s, what):
    """`100ms`, `100 ms`, `0.5s`, `100` (ms) -> ms."""
    m = _TIME_RE.match(s)
    if not m or m.group(2) not in _TIME_UNITS:
        fail("%s: cannot read '%s' as a time (e.g. 100ms, 0.5 s, 100 = ms)" % (what, s))
    return float(m.group(1)) * _TIME_UNITS[m.group(2)]


def parse_selection(s, what):
    """`0,3,5`, `0:10` (half-open, like P[0:10]) or a mix `0:4,10` -> sorted id array."""
    ids = []
    for part in s.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            if ":" in part:
                a, b = part.split(":", 1)
                a, b = int(a), int(b)
                if b <= a:
                    fail("%s: empty range '%s'" % (what, part))
                ids.extend(range(a, b))
            else:
                ids.append(int(part))
        except ValueError:
            fail("%s: cannot read '%s' as ids (e.g. 0,3,5 or 0:10)" % (what, part))
    if not ids:
        fail("%s: no ids in '%s'" % (what, s))
    return np.unique(np.asarray(ids, dtype=np.int64))


def split_item(spec):
    """`P.v:0,3` -> ('P', 'v', '0,3'); `P` -> ('P', None, None). The variable keeps any
    further dots (receptor variables: `P.exc.g`)."""
    sel = None
    if ":" in spec:
        spec, sel = spec.split(":", 1)
    if "." in spec:
        name, var = spec.split(".", 1)
    else:
        name, var = spec, None
    return name, var, sel


def or_none(items):
    return ", ".join(items) if items else "(none)"


# ---------------------------------------------------------------------------------------
# Reading the file

class Report:
    """One /report/<group>/<var>."""

    def __init__(self, f, group, var):
        self.group, self.var = group, var
        self.name = "%s.%s" % (group, var)
        g = f["report"][group][var]
        self.g = g
        self.data = g["data"]
        self.units = attr_text(self.data, "units")
        m = g["mapping"]
        self.node_ids = m["node_ids"][:] if "node_ids" in m else \
            np.arange(self.data.shape[1] if self.data.ndim == 2 else 1)
        t = m["time"][:] if "time" in m else np.array([0.0, 0.0, 1.0])
        self.start, self.stop, self.step = float(t[0]), float(t[1]), float(t[2])
        self.is_synapse = "source_ids" in m
        self.source_ids = self.target_ids = None
        self.source_pop = self.target_pop = ""
        if self.is_synapse:
            self.source_ids = m["source_ids"][:]
            self.source_pop = attr_text(m["source_ids"], "population")
            if "target_ids" in m:
                self.target_ids = m["target_ids"][:]
                self.target_pop = attr_text(m["target_ids"], "population")
        self.is_rate = (var == "rate" or re.fullmatch(r"rate_\d+", var) is not None) \
            and not self.is_synapse and len(self.node_ids) == 1 and self.units == "Hz"

    @property
    def n_times(self):
        return self.data.shape[0]

    def rows(self, t_from, t_to):
        """Row range [k0, k1) whose times lie in [t_from, t_to]."""
        n = self.n_times
        k0, k1 = 0, n
        if self.step > 0:
            if t_from is not None:
                k0 = max(0, int(math.ceil((t_from - self.start) / self.step - 1e-9)))
            if t_to is not None:
                k1 = min(n, int(math.floor((t_to - self.start) / self.step + 1e-9)) + 1)
        return k0, max(k0, k1)

    def column_label(self, c):
        nid = int(self.node_ids[c])
        if self.is_synapse:
            s = "syn %d" % nid
            if self.source_ids is not None:
                s += " %s[%d]" % (self.source_pop, int(self.source_ids[c]))
                if self.target_ids is not None:
                    s += "→%s[%d]" % (self.target_pop, int(self.target_ids[c]))
            return s
        return "neuron %d" % nid


class Run:
    def __init__(self, path):
        if not os.path.exists(path):
            fail("%s: no such file" % path)
        if os.path.isdir(path):
            fail("%s: is a directory, not an HDF5 file" % path)
        try:
            self.f = h5py.File(path, "r")
        except OSError as e:
            fail("%s: cannot open as HDF5 (%s)" % (path, str(e).split("(")[0].strip()))
        f = self.f
        self.path = path
        if "magic" in f.attrs and int(np.asarray(f.attrs["magic"]).ravel()[0]) != AXON_MAGIC:
            fail("%s: not an axon output file (magic attribute is not 0x0A7A)" % path)
        if not any(k in f for k in ("spikes", "report", "axon")):
            fail("%s: not an axon output file (no /spikes, /report or /axon)" % path)
        self.network = text(f["axon/network"][()]) if "axon/network" in f else ""
        self.dt = scalar(f, "axon/dt")
        self.duration = scalar(f, "axon/duration")
        self.complete = scalar(f, "axon/complete")
        self.spikes = sorted(f["spikes"].keys()) if "spikes" in f else []
        self.reports = []
        if "report" in f:
            for grp in sorted(f["report"].keys()):
                for var in sorted(f["report"][grp].keys()):
                    if isinstance(f["report"][grp][var], h5py.Group) and \
                            "data" in f["report"][grp][var]:
                        self.reports.append(Report(f, grp, var))
        self.connectivity = sorted(f["connectivity"].keys()) if "connectivity" in f else []
        self.populations = sorted(f["axon/populations"].keys()) \
            if "axon/populations" in f else []

    # -- names ---------------------------------------------------------------------------

    def report_names(self):
        return [r.name for r in self.reports]

    def find_reports(self, name, var, what):
        if var is None:
            found = [r for r in self.reports if r.group == name]
            if not found:
                self.unknown_name(name, what)
            return found
        for r in self.reports:
            if r.group == name and r.var == var:
                return [r]
        groups = {r.group for r in self.reports}
        if name in groups:
            fail("%s %s.%s: no report '%s' for '%s'; it has: %s"
                 % (what, name, var, var, name,
                    or_none([r.name for r in self.reports if r.group == name])))
        self.unknown_name(name, what, var)

    def unknown_name(self, name, what, var=None):
        shown = name if var is None else "%s.%s" % (name, var)
        known = set(self.populations) | set(self.spikes) | set(self.connectivity) | \
            {r.group for r in self.reports}
        kind = "population or projection" if name not in known else "report"
        fail("%s %s: unknown %s '%s' in %s\n  reports: %s\n  populations: %s"
             % (what, shown, kind, name, self.path, or_none(self.report_names()),
                or_none(self.populations)))

    def spike_data(self, pop):
        if pop not in self.spikes:
            where = "not a population of this run" if self.populations and \
                pop not in self.populations else "not recorded (no 'probe spikes of %s')" % pop
            fail("--raster %s: no spikes of '%s' in %s (%s)\n  populations with spikes: %s"
                 % (pop, pop, self.path, where, or_none(self.spikes)))
        g = self.f["spikes"][pop]
        return g["timestamps"][:], g["node_ids"][:]

    def pop_size(self, pop):
        return scalar(self.f, "axon/populations/%s/size" % pop)


# ---------------------------------------------------------------------------------------
# --list

def list_file(run, out=sys.stdout):
    f = run.f
    p = lambda *a: print(*a, file=out)
    p("file: %s" % run.path)
    meta = []
    if run.network:
        meta.append("network %s" % run.network)
    if run.dt is not None:
        meta.append("dt %s ms" % fmt_num(run.dt))
    if run.duration is not None:
        meta.append("duration %s ms" % fmt_num(run.duration))
    if run.complete is not None:
        meta.append("complete: %s" % ("yes" if run.complete else "no (interrupted)"))
    seed = scalar(f, "axon/seed")
    if seed is not None:
        meta.append("seed %d" % seed)
    if "axon/version" in f:
        meta.append("axon %s" % text(f["axon/version"][()]))
    p("run: " + ("  ".join(meta) if meta else "(no /axon metadata)"))
    if "axon/command_line" in f:
        p("command: %s" % text(f["axon/command_line"][()]))

    p("populations:")
    names = sorted(set(run.populations) | set(run.spikes))
    if not names:
        p("  (none)")
    for pop in names:
        parts = []
        size = run.pop_size(pop)
        if size is not None:
            parts.append("%d neurons" % size)
        base = "axon/populations/%s/" % pop
        if base + "model" in f:
            model = text(f[base + "model"][()])
            if base + "integrator" in f:
                model += " (%s)" % text(f[base + "integrator"][()])
            parts.append(model)
        if pop in run.spikes:
            ts = f["spikes"][pop]["timestamps"]
            n = ts.shape[0]
            if n:
                parts.append("spikes: %d, %s..%s ms" % (n, fmt_num(ts[0]), fmt_num(ts[-1])))
            else:
                parts.append("spikes: none")
        else:
            parts.append("spikes not recorded")
        p("  %-12s %s" % (pop, "  ".join(parts)))

    p("reports:")
    if not run.reports:
        p("  (none)")
    for r in run.reports:
        shape = "x".join(str(s) for s in r.data.shape)
        t = "t %s..%s ms every %s ms" % (fmt_num(r.start), fmt_num(r.start + r.n_times * r.step),
                                        fmt_num(r.step))
        ids = r.node_ids
        if r.is_synapse:
            who = "synapses %s->%s" % (r.source_pop or "?", r.target_pop or "?")
        elif r.is_rate:
            who = "population rate (from neuron %d)" % ids[0] if len(ids) else "rate"
        elif len(ids) and np.array_equal(ids, np.arange(ids[0], ids[0] + len(ids))):
            who = "neurons %d:%d" % (ids[0], ids[0] + len(ids))
        else:
            who = "%d neurons" % len(ids)
        p("  %-12s %-6s %-12s %-8s %s  %s" % (r.name, r.units or "-", shape,
                                              str(r.data.dtype), t, who))

    p("connectivity:")
    if not run.connectivity:
        p("  (none)")
    for proj in run.connectivity:
        g = f["connectivity"][proj]
        n = g["pre"].shape[0] if "pre" in g else None
        vars_ = []
        for k in sorted(g.keys()):
            if k in ("pre", "post"):
                continue
            u = attr_text(g[k], "units")
            vars_.append("%s [%s]" % (k, u) if u else k)
        p("  %-12s %s synapses  %s" % (proj, n if n is not None else "?", "  ".join(vars_)))


# ---------------------------------------------------------------------------------------
# Drawing

def note(ax, msg):
    ax.text(0.5, 0.5, msg, transform=ax.transAxes, ha="center", va="center",
            color="0.4", fontsize="small")


def draw_raster(ax, run, pop, sel, t_from, t_to):
    t, ids = run.spike_data(pop)
    keep = np.ones(len(t), dtype=bool)
    if t_from is not None:
        keep &= t >= t_from
    if t_to is not None:
        keep &= t <= t_to
    if sel is not None:
        keep &= np.isin(ids, sel)
    t, ids = t[keep], ids[keep]
    n = len(t)
    size = run.pop_size(pop)
    if n:
        shown = len(sel) if sel is not None else (size or (int(ids.max()) + 1))
        if shown <= 100:
            # Few neurons: the classic tick per spike, sized to the row height.
            ax.plot(t, ids, linestyle="none", marker="|", color="k", rasterized=True,
                    markersize=max(3.0, min(12.0, 120.0 / shown)), markeredgewidth=1.0)
        else:
            ms = 4.0 if n < 2000 else (3.0 if n < 10000 else (1.5 if n < 100000 else 0.8))
            ax.plot(t, ids, linestyle="none", marker=".", markersize=ms, color="k",
                    markeredgewidth=0, rasterized=True)
        if sel is not None:
            ax.set_ylim(sel[0] - 0.5, sel[-1] + 0.5)
        elif size:
            ax.set_ylim(-0.5, size - 0.5)
    else:
        note(ax, "no spikes" + (" in this window" if (t_from or t_to) else ""))
        if size:
            ax.set_ylim(-0.5, size - 0.5)
    ax.set_ylabel("%s neuron" % pop)
    ax.set_title("%s spikes (%d)" % (pop, n), loc="left", fontsize="small")
    if size and sel is None and size <= 20:
        ax.set_yticks(range(int(size)))
    else:
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))


def draw_lines(ax, r, cols, t_from, t_to, note_text=""):
    k0, k1 = r.rows(t_from, t_to)
    if k1 <= k0 or not len(cols):
        note(ax, "no samples" + (" in this window" if r.n_times else ""))
    else:
        data = read_columns(r.data, k0, k1, cols)
        times = r.start + r.step * np.arange(k0, k1)
        marker = "o" if (k1 - k0) <= 40 else None
        many = len(cols) > LEGEND_MAX
        for j, c in enumerate(cols):
            ax.plot(times, data[:, j], marker=marker, markersize=3,
                    linewidth=0.6 if many else 1.0, alpha=0.5 if many else 1.0,
                    label=r.column_label(c))
        if many:
            note_text = (note_text + "; " if note_text else "") + "%d lines" % len(cols)
        elif len(cols) > 1 or r.is_synapse:
            # On the title line, right of the (left-aligned) title.
            ax.legend(fontsize="x-small", loc="lower right", bbox_to_anchor=(1.0, 1.0),
                      ncol=min(len(cols), 5 if r.is_synapse else LEGEND_MAX),
                      borderaxespad=0.2, frameon=False, handlelength=1.5,
                      columnspacing=1.0)
    ax.set_ylabel(unit_label(r.name, r.units))
    title = r.name
    if r.is_synapse and r.source_pop:
        title += " (%s→%s)" % (r.source_pop, r.target_pop or "?")
    if note_text:
        title += "  [%s]" % note_text
    ax.set_title(title, loc="left", fontsize="small")


def read_columns(ds, k0, k1, cols):
    """Rows [k0, k1) of the columns `cols` (increasing) as float64 [rows, len(cols)],
    reading no more of the file than needed (a report can be far larger than memory)."""
    c0, c1 = int(cols[0]), int(cols[-1]) + 1
    if c1 - c0 <= max(4 * len(cols), 64):
        block = ds[k0:k1, c0:c1]
        return np.asarray(block, dtype=np.float64)[:, np.asarray(cols) - c0]
    return np.asarray(ds[k0:k1, [int(c) for c in cols]], dtype=np.float64)


def select_columns(r, sel, limit, what, others=()):
    """Column indices of the report for a selection of node ids (or the first `limit`)."""
    n = len(r.node_ids)
    if sel is None:
        cols = np.arange(min(n, limit))
        return cols, ("first %d of %d" % (len(cols), n) if n > len(cols) else "")
    pos = {int(v): i for i, v in enumerate(r.node_ids)}
    missing = [int(s) for s in sel if int(s) not in pos]
    if missing:
        ids = r.node_ids
        if len(ids) and np.array_equal(ids, np.arange(ids[0], ids[0] + len(ids))):
            rec = "%d:%d" % (ids[0], ids[0] + len(ids))
        else:
            rec = ",".join(str(int(i)) for i in ids[:20]) + (",..." if len(ids) > 20 else "")
        kind = "synapse" if r.is_synapse else "neuron"
        # The same variable probed again (P.v_2) may hold them.
        base = re.sub(r"_\d+$", "", r.var)
        holders = [o.name for o in others if o is not r and o.group == r.group and
                   re.sub(r"_\d+$", "", o.var) == base and
                   np.isin(missing, o.node_ids).all()]
        fail("%s: %s %s not recorded in %s; recorded %ss: %s%s"
             % (what, kind + ("s" if len(missing) > 1 else ""),
                ",".join(map(str, missing[:10])), r.name, kind, rec,
                "; they are in %s" % ", ".join(holders) if holders else ""))
    return np.array(sorted(pos[int(s)] for s in sel)), ""


def draw_rate_report(ax, r, t_from, t_to):
    k0, k1 = r.rows(t_from, t_to)
    if k1 <= k0:
        note(ax, "no complete bins" + (" in this window" if r.n_times else
                                       " (the run is shorter than one bin)"))
    else:
        vals = np.asarray(r.data[k0:k1, 0], dtype=np.float64)
        edges = r.start + r.step * np.arange(k0, k1 + 1)
        ax.stairs(vals, edges, fill=True, alpha=0.35, color="C0")
        ax.stairs(vals, edges, color="C0")
        ax.set_ylim(bottom=0)
    ax.set_ylabel(unit_label("%s rate" % r.group, r.units or "Hz"))
    ax.set_title("%s: population rate, bins of %s ms" % (r.name, fmt_num(r.step)),
                 loc="left", fontsize="small")


def draw_rate_from_spikes(ax, run, pop, bin_ms, t_from, t_to):
    t, _ = run.spike_data(pop)
    size = run.pop_size(pop)
    lo = t_from if t_from is not None else 0.0
    hi = t_to if t_to is not None else (run.duration if run.duration is not None else
                                         (float(t[-1]) if len(t) else 1.0))
    if bin_ms is None:
        bin_ms = nice_bin(hi - lo, run.dt)
    nb = max(1, int(math.floor((hi - lo) / bin_ms + 1e-9)))
    edges = lo + bin_ms * np.arange(nb + 1)
    counts, _ = np.histogram(t, bins=edges)
    norm = (size if size else 1) * bin_ms * 1e-3
    ax.stairs(counts / norm, edges, fill=True, alpha=0.35, color="C1")
    ax.stairs(counts / norm, edges, color="C1")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("%s rate (Hz)" % pop)
    ax.set_title("%s: rate from recorded spikes / %s neurons, bins of %s ms"
                 % (pop, size if size else "1", fmt_num(bin_ms)), loc="left", fontsize="small")


def nice_bin(span, dt):
    """About 100 bins over the span, rounded to 1, 2 or 5 x 10^k ms, at least dt."""
    if span <= 0:
        return dt or 1.0
    raw = span / 100.0
    e = 10 ** math.floor(math.log10(raw))
    b = min((m * e for m in (1, 2, 5, 10) if m * e >= raw), default=raw)
    if dt:
        b = max(b, dt)
    return b


def draw_hist(ax, run, proj, var, bins):
    f = run.f
    what = "--hist %s.%s" % (proj, var)
    g = f["connectivity"][proj] if proj in run.connectivity else None
    rep = next((r for r in run.reports if r.group == proj and r.var == var), None)
    final_label = "end of run"
    if g is not None and var in g and var not in ("pre", "post"):
        vals = np.asarray(g[var][:], dtype=np.float64)
        units = attr_text(g[var], "units")
        source = "/connectivity/%s/%s" % (proj, var)
    elif rep is not None and rep.is_synapse and g is None:
        # No saved connectivity: the last sample of the synapse report.
        if rep.n_times == 0:
            fail("%s: the report %s has no samples" % (what, rep.name))
        vals = np.asarray(rep.data[rep.n_times - 1, :], dtype=np.float64)
        units = rep.units
        final_label = "t = %s ms" % fmt_num(rep.start + rep.step * (rep.n_times - 1))
        source = "/report/%s/%s (last sample)" % (proj, var)
    else:
        if g is not None:
            have = [k for k in sorted(g.keys()) if k not in ("pre", "post")]
            fail("%s: no variable '%s' in /connectivity/%s; it has: %s"
                 % (what, var, proj, or_none(have)))
        syn = sorted({r.name for r in run.reports if r.is_synapse})
        fail("%s: no projection '%s' under /connectivity in %s (it holds plastic projections)"
             "\n  projections: %s\n  synapse reports: %s"
             % (what, proj, run.path, or_none(run.connectivity), or_none(syn)))
    edges = np.histogram_bin_edges(vals, bins=bins) if len(vals) else bins
    initial = None
    if rep is not None and rep.is_synapse and rep.n_times > 1 and rep.start == 0 and \
            "report" not in source:
        initial = np.asarray(rep.data[0, :], dtype=np.float64)
        edges = np.histogram_bin_edges(np.concatenate([vals, initial]), bins=bins)
    if initial is not None:
        ax.hist(initial, bins=edges, histtype="step", color="0.5", linewidth=1.2,
                label="t = 0 (%s, %d synapses)" % (rep.name, len(initial)))
    ax.hist(vals, bins=edges, color="C2", alpha=0.75, label="%s (%d synapses)"
            % (final_label, len(vals)))
    ax.legend(fontsize="x-small", loc="best", framealpha=0.8)
    ax.set_xlabel(unit_label("%s.%s" % (proj, var), units))
    ax.set_ylabel("synapses")
    ax.set_title("%s: histogram of %s" % (proj + "." + var, source), loc="left", fontsize="small")


# ---------------------------------------------------------------------------------------
# Main

class AppendItem(argparse.Action):
    """Keeps --raster/--trace/--rate/--hist in command-line order in one list."""

    def __call__(self, parser, ns, values, option_string=None):
        items = getattr(ns, "items", None) or []
        items.append((self.dest, values))
        ns.items = items


def build_items(run, args):
    """[(kind, payload)] of subplots to draw."""
    items = []
    if not args.items:  # default figure
        for pop in run.spikes:
            if run.f["spikes"][pop]["timestamps"].shape[0] > 0:
                items.append(("raster", (pop, None)))
        for r in run.reports:
            if r.is_rate:
                items.append(("rate_report", r))
            else:
                cols, note_text = select_columns(r, None, DEFAULT_COLUMNS, "")
                items.append(("trace", (r, cols, note_text)))
        if not items:
            fail("%s: nothing to plot (no spikes and no reports); see --list" % run.path)
        return items
    for kind, spec in args.items:
        name, var, sel = split_item(spec)
        what = "--%s %s" % (kind, spec)
        if not name:
            fail("%s: expected a name" % what)
        if kind == "raster":
            if var is not None:
                fail("%s: --raster takes a population (P or P:0:100), not a variable" % what)
            ids = parse_selection(sel, what) if sel is not None else None
            run.spike_data(name)  # checks the name
            items.append(("raster", (name, ids)))
        elif kind == "trace":
            ids = parse_selection(sel, what) if sel is not None else None
            for r in run.find_reports(name, var, "--trace"):
                if r.is_rate and ids is None:
                    items.append(("rate_report", r))
                    continue
                cols, note_text = select_columns(r, ids, args.max_lines, what, run.reports)
                items.append(("trace", (r, cols, note_text)))
        elif kind == "rate":
            if sel is not None:
                fail("%s: --rate takes a population, without a selection" % what)
            if var is not None:
                items.extend(("rate_report", r) for r in run.find_reports(name, var, "--rate"))
                continue
            rates = [r for r in run.reports if r.group == name and r.is_rate]
            if rates:
                items.extend(("rate_report", r) for r in rates)
            elif name in run.spikes:
                items.append(("rate_spikes", name))
            else:
                fail("%s: no population rate of '%s' in %s (no 'probe rate of %s', and its "
                     "spikes are not recorded)\n  rate reports: %s\n  populations with "
                     "spikes: %s" % (what, name, run.path, name,
                                     or_none([r.name for r in run.reports if r.is_rate]),
                                     or_none(run.spikes)))
        elif kind == "hist":
            if var is None or sel is not None:
                fail("%s: --hist takes PROJECTION.VARIABLE, e.g. S.w" % what)
            items.append(("hist", (name, var)))
    return items


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="axon_plot.py",
        description="Plot the HDF5 output of `axon run` (docs/output.md).",
        epilog="Selections: P.v:0,3,5 or P.v:0:10 (neuron ids, half-open range; synapse "
               "indices for a synapse report). With no --raster/--trace/--rate/--hist: a "
               "raster of every population with spikes and the first %d columns of every "
               "report. Exit codes: 0 ok, 2 usage or input error." % DEFAULT_COLUMNS)
    ap.add_argument("file", help="an HDF5 file written by axon run")
    ap.add_argument("--list", action="store_true",
                    help="list populations, reports, connectivity and run metadata, then exit")
    ap.add_argument("--raster", metavar="P[:IDS]", action=AppendItem,
                    help="spike raster of population P")
    ap.add_argument("--trace", metavar="P.VAR[:IDS]", action=AppendItem,
                    help="a report (probe P.v, or a synapse probe S.w); P alone: all of P's "
                         "reports")
    ap.add_argument("--rate", metavar="P", action=AppendItem,
                    help="population rate: the 'probe rate of P' report, else binned from P's "
                         "spikes (see --bin)")
    ap.add_argument("--hist", metavar="S.VAR", action=AppendItem,
                    help="histogram of a synapse variable at the end of the run "
                         "(/connectivity/S/VAR), e.g. learned weights")
    ap.add_argument("--from", dest="t_from", metavar="T", help="start of the time window "
                    "(100ms, 0.5s; a bare number is ms)")
    ap.add_argument("--to", dest="t_to", metavar="T", help="end of the time window")
    ap.add_argument("--bin", metavar="T", help="bin for a rate computed from spikes "
                    "(default: about 100 bins)")
    ap.add_argument("--bins", type=int, default=50, help="histogram bins (default 50)")
    ap.add_argument("--max-lines", type=int, default=MAX_COLUMNS, metavar="N",
                    help="columns drawn for --trace without a selection (default %d)"
                         % MAX_COLUMNS)
    ap.add_argument("-o", "--output", metavar="FIG",
                    help="output image (.png, .pdf, .svg); default: FILE's name with .png, in "
                         "the current directory")
    ap.add_argument("--width", type=float, default=10.0, help="figure width, inches")
    ap.add_argument("--dpi", type=int, default=120)
    ap.add_argument("--title", help="figure title (default: the network's name)")
    args = ap.parse_args(argv)
    args.items = getattr(args, "items", None) or []

    try:
        run = Run(args.file)
        if args.list:
            if args.items:
                fail("--list cannot be combined with plot options")
            list_file(run)
            return 0
        t_from = parse_time(args.t_from, "--from") if args.t_from is not None else None
        t_to = parse_time(args.t_to, "--to") if args.t_to is not None else None
        if t_from is not None and t_to is not None and t_to <= t_from:
            fail("--to %s must be after --from %s" % (args.t_to, args.t_from))
        bin_ms = parse_time(args.bin, "--bin") if args.bin is not None else None
        if bin_ms is not None and bin_ms <= 0:
            fail("--bin must be positive")
        if args.bins < 1 or args.max_lines < 1:
            fail("--bins and --max-lines must be at least 1")
        items = build_items(run, args)
        out = args.output or os.path.splitext(os.path.basename(args.file))[0] + ".png"
        d = os.path.dirname(out)
        if d and not os.path.isdir(d):
            fail("-o %s: no such directory '%s'" % (out, d))
        plot(run, items, out, t_from, t_to, bin_ms, args)
    except UsageError as e:
        sys.stderr.write("%s: error: %s\n" % (PROG, e))
        return 2
    print("wrote %s" % out, file=sys.stderr)
    return 0


def plot(run, items, out, t_from, t_to, bin_ms, args):
    timed = [it for it in items if it[0] != "hist"]
    hists = [it for it in items if it[0] == "hist"]
    ordered = timed + hists
    heights = [1.3 if k == "rate_report" or k == "rate_spikes" else 2.0 for k, _ in timed] + \
        [2.4] * len(hists)
    fig, axes = plt.subplots(len(ordered), 1, squeeze=False,
                             figsize=(args.width, 0.9 + sum(heights) * 1.1),
                             gridspec_kw={"height_ratios": heights})
    axes = axes[:, 0]
    for ax in axes[1:len(timed)]:
        ax.sharex(axes[0])
    for ax, (kind, payload) in zip(axes, ordered):
        if kind == "raster":
            draw_raster(ax, run, payload[0], payload[1], t_from, t_to)
        elif kind == "trace":
            r, cols, note_text = payload
            draw_lines(ax, r, cols, t_from, t_to, note_text)
        elif kind == "rate_report":
            draw_rate_report(ax, payload, t_from, t_to)
        elif kind == "rate_spikes":
            draw_rate_from_spikes(ax, run, payload, bin_ms, t_from, t_to)
        elif kind == "hist":
            draw_hist(ax, run, payload[0], payload[1], args.bins)
        ax.grid(True, alpha=0.25)
    if timed:
        lo = t_from if t_from is not None else 0.0
        hi = t_to if t_to is not None else run.duration
        if hi is not None and hi > lo:
            axes[0].set_xlim(lo, hi)
        for ax in axes[:len(timed) - 1]:
            ax.tick_params(labelbottom=False)
        axes[len(timed) - 1].set_xlabel("time (ms)")
    title = args.title if args.title is not None else (run.network or os.path.basename(run.path))
    sub = []
    if run.dt is not None:
        sub.append("dt %s ms" % fmt_num(run.dt))
    if run.duration is not None:
        sub.append("%s ms" % fmt_num(run.duration))
    if run.complete is not None and not run.complete:
        sub.append("interrupted")
    if sub and args.title is None:
        title += "  (" + ", ".join(sub) + ")"
    fig.suptitle(title)
    fig.tight_layout()
    try:
        fig.savefig(out, dpi=args.dpi)
    except (OSError, ValueError) as e:
        fail("-o %s: cannot write the figure (%s)" % (out, e))
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
