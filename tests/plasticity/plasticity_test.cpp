// Plasticity: the stdlib synapse rules (stdlib/synapses/) against Brian2 reference
// traces of the same rules on fixed spike trains (tests/refs/brian2/stdp_pair.h5 and
// tests/refs/data/*.h5 from tests/refs/make_plasticity_refs.py), saving and reloading
// learned weights, thread-count identity, and the errors of event-driven equations.
//
// Sample convention: Brian2 records at the end of step k; axon's probes sample before
// the update of step k, so axon's sample k + 1 is Brian2's sample k.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "tests/features/run_model.h"
#include "tests/plasticity/relay.h"

using axon::test::read;
using axon::test::run_text;
using axon::test::temp_dir;
using namespace axon;

namespace {

std::string ref_file(const std::string& name) {
  if (name == "stdp_pair") return std::string(AXON_SHARED_REFS_DIR) + "/stdp_pair.h5";
  return std::string(AXON_TESTS_DIR) + "/refs/data/" + name + ".h5";
}

std::string times_ms(const std::vector<double>& seconds, double shift_ms = 0) {
  std::ostringstream o;
  o.precision(12);
  for (size_t k = 0; k < seconds.size(); ++k) o << (k ? ", " : "") << seconds[k] * 1e3 + shift_ms << " ms";
  return o.str();
}

// One plastic synapse from a spike generator onto a relay neuron that fires exactly at
// the reference's post times: a second generator, one step earlier, jumps its v above
// threshold (delivery follows the threshold test, so the relay fires in the next step).
// The plastic synapse writes into the relay's u, which nothing reads.
std::string pair_model(const std::string& ref, const std::string& synapse, const std::string& args,
                       const std::vector<std::string>& probes) {
  std::string pre = times_ms(read(ref_file(ref), "/pre_spikes"));
  std::string post = times_ms(read(ref_file(ref), "/post_spikes"), -0.1);
  std::string text = R"(
import synapses.stdp
)" + std::string(kRelay) +
                     R"(network Pair {
  population Pre = SpikeTimes[1] { times = [)" +
                     pre + R"(] }
  population Drive = SpikeTimes[1] { times = [)" +
                     post + R"(] }
  population R = Relay[1]
  project Drive -> R.v via Static { w = 2 } connect all
  project S = Pre -> R.u via )" +
                     synapse + " { w_scale = 1" + args + R"( } connect all
)";
  for (const std::string& p : probes) text += "  probe S." + p + "\n";
  return text + "  probe spikes of R\n}\nrun Pair { duration = 1 s; dt = 0.1 ms }\n";
}

// Max |axon sample k + 1 - Brian2 sample k| over the run.
double max_shifted_error(const std::vector<double>& ours, const std::vector<double>& ref) {
  REQUIRE(ours.size() >= ref.size());
  double worst = 0;
  for (size_t k = 0; k + 1 < ref.size(); ++k) worst = std::max(worst, std::abs(ours[k + 1] - ref[k]));
  return worst;
}

struct TraceCase {
  const char* ref;
  const char* synapse;
  const char* args;
  std::vector<std::pair<std::string, std::string>> traces;  // axon name, Brian2 dataset
};

void check_traces(const TraceCase& c) {
  std::string dir = temp_dir();
  std::vector<std::string> names = {"w"};
  for (auto& [ours, theirs] : c.traces) names.push_back(ours);
  auto out = run_text(pair_model(c.ref, c.synapse, c.args, names), dir);
  std::string ref = ref_file(c.ref);
  // The relay fires at the reference's post times, in whole steps.
  std::vector<double> post = read(ref, "/post_spikes");
  std::vector<double> fired = read(out.path, "/spikes/R/timestamps");
  REQUIRE(fired.size() == post.size());
  for (size_t k = 0; k < post.size(); ++k) CHECK(std::llround(fired[k] * 10) == std::llround(post[k] * 1e4));
  // Exact exponentials between events on both sides: agreement to rounding. The bound
  // (1e-12 on values of order 1) leaves room for exp(b * dt) vs exp(-dt / tau).
  double w_error = max_shifted_error(read(out.path, "/report/S/w/data"), read(ref, "/w"));
  INFO(c.ref << ": w max error " << w_error);
  CHECK(w_error < 1e-12);
  for (auto& [ours, theirs] : c.traces) {
    double e = max_shifted_error(read(out.path, "/report/S/" + ours + "/data"), read(ref, "/" + theirs));
    INFO(c.ref << ": " << ours << " max error " << e);
    CHECK(e < 1e-12);
  }
}

}  // namespace

