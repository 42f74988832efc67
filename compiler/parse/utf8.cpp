#include "compiler/parse/utf8.h"

namespace axon::parse {

std::optional<size_t> first_invalid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4) || i + len > text.size()) return i;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return i;
    unsigned char c1 = len > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
    // Overlong three- and four-byte forms, UTF-16 surrogates, code points past U+10FFFF.
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))
      return i;
    i += len;
  }
  return std::nullopt;
}

ColumnMap::ColumnMap(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
    if (static_cast<unsigned char>(text[i]) >= 0x80) ascii_ = false;
  }
}

uint32_t ColumnMap::byte_col(size_t line, size_t cp_col) const {
  if (ascii_ || line == 0 || line > line_starts_.size()) return static_cast<uint32_t>(cp_col + 1);
  size_t pos = line_starts_[line - 1];
  for (size_t seen = 0; seen < cp_col && pos < text_.size(); ++seen) {
    ++pos;  // past the lead byte, then past its continuation bytes
    while (pos < text_.size() && (static_cast<unsigned char>(text_[pos]) & 0xC0) == 0x80) ++pos;
  }
  return static_cast<uint32_t>(pos - line_starts_[line - 1] + 1);
}

}  // namespace axon::parse
