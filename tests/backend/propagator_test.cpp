// Accuracy of the exact propagator itself (compiler/passes/propagator.h) on systems
// whose input columns are scaled very differently from A, as in every model with SI
// units: a LIF has A = -1/tau = -100 /s but B = R/tau = 1e9 ohm/s.
#include <catch2/catch.hpp>
#include <cmath>

#include "compiler/passes/propagator.h"

TEST_CASE("exact propagator of a LIF in SI units is accurate to ~1e-15", "[backend][propagator]") {
  const double dt = 1e-4, tau = 10e-3, R = 10e6, v_rest = -65e-3;
  Eigen::MatrixXd A(1, 1), B(1, 1);
  Eigen::VectorXd c(1);
  A << -1 / tau;
  B << R / tau;
  c << v_rest / tau;
  axon::passes::Propagator p = axon::passes::exact_propagator(A, B, c, dt);
  // Closed forms: Phi = e^{-dt/tau}; Gamma = R (1 - Phi); gamma = v_rest (1 - Phi).
  const double phi = std::exp(-dt / tau), one_minus = -std::expm1(-dt / tau);
  double e_phi = std::abs(p.Phi(0, 0) - phi) / phi;
  double e_Gamma = std::abs(p.Gamma(0, 0) - R * one_minus) / (R * one_minus);
  double e_gamma = std::abs(p.gamma(0) - v_rest * one_minus) / std::abs(v_rest * one_minus);
  // A few ulp: the Pade approximant and the squarings of a matrix of norm ~1 round at
  // ~1e-16 each. Unscaled, the augmented matrix has norm 1e5 * dt-scaled entries and
  // scaling and squaring loses three digits (1.8e-12 in Gamma, 3e-14 in Phi), which
  // over a 138-step LIF segment grew to 3.6e-12 in v.
  CHECK(e_phi <= 1e-14);
  CHECK(e_Gamma <= 1e-14);
  CHECK(e_gamma <= 1e-14);
  WARN("LIF propagator relative errors: Phi " << e_phi << ", Gamma " << e_Gamma << ", gamma " << e_gamma);
}

TEST_CASE("exact propagator with a zero input column and a singular A", "[backend][propagator]") {
  // x1' = x2 + 0 * u + 3, x2' = -2 x2: A singular, B zero, c only in row 1.
  Eigen::MatrixXd A(2, 2), B = Eigen::MatrixXd::Zero(2, 1);
  Eigen::VectorXd c(2);
  A << 0, 1, 0, -2;
  c << 3, 0;
  const double dt = 0.1;
  axon::passes::Propagator p = axon::passes::exact_propagator(A, B, c, dt);
  const double e = std::exp(-2 * dt);
  CHECK(p.Phi(0, 0) == Approx(1).epsilon(1e-15));
  CHECK(p.Phi(0, 1) == Approx((1 - e) / 2).epsilon(1e-14));
  CHECK(p.Phi(1, 1) == Approx(e).epsilon(1e-15));
  CHECK(p.Phi(1, 0) == 0);
  CHECK(p.Gamma.cwiseAbs().maxCoeff() == 0);
  CHECK(p.gamma(0) == Approx(3 * dt).epsilon(1e-15));
  CHECK(p.gamma(1) == 0);
}
