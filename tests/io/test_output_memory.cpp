// OutputFile's memory stays bounded however long the run: the peak RSS of a long report.

#include <catch2/catch.hpp>

#include "runtime/io/output_file.h"
#include "tests/io/h5_read.h"

using namespace axon::io;
using namespace axon::io::test;

namespace {

double sample(size_t row, size_t value) {
  // Smooth, trace-like values: they compress as real traces do, so the test measures
  // the writer rather than zlib's speed on noise.
  return -70.0 + 0.01 * static_cast<double>(value) + 0.5 * static_cast<double>(row % 200);
}

}  // namespace

TEST_CASE("200k rows of 1000 values are written with bounded memory") {
  TempDir dir;
  std::string path = dir.file("long.h5");
  const size_t n_rows = 200000, n_values = 1000;
  // The bound: the 4 MiB row buffer, HDF5's working memory (a compressed chunk,
  // its metadata cache) and the allocator's slack fit well inside 64 MiB, while
  // keeping the data (1.6 GB) or any sizeable fraction of it in memory would not.
  const size_t bound = size_t{64} << 20;
  REQUIRE(n_rows * n_values * sizeof(double) > 20 * bound);
  std::vector<uint64_t> ids(n_values);
  for (size_t i = 0; i < n_values; ++i) ids[i] = i;
  std::vector<double> row(n_values);

  // Peaks of earlier tests (or of Catch) must not hide this one's.
  if (!reset_peak_rss()) WARN("cannot reset VmHWM; the peak may include earlier tests");
  size_t before = peak_rss_bytes();
  size_t after_first_quarter = 0;
  {
    auto out = OutputFile::create(path);
    int report = out->add_report({"P", "v", "mV", ids, 0.0, 0.1});
    for (size_t r = 0; r < n_rows; ++r) {
      for (size_t i = 0; i < n_values; ++i) row[i] = sample(r, i);
      out->append_report_row(report, row.data());
      if (r + 1 == n_rows / 4) after_first_quarter = peak_rss_bytes();
    }
    out->finish(true);
  }
  size_t after = peak_rss_bytes();
  INFO("peak RSS growth: " << (after - before) / 1024
                           << " KiB; after a quarter of the rows: " << (after_first_quarter - before) / 1024 << " KiB");
  CHECK(after - before < bound);
  // Bounded, not merely small: the last three quarters of the run add (almost) nothing.
  CHECK(after - after_first_quarter < (size_t{8} << 20));

  Id file(open_file(path), H5Fclose);
  REQUIRE(dims_of(file, "/report/P/v/data") == std::vector<hsize_t>{n_rows, n_values});
  for (size_t r : {size_t{0}, size_t{12345}, n_rows / 2 + 1, n_rows - 1}) {
    INFO("row " << r);
    std::vector<double> stored = read_row(file, "/report/P/v/data", r, n_values);
    size_t wrong = 0;
    for (size_t i = 0; i < n_values; ++i) wrong += stored[i] != sample(r, i);
    CHECK(wrong == 0);
  }
}
