// Stimulus data prepared before the step loop: the spike schedules of SpikeTimes sources
// and the tables of `data("f.h5:/x")` stimuli, read, checked and converted once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/engine/kernels.h"
#include "runtime/engine/network_state.h"
#include "runtime/io/input_file.h"
#include "runtime/io/output_file.h"

namespace axon::engine {

// The spikes of a SpikeTimes source by step, steps ascending; each step's neurons sorted
// and without repeats. Read in step order with a cursor: the loop visits every step once.
struct SpikeSchedule {
  std::vector<int64_t> steps;
  std::vector<std::vector<int32_t>> neurons;  // of steps[i]
  size_t next = 0;                            // the first entry not yet passed

  // The neurons that fire in step k (null: none); k must not decrease between calls.
  const std::vector<int32_t>* at(int64_t k) {
    while (next < steps.size() && steps[next] < k) ++next;
    return next < steps.size() && steps[next] == k ? &neurons[next] : nullptr;
  }
};

// One schedule per population (empty but for SpikeTimes sources): the listed times and
// those of a recorded spike file. Throws io::IoError on a bad file.
std::vector<SpikeSchedule> load_spike_schedules(const ir::Network& net, double dt);

// A network's stimuli: each adds to an input variable of a population slice at every
// step, either the row of its data table for that step or its compiled expression of t.
class Stimuli {
 public:
  // Reads every `data(...)` table; throws BuildError when its shape or unit cannot drive
  // the input.
  Stimuli(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels);

  // Adds step k's values (time t) to the inputs.
  void apply(int64_t k, double t) const;

 private:
  const ir::Network& net_;
  NetworkState& state_;
  const CompiledKernels& kernels_;
  std::vector<int> population_;    // per stimulus: the population it drives
  std::vector<io::Table> tables_;  // per stimulus: its data in SI units (rows == 0: computed)
};

}  // namespace axon::engine
