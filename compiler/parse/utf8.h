// Source text as bytes versus as ANTLR sees it: ANTLR decodes UTF-8 (and throws on bytes
// that are not UTF-8) and counts columns in code points, while diagnostics count bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace axon::parse {

// The byte offset of the first byte that is not part of well-formed UTF-8, if any.
std::optional<size_t> first_invalid_utf8(std::string_view text);

// Converts ANTLR's (line, code-point column) to a 1-based byte column.
class ColumnMap {
 public:
  explicit ColumnMap(std::string_view text);
  // `line` is 1-based, `cp_col` 0-based, as ANTLR reports them.
  uint32_t byte_col(size_t line, size_t cp_col) const;

 private:
  std::string_view text_;
  std::vector<size_t> line_starts_;
  bool ascii_ = true;
};

}  // namespace axon::parse
