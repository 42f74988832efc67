// The Nengo layer end to end: ensembles (gain, bias, encoders from max rates and
// intercepts), nodes, decoded connections with Lowpass synapses, decoded probes.
// Checks against the NEF formulas computed here from what the run wrote (gains, biases,
// encoders under /axon/nef, node values): the relu_vs_spiking tutorial exactly, and
// decoded signals (channel, square, product, integrator) within stated bounds.
//
// Timing, as Nengo: step k is at t = (k + 1) dt; a synapse adds one step of delay (the
// target reads the filter's state before this step's update); a probe with a synapse too.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "tests/features/run_model.h"
#include "tests/support/text_file.h"

using axon::test::read;
using axon::test::run_text;
using axon::test::temp_dir;

namespace {

constexpr double kDt = 1e-3;

// The discrete Lowpass of Nengo (zero-order hold) with its one step of delay: out[k] is
// the state before input k is taken in.
std::vector<double> lowpass_delayed(const std::vector<double>& u, double tau) {
  const double a = std::exp(-kDt / tau);
  std::vector<double> out(u.size());
  double y = 0;
  for (size_t k = 0; k < u.size(); ++k) {
    out[k] = y;
    y = a * y + (1 - a) * u[k];
  }
  return out;
}

double rmse(const std::vector<double>& a, const std::vector<double>& b, size_t from) {
  double s = 0;
  for (size_t k = from; k < a.size(); ++k) s += (a[k] - b[k]) * (a[k] - b[k]);
  return std::sqrt(s / static_cast<double>(a.size() - from));
}

std::vector<double> column(const std::vector<double>& data, size_t cols, size_t c) {
  std::vector<double> out;
  for (size_t k = c; k < data.size(); k += cols) out.push_back(data[k]);
  return out;
}

using axon::test_support::read_text_file;

}  // namespace

TEST_CASE("relu_vs_spiking: rates follow the closed form, spike counts the rates", "[nengo]") {
  auto out = run_text(read_text_file(std::string(AXON_SOURCE_DIR) + "/models/relu_vs_spiking.axon"), temp_dir());
  std::vector<double> x = column(read(out.path, "/report/In/value/data"), 1, 0);
  REQUIRE(x.size() == 1000);
  CHECK(x[0] == Approx(std::sin(2 * M_PI * kDt)).epsilon(1e-12));  // the first step is at t = dt
  std::vector<double> gain = read(out.path, "/axon/nef/Rate/gain");
  std::vector<double> bias = read(out.path, "/axon/nef/Rate/bias");
  std::vector<double> enc = read(out.path, "/axon/nef/Rate/encoders");
  // Same seed: the spiking ensemble has the same gains, biases and encoders.
  CHECK(read(out.path, "/axon/nef/Spiking/gain") == gain);
  CHECK(read(out.path, "/axon/nef/Spiking/encoders") == enc);
  std::vector<double> y = lowpass_delayed(x, 0.005);                    // the input each step sees
  std::vector<double> rate = read(out.path, "/report/Rate/rate/data");  // [1000, 10] Hz, sampled before a step
  std::vector<double> spike_ids = read(out.path, "/spikes/Spiking/node_ids");
  for (int i = 0; i < 10; ++i) {
    double worst = 0, integral = 0;
    for (int k = 0; k < 1000; ++k) {
      double want = std::max(gain[i] * enc[i] * y[k] + bias[i], 0.0);  // J in Hz: RectifiedLinear
      integral += want * kDt;
      if (k + 1 < 1000) worst = std::max(worst, std::abs(rate[(k + 1) * 10 + i] - want));
    }
    INFO("neuron " << i << ": max |rate - closed form| = " << worst << " Hz");
    CHECK(worst <= 1e-9 * std::max(1.0, integral));
    double count = 0;
    for (double s : spike_ids) count += s == i;
    INFO("neuron " << i << ": " << count << " spikes, rate integral " << integral);
    CHECK(std::abs(count - integral) <= 1.0);
  }
}

