// io::compare_files on small fixture files in both layouts: unit conversion, tolerances,
// interpolation between time grids, pairing by name, spike matching, and unreadable files.

#include "runtime/io/compare.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "runtime/io/output_file.h"
#include "tests/compare/fixtures.h"

using namespace axon::io;
using namespace axon::io::test;
using Catch::Matchers::Contains;

namespace {

// v(t) = -65 + 0.01 * k mV at step k: different at every sample, never 0.
double v_mV(size_t k) { return -65 + 0.01 * k; }

std::vector<double> v_rows(size_t n, double scale = 1) {
  std::vector<double> rows(n);
  for (size_t k = 0; k < n; ++k) rows[k] = v_mV(k) * scale;
  return rows;
}

// A run file with N/v (mV) sampled every 0.1 ms from 0, n samples.
void write_run(const std::string& path, size_t n = 100) {
  H5Writer w(path);
  SonataReport r;
  r.rows = v_rows(n);
  write_report(w, r);
}

// A flat reference with v in volts at dt = 0.1 ms; `perturb` is added at sample `at`.
void write_ref(const std::string& path, size_t n = 100, size_t at = 0, double perturb = 0) {
  H5Writer w(path);
  write_flat_time(w, n, 1e-4);
  std::vector<double> v = v_rows(n, 1e-3);
  v[at] += perturb;
  write_flat_trace(w, "v", v, "V");
}

const TraceComparison& only_trace(const CompareReport& r) {
  REQUIRE(r.traces.size() == 1);
  return r.traces[0];
}

}  // namespace

TEST_CASE("identical traces in mV and in V pass, converted by their unit attributes") {
  TempDir dir;
  write_run(dir.file("run.h5"));
  write_ref(dir.file("ref.h5"));
  CompareSettings s;
  s.rtol = 1e-12;
  CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), s);
  const TraceComparison& c = only_trace(r);
  CHECK(r.run_layout == TraceLayout::Sonata);
  CHECK(r.ref_layout == TraceLayout::Flat);
  CHECK(c.run_name == "N/v");
  CHECK(c.ref_name == "v");
  CHECK(c.run_unit == "mV");
  CHECK(c.unit == "V");
  CHECK(c.samples == 100);
  CHECK(c.columns == 1);
  // Run times (k * 0.1 ms) and reference times (k * 1e-4 s) differ in the last bits only.
  CHECK_FALSE(c.interpolated);
  CHECK(c.max_abs <= 1e-17);  // values scaled by 1e-3 both ways: equal, or one ulp apart
  CHECK(c.failures == 0);
  CHECK(c.passed());
  CHECK(r.passed());
  CHECK(r.spikes.empty());
}

