// Connectivity generators: structure of the CSR, exact counts where the rule fixes
// them, self-pair exclusion across slices of one population, determinism per seed,
// statistics of the random rules, and the errors for impossible requests.
//
// Statistical checks use fixed seeds (always pass or always fail); each tolerance is 5
// standard deviations of the checked count under the rule, so a correct generator fails
// one with probability about 6e-7 over the choice of seed.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/engine/connectivity.h"
#include "runtime/engine/rng.h"

using namespace axon::rt;
using Catch::Matchers::Contains;

namespace {

const uint64_t object = hash_name("test.proj");

ConnectSpec spec_of(ConnectKind kind) {
  ConnectSpec s;
  s.kind = kind;
  return s;
}

/// The invariants of every CSR: sizes, monotone row_ptr, posts in range and sorted
/// (strictly when pairs may not repeat), and no capacity beyond the size.
void check_structure(const Csr& csr, int64_t n_pre, int64_t n_post, bool strictly_sorted) {
  REQUIRE(csr.n_pre == n_pre);
  REQUIRE(csr.n_post == n_post);
  REQUIRE(csr.row_ptr.size() == size_t(n_pre) + 1);
  REQUIRE(csr.row_ptr.front() == 0);
  REQUIRE(csr.row_ptr.back() == int64_t(csr.size()));
  CHECK(csr.post.capacity() == csr.post.size());
  bool ok = true;
  for (int64_t i = 0; i < n_pre && ok; ++i) {
    ok = csr.row_ptr[i] <= csr.row_ptr[i + 1];
    for (int64_t s = csr.row_ptr[i]; s < csr.row_ptr[i + 1] && ok; ++s) {
      ok = csr.post[s] >= 0 && csr.post[s] < n_post;
      if (ok && s > csr.row_ptr[i])
        ok = strictly_sorted ? csr.post[s - 1] < csr.post[s] : csr.post[s - 1] <= csr.post[s];
    }
    if (!ok) INFO("row " << i);
    CHECK(ok);
  }
}

std::vector<int64_t> in_degrees(const Csr& csr) {
  std::vector<int64_t> d(size_t(csr.n_post), 0);
  for (int32_t j : csr.post) ++d[size_t(j)];
  return d;
}

int64_t row_len(const Csr& csr, int64_t i) { return csr.row_ptr[i + 1] - csr.row_ptr[i]; }

/// Whether any synapse joins a neuron to itself under the spec's offsets.
bool has_self_pair(const Csr& csr, const ConnectSpec& s) {
  for (int64_t i = 0; i < csr.n_pre; ++i)
    for (int64_t k = csr.row_ptr[i]; k < csr.row_ptr[i + 1]; ++k)
      if (s.pre_offset + i == s.post_offset + csr.post[k]) return true;
  return false;
}

bool same(const Csr& a, const Csr& b) { return a.row_ptr == b.row_ptr && a.post == b.post; }

}  // namespace

TEST_CASE("all connects every pair", "[connect]") {
  const Csr csr = connect(spec_of(ConnectKind::All), 7, 5, 1, object);
  check_structure(csr, 7, 5, true);
  CHECK(csr.size() == 35);
  for (int64_t i = 0; i < 7; ++i)
    for (int64_t j = 0; j < 5; ++j) CHECK(csr.post[csr.row_ptr[i] + j] == j);

  CHECK(connect(spec_of(ConnectKind::All), 0, 5, 1, object).size() == 0);
  CHECK(connect(spec_of(ConnectKind::All), 5, 0, 1, object).size() == 0);
}

TEST_CASE("one_to_one connects i to i and needs equal sizes", "[connect]") {
  const Csr csr = connect(spec_of(ConnectKind::OneToOne), 6, 6, 1, object);
  check_structure(csr, 6, 6, true);
  REQUIRE(csr.size() == 6);
  for (int64_t i = 0; i < 6; ++i) {
    CHECK(row_len(csr, i) == 1);
    CHECK(csr.post[i] == i);
  }
  REQUIRE_THROWS_WITH(connect(spec_of(ConnectKind::OneToOne), 6, 5, 1, object),
                      Contains("one_to_one") && Contains("n_pre = 6") && Contains("n_post = 5"));

  // Slices [2, 8) -> [4, 10) of one population: pre i is post i only when offsets agree,
  // so here nothing is a self pair; with equal offsets every pair is one.
  ConnectSpec s = spec_of(ConnectKind::OneToOne);
  s.allow_self = false;
  s.same_population = true;
  s.pre_offset = 2;
  s.post_offset = 4;
  CHECK(connect(s, 6, 6, 1, object).size() == 6);
  s.post_offset = 2;
  const Csr none = connect(s, 6, 6, 1, object);
  check_structure(none, 6, 6, true);
  CHECK(none.size() == 0);
}

