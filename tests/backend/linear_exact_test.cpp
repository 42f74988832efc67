// Exact integration of linear constant-coefficient systems: random stable 2- and 3-state
// systems written as .axon text, run through the whole pipeline (front end, lowering,
// classification, propagators, JIT kernels, engine, HDF5), compared with the solution
// x(t_k) = e^{A t_k} x0 + (integral of e^{A s} c over [0, t_k]) computed here with Eigen
// directly at each t_k (never by stepping), or in closed form.
#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <random>
#include <sstream>
#include <unsupported/Eigen/MatrixFunctions>

#include "backend_util.h"

namespace bt = axon::backend_test;

namespace {

constexpr double kDtMs = 0.1;
constexpr int kSteps = 2000;  // 200 ms

// x' = (A x + c) / ms over dimensionless states x1..xn, every state probed.
std::string linear_model(const Eigen::MatrixXd& A, const Eigen::VectorXd& c, const Eigen::VectorXd& x0) {
  const int n = static_cast<int>(A.rows());
  std::ostringstream s;
  s << "neuron Lin {\n";
  for (int i = 0; i < n; ++i) s << "  state x" << i + 1 << " = " << bt::full(x0(i)) << "\n";
  for (int i = 0; i < n; ++i) {
    s << "  x" << i + 1 << "' = (";
    for (int j = 0; j < n; ++j) s << "(" << bt::full(A(i, j)) << ") * x" << j + 1 << " + ";
    s << "(" << bt::full(c(i)) << ")) / ms\n";
  }
  s << "}\n\nnetwork LinNet {\n  population L = Lin[1]\n";
  for (int i = 0; i < n; ++i) s << "  probe L.x" << i + 1 << "\n";
  s << "}\n\nrun LinNet { duration = " << kSteps * kDtMs << " ms; dt = " << kDtMs << " ms }\n";
  return s.str();
}

// Runs `text` and returns the probed trace of each listed state of population `pop`
// (values as written, rows = samples).
std::vector<std::vector<double>> run_and_read(const std::string& text, const std::string& pop,
                                              const std::vector<std::string>& vars) {
  bt::TempDir dir;
  axon::engine::RunRequest req;
  req.output = dir.file("out.h5");
  bt::RunResult r = bt::run_model_text("linear.axon", text, req);
  INFO(text);
  INFO(r.diagnostics);
  REQUIRE(r.status == axon::engine::RunStatus::Ok);
  REQUIRE(r.summary.steps_done == kSteps);
  bt::H5Id file(bt::h5_open(req.output), H5Fclose, req.output);
  std::vector<std::vector<double>> traces;
  for (const std::string& v : vars) {
    std::string path = "/report/" + pop + "/" + v + "/data";
    REQUIRE(bt::h5_dims(file, path) == std::vector<hsize_t>{kSteps, 1});
    traces.push_back(bt::h5_doubles(file, path));
  }
  return traces;
}

// The largest |ours - reference| over all samples and states, relative to the largest
// |reference| of the trajectory. Components cross zero, so a pointwise relative error
// is meaningless there; the rounding errors of stepping are relative to the size of
// the state vector, which this scale measures.
double scaled_error(const std::vector<std::vector<double>>& ours,
                    const std::function<Eigen::VectorXd(double t_ms)>& reference) {
  double scale = 0, err = 0;
  for (int k = 0; k < kSteps; ++k) {
    Eigen::VectorXd x = reference(k * kDtMs);
    scale = std::max(scale, x.cwiseAbs().maxCoeff());
    for (size_t i = 0; i < ours.size(); ++i) err = std::max(err, std::abs(ours[i][k] - x(i)));
  }
  REQUIRE(scale > 0);
  return err / scale;
}

// e^{At}(x0 + A^{-1}c) - A^{-1}c: the solution for an invertible A (t and A in ms).
std::function<Eigen::VectorXd(double)> invertible_solution(const Eigen::MatrixXd& A, const Eigen::VectorXd& c,
                                                           const Eigen::VectorXd& x0) {
  Eigen::VectorXd shift = A.fullPivLu().solve(c);  // A^{-1} c
  return [=](double t) -> Eigen::VectorXd {
    Eigen::MatrixXd At = A * t;
    Eigen::MatrixXd E = At.exp();
    return E * (x0 + shift) - shift;
  };
}

std::vector<std::string> state_names(int n) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back("x" + std::to_string(i + 1));
  return names;
}

