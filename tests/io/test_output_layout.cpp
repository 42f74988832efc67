// What OutputFile writes: the SONATA layout of output.md, read back with the HDF5 C API.

#include <catch2/catch.hpp>
#include <cstring>
#include <random>

#include "runtime/io/output_file.h"
#include "tests/io/h5_read.h"

using namespace axon::io;
using namespace axon::io::test;

TEST_CASE("root attributes and spike groups follow the SONATA spike layout") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  {
    auto out = OutputFile::create(path);
    out->add_spike_population("P");
    out->add_spike_population("Silent");
    double times[] = {0.5, 0.5, 1.25};
    uint64_t ids[] = {3, 7, 3};
    out->append_spikes("P", times, ids, 3);
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);

  Id magic(H5Aopen_by_name(file, "/", "magic", H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Id magic_type(H5Aget_type(magic), H5Tclose);
  CHECK(H5Tequal(magic_type, H5T_STD_U32LE) > 0);
  uint32_t magic_value = 0;
  REQUIRE(H5Aread(magic, H5T_NATIVE_UINT32, &magic_value) >= 0);
  CHECK(magic_value == 0x0A7A);

  Id version(H5Aopen_by_name(file, "/", "version", H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Id version_type(H5Aget_type(version), H5Tclose);
  Id version_space(H5Aget_space(version), H5Sclose);
  CHECK(H5Tequal(version_type, H5T_STD_U32LE) > 0);
  REQUIRE(H5Sget_simple_extent_npoints(version_space) == 2);
  uint32_t version_value[2] = {9, 9};
  REQUIRE(H5Aread(version, H5T_NATIVE_UINT32, version_value) >= 0);
  CHECK(version_value[0] == 0);
  CHECK(version_value[1] == 1);

  for (const char* group : {"/spikes", "/spikes/P", "/spikes/Silent", "/report", "/axon"})
    CHECK(kind_of(file, group) == H5I_GROUP);

  // libsonata reads `sorting` as an enum with a char base: check the class, the base
  // and every member, not just the stored number.
  Id sorting(H5Aopen_by_name(file, "/spikes/P", "sorting", H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Id enum_type(H5Aget_type(sorting), H5Tclose);
  REQUIRE(H5Tget_class(enum_type) == H5T_ENUM);
  Id base(H5Tget_super(enum_type), H5Tclose);
  CHECK(H5Tget_class(base) == H5T_INTEGER);
  CHECK(H5Tget_size(base) == 1);
  REQUIRE(H5Tget_nmembers(enum_type) == 3);
  const char* expected_names[] = {"none", "by_id", "by_time"};
  for (unsigned i = 0; i < 3; ++i) {
    char* name = H5Tget_member_name(enum_type, i);
    REQUIRE(name != nullptr);
    CHECK(std::string(name) == expected_names[i]);
    H5free_memory(name);
    int8_t value = -1;
    REQUIRE(H5Tget_member_value(enum_type, i, &value) >= 0);
    CHECK(value == static_cast<int8_t>(i));
  }
  int8_t stored = -1;
  REQUIRE(H5Aread(sorting, enum_type, &stored) >= 0);
  char stored_name[16] = {};
  REQUIRE(H5Tenum_nameof(enum_type, &stored, stored_name, sizeof stored_name) >= 0);
  CHECK(std::string(stored_name) == "by_time");

  CHECK(stored_as(file, "/spikes/P/timestamps", H5T_IEEE_F64LE));
  CHECK(stored_as(file, "/spikes/P/node_ids", H5T_STD_U64LE));
  CHECK(string_attr(file, "/spikes/P/timestamps", "units") == "ms");
  CHECK(read_doubles(file, "/spikes/P/timestamps") == std::vector<double>{0.5, 0.5, 1.25});
  CHECK(read_u64(file, "/spikes/P/node_ids") == std::vector<uint64_t>{3, 7, 3});

  // A population that never spiked still has both datasets, empty.
  CHECK(dims_of(file, "/spikes/Silent/timestamps") == std::vector<hsize_t>{0});
  CHECK(dims_of(file, "/spikes/Silent/node_ids") == std::vector<hsize_t>{0});
  CHECK(stored_as(file, "/spikes/Silent/node_ids", H5T_STD_U64LE));
}

TEST_CASE("growing datasets are chunked, unlimited, shuffled and deflated at level 4") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  {
    auto out = OutputFile::create(path);
    out->add_spike_population("P");
    ReportSpec spec{"P", "v", "mV", {0, 1, 2}};
    out->add_report(spec);
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);
  for (const char* name : {"/spikes/P/timestamps", "/spikes/P/node_ids", "/report/P/v/data"}) {
    INFO(name);
    std::vector<Filter> filters = filters_of(file, name);
    REQUIRE(filters.size() == 2);
    CHECK(filters[0].id == H5Z_FILTER_SHUFFLE);
    CHECK(filters[1].id == H5Z_FILTER_DEFLATE);
    REQUIRE(!filters[1].params.empty());
    CHECK(filters[1].params[0] == 4);

    Id dataset(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
    Id space(H5Dget_space(dataset), H5Sclose);
    hsize_t max_dims[2] = {0, 0};
    H5Sget_simple_extent_dims(space, nullptr, max_dims);
    CHECK(max_dims[0] == H5S_UNLIMITED);
  }
  CHECK(chunk_of(file, "/spikes/P/timestamps") == std::vector<hsize_t>{OutputFile::spike_block});
}

TEST_CASE("200k spikes in two populations round-trip through several buffer flushes") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  const size_t n_spikes = 200000;
  REQUIRE(n_spikes > 3 * OutputFile::spike_block);  // several flushes, then a partial one
  std::vector<double> times[2];
  std::vector<uint64_t> ids[2];
  std::mt19937_64 rng(42);
  double t = 0;
  for (size_t i = 0; i < n_spikes; ++i) {
    t += 0.1 * static_cast<double>(rng() % 3);  // several spikes share a time step
    size_t pop = rng() % 2;
    times[pop].push_back(t);
    ids[pop].push_back(rng() % 100000);
  }
  const char* names[2] = {"A", "B"};
  {
    auto out = OutputFile::create(path);
    out->add_spike_population("A");
    out->add_spike_population("B");
    for (int pop = 0; pop < 2; ++pop) {
      size_t done = 0;
      // Batches of varied size, the last one larger than a whole buffer.
      for (size_t batch = 1; done < times[pop].size(); batch = batch * 3 + 1) {
        size_t n = std::min(batch, times[pop].size() - done);
        out->append_spikes(names[pop], times[pop].data() + done, ids[pop].data() + done, n);
        done += n;
      }
    }
    // Blocks are written while the run goes on, not held until finish().
    Id live(open_live_file(out->temp_path()), H5Fclose);
    hsize_t written = dims_of(live, "/spikes/A/timestamps")[0];
    CHECK(written == times[0].size() / OutputFile::spike_block * OutputFile::spike_block);
    CHECK(written > 0);
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);
  for (int pop = 0; pop < 2; ++pop) {
    std::string group = std::string("/spikes/") + names[pop];
    CHECK(read_doubles(file, group + "/timestamps") == times[pop]);
    CHECK(read_u64(file, group + "/node_ids") == ids[pop]);
  }
}

TEST_CASE("a report has data with units and a SONATA mapping") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  std::vector<double> rows;
  {
    auto out = OutputFile::create(path);
    ReportSpec spec{"Exc", "v", "mV", {7, 3, 11}, 5.0, 0.25};
    int report = out->add_report(spec);
    for (int r = 0; r < 10; ++r) {
      double row[3] = {-70.0 + r, -60.5 - r, 0.125 * r};
      rows.insert(rows.end(), row, row + 3);
      out->append_report_row(report, row);
    }
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);
  const std::string base = "/report/Exc/v";
  CHECK(kind_of(file, base) == H5I_GROUP);
  CHECK(kind_of(file, base + "/mapping") == H5I_GROUP);
  CHECK(stored_as(file, base + "/data", H5T_IEEE_F64LE));
  CHECK(dims_of(file, base + "/data") == std::vector<hsize_t>{10, 3});
  CHECK(read_doubles(file, base + "/data") == rows);
  CHECK(string_attr(file, base + "/data", "units") == "mV");

  CHECK(stored_as(file, base + "/mapping/node_ids", H5T_STD_U64LE));
  CHECK(read_u64(file, base + "/mapping/node_ids") == std::vector<uint64_t>{7, 3, 11});
  CHECK(stored_as(file, base + "/mapping/element_ids", H5T_STD_U32LE));
  CHECK(read_all<uint32_t>(file, base + "/mapping/element_ids", H5T_NATIVE_UINT32) == std::vector<uint32_t>{0, 0, 0});
  CHECK(stored_as(file, base + "/mapping/index_pointers", H5T_STD_U64LE));
  CHECK(read_u64(file, base + "/mapping/index_pointers") == std::vector<uint64_t>{0, 1, 2, 3});
  // stop is exclusive: 10 samples from 5 ms every 0.25 ms end before 7.5 ms.
  CHECK(stored_as(file, base + "/mapping/time", H5T_IEEE_F64LE));
  CHECK(read_doubles(file, base + "/mapping/time") == std::vector<double>{5.0, 7.5, 0.25});
  CHECK(string_attr(file, base + "/mapping/time", "units") == "ms");
}

TEST_CASE("10k report rows round-trip through several flushes, float64 and float32 alike") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  const size_t n_rows = 10000, wide = 200, narrow = 3;
  // Several full buffers must be written before finish() writes the rest.
  REQUIRE(n_rows * wide * sizeof(double) > 3 * OutputFile::report_buffer_bytes);
  std::vector<uint64_t> wide_ids(wide), narrow_ids(narrow);
  for (size_t i = 0; i < wide; ++i) wide_ids[i] = 2 * i;
  for (size_t i = 0; i < narrow; ++i) narrow_ids[i] = i;
  std::vector<double> wide_values, narrow_values;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(-65.0, 5.0);
  {
    auto out = OutputFile::create(path);
    int v = out->add_report({"P", "v", "mV", wide_ids, 0.0, 0.1});
    int g = out->add_report({"P", "g", "nS", narrow_ids, 0.0, 0.1, true});
    std::vector<double> row(wide);
    for (size_t r = 0; r < n_rows; ++r) {
      for (double& x : row) x = noise(rng);
      wide_values.insert(wide_values.end(), row.begin(), row.end());
      out->append_report_row(v, row.data());
      out->append_report_row(g, row.data() + 1);  // interleaved with the other report
      narrow_values.insert(narrow_values.end(), row.begin() + 1, row.begin() + 1 + narrow);
    }
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);
  CHECK(dims_of(file, "/report/P/v/data") == std::vector<hsize_t>{n_rows, wide});
  CHECK(read_doubles(file, "/report/P/v/data") == wide_values);
  CHECK(stored_as(file, "/report/P/g/data", H5T_IEEE_F32LE));
  std::vector<float> stored = read_all<float>(file, "/report/P/g/data", H5T_NATIVE_FLOAT);
  REQUIRE(stored.size() == narrow_values.size());
  size_t mismatches = 0;
  for (size_t i = 0; i < stored.size(); ++i) mismatches += stored[i] != static_cast<float>(narrow_values[i]);
  CHECK(mismatches == 0);
  CHECK(read_doubles(file, "/report/P/g/mapping/time") ==
        std::vector<double>{0.0, static_cast<double>(n_rows) * 0.1, 0.1});
}

TEST_CASE("float32 reports round values to float, not to some other precision") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  {
    auto out = OutputFile::create(path);
    int report = out->add_report({"P", "v", "mV", {0, 1}, 0.0, 0.1, true});
    double row[2] = {0.1, -65.123456789};
    out->append_report_row(report, row);
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);
  CHECK(stored_as(file, "/report/P/v/data", H5T_IEEE_F32LE));
  // Read as double: the float32 rounding shows, and is exactly float's.
  std::vector<double> back = read_doubles(file, "/report/P/v/data");
  REQUIRE(back.size() == 2);
  CHECK(back[0] == static_cast<double>(0.1f));
  CHECK(back[0] != 0.1);
  CHECK(back[1] == static_cast<double>(static_cast<float>(-65.123456789)));
}

TEST_CASE("report chunks stay near report_chunk_bytes for any number of values") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  const size_t widths[] = {1, 1000, 100000, 1000000};
  {
    auto out = OutputFile::create(path);
    for (size_t n : widths) {
      std::vector<uint64_t> ids(n);
      for (size_t i = 0; i < n; ++i) ids[i] = i;
      int report = out->add_report({"P", "w" + std::to_string(n), "mV", ids});
      std::vector<double> row(n);
      for (int r = 0; r < 2; ++r) {
        for (size_t i = 0; i < n; ++i) row[i] = static_cast<double>(r * 10 + i % 1000);
        out->append_report_row(report, row.data());
      }
    }
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);
  for (size_t n : widths) {
    std::string data = "/report/P/w" + std::to_string(n) + "/data";
    INFO(data);
    std::vector<hsize_t> chunk = chunk_of(file, data);
    REQUIRE(chunk.size() == 2);
    size_t chunk_bytes = chunk[0] * chunk[1] * sizeof(double);
    CHECK(chunk_bytes <= (size_t{1} << 20));    // inside HDF5's default cache size
    CHECK(chunk_bytes >= (size_t{256} << 10));  // big enough to compress well
    CHECK(chunk[1] <= n);
    // The last row must survive the split of wide rows into several chunks.
    std::vector<double> last = read_row(file, data, 1, n);
    size_t wrong = 0;
    for (size_t i = 0; i < n; ++i) wrong += last[i] != static_cast<double>(10 + i % 1000);
    CHECK(wrong == 0);
  }
  // A million values per row do not fit one chunk: it is split along the values.
  CHECK(chunk_of(file, "/report/P/w1000000/data")[0] == 1);
  CHECK(chunk_of(file, "/report/P/w1000000/data")[1] < 1000000);
}

