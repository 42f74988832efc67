// The shipped models against the Brian2 references of ../shared/refs, through the same
// library call as `axon compare`; then a perturbed copy, and the command's exit codes.

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "runtime/io/compare.h"
#include "tests/compare/fixtures.h"

using namespace axon::io;
using namespace axon::io::test;
using Catch::Matchers::Contains;

namespace {

const std::string kAxon = AXON_BINARY_DIR "/cli/axon";
const std::string kRefs = AXON_SHARED_REFS_DIR;

struct Result {
  int rc = -1;
  std::string out;
};

// Runs `axon ARGS` with stderr joined to stdout.
Result run_axon(const std::string& args) {
  REQUIRE(std::filesystem::exists(kAxon));  // built with the `axon` target
  Result r;
  FILE* p = ::popen(("'" + kAxon + "' " + args + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The output of `axon run models/NAME.axon`, made once per test process.
const std::string& run_output(const std::string& model) {
  static TempDir dir;
  static std::map<std::string, std::string> made;
  auto it = made.find(model);
  if (it != made.end()) return it->second;
  std::string out = dir.file(model + ".h5");
  Result r = run_axon("run '" AXON_SOURCE_DIR "/models/" + model + ".axon' -o '" + out + "' -q");
  INFO(r.out);
  REQUIRE(r.rc == 0);
  return made[model] = out;
}

// Modifies a dataset of doubles in place.
template <class F>
void edit_doubles(const std::string& file, const std::string& path, F edit) {
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(f >= 0);
  hid_t d = H5Dopen2(f, path.c_str(), H5P_DEFAULT);
  REQUIRE(d >= 0);
  hid_t space = H5Dget_space(d);
  std::vector<double> values(H5Sget_simple_extent_npoints(space));
  REQUIRE(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  edit(values);
  REQUIRE(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
}

// lif_const: v 1 mV off at 50 ms, and the 4th spike (61.2 ms) moved 1 ms later.
std::string perturbed_lif(const TempDir& dir) {
  std::string copy = dir.file("lif_perturbed.h5");
  std::filesystem::copy_file(run_output("lif_const"), copy, std::filesystem::copy_options::overwrite_existing);
  edit_doubles(copy, "/report/N/v/data", [](std::vector<double>& v) { v.at(500) += 1.0; });
  edit_doubles(copy, "/spikes/N/timestamps", [](std::vector<double>& t) { t.at(3) += 1.0; });
  return copy;
}

}  // namespace

TEST_CASE("models/lif_const.axon reproduces refs/lif_const.h5: v to 1e-9, identical spikes") {
  CompareSettings s;
  s.rtol = 1e-9;  // same exact propagator in float64; differences are rounding only
  CompareReport r = compare_files(run_output("lif_const"), kRefs + "/lif_const.h5", s);
  INFO(format_report(r));
  REQUIRE(r.traces.size() == 1);
  const TraceComparison& v = r.traces[0];
  CHECK(v.run_name == "N/v");
  CHECK(v.ref_name == "v");
  CHECK(v.run_unit == "mV");
  CHECK(v.unit == "V");
  CHECK(v.samples == 2000);
  CHECK_FALSE(v.interpolated);
  CHECK(v.passed());
  REQUIRE(r.spikes.size() == 1);
  const SpikeComparison& sp = r.spikes[0];
  CHECK(sp.run_count == 12);
  CHECK(sp.ref_count == 12);
  CHECK(sp.match.matched == 12);
  CHECK(sp.match.missing == 0);
  CHECK(sp.match.extra == 0);
  CHECK(sp.match.max_dt_s < 1e-12);  // the same steps; ms and s round differently
  CHECK(r.passed());
  CHECK_THAT(format_report(r), Contains("reference I: not in the run file"));  // I is a stimulus, not probed
}

TEST_CASE("models/coba_synapse.axon reproduces refs/coba_synapse.h5: v and ge to 1e-9") {
  CompareSettings s;
  s.rtol = 1e-9;  // euler in float64, the same operations: rounding only
  CompareReport r = compare_files(run_output("coba_synapse"), kRefs + "/coba_synapse.h5", s);
  INFO(format_report(r));
  REQUIRE(r.traces.size() == 2);
  CHECK(r.traces[0].run_name == "N/ge");
  CHECK(r.traces[0].run_unit == "nS");
  CHECK(r.traces[0].unit == "S");
  CHECK(r.traces[1].run_name == "N/v");
  CHECK(r.passed());
}

TEST_CASE("a perturbed lif_const run fails with the right counts") {
  TempDir dir;
  CompareSettings s;
  s.rtol = 1e-9;
  CompareReport r = compare_files(perturbed_lif(dir), kRefs + "/lif_const.h5", s);
  INFO(format_report(r));
  REQUIRE(r.traces.size() == 1);
  const TraceComparison& v = r.traces[0];
  CHECK(v.failures == 1);
  CHECK(v.fail_t_s == Approx(0.05));
  CHECK(v.max_abs == Approx(1e-3).epsilon(1e-9));  // 1 mV, in V
  CHECK(v.fail_run - v.fail_ref == Approx(1e-3).epsilon(1e-9));
  REQUIRE(r.spikes.size() == 1);
  const SpikeMatch& m = r.spikes[0].match;
  CHECK(m.matched == 11);
  CHECK(m.missing == 1);
  CHECK(m.extra == 1);
  CHECK(*m.first_missing_s == Approx(0.0612));  // step 138 + 3 * 158
  CHECK(*m.first_extra_s == Approx(0.0622));
  CHECK_FALSE(r.passed());
  CHECK_THAT(format_report(r), Contains("FAIL: 2 of 2 comparisons failed (N/v, spikes N)"));

  SECTION("within a 1 mV atol and a 1 ms spike tolerance it passes again") {
    s.atol_for["v"] = {1.001, "mV"};
    s.spike_tol_s = 1.001e-3;
    CHECK(compare_files(perturbed_lif(dir), kRefs + "/lif_const.h5", s).passed());
  }
}

TEST_CASE("axon compare prints the table and exits 0 on pass, 1 on failure, 2 and 3 on errors") {
  TempDir dir;
  std::string lif_ref = "'" + kRefs + "/lif_const.h5'";
  Result ok = run_axon("compare '" + run_output("lif_const") + "' " + lif_ref + " --rtol 1e-9");
  INFO(ok.out);
  CHECK(ok.rc == 0);
  CHECK_THAT(ok.out, Contains("variable  reference  unit  samples  max abs err  max rel err  status"));
  CHECK_THAT(ok.out, Contains("12 matched, 0 missing, 0 extra"));
  CHECK_THAT(ok.out, Contains("PASS: 2 of 2 comparisons within tolerance"));

  Result bad = run_axon("compare '" + perturbed_lif(dir) + "' " + lif_ref + " --rtol 1e-9");
  INFO(bad.out);
  CHECK(bad.rc == 1);
  CHECK_THAT(bad.out, Contains("11 matched, 1 missing, 1 extra") && Contains("FAIL (1 outside)"));
  CHECK(run_axon("compare '" + perturbed_lif(dir) + "' " + lif_ref + " --atol 'v=2 mV' --spike-tol '1.5 ms'").rc == 0);

  Result missing = run_axon("compare '" + dir.file("none.h5") + "' " + lif_ref);
  CHECK(missing.rc == 3);
  CHECK_THAT(missing.out, Contains("cannot read"));
  // Nothing in common: coba's N/v and N/ge against the STDP reference's w, apre, apost.
  Result nothing = run_axon("compare '" + run_output("coba_synapse") + "' '" + kRefs + "/stdp_pair.h5'");
  CHECK(nothing.rc == 3);
  CHECK_THAT(nothing.out, Contains("NOTHING TO COMPARE") && Contains("reference w: not in the run file"));

  CHECK(run_axon("compare '" + run_output("lif_const") + "' " + lif_ref + " --map nope=v").rc == 2);
  CHECK(run_axon("compare '" + run_output("lif_const") + "' " + lif_ref + " --spike-tol 0.05").rc == 2);
  CHECK(run_axon("compare '" + run_output("lif_const") + "' " + lif_ref + " --atol '1 mV'").rc == 2);
  CHECK(run_axon("compare '" + run_output("lif_const") + "' " + lif_ref + " --rtol -1").rc == 2);
  CHECK(run_axon("compare '" + run_output("lif_const") + "'").rc == 2);

  Result help = run_axon("compare --help");
  CHECK(help.rc == 0);
  CHECK_THAT(help.out, Contains("--spike-tol") && Contains("--map") && Contains("Exit status"));
}