TEST_CASE("a perturbed sample fails, with its time, both values and the errors") {
  TempDir dir;
  write_run(dir.file("run.h5"));
  write_ref(dir.file("ref.h5"), 100, 40, 2e-6);  // 2 uV at 4 ms
  CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), {});
  const TraceComparison& c = only_trace(r);
  CHECK(c.failures == 1);
  CHECK_FALSE(c.passed());
  CHECK_FALSE(r.passed());
  CHECK(c.fail_t_s == Approx(4e-3));
  CHECK(c.fail_run == Approx(v_mV(40) * 1e-3));
  CHECK(c.fail_ref == Approx(v_mV(40) * 1e-3 + 2e-6));
  CHECK(c.max_abs == Approx(2e-6).epsilon(1e-6));
  CHECK(c.max_rel == Approx(2e-6 / std::fabs(v_mV(40) * 1e-3 + 2e-6)).epsilon(1e-6));
  std::string text = format_report(r);
  CHECK_THAT(text, Contains("FAIL (1 outside)"));
  CHECK_THAT(text, Contains("first outside tolerance at t = 4 ms"));
  CHECK_THAT(text, Contains("FAIL: 1 of 1 comparisons failed (N/v)"));

  SECTION("a plain atol is in the reference's unit (V)") {
    CompareSettings s;
    s.atol = 3e-6;
    CHECK(compare_files(dir.file("run.h5"), dir.file("ref.h5"), s).passed());
    s.atol = 1e-6;
    CHECK_FALSE(compare_files(dir.file("run.h5"), dir.file("ref.h5"), s).passed());
  }
  SECTION("a per-variable atol is converted from its own unit") {
    CompareSettings s;
    s.atol_for["v"] = {3, "uV"};
    CompareReport ok = compare_files(dir.file("run.h5"), dir.file("ref.h5"), s);
    CHECK(ok.passed());
    CHECK(only_trace(ok).atol == Approx(3e-6));
    s.atol_for["v"] = {1.5, "uV"};
    CHECK_FALSE(compare_files(dir.file("run.h5"), dir.file("ref.h5"), s).passed());
  }
  SECTION("a tolerance of the wrong dimension or for no variable is a usage error") {
    CompareSettings s;
    s.atol_for["v"] = {1, "nA"};
    CHECK_THROWS_WITH(compare_files(dir.file("run.h5"), dir.file("ref.h5"), s),
                      Contains("nA is current") && Contains("v is in V, voltage"));
    s.atol_for.clear();
    s.atol_for["w"] = {1, ""};
    CHECK_THROWS_AS(compare_files(dir.file("run.h5"), dir.file("ref.h5"), s), CompareUsageError);
  }
  SECTION("rtol scales with |ref|: 2 uV of 64.6 mV is 3.1e-5 relative") {
    CompareSettings s;
    s.rtol = 4e-5;
    CHECK(compare_files(dir.file("run.h5"), dir.file("ref.h5"), s).passed());
    s.rtol = 2e-5;
    CHECK_FALSE(compare_files(dir.file("run.h5"), dir.file("ref.h5"), s).passed());
  }
}

TEST_CASE("the run is interpolated linearly where the time grids differ") {
  TempDir dir;
  // Run every 0.2 ms over 0..10 ms; reference every 0.1 ms over 0..11.9 ms.
  auto write_pair = [&](auto f) {
    H5Writer run(dir.file("run.h5"));
    SonataReport rep;
    rep.step_ms = 0.2;
    for (size_t k = 0; k <= 50; ++k) rep.rows.push_back(f(k * 0.2));
    write_report(run, rep);
    H5Writer ref(dir.file("ref.h5"));
    write_flat_time(ref, 120, 1e-4);
    std::vector<double> v;
    for (size_t k = 0; k < 120; ++k) v.push_back(f(k * 0.1) * 1e-3);
    write_flat_trace(ref, "v", v, "V");
  };
  SECTION("a linear trace matches at every reference time in the run's span") {
    write_pair([](double t_ms) { return 2 + 3 * t_ms; });
    CompareSettings s;
    s.rtol = 1e-9;
    CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), s);
    const TraceComparison& c = only_trace(r);
    CHECK(c.interpolated);
    CHECK(c.samples == 101);  // 0 .. 10 ms; 10.1 .. 11.9 ms lie outside the run
    CHECK(c.ref_samples == 120);
    CHECK(c.passed());
    CHECK_THAT(format_report(r), Contains("101 of 120") && Contains("19 reference samples lie outside"));
  }
  SECTION("a parabola is off by step^2/4 midway between run samples") {
    write_pair([](double t_ms) { return t_ms * t_ms; });
    CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), {});
    const TraceComparison& c = only_trace(r);
    CHECK(c.max_abs == Approx(0.01e-3).epsilon(1e-9));  // (0.2 ms)^2 / 4 = 0.01 mV
    CHECK(c.failures == 50);                            // every midpoint
    CHECK(c.fail_t_s == Approx(0.1e-3));
  }
}

TEST_CASE("a pair without common times, neurons or dimension fails and says why") {
  TempDir dir;
  write_run(dir.file("run.h5"), 100);  // 0 .. 9.9 ms
  SECTION("no overlap") {
    H5Writer w(dir.file("ref.h5"));
    std::vector<double> t;
    for (size_t k = 0; k < 10; ++k) t.push_back(0.02 + k * 1e-4);
    w.doubles("/t", t);
    write_flat_trace(w, "v", std::vector<double>(10, -0.065), "V");
  }
  SECTION("dimensions") {
    H5Writer w(dir.file("ref.h5"));
    write_flat_time(w, 100, 1e-4);
    write_flat_trace(w, "v", v_rows(100), "nA");
  }
  CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), {});
  const TraceComparison& c = only_trace(r);
  CHECK_FALSE(c.passed());
  CHECK_FALSE(r.passed());
  CHECK(r.comparable());
  CHECK_THAT(c.problem, Contains("no reference sample lies in the run's time span") ||
                            Contains("units of different dimensions: mV (voltage (V)) in the run, nA (current (A))"));
}

