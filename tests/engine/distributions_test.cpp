// Distributions drawn per element from counter-based streams: bounds, moments, the
// NengoDL truncation rule, and the VarianceScaling / Glorot / He formulas of
// docs semantics.md worked by hand.
//
// Moments are over 1e6 elements with fixed seeds (always pass or always fail); each
// tolerance is 5 standard errors of the estimate, derived in a comment next to it.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "runtime/engine/distributions.h"
#include "runtime/engine/rng.h"

using namespace axon::rt;
using Catch::Matchers::Contains;

namespace {

constexpr uint64_t n = 1000000;
const uint64_t object = hash_name("test.weights");

struct Moments {
  double count = 0, sum = 0, sum2 = 0, lo = INFINITY, hi = -INFINITY;
  double mean() const { return sum / count; }
  double variance() const { return sum2 / count - mean() * mean(); }
};

Moments moments_of(const Distribution& d, uint64_t seed) {
  Moments m;
  for (uint64_t i = 0; i < n; ++i) {
    const double x = sample(d, seed, object, i);
    m.count += 1;
    m.sum += x;
    m.sum2 += x * x;
    m.lo = std::min(m.lo, x);
    m.hi = std::max(m.hi, x);
  }
  return m;
}

}  // namespace

TEST_CASE("constant is its value", "[dist]") {
  CHECK(sample(constant(2.5), 1, object, 0) == 2.5);
  CHECK(sample(constant(-1), 1, object, 99) == -1);
}

TEST_CASE("uniform stays in low <= x < high with the uniform moments", "[dist][statistics]") {
  const Moments m = moments_of(uniform(-2, 6), 3);
  CHECK(m.lo >= -2);
  CHECK(m.hi < 6);
  // Width w = 8: mean 2 with standard error w / sqrt(12 n) = 2.31e-3; variance w^2/12
  // = 5.333 with standard error w^2 sqrt(1/180 / n) = 4.77e-3.
  CHECK(std::abs(m.mean() - 2) < 5 * 2.31e-3);
  CHECK(std::abs(m.variance() - 64.0 / 12) < 5 * 4.77e-3);
  CHECK(sample(uniform(1.5, 1.5), 3, object, 0) == 1.5);
  REQUIRE_THROWS_WITH(sample(uniform(1, 0), 3, object, 0), Contains("Uniform") && Contains("high must be >= low"));
}

TEST_CASE("gaussian has its mean and stddev", "[dist][statistics]") {
  const Moments m = moments_of(gaussian(1, 3), 3);
  // Standard errors: mean 3 / sqrt(n) = 3e-3; variance 9 sqrt(2 / n) = 1.27e-2.
  CHECK(std::abs(m.mean() - 1) < 5 * 3e-3);
  CHECK(std::abs(m.variance() - 9) < 5 * 1.27e-2);
  REQUIRE_THROWS_WITH(sample(gaussian(0, -1), 3, object, 0), Contains("stddev must be >= 0"));
}

TEST_CASE("truncated_normal redraws until within the limit", "[dist][statistics]") {
  const Distribution d = truncated_normal(0.5, 2);
  CHECK(d.c == 4);  // NengoDL's default limit: 2 stddev
  const Moments m = moments_of(d, 3);
  CHECK(m.lo >= 0.5 - 4);
  CHECK(m.hi <= 0.5 + 4);
  // The normal truncated at +-2 stddev keeps its mean and has variance
  // stddev^2 (1 - 2 * 2 phi(2) / (2 Phi(2) - 1)) = 4 * 0.773741 = 3.094964.
  // Standard errors: mean <= 2 / sqrt(n) = 2e-3; (x - mean)^2 lies in [0, 16], so its
  // variance is at most 16^2 / 4 (Popoviciu) and the error of the variance at most
  // 8 / sqrt(n) = 8e-3.
  CHECK(std::abs(m.mean() - 0.5) < 5 * 2e-3);
  CHECK(std::abs(m.variance() - 3.094964) < 5 * 8e-3);
  // Some samples are redraws: the tails beyond 3.5 (1.75 stddev) have mass 8.0% of the
  // untruncated normal, 3.4% after truncation; a wrong clamp would pile them at +-4.
  int near_limit = 0;
  for (uint64_t i = 0; i < 100000; ++i) near_limit += std::abs(sample(d, 4, object, i) - 0.5) > 3.5;
  // P(1.75 < |Z| <= 2) / P(|Z| <= 2) = (0.080118 - 0.045500) / 0.954500 = 0.036268: count
  // mean 3626.8, stddev sqrt(1e5 * 0.0363 * 0.9637) = 59.1.
  CHECK(std::abs(near_limit - 3626.8) < 5 * 59.1);
}

