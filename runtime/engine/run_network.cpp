#include "runtime/engine/run_network.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "compiler/units/unit.h"
#include "runtime/engine/simulation.h"
#include "runtime/engine/team.h"

namespace axon::engine {

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The final state of a plastic projection under /connectivity/<name>, in the layout
// `connect explicit(...)` reads: pre, post, delay, and every per-synapse value except
// event-driven traces (a later run starts those afresh).
void save_projection(const ir::Network& net, const NetworkState& state, size_t index, double dt, io::OutputFile& out) {
  const ir::Projection& p = net.projections[index];
  std::vector<uint64_t> pre, post;
  std::vector<io::SynapseColumn> columns;
  io::SynapseColumn delay{"delay", "ms", {}};
  std::vector<int> saved;
  for (size_t v = 0; v < p.synapse_vars.size(); ++v) {
    const ir::Var& var = p.synapse_vars[v];
    if (!var.per_synapse) continue;
    if (std::any_of(p.event_driven.begin(), p.event_driven.end(),
                    [&](const auto& e) { return e.var == static_cast<int>(v); }))
      continue;
    columns.push_back({var.name, units::format_unit(units::Unit{1.0, var.value_dim}), {}});
    saved.push_back(static_cast<int>(v));
  }
  // With index-list views, `explicit` reads positions in the lists: write those.
  auto positions = [](const std::vector<int64_t>& list, int64_t begin) {
    std::map<int64_t, uint64_t> of;
    for (size_t k = 0; k < list.size(); ++k) of[list[k] - begin] = k;
    return of;
  };
  const std::map<int64_t, uint64_t> pre_pos = positions(p.pre_indices, p.pre_begin);
  const std::map<int64_t, uint64_t> post_pos = positions(p.post_indices, p.post_begin);
  for (const ProjectionState& ps : state.projections) {
    if (ps.kernel != index) continue;
    for (int64_t r = 0; r < ps.csr.n_pre; ++r)
      for (int64_t k = ps.csr.row_ptr[r]; k < ps.csr.row_ptr[r + 1]; ++k) {
        pre.push_back(p.pre_indices.empty() ? static_cast<uint64_t>(r) : pre_pos.at(r));
        post.push_back(p.post_indices.empty() ? static_cast<uint64_t>(ps.csr.post[k]) : post_pos.at(ps.csr.post[k]));
        delay.values.push_back(ps.delay_steps * dt * 1e3);
        for (size_t c = 0; c < saved.size(); ++c) {
          int slot = ps.layout.slot_of[saved[c]];
          columns[c].values.push_back(slot >= 0 ? ps.doubles[slot][k] : ps.consts[ps.layout.const_of[saved[c]]]);
        }
      }
  }
  columns.push_back(std::move(delay));
  out.write_connectivity(p.name, pre, post, columns);
}

std::string mib(double bytes) {
  char text[64];
  std::snprintf(text, sizeof text, "%.1f MiB", bytes / 1048576.0);
  return text;
}

}  // namespace

size_t planned_memory(const ir::Network& net, double dt) {
  double bytes = 0;
  for (const ir::Population& p : net.populations) {
    codegen::PopulationLayout L = codegen::make_layout(p);
    bytes += static_cast<double>(p.size) * (L.n_slots * 8.0 + 1.0) + L.n_consts * 8.0;
  }
  for (const ir::Projection& p : net.projections) {
    double n_pre = static_cast<double>(p.pre_indices.empty() ? p.pre_end - p.pre_begin : p.pre_indices.size());
    double n_post = static_cast<double>(p.post_indices.empty() ? p.post_end - p.post_begin : p.post_indices.size());
    double synapses = n_pre * n_post;
    const ir::Connectivity& c = p.connect;
    if (!c.args.empty()) {
      double x = ir::constant_value(c.args[0]).value_or(1);
      if (c.kind == ir::ConnectKind::Probability)
        synapses = n_pre * n_post * x;
      else if (c.kind == ir::ConnectKind::FixedInDegree)
        synapses = n_post * x;
      else if (c.kind == ir::ConnectKind::FixedOutDegree)
        synapses = n_pre * x;
      else if (c.kind == ir::ConnectKind::FixedTotal)
        synapses = x;
    } else if (c.kind == ir::ConnectKind::OneToOne) {
      synapses = n_pre;
    }
    codegen::SynapseLayout L = codegen::make_synapse_layout(p);
    // Target index (4 bytes) with the generator's two working copies (fixed in-degree
    // draws by target, then sorts by source), per-synapse values with the copy a split by
    // delay makes, rows; the by-target index of `on post` / `update` synapses.
    bytes += synapses * (4.0 * 3 + 8.0 * L.n_slots * 2) + (n_pre + 1) * 8.0;
    if (p.by_target()) bytes += synapses * (8.0 + 8.0 + 4.0) + (n_post + 1) * 8.0;
  }
  // Probe buffers are bounded per probe by the writer (4 MiB each).
  bytes += net.probes.size() * 4.0 * 1048576.0;
  // The process itself: code, libLLVM, the JIT'd kernels, HDF5 (about 96 MiB measured).
  bytes += 96.0 * 1048576.0;
  (void)dt;
  return static_cast<size_t>(bytes);
}