TEST_CASE("a communication channel, a square and a product decode their functions", "[nengo]") {
  auto out = run_text(R"(
import neurons.nengo_lif
network Functions {
  node In[2] = i == 0 ? sin(2 * pi * t / 1 s) : cos(2 * pi * t / 1 s)
  ensemble A = NengoLIF[100] { seed = 1 }
  ensemble B = NengoLIF[100] { seed = 2 }
  ensemble Sq = NengoLIF[100] { seed = 3 }
  ensemble AB = NengoLIF[200] { dimensions = 2; seed = 4 }
  ensemble Prod = NengoLIF[100] { seed = 5 }
  connect In -> A { transform = [[1, 0]] }
  connect A -> B
  connect A -> Sq { function = x * x }
  connect In -> AB
  connect AB -> Prod { function = x[0] * x[1] }
  probe In
  probe B { synapse = 10 ms }
  probe Sq { synapse = 10 ms }
  probe Prod { synapse = 10 ms }
}
run Functions { duration = 2 s; dt = 1 ms }
)",
                      temp_dir());
  std::vector<double> in = read(out.path, "/report/In/value/data");
  std::vector<double> s = column(in, 2, 0), c = column(in, 2, 1);
  // The ideal decoded signals: the input through the same synapses (5 ms per connection,
  // 10 ms for the probe), each with its one-step delay; the ensembles represent their
  // filtered input at once.
  auto chain = [&](std::vector<double> v, bool square) {
    v = lowpass_delayed(v, 0.005);  // In -> A
    if (square)
      for (double& x : v) x = x * x;
    v = lowpass_delayed(v, 0.005);     // A -> B / Sq
    return lowpass_delayed(v, 0.010);  // probe
  };
  std::vector<double> prod(s.size());
  for (size_t k = 0; k < s.size(); ++k) prod[k] = s[k] * c[k];
  std::vector<double> b = column(read(out.path, "/report/B/decoded/data"), 1, 0);
  std::vector<double> sq = column(read(out.path, "/report/Sq/decoded/data"), 1, 0);
  std::vector<double> pr = column(read(out.path, "/report/Prod/decoded/data"), 1, 0);
  // Both inputs reach AB through one synapse; the product's path is a synapse shorter
  // than the chain above, whose first filter stands for In -> A.
  std::vector<double> ideal_prod = lowpass_delayed(lowpass_delayed(prod, 0.005), 0.010);
  double e_channel = rmse(b, chain(s, false), 100), e_square = rmse(sq, chain(s, true), 100),
         e_product = rmse(pr, ideal_prod, 100);
  INFO("RMSE: channel " << e_channel << ", square " << e_square << ", product " << e_product);
  // Bounds: the decoders' own error (RMSE ~0.01 on the evaluation points, stored under
  // /axon/nef/connections) plus spike noise through a 5 ms and a 10 ms filter, which
  // dominates for 100 LIF neurons at 200-400 Hz (measured 0.02-0.04); twice that.
  CHECK(e_channel < 0.06);
  CHECK(e_square < 0.06);
  CHECK(e_product < 0.08);
  CHECK(read(out.path, "/axon/nef/connections/A_to_B/rmse")[0] < 0.02);
}

TEST_CASE("an integrator holds its value after the input ends", "[nengo]") {
  // Nengo's integrator: A -> A with synapse 100 ms and the input scaled by tau. A pulse of
  // 1 for 200 ms (from 100 to 300 ms) integrates to 0.2; the value then holds.
  auto out = run_text(R"(
import neurons.nengo_lif
network Integrator {
  node In = t > 0.1 s and t <= 0.3 s ? 1 : 0
  ensemble A = NengoLIF[100] { seed = 7 }
  connect In -> A { transform = 0.1; synapse = 100 ms }
  connect A -> A { synapse = 100 ms }
  probe A { synapse = 10 ms }
}
run Integrator { duration = 1.5 s; dt = 1 ms }
)",
                      temp_dir());
  std::vector<double> a = column(read(out.path, "/report/A/decoded/data"), 1, 0);
  auto mean = [&](size_t from, size_t to) {
    double s = 0;
    for (size_t k = from; k < to; ++k) s += a[k];
    return s / static_cast<double>(to - from);
  };
  INFO("before " << mean(0, 100) << ", at 0.5 s " << mean(450, 550) << ", at 1.4 s " << mean(1350, 1450));
  CHECK(std::abs(mean(0, 100)) < 0.05);
  // The integral reaches 0.2 (the 100 ms synapses smear the ramp, not its end value).
  CHECK(mean(450, 550) == Approx(0.2).margin(0.06));
  // It holds: drift of a 100-neuron integrator over 1 s stays small.
  CHECK(std::abs(mean(1350, 1450) - mean(450, 550)) < 0.06);
}