TEST_CASE("allow_self = false leaves out exactly the self pairs of overlapping slices", "[connect]") {
  // Pre = neurons [10, 40), post = neurons [5, 35) of one population: they overlap in
  // [10, 35), 25 neurons.
  ConnectSpec s = spec_of(ConnectKind::All);
  s.allow_self = false;
  s.same_population = true;
  s.pre_offset = 10;
  s.post_offset = 5;
  const Csr all = connect(s, 30, 30, 1, object);
  check_structure(all, 30, 30, true);
  CHECK(all.size() == 30 * 30 - 25);
  CHECK_FALSE(has_self_pair(all, s));

  // Without same_population nothing is a self pair; with allow_self nothing is left out.
  s.same_population = false;
  CHECK(connect(s, 30, 30, 1, object).size() == 900);
  s.same_population = true;
  s.allow_self = true;
  CHECK(has_self_pair(connect(s, 30, 30, 1, object), s));
  s.allow_self = false;

  for (ConnectKind kind :
       {ConnectKind::Probability, ConnectKind::FixedInDegree, ConnectKind::FixedOutDegree, ConnectKind::FixedTotal}) {
    s.kind = kind;
    s.p = 0.9;
    s.k = kind == ConnectKind::FixedTotal ? 800 : 29;  // 29: every allowed partner
    for (uint64_t seed = 0; seed < 5; ++seed) {
      const Csr csr = connect(s, 30, 30, seed, object);
      INFO("kind " << int(kind) << " seed " << seed);
      check_structure(csr, 30, 30, true);
      CHECK_FALSE(has_self_pair(csr, s));
    }
  }
  // p = 1 is all allowed pairs.
  s.kind = ConnectKind::Probability;
  s.p = 1;
  CHECK(same(connect(s, 30, 30, 3, object), all));
}

TEST_CASE("probability(p) has a binomial number of synapses", "[connect][statistics]") {
  ConnectSpec s = spec_of(ConnectKind::Probability);
  SECTION("4000 x 4000, p = 0.02") {
    s.p = 0.02;
    const auto start = std::chrono::steady_clock::now();
    const Csr csr = connect(s, 4000, 4000, 42, object);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    WARN("probability 4000 x 4000 p = 0.02: " << csr.size() << " synapses in " << ms << " ms");
    check_structure(csr, 4000, 4000, true);
    // Binomial(1.6e7, 0.02): mean 320000, stddev sqrt(1.6e7 * 0.02 * 0.98) = 560.
    CHECK(std::abs(double(csr.size()) - 320000) < 5 * 560);
    // Column 0 and the last column are reachable like any other (an off-by-one in the
    // skipping would empty or double one): Binomial(4000, 0.02), mean 80, stddev 8.85.
    const auto in = in_degrees(csr);
    CHECK(std::abs(in.front() - 80) < 5 * 8.85);
    CHECK(std::abs(in.back() - 80) < 5 * 8.85);
    // The first 100 columns: Binomial(4e5, 0.02), mean 8000, stddev 88.5.
    int64_t first = 0;
    for (int j = 0; j < 100; ++j) first += in[j];
    CHECK(std::abs(first - 8000) < 5 * 88.5);
    // Pairs are independent: adjacent targets (j, j+1) both connected happen with
    // probability p^2; count mean 4000 * 3999 * 4e-4 = 6398, stddev below sqrt(6398 *
    // (1 + 2p)) = 81.2 (neighbouring pairs share a target, which adds at most 2p).
    int64_t adjacent = 0;
    for (int64_t i = 0; i < 4000; ++i)
      for (int64_t k = csr.row_ptr[i] + 1; k < csr.row_ptr[i + 1]; ++k) adjacent += csr.post[k] == csr.post[k - 1] + 1;
    CHECK(std::abs(adjacent - 6398.4) < 5 * 81.2);
  }
  SECTION("50 x 40, p = 0.3") {
    s.p = 0.3;
    const Csr csr = connect(s, 50, 40, 7, object);
    check_structure(csr, 50, 40, true);
    // Binomial(2000, 0.3): mean 600, stddev sqrt(2000 * 0.3 * 0.7) = 20.5.
    CHECK(std::abs(double(csr.size()) - 600) < 5 * 20.5);
  }
  SECTION("p = 0 and p = 1") {
    s.p = 0;
    CHECK(connect(s, 50, 40, 7, object).size() == 0);
    s.p = 1;
    CHECK(same(connect(s, 50, 40, 7, object), connect(spec_of(ConnectKind::All), 50, 40, 7, object)));
  }
  SECTION("p outside [0, 1] is an error") {
    s.p = 1.5;
    REQUIRE_THROWS_WITH(connect(s, 5, 5, 1, object), Contains("probability") && Contains("[0, 1]"));
    s.p = -0.1;
    REQUIRE_THROWS_AS(connect(s, 5, 5, 1, object), std::invalid_argument);
    s.p = std::nan("");
    REQUIRE_THROWS_AS(connect(s, 5, 5, 1, object), std::invalid_argument);
  }
}