TEST_CASE("truncated_normal keeps |x - mean| == limit", "[dist]") {
  // With stddev 0 every draw is exactly the mean, |x - mean| = 0 = limit: kept, no loop.
  CHECK(sample(truncated_normal(3, 0, 0), 1, object, 0) == 3);
  // A limit of 0 with a positive stddev could never keep a sample.
  REQUIRE_THROWS_WITH(sample(truncated_normal(0, 1, 0), 1, object, 0),
                      Contains("TruncatedNormal") && Contains("limit"));
  REQUIRE_THROWS_AS(sample(truncated_normal(0, 1, -1), 1, object, 0), std::invalid_argument);
}

TEST_CASE("exponential has mean and stddev equal to its scale", "[dist][statistics]") {
  const Moments m = moments_of(exponential(0.25), 3);
  CHECK(m.lo >= 0);
  CHECK(std::isfinite(m.hi));
  // Standard errors: mean 0.25 / sqrt(n) = 2.5e-4; variance: the fourth central moment
  // of an exponential is 9 a^4, so the error is a^2 sqrt(8 / n) = 1.77e-4.
  CHECK(std::abs(m.mean() - 0.25) < 5 * 2.5e-4);
  CHECK(std::abs(m.variance() - 0.0625) < 5 * 1.77e-4);
  REQUIRE_THROWS_WITH(sample(exponential(-1), 3, object, 0), Contains("mean must be >= 0"));
}

TEST_CASE("samples depend on seed, object and index only", "[dist]") {
  const Distribution d = truncated_normal(0, 1);
  CHECK(sample(d, 1, object, 17) == sample(d, 1, object, 17));
  CHECK(sample(d, 1, object, 17) != sample(d, 2, object, 17));
  CHECK(sample(d, 1, object, 17) != sample(d, 1, object + 1, 17));
  CHECK(sample(d, 1, object, 17) != sample(d, 1, object, 18));
  // Gaussian is mean + stddev * random_normal with counter 0.
  CHECK(sample(gaussian(1, 2), 5, object, 3) == 1 + 2 * random_normal(5, object, 3, 0));
  CHECK(sample(uniform(0, 1), 5, object, 3) == random_uniform(5, object, 3, 0));
  REQUIRE_THROWS_WITH(sample(gaussian(NAN, 1), 1, object, 0), Contains("finite"));
}