TEST_CASE("additive STDP matches Brian2's STDP example on a spike pair protocol", "[plasticity]") {
  check_traces({"stdp_pair", "STDP", "", {{"a_pre", "apre_stored"}, {"a_post", "apost_stored"}}});
}

TEST_CASE("multiplicative STDP matches Brian2", "[plasticity]") {
  check_traces({"stdp_mult",
                "STDPMultiplicative",
                "; tau_pre = 16.8 ms; tau_post = 33.7 ms; A_pre = 0.05; A_post = -0.06",
                {{"a_pre", "apre_stored"}, {"a_post", "apost_stored"}}});
}

TEST_CASE("nearest-spike STDP matches Brian2", "[plasticity]") {
  check_traces({"stdp_nearest", "STDPNearest", "", {{"a_pre", "apre_stored"}, {"a_post", "apost_stored"}}});
}

TEST_CASE("triplet STDP (Pfister and Gerstner 2006) matches Brian2", "[plasticity]") {
  check_traces({"stdp_triplet",
                "TripletSTDP",
                "",
                {{"r1", "r1_stored"}, {"r2", "r2_stored"}, {"o1", "o1_stored"}, {"o2", "o2_stored"}}});
}

TEST_CASE("Tsodyks-Markram depression and facilitation match Brian2", "[plasticity]") {
  std::string ref = ref_file("tsodyks_markram");
  std::string pre = times_ms(read(ref, "/pre_spikes"));
  std::string dir = temp_dir();
  auto out = run_text(R"(
import synapses.stp
neuron Passive {
  parameter tau_m = 20 ms
  state v = 0 mV
  v' = -v / tau_m
}
network TM {
  population G = SpikeTimes[2] { times = [)" +
                          pre + R"(] }
  population P = Passive[2]
  project Dep = G[0] -> P[0].v via TsodyksMarkram { w = 1 mV; U = 0.5; tau_d = 800 ms; tau_f = 50 ms } connect all
  project Fac = G[1] -> P[1].v via TsodyksMarkram { w = 1 mV; U = 0.15; tau_d = 50 ms; tau_f = 750 ms } connect all
  probe P.v
  probe Dep.u
  probe Dep.x
  probe Fac.u
  probe Fac.x
}
run TM { duration = 1200 ms; dt = 0.1 ms }
)",
                      dir);
  std::vector<double> v = read(out.path, "/report/P/v/data");  // [steps, 2], mV
  for (int c = 0; c < 2; ++c) {
    std::string s = c == 0 ? "dep" : "fac", proj = c == 0 ? "Dep" : "Fac";
    // Brian2 writes the recoveries in another algebraic form: agreement to ~1e-16.
    CHECK(max_shifted_error(read(out.path, "/report/" + proj + "/u/data"), read(ref, "/u_stored_" + s)) < 1e-13);
    CHECK(max_shifted_error(read(out.path, "/report/" + proj + "/x/data"), read(ref, "/x_stored_" + s)) < 1e-13);
    std::vector<double> ref_v = read(ref, "/v_" + s);
    std::vector<double> ours(v.size() / 2);
    for (size_t k = 0; k < ours.size(); ++k) ours[k] = v[2 * k + c] * 1e-3;
    double peak = 0;
    for (double x : ref_v) peak = std::max(peak, std::abs(x));
    // v: exact propagator vs Brian2's exact solution, relative to the peak.
    double e = max_shifted_error(ours, ref_v) / peak;
    INFO(s << ": v max relative error " << e);
    CHECK(e < 1e-12);
  }
}