TEST_CASE("empty reports and reports without rows are valid, consistent datasets") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  {
    auto out = OutputFile::create(path);
    int empty = out->add_report({"P", "none", "mV", {}, 2.0, 0.5});
    out->add_report({"P", "unsampled", "mV", {4, 5}, 2.0, 0.5});
    for (int r = 0; r < 5; ++r) out->append_report_row(empty, nullptr);
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);
  CHECK(dims_of(file, "/report/P/none/data") == std::vector<hsize_t>{5, 0});
  CHECK(dims_of(file, "/report/P/none/mapping/node_ids") == std::vector<hsize_t>{0});
  CHECK(dims_of(file, "/report/P/none/mapping/element_ids") == std::vector<hsize_t>{0});
  CHECK(read_u64(file, "/report/P/none/mapping/index_pointers") == std::vector<uint64_t>{0});
  CHECK(read_doubles(file, "/report/P/none/mapping/time") == std::vector<double>{2.0, 4.5, 0.5});
  CHECK(dims_of(file, "/report/P/unsampled/data") == std::vector<hsize_t>{0, 2});
  CHECK(read_doubles(file, "/report/P/unsampled/mapping/time") == std::vector<double>{2.0, 2.0, 0.5});
}

TEST_CASE("metadata goes under /axon with the stated types, creating groups on the way") {
  TempDir dir;
  std::string path = dir.file("run.h5");
  const std::string source = "// file: a.axon\nneuron LIF { τ_m = 10 ms }\n";
  {
    auto out = OutputFile::create(path);
    out->write_string("model_source", source);
    out->write_double("timing/parse", 0.25);
    out->write_int64("populations/P/size", 4000);
    out->write_string("populations/P/model", "LIF");
    out->write_doubles("populations/P/tau_m", {10.0, 20.0});
    out->write_doubles("populations/P/none", {});
    out->write_int64("seed", 1);
    out->write_int64("seed", -2);  // written again: the later value replaces it
    out->finish(true);
  }
  Id file(open_file(path), H5Fclose);
  CHECK(string_dataset(file, "/axon/model_source") == source);
  CHECK(kind_of(file, "/axon/timing") == H5I_GROUP);
  CHECK(stored_as(file, "/axon/timing/parse", H5T_IEEE_F64LE));
  CHECK(read_doubles(file, "/axon/timing/parse") == std::vector<double>{0.25});
  CHECK(stored_as(file, "/axon/populations/P/size", H5T_STD_I64LE));
  CHECK(read_all<int64_t>(file, "/axon/populations/P/size", H5T_NATIVE_INT64) == std::vector<int64_t>{4000});
  CHECK(string_dataset(file, "/axon/populations/P/model") == "LIF");
  CHECK(read_doubles(file, "/axon/populations/P/tau_m") == std::vector<double>{10.0, 20.0});
  CHECK(dims_of(file, "/axon/populations/P/none") == std::vector<hsize_t>{0});
  CHECK(read_all<int64_t>(file, "/axon/seed", H5T_NATIVE_INT64) == std::vector<int64_t>{-2});
}

