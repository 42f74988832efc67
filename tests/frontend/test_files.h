// Small helpers shared by the front-end tests: reading fixture and model files
// (tests/support/text_file.h), and listing the shipped models.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/text_file.h"

namespace axon_test {

using axon::test_support::read_text_file;

// Every file ending in `ext` under `dir`, recursively, sorted so that runs are stable.
inline std::vector<std::string> files_under(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ext) out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// `path` relative to the source tree when it lies inside it ("models/cuba.axon").
inline std::string relative_to_source(const std::string& path) {
  std::string root = std::string(AXON_SOURCE_DIR) + "/";
  return path.rfind(root, 0) == 0 ? path.substr(root.size()) : path;
}

}  // namespace axon_test
