#include "runtime/engine/recorder.h"

#include <algorithm>
#include <cmath>

namespace axon::engine {

Recorder::Recorder(const ir::Network& net, const NetworkState& state, const SimulationSettings& settings,
                   io::OutputFile* out)
    : net_(net), state_(state), settings_(settings), out_(out) {
  if (!out) return;
  const double dt = settings.dt;
  for (const ir::Probe& probe : net.probes) {
    int64_t first_step = static_cast<int64_t>(std::ceil(probe.from / dt - 1e-9));
    int64_t end_step = probe.to >= 0 ? std::min<int64_t>(settings.steps, std::llround(probe.to / dt)) : settings.steps;
    if (probe.projection >= 0) {
      add_synapse_probe(probe, first_step, end_step);
      continue;
    }
    int pop = net.find(probe.population);
    if (probe.spikes) {
      if (!spike_probes_.count(pop)) out->add_spike_population(probe.population);
      std::vector<int64_t> sorted = probe.indices;
      std::sort(sorted.begin(), sorted.end());
      spike_probes_[pop].push_back({probe.begin, probe.end, sorted, first_step, end_step});
      continue;
    }
    add_report_probe(probe, pop, first_step, end_step);
  }
}

std::string Recorder::report_name(const std::string& population, const std::string& variable) {
  int n = ++reports_named_[population + "/" + variable];
  return n > 1 ? variable + "_" + std::to_string(n) : variable;
}

void Recorder::add_synapse_probe(const ir::Probe& probe, int64_t first_step, int64_t end_step) {
  const double dt = settings_.dt;
  const ir::Projection& pr = net_.projections[probe.projection];
  SynapseProbe sp;
  sp.every_steps = probe.every > 0 ? std::max<int64_t>(1, std::llround(probe.every / dt)) : 1;
  sp.first_step = first_step;
  sp.end_step = end_step;
  io::ReportSpec spec;
  spec.population = pr.name;
  spec.variable = report_name(spec.population, pr.synapse_vars[probe.syn_var].name);
  spec.units = probe.unit;
  spec.source_population = pr.source;
  spec.target_population = pr.target;
  for (const ProjectionState& ps : state_.projections) {
    if (ps.kernel != static_cast<size_t>(probe.projection)) continue;
    int slot = ps.layout.slot_of[probe.syn_var];
    sp.parts.push_back(slot >= 0 ? ps.doubles[slot].data() : &ps.consts[ps.layout.const_of[probe.syn_var]]);
    sp.sizes.push_back(ps.csr.size());
    sp.uniform.push_back(slot < 0);
    for (int64_t r = 0; r < ps.csr.n_pre; ++r)
      for (int64_t k = ps.csr.row_ptr[r]; k < ps.csr.row_ptr[r + 1]; ++k) {
        spec.source_ids.push_back(static_cast<uint64_t>(r + pr.pre_begin));
        spec.target_ids.push_back(static_cast<uint64_t>(ps.csr.post[k] + pr.post_begin));
      }
  }
  for (size_t k = 0; k < spec.source_ids.size(); ++k) spec.node_ids.push_back(k);
  spec.start_ms = first_step * dt * 1e3;
  spec.step_ms = sp.every_steps * dt * 1e3;
  spec.float32 = settings_.float32_reports;
  sp.report = out_->add_report(spec);
  synapse_probes_.push_back(std::move(sp));
}

void Recorder::add_report_probe(const ir::Probe& probe, int population, int64_t first_step, int64_t end_step) {
  const double dt = settings_.dt;
  ReportProbe r;
  r.population = population;
  r.var = probe.rate ? -1 : probe.var;
  r.begin = probe.begin;
  r.end = probe.end;
  r.indices = probe.indices;
  r.sorted = probe.indices;
  std::sort(r.sorted.begin(), r.sorted.end());
  r.every_steps = probe.every > 0 ? std::max<int64_t>(1, std::llround(probe.every / dt)) : 1;
  r.first_step = first_step;
  r.end_step = end_step;
  // A rate is spikes per neuron per second over the bin.
  r.scale = probe.rate ? 1.0 : probe.unit_scale;
  if (probe.smooth > 0) r.smooth_a = std::exp(-r.every_steps * dt / probe.smooth);
  io::ReportSpec spec;
  spec.population = probe.population;
  spec.variable = report_name(spec.population, probe.rate ? "rate" : net_.populations[population].vars[probe.var].name);
  spec.units = probe.unit;
  if (probe.rate)
    spec.node_ids.push_back(static_cast<uint64_t>(probe.begin));  // one column
  else if (!probe.indices.empty())
    for (int64_t i : probe.indices) spec.node_ids.push_back(static_cast<uint64_t>(i));
  else
    for (int64_t i = probe.begin; i < probe.end; ++i) spec.node_ids.push_back(static_cast<uint64_t>(i));
  spec.start_ms = first_step * dt * 1e3;
  spec.step_ms = r.every_steps * dt * 1e3;
  spec.float32 = settings_.float32_reports;
  r.report = out_->add_report(spec);
  reports_.push_back(r);
}

void Recorder::add_nengo_outputs(NefRuntime& nef) {
  if (out_ && !nef.empty()) nef.add_outputs(*out_, settings_.steps);
}

void Recorder::sample_state(int64_t k) {
  for (const ReportProbe& r : reports_) {
    if (r.var < 0 || !r.records(k) || (k - r.first_step) % r.every_steps != 0) continue;
    const PopulationState& ps = state_.populations[r.population];
    if (!r.indices.empty()) {
      row_.resize(r.indices.size());
      for (size_t c = 0; c < r.indices.size(); ++c) row_[c] = ps.value(r.var, r.indices[c]) / r.scale;
    } else {
      row_.resize(r.end - r.begin);
      for (int64_t i = r.begin; i < r.end; ++i) row_[i - r.begin] = ps.value(r.var, i) / r.scale;
    }
    out_->append_report_row(r.report, row_.data());
  }
  for (const SynapseProbe& sp : synapse_probes_) {
    if (!sp.records(k) || (k - sp.first_step) % sp.every_steps != 0) continue;
    row_.clear();
    for (size_t g = 0; g < sp.parts.size(); ++g) {
      if (sp.uniform[g])
        row_.insert(row_.end(), sp.sizes[g], *sp.parts[g]);
      else
        row_.insert(row_.end(), sp.parts[g], sp.parts[g] + sp.sizes[g]);
    }
    out_->append_report_row(sp.report, row_.data());
  }
}

void Recorder::record_spikes(int64_t k, double t, const SpikeRouter& spikes) {
  for (const auto& [p, ranges] : spike_probes_) {
    const std::vector<int32_t>& now = spikes.spikes(p, k);
    if (now.empty()) continue;
    spike_times_.clear();
    spike_ids_.clear();
    for (int32_t i : now) {
      bool recorded = false;
      for (const SpikeRange& r : ranges)
        recorded = recorded || (i >= r.begin && i < r.end && k >= r.first_step && k < r.end_step &&
                                (r.sorted.empty() || std::binary_search(r.sorted.begin(), r.sorted.end(), i)));
      if (!recorded) continue;
      spike_times_.push_back(t * 1e3);
      spike_ids_.push_back(static_cast<uint64_t>(i));
    }
    if (!spike_times_.empty())
      out_->append_spikes(net_.populations[p].name, spike_times_.data(), spike_ids_.data(), spike_times_.size());
  }
  count_rates(k, spikes);
}

// Population rates: count this step's spikes; write a bin when it is full.
void Recorder::count_rates(int64_t k, const SpikeRouter& spikes) {
  const double dt = settings_.dt;
  for (ReportProbe& r : reports_) {
    if (r.var >= 0 || !r.records(k)) continue;
    const std::vector<int32_t>& now = spikes.spikes(r.population, k);
    auto lo = std::lower_bound(now.begin(), now.end(), static_cast<int32_t>(r.begin));
    auto hi = std::lower_bound(now.begin(), now.end(), static_cast<int32_t>(r.end));
    if (r.sorted.empty()) {
      r.count += static_cast<uint64_t>(hi - lo);
    } else {
      for (auto s = lo; s != hi; ++s) r.count += std::binary_search(r.sorted.begin(), r.sorted.end(), *s);
    }
    const double size = r.sorted.empty() ? static_cast<double>(r.end - r.begin) : r.sorted.size();
    if ((k - r.first_step + 1) % r.every_steps == 0) {
      double value = r.count / (size * r.every_steps * dt);
      if (r.smooth_a > 0) value = r.smoothed = r.smooth_a * r.smoothed + (1 - r.smooth_a) * value;
      out_->append_report_row(r.report, &value);
      r.count = 0;
    }
  }
}

}  // namespace axon::engine
