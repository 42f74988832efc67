#include "runtime/engine/team.h"

#include <sched.h>
#include <algorithm>
#include <exception>
#include <mutex>

namespace axon::engine {

void SpinBarrier::arrive_and_wait() {
  unsigned gen = generation_.load(std::memory_order_acquire);
  if (waiting_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    waiting_.store(count_, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    return;
  }
  for (int spins = 0; generation_.load(std::memory_order_acquire) == gen; ++spins)
    if (spins > 2000) std::this_thread::yield();
}

void run_team(int threads, const std::function<void(int)>& body) {
  std::exception_ptr error;
  std::mutex error_mutex;
  auto guarded = [&](int t) {
    try {
      body(t);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back(guarded, t);
  guarded(0);
  for (std::thread& w : workers) w.join();
  if (error) std::rethrow_exception(error);
}

std::pair<int64_t, int64_t> share(int64_t n, int threads, int t, int64_t align) {
  int64_t chunk = (n + threads - 1) / threads;
  chunk = (chunk + align - 1) / align * align;
  int64_t begin = std::min(n, chunk * t);
  int64_t end = std::min(n, begin + chunk);
  return {begin, end};
}

int default_threads() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace axon::engine