TEST_CASE("a missing unit attribute is taken to be the other file's, with a note") {
  TempDir dir;
  write_run(dir.file("run.h5"));
  {
    H5Writer w(dir.file("ref.h5"));
    write_flat_time(w, 100, 1e-4);
    w.doubles("/v", v_rows(100));  // in mV, but the file does not say so
  }
  CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), {});
  CHECK(r.passed());
  CHECK(only_trace(r).unit == "mV");
  CHECK_THAT(format_report(r), Contains("N/v: the reference gives no unit; taken to be mV"));

  // A pure number: "1" on one side and nothing on the other agree without a note.
  {
    H5Writer w(dir.file("run1.h5"));
    SonataReport rep;
    rep.variable = "w";
    rep.units = "1";
    rep.rows = std::vector<double>(100, 0.5);
    write_report(w, rep);
    H5Writer ref(dir.file("ref1.h5"));
    write_flat_time(ref, 100, 1e-4);
    ref.doubles("/w", std::vector<double>(100, 0.5));
  }
  r = compare_files(dir.file("run1.h5"), dir.file("ref1.h5"), {});
  CHECK(r.passed());
  CHECK(r.notes.empty());
}

TEST_CASE("float32 run traces are read and converted") {
  TempDir dir;
  {
    H5Writer w(dir.file("run.h5"));
    std::vector<float> rows;
    for (size_t k = 0; k < 100; ++k) rows.push_back(static_cast<float>(v_mV(k)));
    w.floats("/report/N/v/data", rows, {100, 1});
    w.attr("/report/N/v/data", "units", "mV");
    w.doubles("/report/N/v/mapping/time", {0, 10, 0.1});  // no units: ms, as in SONATA
  }
  write_ref(dir.file("ref.h5"));
  CompareSettings s;
  s.rtol = 1e-6;  // float32 keeps 6e-8 relative
  CHECK(compare_files(dir.file("run.h5"), dir.file("ref.h5"), s).passed());
  s.rtol = 1e-12;
  CHECK_FALSE(compare_files(dir.file("run.h5"), dir.file("ref.h5"), s).passed());
}

TEST_CASE("2-D references pair their columns with the run's node ids, in either orientation") {
  TempDir dir;
  const size_t n = 20, neurons = 4;
  auto value = [](size_t k, size_t node) { return -60.0 - node + 0.1 * k; };  // mV
  {
    H5Writer w(dir.file("run.h5"));
    SonataReport rep;
    rep.node_ids = {1, 3};
    for (size_t k = 0; k < n; ++k)
      for (uint64_t node : rep.node_ids) rep.rows.push_back(value(k, node));
    write_report(w, rep);
  }
  std::vector<double> by_time, by_neuron;  // [n_times, n_neurons] and [n_neurons, n_times]
  for (size_t k = 0; k < n; ++k)
    for (size_t i = 0; i < neurons; ++i) by_time.push_back(value(k, i) * 1e-3);
  for (size_t i = 0; i < neurons; ++i)
    for (size_t k = 0; k < n; ++k) by_neuron.push_back(value(k, i) * 1e-3 + (i == 3 && k == 5 ? 1e-3 : 0));
  {
    H5Writer w(dir.file("ref.h5"));
    write_flat_time(w, n, 1e-4);
    write_flat_trace(w, "v", by_time, "V", {n, neurons});
    write_flat_trace(w, "v_t", by_neuron, "V", {neurons, n});
  }
  CompareSettings s;
  s.map = {{"v", "v"}};
  CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), s);
  CHECK(r.passed());
  CHECK(only_trace(r).columns == 2);
  CHECK_THAT(format_report(r), Contains("20 x 2") &&
                                   Contains("2 neurons in common; 2 in the run, 4 in the reference") &&
                                   Contains("reference v_t: not in the run file"));

  s.map = {{"N/v", "v_t"}};
  r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), s);
  const TraceComparison& c = only_trace(r);
  CHECK(c.failures == 1);
  CHECK(c.fail_node == 3);
  CHECK(c.fail_t_s == Approx(5e-4));
  CHECK_THAT(format_report(r), Contains("at t = 0.5 ms, neuron 3"));
}

