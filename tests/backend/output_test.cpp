// The HDF5 file of a run (docs: ../shared/design/output.md), read back with the HDF5 C
// API; the CLI's exit codes and cleanup on errors; determinism of whole runs.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "backend_util.h"

namespace bt = axon::backend_test;

namespace {

const double kCubaDurationMs = 100;

bt::ProcessResult run_cli(const std::vector<std::string>& args, const std::string& scratch) {
  std::vector<std::string> argv = {bt::cli_path(), "run"};
  argv.insert(argv.end(), args.begin(), args.end());
  return bt::run_process(argv, scratch);
}

// Nothing at `path`, and no `path.tmp` either.
void check_no_output(const std::string& path) {
  CHECK_FALSE(bt::exists(path));
  CHECK_FALSE(bt::exists(path + ".tmp"));
}

}  // namespace

TEST_CASE("output file of models/cuba.axon: SONATA layout and /axon metadata", "[backend][output]") {
  bt::TempDir dir;
  axon::engine::RunRequest req;
  req.output = dir.file("cuba.h5");
  req.duration = kCubaDurationMs * 1e-3;
  bt::RunResult r = bt::run_model_file(bt::source_path("models/cuba.axon"), req);
  INFO(r.diagnostics);
  REQUIRE(r.status == axon::engine::RunStatus::Ok);
  REQUIRE(r.summary.complete);
  CHECK_FALSE(bt::exists(req.output + ".tmp"));
  bt::H5Id f(bt::h5_open(req.output), H5Fclose, req.output);

  // Root attributes.
  CHECK(bt::h5_attr_stored_as(f, "/", "magic", H5T_STD_U32LE));
  CHECK(bt::h5_attr_doubles(f, "/", "magic") == std::vector<double>{0x0A7A});
  CHECK(bt::h5_attr_stored_as(f, "/", "version", H5T_STD_U32LE));
  CHECK(bt::h5_attr_doubles(f, "/", "version") == std::vector<double>{0, 1});

  // Spikes.
  const std::string ts = "/spikes/P/timestamps", ids = "/spikes/P/node_ids";
  CHECK(bt::h5_stored_as(f, ts, H5T_IEEE_F64LE));
  CHECK(bt::h5_stored_as(f, ids, H5T_STD_U64LE));
  CHECK(bt::h5_attr_string(f, ts, "units") == std::string("ms"));
  bt::EnumValue sorting = bt::h5_attr_enum(f, "/spikes/P", "sorting");
  CHECK(sorting.name == "by_time");
  CHECK(sorting.value == 2);
  std::vector<double> t = bt::h5_doubles(f, ts);
  std::vector<uint64_t> n = bt::h5_uint64s(f, ids);
  REQUIRE(t.size() == n.size());
  REQUIRE(t.size() > 100);  // CUBA fires at ~20 Hz x 4000 neurons: thousands of spikes in 100 ms
  CHECK(t.size() == r.summary.populations.at(0).spikes);
  bool sorted = true, on_grid = true, in_range = true;
  for (size_t k = 0; k < t.size(); ++k) {
    if (k > 0 && t[k] < t[k - 1]) sorted = false;
    if (std::abs(t[k] / 0.1 - std::round(t[k] / 0.1)) > 1e-6) on_grid = false;
    if (t[k] < 0 || t[k] >= kCubaDurationMs || n[k] >= 4000) in_range = false;
  }
  CHECK(sorted);
  CHECK(on_grid);
  CHECK(in_range);
  CHECK(bt::h5_has_filter(f, ts, H5Z_FILTER_DEFLATE));

  // The report of P[0:10].v every 1 ms.
  const std::string rep = "/report/P/v";
  CHECK(bt::h5_dims(f, rep + "/data") == std::vector<hsize_t>{static_cast<hsize_t>(kCubaDurationMs), 10});
  CHECK(bt::h5_stored_as(f, rep + "/data", H5T_IEEE_F64LE));
  CHECK(bt::h5_attr_string(f, rep + "/data", "units") == std::string("mV"));
  CHECK(bt::h5_has_filter(f, rep + "/data", H5Z_FILTER_DEFLATE));
  std::vector<double> v = bt::h5_doubles(f, rep + "/data");
  // Row 0 is the initial state, Uniform(-60 mV, -50 mV); later rows are membrane
  // potentials in mV (inhibition can push them somewhat below the reset).
  for (size_t i = 0; i < 10; ++i) CHECK((v[i] >= -60 && v[i] <= -50));
  bool plausible = true;
  for (double x : v) plausible = plausible && std::isfinite(x) && x > -100 && x < -49;
  CHECK(plausible);
  std::vector<uint64_t> node_ids = bt::h5_uint64s(f, rep + "/mapping/node_ids");
  CHECK(node_ids == std::vector<uint64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(bt::h5_doubles(f, rep + "/mapping/time") == std::vector<double>{0, kCubaDurationMs, 1});
  CHECK(bt::h5_attr_string(f, rep + "/mapping/time", "units") == std::string("ms"));
  CHECK(bt::h5_exists(f, rep + "/mapping/element_ids"));
  CHECK(bt::h5_exists(f, rep + "/mapping/index_pointers"));

  // Metadata.
  CHECK(bt::h5_uint64s(f, "/axon/complete") == std::vector<uint64_t>{1});
  std::string source = bt::h5_string(f, "/axon/model_source");
  std::string model = bt::read_text_file(bt::source_path("models/cuba.axon"));
  REQUIRE(model.size() > 100);
  CHECK(source.find(model) != std::string::npos);
  // The imported receptor models are part of the model as compiled.
  CHECK(source.find("receptor ExpVoltage") != std::string::npos);
}

TEST_CASE("an unwritable output path: exit 3, no output and no .tmp left", "[backend][output]") {
  bt::TempDir dir;
  const std::string model = bt::source_path("models/lif_const.axon");

  SECTION("under a directory that does not exist") {
    std::string out = dir.file("missing/out.h5");
    bt::ProcessResult p = run_cli({model, "-o", out, "-q"}, dir.path);
    INFO(p.err);
    CHECK(p.exit_code == 3);
    CHECK(p.err.find("out.h5") != std::string::npos);  // the error names the file
    check_no_output(out);
  }
  SECTION("under a regular file") {
    std::string file = dir.file("plain");
    bt::write_text_file(file, "not a directory\n");
    std::string out = file + "/out.h5";
    bt::ProcessResult p = run_cli({model, "-o", out, "-q"}, dir.path);
    INFO(p.err);
    CHECK(p.exit_code == 3);
    check_no_output(out);
    CHECK(bt::read_text_file(file) == "not a directory\n");
  }
  SECTION("an existing directory: the temp file is written, the final rename fails") {
    std::string out = dir.file("adir");
    std::filesystem::create_directory(out);
    bt::ProcessResult p = run_cli({model, "-o", out, "-q"}, dir.path);
    INFO(p.err);
    CHECK(p.exit_code == 3);
    CHECK(std::filesystem::is_directory(out));
    CHECK(std::filesystem::is_empty(out));
    CHECK_FALSE(bt::exists(out + ".tmp"));
  }
}

TEST_CASE("a model error leaves no output file", "[backend][output]") {
  bt::TempDir dir;
  SECTION("front-end error (unit mismatch)") {
    std::string model = dir.file("bad.axon");
    bt::write_text_file(model,
                        "neuron Bad {\n  parameter tau = 10 ms\n  state v = 0 mV\n  v' = -v / tau + 1 nA\n}\n"
                        "network Net {\n  population P = Bad[1]\n  probe P.v\n}\n"
                        "run Net { duration = 10 ms; dt = 0.1 ms }\n");
    std::string out = dir.file("out.h5");
    bt::ProcessResult p = run_cli({model, "-o", out, "-q"}, dir.path);
    INFO(p.err);
    CHECK(p.exit_code == 1);
    CHECK(p.err.find("error") != std::string::npos);
    check_no_output(out);
  }
  SECTION("back-end error (an unknown population in --set)") {
    std::string out = dir.file("out.h5");
    bt::ProcessResult p =
        run_cli({bt::source_path("models/lif_const.axon"), "-o", out, "-q", "--set", "Nope.tau_m=10 ms"}, dir.path);
    INFO(p.err);
    CHECK(p.exit_code == 1);
    CHECK(p.err.find("E080") != std::string::npos);
    check_no_output(out);
  }
}

TEST_CASE("cuba runs are deterministic per seed", "[backend][output][determinism]") {
  bt::TempDir dir;
  const std::string model = bt::source_path("models/cuba.axon");
  auto run = [&](const std::string& name, const std::string& seed) {
    std::string out = dir.file(name);
    bt::ProcessResult p = run_cli({model, "-o", out, "-q", "--duration", "100 ms", "--seed", seed}, dir.path);
    INFO(p.err);
    REQUIRE(p.exit_code == 0);
    return out;
  };
  std::string a = run("a.h5", "5"), b = run("b.h5", "5"), c = run("c.h5", "6");
  bt::H5Id fa(bt::h5_open(a), H5Fclose, a), fb(bt::h5_open(b), H5Fclose, b), fc(bt::h5_open(c), H5Fclose, c);
  const std::vector<std::string> datasets = {"/spikes/P/timestamps", "/spikes/P/node_ids", "/report/P/v/data"};
  for (const std::string& d : datasets) {
    INFO(d);
    std::vector<unsigned char> ra = bt::h5_raw(fa, d), rb = bt::h5_raw(fb, d);
    CHECK(!ra.empty());
    CHECK(ra == rb);
  }
  // Another seed draws other connections and initial potentials: other spikes.
  CHECK(bt::h5_raw(fa, "/spikes/P/node_ids") != bt::h5_raw(fc, "/spikes/P/node_ids"));
  CHECK(bt::h5_raw(fa, "/report/P/v/data") != bt::h5_raw(fc, "/report/P/v/data"));
  CHECK(bt::h5_uint64s(fa, "/axon/seed") == std::vector<uint64_t>{5});
  CHECK(bt::h5_uint64s(fc, "/axon/seed") == std::vector<uint64_t>{6});
}