TEST_CASE("the same seed gives the same synapses, another seed or object others", "[connect]") {
  for (ConnectKind kind :
       {ConnectKind::Probability, ConnectKind::FixedInDegree, ConnectKind::FixedOutDegree, ConnectKind::FixedTotal}) {
    ConnectSpec s = spec_of(kind);
    s.p = 0.1;
    s.k = kind == ConnectKind::FixedTotal ? 3000 : 10;
    INFO("kind " << int(kind));
    const Csr a = connect(s, 300, 200, 1, object);
    CHECK(same(a, connect(s, 300, 200, 1, object)));
    CHECK_FALSE(same(a, connect(s, 300, 200, 2, object)));
    CHECK_FALSE(same(a, connect(s, 300, 200, 1, hash_name("test.other"))));
  }
}

TEST_CASE("fixed_in_degree gives every target exactly k distinct sources", "[connect][statistics]") {
  ConnectSpec s = spec_of(ConnectKind::FixedInDegree);
  s.k = 10;
  const Csr csr = connect(s, 100, 20000, 5, object);
  check_structure(csr, 100, 20000, true);  // strictly sorted rows: no repeated pair
  CHECK(csr.size() == 200000);
  for (int64_t d : in_degrees(csr)) REQUIRE(d == 10);
  // Sources are chosen uniformly: each out-degree is Binomial(20000, 0.1), mean 2000,
  // stddev sqrt(20000 * 0.1 * 0.9) = 42.4 (this catches a Floyd off-by-one that never
  // picks the first or the last source).
  for (int64_t i = 0; i < 100; ++i) {
    INFO("pre " << i);
    CHECK(std::abs(row_len(csr, i) - 2000) < 5 * 42.4);
  }

  SECTION("k equal to the number of sources connects all") {
    s.k = 100;
    CHECK(same(connect(s, 100, 30, 1, object), connect(spec_of(ConnectKind::All), 100, 30, 1, object)));
  }
  SECTION("with allow_multiple, k may exceed the sources") {
    s.k = 12;
    s.allow_multiple = true;
    const Csr multi = connect(s, 5, 300, 1, object);
    check_structure(multi, 5, 300, false);
    CHECK(multi.size() == 3600);
    for (int64_t d : in_degrees(multi)) REQUIRE(d == 12);
  }
  SECTION("impossible k") {
    s.k = 11;
    REQUIRE_THROWS_WITH(connect(s, 10, 5, 1, object), Contains("fixed_in_degree") && Contains("k = 11") &&
                                                          Contains("only 10 are available") &&
                                                          Contains("allow multiple"));
    s.k = 10;
    s.allow_self = false;
    s.same_population = true;
    REQUIRE_THROWS_WITH(connect(s, 10, 10, 1, object),
                        Contains("only 9 are available") && Contains("without self connections"));
    s.k = 9;
    const Csr no_self = connect(s, 10, 10, 1, object);
    CHECK(no_self.size() == 90);
    CHECK_FALSE(has_self_pair(no_self, s));
    s.k = -1;
    REQUIRE_THROWS_WITH(connect(s, 10, 10, 1, object), Contains("k must be >= 0"));
    s.k = 3;
    s.allow_multiple = true;
    REQUIRE_THROWS_WITH(connect(s, 0, 10, 1, object), Contains("at least one"));
  }
  SECTION("no targets need no sources") {
    s.k = 5;
    CHECK(connect(s, 0, 0, 1, object).size() == 0);
  }
}

