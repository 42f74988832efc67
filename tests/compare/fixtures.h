// Small HDF5 files in both layouts for the compare tests, written with the HDF5 C API
// directly (not with axon's writer or reader, so a bug there cannot hide in a fixture).
#pragma once

#include <hdf5.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace axon::io::test {

using test_support::TempDir;

// Writes datasets and attributes by full path, creating groups on the way.
class H5Writer {
 public:
  explicit H5Writer(const std::string& path) {
    file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(file >= 0);
  }
  ~H5Writer() { H5Fclose(file); }
  H5Writer(const H5Writer&) = delete;
  H5Writer& operator=(const H5Writer&) = delete;

  void doubles(const std::string& path, const std::vector<double>& values, std::vector<hsize_t> dims = {}) {
    write(path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.data(), values.size(), dims);
  }
  void floats(const std::string& path, const std::vector<float>& values, std::vector<hsize_t> dims = {}) {
    write(path, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, values.data(), values.size(), dims);
  }
  void u64(const std::string& path, const std::vector<uint64_t>& values) {
    write(path, H5T_STD_U64LE, H5T_NATIVE_UINT64, values.data(), values.size(), {});
  }
  void i64(const std::string& path, const std::vector<int64_t>& values) {
    write(path, H5T_STD_I64LE, H5T_NATIVE_INT64, values.data(), values.size(), {});
  }
  void group(const std::string& path) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t g = H5Gcreate2(file, path.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(g >= 0);
    H5Gclose(g);
    H5Pclose(lcpl);
  }
  // A variable-length UTF-8 scalar string attribute, as h5py and axon write them.
  void attr(const std::string& object, const std::string& name, const std::string& value) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate_by_name(file, object.c_str(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(a >= 0);
    const char* text = value.c_str();
    REQUIRE(H5Awrite(a, type, &text) >= 0);
    H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
  }
  void attr(const std::string& object, const std::string& name, double value) {
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate_by_name(file, object.c_str(), name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT,
                                H5P_DEFAULT);
    REQUIRE(a >= 0);
    REQUIRE(H5Awrite(a, H5T_NATIVE_DOUBLE, &value) >= 0);
    H5Aclose(a);
    H5Sclose(space);
  }

 private:
  hid_t file;

  void write(const std::string& path, hid_t file_type, hid_t mem_type, const void* data, size_t n,
             std::vector<hsize_t> dims) {
    if (dims.empty()) dims = {n};
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    hid_t d = H5Dcreate2(file, path.c_str(), file_type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(d >= 0);
    if (n > 0) REQUIRE(H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
    H5Dclose(d);
    H5Sclose(space);
    H5Pclose(lcpl);
  }
};

// One report of a SONATA run file: rows[k * node_ids.size() + c], times start + k*step ms.
struct SonataReport {
  std::string population = "N";
  std::string variable = "v";
  std::string units = "mV";
  std::vector<uint64_t> node_ids = {0};
  double start_ms = 0, step_ms = 0.1;
  std::vector<double> rows;
};

inline void write_report(H5Writer& w, const SonataReport& r) {
  std::string where = "/report/" + r.population + "/" + r.variable;
  size_t n_rows = r.node_ids.empty() ? 0 : r.rows.size() / r.node_ids.size();
  w.doubles(where + "/data", r.rows, {n_rows, r.node_ids.size()});
  w.attr(where + "/data", "units", r.units);
  w.u64(where + "/mapping/node_ids", r.node_ids);
  w.doubles(where + "/mapping/time", {r.start_ms, r.start_ms + n_rows * r.step_ms, r.step_ms});
  w.attr(where + "/mapping/time", "units", "ms");
}

inline void write_spikes(H5Writer& w, const std::string& population, const std::vector<double>& times_ms,
                         const std::vector<uint64_t>& node_ids) {
  w.doubles("/spikes/" + population + "/timestamps", times_ms);
  w.attr("/spikes/" + population + "/timestamps", "units", "ms");
  w.u64("/spikes/" + population + "/node_ids", node_ids);
}

// The flat reference layout: `t` in s at step dt_s, n samples, and a `dt` attribute.
inline void write_flat_time(H5Writer& w, size_t n, double dt_s) {
  std::vector<double> t(n);
  for (size_t k = 0; k < n; ++k) t[k] = k * dt_s;
  w.doubles("/t", t);
  w.attr("/t", "unit", "s");
  w.attr("/", "dt", dt_s);
}

inline void write_flat_trace(H5Writer& w, const std::string& name, const std::vector<double>& values,
                             const std::string& unit, std::vector<hsize_t> dims = {}) {
  w.doubles("/" + name, values, dims);
  w.attr("/" + name, "unit", unit);
}

inline void write_flat_spikes(H5Writer& w, const std::vector<double>& times_s, const std::vector<int64_t>& index = {}) {
  w.doubles("/spikes", times_s);
  w.attr("/spikes", "unit", "s");
  if (!index.empty()) w.i64("/spikes_index", index);
}

}  // namespace axon::io::test
