// The probes of a run: registers each with the output file before the loop, then writes
// its samples (traces, synapse values, spikes, rates) as the steps produce them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/engine/nef_runtime.h"
#include "runtime/engine/network_state.h"
#include "runtime/engine/simulation.h"
#include "runtime/engine/spike_router.h"
#include "runtime/io/output_file.h"

namespace axon::engine {

class Recorder {
 public:
  // With no output file nothing is recorded.
  Recorder(const ir::Network& net, const NetworkState& state, const SimulationSettings& settings, io::OutputFile* out);

  // The Nengo layer's probes and build results; it writes their samples itself.
  void add_nengo_outputs(NefRuntime& nef);

  // Step k, before the update: variable traces and synapse values (the state at t_k).
  void sample_state(int64_t k);
  // Step k, after delivery: the recorded spikes (stamped t_k) and the rate bins.
  void record_spikes(int64_t k, double t, const SpikeRouter& spikes);

 private:
  // A trace of a neuron variable, or (var < 0) a population rate.
  struct ReportProbe {
    int report = -1;
    int population = -1;
    int var = -1;  // -1: a rate probe
    int64_t begin = 0, end = 0;
    std::vector<int64_t> indices;  // an index-list view: these neurons, in order (else [begin, end))
    std::vector<int64_t> sorted;   // the same, sorted (rate probes test membership)
    int64_t every_steps = 1;
    int64_t first_step = 0, end_step = 0;  // recording window [first, end)
    double scale = 1;
    uint64_t count = 0;   // rate probes: spikes in the current bin
    double smooth_a = 0;  // rate probes: exp(-bin / smooth), 0 without smoothing
    double smoothed = 0;

    bool records(int64_t k) const { return k >= first_step && k < end_step; }
  };

  // A synapse variable of every synapse of a projection, over its delay groups in order.
  struct SynapseProbe {
    int report = -1;
    std::vector<const double*> parts;  // the variable's array (or single value) in each delay group
    std::vector<size_t> sizes;
    std::vector<bool> uniform;  // a single value for every synapse of the group
    int64_t every_steps = 1;
    int64_t first_step = 0, end_step = 0;

    bool records(int64_t k) const { return k >= first_step && k < end_step; }
  };

  struct SpikeRange {
    int64_t begin = 0, end = 0;            // neurons
    std::vector<int64_t> sorted;           // an index-list view: only these (sorted)
    int64_t first_step = 0, end_step = 0;  // recording window
  };

  void add_synapse_probe(const ir::Probe& probe, int64_t first_step, int64_t end_step);
  void add_report_probe(const ir::Probe& probe, int population, int64_t first_step, int64_t end_step);
  // A report's name in its population: the variable, numbered from the second on.
  std::string report_name(const std::string& population, const std::string& variable);
  void count_rates(int64_t k, const SpikeRouter& spikes);

  const ir::Network& net_;
  const NetworkState& state_;
  const SimulationSettings& settings_;
  io::OutputFile* out_;
  std::map<std::string, int> reports_named_;  // "population/variable": how many so far
  std::vector<ReportProbe> reports_;
  std::vector<SynapseProbe> synapse_probes_;
  std::map<int, std::vector<SpikeRange>> spike_probes_;  // by population, in index order
  std::vector<double> row_;
  std::vector<double> spike_times_;
  std::vector<uint64_t> spike_ids_;
};

}  // namespace axon::engine