TEST_CASE("variables pair by name, within --population, and by --map") {
  TempDir dir;
  {
    H5Writer w(dir.file("run.h5"));
    SonataReport e;
    e.population = "E";
    e.rows = v_rows(100);
    write_report(w, e);
    SonataReport i = e;
    i.population = "I";
    i.rows = v_rows(100, 2);
    write_report(w, i);
    SonataReport vm = e;
    vm.variable = "v_m";
    write_report(w, vm);
  }
  write_ref(dir.file("ref.h5"));
  std::string run = dir.file("run.h5"), ref = dir.file("ref.h5");

  SECTION("a name in several populations is not guessed") {
    CompareReport r = compare_files(run, ref, {});
    CHECK(r.traces.empty());
    CHECK_FALSE(r.comparable());
    CHECK_FALSE(r.passed());
    std::string text = format_report(r);
    CHECK_THAT(text,
               Contains("reference v: in several run populations (E/v, I/v); choose one with --population or --map"));
    CHECK_THAT(text, Contains("NOTHING TO COMPARE"));
  }
  SECTION("--population picks one") {
    CompareSettings s;
    s.population = "E";
    CompareReport r = compare_files(run, ref, s);
    CHECK(only_trace(r).run_name == "E/v");
    CHECK(r.passed());
    s.population = "I";
    CHECK_FALSE(compare_files(run, ref, s).passed());  // I/v is twice E/v
  }
  SECTION("--map pairs names, written P/v, P.v or a bare name") {
    for (std::string name : {"E/v_m", "E.v_m", "v_m"}) {
      CompareSettings s;
      s.map = {{name, "v"}};
      CompareReport r = compare_files(run, ref, s);
      CHECK(only_trace(r).run_name == "E/v_m");
      CHECK(r.passed());
    }
  }
  SECTION("unknown names, ambiguous names and populations are usage errors") {
    CompareSettings s;
    s.map = {{"w", "v"}};
    CHECK_THROWS_WITH(
        compare_files(run, ref, s),
        Contains("--map w=v: the run file has no variable or spike train 'w' (variables: E/v, E/v_m, I/v"));
    s.map = {{"v", "v"}};
    CHECK_THROWS_WITH(compare_files(run, ref, s), Contains("'v' is ambiguous in the run file (E/v, I/v)"));
    s.map.clear();
    s.population = "X";
    CHECK_THROWS_AS(compare_files(run, ref, s), CompareUsageError);
  }
}

TEST_CASE("spike times match greedily within the tolerance") {
  const double ms = 1e-3;
  SECTION("identical") {
    SpikeMatch m = match_spike_times({1 * ms, 2 * ms}, {1 * ms, 2 * ms}, 0.05 * ms);
    CHECK(m.matched == 2);
    CHECK(m.missing == 0);
    CHECK(m.extra == 0);
    CHECK(m.max_dt_s == 0);
  }
  SECTION("shifted, missing and extra") {
    // run:  1.00  2.00        5.00  9.00
    // ref:  1.04        3.00  5.10
    SpikeMatch m = match_spike_times({1 * ms, 2 * ms, 5 * ms, 9 * ms}, {1.04 * ms, 3 * ms, 5.1 * ms}, 0.05 * ms);
    CHECK(m.matched == 1);
    CHECK(m.missing == 2);  // 3.00, 5.10
    CHECK(m.extra == 3);    // 2.00, 5.00, 9.00
    CHECK(m.max_dt_s == Approx(0.04 * ms));
    CHECK(*m.first_missing_s == Approx(3 * ms));
    CHECK(*m.first_extra_s == Approx(2 * ms));
  }
  SECTION("each spike is matched once, and greedy matching finds the most matches") {
    SpikeMatch m = match_spike_times({1 * ms, 1.08 * ms}, {1.04 * ms, 1.12 * ms}, 0.05 * ms);
    CHECK(m.matched == 2);
    m = match_spike_times({1 * ms}, {0.98 * ms, 1.02 * ms}, 0.05 * ms);
    CHECK(m.matched == 1);
    CHECK(m.missing == 1);
  }
  SECTION("empty sides") {
    CHECK(match_spike_times({}, {}, 0).matched == 0);
    CHECK(match_spike_times({}, {1 * ms}, 0).missing == 1);
    CHECK(match_spike_times({1 * ms}, {}, 0).extra == 1);
  }
}

