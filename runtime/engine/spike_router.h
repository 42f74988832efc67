// The spikes of each step: collected per thread from the spike flags, kept in a history
// as long as the longest delay, and delivered to every projection's targets.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/engine/kernels.h"
#include "runtime/engine/network_state.h"
#include "runtime/engine/stimulus_data.h"
#include "runtime/engine/team.h"

namespace axon::engine {

class SpikeRouter {
 public:
  SpikeRouter(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels, int threads);

  // Every thread, after its update of population p: forgets its spikes of the last step,
  // then (for a population with a threshold) collects those flagged in [begin, end).
  void clear(int tid, size_t p) { found_[tid][p].clear(); }
  void collect(int tid, size_t p, const uint8_t* fired, int64_t begin, int64_t end);

  // Thread 0: this step's spikes into the history in index order (the threads' in thread
  // order, a source's from its schedule), counted into spike_counts; then the spikes due
  // for each projection now.
  void gather(int64_t k, std::vector<SpikeSchedule>& schedules, std::vector<uint64_t>& spike_counts);

  // Every thread, on its own targets: `on pre` deliveries, then synapse `update` blocks;
  // then `on post`. Each meets the others at the same barriers.
  void deliver(int tid, int64_t k, double t, double dt, SpinBarrier& barrier);
  void deliver_on_post(int tid, int64_t k, double t, double dt, SpinBarrier& barrier);

  // The spikes of population p in step k (sorted), while k is within its history.
  const std::vector<int32_t>& spikes(size_t p, int64_t k) const { return history_[p][k % ring_size_[p]]; }

 private:
  const ir::Network& net_;
  NetworkState& state_;
  const CompiledKernels& kernels_;
  std::vector<int> source_, target_;  // per projection: population indices
  // Spike history per population, long enough for its longest outgoing delay.
  std::vector<int64_t> ring_size_;
  std::vector<std::vector<std::vector<int32_t>>> history_;
  // Spikes found by each thread in its own range, per population, merged in thread order.
  std::vector<std::vector<std::vector<int32_t>>> found_;
  // Per projection: the spikes it delivers now, relative to its source range, and this
  // step's spikes of its targets, relative to the target range, for `on post`.
  std::vector<std::vector<int32_t>> relative_, post_relative_;
  // Per thread and projection: its targets of that thread, relative to the target range.
  std::vector<std::vector<std::pair<int64_t, int64_t>>> targets_;
  bool any_on_post_ = false, any_update_ = false;
  bool serial_projections_ = false;
};

}  // namespace axon::engine