TEST_CASE("Nengo layer errors: neuron type, sizes, functions, synapses", "[nengo][diagnostics]") {
  auto errors = [](const std::string& network) {
    axon::FrontendResult fr;
    axon::run_frontend_text("nengo.axon", "import neurons.nengo_lif\nimport neurons.lif\n" + network, fr);
    return axon::render_all(fr.diags, fr.program.files);
  };
  std::string bad_type = errors("network N {\n  ensemble A = LIF[10]\n}\n");
  CHECK(bad_type.find("error[E056]: an ensemble needs one of Nengo's neuron types, not 'LIF'") != std::string::npos);
  std::string sizes =
      errors("network N {\n  node In[2] = t / 1 s\n  ensemble A = NengoLIF[10]\n  connect In -> A\n}\n");
  CHECK(sizes.find("error[E056]: this connection sends 2 values into 1") != std::string::npos);
  std::string fn = errors(
      "network N {\n  node In = t / 1 s\n  ensemble A = NengoLIF[10]\n  connect In -> A { function = x * x }\n}\n");
  CHECK(fn.find("error[E056]: only a connection from an ensemble computes a function") != std::string::npos);
  std::string none = errors(
      "network N {\n  ensemble A = NengoLIF[10]\n  ensemble B = NengoLIF[10]\n  connect A -> B { synapse = 0 ms "
      "}\n}\n");
  CHECK(none.find("error[E056]: a connection from an ensemble needs a synapse") != std::string::npos);
  std::string xk = errors(
      "network N {\n  ensemble A = NengoLIF[10] { dimensions = 2 }\n  ensemble B = NengoLIF[10]\n"
      "  connect A -> B { function = x * 2 }\n}\n");
  CHECK(xk.find("error[E056]: x has 2 components here: write x[0] .. x[1]") != std::string::npos);
}

TEST_CASE("PES learns a communication channel from an error signal", "[nengo]") {
  // C starts decoding 0 (function = 0 * x); the error B - In drives PES (learning rate
  // 1e-4, Nengo's default). Compared with the input through the same synapses (the
  // chain In -> A -> B -> probe), the error falls from the full signal to the channel's
  // own decoding error.
  auto out = run_text(R"(
import neurons.nengo_lif
network Learn {
  node In = sin(2 * pi * t / 1 s)
  ensemble A = NengoLIF[100] { seed = 1 }
  ensemble B = NengoLIF[100] { seed = 2 }
  connect In -> A
  connect C = A -> B { function = 0 * x; learning_rule = PES(learning_rate = 1e-4, pre_synapse = 5 ms) }
  connect B -> C.error
  connect In -> C.error { transform = -1 }
  probe In
  probe B { synapse = 10 ms }
}
run Learn { duration = 8 s; dt = 1 ms }
)",
                      temp_dir());
  std::vector<double> x = column(read(out.path, "/report/In/value/data"), 1, 0);
  std::vector<double> b = column(read(out.path, "/report/B/decoded/data"), 1, 0);
  std::vector<double> ideal = lowpass_delayed(lowpass_delayed(lowpass_delayed(x, 0.005), 0.005), 0.010);
  auto window = [&](size_t from, size_t to) {
    double s = 0;
    for (size_t k = from; k < to; ++k) s += (b[k] - ideal[k]) * (b[k] - ideal[k]);
    return std::sqrt(s / static_cast<double>(to - from));
  };
  double first = window(0, 1000), last = window(7000, 8000);
  INFO("RMSE vs the ideal channel: first second " << first << ", last second " << last);
  CHECK(first > 0.3);  // nothing learned yet: close to the signal's RMS (0.71)
  CHECK(last < 0.06);  // learned: the decoding error of a 100-neuron channel (cf. 0.022 with solved decoders)
}

TEST_CASE("PES errors: an error for a connection without a learning rule", "[nengo][diagnostics]") {
  axon::FrontendResult fr;
  axon::run_frontend_text("pes.axon", R"(import neurons.nengo_lif
network N {
  ensemble A = NengoLIF[10]
  ensemble B = NengoLIF[10]
  connect C = A -> B
  connect B -> C.error
}
)",
                          fr);
  std::string text = axon::render_all(fr.diags, fr.program.files);
  CHECK(text.find("error[E056]: connection 'C' has no learning rule to send an error to") != std::string::npos);
}