RunStatus run_network(const driver::LoweredNetwork& lowered, const RunRequest& req, Diagnostics& diags, RunSummary& s) {
  const ir::Network& net = lowered.net;
  const driver::LoweredNetwork& rp = lowered;
  s.lower_seconds = lowered.lower_seconds;
  s.planned_bytes = planned_memory(net, rp.dt);
  if (req.max_memory_bytes > 0 && s.planned_bytes > req.max_memory_bytes) {
    diags
        .error("E083", {},
               "network '" + net.name + "' needs about " + mib(s.planned_bytes) + ", more than the limit of " +
                   mib(req.max_memory_bytes))
        .hint = "raise --max-memory, or make the network smaller";
    return RunStatus::ModelError;
  }

  CompiledKernels kernels = compile_kernels(net, lowered.layouts, lowered.synapse_layouts);
  s.codegen_seconds = kernels.codegen_seconds;
  s.jit_seconds = kernels.jit_seconds;

  auto t1 = std::chrono::steady_clock::now();
  NetworkState state;
  try {
    state = build_network_state(net, BuildSettings{rp.dt, rp.seed, &kernels.where});
  } catch (const BuildError& e) {
    diags.error("E082", e.range, e.what());
    return RunStatus::ModelError;
  }
  s.build_seconds = since(t1);
  s.network = net.name;
  s.synapses = state.synapse_count();
  s.memory_bytes = state.memory_bytes();
  s.steps = rp.steps;
  s.dt = rp.dt;

  std::unique_ptr<io::OutputFile> out;
  if (!req.output.empty()) out = io::OutputFile::create(req.output);
  SimulationSettings ss;
  ss.dt = rp.dt;
  ss.steps = rp.steps;
  ss.seed = rp.seed;
  ss.float32_reports = req.float32_reports;
  if (req.threads > 0) {
    ss.threads = req.threads;
  } else {
    // A step's barriers cost about a microsecond; below ~16k neurons per thread the
    // update is shorter than that, so small networks run on fewer threads.
    int64_t neurons = 0;
    for (const ir::Population& p : net.populations) neurons += p.size;
    ss.threads = static_cast<int>(std::clamp<int64_t>(neurons / 16384, 1, default_threads()));
  }
  s.threads = ss.threads;
  ss.stop = req.stop;
  ss.progress = req.progress;
  SimulationResult r = simulate(net, state, kernels, ss, out.get());
  s.simulate_seconds = r.simulate_seconds;
  s.steps_done = r.steps_done;
  s.complete = r.complete;
  for (size_t p = 0; p < net.populations.size(); ++p)
    s.populations.push_back(
        {net.populations[p].name, net.populations[p].model, net.populations[p].size, r.spikes_per_population[p]});

  if (out) {
    auto t2 = std::chrono::steady_clock::now();
    out->write_string("model_source", lowered.model_source);
    out->write_string("command_line", req.command_line);
    out->write_string("version", AXON_VERSION_STRING);
    out->write_int64("seed", static_cast<int64_t>(rp.seed));
    out->write_int64("threads", ss.threads);
    out->write_double("dt", rp.dt * 1e3);
    out->write_double("duration", r.steps_done * rp.dt * 1e3);
    out->write_string("network", net.name);
    for (size_t j = 0; j < net.projections.size(); ++j)
      if (net.projections[j].plastic()) save_projection(net, state, j, rp.dt, *out);
    for (size_t p = 0; p < net.populations.size(); ++p) {
      const ir::Population& pop = net.populations[p];
      const PopulationState& ps = state.populations[p];
      std::string base = "populations/" + pop.name + "/";
      out->write_int64(base + "size", pop.size);
      out->write_string(base + "model", pop.model);
      out->write_string(base + "integrator", ir::to_string(pop.method));
      for (size_t v = 0; v < pop.vars.size(); ++v) {
        if (pop.vars[v].kind != ir::VarKind::Parameter) continue;
        if (ps.layout.const_of[v] >= 0)
          out->write_double(base + "parameters/" + pop.vars[v].name, ps.consts[ps.layout.const_of[v]]);
        else
          out->write_doubles(base + "parameters/" + pop.vars[v].name, ps.doubles[ps.layout.slot_of[v]]);
      }
    }
    out->write_double("timing/parse", req.parse_seconds);
    out->write_double("timing/check", req.check_seconds);
    out->write_double("timing/lower", s.lower_seconds);
    out->write_double("timing/codegen", s.codegen_seconds);
    out->write_double("timing/jit", s.jit_seconds);
    out->write_double("timing/build_network", s.build_seconds);
    out->write_double("timing/simulate", s.simulate_seconds);
    s.write_seconds = since(t2);
    out->write_double("timing/write", s.write_seconds);
    out->finish(r.complete);
    s.write_seconds = since(t2);
  }
  return RunStatus::Ok;
}

std::string optimized_llvm_text(const driver::LoweredNetwork& lowered) {
  return optimized_llvm_ir(lowered.net, lowered.layouts, lowered.synapse_layouts);
}

}  // namespace axon::engine
