// A team of threads that run one function together, meeting at barriers: the engine runs
// each simulation step as phases separated by barriers, with no task queue in between.
#pragma once

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace axon::engine {

// A sense-reversing barrier that spins briefly, then yields: a step's phases last
// microseconds, far less than a sleep/wake-up through the kernel.
class SpinBarrier {
 public:
  explicit SpinBarrier(int count) : count_(count), waiting_(count) {}
  void arrive_and_wait();

 private:
  const int count_;
  std::atomic<int> waiting_;
  std::atomic<unsigned> generation_{0};
};

// Runs body(thread_index) on `threads` threads (the caller is thread 0) and joins them.
// An exception thrown on any thread is rethrown on the caller after all have finished;
// bodies must still reach every barrier, so they record errors instead of leaving early.
void run_team(int threads, const std::function<void(int)>& body);

// Thread t's share of [0, n): contiguous, starting at a multiple of `align` elements so
// that every thread count runs the same vector and scalar code on the same neurons.
std::pair<int64_t, int64_t> share(int64_t n, int threads, int t, int64_t align = 64);

// The default thread count: the cores this process may use.
int default_threads();

}  // namespace axon::engine