TEST_CASE("metadata paths are checked, and HDF5 failures name the file and the object") {
  TempDir dir;
  auto out = OutputFile::create(dir.file("run.h5"));
  for (const char* bad : {"", "/abs", "a//b", "trailing/"}) {
    INFO(bad);
    CHECK_THROWS_AS(out->write_double(bad, 1.0), std::invalid_argument);
  }
  out->write_double("x", 1.0);
  try {
    out->write_double("x/y", 2.0);  // x is a dataset, so no group x can hold y
    FAIL("writing below a dataset did not throw");
  } catch (const IoError& e) {
    std::string message = e.what();
    CHECK_THAT(message, Catch::Contains(out->temp_path()));
    CHECK_THAT(message, Catch::Contains("/axon/x/y"));
  }
  out->write_double("timing/parse", 0.5);
  CHECK_THROWS_AS(out->write_double("timing", 1.0), IoError);  // would drop timing/parse
  out->finish(true);
  Id file(open_file(out->final_path()), H5Fclose);
  CHECK(read_doubles(file, "/axon/timing/parse") == std::vector<double>{0.5});
}

TEST_CASE("/axon/complete is a uint8 flag: 1 for a finished run, 0 for a stopped one") {
  TempDir dir;
  for (bool complete : {false, true}) {
    std::string path = dir.file(complete ? "done.h5" : "stopped.h5");
    {
      auto out = OutputFile::create(path);
      out->add_spike_population("P");
      double t = 1.0;
      uint64_t id = 0;
      out->append_spikes("P", &t, &id, 1);
      out->finish(complete);
    }
    Id file(open_file(path), H5Fclose);
    CHECK(stored_as(file, "/axon/complete", H5T_STD_U8LE));
    CHECK(dims_of(file, "/axon/complete").empty());  // a scalar
    CHECK(read_all<uint8_t>(file, "/axon/complete", H5T_NATIVE_UINT8) ==
          std::vector<uint8_t>{complete ? uint8_t{1} : uint8_t{0}});
    // A stopped run keeps what ran.
    CHECK(read_doubles(file, "/spikes/P/timestamps") == std::vector<double>{1.0});
  }
}
