// The LstsqL2 decoder solver on ensembles built with Nengo's defaults (LIF, max rates
// Uniform(200, 400), intercepts Uniform(-1, 0.9), scattered encoders and evaluation points,
// the default number of points, reg 0.1): decoding accuracy for the identity, x^2 and a 2-D
// product, agreement with independent dense solves of the same problem, and the effect of reg.
//
// Tolerances are stated where they are used, with why.

#include "runtime/nef/decoders.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "runtime/engine/rng.h"
#include "runtime/nef/neuron_rates.h"
#include "runtime/nef/sampling.h"

using namespace axon::nef;
using axon::rt::hash_name;

namespace {

struct Ensemble {
  NeuronType type;
  Eigen::MatrixXd encoders;
  GainBias gb;
  Eigen::MatrixXd eval_points;
  double radius = 1;
};

/// An ensemble as Nengo builds one with default parameters.
Ensemble nengo_ensemble(Eigen::Index n, Eigen::Index d, uint64_t seed, double radius = 1,
                        NeuronType type = NeuronType::lif()) {
  Ensemble e;
  e.type = type;
  e.radius = radius;
  e.encoders = scattered_hypersphere(n, d, true, seed, hash_name("ens.encoders"));
  e.gb = gain_bias(type, sample_uniform(n, 200, 400, seed, hash_name("ens.max_rates")),
                   sample_uniform(n, -1, 0.9, seed, hash_name("ens.intercepts")));
  e.eval_points =
      radius * scattered_hypersphere(default_n_eval_points(n, d), d, false, seed, hash_name("ens.eval_points"));
  return e;
}

Eigen::MatrixXd activities_of(const Ensemble& e, const Eigen::MatrixXd& points) {
  return activities(e.type, points, e.encoders, e.gb.gain, e.gb.bias, e.radius);
}

DecoderSolution solve(const Ensemble& e, const Eigen::MatrixXd& targets, double reg = 0.1) {
  return solve_decoders(e.type, e.eval_points, e.encoders, e.gb.gain, e.gb.bias, e.radius, targets, reg);
}

Eigen::MatrixXd square(const Eigen::MatrixXd& x) { return x.array().square().matrix(); }

Eigen::MatrixXd product(const Eigen::MatrixXd& x) { return x.col(0).cwiseProduct(x.col(1)); }

double rms(const Eigen::MatrixXd& x) { return std::sqrt(x.squaredNorm() / double(x.size())); }

/// D from the normal equations (A^T A + m sigma^2 I) D = A^T Y by full-pivoting LU.
Eigen::MatrixXd normal_equations_lu(const Eigen::MatrixXd& A, const Eigen::MatrixXd& Y, double sigma) {
  const Eigen::Index m = A.rows(), n = A.cols();
  const Eigen::MatrixXd G = A.transpose() * A + double(m) * sigma * sigma * Eigen::MatrixXd::Identity(n, n);
  return G.fullPivLu().solve(A.transpose() * Y);
}

/// The same minimiser of |A D - Y|^2 + m sigma^2 |D|^2 as an ordinary least-squares problem
/// [A; sqrt(m) sigma I] D = [Y; 0], solved by Householder QR (never forms A^T A).
Eigen::MatrixXd augmented_qr(const Eigen::MatrixXd& A, const Eigen::MatrixXd& Y, double sigma) {
  const Eigen::Index m = A.rows(), n = A.cols();
  Eigen::MatrixXd K(m + n, n), R = Eigen::MatrixXd::Zero(m + n, Y.cols());
  K << A, std::sqrt(double(m)) * sigma * Eigen::MatrixXd::Identity(n, n);
  R.topRows(m) = Y;
  return K.colPivHouseholderQr().solve(R);
}

double rel_norm_diff(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) { return (a - b).norm() / b.norm(); }

}  // namespace