// Tolerance of every exact-integration comparison: the engine steps x <- Phi x + gamma
// 2000 times; each step rounds at the level of eps * |x| (~1e-16), and in a stable
// system those errors add up at most linearly (2000 * 1e-16 = 2e-13), the matrix
// exponential itself is accurate to ~1e-15. 1e-9 leaves a wide margin for that and
// still fails for any wrong propagator entry (an Euler step instead of the exact one
// is off by ~1e-3 here, a wrong dt or a transposed A by far more).
constexpr double kTolerance = 1e-9;

}  // namespace

TEST_CASE("exact integration of random stable linear systems matches e^{At}", "[backend][exact]") {
  for (int n : {2, 3}) {
    for (unsigned seed : {1u, 2u, 3u, 4u}) {
      std::mt19937_64 rng(seed * 7919 + n);
      std::uniform_real_distribution<double> u(-1, 1);
      Eigen::MatrixXd M(n, n), S(n, n);
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
          M(i, j) = u(rng);
          S(i, j) = u(rng);
        }
      // A negative definite symmetric part keeps every eigenvalue in the left half
      // plane; the skew part (odd seeds) makes the system rotate (complex eigenvalues).
      Eigen::MatrixXd A = -0.2 * (M * M.transpose() + 0.05 * Eigen::MatrixXd::Identity(n, n));
      if (seed % 2 == 1) A += 0.3 * (S - S.transpose());
      Eigen::VectorXd c(n), x0(n);
      for (int i = 0; i < n; ++i) {
        c(i) = u(rng);
        x0(i) = u(rng);
      }
      for (auto ev : A.eigenvalues()) REQUIRE(ev.real() < 0);
      std::string text = linear_model(A, c, x0);
      auto ours = run_and_read(text, "L", state_names(n));
      double err = scaled_error(ours, invertible_solution(A, c, x0));
      INFO("n = " << n << ", seed = " << seed << "\n" << text);
      CHECK(err <= kTolerance);
      WARN("exact " << n << "-state seed " << seed << ": max scaled error " << err);
    }
  }
}

TEST_CASE("exact integration with prescribed real eigenvalues (non-normal A)", "[backend][exact]") {
  // A = V D V^{-1} with negative real D spread over two decades, V random: a non-normal
  // matrix whose transients grow before they decay.
  for (unsigned seed : {11u, 12u}) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1, 1);
    Eigen::MatrixXd V(3, 3);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) V(i, j) = u(rng) + (i == j ? 2.0 : 0.0);
    Eigen::Vector3d d(-0.01, -0.15, -0.9);
    Eigen::MatrixXd A = V * d.asDiagonal() * V.inverse();
    Eigen::VectorXd c(3), x0(3);
    for (int i = 0; i < 3; ++i) {
      c(i) = u(rng);
      x0(i) = u(rng);
    }
    std::string text = linear_model(A, c, x0);
    auto ours = run_and_read(text, "L", state_names(3));
    double err = scaled_error(ours, invertible_solution(A, c, x0));
    INFO(text);
    CHECK(err <= kTolerance);
    WARN("exact 3-state V D V^-1 seed " << seed << ": max scaled error " << err);
  }
}

