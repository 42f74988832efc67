#include "runtime/engine/simulation.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <vector>

#include "runtime/engine/nef_runtime.h"
#include "runtime/engine/recorder.h"
#include "runtime/engine/spike_router.h"
#include "runtime/engine/stimulus_data.h"
#include "runtime/engine/team.h"

namespace axon::engine {

namespace {

// Step k's neuron updates and thresholds, thread tid on its own neurons of every population.
void update_neurons(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels,
                    const SimulationSettings& settings, SpikeRouter& spikes, int tid, int threads, int64_t k,
                    double t) {
  for (size_t p = 0; p < net.populations.size(); ++p) {
    spikes.clear(tid, p);
    if (net.populations[p].spike_source) continue;
    PopulationState& ps = state.populations[p];
    auto [begin, end] = share(ps.n, threads, tid);
    if (begin >= end) continue;
    kernels.update[p](ps.slots.data(), ps.consts.data(), begin, end, k, t, settings.dt, settings.seed, ps.object);
    if (net.populations[p].threshold) spikes.collect(tid, p, ps.spiked.data(), begin, end);
  }
}

// Step k's resets of the neurons that spiked (thread 0).
void reset_spiked(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels,
                  const SimulationSettings& settings, const SpikeRouter& spikes, int64_t k, double t) {
  for (size_t p = 0; p < net.populations.size(); ++p) {
    const std::vector<int32_t>& now = spikes.spikes(p, k);
    if (now.empty() || net.populations[p].spike_source) continue;
    PopulationState& ps = state.populations[p];
    kernels.reset[p](ps.slots.data(), ps.consts.data(), now.data(), static_cast<int64_t>(now.size()), k, t, settings.dt,
                     settings.seed, ps.object);
  }
}

}  // namespace

SimulationResult simulate(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels,
                          const SimulationSettings& settings, io::OutputFile* out) {
  const double dt = settings.dt;
  const int T = std::max(1, settings.threads);
  SimulationResult result;
  result.spikes_per_population.assign(net.populations.size(), 0);

  // Everything the loop reads is prepared here, in the order its errors are reported.
  SpikeRouter spikes(net, state, kernels, T);
  std::vector<SpikeSchedule> schedules = load_spike_schedules(net, dt);
  Recorder recorder(net, state, settings, out);
  const Stimuli stimuli(net, state, kernels);
  // The Nengo layer (ensembles, nodes, decoded connections), run on thread 0.
  NefRuntime nef(net, state, kernels, dt, settings.seed);
  recorder.add_nengo_outputs(nef);

  SpinBarrier barrier(T);
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
      if (tid == 0)
        serial([&] {
          if (settings.stop && settings.stop->load(std::memory_order_relaxed)) {
            stop_now = true;
            return;
          }
          // 1. Probes see the state before this step's update.
          recorder.sample_state(k);
          // 2. Stimuli at t_k; the Nengo layer's node values and ensemble inputs.
          if (!nef.empty()) nef.before_update(k);
          stimuli.apply(k, t);
        });
      barrier.arrive_and_wait();
      if (stop_now) break;
      // 3-4. Updates and thresholds, each thread on its own neurons.
      update_neurons(net, state, kernels, settings, spikes, tid, T, k, t);
      barrier.arrive_and_wait();
      if (tid == 0)
        serial([&] {
          // The Nengo layer decodes and writes its own probes (sampled after the step).
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
      if (tid == 0)
        serial([&] {
          // 6. Resets of the neurons that spiked; then their spikes and rates, stamped t_k.
          reset_spiked(net, state, kernels, settings, spikes, k, t);
          recorder.record_spikes(k, t, spikes);
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