TEST_CASE("learned weights are saved under /connectivity and load back with explicit()", "[plasticity]") {
  std::string dir = temp_dir();
  std::string model = R"(
import synapses.stdp
)" + std::string(kRelay) +
                      R"(network Train {
  population Pre = PoissonSource[20] { rate = 40 Hz }
  population Drive = PoissonSource[5] { rate = 30 Hz }
  population R = Relay[5]
  project Drive -> R.v via Static { w = 2 } connect one_to_one
  project S = Pre -> R.u via STDP { w_scale = 1; A_pre = 0.05; A_post = -0.05; w = Uniform(0.2, 0.8) } connect probability(0.5)
  probe S.w every 100 ms
}
run Train { duration = 2 s; dt = 0.1 ms; seed = 3 }
)";
  auto trained = run_text(model, dir);
  std::vector<double> pre = read(trained.path, "/connectivity/S/pre");
  std::vector<double> post = read(trained.path, "/connectivity/S/post");
  std::vector<double> w = read(trained.path, "/connectivity/S/w");
  std::vector<double> delay = read(trained.path, "/connectivity/S/delay");
  REQUIRE(pre.size() == w.size());
  REQUIRE(post.size() == w.size());
  REQUIRE(delay.size() == w.size());
  REQUIRE(w.size() > 20);
  // The weights moved, and the saved ones are the last values of the run.
  std::vector<double> trace = read(trained.path, "/report/S/w/data");
  size_t moved = 0;
  for (size_t k = 0; k < w.size(); ++k) moved += w[k] != trace[k];
  CHECK(moved > w.size() / 2);
  // A second run reads them back (a tested network, no learning: A_pre = A_post = 0).
  std::string dir2 = temp_dir();
  auto tested = run_text(R"(
import synapses.stdp
)" + std::string(kRelay) + R"(network Test {
  population Pre = PoissonSource[20] { rate = 40 Hz }
  population R = Relay[5]
  project S = Pre -> R.u via STDP { w_scale = 1; A_pre = 0; A_post = 0 } connect explicit(")" +
                             trained.path +
                             R"(:/connectivity/S")
  probe S.w
}
run Test { duration = 1 ms; dt = 0.1 ms }
)",
                         dir2);
  CHECK(read(tested.path, "/connectivity/S/w") == w);
  CHECK(read(tested.path, "/connectivity/S/pre") == pre);
  CHECK(read(tested.path, "/connectivity/S/post") == post);
  std::vector<double> first(read(tested.path, "/report/S/w/data"));
  first.resize(w.size());
  CHECK(first == w);
  CHECK(read(tested.path, "/report/S/w/mapping/source_ids") == pre);
}

TEST_CASE("a plastic network gives bit-identical weights on 1, 2 and 3 threads", "[plasticity]") {
  std::string model = R"(
import synapses.stdp
import neurons.lif
network Net {
  population In = PoissonSource[300] { rate = 20 Hz }
  population P = LIF[400]
  project S = In -> P.v via STDP { w_scale = 4 mV; w = Uniform(0, 1) } connect fixed_in_degree(60)
  probe S.w every 50 ms
  probe spikes of P
}
run Net { duration = 500 ms; dt = 0.1 ms; seed = 7 }
)";
  std::string dir = temp_dir();
  auto one = run_text(model, dir, 1);
  auto two = run_text(model, dir, 2);
  auto three = run_text(model, dir, 3);
  std::vector<double> w1 = read(one.path, "/report/S/w/data");
  REQUIRE(read(one.path, "/spikes/P/timestamps").size() > 100);
  CHECK(read(two.path, "/report/S/w/data") == w1);
  CHECK(read(three.path, "/report/S/w/data") == w1);
  CHECK(read(three.path, "/spikes/P/node_ids") == read(one.path, "/spikes/P/node_ids"));
}