TEST_CASE("exact integration of singular systems (leak-free integrators)", "[backend][exact]") {
  SECTION("x' = c: a pure integrator, A = 0") {
    const double c = 0.37, x0 = -0.8;
    std::string text = "neuron Integ {\n  state x1 = " + bt::full(x0) + "\n  x1' = " + bt::full(c) +
                       " / ms\n}\n"
                       "network IntegNet {\n  population L = Integ[1]\n  probe L.x1\n}\n"
                       "run IntegNet { duration = 200 ms; dt = 0.1 ms }\n";
    auto ours = run_and_read(text, "L", {"x1"});
    double err = scaled_error(ours, [&](double t) {
      Eigen::VectorXd x(1);
      x(0) = x0 + c * t;
      return x;
    });
    INFO(text);
    CHECK(err <= kTolerance);
    WARN("exact x' = c: max scaled error " << err);
  }
  SECTION("x1' = x2 + c1, x2' = -a x2 + c2: singular but not zero") {
    const double a = 0.2, c1 = -0.3, c2 = 0.05, x10 = 0.4, x20 = -0.6;
    Eigen::MatrixXd A(2, 2);
    A << 0, 1, 0, -a;
    Eigen::VectorXd c(2), x0(2);
    c << c1, c2;
    x0 << x10, x20;
    std::string text = linear_model(A, c, x0);
    auto ours = run_and_read(text, "L", {"x1", "x2"});
    // Closed form: x2 relaxes to x2* = c2 / a; x1 integrates x2 + c1.
    const double x2s = c2 / a;
    double err = scaled_error(ours, [&](double t) {
      Eigen::VectorXd x(2);
      double decay = std::exp(-a * t);
      x(1) = x2s + (x20 - x2s) * decay;
      x(0) = x10 + (x2s + c1) * t + (x20 - x2s) * (1 - decay) / a;
      return x;
    });
    INFO(text);
    CHECK(err <= kTolerance);
    WARN("exact singular 2-state: max scaled error " << err);
  }
}

TEST_CASE("exact integration with equal time constants (defective A)", "[backend][exact]") {
  // A current-based LIF without threshold, tau_m == tau_syn: A = [[-1/tau, 1/tau],
  // [0, -1/tau]] has one eigenvalue twice and a single eigenvector, the case where
  // formulas with 1/(tau_m - tau_syn) (NEST's iaf_psc_exp) divide by zero. Solution:
  //   s(t) = s0 e^{-t/tau},  v(t) - v_rest = (v0 - v_rest + s0 t / tau) e^{-t/tau}.
  const double tau = 10, v_rest = -65, v0 = -70, s0 = 12;  // ms, mV
  std::string text =
      "neuron Lif2 {\n"
      "  parameter tau_m = 10 ms\n"
      "  parameter tau_syn = 10 ms\n"
      "  parameter v_rest = -65 mV\n"
      "  state v : mV = -70 mV\n"
      "  state s : mV = 12 mV\n"
      "  v' = (v_rest - v + s) / tau_m\n"
      "  s' = -s / tau_syn\n"
      "}\n"
      "network Lif2Net {\n  population N = Lif2[1]\n  probe N.v\n  probe N.s\n}\n"
      "run Lif2Net { duration = 200 ms; dt = 0.1 ms }\n";
  auto ours = run_and_read(text, "N", {"v", "s"});
  auto closed = [&](double t) {
    Eigen::VectorXd x(2);
    double e = std::exp(-t / tau);
    x(0) = v_rest + (v0 - v_rest + s0 * t / tau) * e;
    x(1) = s0 * e;
    return x;
  };
  // Here v never comes near 0 (it stays within [-70, -60] mV): the scale is |v| ~ 65.
  double err = scaled_error(ours, closed);
  CHECK(err <= kTolerance);
  // The same system through Eigen's matrix exponential (in mV and ms).
  Eigen::MatrixXd A(2, 2);
  A << -1 / tau, 1 / tau, 0, -1 / tau;
  Eigen::VectorXd c(2), x0(2);
  c << v_rest / tau, 0;
  x0 << v0, s0;
  double err_expm = scaled_error(ours, invertible_solution(A, c, x0));
  CHECK(err_expm <= kTolerance);
  WARN("exact tau_m == tau_syn: max scaled error " << err << " (closed form), " << err_expm << " (expm)");
}