TEST_CASE("spike trains pair per neuron, and the reference's spikes_index names the neuron") {
  TempDir dir;
  {
    H5Writer w(dir.file("run.h5"));
    SonataReport rep;
    rep.rows = v_rows(100);
    write_report(w, rep);
    // Neuron 1 spikes at 2 ms and 6 ms; neuron 0 at 3 ms and 7.5 ms (not in time order by id).
    write_spikes(w, "N", {2.0, 3.0, 6.0, 7.5}, {1, 0, 1, 0});
  }
  {
    H5Writer w(dir.file("ref.h5"));
    write_flat_time(w, 100, 1e-4);
    write_flat_trace(w, "v", v_rows(100, 1e-3), "V");
    // Neuron 0 at 3.04 ms and 7.5 ms; neuron 1 at 2 ms only; 6 ms fires in neuron 0.
    write_flat_spikes(w, {2e-3, 3.04e-3, 6e-3, 7.5e-3}, {1, 0, 0, 0});
  }
  CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), {});
  REQUIRE(r.spikes.size() == 1);
  const SpikeComparison& c = r.spikes[0];
  CHECK(r.spike_tol_s == Approx(0.05e-3));  // half the reference's dt
  CHECK(c.run_name == "N");
  CHECK(c.ref_name == "spikes");
  CHECK(c.run_count == 4);
  CHECK(c.ref_count == 4);
  CHECK(c.match.matched == 3);
  CHECK(c.match.missing == 1);  // neuron 0 at 6 ms
  CHECK(c.match.extra == 1);    // neuron 1 at 6 ms
  CHECK(*c.first_missing_node == 0);
  CHECK(*c.first_extra_node == 1);
  CHECK(c.match.max_dt_s == Approx(0.04e-3));
  CHECK_FALSE(c.passed());
  CHECK_FALSE(r.passed());
  CHECK_THAT(format_report(r), Contains("spikes N vs spikes: 4 run, 4 reference; 3 matched, 1 missing, 1 extra") &&
                                   Contains("first missing: 6 ms, neuron 0"));

  CompareSettings s;
  s.spike_tol_s = 0.03e-3;  // the 3.04 ms spike no longer matches
  SpikeComparison tight = compare_files(dir.file("run.h5"), dir.file("ref.h5"), s).spikes.at(0);
  CHECK(tight.match.matched == 2);
  CHECK(tight.match.missing == 2);
  CHECK(tight.match.extra == 2);
}

TEST_CASE("the reference's spikes pair with the run population of its variables, others by --map") {
  TempDir dir;
  {
    H5Writer w(dir.file("run.h5"));
    SonataReport rep;
    rep.rows = v_rows(100);
    write_report(w, rep);
    write_spikes(w, "G", {1.0, 2.0}, {0, 0});  // an input population, no traces
  }
  {
    H5Writer w(dir.file("ref.h5"));
    write_flat_time(w, 100, 1e-4);
    write_flat_trace(w, "v", v_rows(100, 1e-3), "V");
    write_flat_spikes(w, {});  // N never spikes
    w.doubles("/input_spikes", {1e-3, 2e-3});
    w.attr("/input_spikes", "unit", "s");
    w.i64("/input_spike_steps", {10, 20});
  }
  CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), {});
  CHECK(r.passed());
  CHECK(r.spikes.empty());
  std::string text = format_report(r);
  CHECK_THAT(text, Contains("reference spikes (0 spikes): the run file has no spikes of N"));
  CHECK_THAT(text,
             Contains("reference input_spikes: not compared; pair it with a run population by --map POP=input_spikes"));
  CHECK_THAT(text, Contains("run spikes of G (2): no reference spike train"));

  CompareSettings s;
  s.map = {{"G", "input_spikes"}};
  r = compare_files(dir.file("run.h5"), dir.file("ref.h5"), s);
  REQUIRE(r.spikes.size() == 1);
  CHECK(r.spikes[0].match.matched == 2);
  CHECK(r.passed());
}

