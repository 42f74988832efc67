// The integrators the neuron library needs beyond exact and Runge-Kutta: exponential
// Euler (per variable, conditionally linear equations) and Euler-Maruyama for white
// noise `xi`, against closed forms and statistics; and their errors (E091).
#include <cmath>
#include <numeric>

#include "neuron_test_util.h"

namespace nt = axon::neuron_test;

namespace {

const axon::io::Trace& trace_of(const axon::io::TraceFile& f, const std::string& name) {
  for (const axon::io::Trace& t : f.traces)
    if (t.name() == name) return t;
  FAIL("no trace " << name << " in " << f.path);
  return f.traces.front();
}

// Runs `text` and returns the file's traces.
axon::io::TraceFile run(const std::string& name, const std::string& text, const std::vector<std::string>& sets = {}) {
  nt::TempDir dir;
  nt::run_program(name, text, dir.file("out.h5"), sets);
  return axon::io::read_trace_file(dir.file("out.h5"));
}

}  // namespace

TEST_CASE("exponential Euler is exact for one linear equation with constant coefficients",
          "[neurons][integrators][exponential_euler]") {
  // x' = alpha (1 - x) - beta x (a gating variable at a clamped voltage): a = -(alpha +
  // beta), b = alpha, and exponential Euler is the exact solution
  // x(t) = x_inf + (x0 - x_inf) exp(-(alpha + beta) t). Same formula in float64 on
  // both sides, 2000 steps: 1e-12.
  axon::io::TraceFile f = run("gate.axon", R"(
neuron Gate {
  parameter alpha = 300 Hz
  parameter beta = 100 Hz
  state x = 0.9
  method exponential_euler
  x' = alpha * (1 - x) - beta * x
}
network G { population N = Gate[1]; probe N.x }
run G { steps = 2000; dt = 0.01 ms }
)");
  const axon::io::Trace& x = trace_of(f, "N/x");
  std::vector<double> expected(x.samples()), got(x.samples());
  for (size_t k = 0; k < x.samples(); ++k) {
    double t = k * 1e-5;
    expected[k] = 0.75 + (0.9 - 0.75) * std::exp(-400.0 * t);
    got[k] = x.at(k, 0);
  }
  double err = nt::range_error(got, expected);
  CHECK(err <= 1e-12);
  WARN("exponential Euler on a gate: max error " << err << " of the range");
}

TEST_CASE("exponential Euler steps each variable from the old values of the others",
          "[neurons][integrators][exponential_euler]") {
  // v' = (E - v) g / C with g' = -g / tau: v's coefficient a = -g / C uses g at the start
  // of the step. One step from v0, g0: v1 = E + (v0 - E) exp(-g0 dt / C),
  // g1 = g0 exp(-dt / tau). Checked step by step against that recurrence.
  axon::io::TraceFile f = run("cond.axon", R"(
neuron Cond {
  parameter C = 200 pF
  parameter E = 0 mV
  parameter tau = 5 ms
  state v = -70 mV
  state g : nS = 20 nS
  method exponential_euler
  v' = g * (E - v) / C
  g' = -g / tau
}
network G { population N = Cond[1]; probe N.v; probe N.g }
run G { steps = 300; dt = 0.1 ms }
)");
  const axon::io::Trace& v = trace_of(f, "N/v");
  const axon::io::Trace& g = trace_of(f, "N/g");
  double vs = nt::unit_scale(v.unit), gs = nt::unit_scale(g.unit);
  double vk = -70e-3, gk = 20e-9, worst = 0;
  for (size_t k = 0; k < v.samples(); ++k) {
    worst = std::max(worst, std::abs(v.at(k, 0) * vs - vk) / 70e-3);
    worst = std::max(worst, std::abs(g.at(k, 0) * gs - gk) / 20e-9);
    double a = -gk / 200e-12;
    vk = 0 + (vk - 0) * std::exp(a * 1e-4);
    gk = gk * std::exp(-1e-4 / 5e-3);
  }
  CHECK(worst <= 1e-12);
}

