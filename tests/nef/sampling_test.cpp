// Sampling: Uniform, UniformHypersphere and ScatteredHypersphere have the support, norms and
// uniformity Nengo's distributions have, the spherical inverse CDF matches independent
// formulas, and every sample is a pure function of (seed, object).
//
// Statistical checks use fixed seeds, so each always passes or always fails. Monte Carlo
// bounds are 5 standard errors (a correct sampler fails one with probability ~6e-7) and
// Kolmogorov-Smirnov bounds are the 0.1 % critical value 1.95 / sqrt(n).

#include "runtime/nef/sampling.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "runtime/engine/distributions.h"
#include "runtime/engine/rng.h"

using namespace axon::nef;

namespace {

constexpr double pi = 3.14159265358979323846;
const uint64_t object = axon::rt::hash_name("test.ens.encoders");

/// The Kolmogorov-Smirnov distance between the samples and a CDF.
template <class Cdf>
double ks_distance(std::vector<double> samples, Cdf cdf) {
  std::sort(samples.begin(), samples.end());
  const double n = double(samples.size());
  double d = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const double f = cdf(samples[i]);
    d = std::max({d, std::fabs(f - double(i) / n), std::fabs(double(i + 1) / n - f)});
  }
  return d;
}

std::vector<double> column(const Eigen::MatrixXd& x, Eigen::Index c) {
  return std::vector<double>(x.col(c).data(), x.col(c).data() + x.rows());
}

std::vector<double> norms(const Eigen::MatrixXd& x) {
  std::vector<double> out;
  for (Eigen::Index i = 0; i < x.rows(); ++i) out.push_back(x.row(i).norm());
  return out;
}

/// Integral of sin^m over [0, theta] by composite Simpson (20000 intervals: error ~1e-15).
double sin_power_simpson(int m, double theta) {
  const int steps = 20000;
  const double h = theta / steps;
  double sum = 0;
  for (int k = 0; k <= steps; ++k) {
    const double w = (k == 0 || k == steps) ? 1 : (k % 2 ? 4 : 2);
    sum += w * std::pow(std::sin(k * h), m);
  }
  return sum * h / 3;
}

}  // namespace

TEST_CASE("Uniform: the engine's per-element draws, from low up to high") {
  const Eigen::ArrayXd x = sample_uniform(20000, 200, 400, 3, object);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    CHECK(x[i] == axon::rt::sample(axon::rt::uniform(200, 400), 3, object, uint64_t(i)));
    CHECK((x[i] >= 200 && x[i] < 400));
  }
  // Mean 300, standard error 200 / sqrt(12 n).
  CHECK(std::fabs(x.mean() - 300) < 5 * 200 / std::sqrt(12.0 * 20000));
}

TEST_CASE("UniformHypersphere: unit norms on the surface, inside the ball, centred") {
  const Eigen::Index n = 20000;
  for (Eigen::Index d : {1, 2, 3, 8}) {
    for (bool surface : {true, false}) {
      INFO("d " << d << (surface ? " surface" : " ball"));
      const Eigen::MatrixXd x = uniform_hypersphere(n, d, surface, 5, object);
      REQUIRE(x.rows() == n);
      REQUIRE(x.cols() == d);
      const std::vector<double> r = norms(x);
      for (double v : r) {
        if (surface)
          CHECK(std::fabs(v - 1) < 1e-12);  // normalised rows: a few ulps
        else
          CHECK(v <= 1 + 1e-12);
      }
      // Each coordinate has mean 0 and variance 1/d (surface) or 1/(d+2) (ball).
      const double var = surface ? 1.0 / double(d) : 1.0 / double(d + 2);
      for (Eigen::Index c = 0; c < d; ++c) CHECK(std::fabs(x.col(c).mean()) < 5 * std::sqrt(var / double(n)));
      // Ball radii: P(|x| <= t) = t^d.
      if (!surface)
        CHECK(ks_distance(r, [d](double t) { return std::pow(t, double(d)); }) < 1.95 / std::sqrt(double(n)));
    }
  }
}

