// When OutputFile's file exists and under which name: temp file, rename, abandon, errors.

#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "runtime/io/output_file.h"
#include "tests/io/h5_read.h"

using namespace axon::io;
using namespace axon::io::test;

TEST_CASE("the run writes <out>.tmp and finish() renames it to <out>") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  auto out = OutputFile::create(path);
  CHECK(out->final_path() == path);
  CHECK(out->temp_path() == path + ".tmp");
  CHECK(file_exists(path + ".tmp"));
  CHECK_FALSE(file_exists(path));
  out->add_spike_population("P");
  out->finish(true);
  CHECK_FALSE(file_exists(path + ".tmp"));
  REQUIRE(file_exists(path));
  CHECK(H5Fis_hdf5(path.c_str()) > 0);
  out.reset();  // destroying a finished file must not remove it
  CHECK(file_exists(path));
}

TEST_CASE("create() replaces a stale temp file and an old output on finish") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  std::ofstream(path + ".tmp") << "left over from a crashed run";
  std::ofstream(path) << "an older result";
  auto out = OutputFile::create(path);
  out->write_int64("seed", 5);
  out->finish(true);
  Id file(open_file(path), H5Fclose);
  CHECK(read_all<int64_t>(file, "/axon/seed", H5T_NATIVE_INT64) == std::vector<int64_t>{5});
  CHECK_FALSE(file_exists(path + ".tmp"));
}

TEST_CASE("abandon() removes the temp file and leaves no output") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  auto out = OutputFile::create(path);
  out->add_spike_population("P");
  double t = 1.0;
  uint64_t id = 2;
  out->append_spikes("P", &t, &id, 1);
  REQUIRE(file_exists(path + ".tmp"));
  out->abandon();
  CHECK_FALSE(file_exists(path + ".tmp"));
  CHECK_FALSE(file_exists(path));
  out->abandon();  // again: nothing left to do, and still no throw
  CHECK_THROWS_AS(out->finish(true), std::logic_error);
  CHECK_FALSE(file_exists(path));
}

TEST_CASE("destroying an unfinished OutputFile leaves no file behind") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  {
    auto out = OutputFile::create(path);
    out->add_spike_population("P");
    int report = out->add_report({"P", "v", "mV", {0}});
    double v = -65.0;
    out->append_report_row(report, &v);
    REQUIRE(file_exists(path + ".tmp"));
  }
  CHECK_FALSE(file_exists(path + ".tmp"));
  CHECK_FALSE(file_exists(path));
}

TEST_CASE("create() throws IoError naming the path and the cause when it cannot create") {
  TempDir dir;
  std::ofstream(dir.file("plain_file")) << "not a directory";
  // Tests run as root, whom a read-only directory would not stop; these fail for anyone.
  struct Case {
    std::string path;
    const char* cause;
  };
  for (const Case& c : {Case{dir.file("missing/run.h5"), "No such file or directory"},
                        Case{dir.file("plain_file/run.h5"), "Not a directory"}}) {
    INFO(c.path);
    try {
      OutputFile::create(c.path);
      FAIL("create() did not throw");
    } catch (const IoError& e) {
      std::string message = e.what();
      CHECK_THAT(message, Catch::Contains(c.path));
      CHECK_THAT(message, Catch::Contains(c.cause));
    }
  }
}

TEST_CASE("a failed rename in finish() throws IoError and removes the temp file") {
  TempDir dir;
  // The output path is a non-empty directory, which rename() will not replace.
  std::string path = dir.file("taken");
  std::filesystem::create_directory(path);
  std::ofstream(path + "/keep") << "x";
  auto out = OutputFile::create(path);
  out->write_int64("seed", 1);
  try {
    out->finish(true);
    FAIL("finish() did not throw");
  } catch (const IoError& e) {
    std::string message = e.what();
    CHECK_THAT(message, Catch::Contains(path + ".tmp"));
    CHECK_THAT(message, Catch::Contains("rename"));
  }
  CHECK_FALSE(file_exists(path + ".tmp"));
  CHECK(std::filesystem::is_directory(path));
  CHECK(file_exists(path + "/keep"));
}

