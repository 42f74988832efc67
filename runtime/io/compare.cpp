#include "runtime/io/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <sstream>

#include "compiler/units/unit.h"

namespace axon::io {

namespace {

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string num(double v, const char* format = "%.3g") {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string ms(double seconds) { return num(seconds * 1e3, "%.6g") + " ms"; }

// Population names of a SONATA file (reports and spikes); none in the flat layout.
std::vector<std::string> populations(const TraceFile& f) {
  std::set<std::string> names;
  if (f.layout == TraceLayout::Sonata) {
    for (const Trace& t : f.traces) names.insert(t.population);
    for (const SpikeTrain& s : f.spikes) names.insert(s.name);
  }
  return {names.begin(), names.end()};
}

std::string trace_names(const TraceFile& f) {
  std::vector<std::string> names;
  for (const Trace& t : f.traces) names.push_back(t.name());
  return names.empty() ? "none" : join(names);
}

std::string train_names(const TraceFile& f) {
  std::vector<std::string> names;
  for (const SpikeTrain& s : f.spikes) names.push_back(s.name);
  return names.empty() ? "none" : join(names);
}

// The traces `name` can mean: a full name ("P/v"), a population and variable written
// "P.v", or a bare variable name within `population` (any population when "").
std::vector<const Trace*> find_traces(const TraceFile& f, const std::string& name, const std::string& population) {
  std::vector<const Trace*> found;
  for (const Trace& t : f.traces)
    if (t.name() == name) return {&t};
  size_t split = name.find_first_of("/.");
  if (split != std::string::npos) {
    std::string pop = name.substr(0, split), var = name.substr(split + 1);
    for (const Trace& t : f.traces)
      if (t.population == pop && t.variable == var) found.push_back(&t);
    if (!found.empty()) return found;
  }
  for (const Trace& t : f.traces)
    if (t.variable == name && (population.empty() || t.population == population)) found.push_back(&t);
  return found;
}

const SpikeTrain* find_train(const TraceFile& f, const std::string& name) {
  for (const SpikeTrain& s : f.spikes)
    if (s.name == name) return &s;
  return nullptr;
}

std::optional<units::Unit> parse(const std::string& text) { return units::parse_unit(text).unit; }

// How each reference sample time reads the run: one sample, or two interpolated.
struct SamplePoint {
  size_t ref_index;
  size_t i0, i1;
  double w;  // value = (1 - w) * run[i0] + w * run[i1]
};

std::vector<SamplePoint> sample_points(const std::vector<double>& run_t, const std::vector<double>& ref_t,
                                       bool& interpolated) {
  std::vector<SamplePoint> points;
  size_t n = run_t.size();
  if (n == 0) return points;
  double run_step = n >= 2 ? (run_t.back() - run_t.front()) / (n - 1) : 0;
  double ref_step = ref_t.size() >= 2 ? (ref_t.back() - ref_t.front()) / (ref_t.size() - 1) : 0;
  for (size_t k = 0; k < ref_t.size(); ++k) {
    double t = ref_t[k];
    // Times coincide within 1e-9 relative to the time or, near 0, to the step.
    double tol = 1e-9 * std::max({std::fabs(t), run_step, ref_step});
    if (t < run_t.front() - tol || t > run_t.back() + tol) continue;
    size_t i = std::lower_bound(run_t.begin(), run_t.end(), t) - run_t.begin();
    if (i < n && std::fabs(run_t[i] - t) <= tol) {
      points.push_back({k, i, i, 0});
    } else if (i > 0 && std::fabs(run_t[i - 1] - t) <= tol) {
      points.push_back({k, i - 1, i - 1, 0});
    } else {
      interpolated = true;
      points.push_back({k, i - 1, i, (t - run_t[i - 1]) / (run_t[i] - run_t[i - 1])});
    }
  }
  return points;
}

class Comparer {
 public:
  Comparer(const TraceFile& run, const TraceFile& ref, const CompareSettings& settings)
      : run(run), ref(ref), settings(settings) {}

  CompareReport compare() {
    report.run_path = run.path;
    report.ref_path = ref.path;
    report.run_layout = run.layout;
    report.ref_layout = ref.layout;
    report.rtol = settings.rtol;
    report.atol = settings.atol;
    report.spike_tol_s = settings.spike_tol_s ? *settings.spike_tol_s : ref.dt_s > 0 ? ref.dt_s / 2 : 0.05e-3;
    check_population();
    pair_mapped();
    pair_traces_by_name();
    pair_spikes_by_name();
    check_atol_names();
    for (const std::string& s : run.skipped) report.notes.push_back("run file: " + s);
    for (const std::string& s : ref.skipped) report.notes.push_back("reference file: " + s);
    return std::move(report);
  }

 private:
  const TraceFile& run;
  const TraceFile& ref;
  const CompareSettings& settings;
  CompareReport report;
  std::set<const Trace*> used_traces;
  std::set<const SpikeTrain*> used_trains;
  std::set<std::string> atol_used;

  void check_population() {
    if (settings.population.empty()) return;
    if (run.layout == TraceLayout::Flat)
      throw CompareUsageError("--population " + settings.population + ": the run file " + run.path +
                              " is in the flat layout, which has no populations");
    std::vector<std::string> pops = populations(run);
    if (std::find(pops.begin(), pops.end(), settings.population) == pops.end())
      throw CompareUsageError(
          "--population " + settings.population +
          ": the run file has no such population (it has: " + (pops.empty() ? std::string("none") : join(pops)) + ")");
  }

  void pair_mapped() {
    for (const auto& [ours, theirs] : settings.map) {
      std::string option = "--map " + ours + "=" + theirs;
      std::vector<const Trace*> a = find_traces(run, ours, settings.population);
      std::vector<const Trace*> b = find_traces(ref, theirs, "");
      const SpikeTrain* sa = find_train(run, ours);
      const SpikeTrain* sb = find_train(ref, theirs);
      if (a.size() == 1 && b.size() == 1) {
        if (used_traces.count(a[0]) || used_traces.count(b[0]))
          throw CompareUsageError(option + ": " + a[0]->name() + " or " + b[0]->name() + " is already mapped");
        used_traces.insert(a[0]);
        used_traces.insert(b[0]);
        report.traces.push_back(compare_pair(*a[0], *b[0]));
      } else if (sa && sb) {
        if (used_trains.count(sa) || used_trains.count(sb))
          throw CompareUsageError(option + ": spikes " + ours + " or " + theirs + " are already mapped");
        used_trains.insert(sa);
        used_trains.insert(sb);
        report.spikes.push_back(compare_spikes(*sa, *sb));
      } else {
        throw CompareUsageError(option + ": " + why_unmapped(a, sa, ours, run, "run") +
                                why_unmapped(b, sb, theirs, ref, "reference"));
      }
    }
  }

  static std::string why_unmapped(const std::vector<const Trace*>& found, const SpikeTrain* train,
                                  const std::string& name, const TraceFile& f, const char* which) {
    if (found.size() > 1) {
      std::vector<std::string> names;
      for (const Trace* t : found) names.push_back(t->name());
      return "'" + name + "' is ambiguous in the " + which + " file (" + join(names) + "); write one of them. ";
    }
    if (found.empty() && !train)
      return "the " + std::string(which) + " file has no variable or spike train '" + name +
             "' (variables: " + trace_names(f) + "; spike trains: " + train_names(f) + "). ";
    return "";
  }

  void pair_traces_by_name() {
    for (const Trace& r : ref.traces) {
      if (used_traces.count(&r)) continue;
      std::vector<const Trace*> found;
      for (const Trace& t : run.traces) {
        if (used_traces.count(&t) || t.variable != r.variable) continue;
        bool same_population = ref.layout == TraceLayout::Sonata
                                   ? t.population == r.population
                                   : settings.population.empty() || t.population == settings.population;
        if (same_population) found.push_back(&t);
      }
      if (found.size() == 1) {
        used_traces.insert(found[0]);
        used_traces.insert(&r);
        report.traces.push_back(compare_pair(*found[0], r));
      } else if (found.empty()) {
        report.notes.push_back("reference " + r.name() + ": not in the run file" +
                               (settings.population.empty() ? "" : " (population " + settings.population + ")"));
      } else {
        std::vector<std::string> names;
        for (const Trace* t : found) names.push_back(t->name());
        report.notes.push_back("reference " + r.name() + ": in several run populations (" + join(names) +
                               "); choose one with --population or --map");
      }
    }
    for (const Trace& t : run.traces)
      if (!used_traces.count(&t)) report.notes.push_back("run " + t.name() + ": not in the reference file");
  }

  // The run population a flat reference's `spikes` belong to.
  std::optional<std::string> spike_population() {
    if (!settings.population.empty()) return settings.population;
    std::set<std::string> traced;
    for (const TraceComparison& c : report.traces)
      for (const Trace& t : run.traces)
        if (t.name() == c.run_name) traced.insert(t.population);
    if (traced.size() == 1) return *traced.begin();
    std::vector<std::string> pops = populations(run);
    if (pops.size() == 1) return pops[0];
    return std::nullopt;
  }

  void pair_spikes_by_name() {
    for (const SpikeTrain& r : ref.spikes) {
      if (used_trains.count(&r)) continue;
      std::optional<std::string> name;
      if (ref.layout == TraceLayout::Sonata) {
        name = r.name;
      } else if (r.name == "spikes") {
        name = spike_population();
        if (!name) {
          report.notes.push_back("reference spikes: which run population are they? (" + join(populations(run)) +
                                 "); choose with --population or --map POP=spikes");
          continue;
        }
      } else {
        report.notes.push_back("reference " + r.name +
                               ": not compared; pair it with a run population by --map POP=" + r.name);
        continue;
      }
      const SpikeTrain* s = find_train(run, *name);
      if (s == nullptr || used_trains.count(s)) {
        report.notes.push_back("reference " + r.name + " (" + std::to_string(r.times_s.size()) +
                               " spikes): the run file has no spikes of " + *name);
        continue;
      }
      used_trains.insert(s);
      used_trains.insert(&r);
      report.spikes.push_back(compare_spikes(*s, r));
    }
    for (const SpikeTrain& s : run.spikes)
      if (!used_trains.count(&s))
        report.notes.push_back("run spikes of " + s.name + " (" + std::to_string(s.times_s.size()) +
                               "): no reference spike train; pair one by --map " + s.name + "=NAME");
  }

  void check_atol_names() {
    for (const auto& entry : settings.atol_for)
      if (!atol_used.count(entry.first))
        throw CompareUsageError("--atol " + entry.first + "=...: no compared variable is called " + entry.first +
                                " (compared: " + compared_names() + ")");
  }

  std::string compared_names() const {
    std::vector<std::string> names;
    for (const TraceComparison& c : report.traces) names.push_back(c.ref_name);
    return names.empty() ? "none" : join(names);
  }

  // The absolute tolerance of a pair, in the reference's unit.
  double atol_for(const Trace& a, const Trace& r, const std::optional<units::Unit>& ref_unit) {
    for (const std::string& key : {r.name(), r.variable, a.name(), a.variable}) {
      auto it = settings.atol_for.find(key);
      if (it == settings.atol_for.end()) continue;
      atol_used.insert(key);
      const AbsTolerance& tol = it->second;
      if (tol.unit.empty()) return tol.value;
      units::UnitParseResult u = units::parse_unit(tol.unit);
      if (!u.unit) throw CompareUsageError("--atol " + key + ": unit '" + tol.unit + "': " + u.error);
      if (!ref_unit)
        throw CompareUsageError("--atol " + key + ": the reference gives " + r.name() +
                                " no unit to convert to; give the tolerance without one");
      if (u.unit->dim != ref_unit->dim)
        throw CompareUsageError("--atol " + key + ": " + tol.unit + " is " + units::describe_dimension(u.unit->dim) +
                                ", but " + r.name() + " is in " + r.unit + ", " +
                                units::describe_dimension(ref_unit->dim));
      return tol.value * u.unit->scale / ref_unit->scale;
    }
    return settings.atol;
  }

  TraceComparison compare_pair(const Trace& a, const Trace& r) {
    TraceComparison c;
    c.run_name = a.name();
    c.ref_name = r.name();
    c.run_unit = a.unit;
    c.unit = r.unit;
    c.ref_samples = r.samples();

    // The factor that takes a run value to the reference's unit.
    double factor = 1;
    std::optional<units::Unit> ref_unit = r.unit.empty() ? std::nullopt : parse(r.unit);
    auto is_one = [](const std::string& u) {
      std::optional<units::Unit> p = u.empty() ? std::nullopt : parse(u);
      return p && p->scale == 1 && p->dim.is_dimensionless();
    };
    if (a.unit.empty() != r.unit.empty() && (is_one(a.unit) || is_one(r.unit))) {
      if (r.unit.empty()) c.unit = a.unit;  // a missing unit on a pure number says nothing new
    } else if (a.unit.empty() != r.unit.empty()) {
      report.notes.push_back(c.run_name + ": " + (a.unit.empty() ? "the run file" : "the reference") +
                             " gives no unit; taken to be " + (a.unit.empty() ? r.unit : a.unit));
      if (r.unit.empty()) c.unit = a.unit;
    } else if (!a.unit.empty()) {
      std::optional<units::Unit> run_unit = parse(a.unit);
      if (!run_unit || !ref_unit) {
        c.problem =
            "unknown unit '" + (run_unit ? r.unit : a.unit) + "' in the " + (run_unit ? "reference" : "run file");
        return c;
      }
      if (run_unit->dim != ref_unit->dim) {
        c.problem = "units of different dimensions: " + a.unit + " (" + units::describe_dimension(run_unit->dim) +
                    ") in the run, " + r.unit + " (" + units::describe_dimension(ref_unit->dim) + ") in the reference";
        return c;
      }
      factor = run_unit->scale / ref_unit->scale;
    }
    c.atol = atol_for(a, r, ref_unit);

    // Columns: the only one of each, else the neurons both files recorded.
    std::vector<std::pair<size_t, size_t>> cols;
    if (a.columns() == 1 && r.columns() == 1) {
      cols.push_back({0, 0});
    } else {
      for (size_t i = 0; i < a.columns(); ++i)
        for (size_t j = 0; j < r.columns(); ++j)
          if (a.node_ids[i] == r.node_ids[j]) cols.push_back({i, j});
      if (cols.size() < std::max(a.columns(), r.columns()))
        report.notes.push_back(c.run_name + ": " + std::to_string(cols.size()) + " neurons in common; " +
                               std::to_string(a.columns()) + " in the run, " + std::to_string(r.columns()) +
                               " in the reference");
    }
    c.columns = cols.size();
    if (cols.empty()) {
      c.problem = "no neuron recorded in both files";
      return c;
    }
    if (a.samples() == 0 || r.samples() == 0) {
      c.problem = std::string(a.samples() == 0 ? "the run" : "the reference") + " has no samples";
      return c;
    }

    std::vector<SamplePoint> points = sample_points(a.time_s, r.time_s, c.interpolated);
    c.samples = points.size();
    if (points.empty()) {
      c.problem = "no reference sample lies in the run's time span (" + ms(a.time_s.front()) + " to " +
                  ms(a.time_s.back()) + "; reference " + ms(r.time_s.front()) + " to " + ms(r.time_s.back()) + ")";
      return c;
    }
    if (points.size() < r.samples())
      report.notes.push_back(c.run_name + ": " + std::to_string(r.samples() - points.size()) +
                             " reference samples lie outside the run's time span (" + ms(a.time_s.front()) + " to " +
                             ms(a.time_s.back()) + ")");
    for (const SamplePoint& p : points) {
      for (auto [ca, cr] : cols) {
        double v0 = a.at(p.i0, ca), v1 = a.at(p.i1, ca);
        double ours = (p.w == 0 ? v0 : v0 + p.w * (v1 - v0)) * factor;
        double theirs = r.at(p.ref_index, cr);
        double d = std::fabs(ours - theirs);
        bool ok = d <= c.atol + settings.rtol * std::fabs(theirs);  // false when either is NaN
        if (!std::isnan(d)) {
          c.max_abs = std::max(c.max_abs, d);
          double denom = std::max(std::fabs(theirs), c.atol);
          c.max_rel = std::max(c.max_rel, denom > 0 ? d / denom : d == 0 ? 0 : std::numeric_limits<double>::infinity());
        }
        if (!ok && c.failures++ == 0) {
          c.fail_t_s = r.time_s[p.ref_index];
          c.fail_run = ours;
          c.fail_ref = theirs;
          c.fail_node = a.node_ids[ca];
        }
      }
    }
    return c;
  }

  SpikeComparison compare_spikes(const SpikeTrain& a, const SpikeTrain& r) {
    SpikeComparison c;
    c.run_name = a.name;
    c.ref_name = r.name;
    c.run_count = a.times_s.size();
    c.ref_count = r.times_s.size();
    c.tol_s = report.spike_tol_s;
    std::map<uint64_t, std::vector<double>> ours, theirs;
    for (size_t i = 0; i < a.times_s.size(); ++i) ours[a.node_ids[i]].push_back(a.times_s[i]);
    for (size_t i = 0; i < r.times_s.size(); ++i) theirs[r.node_ids[i]].push_back(r.times_s[i]);
    std::set<uint64_t> nodes;
    for (const auto& e : ours) nodes.insert(e.first);
    for (const auto& e : theirs) nodes.insert(e.first);
    for (uint64_t node : nodes) {
      std::vector<double>& x = ours[node];
      std::vector<double>& y = theirs[node];
      std::sort(x.begin(), x.end());
      std::sort(y.begin(), y.end());
      SpikeMatch m = match_spike_times(x, y, c.tol_s);
      c.match.matched += m.matched;
      c.match.missing += m.missing;
      c.match.extra += m.extra;
      c.match.max_dt_s = std::max(c.match.max_dt_s, m.max_dt_s);
      if (m.first_missing_s && (!c.match.first_missing_s || *m.first_missing_s < *c.match.first_missing_s)) {
        c.match.first_missing_s = m.first_missing_s;
        c.first_missing_node = node;
      }
      if (m.first_extra_s && (!c.match.first_extra_s || *m.first_extra_s < *c.match.first_extra_s)) {
        c.match.first_extra_s = m.first_extra_s;
        c.first_extra_node = node;
      }
    }
    return c;
  }
};

// Pads each column of `rows` to its widest cell, two spaces apart.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string with_unit(double v, const std::string& unit) { return num(v, "%.10g") + (unit.empty() ? "" : " " + unit); }

}  // namespace

SpikeMatch match_spike_times(const std::vector<double>& run_s, const std::vector<double>& ref_s, double tol_s) {
  SpikeMatch m;
  size_t i = 0, j = 0;
  while (i < run_s.size() || j < ref_s.size()) {
    if (i < run_s.size() && j < ref_s.size() && std::fabs(run_s[i] - ref_s[j]) <= tol_s) {
      m.max_dt_s = std::max(m.max_dt_s, std::fabs(run_s[i] - ref_s[j]));
      ++m.matched;
      ++i;
      ++j;
    } else if (j == ref_s.size() || (i < run_s.size() && run_s[i] < ref_s[j])) {
      if (!m.first_extra_s) m.first_extra_s = run_s[i];
      ++m.extra;
      ++i;
    } else {
      if (!m.first_missing_s) m.first_missing_s = ref_s[j];
      ++m.missing;
      ++j;
    }
  }
  return m;
}

bool CompareReport::passed() const {
  if (!comparable()) return false;
  for (const TraceComparison& c : traces)
    if (!c.passed()) return false;
  for (const SpikeComparison& c : spikes)
    if (!c.passed()) return false;
  return true;
}

CompareReport compare_traces(const TraceFile& run, const TraceFile& ref, const CompareSettings& settings) {
  if (!(settings.rtol >= 0) || !(settings.atol >= 0))
    throw CompareUsageError("tolerances must be non-negative numbers");
  if (settings.spike_tol_s && !(*settings.spike_tol_s >= 0))
    throw CompareUsageError("--spike-tol must be a non-negative time");
  return Comparer(run, ref, settings).compare();
}

CompareReport compare_files(const std::string& run_path, const std::string& ref_path, const CompareSettings& settings) {
  TraceFile run = read_trace_file(run_path);
  TraceFile ref = read_trace_file(ref_path);
  return compare_traces(run, ref, settings);
}

std::string format_report(const CompareReport& report) {
  std::ostringstream out;
  out << "run:        " << report.run_path << " (" << layout_name(report.run_layout) << ")\n";
  out << "reference:  " << report.ref_path << " (" << layout_name(report.ref_layout) << ")\n";
  out << "tolerance:  |run - ref| <= atol + rtol*|ref| with rtol " << num(report.rtol) << ", atol " << num(report.atol)
      << " (in the reference's unit); spikes within " << ms(report.spike_tol_s) << "\n\n";

  std::vector<std::string> details;
  if (!report.traces.empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"variable", "reference", "unit", "samples", "max abs err", "max rel err", "status"}};
    for (const TraceComparison& c : report.traces) {
      std::string samples = std::to_string(c.samples);
      if (c.samples < c.ref_samples) samples += " of " + std::to_string(c.ref_samples);
      if (c.columns > 1) samples += " x " + std::to_string(c.columns);
      std::string status;
      if (!c.problem.empty()) {
        status = "FAIL: " + c.problem;
      } else {
        status = c.failures == 0 ? "ok" : "FAIL (" + std::to_string(c.failures) + " outside)";
        if (c.interpolated) status += ", interpolated";
      }
      bool compared = c.problem.empty();
      rows.push_back({c.run_name, c.ref_name, c.unit.empty() ? "-" : c.unit, samples, compared ? num(c.max_abs) : "-",
                      compared ? num(c.max_rel) : "-", status});
      if (compared && c.failures > 0) {
        std::string d = "  " + c.run_name + ": first outside tolerance at t = " + ms(c.fail_t_s);
        if (c.columns > 1) d += ", neuron " + std::to_string(c.fail_node);
        d += ": run " + with_unit(c.fail_run, c.unit) + ", reference " + with_unit(c.fail_ref, c.unit);
        if (c.atol != report.atol) d += " (atol " + num(c.atol) + ")";
        details.push_back(d);
      }
    }
    out << table(rows);
  }
  for (const std::string& d : details) out << d << "\n";
  if (!report.spikes.empty()) {
    if (!report.traces.empty()) out << "\n";
    for (const SpikeComparison& c : report.spikes) {
      const SpikeMatch& m = c.match;
      out << "spikes " << c.run_name << " vs " << c.ref_name << ": " << c.run_count << " run, " << c.ref_count
          << " reference; " << m.matched << " matched, " << m.missing << " missing, " << m.extra << " extra, max |dt| "
          << num(m.max_dt_s * 1e3) << " ms"
          << "  " << (c.passed() ? "ok" : "FAIL") << "\n";
      if (m.first_missing_s)
        out << "  first missing: " << ms(*m.first_missing_s) << ", neuron " << *c.first_missing_node << "\n";
      if (m.first_extra_s)
        out << "  first extra:   " << ms(*m.first_extra_s) << ", neuron " << *c.first_extra_node << "\n";
    }
  }
  if (!report.notes.empty()) {
    out << (report.comparable() ? "\n" : "") << "not compared or assumed:\n";
    for (const std::string& n : report.notes) out << "  " << n << "\n";
  }
  out << "\n";
  if (!report.comparable()) {
    out << "NOTHING TO COMPARE: no variable or spike train is in both files\n";
  } else {
    std::vector<std::string> failed;
    for (const TraceComparison& c : report.traces)
      if (!c.passed()) failed.push_back(c.run_name);
    for (const SpikeComparison& c : report.spikes)
      if (!c.passed()) failed.push_back("spikes " + c.run_name);
    size_t total = report.traces.size() + report.spikes.size();
    if (failed.empty())
      out << "PASS: " << total << " of " << total << " comparisons within tolerance\n";
    else
      out << "FAIL: " << failed.size() << " of " << total << " comparisons failed (" << join(failed) << ")\n";
  }
  return out.str();
}

}  // namespace axon::io
