// Test support: run a model given as text through the whole pipeline into an HDF5 file
// in a fresh temporary directory, and read datasets back with the HDF5 C API.
#pragma once

#include <hdf5.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "cli/pipeline.h"
#include "compiler/driver/frontend.h"

namespace axon::test {

// A fresh directory, removed with its files when the test program exits: callers pass the
// path around freely, and a run leaves nothing behind in /tmp.
inline std::string temp_dir() {
  struct MadeDirs {
    std::vector<std::string> paths;
    ~MadeDirs() {
      for (const std::string& p : paths) {
        std::error_code ec;
        std::filesystem::remove_all(p, ec);
      }
    }
  };
  static MadeDirs made;
  char pattern[] = "/tmp/axon_features_XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  made.paths.push_back(pattern);
  return pattern;
}

struct RunOutput {
  std::string path;
  engine::RunSummary summary;
  std::string diagnostics;
};

// Throws with the rendered diagnostics when the model does not check or run.
inline RunOutput run_text(const std::string& text, const std::string& dir, int threads = 1,
                          std::vector<std::string> sets = {}) {
  FrontendResult fr;
  run_frontend_text(dir + "/model.axon", text, fr);
  if (!fr.ok) throw std::runtime_error(render_all(fr.diags, fr.program.files));
  engine::RunRequest req;
  req.output = dir + "/out_" + std::to_string(threads) + ".h5";
  req.threads = threads;
  req.sets = std::move(sets);
  RunOutput out;
  Diagnostics diags;
  if (run_program(fr.program, req, diags, out.summary) != engine::RunStatus::Ok)
    throw std::runtime_error(render_all(diags, fr.program.files));
  out.path = req.output;
  return out;
}

// A dataset as doubles (any numeric type, any shape, row-major).
inline std::vector<double> read(const std::string& file, const std::string& dataset) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw std::runtime_error("cannot open " + file);
  hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
  if (d < 0) {
    H5Fclose(f);
    throw std::runtime_error("no dataset " + dataset + " in " + file);
  }
  hid_t space = H5Dget_space(d);
  hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<double> values(static_cast<size_t>(n));
  if (n > 0) H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return values;
}

// Writes a 1-D float64 dataset (creating groups), with a `units` attribute when given.
inline void write_column(const std::string& file, const std::string& dataset, const std::vector<double>& values,
                         const std::string& units = "") {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (f < 0) f = H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hsize_t n = values.size();
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t d = H5Dcreate2(f, dataset.c_str(), H5T_IEEE_F64LE, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  if (!units.empty()) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, units.size());
    hid_t scalar = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(d, "units", type, scalar, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, type, units.c_str());
    H5Aclose(a);
    H5Sclose(scalar);
    H5Tclose(type);
  }
  H5Dclose(d);
  H5Sclose(space);
  H5Pclose(lcpl);
  H5Fclose(f);
}

}  // namespace axon::test
