// Explicit integrators on nonlinear ODEs, compared with their recurrences computed here.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "backend_util.h"

namespace bt = axon::backend_test;

namespace {

// dt = 0.0001 s and tau = 1 ms are what the engine sees in SI: 0.0001 s is the double
// nearest 1e-4 (times 1 s), 1 ms is 1 * 0.001, the double nearest 1e-3. Writing dt in
// seconds keeps the test free of how "0.1 ms" rounds when scaled to seconds.
constexpr double kDt = 0.0001;
constexpr double kTau = 0.001;
constexpr int kSteps = 3000;

std::vector<std::vector<double>> run_traces(const std::string& text, const std::vector<std::string>& vars) {
  bt::TempDir dir;
  axon::engine::RunRequest req;
  req.output = dir.file("out.h5");
  bt::RunResult r = bt::run_model_text("nonlinear.axon", text, req);
  INFO(text);
  INFO(r.diagnostics);
  REQUIRE(r.status == axon::engine::RunStatus::Ok);
  REQUIRE(r.summary.steps_done == kSteps);
  bt::H5Id file(bt::h5_open(req.output), H5Fclose, req.output);
  std::vector<std::vector<double>> out;
  for (const std::string& v : vars) {
    std::string path = "/report/N/" + v + "/data";
    REQUIRE(bt::h5_dims(file, path) == std::vector<hsize_t>{kSteps, 1});
    out.push_back(bt::h5_doubles(file, path));
  }
  return out;
}

std::string network(const std::string& neuron, const std::vector<std::string>& vars) {
  std::string s = "network NL {\n  population N = " + neuron + "[1]\n";
  for (const std::string& v : vars) s += "  probe N." + v + "\n";
  return s + "}\nrun NL { duration = 0.3 s; dt = 0.0001 s }\n";
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

double rel(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

}  // namespace

// Euler's recurrence x_{k+1} = x_k + dt * f(x_k) is the same sequence of IEEE
// operations here and in the kernel: f is emitted as written ((1 - x*x) / tau, x^2
// being emitted as x*x), no fast-math flags and no FMA contraction (runtime/jit/jit.h),
// and this file is compiled in ISO C++ mode (no -ffp-contract=fast, no -march). So the
// sample sequences must agree bit for bit; any difference means the kernel computes
// something else (other operation order, a wrong dt, a state updated from a new value).
TEST_CASE("euler on x' = (1 - x^2) / tau is bit-identical to its recurrence", "[backend][euler]") {
  std::string text =
      "neuron Sat {\n  parameter tau = 1 ms\n  state x = -0.5\n  method euler\n"
      "  x' = (1 - x^2) / tau\n}\n" +
      network("Sat", {"x"});
  auto ours = run_traces(text, {"x"})[0];
  double x = -0.5;
  int differing = 0;
  double worst = 0;
  for (int k = 0; k < kSteps; ++k) {
    if (!same_bits(ours[k], x)) ++differing;
    worst = std::max(worst, rel(ours[k], x));
    x = x + kDt * ((1 - x * x) / kTau);
  }
  INFO("max relative difference " << worst);
  CHECK(differing == 0);
  WARN("euler x' = (1 - x^2)/tau: " << differing << " samples differ, max relative error " << worst);
}

// Two coupled states (FitzHugh-Nagumo): Euler must evaluate both derivatives from the
// old values before writing either; updating v first and then w from the new v would
// differ from the recurrence after the first step.
TEST_CASE("euler on FitzHugh-Nagumo updates both states from the old values", "[backend][euler]") {
  std::string text =
      "neuron FHN {\n  parameter tau = 1 ms\n  parameter a = 0.7\n  parameter b = 0.8\n"
      "  parameter eps = 0.08\n  parameter I0 = 0.5\n"
      "  state v = -1.2\n  state w = 0.3\n  method euler\n"
      "  v' = (v - v^3 / 3 - w + I0) / tau\n"
      "  w' = eps * (v + a - b * w) / tau\n}\n" +
      network("FHN", {"v", "w"});
  auto ours = run_traces(text, {"v", "w"});
  double v = -1.2, w = 0.3;
  const double a = 0.7, b = 0.8, eps = 0.08, I0 = 0.5;
  int differing = 0;
  double worst = 0;
  for (int k = 0; k < kSteps; ++k) {
    if (!same_bits(ours[0][k], v) || !same_bits(ours[1][k], w)) ++differing;
    worst = std::max({worst, rel(ours[0][k], v), rel(ours[1][k], w)});
    double fv = (v - v * v * v / 3 - w + I0) / kTau;
    double fw = eps * (v + a - b * w) / kTau;
    v = v + kDt * fv;
    w = w + kDt * fw;
  }
  INFO("max relative difference " << worst);
  CHECK(differing == 0);
  WARN("euler FitzHugh-Nagumo: " << differing << " samples differ, max relative error " << worst);
}

// RK4 on the logistic equation. The way the four stages are combined
// (k1 + 2 k2 + 2 k3 + k4, times dt/6) is an implementation choice that may round
// differently from this one, by about an ulp per step; those errors do not grow in this
// contracting system, so 1e-12 relative is far above them and far below the error of
// a wrong scheme (RK2 instead of RK4 differs here by ~1e-6, Euler by ~1e-3).
TEST_CASE("rk4 on the logistic equation matches its recurrence to 1e-12", "[backend][rk4]") {
  std::string text =
      "neuron Logistic {\n  parameter tau = 1 ms\n  state x = 0.01\n  method rk4\n"
      "  x' = x * (1 - x) / tau\n}\n" +
      network("Logistic", {"x"});
  auto ours = run_traces(text, {"x"})[0];
  auto f = [](double x) { return x * (1 - x) / kTau; };
  double x = 0.01, worst = 0;
  for (int k = 0; k < kSteps; ++k) {
    worst = std::max(worst, rel(ours[k], x));
    double k1 = f(x), k2 = f(x + kDt / 2 * k1), k3 = f(x + kDt / 2 * k2), k4 = f(x + kDt * k3);
    x = x + kDt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  CHECK(worst <= 1e-12);
  WARN("rk4 logistic: max relative error " << worst);
}
