// Connectivity as CSR by presynaptic neuron, generated deterministically from a seed:
// all, one-to-one, probability, fixed in-degree, fixed out-degree, fixed total number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace axon::rt {

/// Synapses grouped by presynaptic neuron: the targets of pre i are
/// post[row_ptr[i] .. row_ptr[i+1]), sorted ascending (a repeated pair, possible only
/// with allow_multiple, appears as equal neighbours). Vectors are sized exactly.
struct Csr {
  int64_t n_pre = 0, n_post = 0;
  std::vector<int64_t> row_ptr;  // n_pre + 1 entries, row_ptr[0] = 0
  std::vector<int32_t> post;     // row_ptr[n_pre] entries

  /// The number of synapses.
  size_t size() const { return post.size(); }
};

enum class ConnectKind { All, OneToOne, Probability, FixedInDegree, FixedOutDegree, FixedTotal, Patched };

/// What to connect. Random kinds draw from the streams (seed, object, ...), `object`
/// being hash_name() of the projection's qualified name.
struct ConnectSpec {
  ConnectKind kind = ConnectKind::All;
  double p = 0;                             // Probability: each pair independently with probability p, 0 <= p <= 1
  int64_t k = 0;                            // FixedInDegree / FixedOutDegree: synapses per target / per source;
                                            // FixedTotal: the total number of synapses
  int64_t stride_pre = 0, stride_post = 0;  // Patched: the overlap (si, sj); k = n_sub_models
  bool allow_self = true;                   // false: never connect a neuron to itself (see below)
  bool allow_multiple = false;              // Fixed* only: whether a pair may be drawn more than once
  // When source and target ranges are slices of one population, pre i is the same
  // neuron as post j iff pre_offset + i == post_offset + j. Without same_population no
  // pair is a self pair.
  bool same_population = false;
  int64_t pre_offset = 0, post_offset = 0;
};

/// Builds the synapses of `spec` between n_pre sources and n_post targets.
///
/// The result is a pure function of (spec, n_pre, n_post, seed, object):
/// - All: every pair (except self pairs when !allow_self).
/// - OneToOne: pre i -> post i; needs n_pre == n_post; the self pair is left out when
///   !allow_self.
/// - Probability(p): each allowed pair independently with probability p. Row i is made
///   by geometric skipping from the draws (seed, object, i, 0, 1, ...), so rows are
///   independent of each other and cost O(n_post * p).
/// - FixedInDegree(k): each post j gets k sources chosen uniformly among the allowed
///   ones, distinct unless allow_multiple, from the draws (seed, object, j, ...).
/// - FixedOutDegree(k): each pre i gets k targets likewise, draws (seed, object, i, ...).
/// - FixedTotal(k): k pairs chosen uniformly among all allowed pairs, distinct unless
///   allow_multiple; draw s of round r is keyed (seed, object, s, r).
///
/// - Patched(k, si, sj) (ngclearn's patched synapses): k dense blocks; with
///   di = (n_pre - 2 si) / k and dj = (n_post - 2 sj) / k, block b connects sources
///   [b di, (b + 1) di + 2 si) to targets [b dj, (b + 1) dj + 2 sj), so neighbouring
///   blocks overlap by 2 si rows and 2 sj columns; the outer si sources on each side and
///   the outer sj targets on each side get no synapses. No random draws.
///
/// Throws std::invalid_argument, naming the rule and the numbers, for impossible
/// requests: negative sizes, sizes over 2^31 - 1, p outside [0, 1], k < 0, n_pre !=
/// n_post for one_to_one, or more distinct synapses than there are allowed pairs.
Csr connect(const ConnectSpec& spec, int64_t n_pre, int64_t n_post, uint64_t seed, uint64_t object);

/// The CSR of n synapses listed in their final order (by source, then target): synapse
/// k goes from pre(k) to post(k). The one place rows are counted from a list of
/// synapses (explicit files, index-list views, delay groups).
template <typename Pre, typename Post>
Csr csr_from_ordered(int64_t n_pre, int64_t n_post, size_t n, Pre pre, Post post) {
  Csr csr;
  csr.n_pre = n_pre;
  csr.n_post = n_post;
  csr.row_ptr.assign(static_cast<size_t>(n_pre) + 1, 0);
  csr.post.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    ++csr.row_ptr[static_cast<size_t>(pre(k)) + 1];
    csr.post.push_back(static_cast<int32_t>(post(k)));
  }
  for (int64_t r = 0; r < n_pre; ++r) csr.row_ptr[r + 1] += csr.row_ptr[r];
  return csr;
}

/// The source of every synapse of a CSR, in CSR order.
std::vector<int32_t> sources_of(const Csr& csr);

/// The same synapses by target: those onto target j are syn_of[col_ptr[j] ..
/// col_ptr[j + 1]), in CSR order (so by source), from the sources pre_of[s].
struct ByTarget {
  std::vector<int64_t> col_ptr;
  std::vector<int64_t> syn_of;
  std::vector<int32_t> pre_of;
};
ByTarget by_target(const Csr& csr, int64_t n_post);

}  // namespace axon::rt