TEST_CASE("UniformHypersphere: row i depends only on (seed, object, i)") {
  const Eigen::MatrixXd small = uniform_hypersphere(10, 3, false, 9, object);
  const Eigen::MatrixXd large = uniform_hypersphere(20, 3, false, 9, object);
  CHECK(small == large.topRows(10));
  CHECK(small != uniform_hypersphere(10, 3, false, 10, object));
  CHECK(small != uniform_hypersphere(10, 3, false, 9, object + 1));
}

TEST_CASE("Spherical inverse CDF matches the closed forms and a quadrature") {
  for (double y : {0.0, 0.01, 0.2, 0.37, 0.5, 0.63, 0.9, 1.0}) {
    // dims 1: uniform angle; dims 2: density sin, theta = acos(1 - 2y).
    CHECK(spherical_coords_ppf(1, y) == Approx(y).margin(1e-15));
    CHECK(spherical_coords_ppf(2, y) == Approx(std::acos(1 - 2 * y) / pi).margin(1e-12));
  }
  // dims 3..12: CDF(pi x) = S(pi x) / S(pi) with S by Simpson quadrature, to 1e-9 (Simpson's
  // error is ~1e-15; the inversion stops at ~1e-15 in theta).
  for (int dims = 3; dims <= 12; ++dims) {
    const double total = sin_power_simpson(dims - 1, pi);
    for (double y : {0.001, 0.05, 0.3, 0.5, 0.8, 0.999}) {
      const double x = spherical_coords_ppf(dims, y);
      INFO("dims " << dims << " y " << y << " x " << x);
      CHECK(sin_power_simpson(dims - 1, pi * x) / total == Approx(y).margin(1e-9));
      CHECK(spherical_coords_ppf(dims, 1 - y) == Approx(1 - x).margin(1e-14));
    }
  }
  // High dimensions stay finite and monotone.
  double last = -1;
  for (int k = 1; k < 100; ++k) {
    const double x = spherical_coords_ppf(200, k / 100.0);
    CHECK(x > last);
    last = x;
  }
}

TEST_CASE("R_d sequence: Nengo's phi, an even 1-D tiling, a shuffled permutation") {
  CHECK(rd_phi(1) == Approx(1.6180339887498949).epsilon(1e-12));  // golden ratio
  CHECK(rd_phi(2) == Approx(1.3247179572447460).epsilon(1e-12));  // plastic number
  const Eigen::MatrixXd q = quasirandom_sequence(1000, 1, 4, object);
  std::vector<double> v = column(q, 0);
  std::sort(v.begin(), v.end());
  for (size_t k = 1; k < v.size(); ++k) CHECK(v[k] - v[k - 1] == Approx(1e-3).margin(1e-12));
  CHECK(q.col(0) != Eigen::VectorXd(Eigen::Map<Eigen::VectorXd>(v.data(), 1000)));  // shuffled
  const Eigen::MatrixXd q3 = quasirandom_sequence(500, 3, 4, object);
  CHECK((q3.array() >= 0).all());
  CHECK((q3.array() < 1).all());
}

TEST_CASE("random_orthogonal is orthogonal") {
  for (Eigen::Index d : {2, 3, 16}) {
    const Eigen::MatrixXd Q = random_orthogonal(d, 6, object);
    CHECK((Q.transpose() * Q - Eigen::MatrixXd::Identity(d, d)).cwiseAbs().maxCoeff() < 1e-12);
  }
}

TEST_CASE("ScatteredHypersphere: 1-D encoders are +-1 in equal numbers") {
  for (Eigen::Index n : {1, 2, 10, 11, 100, 101}) {
    const Eigen::MatrixXd e = scattered_hypersphere(n, 1, true, 2, object);
    long plus = 0, minus = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      CHECK(std::fabs(e(i, 0)) == 1);
      (e(i, 0) > 0 ? plus : minus) += 1;
    }
    CHECK(std::labs(plus - minus) <= 1);
  }
  // 1-D ball: floor(n/2) positive, the rest negative, |x| evenly tiled in (0, 1].
  const Eigen::MatrixXd x = scattered_hypersphere(1001, 1, false, 2, object);
  CHECK((x.array() > 0).count() == 500);
  CHECK((x.array() < 0).count() == 501);
  CHECK(x.cwiseAbs().maxCoeff() <= 1);
}