TEST_CASE("exponential Euler falls back to Euler where a == 0", "[neurons][integrators][exponential_euler]") {
  // x' = k x + c: with k = 0 (set at run time) the formula -b/a + ... would divide by 0;
  // the step is x + c dt instead.
  const char* text = R"(
neuron Drift {
  parameter k = -10 Hz
  parameter c = 5 Hz
  state x = 1
  method exponential_euler
  x' = k * x + c
}
network G { population N = Drift[1]; probe N.x }
run G { steps = 100; dt = 1 ms }
)";
  axon::io::TraceFile f = run("drift.axon", text, {"N.k=0 Hz"});
  const axon::io::Trace& x = trace_of(f, "N/x");
  for (size_t k = 0; k < x.samples(); ++k) CHECK(x.at(k, 0) == Approx(1 + 5e-3 * k).epsilon(1e-12));
  axon::io::TraceFile g = run("drift.axon", text);
  const axon::io::Trace& y = trace_of(g, "N/x");
  // k = -10 Hz: exact decay to c / -k = 0.5.
  for (size_t k = 0; k < y.samples(); ++k)
    CHECK(y.at(k, 0) == Approx(0.5 + 0.5 * std::exp(-10.0 * 1e-3 * k)).epsilon(1e-12));
}

TEST_CASE("exponential Euler on an equation that is not conditionally linear is E091",
          "[neurons][integrators][exponential_euler][diagnostics]") {
  std::string errors = nt::program_errors("izh.axon", R"(
neuron Izh {
  input I
  state v = -65
  state u = -13
  method exponential_euler
  v' = (0.04 * v^2 + 5 * v + 140 - u + I) / ms
  u' = 0.02 * (0.2 * v - u) / ms
}
network G { population N = Izh[1] }
run G { steps = 10; dt = 0.1 ms }
)");
  INFO(errors);
  CHECK(errors.find("error[E091]") != std::string::npos);
  CHECK(errors.find("model 'Izh' asks for exponential_euler, but the equation of v is not conditionally linear in v") !=
        std::string::npos);
  CHECK(errors.find("(v ^ 2)") != std::string::npos);      // the term, named
  CHECK(errors.find("izh.axon:4:") != std::string::npos);  // at the declaration of v
  // u' is conditionally linear in u: no error for it.
  CHECK(errors.find("equation of u") == std::string::npos);
}

TEST_CASE("the IR dump shows the exponential Euler coefficients and Euler-Maruyama", "[neurons][integrators]") {
  std::string ir = nt::emit_ir("hh.axon", R"(import neurons.hh
network G { population N = HH[1] }
run G { steps = 10; dt = 0.1 ms }
)");
  CHECK(ir.find("integrator: exponential_euler (declared by the model)") != std::string::npos);
  CHECK(ir.find("m' = a * m + b, a = ") != std::string::npos);
  std::string em = nt::emit_ir("ou.axon", R"(
neuron OU {
  parameter tau = 10 ms
  parameter sigma = 2 mV
  state v = 0 mV
  v' = -v / tau + sigma * sqrt(2 / tau) * xi
}
network G { population N = OU[1] }
run G { steps = 10; dt = 0.1 ms }
)");
  INFO(em);
  CHECK(em.find("integrator: euler_maruyama (white noise xi: Euler-Maruyama)") != std::string::npos);
  CHECK(em.find("* xi [randn#0]") != std::string::npos);
}

namespace {

// An Ornstein-Uhlenbeck process per neuron: v' = -v / tau + sigma sqrt(2 / tau) xi,
// stationary standard deviation sigma. Returns (mean, variance) over neurons and the
// samples of the last `window` seconds, in V and V^2.
std::pair<double, double> ou_moments(double dt_ms, uint64_t seed, std::vector<double>* last_row = nullptr) {
  std::string text = R"(
neuron OU {
  parameter tau = 10 ms
  parameter sigma = 2 mV
  state v = 0 mV
  v' = -v / tau + sigma * sqrt(2 / tau) * xi
}
network G { population N = OU[2000]; probe N.v every 1 ms }
run G { duration = 150 ms; dt = )" +
                     std::to_string(dt_ms) + " ms; seed = " + std::to_string(seed) + " }\n";
  axon::io::TraceFile f = run("ou.axon", text);
  const axon::io::Trace& v = trace_of(f, "N/v");
  double scale = nt::unit_scale(v.unit);
  double sum = 0, sq = 0;
  size_t count = 0;
  // After 50 ms (5 tau) the process is stationary; samples 1 ms apart are correlated
  // (tau = 10 ms), so the 2000 x 100 samples are worth ~2000 x 100 / 20 = 10^4.
  for (size_t k = 50; k < v.samples(); ++k)
    for (size_t i = 0; i < v.columns(); ++i) {
      double x = v.at(k, i) * scale;
      sum += x;
      sq += x * x;
      ++count;
    }
  if (last_row) {
    last_row->clear();
    for (size_t i = 0; i < v.columns(); ++i) last_row->push_back(v.at(v.samples() - 1, i));
  }
  double mean = sum / count;
  return {mean, sq / count - mean * mean};
}

}  // namespace