TEST_CASE("files that cannot be read, or hold nothing comparable, say why") {
  TempDir dir;
  write_run(dir.file("run.h5"));
  CHECK_THROWS_WITH(compare_files(dir.file("run.h5"), dir.file("missing.h5"), {}),
                    Contains("cannot read " + dir.file("missing.h5")) && Contains("No such file"));
  std::ofstream(dir.file("text.h5")) << "t,v\n0,-65\n";
  CHECK_THROWS_WITH(compare_files(dir.file("run.h5"), dir.file("text.h5"), {}), Contains("not an HDF5 file"));
  {
    H5Writer w(dir.file("other.h5"));
    w.group("/foo");
  }
  CHECK_THROWS_WITH(compare_files(dir.file("other.h5"), dir.file("run.h5"), {}), Contains("neither layout"));
  {
    H5Writer w(dir.file("no_probes.h5"));  // a run that probed nothing: only /axon
    w.doubles("/axon/dt", {0.025});
  }
  CompareReport empty = compare_files(dir.file("no_probes.h5"), dir.file("run.h5"), {});
  CHECK(empty.run_layout == TraceLayout::Sonata);
  CHECK_FALSE(empty.comparable());
  CHECK_THAT(format_report(empty), Contains("reference N/v: not in the run file"));
  {
    H5Writer w(dir.file("bad.h5"));
    w.doubles("/report/N/v/data", {1, 2, 3}, {3, 1});
    w.u64("/report/N/v/mapping/node_ids", {0, 1});
    w.doubles("/report/N/v/mapping/time", {0, 0.3, 0.1});
  }
  CHECK_THROWS_AS(compare_files(dir.file("bad.h5"), dir.file("run.h5"), {}), IoError);
  CHECK_THROWS_WITH(compare_files(dir.file("bad.h5"), dir.file("run.h5"), {}),
                    Contains("/report/N/v/mapping/node_ids: 2 node ids for 1 columns"));

  {
    H5Writer w(dir.file("ref_w.h5"));
    write_flat_time(w, 100, 1e-4);
    write_flat_trace(w, "w", std::vector<double>(100, 0.5), "1");
    w.doubles("/odd", {1, 2, 3});
  }
  CompareReport r = compare_files(dir.file("run.h5"), dir.file("ref_w.h5"), {});
  CHECK_FALSE(r.comparable());
  CHECK_FALSE(r.passed());
  std::string text = format_report(r);
  CHECK_THAT(text, Contains("reference w: not in the run file") && Contains("run N/v: not in the reference file") &&
                       Contains("reference file: odd: 3, no axis has the length of t (100)") &&
                       Contains("NOTHING TO COMPARE"));
}

TEST_CASE("two runs in the SONATA layout compare population by population") {
  TempDir dir;
  for (const char* name : {"a.h5", "b.h5"}) {
    H5Writer w(dir.file(name));
    SonataReport e;
    e.population = "E";
    e.rows = v_rows(50);
    write_report(w, e);
    SonataReport i = e;
    i.population = "I";
    i.units = "V";
    i.rows = v_rows(50, std::string(name) == "a.h5" ? 1e-3 : 1e-3 * (1 + 1e-7));
    write_report(w, i);
    write_spikes(w, "E", {1.0}, {0});
  }
  CompareReport r = compare_files(dir.file("a.h5"), dir.file("b.h5"), {});
  REQUIRE(r.traces.size() == 2);
  CHECK(r.traces[0].run_name == "E/v");
  CHECK(r.traces[0].ref_name == "E/v");
  CHECK(r.traces[1].run_name == "I/v");
  CHECK(r.traces[1].passed());  // 1e-7 relative
  REQUIRE(r.spikes.size() == 1);
  CHECK(r.passed());
}
