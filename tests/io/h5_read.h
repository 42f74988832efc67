// Read-back helpers for the io tests: temp directories and HDF5 C API readers.
// They share no code with the writer, so a writer bug cannot hide in a shared helper.
#pragma once

#include <hdf5.h>
#include <stdlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace axon::io::test {

using test_support::TempDir;

// Owns an HDF5 id; REQUIREs that the id is valid, so a missing object fails the test
// where it is opened.
struct Id {
  hid_t id;
  herr_t (*close)(hid_t);
  Id(hid_t value, herr_t (*close_fn)(hid_t)) : id(value), close(close_fn) { REQUIRE(id >= 0); }
  Id(const Id&) = delete;
  ~Id() { close(id); }
  operator hid_t() const { return id; }
};

inline bool file_exists(const std::string& path) { return std::filesystem::exists(path); }

inline hid_t open_file(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  return H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
}

// Opens, read-only, a file this process is still writing. HDF5 shares the open file,
// and insists that the file close degree matches the writer's (strong).
inline hid_t open_live_file(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl);
  H5Pclose(fapl);
  return file;
}

// What kind of object `path` is: H5I_GROUP, H5I_DATASET, or H5I_BADID if missing.
inline H5I_type_t kind_of(hid_t file, const std::string& path) {
  hid_t obj = H5Oopen(file, path.c_str(), H5P_DEFAULT);
  if (obj < 0) return H5I_BADID;
  H5I_type_t kind = H5Iget_type(obj);
  H5Oclose(obj);
  return kind;
}

inline std::vector<hsize_t> dims_of(hid_t file, const std::string& path) {
  Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id space(H5Dget_space(dataset), H5Sclose);
  std::vector<hsize_t> dims(H5Sget_simple_extent_ndims(space));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

// True if the dataset's stored type equals `expected` (e.g. H5T_STD_U64LE).
inline bool stored_as(hid_t file, const std::string& path, hid_t expected) {
  Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id type(H5Dget_type(dataset), H5Tclose);
  return H5Tequal(type, expected) > 0;
}

// Reads a whole dataset (any rank) converted to `mem_type`.
template <class T>
std::vector<T> read_all(hid_t file, const std::string& path, hid_t mem_type) {
  Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id space(H5Dget_space(dataset), H5Sclose);
  std::vector<T> values(H5Sget_simple_extent_npoints(space));
  if (!values.empty()) REQUIRE(H5Dread(dataset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  return values;
}

inline std::vector<double> read_doubles(hid_t file, const std::string& path) {
  return read_all<double>(file, path, H5T_NATIVE_DOUBLE);
}

inline std::vector<uint64_t> read_u64(hid_t file, const std::string& path) {
  return read_all<uint64_t>(file, path, H5T_NATIVE_UINT64);
}

// Reads row `row` of a 2-D dataset of `cols` columns as doubles.
inline std::vector<double> read_row(hid_t file, const std::string& path, hsize_t row, hsize_t cols) {
  Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id file_space(H5Dget_space(dataset), H5Sclose);
  hsize_t start[2] = {row, 0}, count[2] = {1, cols};
  REQUIRE(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr) >= 0);
  Id mem_space(H5Screate_simple(2, count, nullptr), H5Sclose);
  std::vector<double> values(cols);
  REQUIRE(H5Dread(dataset, H5T_NATIVE_DOUBLE, mem_space, file_space, H5P_DEFAULT, values.data()) >= 0);
  return values;
}

// A string type as axon writes them: variable-length, UTF-8.
inline bool is_utf8_vlen(hid_t type) {
  return H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0 && H5Tget_cset(type) == H5T_CSET_UTF8;
}

inline std::string read_vlen(hid_t obj, bool attribute) {
  Id type(attribute ? H5Aget_type(obj) : H5Dget_type(obj), H5Tclose);
  REQUIRE(is_utf8_vlen(type));
  char* text = nullptr;
  herr_t rc = attribute ? H5Aread(obj, type, &text) : H5Dread(obj, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text);
  REQUIRE(rc >= 0);
  REQUIRE(text != nullptr);
  std::string value(text);
  H5free_memory(text);
  return value;
}

inline std::string string_attr(hid_t file, const std::string& object, const std::string& name) {
  Id attr(H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  return read_vlen(attr, true);
}

inline std::string string_dataset(hid_t file, const std::string& path) {
  Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  return read_vlen(dataset, false);
}

// The chunk shape of a dataset; empty if it is not chunked.
inline std::vector<hsize_t> chunk_of(hid_t file, const std::string& path) {
  Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id dcpl(H5Dget_create_plist(dataset), H5Pclose);
  if (H5Pget_layout(dcpl) != H5D_CHUNKED) return {};
  std::vector<hsize_t> chunk(8);
  chunk.resize(H5Pget_chunk(dcpl, 8, chunk.data()));
  return chunk;
}

struct Filter {
  H5Z_filter_t id;
  std::vector<unsigned> params;
};

// The filter pipeline of a dataset, in the order it is applied when writing.
inline std::vector<Filter> filters_of(hid_t file, const std::string& path) {
  Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id dcpl(H5Dget_create_plist(dataset), H5Pclose);
  std::vector<Filter> filters;
  for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
    unsigned flags = 0, config = 0;
    size_t n_params = 8;
    std::vector<unsigned> params(n_params);
    char name[64];
    H5Z_filter_t id = H5Pget_filter2(dcpl, i, &flags, &n_params, params.data(), sizeof name, name, &config);
    params.resize(std::min<size_t>(n_params, 8));
    filters.push_back({id, params});
  }
  return filters;
}

// Peak resident set size (VmHWM) of this process, in bytes.
inline size_t peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  FAIL("no VmHWM in /proc/self/status");
  return 0;
}

// Resets VmHWM to the current RSS (Linux >= 4.0), so earlier tests' peaks do not hide
// this one's. Returns false where the kernel does not allow it.
inline bool reset_peak_rss() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  clear_refs.flush();
  return static_cast<bool>(clear_refs);
}

}  // namespace axon::io::test
