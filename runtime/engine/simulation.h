// The step loop: probes at t_k, stimuli and spike sources, neuron updates with
// threshold (stamped t_k), delivery through per-projection delays (ring buffers, delay
// 0 included), resets. Streams spikes and probe samples to an OutputFile.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/engine/kernels.h"
#include "runtime/engine/network_state.h"
#include "runtime/io/output_file.h"

namespace axon::engine {

struct SimulationSettings {
  double dt = 1e-4;
  int64_t steps = 0;
  uint64_t seed = 0;
  bool float32_reports = false;
  int threads = 1;  // results are bit-identical for every count
  // Polled once per step; when it becomes true the run stops at the step boundary.
  const std::atomic<bool>* stop = nullptr;
  // Called now and then with the number of steps done (progress lines).
  void (*progress)(int64_t done, int64_t total, void* user) = nullptr;
  void* progress_user = nullptr;
};

struct SimulationResult {
  int64_t steps_done = 0;
  bool complete = false;
  std::vector<uint64_t> spikes_per_population;
  double simulate_seconds = 0;
};

SimulationResult simulate(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels,
                          const SimulationSettings& settings, io::OutputFile* out);

}  // namespace axon::engine
