#include "runtime/engine/connectivity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "runtime/engine/rng.h"

namespace axon::rt {
namespace {

constexpr int64_t max_neurons = std::numeric_limits<int32_t>::max();

const char* kind_name(ConnectKind kind) {
  switch (kind) {
    case ConnectKind::All: return "all";
    case ConnectKind::OneToOne: return "one_to_one";
    case ConnectKind::Probability: return "probability";
    case ConnectKind::FixedInDegree: return "fixed_in_degree";
    case ConnectKind::FixedOutDegree: return "fixed_out_degree";
    case ConnectKind::FixedTotal: return "fixed_total";
    case ConnectKind::Patched: return "patched";
  }
  return "?";
}

[[noreturn]] void fail(const ConnectSpec& spec, const std::string& what) {
  throw std::invalid_argument(std::string("connect ") + kind_name(spec.kind) + ": " + what);
}

/// Which pairs are self pairs: pre i and post j are one neuron iff j == i + shift.
struct SelfPairs {
  bool exclude = false;
  int64_t shift = 0;  // pre_offset - post_offset
  int64_t n_pre = 0, n_post = 0;

  /// The post that is the same neuron as pre i and must be skipped, or -1.
  int64_t post_of(int64_t i) const {
    const int64_t j = i + shift;
    return exclude && j >= 0 && j < n_post ? j : -1;
  }
  /// The pre that is the same neuron as post j and must be skipped, or -1.
  int64_t pre_of(int64_t j) const {
    const int64_t i = j - shift;
    return exclude && i >= 0 && i < n_pre ? i : -1;
  }
  /// How many pre neurons have a self pair to skip.
  int64_t count() const {
    if (!exclude) return 0;
    const int64_t lo = std::max<int64_t>(0, -shift);
    const int64_t hi = std::min<int64_t>(n_pre, n_post - shift);
    return std::max<int64_t>(0, hi - lo);
  }
  const char* note() const { return exclude ? ", without self connections" : ""; }
};

/// Candidate c of a row whose skipped element is `skip` (-1: none), as a neuron index.
inline int64_t unskip(uint64_t c, int64_t skip) {
  const auto i = static_cast<int64_t>(c);
  return skip >= 0 && i >= skip ? i + 1 : i;
}

/// Picks k values out of [0, m) from the draws (seed, object, index, 0..k-1) and calls
/// emit(value) for each: distinct ones by Floyd's algorithm (`mark` holds m stamps and
/// `stamp` must be new for each call), or independent ones when `multiple`.
template <class Emit>
void choose(int64_t k, int64_t m, bool multiple, uint64_t seed, uint64_t object, uint64_t index,
            std::vector<uint32_t>& mark, uint32_t stamp, Emit emit) {
  if (multiple) {
    for (int64_t t = 0; t < k; ++t)
      emit(uniform_below(random_bits(seed, object, index, static_cast<uint64_t>(t)), static_cast<uint64_t>(m)));
    return;
  }
  uint64_t counter = 0;
  for (int64_t t = m - k; t < m; ++t, ++counter) {
    uint64_t r = uniform_below(random_bits(seed, object, index, counter), static_cast<uint64_t>(t) + 1);
    if (mark[r] == stamp) r = static_cast<uint64_t>(t);
    mark[r] = stamp;
    emit(r);
  }
}

/// Calls emit(j) for every post j of row `pre` under Probability(p): geometric
/// skipping, gap ~ Geometric(p) as floor(log(1 - u) / log(1 - p)), u from the draws
/// (seed, object, pre, 0, 1, ...). A skipped self pair is drawn and then dropped, so
/// every other pair stays an independent Bernoulli(p) trial.
template <class Emit>
void probability_row(double p, double log_q, int64_t n_post, int64_t skip, uint64_t seed, uint64_t object, int64_t pre,
                     Emit emit) {
  if (p <= 0) return;
  if (p >= 1) {
    for (int64_t j = 0; j < n_post; ++j)
      if (j != skip) emit(j);
    return;
  }
  int64_t j = -1;
  for (uint64_t counter = 0;; ++counter) {
    const double u = uniform01(random_bits(seed, object, static_cast<uint64_t>(pre), counter));
    // 1 - u is exact (u is a multiple of 2^-53) and in (0, 1], so the log is finite and
    // <= 0; std::log is about twice as fast as std::log1p here.
    const double gap = std::floor(std::log(1.0 - u) / log_q);
    if (gap >= static_cast<double>(n_post - 1 - j)) return;
    j += 1 + static_cast<int64_t>(gap);
    if (j != skip) emit(j);
  }
}

Csr make_csr(int64_t n_pre, int64_t n_post) {
  Csr csr;
  csr.n_pre = n_pre;
  csr.n_post = n_post;
  csr.row_ptr.assign(static_cast<size_t>(n_pre) + 1, 0);
  return csr;
}

/// Turns row lengths in row_ptr[1..] into offsets and sizes `post` exactly.
void finish_row_ptr(Csr& csr) {
  for (size_t i = 1; i < csr.row_ptr.size(); ++i) csr.row_ptr[i] += csr.row_ptr[i - 1];
  csr.post.resize(static_cast<size_t>(csr.row_ptr.back()));
}

Csr connect_all(const SelfPairs& self, int64_t n_pre, int64_t n_post) {
  Csr csr = make_csr(n_pre, n_post);
  for (int64_t i = 0; i < n_pre; ++i) csr.row_ptr[i + 1] = n_post - (self.post_of(i) >= 0);
  finish_row_ptr(csr);
  for (int64_t i = 0; i < n_pre; ++i) {
    const int64_t skip = self.post_of(i);
    int64_t at = csr.row_ptr[i];
    for (int64_t j = 0; j < n_post; ++j)
      if (j != skip) csr.post[at++] = static_cast<int32_t>(j);
  }
  return csr;
}

Csr connect_one_to_one(const ConnectSpec& spec, const SelfPairs& self, int64_t n_pre, int64_t n_post) {
  if (n_pre != n_post)
    fail(spec, "needs as many sources as targets, got n_pre = " + std::to_string(n_pre) +
                   " and n_post = " + std::to_string(n_post));
  Csr csr = make_csr(n_pre, n_post);
  for (int64_t i = 0; i < n_pre; ++i) csr.row_ptr[i + 1] = self.post_of(i) != i;
  finish_row_ptr(csr);
  for (int64_t i = 0; i < n_pre; ++i)
    if (csr.row_ptr[i + 1] > csr.row_ptr[i]) csr.post[csr.row_ptr[i]] = static_cast<int32_t>(i);
  return csr;
}

// Two passes over the same draws, lengths then targets, so that `post` is allocated
// once at its exact size; each pass handles every row independently of the others.
Csr connect_probability(const ConnectSpec& spec, const SelfPairs& self, int64_t n_pre, int64_t n_post, uint64_t seed,
                        uint64_t object) {
  const double p = spec.p;
  if (!(p >= 0 && p <= 1)) fail(spec, "p must be in [0, 1], got " + std::to_string(p));
  const double log_q = std::log1p(-p);
  Csr csr = make_csr(n_pre, n_post);
  for (int64_t i = 0; i < n_pre; ++i) {
    int64_t n = 0;
    probability_row(p, log_q, n_post, self.post_of(i), seed, object, i, [&](int64_t) { ++n; });
    csr.row_ptr[i + 1] = n;
  }
  finish_row_ptr(csr);
  for (int64_t i = 0; i < n_pre; ++i) {
    int32_t* out = csr.post.data() + csr.row_ptr[i];
    probability_row(p, log_q, n_post, self.post_of(i), seed, object, i,
                    [&](int64_t j) { *out++ = static_cast<int32_t>(j); });
  }
  return csr;
}

/// Checks a fixed degree k: `available` is the fewest allowed partners any neuron on
/// the other side has (`pool` of them before self pairs are left out), `count` how many
/// neurons each get k synapses.
void check_degree(const ConnectSpec& spec, const SelfPairs& self, int64_t count, int64_t available, int64_t pool,
                  const char* partners, const char* each, const char* pool_name) {
  if (spec.k < 0) fail(spec, "k must be >= 0, got " + std::to_string(spec.k));
  if (spec.k == 0 || count == 0) return;
  if (spec.allow_multiple ? available == 0 : spec.k > available)
    fail(spec, "k = " + std::to_string(spec.k) + " needs " +
                   (spec.allow_multiple ? std::string("at least one") : std::to_string(spec.k) + " distinct") + " " +
                   partners + " per " + each + ", but only " + std::to_string(available) + " are available (" +
                   pool_name + " = " + std::to_string(pool) + self.note() + "); lower k" +
                   (spec.allow_multiple ? "" : " or allow multiple synapses per pair"));
  if (spec.k > std::numeric_limits<int64_t>::max() / count)
    fail(spec,
         "k = " + std::to_string(spec.k) + " times " + std::to_string(count) + " " + each + "s is too many synapses");
}

Csr connect_fixed_in_degree(const ConnectSpec& spec, const SelfPairs& self, int64_t n_pre, int64_t n_post,
                            uint64_t seed, uint64_t object) {
  const int64_t k = spec.k;
  const int64_t fewest = n_pre - (self.count() > 0 ? 1 : 0);
  check_degree(spec, self, n_post, fewest, n_pre, "sources", "target", "n_pre");
  Csr csr = make_csr(n_pre, n_post);
  if (k == 0 || n_post == 0) return csr;
  // Sources of each target in target order, then transposed into rows by source;
  // filling rows in target order leaves each row sorted.
  std::vector<int32_t> sources(static_cast<size_t>(n_post) * static_cast<size_t>(k));
  std::vector<uint32_t> mark(spec.allow_multiple ? 0 : static_cast<size_t>(n_pre), 0);
  for (int64_t j = 0; j < n_post; ++j) {
    const int64_t skip = self.pre_of(j);
    int32_t* out = sources.data() + j * k;
    choose(k, n_pre - (skip >= 0), spec.allow_multiple, seed, object, static_cast<uint64_t>(j), mark,
           static_cast<uint32_t>(j + 1), [&](uint64_t c) { *out++ = static_cast<int32_t>(unskip(c, skip)); });
  }
  for (int32_t i : sources) ++csr.row_ptr[static_cast<size_t>(i) + 1];
  finish_row_ptr(csr);
  std::vector<int64_t> cursor(csr.row_ptr.begin(), csr.row_ptr.end() - 1);
  for (int64_t j = 0; j < n_post; ++j)
    for (int64_t t = 0; t < k; ++t) csr.post[cursor[sources[j * k + t]]++] = static_cast<int32_t>(j);
  return csr;
}

Csr connect_fixed_out_degree(const ConnectSpec& spec, const SelfPairs& self, int64_t n_pre, int64_t n_post,
                             uint64_t seed, uint64_t object) {
  const int64_t k = spec.k;
  const int64_t fewest = n_post - (self.count() > 0 ? 1 : 0);
  check_degree(spec, self, n_pre, fewest, n_post, "targets", "source", "n_post");
  Csr csr = make_csr(n_pre, n_post);
  for (int64_t i = 0; i < n_pre; ++i) csr.row_ptr[i + 1] = k;
  finish_row_ptr(csr);
  std::vector<uint32_t> mark(spec.allow_multiple || k == 0 ? 0 : static_cast<size_t>(n_post), 0);
  for (int64_t i = 0; i < n_pre && k > 0; ++i) {
    const int64_t skip = self.post_of(i);
    int32_t* row = csr.post.data() + i * k;
    int32_t* out = row;
    choose(k, n_post - (skip >= 0), spec.allow_multiple, seed, object, static_cast<uint64_t>(i), mark,
           static_cast<uint32_t>(i + 1), [&](uint64_t c) { *out++ = static_cast<int32_t>(unskip(c, skip)); });
    std::sort(row, out);
  }
  return csr;
}

/// `target` distinct values out of [0, m), sorted: draw the missing count uniformly
/// with replacement, merge, drop duplicates, repeat. Draw s of round r is keyed
/// (seed, object, s, r). The rule treats all values alike, so every subset of the size
/// is equally likely; with target <= m / 2 each draw is new with probability >= 1/2
/// and the rounds end after about log2(target) of them.
std::vector<uint64_t> distinct_sample(uint64_t target, uint64_t m, uint64_t seed, uint64_t object) {
  std::vector<uint64_t> chosen;
  chosen.reserve(target);
  for (uint64_t round = 0; chosen.size() < target; ++round) {
    const size_t have = chosen.size();
    const uint64_t need = target - have;
    for (uint64_t s = 0; s < need; ++s) chosen.push_back(uniform_below(random_bits(seed, object, s, round), m));
    std::sort(chosen.begin() + static_cast<std::ptrdiff_t>(have), chosen.end());
    std::inplace_merge(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(have), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  }
  return chosen;
}

// Pairs are numbered row by row, skipping self pairs: pair q is candidate c of row i.
Csr connect_fixed_total(const ConnectSpec& spec, const SelfPairs& self, int64_t n_pre, int64_t n_post, uint64_t seed,
                        uint64_t object) {
  if (spec.k < 0) fail(spec, "the number of synapses must be >= 0, got " + std::to_string(spec.k));
  const auto total = static_cast<uint64_t>(spec.k);
  const uint64_t pairs =
      static_cast<uint64_t>(n_pre) * static_cast<uint64_t>(n_post) - static_cast<uint64_t>(self.count());
  if (total > 0 && (spec.allow_multiple ? pairs == 0 : total > pairs))
    fail(spec, std::to_string(total) + " synapses need " +
                   (spec.allow_multiple ? std::string("at least one") : std::to_string(total) + " distinct") +
                   " pairs, but only " + std::to_string(pairs) + " are available (n_pre = " + std::to_string(n_pre) +
                   ", n_post = " + std::to_string(n_post) + self.note() + "); lower the number" +
                   (spec.allow_multiple ? "" : " or allow multiple synapses per pair"));

  // The chosen pair numbers, sorted; with more than half of all pairs wanted, the pairs
  // left out are drawn instead and everything else is taken.
  std::vector<uint64_t> drawn;
  bool complement = false;
  if (spec.allow_multiple) {
    drawn.resize(total);
    for (uint64_t s = 0; s < total; ++s) drawn[s] = uniform_below(random_bits(seed, object, s, 0), pairs);
    std::sort(drawn.begin(), drawn.end());
  } else if (total > pairs / 2) {
    complement = true;
    drawn = distinct_sample(pairs - total, pairs, seed, object);
  } else {
    drawn = distinct_sample(total, pairs, seed, object);
  }

  Csr csr = make_csr(n_pre, n_post);
  csr.post.resize(total);
  size_t next = 0, at = 0;  // next drawn pair number, next synapse
  uint64_t row_first = 0;   // number of the row's first pair
  for (int64_t i = 0; i < n_pre; ++i) {
    const int64_t skip = self.post_of(i);
    const uint64_t row_len = static_cast<uint64_t>(n_post - (skip >= 0));
    const uint64_t row_end = row_first + row_len;
    if (complement) {
      for (uint64_t q = row_first; q < row_end; ++q) {
        if (next < drawn.size() && drawn[next] == q) {
          ++next;
          continue;
        }
        csr.post[at++] = static_cast<int32_t>(unskip(q - row_first, skip));
      }
    } else {
      for (; next < drawn.size() && drawn[next] < row_end; ++next)
        csr.post[at++] = static_cast<int32_t>(unskip(drawn[next] - row_first, skip));
    }
    csr.row_ptr[i + 1] = static_cast<int64_t>(at);
    row_first = row_end;
  }
  return csr;
}

}  // namespace

Csr connect_patched(const ConnectSpec& spec, const SelfPairs& self, int64_t n_pre, int64_t n_post) {
  const int64_t n = spec.k, si = spec.stride_pre, sj = spec.stride_post;
  if (n < 1) fail(spec, "needs at least one block, got " + std::to_string(n));
  if (si < 0 || sj < 0) fail(spec, "strides cannot be negative");
  if (n_pre - 2 * si <= 0 || (n_pre - 2 * si) % n != 0 || n_post - 2 * sj <= 0 || (n_post - 2 * sj) % n != 0)
    fail(spec, std::to_string(n) + " blocks with strides (" + std::to_string(si) + ", " + std::to_string(sj) +
                   ") need n_pre - 2 stride_pre and n_post - 2 stride_post to be positive multiples of " +
                   std::to_string(n) + ", got n_pre = " + std::to_string(n_pre) +
                   ", n_post = " + std::to_string(n_post));
  const int64_t di = (n_pre - 2 * si) / n, dj = (n_post - 2 * sj) / n;
  Csr csr;
  csr.n_pre = n_pre;
  csr.n_post = n_post;
  csr.row_ptr.assign(n_pre + 1, 0);
  for (int64_t i = 0; i < n_pre; ++i) {
    if (!(si > 0 && (i < si || i >= n_pre - si))) {
      // Blocks b with b di <= i < (b + 1) di + 2 si: their target ranges are ascending and
      // overlap, so the union is one range.
      // (b + 1) di > i - 2 si  <=>  b >= floor((i - 2 si) / di).
      int64_t b_lo = i - 2 * si < 0 ? 0 : (i - 2 * si) / di;
      int64_t b_hi = std::min<int64_t>(n - 1, i / di);
      int64_t j_lo = std::max<int64_t>(b_lo * dj, sj > 0 ? sj : 0);
      int64_t j_hi = std::min<int64_t>((b_hi + 1) * dj + 2 * sj, sj > 0 ? n_post - sj : n_post);
      for (int64_t j = j_lo; j < j_hi; ++j)
        if (j != self.post_of(i)) csr.post.push_back(static_cast<int32_t>(j));
    }
    csr.row_ptr[i + 1] = static_cast<int64_t>(csr.post.size());
  }
  return csr;
}

Csr connect(const ConnectSpec& spec, int64_t n_pre, int64_t n_post, uint64_t seed, uint64_t object) {
  if (n_pre < 0 || n_post < 0 || n_pre > max_neurons || n_post > max_neurons)
    fail(spec, "population sizes must be in [0, 2^31 - 1], got n_pre = " + std::to_string(n_pre) +
                   " and n_post = " + std::to_string(n_post));
  SelfPairs self;
  self.exclude = !spec.allow_self && spec.same_population;
  self.shift = spec.pre_offset - spec.post_offset;
  self.n_pre = n_pre;
  self.n_post = n_post;
  switch (spec.kind) {
    case ConnectKind::All: return connect_all(self, n_pre, n_post);
    case ConnectKind::OneToOne: return connect_one_to_one(spec, self, n_pre, n_post);
    case ConnectKind::Probability: return connect_probability(spec, self, n_pre, n_post, seed, object);
    case ConnectKind::FixedInDegree: return connect_fixed_in_degree(spec, self, n_pre, n_post, seed, object);
    case ConnectKind::FixedOutDegree: return connect_fixed_out_degree(spec, self, n_pre, n_post, seed, object);
    case ConnectKind::FixedTotal: return connect_fixed_total(spec, self, n_pre, n_post, seed, object);
    case ConnectKind::Patched: return connect_patched(spec, self, n_pre, n_post);
  }
  fail(spec, "unknown connection kind");
}

std::vector<int32_t> sources_of(const Csr& csr) {
  std::vector<int32_t> pre(csr.size());
  for (int64_t r = 0; r < csr.n_pre; ++r)
    for (int64_t k = csr.row_ptr[r]; k < csr.row_ptr[r + 1]; ++k) pre[k] = static_cast<int32_t>(r);
  return pre;
}

ByTarget by_target(const Csr& csr, int64_t n_post) {
  ByTarget t;
  t.col_ptr.assign(static_cast<size_t>(n_post) + 1, 0);
  t.pre_of = sources_of(csr);
  for (int32_t j : csr.post) ++t.col_ptr[static_cast<size_t>(j) + 1];
  for (int64_t j = 0; j < n_post; ++j) t.col_ptr[j + 1] += t.col_ptr[j];
  std::vector<int64_t> fill(t.col_ptr.begin(), t.col_ptr.end() - 1);
  t.syn_of.resize(csr.size());
  for (size_t k = 0; k < csr.size(); ++k) t.syn_of[fill[csr.post[k]]++] = static_cast<int64_t>(k);
  return t;
}

}  // namespace axon::rt