TEST_CASE("Communication channel: 100 LIF neurons decode x with Nengo's accuracy") {
  // Bounds. The RMSE on the evaluation points must be below 0.01 (over seeds 1..100 it ranged
  // 0.0044-0.0091, median 0.0063). On 500 held-out random points the relative RMSE must be
  // below 0.02, the bound of Nengo's own LstsqL2 test (test_solvers.py,
  // test_decoder_solver: 100 LIF neurons, 1-D; seeds 1..100 here: 0.0074-0.0162). The largest
  // error sits at |x| -> 1, where regularisation pulls the estimate towards 0: it must be
  // below 0.06 (seeds 1..100: 0.016-0.048), and the estimate at x = +-1 must fall short.
  // Nengo's test also bounds every error by 0.015 + 0.001 |x|, for its own population (rates
  // 50-100 Hz, intercepts in (-1, 1)); with the defaults (intercepts up to 0.9) the edges
  // exceed that, in Nengo as here, so that bound is not used.
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const Ensemble e = nengo_ensemble(100, 1, seed);
    REQUIRE(e.eval_points.rows() == 750);
    const DecoderSolution s = solve(e, e.eval_points);
    REQUIRE(s.decoders.rows() == 100);
    REQUIRE(s.decoders.cols() == 1);
    CHECK_FALSE(s.transposed);

    const Eigen::MatrixXd test = uniform_hypersphere(500, 1, false, seed, hash_name("test"));
    const Eigen::MatrixXd error = activities_of(e, test) * s.decoders - test;
    const double test_relative = rms(error) / rms(test);
    Eigen::MatrixXd ends(2, 1);
    ends << -1, 1;
    const Eigen::MatrixXd at_ends = activities_of(e, ends) * s.decoders;
    INFO("seed " << seed << ": eval-point RMSE " << s.rmse << " (relative " << s.relative_rmse
                 << "), held-out relative RMSE " << test_relative << ", max |error| " << error.cwiseAbs().maxCoeff()
                 << ", decoded -1 -> " << at_ends(0, 0) << ", 1 -> " << at_ends(1, 0));
    CHECK(s.rmse < 0.01);
    CHECK(test_relative < 0.02);
    CHECK(error.cwiseAbs().maxCoeff() < 0.06);
    CHECK(at_ends(0, 0) > -1);
    CHECK(at_ends(1, 0) < 1);
    // Nengo's rmses: the per-column RMS of Y - A D over the evaluation points.
    CHECK(s.rmses[0] == Approx(rms(e.eval_points - activities_of(e, e.eval_points) * s.decoders)));
    CHECK(s.relative_rmse == Approx(s.rmse / rms(e.eval_points)));
  }
}

TEST_CASE("LstsqL2 agrees with dense solves of the same regularised problem to 1e-9") {
  // cond(A^T A + m sigma^2 I) <= 1 + |A|^2 / (m sigma^2) ~ 1e3..1e4 here, so the three
  // algorithms (Cholesky of the normal equations, full-pivot LU of them, QR of the augmented
  // system) agree to ~cond * 1e-16 ~ 1e-12; 1e-9 leaves a wide margin.
  const Ensemble e = nengo_ensemble(100, 2, 3);
  const Eigen::MatrixXd A = activities_of(e, e.eval_points);
  Eigen::MatrixXd Y(e.eval_points.rows(), 3);
  Y << e.eval_points, product(e.eval_points);
  const DecoderSolution s = solve_lstsq_l2(A, Y, 0.1);
  CHECK(s.sigma == Approx(0.1 * A.maxCoeff()).epsilon(1e-15));
  CHECK(rel_norm_diff(s.decoders, normal_equations_lu(A, Y, s.sigma)) < 1e-9);
  CHECK(rel_norm_diff(s.decoders, augmented_qr(A, Y, s.sigma)) < 1e-9);

  // Fewer points than neurons: Nengo's transposed form D = A^T (A A^T + m sigma^2 I)^-1 Y is
  // the same minimiser.
  const Eigen::MatrixXd A_fat = A.topRows(60);
  const Eigen::MatrixXd Y_fat = Y.topRows(60);
  const DecoderSolution fat = solve_lstsq_l2(A_fat, Y_fat, 0.1);
  CHECK(fat.transposed);
  CHECK(rel_norm_diff(fat.decoders, normal_equations_lu(A_fat, Y_fat, fat.sigma)) < 1e-9);
  CHECK(rel_norm_diff(fat.decoders, augmented_qr(A_fat, Y_fat, fat.sigma)) < 1e-9);
}

TEST_CASE("x^2 in 1-D and x0 * x1 in 2-D") {
  // No Nengo test fixes these numbers for its default ensembles, so the bounds are about 1.3
  // times the largest value over seeds 1..100 (measured when this test was written):
  // x^2, 100 neurons: RMSE 0.0084-0.0200, relative to rms(x^2) 0.019-0.045;
  // x0 * x1, 200 neurons (1000 points): RMSE 0.0118-0.0186, relative 0.058-0.091.
  // (Nengo's NNLS test on x^2 with 100 neurons asks for relative < 0.02, but for its own
  // population: rates 50-100 Hz, intercepts in (-1, 1).)
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const Ensemble e1 = nengo_ensemble(100, 1, seed);
    const DecoderSolution sq = solve(e1, square(e1.eval_points));
    const Ensemble e2 = nengo_ensemble(200, 2, seed);
    REQUIRE(e2.eval_points.rows() == 1000);
    const DecoderSolution prod = solve(e2, product(e2.eval_points));
    INFO("seed " << seed << ": x^2 RMSE " << sq.rmse << " (relative " << sq.relative_rmse << "); x0*x1 RMSE "
                 << prod.rmse << " (relative " << prod.relative_rmse << ")");
    CHECK(sq.rmse < 0.025);
    CHECK(sq.relative_rmse < 0.06);
    CHECK(prod.rmse < 0.025);
    CHECK(prod.relative_rmse < 0.12);
  }
}