TEST_CASE("Euler-Maruyama: an Ornstein-Uhlenbeck process has the stationary variance sigma^2",
          "[neurons][integrators][noise]") {
  // Euler-Maruyama's stationary variance for this process is sigma^2 / (1 - dt / (2 tau))
  // (the discrete recursion's), 1.005 sigma^2 at dt = 0.1 ms. With ~10^4 effective
  // samples the variance estimate has a relative standard error of ~1.4%: 6% is 4
  // standard errors. A noise term scaled by dt instead of sqrt(dt) would give 100x less
  // variance; the same run at half the step checks the sqrt(dt) scaling (a dt scaling
  // would halve the variance).
  const double sigma2 = 4e-6;
  auto [mean, var] = ou_moments(0.1, 1);
  INFO("mean " << mean << " V, variance " << var << " V^2");
  CHECK(std::abs(var / (sigma2 / (1 - 0.005)) - 1) <= 0.06);
  CHECK(std::abs(mean) <= 4 * std::sqrt(sigma2 / 1e4));
  auto [mean2, var2] = ou_moments(0.05, 1);
  CHECK(std::abs(var2 / (sigma2 / (1 - 0.0025)) - 1) <= 0.06);
  WARN("OU variance / sigma^2: " << var / sigma2 << " (dt 0.1 ms), " << var2 / sigma2
                                 << " (dt 0.05 ms); expected 1.005, 1.0025");
}

TEST_CASE("Euler-Maruyama noise is reproducible per seed and independent across neurons",
          "[neurons][integrators][noise]") {
  std::vector<double> a, b, c;
  ou_moments(0.1, 7, &a);
  ou_moments(0.1, 7, &b);
  ou_moments(0.1, 8, &c);
  CHECK(a == b);
  CHECK(a != c);
  // Neighbouring neurons are uncorrelated: the correlation of neuron i with i + 1 over
  // the population is ~N(0, 1/sqrt(2000)).
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i + 1 < a.size(); ++i) {
    sxy += a[i] * a[i + 1];
    sxx += a[i] * a[i];
  }
  CHECK(std::abs(sxy / sxx) <= 4 / std::sqrt(2000.0));
}

TEST_CASE("xi is one noise per model: two equations that say xi see the same noise", "[neurons][integrators][noise]") {
  axon::io::TraceFile f = run("shared.axon", R"(
neuron Two {
  parameter s = 1 / sqrt(1 s)
  state x = 0
  state y = 0
  x' = s * xi
  y' = 2 * s * xi
}
network G { population N = Two[3]; probe N.x; probe N.y }
run G { steps = 200; dt = 0.1 ms; seed = 3 }
)");
  const axon::io::Trace& x = trace_of(f, "N/x");
  const axon::io::Trace& y = trace_of(f, "N/y");
  bool moved = false;
  for (size_t k = 0; k < x.samples(); ++k)
    for (size_t i = 0; i < 3; ++i) {
      CHECK(y.at(k, i) == Approx(2 * x.at(k, i)).margin(1e-15));
      moved = moved || x.at(k, i) != 0;
    }
  CHECK(moved);
}

TEST_CASE("white noise errors: xi not linear, or a method other than euler (E091)",
          "[neurons][integrators][noise][diagnostics]") {
  std::string squared = nt::program_errors("sq.axon", R"(
neuron Sq {
  state x = 0
  x' = -x / ms + xi * xi
}
network G { population N = Sq[1] }
run G { steps = 10; dt = 0.1 ms }
)");
  INFO(squared);
  CHECK(squared.find("error[E091]") != std::string::npos);
  CHECK(squared.find("is not of the form f + g * xi: a product of xi") != std::string::npos);
  std::string rk4 = nt::program_errors("rk.axon", R"(
neuron Rk {
  state x = 0
  method rk4
  x' = -x / ms + xi / sqrt(1 ms)
}
network G { population N = Rk[1] }
run G { steps = 10; dt = 0.1 ms }
)");
  INFO(rk4);
  CHECK(rk4.find("error[E091]") != std::string::npos);
  CHECK(rk4.find("asks for rk4, but its equations have white noise 'xi'") != std::string::npos);
}
