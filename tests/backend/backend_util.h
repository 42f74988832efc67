// Helpers of the back-end tests: temp directories, running a model (in process or
// through the CLI binary) and reading HDF5 files back with the HDF5 C API.
// The reader shares no code with the writer (runtime/io), so a writer bug cannot hide in
// a shared helper.
#pragma once

#include <hdf5.h>
#include <stdlib.h>

#include <sys/resource.h>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/pipeline.h"
#include "compiler/driver/frontend.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text_file.h"

namespace axon::backend_test {

// ---------------------------------------------------------------- files and processes

using test_support::read_text_file;
using test_support::TempDir;
using test_support::write_text_file;
inline bool exists(const std::string& path) { return std::filesystem::exists(path); }

// The files of the source tree and the built CLI.
inline std::string source_path(const std::string& rel) { return std::string(AXON_SOURCE_DIR) + "/" + rel; }
inline std::string refs_path(const std::string& name) { return std::string(AXON_SHARED_REFS_DIR) + "/" + name; }
inline std::string cli_path() { return std::string(AXON_BINARY_DIR) + "/cli/axon"; }

// A finished child process: exit code (or -signal when killed), its output, and its
// resource usage from wait4 (ru_maxrss in KiB: that child's own peak RSS).
struct ProcessResult {
  int exit_code = -1;
  bool signaled = false;
  std::string out, err;
  struct rusage usage {};
  double seconds = 0;
};

// Runs argv[0] with the arguments, stdout/stderr captured through files in `scratch`.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& scratch);

// Starts a child without waiting (for the SIGINT test); stdout/stderr go to files.
struct Child {
  pid_t pid = -1;
  std::string out_path, err_path;
};
Child start_process(const std::vector<std::string>& argv, const std::string& scratch);
ProcessResult wait_process(const Child& c);
// Waits at most `seconds`; on timeout kills the child (SIGKILL), reaps it and returns
// nullopt.
std::optional<ProcessResult> wait_process_for(const Child& c, double seconds);

// ---------------------------------------------------------------- in-process runs

struct RunResult {
  engine::RunStatus status = engine::RunStatus::ModelError;
  engine::RunSummary summary;
  std::string diagnostics;  // rendered, front end and back end
  bool frontend_ok = false;
};

// Parses and checks `text` (as a file named `name`), then runs it. A front-end failure
// returns status ModelError with the rendered diagnostics.
RunResult run_model_text(const std::string& name, const std::string& text, const engine::RunRequest& request);
RunResult run_model_file(const std::string& path, const engine::RunRequest& request);

// `axon build --emit=ir|llvm` in process.
std::string emit_text(const std::string& path, const std::string& what);

// Full-precision decimal text of a double: parses back to the same value.
std::string full(double v);

// ---------------------------------------------------------------- HDF5 reading

// Owns an HDF5 id; REQUIREs that the id is valid, so a missing object fails the test
// where it is opened.
struct H5Id {
  hid_t id = -1;
  herr_t (*close)(hid_t) = nullptr;
  H5Id(hid_t value, herr_t (*close_fn)(hid_t), const std::string& what);
  H5Id(const H5Id&) = delete;
  ~H5Id();
  operator hid_t() const { return id; }
};

hid_t h5_open(const std::string& path);               // read only, HDF5's error printing off; < 0 if it fails
bool h5_exists(hid_t file, const std::string& path);  // a link at `path` (every group on the way exists)
std::vector<hsize_t> h5_dims(hid_t file, const std::string& dataset);
// Values converted by HDF5 to native double / uint64 (any stored numeric type).
std::vector<double> h5_doubles(hid_t file, const std::string& dataset);
std::vector<uint64_t> h5_uint64s(hid_t file, const std::string& dataset);
// One row of a 2-D dataset as native doubles (a hyperslab: the rest is not read).
std::vector<double> h5_row(hid_t file, const std::string& dataset, hsize_t row);
// The stored type of a dataset equals `type` (e.g. H5T_IEEE_F64LE).
bool h5_stored_as(hid_t file, const std::string& dataset, hid_t type);
// A string dataset (variable or fixed length) as text.
std::string h5_string(hid_t file, const std::string& dataset);
// A string attribute of an object (variable or fixed length); nullopt if missing.
std::optional<std::string> h5_attr_string(hid_t file, const std::string& object, const std::string& attr);
// A numeric attribute as native doubles.
std::vector<double> h5_attr_doubles(hid_t file, const std::string& object, const std::string& attr);
// The raw bytes of a dataset's values, read as the native form of its stored type (for
// byte-identity checks).
std::vector<unsigned char> h5_raw(hid_t file, const std::string& dataset);
// Whether the dataset's creation property list has the filter `filter` (H5Z_FILTER_*).
bool h5_has_filter(hid_t file, const std::string& dataset, H5Z_filter_t filter);

// The stored type of an attribute equals `type`.
bool h5_attr_stored_as(hid_t file, const std::string& object, const std::string& attr, hid_t type);
// An enum attribute: its class must be H5T_ENUM; returns the member name of the stored
// value and the value itself (converted to long long).
struct EnumValue {
  std::string name;
  long long value = 0;
};
EnumValue h5_attr_enum(hid_t file, const std::string& object, const std::string& attr);

// Scale of a unit name to SI, for converting by the files' unit attributes: "mV" ->
// 1e-3. A small table of the units these files use; an unknown unit fails the test.
double si_scale_of(const std::string& unit);

}  // namespace axon::backend_test
