// Counter-based random streams: pinned outputs (which the LLVM IR version of
// random_bits must reproduce), ranges, moments, and independence of neighbouring keys.
//
// Statistical checks use fixed keys, so each one either always passes or always fails;
// their tolerances are 5 standard errors of the estimate under a correct generator, so a
// correct generator fails one with probability about 6e-7 over the choice of keys, while
// a real defect (a biased bit, a correlation of 1%) fails it by a wide margin.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

#include <catch2/catch.hpp>

#include "runtime/engine/rng.h"

using namespace axon::rt;

namespace {

constexpr int n_draws = 1000000;

struct Moments {
  double n = 0, sum = 0, sum2 = 0;
  void add(double x) {
    n += 1;
    sum += x;
    sum2 += x * x;
  }
  double mean() const { return sum / n; }
  double variance() const { return sum2 / n - mean() * mean(); }
};

/// Pearson correlation of the pairs (x_i, y_i).
struct Correlation {
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  void add(double x, double y) {
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  double value() const {
    const double cov = sxy / n - (sx / n) * (sy / n);
    const double vx = sxx / n - (sx / n) * (sx / n);
    const double vy = syy / n - (sy / n) * (sy / n);
    return cov / std::sqrt(vx * vy);
  }
};

// The standard error of a sample correlation of independent variables is 1/sqrt(n).
const double corr_tolerance = 5 / std::sqrt(double(n_draws));

}  // namespace

TEST_CASE("random_bits and hash_name give the pinned values", "[rng]") {
  // Computed by an independent Python transcription of the algorithm in rng.h; the
  // code generator's LLVM IR rand() is checked against the same numbers.
  CHECK(random_bits(0, 0, 0, 0) == 0x9a04b5983ed5a094ULL);
  CHECK(random_bits(1, 0, 0, 0) == 0x23ee3b95cd6ea9a9ULL);
  CHECK(random_bits(0, 0, 0, 1) == 0x4e0292b375ce4a28ULL);
  CHECK(random_bits(12345, 67890, 1000000, 99) == 0xc83f9ef2ad2d4da5ULL);
  CHECK(random_bits(~0ULL, ~0ULL, ~0ULL, ~0ULL) == 0xf49fbd8c6815508dULL);

  CHECK(hash_name("") == 0xf52a15e9a9b5e89bULL);
  CHECK(hash_name("a") == 0x02c0bdbf481420f8ULL);
  CHECK(hash_name("net.exc.v") == 0xaed93db8b2c6c825ULL);
  CHECK(hash_name("net.ee.weights") == 0xa7971c3deed21b16ULL);
  CHECK(random_bits(42, hash_name("net.exc.v"), 7, 3) == 0xc2e26c6ea56c3de9ULL);

  CHECK(random_uniform(0, 0, 0, 0) == 0.6016343590443598);
  CHECK(random_uniform(12345, 67890, 1000000, 99) == 0.7822207777473312);

  // Box-Muller goes through libm's log and cos, which may differ in the last bit
  // between platforms, so these are compared to 1e-15 relative.
  CHECK(random_normal(0, 0, 0, 0) == Approx(-0.4573903539895453).epsilon(1e-15));
  CHECK(random_normal(42, hash_name("net.exc.v"), 7, 3) == Approx(-0.28171119356583063).epsilon(1e-15));

  // random_bits is constexpr, so kernels' constant folding and the runtime agree.
  static_assert(random_bits(0, 0, 0, 0) == 0x9a04b5983ed5a094ULL);
}

TEST_CASE("uniform01 maps the top 53 bits to 0 <= u < 1", "[rng]") {
  CHECK(uniform01(0) == 0.0);
  CHECK(uniform01(0x7ff) == 0.0);  // the low 11 bits are dropped
  CHECK(uniform01(1ULL << 11) == 0x1.0p-53);
  CHECK(uniform01(1ULL << 63) == 0.5);
  CHECK(uniform01(~0ULL) == 1.0 - 0x1.0p-53);
  CHECK(uniform01(~0ULL) < 1.0);

  double lo = 1, hi = 0;
  for (uint64_t i = 0; i < 100000; ++i) {
    const double u = random_uniform(3, 4, i, 0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  CHECK(lo >= 0.0);
  CHECK(hi < 1.0);
  // 1e5 uniforms: the smallest is below 1e-3 unless P = (1 - 1e-3)^1e5 ~ e^-100.
  CHECK(lo < 1e-3);
  CHECK(hi > 1 - 1e-3);
}

TEST_CASE("uniform_below stays in range and covers it evenly", "[rng]") {
  CHECK(uniform_below(0, 7) == 0);
  CHECK(uniform_below(~0ULL, 7) == 6);
  CHECK(uniform_below(~0ULL, 0) == 0);
  int counts[7] = {};
  for (uint64_t i = 0; i < 700000; ++i) ++counts[uniform_below(random_bits(5, 6, i, 0), 7)];
  // Each count is Binomial(7e5, 1/7): mean 1e5, stddev sqrt(7e5 * 1/7 * 6/7) = 293.
  for (int c : counts) CHECK(std::abs(c - 100000) < 5 * 293);
}

TEST_CASE("the same key gives the same value and different keys differ", "[rng]") {
  CHECK(random_bits(7, 8, 9, 10) == random_bits(7, 8, 9, 10));
  CHECK(random_normal(7, 8, 9, 10) == random_normal(7, 8, 9, 10));
  // Changing any one word changes the value.
  const uint64_t base = random_bits(7, 8, 9, 10);
  CHECK(random_bits(6, 8, 9, 10) != base);
  CHECK(random_bits(7, 9, 9, 10) != base);
  CHECK(random_bits(7, 8, 10, 10) != base);
  CHECK(random_bits(7, 8, 9, 11) != base);
  // The words are not interchangeable.
  CHECK(random_bits(8, 7, 9, 10) != base);
  CHECK(random_bits(7, 8, 10, 9) != base);

  // Different seeds give different streams: of 1e5 draws none collide (a collision of
  // two 64-bit values is a 1e-9 event).
  int equal = 0;
  for (uint64_t i = 0; i < 100000; ++i) equal += random_bits(1, 2, i, 0) == random_bits(2, 2, i, 0);
  CHECK(equal == 0);
  // And within one stream all values are distinct.
  std::set<uint64_t> seen;
  for (uint64_t i = 0; i < 1000; ++i)
    for (uint64_t c = 0; c < 100; ++c) seen.insert(random_bits(1, 2, i, c));
  CHECK(seen.size() == 100000);
}

TEST_CASE("uniform draws have mean 1/2 and variance 1/12", "[rng][statistics]") {
  Moments m;
  for (uint64_t i = 0; i < n_draws; ++i) m.add(random_uniform(11, hash_name("u"), i, 0));
  // Standard error of the mean: sqrt(1/12 / n) = 2.89e-4. Of the variance: the variance
  // of (U - 1/2)^2 is 1/80 - 1/144 = 1/180, so sqrt(1/180 / n) = 7.45e-5.
  CHECK(std::abs(m.mean() - 0.5) < 5 * 2.89e-4);
  CHECK(std::abs(m.variance() - 1.0 / 12) < 5 * 7.45e-5);
}

TEST_CASE("normal draws have mean 0, variance 1 and normal tails", "[rng][statistics]") {
  Moments m;
  int beyond_2 = 0;
  double largest = 0;
  for (uint64_t i = 0; i < n_draws; ++i) {
    const double z = random_normal(11, hash_name("z"), i, 0);
    REQUIRE(std::isfinite(z));
    m.add(z);
    beyond_2 += std::abs(z) > 2;
    largest = std::max(largest, std::abs(z));
  }
  // Standard error of the mean 1/sqrt(n) = 1e-3; of the variance sqrt(2/n) = 1.41e-3
  // (the variance of Z^2 is 2).
  CHECK(std::abs(m.mean()) < 5 * 1e-3);
  CHECK(std::abs(m.variance() - 1) < 5 * 1.41e-3);
  // P(|Z| > 2) = 0.0455003: count mean 45500, stddev sqrt(n p (1 - p)) = 208.4.
  CHECK(std::abs(beyond_2 - 45500.3) < 5 * 208.4);
  // Box-Muller with 1 - u1 in [2^-53, 1] cannot exceed sqrt(2 * 53 ln 2) = 8.57.
  CHECK(largest < 8.58);
  CHECK(largest > 4);  // 1e6 normals: P(max |Z| < 4) = (1 - 6.3e-5)^1e6 ~ e^-63
}

TEST_CASE("neighbouring indices, counters, objects and seeds are uncorrelated", "[rng][statistics]") {
  Correlation index_pairs, counter_pairs, object_pairs, seed_pairs, normal_pairs;
  for (uint64_t i = 0; i < n_draws; ++i) {
    index_pairs.add(random_uniform(1, 2, i, 0), random_uniform(1, 2, i + 1, 0));
    counter_pairs.add(random_uniform(1, 2, 0, i), random_uniform(1, 2, 0, i + 1));
    object_pairs.add(random_uniform(1, i, 5, 0), random_uniform(1, i + 1, 5, 0));
    seed_pairs.add(random_uniform(i, 2, 5, 0), random_uniform(i + 1, 2, 5, 0));
    normal_pairs.add(random_normal(1, 2, 7, i), random_normal(1, 2, 7, i + 1));
  }
  CHECK(std::abs(index_pairs.value()) < corr_tolerance);
  CHECK(std::abs(counter_pairs.value()) < corr_tolerance);
  CHECK(std::abs(object_pairs.value()) < corr_tolerance);
  CHECK(std::abs(seed_pairs.value()) < corr_tolerance);
  CHECK(std::abs(normal_pairs.value()) < corr_tolerance);
}

TEST_CASE("every output bit is set half of the time", "[rng][statistics]") {
  // Consecutive counters are the most structured input a kernel gives.
  int ones[64] = {};
  const int n = 200000;
  for (uint64_t c = 0; c < uint64_t(n); ++c) {
    const uint64_t b = random_bits(0, 0, 0, c);
    for (int k = 0; k < 64; ++k) ones[k] += (b >> k) & 1;
  }
  // Each count is Binomial(n, 1/2): stddev sqrt(n) / 2 = 223.6.
  for (int k = 0; k < 64; ++k) {
    INFO("bit " << k);
    CHECK(std::abs(ones[k] - n / 2) < 5 * 223.6);
  }
}

TEST_CASE("flipping one key bit flips each output bit half of the time", "[rng][statistics]") {
  // Avalanche of the index and counter words, the ones kernels vary: for N random keys,
  // flip input bit b and count how often output bit o changes. Each of the 64 x 64
  // frequencies has standard error 0.5 / sqrt(N) = 3.5e-3; with 8192 of them the bound
  // is 6 standard errors, so a correct mixer exceeds it with probability about 2e-5,
  // while a weak one (a missing multiply) is off by 0.1 or more.
  const int n = 20000;
  const double bound = 6 * 0.5 / std::sqrt(double(n));
  for (int word : {2, 3}) {
    static int flips[64][64];
    for (auto& row : flips)
      for (int& f : row) f = 0;
    for (uint64_t t = 0; t < uint64_t(n); ++t) {
      uint64_t key[4] = {random_bits(9, 9, t, 0), random_bits(9, 9, t, 1), random_bits(9, 9, t, 2),
                         random_bits(9, 9, t, 3)};
      const uint64_t base = random_bits(key[0], key[1], key[2], key[3]);
      for (int b = 0; b < 64; ++b) {
        key[word] ^= 1ULL << b;
        const uint64_t diff = base ^ random_bits(key[0], key[1], key[2], key[3]);
        key[word] ^= 1ULL << b;
        for (int o = 0; o < 64; ++o) flips[b][o] += (diff >> o) & 1;
      }
    }
    double worst = 0;
    for (auto& row : flips)
      for (int f : row) worst = std::max(worst, std::abs(f / double(n) - 0.5));
    INFO("word " << word);
    CHECK(worst < bound);
  }
}