TEST_CASE("variance_scaling, glorot and he follow NengoDL's formulas", "[dist]") {
  // fan_avg, fan_in = 4, fan_out = 8: s = 1 / 6; uniform limit sqrt(3 s) = sqrt(1/2).
  Distribution d = variance_scaling(1, "fan_avg", "uniform", 4, 8);
  CHECK(d.kind == DistKind::VarianceScalingUniform);
  CHECK(d.a == Approx(-0.7071067811865476).epsilon(1e-15));
  CHECK(d.b == Approx(0.7071067811865476).epsilon(1e-15));

  // fan_in, scale 2, fan_in = 8: s = 1/4; normal: stddev 1/2, limit 1.
  d = variance_scaling(2, "fan_in", "normal", 8, 3);
  CHECK(d.kind == DistKind::VarianceScalingNormal);
  CHECK(d.a == 0);
  CHECK(d.b == Approx(0.5).epsilon(1e-15));
  CHECK(d.c == Approx(1.0).epsilon(1e-15));

  // fan_out, scale 3, fan_out = 4: s = 3/4; uniform limit sqrt(9/4) = 1.5.
  d = variance_scaling(3, "fan_out", "uniform", 100, 4);
  CHECK(d.b == Approx(1.5).epsilon(1e-15));

  // Glorot(1, uniform) with fan_in 3, fan_out 5: s = 1/4, limit sqrt(3/4) = 0.8660254.
  d = glorot(1, "uniform", 3, 5);
  CHECK(d.kind == DistKind::VarianceScalingUniform);
  CHECK(d.b == Approx(0.8660254037844386).epsilon(1e-15));
  // Glorot(1, normal) with fan_in 10, fan_out 30: s = 1/20, stddev 0.2236068, limit 0.4472136.
  d = glorot(1, "normal", 10, 30);
  CHECK(d.b == Approx(0.22360679774997896).epsilon(1e-15));
  CHECK(d.c == Approx(0.4472135954999579).epsilon(1e-15));

  // He(scale 2, normal), fan_in 8: variance scale 2^2 = 4, s = 1/2, stddev 0.7071068,
  // limit 1.4142136; fan_out plays no part.
  d = he(2, "normal", 8, 1000);
  CHECK(d.kind == DistKind::VarianceScalingNormal);
  CHECK(d.b == Approx(0.7071067811865476).epsilon(1e-15));
  CHECK(d.c == Approx(1.4142135623730951).epsilon(1e-15));
  // He(1, uniform), fan_in 12: s = 1/12, limit sqrt(1/4) = 0.5.
  d = he(1, "uniform", 12, 1);
  CHECK(d.b == Approx(0.5).epsilon(1e-15));
}

TEST_CASE("variance_scaling samples have the scaled variance", "[dist][statistics]") {
  // Uniform(-L, L) with L = sqrt(3 s) has variance exactly s = 1 / 6 here; standard
  // error (2L)^2 sqrt(1/180 / n) = 2 * 7.45e-5 (since (2L)^2 = 12 s = 2).
  const Moments m = moments_of(variance_scaling(1, "fan_avg", "uniform", 4, 8), 9);
  CHECK(m.lo >= -std::sqrt(0.5));
  CHECK(m.hi < std::sqrt(0.5));
  CHECK(std::abs(m.variance() - 1.0 / 6) < 5 * 2 * 7.45e-5);
  // Normal: truncated at 2 stddev and not rescaled, so the variance is 0.773741 s.
  // s = 1/4: (x)^2 in [0, 1], error at most (1/2) / sqrt(n) = 5e-4.
  const Moments t = moments_of(variance_scaling(2, "fan_in", "normal", 8, 3), 9);
  CHECK(t.lo >= -1);
  CHECK(t.hi <= 1);
  CHECK(std::abs(t.variance() - 0.773741 / 4) < 5 * 5e-4);
}

TEST_CASE("variance_scaling rejects unknown modes, distributions and empty fans", "[dist]") {
  REQUIRE_THROWS_WITH(variance_scaling(1, "fan_max", "uniform", 4, 8), Contains("fan_max") && Contains("unknown mode"));
  REQUIRE_THROWS_WITH(variance_scaling(1, "fan_in", "cauchy", 4, 8),
                      Contains("cauchy") && Contains("unknown distribution"));
  REQUIRE_THROWS_WITH(glorot(1, "gaussian", 4, 8), Contains("unknown distribution"));
  REQUIRE_THROWS_WITH(variance_scaling(1, "fan_in", "normal", 0, 8), Contains("fans must be positive"));
  REQUIRE_THROWS_WITH(variance_scaling(1, "fan_avg", "normal", -1, 8), Contains("fans must be positive"));
  REQUIRE_THROWS_WITH(variance_scaling(-1, "fan_avg", "normal", 4, 8), Contains("scale"));
}
