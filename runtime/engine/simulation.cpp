#include "runtime/engine/simulation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <exception>
#include <functional>

#include "runtime/engine/nef_runtime.h"
#include "runtime/engine/spike_router.h"
#include "runtime/engine/stimulus_data.h"
#include "runtime/engine/team.h"
#include "compiler/units/unit.h"
#include "runtime/io/input_file.h"

namespace axon::engine {

namespace {

struct ReportProbe {
  int report = -1;
  int population = -1;
  int var = -1;                // -1: a rate probe
  int64_t begin = 0, end = 0;
  std::vector<int64_t> indices;  // an index-list view: these neurons, in order (else [begin, end))
  std::vector<int64_t> sorted;   // the same, sorted (rate probes test membership)
  int64_t every_steps = 1;
  int64_t first_step = 0, end_step = 0;  // recording window [first, end)
  double scale = 1;
  uint64_t count = 0;          // rate probes: spikes in the current bin
  double smooth_a = 0;         // rate probes: exp(-bin / smooth), 0 without smoothing
  double smoothed = 0;

  bool records(int64_t k) const { return k >= first_step && k < end_step; }
};

// A synapse variable of every synapse of a projection, over its delay groups in order.
struct SynapseProbe {
  int report = -1;
  std::vector<const double*> parts;  // the variable's array (or single value) in each delay group
  std::vector<size_t> sizes;
  std::vector<bool> uniform;         // a single value for every synapse of the group
  int64_t every_steps = 1;
  int64_t first_step = 0, end_step = 0;

