// stdlib NorseSTDP against Norse's stdp_step_linear computed here step by step (the
// recurrence of ../shared/design/semantics.md): per step, both traces by forward Euler,
// then dw = A_plus(w) z_post t_pre - A_minus(w) t_post z_pre at the weight before the
// step, then the clamp. Fixed spike trains with a pre and a post spike in one step.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "tests/features/run_model.h"
#include "tests/plasticity/relay.h"

using axon::test::read;
using axon::test::run_text;
using axon::test::temp_dir;

namespace {

struct NorseParams {
  int algorithm = 0;
  double mu = 0;
  bool hardbound = true;
  double eta_plus = 0.1, eta_minus = 0.08, w_min = 0, w_max = 1, tau_inv = 20, a = 1, w0 = 0.5;
};

// Pre spikes in steps 10, 30, 32, 50, 70; post spikes in steps 15, 30, 50, 81 (dt 1 ms).
const std::vector<int> kPre = {10, 30, 32, 50, 70};
const std::vector<int> kPost = {15, 30, 50, 81};
constexpr int kSteps = 100;

std::vector<double> norse_weights(const NorseParams& p) {
  const double dt = 1e-3;
  double t_pre = 0, t_post = 0, w = p.w0;
  auto heaviside = [](double x) { return x > 0 ? 1.0 : 0.0; };
  auto A_plus = [&](double w) {
    switch (p.algorithm) {
      case 0: return p.eta_plus;
      case 1: return p.eta_plus * heaviside(p.w_max - w);
      case 2: return p.eta_plus * std::pow(p.w_max - w, p.mu);
      default: return p.eta_plus * std::max(p.w_max - w, 0.0);
    }
  };
  auto A_minus = [&](double w) {
    switch (p.algorithm) {
      case 0: return p.eta_minus;
      case 1: return p.eta_minus * heaviside(w - p.w_min);
      case 2: return p.eta_minus * std::pow(w - p.w_min, p.mu);
      default: return p.eta_minus * std::max(w - p.w_min, 0.0);
    }
  };
  std::vector<double> after;  // w after each step
  for (int k = 0; k < kSteps; ++k) {
    double z_pre = std::count(kPre.begin(), kPre.end(), k) ? 1 : 0;
    double z_post = std::count(kPost.begin(), kPost.end(), k) ? 1 : 0;
    t_pre += dt * p.tau_inv * (-t_pre + p.a * z_pre);
    t_post += dt * p.tau_inv * (-t_post + p.a * z_post);
    w = w + (A_plus(w) * z_post * t_pre - A_minus(w) * t_post * z_pre);
    if (p.hardbound) w = std::min(std::max(w, p.w_min), p.w_max);
    after.push_back(w);
  }
  return after;
}

std::string list_ms(const std::vector<int>& steps, int shift) {
  std::ostringstream o;
  for (size_t k = 0; k < steps.size(); ++k) o << (k ? ", " : "") << steps[k] + shift << " ms";
  return o.str();
}

std::vector<double> axon_weights(const NorseParams& p) {
  std::ostringstream args;
  args.precision(17);
  args << "w_scale = 1; eta_plus = " << p.eta_plus << "; eta_minus = " << p.eta_minus << "; algorithm = " << p.algorithm
       << "; mu = " << p.mu << "; hardbound = " << (p.hardbound ? 1 : 0) << "; w = " << p.w0;
  std::string text = R"(
import synapses.norse_stdp
)" + std::string(kRelay) +
                     R"(network N {
  population Pre = SpikeTimes[1] { times = [)" +
                     list_ms(kPre, 0) + R"(] }
  population Drive = SpikeTimes[1] { times = [)" +
                     list_ms(kPost, -1) + R"(] }
  population R = Relay[1]
  project Drive -> R.v via Static { w = 2 } connect all
  project S = Pre -> R.u via NorseSTDP { )" +
                     args.str() + R"( } connect all
  probe S.w
}
run N { duration = 101 ms; dt = 1 ms }
)";
  auto out = run_text(text, temp_dir());
  std::vector<double> w = read(out.path, "/report/S/w/data");
  return std::vector<double>(w.begin() + 1, w.end());  // sample k + 1 = after step k
}

void check(const NorseParams& p) {
  std::vector<double> want = norse_weights(p);
  std::vector<double> got = axon_weights(p);
  REQUIRE(got.size() == want.size());
  double worst = 0;
  for (size_t k = 0; k < want.size(); ++k) worst = std::max(worst, std::abs(got[k] - want[k]));
  // The traces decay by exp(k log(1 - c)) instead of k multiplications by 1 - c.
  INFO("algorithm " << p.algorithm << ": max |w - w_norse| = " << worst << ", final " << got.back() << " vs "
                    << want.back());
  CHECK(worst < 1e-12);
  CHECK(std::abs(want.back() - p.w0) > 1e-3);  // the protocol moves the weight
}

}  // namespace

TEST_CASE("Norse STDP, additive, step for step", "[plasticity][norse]") { check({0, 0, true}); }
TEST_CASE("Norse STDP, additive_step, step for step", "[plasticity][norse]") { check({1, 0, true}); }
TEST_CASE("Norse STDP, multiplicative_pow (mu 0.75), step for step", "[plasticity][norse]") { check({2, 0.75, true}); }
TEST_CASE("Norse STDP, multiplicative_relu, step for step", "[plasticity][norse]") { check({3, 1, true}); }
TEST_CASE("Norse STDP, additive without hard bounds, weight leaves [0, 1]", "[plasticity][norse]") {
  NorseParams p{0, 0, false};
  p.w0 = 0.995;
  p.eta_plus = 0.5;
  check(p);
  std::vector<double> w = norse_weights(p);
  CHECK(*std::max_element(w.begin(), w.end()) > 1.0);
}
