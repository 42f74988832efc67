// stdlib Hebbian (ngclearn's HebbianSynapse) against the update computed here by hand
// for the whole weight matrix (../shared/design/semantics.md, ngc-learn): sgd and adam,
// each prior, the soft bound and clip, nonnegativity, sign_value, pre/post weights and a
// batch summed over several steps; and the forward pass out = (in W) resist_scale + b.
// Fixed activities (stdlib Constant neurons), so every step's update is known exactly.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "tests/features/run_model.h"

using axon::test::read;
using axon::test::run_text;
using axon::test::temp_dir;

namespace {

constexpr int kPre = 3, kPost = 2, kSteps = 12;

struct HebbParams {
  double eta = 0.01;
  double w_bound = 1;
  bool nonnegative = false;
  int prior = 0;
  double lambda = 0, ratio = 0.5;
  double sign_value = 1;
  int optim = 0;
  double pre_wght = 1, post_wght = 1;
  int batch_size = 1;
};

double pre_activity(int i) { return 1.0 + i; }               // X: value = 1 Hz * (i + 1)
double post_activity(int j) { return 0.5 * (j + 1); }        // Y: value = 0.5 Hz * (j + 1)
double w0(int i, int j) { return 0.3 * (i + 1) - 0.4 * j; }  // in [-0.5, 0.9]

double sign(double x) { return (x > 0) - (x < 0); }

// W after each step (row-major [i][j], synapse order of connect all: by source, then target).
std::vector<std::vector<double>> expected(const HebbParams& p) {
  std::vector<double> w(kPre * kPost), hebb(kPre * kPost, 0), m(kPre * kPost, 0), v(kPre * kPost, 0);
  for (int i = 0; i < kPre; ++i)
    for (int j = 0; j < kPost; ++j) w[i * kPost + j] = w0(i, j);
  std::vector<std::vector<double>> out;
  int seen = 0, k = 0;
  for (int step = 0; step < kSteps; ++step) {
    for (int i = 0; i < kPre; ++i)
      for (int j = 0; j < kPost; ++j)
        hebb[i * kPost + j] += (pre_activity(i) * p.pre_wght) * (post_activity(j) * p.post_wght);
    if (++seen >= p.batch_size) {
      ++k;
      for (size_t s = 0; s < w.size(); ++s) {
        double dW = hebb[s];
        if (p.w_bound > 0) dW *= p.w_bound - std::abs(w[s]);
        double R = 0;
        if (p.prior == 1) R = -p.lambda * sign(w[s]);
        if (p.prior == 2) R = -p.lambda * w[s];
        if (p.prior == 3) R = p.lambda * (-sign(w[s]) * p.ratio - w[s] * (1 - p.ratio) / 2);
        dW = (dW + R) * p.sign_value;
        m[s] = 0.9 * m[s] + 0.1 * dW;
        v[s] = 0.999 * v[s] + 0.001 * dW * dW;
        double change =
            p.optim == 1 ? p.eta * (m[s] / (1 - std::pow(0.9, k))) / (std::sqrt(v[s] / (1 - std::pow(0.999, k))) + 1e-8)
                         : p.eta * dW;
        w[s] -= change;
        if (p.w_bound > 0) w[s] = std::min(std::max(w[s], p.nonnegative ? 0.0 : -p.w_bound), p.w_bound);
        hebb[s] = 0;
      }
      seen = 0;
    }
    out.push_back(w);
  }
  return out;
}

void check(const HebbParams& p, const std::string& what) {
  std::ostringstream args;
  args.precision(17);
  args << "eta = " << p.eta << "; w_bound = " << p.w_bound << "; is_nonnegative = " << (p.nonnegative ? 1 : 0)
       << "; prior = " << p.prior << "; prior_lambda = " << p.lambda << "; prior_ratio = " << p.ratio
       << "; sign_value = " << p.sign_value << "; optim = " << p.optim << "; pre_wght = " << p.pre_wght
       << "; post_wght = " << p.post_wght << "; batch_size = " << p.batch_size << "; w = 0.3 * (i + 1) - 0.4 * j";
  auto out = run_text(R"(
import synapses.hebbian
import neurons.constant
network H {
  population X = Constant[3] { value = 1 Hz * (i + 1) }
  population Y = Constant[2] { value = 0.5 Hz * (i + 1) }
  project S = X -> Y.J via Hebbian { )" +
                          args.str() + R"( } connect all
  probe S.w
}
run H { steps = 13; dt = 1 ms }
)",
                      temp_dir());
  std::vector<double> got = read(out.path, "/report/S/w/data");  // [13, 6]; sample k + 1 = after step k
  std::vector<std::vector<double>> want = expected(p);
  double worst = 0, moved = 0;
  for (int step = 0; step < kSteps; ++step)
    for (int s = 0; s < kPre * kPost; ++s) {
      worst = std::max(worst, std::abs(got[(step + 1) * kPre * kPost + s] - want[step][s]));
      moved = std::max(moved, std::abs(want[step][s] - got[s]));
    }
  INFO(what << ": max |w - expected| = " << worst);
  CHECK(worst < 1e-12);  // the same operations in another order: rounding only
  CHECK(moved > 1e-3);   // and the weights did change
}

}  // namespace

TEST_CASE("Hebbian sgd with the soft bound and clip", "[plasticity][hebbian]") { check({}, "sgd"); }