TEST_CASE("Radius: scaling the space scales the decoders of the identity") {
  // The activities depend only on x / radius, so with points and targets scaled by the radius
  // the decoders scale by it exactly (up to rounding, 1e-12).
  const Ensemble unit = nengo_ensemble(50, 2, 4, 1.0);
  const Ensemble wide = nengo_ensemble(50, 2, 4, 2.5);
  const Eigen::MatrixXd A1 = activities_of(unit, unit.eval_points);
  const Eigen::MatrixXd A2 = activities_of(wide, wide.eval_points);
  CHECK(rel_norm_diff(A2, A1) < 1e-12);
  const DecoderSolution s1 = solve(unit, unit.eval_points);
  const DecoderSolution s2 = solve(wide, wide.eval_points);
  CHECK(rel_norm_diff(s2.decoders, 2.5 * s1.decoders) < 1e-12);
  CHECK(s2.relative_rmse == Approx(s1.relative_rmse).epsilon(1e-9));
}

TEST_CASE("More regularisation: larger error on the evaluation points, smaller decoders") {
  // For ridge regression both are monotone in lambda (a theorem, not a tendency), so each step
  // must move the right way; 1e-12 relative slack only absorbs rounding.
  const Ensemble e = nengo_ensemble(100, 1, 5);
  const Eigen::MatrixXd A = activities_of(e, e.eval_points);
  double last_rmse = 0, last_norm = HUGE_VAL;
  for (double reg : {0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0}) {
    const DecoderSolution s = solve_lstsq_l2(A, e.eval_points, reg);
    const double norm = s.decoders.norm();
    INFO("reg " << reg << ": RMSE " << s.rmse << ", |D| " << norm);
    CHECK(s.rmse >= last_rmse * (1 - 1e-12));
    CHECK(norm <= last_norm * (1 + 1e-12));
    last_rmse = s.rmse;
    last_norm = norm;
  }
  // And strictly between the ends.
  CHECK(solve_lstsq_l2(A, e.eval_points, 1.0).rmse > 2 * solve_lstsq_l2(A, e.eval_points, 0.01).rmse);
}

TEST_CASE("Decoders for other neuron types: rate curves enter through the activities") {
  // RectifiedLinear, LIFRate and SoftLIFRate tuning curves also decode x; bounds as for LIF
  // (Nengo's 0.02 relative), which smooth or piecewise-linear curves meet easily.
  for (const NeuronType& type : {NeuronType::rectified_linear(), NeuronType::lif_rate(), NeuronType::soft_lif_rate()}) {
    const Ensemble e = nengo_ensemble(100, 1, 6, 1.0, type);
    const DecoderSolution s = solve(e, e.eval_points);
    INFO(kind_name(type.kind) << ": relative RMSE " << s.relative_rmse);
    CHECK(s.relative_rmse < 0.02);
  }
}

TEST_CASE("LstsqL2 rejects impossible problems") {
  const Eigen::MatrixXd A = Eigen::MatrixXd::Ones(4, 2);
  CHECK_THROWS_AS(solve_lstsq_l2(A, Eigen::MatrixXd::Ones(3, 1)), std::invalid_argument);
  CHECK_THROWS_AS(solve_lstsq_l2(A, Eigen::MatrixXd::Ones(4, 1), -0.1), std::invalid_argument);
  CHECK_THROWS_AS(solve_lstsq_l2(Eigen::MatrixXd(0, 0), Eigen::MatrixXd(0, 1)), std::invalid_argument);
  // reg 0 with two identical columns: LLT fails, LDLT still solves the singular system
  // consistently or the call reports it; either way no NaN decoders come back.
  try {
    const DecoderSolution s = solve_lstsq_l2(A, Eigen::MatrixXd::Ones(4, 1), 0.0);
    CHECK(s.decoders.allFinite());
  } catch (const std::runtime_error&) {
    SUCCEED("singular system reported");
  }
  CHECK_THROWS_AS(activities(NeuronType::lif(), Eigen::MatrixXd::Ones(3, 2), Eigen::MatrixXd::Ones(4, 3),
                             Eigen::ArrayXd::Ones(4), Eigen::ArrayXd::Ones(4)),
                  std::invalid_argument);
}