  bool records(int64_t k) const { return k >= first_step && k < end_step; }
};

struct SpikeRange {
  int64_t begin = 0, end = 0;            // neurons
  std::vector<int64_t> sorted;           // an index-list view: only these (sorted)
  int64_t first_step = 0, end_step = 0;  // recording window
};

struct SpikeProbe {
  std::vector<SpikeRange> ranges;
};

}  // namespace

SimulationResult simulate(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels,
                          const SimulationSettings& settings, io::OutputFile* out) {
  const size_t np = net.populations.size();
  const double dt = settings.dt;
  SimulationResult result;
  result.spikes_per_population.assign(np, 0);

  const int T = std::max(1, settings.threads);
  SpikeRouter spikes(net, state, kernels, T);
  std::vector<SpikeSchedule> schedules = load_spike_schedules(net, dt);

  // Probes.
  std::vector<ReportProbe> reports;
  std::vector<SynapseProbe> synapse_probes;
  std::map<int, SpikeProbe> spike_probes;
  if (out) {
    std::map<std::string, int> used;
    for (const ir::Probe& probe : net.probes) {
      int64_t first_step = static_cast<int64_t>(std::ceil(probe.from / dt - 1e-9));
      int64_t end_step = probe.to >= 0 ? std::min<int64_t>(settings.steps, std::llround(probe.to / dt)) : settings.steps;
      if (probe.projection >= 0) {
        const ir::Projection& pr = net.projections[probe.projection];
        SynapseProbe sp;
        sp.every_steps = probe.every > 0 ? std::max<int64_t>(1, std::llround(probe.every / dt)) : 1;
        sp.first_step = first_step;
        sp.end_step = end_step;
        io::ReportSpec spec;
        spec.population = pr.name;
        spec.variable = pr.synapse_vars[probe.syn_var].name;
        int n = ++used[spec.population + "/" + spec.variable];
        if (n > 1) spec.variable += "_" + std::to_string(n);
        spec.units = probe.unit;
        spec.source_population = pr.source;
        spec.target_population = pr.target;
        for (const ProjectionState& ps : state.projections) {
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
        spec.float32 = settings.float32_reports;
        sp.report = out->add_report(spec);
        synapse_probes.push_back(std::move(sp));
        continue;
      }
      int pop = net.find(probe.population);
      if (probe.spikes) {
        if (!spike_probes.count(pop)) out->add_spike_population(probe.population);
        std::vector<int64_t> sorted = probe.indices;
        std::sort(sorted.begin(), sorted.end());
        spike_probes[pop].ranges.push_back({probe.begin, probe.end, sorted, first_step, end_step});
        continue;
      }
      ReportProbe r;
      r.population = pop;
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
      spec.variable = probe.rate ? "rate" : net.populations[pop].vars[probe.var].name;
      int n = ++used[spec.population + "/" + spec.variable];
      if (n > 1) spec.variable += "_" + std::to_string(n);
      spec.units = probe.unit;
      if (probe.rate) spec.node_ids.push_back(static_cast<uint64_t>(probe.begin));  // one column
      else if (!probe.indices.empty())
        for (int64_t i : probe.indices) spec.node_ids.push_back(static_cast<uint64_t>(i));
      else
        for (int64_t i = probe.begin; i < probe.end; ++i) spec.node_ids.push_back(static_cast<uint64_t>(i));
      spec.start_ms = first_step * dt * 1e3;
      spec.step_ms = r.every_steps * dt * 1e3;
      spec.float32 = settings.float32_reports;
      r.report = out->add_report(spec);
      reports.push_back(r);
    }
  }

  const Stimuli stimuli(net, state, kernels);

  // The Nengo layer (ensembles, nodes, decoded connections), run on thread 0.
  NefRuntime nef(net, state, kernels, dt, settings.seed);
  if (out && !nef.empty()) nef.add_outputs(*out, settings.steps);

  SpinBarrier barrier(T);
  std::vector<double> row;
  std::vector<double> spike_times;
  std::vector<uint64_t> spike_ids;
  bool stop_now = false;
  std::exception_ptr serial_error;
  int64_t steps_done = 0;
  auto t0 = std::chrono::steady_clock::now();

  // The parts that run on thread 0 alone; an exception stops the run at the next barrier.
  auto serial = [&](const std::function<void()>& part) {
    if (serial_error) return;
    try {
      part();
    } catch (...) {
      serial_error = std::current_exception();
      stop_now = true;
    }
  };

  run_team(T, [&](int tid) {
    for (int64_t k = 0; k < settings.steps; ++k) {
      const double t = k * dt;
      if (tid == 0) serial([&] {
          if (settings.stop && settings.stop->load(std::memory_order_relaxed)) {
            stop_now = true;
            return;
          }
          // 1. Probes see the state before this step's update.
          for (const ReportProbe& r : reports) {
            if (r.var < 0 || !r.records(k) || (k - r.first_step) % r.every_steps != 0) continue;
            const PopulationState& ps = state.populations[r.population];
            if (!r.indices.empty()) {
              row.resize(r.indices.size());
              for (size_t c = 0; c < r.indices.size(); ++c) row[c] = ps.value(r.var, r.indices[c]) / r.scale;
            } else {
              row.resize(r.end - r.begin);
              for (int64_t i = r.begin; i < r.end; ++i) row[i - r.begin] = ps.value(r.var, i) / r.scale;
            }
            out->append_report_row(r.report, row.data());
          }
          for (const SynapseProbe& sp : synapse_probes) {
            if (!sp.records(k) || (k - sp.first_step) % sp.every_steps != 0) continue;
            row.clear();
            for (size_t g = 0; g < sp.parts.size(); ++g) {
              if (sp.uniform[g]) row.insert(row.end(), sp.sizes[g], *sp.parts[g]);
              else row.insert(row.end(), sp.parts[g], sp.parts[g] + sp.sizes[g]);
            }
            out->append_report_row(sp.report, row.data());
          }
          // 2. Stimuli at t_k; the Nengo layer's node values and ensemble inputs.
          if (!nef.empty()) nef.before_update(k);
          stimuli.apply(k, t);
        });
      barrier.arrive_and_wait();
      if (stop_now) break;
      // 3-4. Updates and thresholds, each thread on its own neurons.
      for (size_t p = 0; p < np; ++p) {
        spikes.clear(tid, p);
        if (net.populations[p].spike_source) continue;
        PopulationState& ps = state.populations[p];
        auto [begin, end] = share(ps.n, T, tid);
        if (begin >= end) continue;
        kernels.update[p](ps.slots.data(), ps.consts.data(), begin, end, k, t, dt, settings.seed, ps.object);
        if (net.populations[p].threshold) spikes.collect(tid, p, ps.spiked.data(), begin, end);
      }
      barrier.arrive_and_wait();
      if (tid == 0) serial([&] {
          if (!nef.empty()) nef.after_update(k, out);
          spikes.gather(k, schedules, result.spikes_per_population);
        });
      barrier.arrive_and_wait();
      // 5. Delivery, each thread onto its own targets, in source order; then synapse
      // `update` blocks (graded transmission, learning rules) for every synapse onto them.
      spikes.deliver(tid, k, t, dt, barrier);
      // 5b. `on post` (after every `on pre`, as Brian2 orders pathways), each thread for
      // the synapses onto its own targets.
      spikes.deliver_on_post(tid, k, t, dt, barrier);
      if (tid == 0) serial([&] {
          // 6. Resets of the neurons that spiked.
          for (size_t p = 0; p < np; ++p) {
            const std::vector<int32_t>& now = spikes.spikes(p, k);
            if (now.empty() || net.populations[p].spike_source) continue;
            PopulationState& ps = state.populations[p];
            kernels.reset[p](ps.slots.data(), ps.consts.data(), now.data(), static_cast<int64_t>(now.size()), k, t,
                             dt, settings.seed, ps.object);
          }
          // Recorded spikes, stamped t_k.
          for (auto& [p, probe] : spike_probes) {
            const std::vector<int32_t>& now = spikes.spikes(p, k);
            if (now.empty()) continue;
            spike_times.clear();
            spike_ids.clear();
            for (int32_t i : now) {
              bool recorded = false;
              for (const SpikeRange& r : probe.ranges)
                recorded = recorded || (i >= r.begin && i < r.end && k >= r.first_step && k < r.end_step &&
                                        (r.sorted.empty() || std::binary_search(r.sorted.begin(), r.sorted.end(), i)));
              if (!recorded) continue;
              spike_times.push_back(t * 1e3);
              spike_ids.push_back(static_cast<uint64_t>(i));
            }
            if (!spike_times.empty())
              out->append_spikes(net.populations[p].name, spike_times.data(), spike_ids.data(), spike_times.size());
          }
          // Population rates: count this step's spikes; write a bin when it is full.
          for (ReportProbe& r : reports) {
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
              out->append_report_row(r.report, &value);
              r.count = 0;
            }
          }
          steps_done = k + 1;
          if (settings.progress && (k & 1023) == 0) settings.progress(k, settings.steps, settings.progress_user);
        });
    }
  });
  if (serial_error) std::rethrow_exception(serial_error);
  result.simulate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  result.steps_done = steps_done;
  result.complete = steps_done == settings.steps;
  return result;
}

}  // namespace axon::engine