TEST_CASE("probe and connection synapses: Lowpass and Alpha step responses", "[nengo]") {
  // A node of 1 probed through Alpha(20 ms) and Lowpass(20 ms): sample k is the filter
  // after k inputs (one step of delay), s(k dt) with s(t) = 1 - (1 + t / tau) e^(-t / tau)
  // for Alpha and 1 - e^(-t / tau) for Lowpass (zero-order hold is exact for a step).
  auto out = run_text(R"(
network F {
  node One = 1
  node Two = 1
  probe One { synapse = Alpha(20 ms) }
  probe Two { synapse = Lowpass(20 ms) }
}
run F { duration = 100 ms; dt = 1 ms }
)",
                      temp_dir());
  std::vector<double> alpha = column(read(out.path, "/report/One/value/data"), 1, 0);
  std::vector<double> low = column(read(out.path, "/report/Two/value/data"), 1, 0);
  REQUIRE(alpha.size() == 100);
  double worst_alpha = 0, worst_low = 0;
  for (size_t k = 0; k < alpha.size(); ++k) {
    double t = k * kDt, tau = 0.02;
    worst_alpha = std::max(worst_alpha, std::abs(alpha[k] - (1 - (1 + t / tau) * std::exp(-t / tau))));
    worst_low = std::max(worst_low, std::abs(low[k] - (1 - std::exp(-t / tau))));
  }
  CHECK(worst_alpha < 1e-12);
  CHECK(worst_low < 1e-12);
}

TEST_CASE("probe A.neurons with a synapse filters the neurons' outputs", "[nengo]") {
  std::string text = read_text_file(std::string(AXON_SOURCE_DIR) + "/models/relu_vs_spiking.axon");
  text.replace(text.find("  probe Rate.rate"), 0, "  probe Rate.neurons { synapse = 10 ms }\n");
  auto out = run_text(text, temp_dir());
  std::vector<double> rate = read(out.path, "/report/Rate/rate/data");     // before each step
  std::vector<double> filt = read(out.path, "/report/Rate/neurons/data");  // after each step, filtered
  REQUIRE(filt.size() == 10000);
  for (int i = 0; i < 10; ++i) {
    std::vector<double> after(1000);  // the outputs of step k = the rate sample k + 1
    for (int k = 0; k + 1 < 1000; ++k) after[k] = rate[(k + 1) * 10 + i];
    std::vector<double> want = lowpass_delayed(after, 0.010);
    double worst = 0;
    for (int k = 0; k + 1 < 1000; ++k) worst = std::max(worst, std::abs(filt[k * 10 + i] - want[k]));
    CHECK(worst < 1e-9);
  }
}

TEST_CASE("two decoded probes of one ensemble are written side by side", "[nengo]") {
  auto out = run_text(R"(
import neurons.nengo_lif
network N {
  node In = 0.5
  ensemble A = NengoLIF[50] { seed = 3 }
  connect In -> A
  probe A { synapse = 10 ms }
  probe A { synapse = 30 ms }
}
run N { duration = 200 ms; dt = 1 ms }
)",
                      temp_dir());
  std::vector<double> fast = read(out.path, "/report/A/decoded/data");
  std::vector<double> slow = read(out.path, "/report/A/decoded_2/data");
  REQUIRE(fast.size() == 200);
  CHECK(fast[50] > slow[50]);  // the slower filter lags while both rise towards 0.5
  CHECK(std::abs(fast[199] - 0.5) < 0.1);
}

TEST_CASE("a passthrough node sums what it receives and passes it on", "[nengo]") {
  auto out = run_text(R"(
import neurons.nengo_lif
network PT {
  node In[2] = i == 0 ? sin(2 * pi * t / 1 s) : 0.25
  node Sum[2]
  node Out[1]
  connect In -> Sum { synapse = 0 ms }
  connect In -> Sum { transform = 2; synapse = 0 ms }
  connect Sum -> Out { transform = [[1, 1]]; synapse = 10 ms }
  probe Sum
  probe Out
}
run PT { duration = 100 ms; dt = 1 ms }
)",
                      temp_dir());
  std::vector<double> in = read(out.path, "/report/Sum/value/data");  // 3 In, no delay
  std::vector<double> o = column(read(out.path, "/report/Out/value/data"), 1, 0);
  std::vector<double> sum(100);
  for (int k = 0; k < 100; ++k) {
    double s = std::sin(2 * M_PI * (k + 1) * kDt);
    CHECK(in[2 * k] == Approx(3 * s).epsilon(1e-12));
    CHECK(in[2 * k + 1] == Approx(0.75).epsilon(1e-12));
    sum[k] = in[2 * k] + in[2 * k + 1];
  }
  std::vector<double> want = lowpass_delayed(sum, 0.010);  // Sum -> Out through its synapse
  double worst = 0;
  for (int k = 0; k < 100; ++k) worst = std::max(worst, std::abs(o[k] - want[k]));
  CHECK(worst < 1e-12);
}
