#include "runtime/engine/spike_router.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "compiler/ir/walk.h"

namespace axon::engine {

namespace {

bool reads_pre_var(const std::vector<ir::Assign>& code) {
  for (const ir::Assign& a : code)
    if (ir::any_of(a.value, [](const ir::Expr& e) { return e.op == ir::Op::Var && e.space == ir::Space::Pre; }))
      return true;
  return false;
}

// The spikes of `all` (sorted) in [begin, end), relative to begin.
void relative_range(const std::vector<int32_t>& all, int64_t begin, int64_t end, std::vector<int32_t>& into) {
  auto lo = std::lower_bound(all.begin(), all.end(), static_cast<int32_t>(begin));
  auto hi = std::lower_bound(all.begin(), all.end(), static_cast<int32_t>(end));
  into.assign(lo, hi);
  for (int32_t& i : into) i -= static_cast<int32_t>(begin);
}

}  // namespace

SpikeRouter::SpikeRouter(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels, int threads)
    : net_(net), state_(state), kernels_(kernels) {
  const size_t np = net.populations.size();
  const size_t nj = state.projections.size();
  ring_size_.assign(np, 1);
  bool reads_pre = false;
  for (const ProjectionState& pr : state.projections) {
    source_.push_back(net.find(pr.ir->source));
    target_.push_back(net.find(pr.ir->target));
    ring_size_[source_.back()] = std::max(ring_size_[source_.back()], pr.delay_steps + 1);
    any_on_post_ = any_on_post_ || !pr.ir->on_post.empty();
    any_update_ = any_update_ || !pr.ir->update.empty();
    reads_pre =
        reads_pre || reads_pre_var(pr.ir->on_pre) || reads_pre_var(pr.ir->on_post) || reads_pre_var(pr.ir->update);
  }
  // A synapse that reads `pre.x` may read a neuron that another thread is writing in the
  // same phase (its targets are another thread's): then every projection gets its own
  // phase, so the results stay the same for any thread count.
  serial_projections_ = reads_pre && threads > 1;
  history_.resize(np);
  for (size_t p = 0; p < np; ++p) history_[p].resize(ring_size_[p]);
  found_.assign(threads, std::vector<std::vector<int32_t>>(np));
  relative_.resize(nj);
  post_relative_.resize(nj);
  targets_.resize(threads);
  for (int tid = 0; tid < threads; ++tid)
    for (size_t j = 0; j < nj; ++j) {
      const ir::Projection& pr = *state.projections[j].ir;
      auto [begin, end] = share(state.populations[target_[j]].n, threads, tid);
      targets_[tid].emplace_back(std::max(begin, pr.post_begin) - pr.post_begin,
                                 std::min(end, pr.post_end) - pr.post_begin);
    }
}

void SpikeRouter::collect(int tid, size_t p, const uint8_t* fired, int64_t begin, int64_t end) {
  std::vector<int32_t>& mine = found_[tid][p];
  // Eight flags at a time: most words are zero (the spike flags are 0 or 1 bytes).
  int64_t i = begin;
  for (; i + 8 <= end; i += 8) {
    uint64_t word;
    std::memcpy(&word, fired + i, 8);
    if (word == 0) continue;
    for (int64_t b = 0; b < 8; ++b)
      if (fired[i + b]) mine.push_back(static_cast<int32_t>(i + b));
  }
  for (; i < end; ++i)
    if (fired[i]) mine.push_back(static_cast<int32_t>(i));
}

void SpikeRouter::gather(int64_t k, std::vector<SpikeSchedule>& schedules, std::vector<uint64_t>& spike_counts) {
  for (size_t p = 0; p < history_.size(); ++p) {
    std::vector<int32_t>& now = history_[p][k % ring_size_[p]];
    now.clear();
    if (net_.populations[p].spike_source) {
      if (const std::vector<int32_t>* due = schedules[p].at(k)) now = *due;
    } else {
      for (const auto& thread : found_) now.insert(now.end(), thread[p].begin(), thread[p].end());
    }
    spike_counts[p] += now.size();
  }
  for (size_t j = 0; j < state_.projections.size(); ++j) {
    const ProjectionState& pr = state_.projections[j];
    relative_[j].clear();
    post_relative_[j].clear();
    if (!pr.ir->on_post.empty())
      relative_range(spikes(target_[j], k), pr.ir->post_begin, pr.ir->post_end, post_relative_[j]);
    if (k < pr.delay_steps) continue;
    relative_range(spikes(source_[j], k - pr.delay_steps), pr.ir->pre_begin, pr.ir->pre_end, relative_[j]);
  }
}

void SpikeRouter::deliver(int tid, int64_t k, double t, double dt, SpinBarrier& barrier) {
  for (int phase = 0; phase < 2; ++phase) {
    // Deliveries write the targets' variables that `update` blocks may read.
    if (phase == 1 && any_update_) barrier.arrive_and_wait();
    for (size_t j = 0; j < state_.projections.size(); ++j) {
      ProjectionState& pr = state_.projections[j];
      if (serial_projections_ && (phase == 0 || !pr.ir->update.empty())) barrier.arrive_and_wait();
      if (phase == 0 ? relative_[j].empty() : pr.ir->update.empty()) continue;
      PopulationState& post = state_.populations[target_[j]];
      PopulationState& pre = state_.populations[source_[j]];
      auto [lo, hi] = targets_[tid][j];
      if (lo >= hi) continue;
      if (phase == 0)
        kernels_.deliver[pr.kernel](post.slots.data(), post.consts.data(), pre.slots.data(), pre.consts.data(),
                                    pr.slots.data(), pr.consts.data(), pr.csr.row_ptr.data(), pr.csr.post.data(),
                                    relative_[j].data(), static_cast<int64_t>(relative_[j].size()), lo, hi, k, t, dt);
      else
        kernels_.synapse_update[pr.kernel](post.slots.data(), post.consts.data(), pre.slots.data(), pre.consts.data(),
                                           pr.slots.data(), pr.consts.data(), pr.col_ptr.data(), pr.syn_of.data(),
                                           pr.pre_of.data(), lo, hi, k, t, dt);
    }
  }
  barrier.arrive_and_wait();
}

void SpikeRouter::deliver_on_post(int tid, int64_t k, double t, double dt, SpinBarrier& barrier) {
  if (!any_on_post_) return;
  for (size_t j = 0; j < state_.projections.size(); ++j) {
    ProjectionState& pr = state_.projections[j];
    if (serial_projections_ && !pr.ir->on_post.empty()) barrier.arrive_and_wait();
    if (post_relative_[j].empty()) continue;
    PopulationState& post = state_.populations[target_[j]];
    PopulationState& pre = state_.populations[source_[j]];
    auto [lo, hi] = targets_[tid][j];
    if (lo >= hi) continue;
    // Only this thread's targets: a contiguous part of the sorted spikes.
    const std::vector<int32_t>& all = post_relative_[j];
    auto first = std::lower_bound(all.begin(), all.end(), static_cast<int32_t>(lo));
    auto last = std::lower_bound(all.begin(), all.end(), static_cast<int32_t>(hi));
    if (first == last) continue;
    kernels_.on_post[pr.kernel](post.slots.data(), post.consts.data(), pre.slots.data(), pre.consts.data(),
                                pr.slots.data(), pr.consts.data(), pr.col_ptr.data(), pr.syn_of.data(),
                                pr.pre_of.data(), &*first, static_cast<int64_t>(last - first), k, t, dt);
  }
  barrier.arrive_and_wait();
}

}  // namespace axon::engine