TEST_CASE("event-driven equations: coupled or nonlinear ones are E091, clock-driven synapse ODEs E090",
          "[plasticity][diagnostics]") {
  auto errors = [](const std::string& synapse) {
    std::string text = synapse + R"(
neuron Acc {
  state v = 0
  v' = 0 / ms
}
network N {
  population G = SpikeTimes[1] { times = [1 ms] }
  population A = Acc[1]
  project G -> A.v via Syn connect all
}
run N { duration = 2 ms; dt = 0.1 ms }
)";
    FrontendResult fr;
    run_frontend_text("syn.axon", text, fr);
    if (!fr.ok) return render_all(fr.diags, fr.program.files);
    Diagnostics diags;
    axon::engine::RunRequest req;
    req.output = temp_dir() + "/out.h5";
    axon::engine::RunSummary summary;
    axon::run_program(fr.program, req, diags, summary);
    return render_all(diags, fr.program.files);
  };
  CHECK(
      errors(R"(synapse Syn {
  parameter tau = 10 ms
  per synapse state a = 0
  per synapse state b = 0
  event driven a' = (b - a) / tau
  event driven b' = -b / tau
  on pre { post.target += a; a += 1; b += 1 }
})") ==
      R"(syn.axon:5:16: error[E091]: an event-driven equation must be linear in its own state, with coefficients that do not change between events
 5 |   event driven a' = (b - a) / tau
   |                ^~
  = hint: 'a'' depends on 'b'
)");
  CHECK(
      errors(R"(synapse Syn {
  parameter tau = 10 ms
  per synapse state a = 0
  event driven a' = -a * a / tau
  on pre { post.target += a; a += 1 }
})") ==
      R"(syn.axon:4:16: error[E091]: an event-driven equation must be linear in its own state, with coefficients that do not change between events
 4 |   event driven a' = -a * a / tau
   |                ^~
  = hint: write it as a' = p + q * a, with p and q free of a
)");
  CHECK(errors(R"(synapse Syn {
  parameter tau = 10 ms
  per synapse state a = 0
  a' = -a / tau
  on pre { post.target += a; a += 1 }
})") == R"(syn.axon:4:3: error[E090]: the back end integrates synapse equations only between events yet
 4 |   a' = -a / tau
   |   ^~
  = hint: write 'event driven a' = ...' (solved exactly at each event)
)");
}

TEST_CASE("synapses that read pre.x give the same results on 1, 2 and 3 threads", "[plasticity]") {
  // A gap-junction-like update block reads pre.v while deliveries write v: each
  // projection then gets its own phase.
  std::string model = R"(
neuron Pulse {
  state x = 0
  x' = 1 / ms
  on spike when x > 0.05 { x = 0 }
}
neuron Leak {
  parameter tau = 10 ms
  input I : nA
  state v = 0 mV
  v' = (-v + 10 Mohm * I) / tau
}
synapse Gap {
  parameter g = 1 nA / mV
  update { post.target += g * pre.v }
}
network N {
  population A = Pulse[1]
  population P = Leak[3000]
  project A -> P.v via Static { w = 1 mV * (1 + j % 7) } connect all
  project P -> P.I via Gap connect where j == (i + 1500) % 3000
  probe P.v every 0.5 ms
}
run N { duration = 3 ms; dt = 0.1 ms }
)";
  std::string dir = temp_dir();
  std::vector<double> one = read(run_text(model, dir, 1).path, "/report/P/v/data");
  CHECK(read(run_text(model, dir, 2).path, "/report/P/v/data") == one);
  CHECK(read(run_text(model, dir, 3).path, "/report/P/v/data") == one);
}

TEST_CASE("an event-driven state whose rate is 0 for the given parameters follows a straight line", "[plasticity]") {
  // x' = r - k x with k = 0 for this projection: x grows by r per unit time (no 0/0).
  auto out = run_text(R"(
neuron Acc {
  state v = 0
  v' = 0 / ms
}
synapse Ramp {
  parameter r = 1 / s
  parameter k = 1 / s
  per synapse state x = 0
  event driven x' = r - k * x
  on pre { post.target += x }
}
network N {
  population G = SpikeTimes[1] { times = [1 ms, 3 ms] }
  population A = Acc[1]
  project S = G -> A.v via Ramp { k = 0 / s } connect all
  probe S.x
}
run N { duration = 5 ms; dt = 0.1 ms }
)",
                      temp_dir());
  std::vector<double> x = read(out.path, "/report/S/x/data");
  CHECK(x[20] == Approx(0.001).epsilon(1e-12));  // after the event at 1 ms: 1 / s * 1 ms
  CHECK(x[40] == Approx(0.003).epsilon(1e-12));  // after the event at 3 ms
}
