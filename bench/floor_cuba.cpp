// floor_cuba: a hand-written, single-purpose C++ simulation of the CUBA network
// (models/cuba.axon, Brian2's CUBA example), the "floor" anchor of bench/run_bench.py:
// what a careful programmer gets for this one model without a compiler in between.
//
//   g++ -O3 -march=native -std=c++17 -pthread bench/floor_cuba.cpp -o floor_cuba
//   ./floor_cuba --n 65536 --duration 1 --threads 2 --precision f32 --conn in_degree
//
// Model: LIF with voltage-valued exponential synapses, integrated exactly,
//   v' = (El - v + ge + gi) / taum,  ge' = -ge / taue,  gi' = -gi / taui,
// taum = 20 ms, taue = 5 ms, taui = 10 ms, El = -49 mV, Vt = -50 mV, Vr = -60 mV,
// refractory 5 ms clamping v, dt = 0.1 ms, v(0) uniform in [Vr, Vt], ge = gi = 0.
// 80 % of the neurons are excitatory (ge += 1.62 mV), 20 % inhibitory (gi += -9 mV).
// Connectivity: --conn in_degree (default): every neuron gets exactly 64 distinct E and
// 16 distinct I sources; --conn p: every pair with probability 0.02 (self pairs allowed,
// as in Brian2's example). Weights are per-projection constants, as in axon.
//
// Step k, as in axon and Brian2: update (exact step, refractory clamp, threshold; the
// reset is fused into the update because delivery never touches v), then delivery of
// step k's spikes onto ge/gi (seen by the update of step k + 1). Every spike is recorded
// in memory (id and step), the job of a spike monitor.
//
// Threads: thread t owns a contiguous range of neurons; it updates them, and it
// delivers every spike of the step onto the targets it owns, through its own CSR (the
// synapses whose target it owns, by source). Spike lists are double-buffered by step
// parity, so one barrier per step is enough.
//
// Prints one JSON line: loop seconds, seconds per biological second, spikes, synaptic
// events (sum of the out-degrees of the spiking neurons), bytes of state.
#include <sys/mman.h>
#include <time.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Rng {  // splitmix64: small, fast, good enough for connectivity and initial values
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return (next() >> 11) * 0x1.0p-53; }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }
};

class Barrier {  // sense-reversing; spins, then yields (the machine may be shared)
 public:
  explicit Barrier(int n) : n_(n), left_(n) {}
  void wait() {
    unsigned gen = gen_.load(std::memory_order_acquire);
    if (left_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      left_.store(n_, std::memory_order_relaxed);
      gen_.fetch_add(1, std::memory_order_release);
      return;
    }
    for (int spins = 0; gen_.load(std::memory_order_acquire) == gen; ++spins) {
      if (spins < 4000) {
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
      } else {
        std::this_thread::yield();
      }
    }
  }

 private:
  const int n_;
  std::atomic<int> left_;
  std::atomic<unsigned> gen_{0};
};

// Large arrays on transparent huge pages (madvise(MADV_HUGEPAGE), what a careful
// programmer does for arrays scattered into at random: with 4 KiB pages the delivery
// at 1M neurons is dominated by TLB misses). --no-hugepages turns it off.
bool g_hugepages = true;

template <typename T>
struct HugeAlloc {
  using value_type = T;
  HugeAlloc() = default;
  template <typename U>
  HugeAlloc(const HugeAlloc<U>&) {}
  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    const size_t huge = size_t(2) << 20;
    if (g_hugepages && bytes >= huge) {
      void* p = std::aligned_alloc(huge, (bytes + huge - 1) / huge * huge);
      if (p == nullptr) throw std::bad_alloc();
      madvise(p, (bytes + huge - 1) / huge * huge, MADV_HUGEPAGE);
      return static_cast<T*>(p);
    }
    void* p = std::malloc(bytes ? bytes : 1);
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) { std::free(p); }
  template <typename U>
  bool operator==(const HugeAlloc<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const HugeAlloc<U>&) const {
    return false;
  }
};
template <typename T>
using Vec = std::vector<T, HugeAlloc<T>>;

