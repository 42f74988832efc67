// Lowpass and Alpha synapse coefficients against the continuous responses they discretise and
// against Nengo's own construction (zero-order-hold state space, input advanced one step).
//
// Tolerances: 1e-12 absolute on responses bounded by 1 (a few thousand multiply-adds of
// numbers <= 1 accumulate rounding of order 1e-14); coefficients that are one library call
// are checked to 1e-15.

#include "runtime/nef/synapses.h"

#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <unsupported/Eigen/MatrixFunctions>
#include <vector>

using namespace axon::nef;

namespace {

/// Runs the Alpha difference equation on the input u from a zero state.
std::vector<double> run_alpha(const AlphaCoefficients& c, const std::vector<double>& u) {
  std::vector<double> y(u.size());
  double y1 = 0, y2 = 0, u1 = 0;
  for (size_t n = 0; n < u.size(); ++n) {
    y[n] = c.a1 * y1 - c.a2 * y2 + c.b0 * u[n] + c.b1 * u1;
    y2 = y1;
    y1 = y[n];
    u1 = u[n];
  }
  return y;
}

double alpha_step_response(double t, double tau) { return 1 - (1 + t / tau) * std::exp(-t / tau); }

}  // namespace

TEST_CASE("Lowpass: a = exp(-dt/tau), b = 1 - a, step response sampled one step ahead") {
  const double tau = 0.005, dt = 0.001;
  const LowpassCoefficients c = lowpass_zoh(tau, dt);
  CHECK(c.a == Approx(std::exp(-0.2)).epsilon(1e-15));
  CHECK(std::fabs(c.b - (1 - c.a)) < 1e-15);
  double y = 0;
  double worst = 0;
  for (int n = 0; n < 2000; ++n) {
    y = c.a * y + c.b * 1.0;
    worst = std::max(worst, std::fabs(y - (1 - std::exp(-(n + 1) * dt / tau))));
  }
  INFO("max |y[n] - (1 - exp(-(n+1) dt/tau))| = " << worst);
  CHECK(worst < 1e-12);
}

TEST_CASE("Lowpass: tau = 0 passes the input through, bad arguments are rejected") {
  const LowpassCoefficients c = lowpass_zoh(0, 0.001);
  CHECK(c.a == 0);
  CHECK(c.b == 1);
  CHECK_THROWS_AS(lowpass_zoh(-0.01, 0.001), std::invalid_argument);
  CHECK_THROWS_AS(lowpass_zoh(0.01, 0), std::invalid_argument);
  CHECK_THROWS_AS(lowpass_zoh(NAN, 0.001), std::invalid_argument);
}

TEST_CASE("Alpha: step and impulse responses are the continuous ones sampled one step ahead") {
  for (double tau : {0.002, 0.005, 0.1}) {
    const double dt = 0.001;
    const AlphaCoefficients c = alpha_zoh(tau, dt);
    const double a = std::exp(-dt / tau);
    CHECK(c.a1 == Approx(2 * a).epsilon(1e-15));
    CHECK(c.a2 == Approx(a * a).epsilon(1e-15));
    CHECK((c.b0 + c.b1) / ((1 - a) * (1 - a)) == Approx(1).epsilon(1e-12));  // DC gain

    const size_t steps = 3000;
    const std::vector<double> step = run_alpha(c, std::vector<double>(steps, 1.0));
    std::vector<double> impulse_in(steps, 0.0);
    impulse_in[0] = 1;
    const std::vector<double> impulse = run_alpha(c, impulse_in);
    double worst_step = 0, worst_impulse = 0;
    for (size_t n = 0; n < steps; ++n) {
      const double s1 = alpha_step_response(double(n + 1) * dt, tau);
      const double s0 = alpha_step_response(double(n) * dt, tau);
      worst_step = std::max(worst_step, std::fabs(step[n] - s1));
      worst_impulse = std::max(worst_impulse, std::fabs(impulse[n] - (s1 - s0)));
    }
    INFO("tau " << tau << ": step error " << worst_step << ", impulse error " << worst_impulse);
    CHECK(worst_step < 1e-12);
    CHECK(worst_impulse < 1e-12);
  }
}

TEST_CASE("Alpha: equals Nengo's zero-order-hold state space stepped with the input advanced") {
  // H(s) = 1 / (tau^2 s^2 + 2 tau s + 1) in controllable canonical form (scipy's tf2ss):
  // A = [[-2/tau, -1/tau^2], [1, 0]], B = [1, 0]^T, C = [0, 1/tau^2]. Zero-order hold:
  // expm([[A, B], [0, 0]] dt) = [[Ad, Bd], [0, 1]]. Nengo's "NoD" step:
  // x[n] = Ad x[n-1] + Bd u[n], y[n] = C x[n].
  const double tau = 0.005, dt = 0.001;
  Eigen::Matrix3d M = Eigen::Matrix3d::Zero();
  M(0, 0) = -2 / tau;
  M(0, 1) = -1 / (tau * tau);
  M(1, 0) = 1;
  M(0, 2) = 1;
  const Eigen::Matrix3d E = (M * dt).exp();
  const Eigen::Matrix2d Ad = E.topLeftCorner<2, 2>();
  const Eigen::Vector2d Bd = E.topRightCorner<2, 1>();
  const Eigen::RowVector2d C(0, 1 / (tau * tau));

  std::vector<double> u(500);
  for (size_t n = 0; n < u.size(); ++n) u[n] = std::sin(0.05 * double(n)) + (n % 37 == 0 ? 1 : 0);
  const std::vector<double> y = run_alpha(alpha_zoh(tau, dt), u);
  Eigen::Vector2d x = Eigen::Vector2d::Zero();
  double worst = 0;
  for (size_t n = 0; n < u.size(); ++n) {
    x = Ad * x + Bd * u[n];
    worst = std::max(worst, std::fabs(C * x - y[n]));
  }
  INFO("max difference from the state-space form: " << worst);
  CHECK(worst < 1e-12);
}

TEST_CASE("Alpha: tau = 0 passes the input through, bad arguments are rejected") {
  const AlphaCoefficients c = alpha_zoh(0, 0.001);
  CHECK(c.a1 == 0);
  CHECK(c.a2 == 0);
  CHECK(c.b0 == 1);
  CHECK(c.b1 == 0);
  CHECK_THROWS_AS(alpha_zoh(-1, 0.001), std::invalid_argument);
  CHECK_THROWS_AS(alpha_zoh(0.005, -0.001), std::invalid_argument);
}
