// Source files known to one compilation and positions inside them.
// Every AST node carries a SourceRange so that diagnostics can point at user text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace axon {

// A half-open span of one file; lines and columns are 1-based, columns count bytes.
struct SourceRange {
  uint32_t file = 0;  // index into SourceFiles; 0 means "no location"
  uint32_t line = 0;
  uint32_t col = 0;
  uint32_t end_line = 0;
  uint32_t end_col = 0;  // exclusive

  bool valid() const { return file != 0 && line != 0; }
};

struct SourceFile {
  std::string name;  // as the user named it (shown in diagnostics)
  std::string text;
};

// Owns the text of every file read during one compilation.
class SourceFiles {
 public:
  // Returns the new file's id (>= 1).
  uint32_t add(std::string name, std::string text);
  const SourceFile& get(uint32_t id) const { return files_.at(id - 1); }
  size_t size() const { return files_.size(); }
  // The text of one line (without its newline), or "" when out of range.
  std::string_view line_text(uint32_t file, uint32_t line) const;

 private:
  std::vector<SourceFile> files_;
};

}  // namespace axon
