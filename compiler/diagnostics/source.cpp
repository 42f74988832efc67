#include "compiler/diagnostics/source.h"

namespace axon {

uint32_t SourceFiles::add(std::string name, std::string text) {
  files_.push_back(SourceFile{std::move(name), std::move(text)});
  return static_cast<uint32_t>(files_.size());
}

std::string_view SourceFiles::line_text(uint32_t file, uint32_t line) const {
  if (file == 0 || file > files_.size() || line == 0) return {};
  std::string_view text = files_[file - 1].text;
  size_t pos = 0;
  for (uint32_t l = 1; l < line; ++l) {
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  std::string_view result = text.substr(pos, end - pos);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  return result;
}

}  // namespace axon