TEST_CASE("ScatteredHypersphere: norms, uniformity, and better-than-random means") {
  const Eigen::Index n = 2000;
  double worst_low_d = 0;  // d <= 3: the largest |coordinate mean| in Monte Carlo std errors
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    for (Eigen::Index d : {2, 3, 5, 16}) {
      for (bool surface : {true, false}) {
        INFO("seed " << seed << " d " << d << (surface ? " surface" : " ball"));
        const Eigen::MatrixXd x = scattered_hypersphere(n, d, surface, seed, object);
        REQUIRE(x.rows() == n);
        REQUIRE(x.cols() == d);
        const std::vector<double> r = norms(x);
        for (double v : r) {
          if (surface)
            CHECK(std::fabs(v - 1) < 1e-12);  // products of sines and cosines, rotated
          else
            CHECK(v <= 1 + 1e-12);
        }
        const double var = surface ? 1.0 / double(d) : 1.0 / double(d + 2);
        for (Eigen::Index c = 0; c < d; ++c) {
          const double z = std::fabs(x.col(c).mean()) / std::sqrt(var / double(n));
          CHECK(z < 5);
          if (d <= 3) worst_low_d = std::max(worst_low_d, z);
        }
        if (!surface)
          CHECK(ks_distance(r, [d](double t) { return std::pow(t, double(d)); }) < 1.95 / std::sqrt(double(n)));
        if (surface && d == 3)  // Archimedes: each coordinate is uniform on [-1, 1]
          CHECK(ks_distance(column(x, 0), [](double t) { return (t + 1) / 2; }) < 1.95 / std::sqrt(double(n)));
      }
    }
  }
  // Quasi-random points integrate smooth functions with error ~log(n)/n instead of Monte
  // Carlo's 1/sqrt(n), most clearly in few dimensions: for d = 2, 3 every coordinate mean
  // (5 seeds, 50 coordinates) must lie within half an MC standard error (worst over 20 seeds
  // when written: 0.29; in d = 16 the advantage is gone, 0.9). Plain random sampling passes
  // this with probability 0.38^50 ~ 1e-21.
  INFO("worst |mean| / MC standard error for d <= 3: " << worst_low_d);
  CHECK(worst_low_d < 0.5);
}

TEST_CASE("ScatteredHypersphere: deterministic per (seed, object), changed by either") {
  const Eigen::MatrixXd a = scattered_hypersphere(300, 4, false, 11, object);
  CHECK(a == scattered_hypersphere(300, 4, false, 11, object));
  CHECK(a != scattered_hypersphere(300, 4, false, 12, object));
  CHECK(a != scattered_hypersphere(300, 4, false, 11, object ^ 1));
  CHECK(scattered_hypersphere(0, 3, true, 1, object).rows() == 0);
  CHECK_THROWS_AS(scattered_hypersphere(10, 0, true, 1, object), std::invalid_argument);
  CHECK_THROWS_AS(scattered_hypersphere(10, 2, false, 1, object, 1.0), std::invalid_argument);
}

TEST_CASE("ScatteredHypersphere: min_magnitude bounds the ball's radii from below") {
  const Eigen::MatrixXd x = scattered_hypersphere(500, 3, false, 1, object, 0.5);
  for (double v : norms(x)) CHECK((v >= 0.5 - 1e-12 && v <= 1 + 1e-12));
  const Eigen::MatrixXd y = scattered_hypersphere(500, 1, false, 1, object, 0.5);
  CHECK(y.cwiseAbs().minCoeff() >= 0.5);
}

TEST_CASE("Default number of evaluation points: max(clip(500 d, 750, 2500), 2 n)") {
  CHECK(default_n_eval_points(100, 1) == 750);
  CHECK(default_n_eval_points(100, 2) == 1000);
  CHECK(default_n_eval_points(100, 10) == 2500);
  CHECK(default_n_eval_points(1000, 1) == 2000);
  CHECK(default_n_eval_points(2000, 10) == 4000);
}