struct Options {
  int64_t n = 4000;
  double duration = 1.0;
  int threads = 1;
  bool f32 = false;
  bool in_degree = true;
  uint64_t seed = 1;
  // Variants that copy one feature of axon's current engine each, to measure its cost
  // (not part of the floor): --input (a per-neuron input array, read and zeroed every
  // step), --refr64 (int64 last-spike step and int64 per-neuron refractory length, reset
  // in a separate pass after delivery), --byte-scan (spikes collected one flag byte at a
  // time), --axon-like (all three).
  bool input = false, refr64 = false, byte_scan = false;
};

// Synapses by source restricted to one thread's targets: targets of source i are
// post[row[i] .. row[i + 1]), ascending, as absolute neuron indices.
struct Csr {
  Vec<int64_t> row;
  Vec<int32_t> post;
};

template <typename Real>
struct Consts {
  Real p_vv, p_ve, p_vi, p_c;  // v <- p_vv v + p_ve ge + p_vi gi + p_c
  Real d_e, d_i;               // ge <- d_e ge, gi <- d_i gi
  Real vt, vr;
  int32_t ref_steps;
};

// One step of neurons [b, e): exact update, refractory clamp, threshold, reset (fused:
// delivery only touches ge and gi), flags. Branch-free so that it vectorises.
template <typename Real>
void update(Real* __restrict V, Real* __restrict GE, Real* __restrict GI, int32_t* __restrict U, uint8_t* __restrict F,
            int64_t b, int64_t e, int32_t step, const Consts<Real> c) {
  for (int64_t i = b; i < e; ++i) {
    const bool ref = step < U[i];
    Real vn = c.p_vv * V[i] + c.p_ve * GE[i] + c.p_vi * GI[i] + c.p_c;
    vn = ref ? V[i] : vn;
    GE[i] *= c.d_e;
    GI[i] *= c.d_i;
    const bool s = !ref && vn > c.vt;
    V[i] = s ? c.vr : vn;
    U[i] = s ? step + c.ref_steps : U[i];
    F[i] = s;
  }
}

// The same step in axon's current layout (the --input / --refr64 variants): refractory
// from int64 last-spike and int64 per-neuron length, an input array added to v's update
// and cleared, the threshold flag only (the reset runs later, on the spiking list).
template <typename Real>
void update_axon_like(Real* __restrict V, Real* __restrict GE, Real* __restrict GI, Real* __restrict IN,
                      int64_t* __restrict LS, const int64_t* __restrict RS, uint8_t* __restrict F, int64_t b, int64_t e,
                      int64_t step, const Consts<Real> c, Real p_vu) {
  for (int64_t i = b; i < e; ++i) {
    const bool ref = step - LS[i] < RS[i];
    Real vn = c.p_vv * V[i] + c.p_ve * GE[i] + c.p_vi * GI[i] + p_vu * IN[i] + c.p_c;
    vn = ref ? V[i] : vn;
    V[i] = vn;
    GE[i] *= c.d_e;
    GI[i] *= c.d_i;
    IN[i] = 0;
    F[i] = static_cast<uint8_t>(!ref & (vn > c.vt));
  }
}

