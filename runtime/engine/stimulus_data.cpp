#include "runtime/engine/stimulus_data.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "compiler/units/unit.h"

namespace axon::engine {

namespace {

// Spike times of a SpikeTimes source, by step.
std::map<int64_t, std::vector<int32_t>> source_schedule(const ir::Population& p, double dt) {
  std::map<int64_t, std::vector<int32_t>> by_step;
  if (!p.source_file.empty()) {
    // A recorded spike train: our own /spikes/<population> layout (timestamps in ms).
    io::InputFile in(p.source_file);
    io::Column t = in.column(p.source_group + "/timestamps");
    io::Column ids = in.column(p.source_group + "/node_ids");
    double scale = 1e-3;
    if (!t.units.empty()) {
      units::UnitParseResult u = units::parse_unit(t.units);
      if (!u.unit) throw io::IoError(p.source_file + ": unknown time unit '" + t.units + "'");
      scale = u.unit->scale;
    }
    for (size_t k = 0; k < t.values.size() && k < ids.values.size(); ++k) {
      if (ids.values[k] < 0 || ids.values[k] >= p.size)
        throw io::IoError(p.source_file + ":" + p.source_group + ": node id " + std::to_string(ids.values[k]) +
                          " is outside population " + p.name + " of " + std::to_string(p.size));
      by_step[std::llround(t.values[k] * scale / dt)].push_back(static_cast<int32_t>(ids.values[k]));
    }
  }
  for (size_t k = 0; k < p.source_times.size(); ++k) {
    int64_t step = std::llround(p.source_times[k] / dt);
    if (k < p.source_indices.size()) {
      by_step[step].push_back(static_cast<int32_t>(p.source_indices[k]));
    } else {
      for (int64_t i = 0; i < p.size; ++i) by_step[step].push_back(static_cast<int32_t>(i));
    }
  }
  for (auto& [s, list] : by_step) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return by_step;
}

// A data table for stimulus st, in SI units, checked against the input it drives.
io::Table stimulus_table(const ir::Stimulus& st, const ir::Var& input) {
  io::Table t = io::InputFile(st.data_file).table(st.data_path);
  const std::string where = st.data_file + ":" + st.data_path;
  const size_t n = static_cast<size_t>(st.end - st.begin);
  if (t.rows == 0 || (t.cols != 1 && t.cols != n))
    throw BuildError("stimulus of " + st.population + ": " + where + " has " + std::to_string(t.rows) + " rows of " +
                     std::to_string(t.cols) + " values; it needs rows of 1 or " + std::to_string(n));
  double scale = 1;
  units::Dimension dim = units::Dimension::none();
  if (!t.units.empty()) {
    units::UnitParseResult u = units::parse_unit(t.units);
    if (!u.unit) throw BuildError(where + ": unknown unit '" + t.units + "'");
    scale = u.unit->scale;
    dim = u.unit->dim;
  }
  if (dim != input.dim)
    throw BuildError(where + ": values in '" + (t.units.empty() ? std::string("1") : t.units) + "' cannot drive '" +
                     input.name + "', which is " + units::describe_dimension(input.dim));
  for (double& v : t.values) v *= scale;
  return t;
}

}  // namespace

std::vector<SpikeSchedule> load_spike_schedules(const ir::Network& net, double dt) {
  std::vector<SpikeSchedule> schedules(net.populations.size());
  for (size_t p = 0; p < net.populations.size(); ++p) {
    if (!net.populations[p].spike_source) continue;
    for (auto& [step, neurons] : source_schedule(net.populations[p], dt)) {
      schedules[p].steps.push_back(step);
      schedules[p].neurons.push_back(std::move(neurons));
    }
  }
  return schedules;
}

Stimuli::Stimuli(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels)
    : net_(net), state_(state), kernels_(kernels), population_(net.stimuli.size()), tables_(net.stimuli.size()) {
  for (size_t s = 0; s < net.stimuli.size(); ++s) {
    const ir::Stimulus& st = net.stimuli[s];
    population_[s] = net.find(st.population);
    if (st.data_file.empty()) continue;
    tables_[s] = stimulus_table(st, net.populations[population_[s]].vars[st.input_var]);
  }
}

void Stimuli::apply(int64_t k, double t) const {
  for (size_t s = 0; s < net_.stimuli.size(); ++s) {
    const ir::Stimulus& st = net_.stimuli[s];
    PopulationState& ps = state_.populations[population_[s]];
    double* input = static_cast<double*>(ps.slots[ps.layout.slot_of[st.input_var]]);
    if (const io::Table& data = tables_[s]; data.rows > 0) {  // row k at step k; the last holds
      const double* row = data.values.data() + std::min<size_t>(static_cast<size_t>(k), data.rows - 1) * data.cols;
      for (int64_t i = st.begin; i < st.end; ++i) input[i] += row[data.cols == 1 ? 0 : i - st.begin];
      continue;
    }
    kernels_.stimulus[s](input, st.begin, st.end, t);
  }
}

}  // namespace axon::engine
