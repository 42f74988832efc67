// Reading and writing whole text files (models, fixtures, scratch files) in tests: the
// one copy of what several test areas wrote for themselves.
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace axon::test_support {

// The bytes of `path`; throws when it cannot be opened, so a missing model or fixture
// fails the test that needs it with its name instead of as an empty text.
inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to `path` (replacing it); REQUIREs that the write succeeded.
inline void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

}  // namespace axon::test_support