TEST_CASE("Hebbian sgd, ascent (sign_value -1), nonnegative, hitting the bound", "[plasticity][hebbian]") {
  HebbParams p;
  p.sign_value = -1;
  p.nonnegative = true;
  p.w_bound = 0.8;
  p.eta = 0.05;
  check(p, "ascent");
  // w(2, 0) = 0.9 starts above w_bound: clipped to it, where the soft factor holds it;
  // w(0, 1) = -0.1 is clipped to 0 at the first update.
  std::vector<std::vector<double>> w = expected(p);
  CHECK(w.back()[4] == 0.8);
  CHECK(w.front()[1] == 0.0);
}

TEST_CASE("Hebbian priors: l1, l2, l1l2", "[plasticity][hebbian]") {
  for (int prior = 1; prior <= 3; ++prior) {
    HebbParams p;
    p.prior = prior;
    p.lambda = 0.3;
    p.ratio = 0.25;
    check(p, "prior " + std::to_string(prior));
  }
}

TEST_CASE("Hebbian adam, without bounds", "[plasticity][hebbian]") {
  HebbParams p;
  p.optim = 1;
  p.w_bound = 0;
  p.eta = 0.02;
  check(p, "adam");
}

TEST_CASE("Hebbian batch summed over 4 steps, pre and post weights", "[plasticity][hebbian]") {
  HebbParams p;
  p.batch_size = 4;
  p.pre_wght = 0.5;
  p.post_wght = 2;
  check(p, "batch 4");
}

TEST_CASE("Hebbian forward pass: out = (in W) resist_scale + b", "[plasticity][hebbian]") {
  // eta = 0: fixed weights. Y is RectifiedLinear, so its rate is max(J, 0) with J the sum
  // of the two projections (delivered after a step's update, used in the next one).
  auto out = run_text(R"(
import synapses.hebbian
import neurons.constant
import neurons.relu
network F {
  population X = Constant[3] { value = 1 Hz * (i + 1) }
  population One = Constant[1]
  population Y = RectifiedLinear[2]
  project W = X -> Y.J via Hebbian { resist_scale = 2; w = 0.1 * (i + 1) + 0.2 * j } connect all
  project B = One -> Y.J via Hebbian { w_bound = 0; w = 0.5 - j } connect all
  probe Y.rate
}
run F { steps = 5; dt = 1 ms }
)",
                      temp_dir());
  std::vector<double> rate = read(out.path, "/report/Y/rate/data");  // Hz
  for (int j = 0; j < 2; ++j) {
    double J = 0.5 - j;
    for (int i = 0; i < 3; ++i) J += (0.1 * (i + 1) + 0.2 * j) * 2 * (1.0 + i);
    CHECK(rate[4 * 2 + j] == Approx(std::max(J, 0.0)).epsilon(1e-14));
  }
}

TEST_CASE("Hebbian patched: blocks, block mask, and weights at 0 stay 0 (keep_zeros)", "[plasticity][hebbian]") {
  // 3 blocks with strides (1, 1): 14 sources, 8 targets (ngclearn's final shape for
  // sub-blocks of 4 x 2). One sgd step: w1 = clip(w0 - eta (pre post) (1 - |w0|) mask).
  auto out = run_text(R"(
import synapses.hebbian
import neurons.constant
network P {
  population X = Constant[14] { value = 0.1 Hz * (i + 1) }
  population Y = Constant[8] { value = 0.2 Hz * (i + 1) }
  project S = X -> Y.J via Hebbian {
    eta = 0.1; keep_zeros = 1; mask = j % 2 == 0 ? 1 : 0.5; w = (i + j) % 3 == 0 ? 0 : 0.3
  } connect patched(3, stride_pre = 1, stride_post = 1)
  probe S.w
}
run P { steps = 2; dt = 1 ms }
)",
                      temp_dir());
  std::vector<double> pre = read(out.path, "/report/S/w/mapping/source_ids");
  std::vector<double> post = read(out.path, "/report/S/w/mapping/target_ids");
  std::vector<double> w = read(out.path, "/report/S/w/data");  // [2, n]
  const size_t n = pre.size();
  // Blocks: sources [4b, 4b + 6), targets [2b, 2b + 4), without the outer row / column.
  size_t expected_pairs = 0;
  for (int i = 1; i < 13; ++i)
    for (int j = 1; j < 7; ++j) {
      bool in_block = false;
      for (int b = 0; b < 3; ++b) in_block = in_block || (i >= 4 * b && i < 4 * b + 6 && j >= 2 * b && j < 2 * b + 4);
      expected_pairs += in_block;
    }
  REQUIRE(n == expected_pairs);
  int zeros = 0;
  for (size_t s = 0; s < n; ++s) {
    int i = static_cast<int>(pre[s]), j = static_cast<int>(post[s]);
    double w0 = (i + j) % 3 == 0 ? 0 : 0.3;
    double mask = j % 2 == 0 ? 1 : 0.5;
    double want = w0 == 0 ? 0 : w0 - 0.1 * (0.1 * (i + 1)) * (0.2 * (j + 1)) * (1 - w0) * mask;
    CHECK(w[s] == w0);
    CHECK(w[n + s] == Approx(want).epsilon(1e-14));
    zeros += w0 == 0;
  }
  CHECK(zeros > 5);
}