TEST_CASE("fixed_out_degree gives every source exactly k distinct targets", "[connect][statistics]") {
  ConnectSpec s = spec_of(ConnectKind::FixedOutDegree);
  s.k = 10;
  const Csr csr = connect(s, 20000, 100, 5, object);
  check_structure(csr, 20000, 100, true);
  CHECK(csr.size() == 200000);
  for (int64_t i = 0; i < 20000; ++i) REQUIRE(row_len(csr, i) == 10);
  // In-degrees Binomial(20000, 0.1): mean 2000, stddev 42.4.
  const auto in = in_degrees(csr);
  for (int64_t j = 0; j < 100; ++j) {
    INFO("post " << j);
    CHECK(std::abs(in[j] - 2000) < 5 * 42.4);
  }
  s.k = 101;
  REQUIRE_THROWS_WITH(connect(s, 3, 100, 1, object), Contains("fixed_out_degree") && Contains("targets per source"));
  s.allow_multiple = true;
  const Csr multi = connect(s, 3, 100, 1, object);
  check_structure(multi, 3, 100, false);
  CHECK(multi.size() == 303);
}

TEST_CASE("fixed_total gives exactly n synapses", "[connect][statistics]") {
  ConnectSpec s = spec_of(ConnectKind::FixedTotal);
  SECTION("few of many pairs") {
    s.k = 50000;
    const Csr csr = connect(s, 1000, 500, 9, object);
    check_structure(csr, 1000, 500, true);  // strictly sorted: all pairs distinct
    CHECK(csr.size() == 50000);
    // Uniform over pairs: the first 100 rows hold a hypergeometric share, mean 5000,
    // stddev below the binomial sqrt(50000 * 0.1 * 0.9) = 67.1.
    CHECK(std::abs(csr.row_ptr[100] - 5000) < 5 * 67.1);
    const auto in = in_degrees(csr);
    int64_t first = 0;
    for (int j = 0; j < 50; ++j) first += in[j];
    CHECK(std::abs(first - 5000) < 5 * 67.1);
  }
  SECTION("most of the pairs (drawn as the complement)") {
    s.k = 450000;
    const Csr csr = connect(s, 1000, 500, 9, object);
    check_structure(csr, 1000, 500, true);
    CHECK(csr.size() == 450000);
    // Left out: 50000 pairs, 5000 of them in the first 100 rows on average.
    CHECK(std::abs((100 * 500 - csr.row_ptr[100]) - 5000) < 5 * 67.1);
  }
  SECTION("all pairs") {
    s.k = 20 * 30;
    CHECK(same(connect(s, 20, 30, 1, object), connect(spec_of(ConnectKind::All), 20, 30, 1, object)));
  }
  SECTION("repeats with allow_multiple") {
    s.k = 1000;
    s.allow_multiple = true;
    const Csr csr = connect(s, 10, 10, 1, object);
    check_structure(csr, 10, 10, false);
    CHECK(csr.size() == 1000);
  }
  SECTION("more than the pairs") {
    s.k = 601;
    REQUIRE_THROWS_WITH(connect(s, 20, 30, 1, object), Contains("fixed_total") && Contains("only 600 are available"));
    s.k = 591;
    s.allow_self = false;
    s.same_population = true;
    s.post_offset = 10;  // pre [0, 20) and post [10, 40) share 10 neurons
    REQUIRE_THROWS_WITH(connect(s, 20, 30, 1, object), Contains("only 590 are available"));
    s.k = 590;
    const Csr csr = connect(s, 20, 30, 1, object);
    CHECK(csr.size() == 590);
    CHECK_FALSE(has_self_pair(csr, s));
  }
}

TEST_CASE("sizes below 0 or above 2^31 - 1 are errors", "[connect]") {
  REQUIRE_THROWS_WITH(connect(spec_of(ConnectKind::All), -1, 5, 1, object), Contains("n_pre = -1"));
  REQUIRE_THROWS_AS(connect(spec_of(ConnectKind::All), 5, int64_t(1) << 31, 1, object), std::invalid_argument);
}
