// TempDir: a fresh directory under /tmp for one test's files, removed with everything in
// it at scope exit. The one copy every test area uses (they used to write their own).
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <system_error>

namespace axon::test_support {

// The directory is /tmp/axon_<area>_test_XXXXXX (mkdtemp), where <area> is the test
// executable's folder (AXON_TEST_AREA, set by tests/CMakeLists.txt), so a directory left
// behind by a crashed run says which tests made it.
struct TempDir {
  std::string path;

  TempDir() {
    std::string name = std::string("/tmp/axon_") + AXON_TEST_AREA + "_test_XXXXXX";
    REQUIRE(::mkdtemp(name.data()) != nullptr);
    path = name;
  }
  // Not throwing: a destructor that throws while a failed REQUIRE unwinds would abort.
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return path + "/" + name; }
};

}  // namespace axon::test_support
