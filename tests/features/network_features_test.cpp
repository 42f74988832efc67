// Network features end to end: per-synapse values and delays, explicit connectivity
// and recorded spikes from HDF5, `connect where`, rate probes and recording windows,
// and bit-identical results for every thread count. Each case checks exact values
// that follow from the model by hand (integer weights, whole-step delays).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "tests/features/run_model.h"
#include "tests/support/text_file.h"

using axon::test::read;
using axon::test::run_text;
using axon::test::temp_dir;
using axon::test::write_column;

namespace {

// A neuron that only accumulates what synapses add: v holds the sum of delivered weights.
const char* kAccumulator = R"(
neuron Acc {
  state v = 0
  v' = 0 / ms
}
)";

// The row of a probe at sample k (a [steps, n] report).
std::vector<double> row(const std::vector<double>& data, size_t n, size_t k) {
  return std::vector<double>(data.begin() + k * n, data.begin() + (k + 1) * n);
}

}  // namespace

TEST_CASE("per-synapse weights and delays from expressions of i and j arrive in their step") {
  std::string dir = temp_dir();
  // Source 0 fires at step 10; synapse 0 -> j has weight 1 + j and delay j + 1 steps.
  std::string model = std::string(kAccumulator) + R"(
network N {
  population P = Acc[4]
  population G = SpikeTimes[1] { times = [1 ms] }
  project G -> P.v via Static { w = 1 + j } connect all delay 0.1 ms * (j + 1)
  probe P.v
}
run N { duration = 2 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  std::vector<double> v = read(out.path, "/report/P/v/data");
  // Delivered in step 10 + d, visible in sample 11 + d (probes sample before the update).
  CHECK(row(v, 4, 11) == std::vector<double>{0, 0, 0, 0});
  CHECK(row(v, 4, 12) == std::vector<double>{1, 0, 0, 0});
  CHECK(row(v, 4, 13) == std::vector<double>{1, 2, 0, 0});
  CHECK(row(v, 4, 15) == std::vector<double>{1, 2, 3, 4});
}

TEST_CASE("per-synapse weights drawn from a distribution are used, and differ between synapses") {
  std::string dir = temp_dir();
  std::string model = std::string(kAccumulator) + R"(
network N {
  population P = Acc[50]
  population G = SpikeTimes[1] { times = [0 ms] }
  project G -> P.v via Static { w = Uniform(1, 2) } connect all
  probe P.v
}
run N { duration = 0.3 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  std::vector<double> v = read(out.path, "/report/P/v/data");
  std::vector<double> last = row(v, 50, 2);
  double lo = 10, hi = -10;
  for (double x : last) {
    REQUIRE(x >= 1.0);
    REQUIRE(x < 2.0);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  // 50 uniform draws on [1, 2): their range is below 0.5 with probability < 1e-13.
  CHECK(hi - lo > 0.5);
}

TEST_CASE("explicit connectivity reads pre, post, weights and delays with their units") {
  std::string dir = temp_dir();
  std::string conn = dir + "/conn.h5";
  write_column(conn, "/proj/pre", {0, 0, 1, 2});
  write_column(conn, "/proj/post", {3, 1, 1, 0});
  write_column(conn, "/proj/w", {1, 2, 3, 4}, "mV");
  write_column(conn, "/proj/delay", {0.1, 0.2, 0.3, 0.4}, "ms");
  std::string model = R"(
neuron Acc { state v = 0 mV
  v' = 0 mV / ms }
network N {
  population P = Acc[4]
  population G = SpikeTimes[3] { times = [1 ms, 1 ms, 1 ms]; indices = [0, 1, 2] }
  project G -> P.v via Static { w = 0 mV } connect explicit("conn.h5:/proj")
  probe P.v
}
run N { duration = 2 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  CHECK(out.summary.synapses == 4);
  std::vector<double> v = read(out.path, "/report/P/v/data");  // mV
  CHECK(row(v, 4, 12) == std::vector<double>{0, 0, 0, 1});
  CHECK(row(v, 4, 13) == std::vector<double>{0, 2, 0, 1});
  CHECK(row(v, 4, 14) == std::vector<double>{0, 5, 0, 1});
  CHECK(row(v, 4, 15) == std::vector<double>{4, 5, 0, 1});
}

TEST_CASE("explicit connectivity outside the projection's ranges is a clear error") {
  std::string dir = temp_dir();
  write_column(dir + "/bad.h5", "/proj/pre", {0});
  write_column(dir + "/bad.h5", "/proj/post", {7});
  std::string model = std::string(kAccumulator) + R"(
network N {
  population P = Acc[4]
  population G = SpikeTimes[1] { times = [1 ms] }
  project G -> P.v via Static { w = 1 } connect explicit("bad.h5:/proj")
}
run N { duration = 1 ms }
)";
  REQUIRE_THROWS_WITH(run_text(model, dir), Catch::Contains("outside the projection's 1 sources and 4 targets"));
}

TEST_CASE("SpikeTimes replays a recorded spike group, and connect where tests every pair") {
  std::string dir = temp_dir();
  write_column(dir + "/rec.h5", "/spikes/G/timestamps", {1.0, 1.0, 1.0}, "ms");
  write_column(dir + "/rec.h5", "/spikes/G/node_ids", {0, 1, 2});
  std::string model = std::string(kAccumulator) + R"(
network N {
  population P = Acc[6]
  population G = SpikeTimes[3] { file = "rec.h5:/spikes/G" }
  project G -> P.v via Static { w = 1 } connect where j >= 2 * i and j != 5
  probe P.v
}
run N { duration = 2 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  // i = 0: j in 0..4; i = 1: j in 2..4; i = 2: j = 4.
  CHECK(out.summary.synapses == 9);
  std::vector<double> v = read(out.path, "/report/P/v/data");
  CHECK(row(v, 6, 19) == std::vector<double>{1, 1, 2, 2, 3, 0});
}

TEST_CASE("rate probes count spikes per bin; windows limit what is recorded") {
  std::string dir = temp_dir();
  // Two sources: source 0 fires every 1 ms from 0, source 1 never.
  std::string model = R"(
network N {
  population G = SpikeTimes[2] { times = [0 ms, 1 ms, 2 ms, 3 ms, 4 ms, 5 ms]; indices = [0, 0, 0, 0, 0, 0] }
  probe rate of G every 2 ms
  probe spikes of G from 2 ms to 4 ms
}
run N { duration = 6 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  std::vector<double> rate = read(out.path, "/report/G/rate/data");
  // 2 spikes per 2 ms bin over 2 neurons: 2 / (2 * 2 ms) = 500 Hz.
  REQUIRE(rate.size() == 3);
  CHECK(rate == std::vector<double>{500, 500, 500});
  std::vector<double> t = read(out.path, "/spikes/G/timestamps");
  CHECK(t == std::vector<double>{2, 3});
}

TEST_CASE("a network gives bit-identical spikes and traces on 1, 2 and 3 threads") {
  std::string dir = temp_dir();
  std::string model = axon::test_support::read_text_file(std::string(AXON_SOURCE_DIR) + "/models/cuba.axon");
  // Shorter, and with per-synapse weights so that every kind of array is exercised.
  model.replace(model.find("w = 1.62 mV"), 11, "w = Uniform(1.5 mV, 1.7 mV)");
  model.replace(model.find("duration = 1 s"), 14, "duration = 200 ms");
  std::vector<std::vector<double>> spikes, ids, traces;
  for (int threads : {1, 2, 3}) {
    auto out = run_text(model, dir, threads);
    spikes.push_back(read(out.path, "/spikes/P/timestamps"));
    ids.push_back(read(out.path, "/spikes/P/node_ids"));
    traces.push_back(read(out.path, "/report/P/v/data"));
  }
  REQUIRE(spikes[0].size() > 100);  // the network is active
  for (int k = 1; k < 3; ++k) {
    CHECK(spikes[k] == spikes[0]);
    CHECK(ids[k] == ids[0]);
    CHECK(traces[k] == traces[0]);
  }
}

TEST_CASE("blocks run in order: a let keeps the value it saw, an if tests its condition once") {
  std::string dir = temp_dir();
  // Step 0: old = 2, v > 1: v = 0 and n = 1 (the second statement must still run),
  // m += old = 2. Step 1: the else branch: m = 3, then m += old = 0.
  std::string model = R"(
neuron C {
  state v = 2
  state n = 0
  state m = 0
  update {
    let old = v
    if v > 1 { v = 0; n += 1 } else { m += 1 }
    m += old
  }
}
network N {
  population P = C[1]
  probe P.v
  probe P.n
  probe P.m
}
run N { duration = 0.3 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  CHECK(read(out.path, "/report/P/v/data") == std::vector<double>{2, 0, 0});
  CHECK(read(out.path, "/report/P/n/data") == std::vector<double>{0, 1, 1});
  CHECK(read(out.path, "/report/P/m/data") == std::vector<double>{0, 2, 3});
}

TEST_CASE("LogNormal and Choice draw per element with the right statistics") {
  std::string dir = temp_dir();
  std::string model = R"(
neuron A {
  parameter a = 1
  parameter b = 1 mV
  state v = 0
  v' = 0 / ms
}
network N { population P = A[20000] { a = LogNormal(0.5, 0.5); b = Choice([1 mV, 2 mV, 3 mV]) } }
run N { duration = 0.1 ms }
)";
  auto out = run_text(model, dir);
  std::vector<double> a = read(out.path, "/axon/populations/P/parameters/a");
  std::vector<double> b = read(out.path, "/axon/populations/P/parameters/b");  // SI volts
  REQUIRE(a.size() == 20000);
  double sum = 0, sq = 0;
  for (double x : a) {
    sum += std::log(x);
    sq += std::log(x) * std::log(x);
  }
  double mean = sum / a.size(), sd = std::sqrt(sq / a.size() - mean * mean);
  // log(a) ~ N(0.5, 0.5): the sample mean's standard error is 0.5 / sqrt(20000) = 0.0035;
  // 5 of them is 0.018. The sample sd's standard error is about 0.5 / sqrt(40000) = 0.0025.
  CHECK(std::fabs(mean - 0.5) < 0.018);
  CHECK(std::fabs(sd - 0.5) < 0.0125);
  int counts[3] = {0, 0, 0};
  for (double x : b) {
    int k = static_cast<int>(std::lround(x * 1e3)) - 1;
    REQUIRE(k >= 0);
    REQUIRE(k < 3);
    ++counts[k];
  }
  // Each count ~ Binomial(20000, 1/3): sd 66.7, 5 sd = 333.
  for (int c : counts) CHECK(std::abs(c - 20000 / 3) < 333);
}

TEST_CASE("jumps into a clamped state of a refractory neuron are dropped, others kept") {
  std::string dir = temp_dir();
  // P spikes at step 0 (v starts above threshold), is reset to 0 and is refractory for
  // steps 0..4. G's jumps of 1 arrive in steps 2 and 6: the first is dropped (v clamped),
  // the second kept; u, not clamped, keeps both.
  std::string model = R"(
neuron N {
  state v = 2
  state u = 0
  v' = 0 / ms
  u' = 0 / ms
  on spike when v > 1.5 { v = 0 }
  refractory 0.5 ms clamps v
}
network Net {
  population P = N[1]
  population G = SpikeTimes[1] { times = [0.2 ms, 0.6 ms] }
  project G -> P.v via Static { w = 1 } connect all
  project G -> P.u via Static { w = 1 } connect all
  probe P.v
  probe P.u
}
run Net { duration = 1 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  std::vector<double> v = read(out.path, "/report/P/v/data");
  std::vector<double> u = read(out.path, "/report/P/u/data");
  REQUIRE(v.size() == 10);
  CHECK(v[1] == 0.0);
  CHECK(v[3] == 0.0);  // the jump in step 2 was dropped
  CHECK(v[6] == 0.0);
  CHECK(v[7] == 1.0);  // the jump in step 6 (after the refractory period) kept
  CHECK(u[3] == 1.0);
  CHECK(u[7] == 2.0);
}

TEST_CASE("index-list views: projections map i and j to the listed neurons, probes record them in order") {
  std::string dir = temp_dir();
  // G[[3, 0]] -> P[[7, 1, 5]]: w = 1 + 10 i + 100 j over list positions. G3 fires at 4 ms,
  // G0 at 1 ms: P7 gets 1 + 11, P1 101 + 111, P5 201 + 211.
  std::string model = std::string(kAccumulator) + R"(
network N {
  population G = SpikeTimes[4] { times = [1 ms, 2 ms, 3 ms, 4 ms]; indices = [0, 1, 2, 3] }
  population P = Acc[10]
  let odd = P[[7, 1, 5]]
  project G[[3, 0]] -> odd.v via Static { w = 1 + 10 * i + 100 * j } connect all delay 0.1 ms * (i + 1)
  probe odd.v
  probe odd[1:3].v
  probe spikes of G[[2, 0]]
  probe rate of P[[1, 5]] every 5 ms
}
run N { duration = 6 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  CHECK(read(out.path, "/report/P/v/mapping/node_ids") == std::vector<double>{7, 1, 5});
  std::vector<double> v = read(out.path, "/report/P/v/data");
  CHECK(row(v, 3, 59) == std::vector<double>{12, 212, 412});
  // G0 fires in step 10 with delay 2 steps (i = 1): delivered in step 12, seen at sample 13.
  CHECK(row(v, 3, 12) == std::vector<double>{0, 0, 0});
  CHECK(row(v, 3, 13) == std::vector<double>{11, 111, 211});
  CHECK(read(out.path, "/report/P/v_2/mapping/node_ids") == std::vector<double>{1, 5});
  CHECK(read(out.path, "/spikes/G/node_ids") == std::vector<double>{0, 2});
  CHECK(read(out.path, "/spikes/G/timestamps") == std::vector<double>{1, 3});
}

TEST_CASE("index-list views: errors name the index and the view") {
  auto errors = [](const std::string& network) {
    axon::FrontendResult fr;
    axon::run_frontend_text("views.axon", std::string(kAccumulator) + network, fr);
    return axon::render_all(fr.diags, fr.program.files);
  };
  CHECK(errors("network N {\n  population P = Acc[4]\n  probe P[[1, 4]].v\n}\n") ==
        "views.axon:8:15: error[E050]: index 4 is out of range for 'P' with 4 neurons\n"
        " 8 |   probe P[[1, 4]].v\n"
        "   |               ^\n"
        "  = hint: valid indices lie within [0, 3]\n");
  CHECK(errors("network N {\n  population P = Acc[4]\n  probe P[[2, 2]].v\n}\n") ==
        "views.axon:8:15: error[E050]: index 2 is listed twice\n"
        " 8 |   probe P[[2, 2]].v\n"
        "   |               ^\n");
  CHECK(errors("network N {\n  population G = SpikeTimes[2] { times = [1 ms]; indices = [2] }\n}\n")
            .find("error[E020]: a spike index must be a whole number in [0, 1] ('G' has 2 neurons)") !=
        std::string::npos);
  CHECK(errors("network N {\n  population P = Acc[4]\n  stimulus P[[0, 2]].v = 1\n}\n")
            .find("error[E050]: a stimulus drives a contiguous slice, not an index list") != std::string::npos);
}

TEST_CASE("stimuli and nodes read from HDF5: one row a step, the last row held, units converted") {
  std::string dir = temp_dir();
  // One value a row for all neurons: 1, 2, 3 mV per step into the accumulator's input
  // (converted from mV), then 3 held. A node of rows 0.5, 0.25.
  write_column(dir + "/drive.h5", "/u", {1, 2, 3}, "mV");
  write_column(dir + "/drive.h5", "/x", {0.5, 0.25});
  std::string model = R"(
neuron Sum {
  input u : mV
  state v : mV = 0 mV
  update { v = v + u }
}
network N {
  population P = Sum[2]
  stimulus P.u = data("drive.h5:/u")
  node X = data("drive.h5:/x")
  probe P.v
  probe X
}
run N { steps = 5; dt = 1 ms }
)";
  auto out = run_text(model, dir);
  std::vector<double> v = read(out.path, "/report/P/v/data");  // mV, sampled before each step
  CHECK(row(v, 2, 1) == std::vector<double>{1, 1});
  CHECK(row(v, 2, 4) == std::vector<double>{1 + 2 + 3 + 3, 1 + 2 + 3 + 3});
  CHECK(read(out.path, "/report/X/value/data") == std::vector<double>{0.5, 0.25, 0.25, 0.25, 0.25});
  // A dataset in the wrong dimension stops the run with a clear error.
  write_column(dir + "/drive.h5", "/bad", {1, 2}, "nA");
  std::string bad = model;
  bad.replace(bad.find("drive.h5:/u"), 11, "drive.h5:/bad");
  CHECK_THROWS_WITH(run_text(bad, dir), Catch::Contains("values in 'nA' cannot drive 'u', which is voltage (V)"));
}

TEST_CASE("rate probes smoothed exponentially: s = a s + (1 - a) r per bin, a = exp(-bin / tau)") {
  std::string dir = temp_dir();
  // 2 sources, bins of 1 ms: both fire at 1 ms (bin 1: 1000 Hz), one at 3 ms (bin 3: 500 Hz).
  std::string model = R"(
network N {
  population G = SpikeTimes[2] { times = [1 ms, 1 ms, 3 ms]; indices = [0, 1, 0] }
  probe rate of G every 1 ms { smooth = 2 ms }
  probe rate of G every 1 ms
}
run N { duration = 6 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  std::vector<double> raw = read(out.path, "/report/G/rate_2/data");
  std::vector<double> smooth = read(out.path, "/report/G/rate/data");
  REQUIRE(raw == std::vector<double>{0, 1000, 0, 500, 0, 0});
  const double a = std::exp(-1.0 / 2.0);
  double s = 0;
  for (size_t k = 0; k < raw.size(); ++k) {
    s = a * s + (1 - a) * raw[k];
    CHECK(smooth[k] == Approx(s).epsilon(1e-12));
  }
}

TEST_CASE("joined views: V + W lists the neurons of V, then those of W") {
  std::string dir = temp_dir();
  std::string model = std::string(kAccumulator) + R"(
network N {
  population G = SpikeTimes[1] { times = [1 ms] }
  population P = Acc[10]
  let L = P[7:10] + P[0:1]
  project G -> (P[0:2] + P[[8, 5]]).v via Static { w = 1 + j } connect all
  probe L.v
}
run N { duration = 3 ms; dt = 0.1 ms }
)";
  auto out = run_text(model, dir);
  CHECK(read(out.path, "/report/P/v/mapping/node_ids") == std::vector<double>{7, 8, 9, 0});
  std::vector<double> v = read(out.path, "/report/P/v/data");
  CHECK(row(v, 4, 29) == std::vector<double>{0, 3, 0, 1});  // P8 is j = 2, P0 is j = 0
  auto errors = [](const std::string& network) {
    axon::FrontendResult fr;
    axon::run_frontend_text("join.axon", std::string(kAccumulator) + network, fr);
    return axon::render_all(fr.diags, fr.program.files);
  };
  CHECK(errors("network N {\n  population P = Acc[4]\n  population Q = Acc[4]\n  probe (P + Q).v\n}\n")
            .find("error[E050]: 'P' and 'Q' are different populations: their neurons cannot be joined") !=
        std::string::npos);
  CHECK(errors("network N {\n  population P = Acc[4]\n  probe (P[0:2] + P[1:3]).v\n}\n")
            .find("error[E050]: neuron 1 of 'P' is joined twice") != std::string::npos);
}

TEST_CASE("max-memory: a network planned above the limit is refused before it is built (E083)") {
  std::string dir = temp_dir();
  std::string text = std::string(kAccumulator) + R"(
network Big {
  population P = Acc[2000]
  project P -> P.v via Static { w = 1 * j } connect all
}
run Big { duration = 1 ms; dt = 0.1 ms }
)";
  axon::FrontendResult fr;
  axon::run_frontend_text(dir + "/big.axon", text, fr);
  REQUIRE(fr.ok);
  auto run = [&](size_t limit, axon::engine::RunSummary& summary, axon::Diagnostics& diags) {
    axon::engine::RunRequest req;
    req.output = dir + "/big.h5";
    req.max_memory_bytes = limit;
    return axon::run_program(fr.program, req, diags, summary);
  };
  axon::engine::RunSummary refused_summary, ok_summary;
  axon::Diagnostics refused, ok;
  // 4M synapses with a weight each: the plan counts ~4M x 28 B plus the process.
  CHECK(run(size_t{64} << 20, refused_summary, refused) == axon::engine::RunStatus::ModelError);
  CHECK(axon::render_all(refused, fr.program.files).find("error[E083]: network 'Big' needs about") !=
        std::string::npos);
  CHECK_FALSE(std::ifstream(dir + "/big.h5").good());
  CHECK(run(size_t{4} << 30, ok_summary, ok) == axon::engine::RunStatus::Ok);
  // The plan is an upper bound of what the network's state then takes.
  CHECK(ok_summary.planned_bytes >= ok_summary.memory_bytes);
}