// Makes writes past `bytes` fail with EFBIG (as a full disk would fail them) for this
// process, for as long as it lives.
struct FileSizeLimit {
  rlimit old{};
  explicit FileSizeLimit(rlim_t bytes) {
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
    rlimit limit = old;
    limit.rlim_cur = bytes;
    signal(SIGXFSZ, SIG_IGN);  // else the kernel kills the process instead of failing the write
    REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
  }
};

TEST_CASE("a failed write becomes an IoError naming the file, and no file is left") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  auto out = OutputFile::create(path);
  out->add_spike_population("P");
  std::string message;
  {
    FileSizeLimit limit(1 << 20);
    // Random bits do not compress, so 64 blocks (32 MiB) must pass the 1 MiB limit.
    std::mt19937_64 rng(3);
    std::vector<double> times(OutputFile::spike_block);
    std::vector<uint64_t> ids(OutputFile::spike_block);
    try {
      for (int block = 0; block < 64; ++block) {
        for (size_t i = 0; i < times.size(); ++i) {
          times[i] = block + std::uniform_real_distribution<double>(0, 1)(rng);
          ids[i] = rng();
        }
        out->append_spikes("P", times.data(), ids.data(), times.size());
      }
      out->finish(true);
    } catch (const IoError& e) {
      message = e.what();
    }
  }
  CHECK_THAT(message, Catch::Contains(out->temp_path()));
  CHECK_THAT(message, Catch::Contains("File too large"));
  out.reset();  // what the engine does after an error
  CHECK_FALSE(file_exists(path + ".tmp"));
  CHECK_FALSE(file_exists(path));
}

TEST_CASE("spikes that arrive out of time order are marked sorting = none") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  {
    auto out = OutputFile::create(path);
    out->add_spike_population("Ordered");
    out->add_spike_population("Shuffled");
    double ordered[] = {1.0, 1.0, 2.0};
    double shuffled[] = {2.0, 1.0, 3.0};
    uint64_t ids[] = {0, 1, 2};
    out->append_spikes("Ordered", ordered, ids, 3);
    out->append_spikes("Shuffled", shuffled, ids, 3);
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);
  for (auto [group, expected] : {std::pair{"/spikes/Ordered", "by_time"}, std::pair{"/spikes/Shuffled", "none"}}) {
    INFO(group);
    Id attr(H5Aopen_by_name(file, group, "sorting", H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    Id type(H5Aget_type(attr), H5Tclose);
    int8_t value = -1;
    REQUIRE(H5Aread(attr, type, &value) >= 0);
    char name[16] = {};
    REQUIRE(H5Tenum_nameof(type, &value, name, sizeof name) >= 0);
    CHECK(std::string(name) == expected);
  }
}

TEST_CASE("misuse of the API is a logic_error, not an IoError") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  auto out = OutputFile::create(path);
  out->add_spike_population("P");
  double t = 0;
  uint64_t id = 0;
  double row[1] = {0};
  CHECK_THROWS_AS(out->append_spikes("Q", &t, &id, 1), std::logic_error);
  CHECK_THROWS_AS(out->add_spike_population("P"), std::logic_error);
  CHECK_THROWS_AS(out->add_spike_population("a/b"), std::invalid_argument);
  CHECK_THROWS_AS(out->add_spike_population(""), std::invalid_argument);
  int report = out->add_report({"P", "v", "mV", {0}});
  CHECK_THROWS_AS(out->add_report({"P", "v", "mV", {0}}), std::logic_error);
  CHECK_THROWS_AS(out->add_report({"P", "x/y", "mV", {0}}), std::invalid_argument);
  CHECK_THROWS_AS(out->add_report({"P", "w", "mV", {0}, 0.0, 0.0}), std::invalid_argument);
  CHECK_THROWS_AS(out->append_report_row(report + 1, row), std::logic_error);
  CHECK_THROWS_AS(out->append_report_row(-1, row), std::logic_error);
  // None of the above may have broken the file.
  out->append_report_row(report, row);
  out->finish(true);
  CHECK(file_exists(path));
  CHECK_THROWS_AS(out->append_report_row(report, row), std::logic_error);
  CHECK_THROWS_AS(out->write_int64("seed", 1), std::logic_error);
  CHECK_THROWS_AS(out->finish(true), std::logic_error);
  CHECK(file_exists(path));  // and a misuse after finish() does not remove the result
}
