// `--set POP.PARAM=VALUE`: parameters are runtime values; a set changes the result as
// the analytic solution says, and a value of the wrong dimension is a model error.
#include <catch2/catch.hpp>
#include <cmath>

#include "backend_util.h"

namespace bt = axon::backend_test;

namespace {

// tau_m defaults to 20 ms here; the test sets it to 10 ms.
const char* kModel = R"axon(
neuron Lif20 {
  parameter tau_m   = 20 ms
  parameter v_rest  = -65 mV
  parameter v_th    = -50 mV
  parameter v_reset = -65 mV
  parameter t_ref   = 2 ms
  parameter R       = 10 Mohm
  input I : nA
  state v = v_rest
  v' = (v_rest - v + R * I) / tau_m
  on spike when v > v_th { v = v_reset }
  refractory t_ref clamps v
}

network One {
  population P = Lif20[1]
  stimulus P.I = 2 nA
  probe spikes of P
}

run One { duration = 200 ms; dt = 0.1 ms }
)axon";

constexpr double kDt = 1e-4;
constexpr int64_t kSteps = 2000;

// Spike steps of the LIF with constant input, from the analytic solution. From v_reset
// at the start of a segment, v(t) = v_inf + (v_reset - v_inf) e^{-t/tau} exceeds v_th
// after the update of step k (segment-relative) iff (k + 1) dt > T = tau ln((v_reset -
// v_inf) / (v_th - v_inf)), so the first spike is at k = floor(T / dt) (T / dt is not an
// integer here). The next segment starts t_ref / dt steps after the spike.
std::vector<int64_t> analytic_spike_steps(double tau) {
  const double v_inf = -65e-3 + 10e6 * 2e-9, v_reset = -65e-3, v_th = -50e-3;
  const double T = tau * std::log((v_reset - v_inf) / (v_th - v_inf));
  REQUIRE(std::abs(T / kDt - std::round(T / kDt)) > 1e-3);  // not on a step boundary
  const int64_t k = static_cast<int64_t>(std::floor(T / kDt));
  const int64_t ref = std::llround(2e-3 / kDt);
  std::vector<int64_t> steps;
  for (int64_t s = k; s < kSteps; s += k + ref) steps.push_back(s);
  return steps;
}

std::vector<int64_t> spike_steps(const std::string& path) {
  bt::H5Id file(bt::h5_open(path), H5Fclose, path);
  std::vector<int64_t> steps;
  for (double t : bt::h5_doubles(file, "/spikes/P/timestamps")) steps.push_back(std::llround(t * 1e-3 / kDt));
  return steps;
}

}  // namespace

TEST_CASE("run with set P.tau_m=10 ms gives the analytic spike times of tau 10 ms", "[backend][set]") {
  bt::TempDir dir;
  std::vector<int64_t> tau20 = analytic_spike_steps(20e-3), tau10 = analytic_spike_steps(10e-3);
  REQUIRE(tau20 != tau10);
  CHECK(tau10.front() == 138);  // 10 ms * ln 4 = 13.86 ms: the first spike of lif_const.h5

  axon::engine::RunRequest req;
  req.output = dir.file("default.h5");
  bt::RunResult r = bt::run_model_text("one.axon", kModel, req);
  INFO(r.diagnostics);
  REQUIRE(r.status == axon::engine::RunStatus::Ok);
  CHECK(spike_steps(req.output) == tau20);

  req.output = dir.file("set.h5");
  req.sets = {"P.tau_m=10 ms"};
  r = bt::run_model_text("one.axon", kModel, req);
  INFO(r.diagnostics);
  REQUIRE(r.status == axon::engine::RunStatus::Ok);
  CHECK(spike_steps(req.output) == tau10);
  CHECK(r.summary.populations.at(0).spikes == tau10.size());

  // The same through the CLI.
  std::string model = dir.file("one.axon");
  bt::write_text_file(model, kModel);
  bt::ProcessResult p = bt::run_process(
      {bt::cli_path(), "run", model, "-o", dir.file("cli.h5"), "-q", "--set", "P.tau_m=10 ms"}, dir.path);
  INFO(p.err);
  REQUIRE(p.exit_code == 0);
  CHECK(spike_steps(dir.file("cli.h5")) == tau10);
  WARN("--set: " << tau10.size() << " spikes at the analytic steps (first " << tau10.front() << "), default "
                 << tau20.size() << " (first " << tau20.front() << ")");
}

TEST_CASE("run with set N.tau_m=10 mV is E020 naming both dimensions, exit 1, no output", "[backend][set]") {
  bt::TempDir dir;
  std::string out = dir.file("out.h5");
  bt::ProcessResult p = bt::run_process(
      {bt::cli_path(), "run", bt::source_path("models/lif_const.axon"), "-o", out, "--set", "N.tau_m=10 mV"}, dir.path);
  INFO(p.err);
  CHECK(p.exit_code == 1);
  CHECK(p.err.find("E020") != std::string::npos);
  // The message names the parameter's dimension (time) and the value's (voltage).
  size_t line_begin = p.err.find("E020");
  std::string line = p.err.substr(line_begin, p.err.find('\n', line_begin) - line_begin);
  CHECK(line.find("tau_m") != std::string::npos);
  CHECK(line.find("time") != std::string::npos);
  CHECK(line.find("voltage") != std::string::npos);
  CHECK_FALSE(bt::exists(out));
  CHECK_FALSE(bt::exists(out + ".tmp"));
}