template <typename Real>
int run(const Options& o) {
  const int64_t N = o.n;
  const int64_t NE = static_cast<int64_t>(std::llround(0.8 * N));
  const double dt = 1e-4, taum = 20e-3, taue = 5e-3, taui = 10e-3;
  const double El = -49e-3, Vt = -50e-3, Vr = -60e-3, t_ref = 5e-3;
  const double we = 60 * 0.27 / 10 * 1e-3, wi = -20 * 4.5 / 10 * 1e-3;
  const int64_t steps = std::llround(o.duration / dt);
  const int32_t ref_steps = static_cast<int32_t>(std::llround(t_ref / dt));
  const int T = std::max(1, o.threads);

  auto t_build0 = std::chrono::steady_clock::now();
  // Exact propagator of the linear system over one step.
  const double a_m = std::exp(-dt / taum), a_e = std::exp(-dt / taue), a_i = std::exp(-dt / taui);
  const double c_e = taue / (taue - taum) * (a_e - a_m);  // response of v to ge(0) = 1
  const double c_i = taui / (taui - taum) * (a_i - a_m);
  Consts<Real> consts;
  consts.p_vv = static_cast<Real>(a_m);
  consts.p_ve = static_cast<Real>(c_e);
  consts.p_vi = static_cast<Real>(c_i);
  consts.p_c = static_cast<Real>(El * (1 - a_m));
  consts.d_e = static_cast<Real>(a_e);
  consts.d_i = static_cast<Real>(a_i);
  consts.vt = static_cast<Real>(Vt);
  consts.vr = static_cast<Real>(Vr);
  consts.ref_steps = ref_steps;
  const Real w_e = static_cast<Real>(we), w_i = static_cast<Real>(wi);

  // Ownership: contiguous ranges starting at multiples of 64.
  std::vector<int64_t> lo(T + 1);
  {
    int64_t chunk = (N + T - 1) / T;
    chunk = (chunk + 63) / 64 * 64;
    for (int t = 0; t <= T; ++t) lo[t] = std::min<int64_t>(N, chunk * t);
  }

  // Connectivity: (source, target) pairs in target order, then counting sort by source
  // into one CSR per owning thread (so rows come out sorted by target).
  std::vector<int32_t> src;  // src[k] of the k-th synapse, targets ascending
  std::vector<int64_t> tgt_begin(N + 1, 0);
  Rng rng(o.seed * 0x2545f4914f6cdd1dULL + 17);
  if (o.in_degree) {
    const int KE = 64, KI = 16;
    src.resize(static_cast<size_t>(N) * (KE + KI));
    std::vector<uint32_t> mark(N, 0);  // mark[i] == j + 1: i already drawn for target j
    for (int64_t j = 0; j < N; ++j) {
      int32_t* s = src.data() + j * (KE + KI);
      for (int c = 0; c < KE; ++c) {
        uint32_t i;
        do i = rng.below(static_cast<uint32_t>(NE));
        while (mark[i] == j + 1);
        mark[i] = static_cast<uint32_t>(j + 1);
        s[c] = static_cast<int32_t>(i);
      }
      for (int c = 0; c < KI; ++c) {
        uint32_t i;
        do i = static_cast<uint32_t>(NE) + rng.below(static_cast<uint32_t>(N - NE));
        while (mark[i] == j + 1);
        mark[i] = static_cast<uint32_t>(j + 1);
        s[KE + c] = static_cast<int32_t>(i);
      }
      tgt_begin[j + 1] = (j + 1) * (KE + KI);
    }
  } else {  // probability 0.02, by geometric skipping over the sources of each target
    const double lq = std::log1p(-0.02);
    src.reserve(static_cast<size_t>(N * N * 0.02 * 1.05) + 1024);
    for (int64_t j = 0; j < N; ++j) {
      int64_t i = -1;
      for (;;) {
        double u = rng.uniform();
        i += 1 + static_cast<int64_t>(std::floor(std::log1p(-u) / lq));
        if (i >= N) break;
        src.push_back(static_cast<int32_t>(i));
      }
      tgt_begin[j + 1] = static_cast<int64_t>(src.size());
    }
  }
  const int64_t S = static_cast<int64_t>(src.size());
  std::vector<int32_t> out_degree(N, 0);
  for (int32_t i : src) ++out_degree[i];
  std::vector<Csr> csr(T);
  for (int t = 0; t < T; ++t) {
    Csr& c = csr[t];
    c.row.assign(N + 1, 0);
    const int64_t k0 = tgt_begin[lo[t]], k1 = tgt_begin[lo[t + 1]];
    for (int64_t k = k0; k < k1; ++k) ++c.row[src[k] + 1];
    for (int64_t i = 0; i < N; ++i) c.row[i + 1] += c.row[i];
    c.post.resize(k1 - k0);
    std::vector<int64_t> fill(c.row.begin(), c.row.end() - 1);
    for (int64_t j = lo[t]; j < lo[t + 1]; ++j)
      for (int64_t k = tgt_begin[j]; k < tgt_begin[j + 1]; ++k) c.post[fill[src[k]]++] = static_cast<int32_t>(j);
  }
  std::vector<int32_t>().swap(src);
  std::vector<int64_t>().swap(tgt_begin);

  // State.
  Vec<Real> v(N), ge(N, 0), gi(N, 0);
  Vec<int32_t> until(N, 0);  // refractory while step < until[i]
  Vec<uint8_t> fired(N + 64, 0);
  const bool axon_like = o.input || o.refr64;
  Vec<Real> input(axon_like ? N : 0, 0);  // never written by anything: CUBA has no stimulus
  Vec<int64_t> last_spike(axon_like ? N : 0, -(int64_t(1) << 40));
  Vec<int64_t> ref_len(axon_like ? N : 0, ref_steps);
  for (int64_t i = 0; i < N; ++i) v[i] = static_cast<Real>(Vr + rng.uniform() * (Vt - Vr));
  // Spike lists per thread, double-buffered by step parity; records per thread.
  std::vector<std::vector<int32_t>> spikes[2];
  spikes[0].resize(T);
  spikes[1].resize(T);
  std::vector<std::vector<int32_t>> rec_id(T), rec_step(T);
  double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_build0).count();

  Barrier barrier(T);
  std::vector<double> cpu_s(T, 0.0);
  auto thread_cpu = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
  };
  auto body = [&](int t) {
    const double cpu0 = thread_cpu();
    const int64_t b = lo[t], e = lo[t + 1];
    const Consts<Real> c = consts;  // a local copy: the compiler then knows nothing aliases it
    Real* V = v.data();
    Real* GE = ge.data();
    Real* GI = gi.data();
    int32_t* U = until.data();
    uint8_t* F = fired.data();
    const int64_t* __restrict row = csr[t].row.data();
    const int32_t* __restrict post = csr[t].post.data();
    std::vector<int32_t>& my_rec_id = rec_id[t];
    std::vector<int32_t>& my_rec_step = rec_step[t];
    Real* IN = input.data();
    int64_t* LS = last_spike.data();
    const int64_t* RS = ref_len.data();
    const Real p_vu = c.p_ve;  // any non-zero coefficient: the input is always 0
    for (int64_t k = 0; k < steps; ++k) {
      const int32_t step = static_cast<int32_t>(k);
      if (axon_like)
        update_axon_like(V, GE, GI, IN, LS, RS, F, b, e, k, c, p_vu);
      else
        update(V, GE, GI, U, F, b, e, step, c);
      // Collect the spikes, eight flags at a time.
      std::vector<int32_t>& mine = spikes[k & 1][t];
      mine.clear();
      int64_t i = b;
      if (o.byte_scan) i = e - (e - b) % 8;  // axon's loop: every flag byte tested (below)
      if (o.byte_scan)
        for (int64_t j = b; j < i; ++j)
          if (F[j]) mine.push_back(static_cast<int32_t>(j));
      for (; i + 8 <= e; i += 8) {
        uint64_t w;
        std::memcpy(&w, F + i, 8);
        while (w) {
          int bit = __builtin_ctzll(w);
          mine.push_back(static_cast<int32_t>(i + bit / 8));
          w &= w - 1;
        }
      }
      for (; i < e; ++i)
        if (F[i]) mine.push_back(static_cast<int32_t>(i));
      for (int32_t s : mine) {
        my_rec_id.push_back(s);
        my_rec_step.push_back(step);
      }
      if (T > 1) barrier.wait();
      // Delivery of this step's spikes onto my targets, in source order.
      for (int u = 0; u < T; ++u) {
        for (int32_t s : spikes[k & 1][u]) {
          const Real w = s < NE ? w_e : w_i;
          Real* __restrict G = s < NE ? GE : GI;
          for (int64_t q = row[s]; q < row[s + 1]; ++q) G[post[q]] += w;
        }
      }
      if (axon_like)  // the reset after delivery, on my own spikes
        for (int32_t s : mine) {
          V[s] = c.vr;
          LS[s] = k;
        }
    }
    cpu_s[t] = thread_cpu() - cpu0;
  };
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 1; t < T; ++t) workers.emplace_back(body, t);
  body(0);
  for (auto& w : workers) w.join();
  double loop_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  double loop_cpu_s = 0;
  for (double x : cpu_s) loop_cpu_s += x;
  uint64_t n_spikes = 0, events = 0;
  for (int t = 0; t < T; ++t) {
    n_spikes += rec_id[t].size();
    for (int32_t s : rec_id[t]) events += static_cast<uint64_t>(out_degree[s]);
  }
  size_t state_bytes =
      axon_like ? N * (4 * sizeof(Real) + 2 * sizeof(int64_t) + 1) : N * (3 * sizeof(Real) + sizeof(int32_t) + 1);
  size_t syn_bytes = 0;
  for (const Csr& c : csr) syn_bytes += c.row.size() * sizeof(int64_t) + c.post.size() * sizeof(int32_t);
  std::printf(
      "{\"n\": %lld, \"duration\": %g, \"threads\": %d, \"precision\": \"%s\", \"conn\": \"%s\", \"variant\": \"%s\", "
      "\"hugepages\": %s, \"synapses\": %lld, "
      "\"build_s\": %.6f, \"loop_s\": %.6f, \"loop_cpu_s\": %.6f, \"loop_per_bio_s\": %.6f, \"spikes\": %llu, "
      "\"rate_hz\": %.4f, "
      "\"events\": %llu, \"ns_per_event\": %.4f, \"ns_per_neuron_step\": %.4f, \"state_bytes\": %zu, "
      "\"synapse_bytes\": %zu}\n",
      (long long)N, o.duration, T, sizeof(Real) == 4 ? "f32" : "f64", o.in_degree ? "in_degree" : "p",
      (std::string(o.input ? "+input" : "") + (o.refr64 ? "+refr64" : "") + (o.byte_scan ? "+byte_scan" : "")).c_str(),
      g_hugepages ? "true" : "false", (long long)S, build_s, loop_s, loop_cpu_s, loop_s / o.duration,
      (unsigned long long)n_spikes, n_spikes / (N * o.duration), (unsigned long long)events,
      events ? loop_s * 1e9 / events : 0.0, loop_s * 1e9 / (double(N) * steps), state_bytes, syn_bytes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int a = 1; a < argc; ++a) {
    std::string k = argv[a];
    auto val = [&]() -> std::string {
      if (a + 1 >= argc) {
        std::fprintf(stderr, "floor_cuba: %s needs a value\n", k.c_str());
        std::exit(2);
      }
      return argv[++a];
    };
    if (k == "--n")
      o.n = std::atoll(val().c_str());
    else if (k == "--duration")
      o.duration = std::atof(val().c_str());
    else if (k == "--threads")
      o.threads = std::atoi(val().c_str());
    else if (k == "--precision")
      o.f32 = val() == "f32";
    else if (k == "--conn")
      o.in_degree = val() != "p";
    else if (k == "--seed")
      o.seed = std::strtoull(val().c_str(), nullptr, 10);
    else if (k == "--no-hugepages")
      g_hugepages = false;
    else if (k == "--input")
      o.input = true;
    else if (k == "--refr64")
      o.refr64 = true;
    else if (k == "--byte-scan")
      o.byte_scan = true;
    else if (k == "--axon-like")
      o.input = o.refr64 = o.byte_scan = true;
    else {
      std::fprintf(
          stderr,
          "usage: floor_cuba [--n N] [--duration SECONDS] [--threads T] [--precision f64|f32] "
          "[--conn in_degree|p] [--seed S] [--input] [--refr64] [--byte-scan] [--axon-like] [--no-hugepages]\n");
      return 2;
    }
  }
  if (o.n < 100 || o.n > (int64_t(1) << 30) || o.duration <= 0) {
    std::fprintf(stderr, "floor_cuba: bad --n or --duration\n");
    return 2;
  }
  return o.f32 ? run<float>(o) : run<double>(o);
}
