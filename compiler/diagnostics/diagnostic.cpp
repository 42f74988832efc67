#include "compiler/diagnostics/diagnostic.h"

#include <algorithm>

namespace axon {

Diagnostic& Diagnostics::add(Severity s, std::string code, SourceRange range, std::string message) {
  if (s == Severity::Error) {
    if (error_count_ >= max_errors_) {
      overflow_ = Diagnostic{};
      return overflow_;
    }
    ++error_count_;
  }
  list_.push_back(Diagnostic{s, std::move(code), std::move(message), range, {}, {}});
  return list_.back();
}

Diagnostic& Diagnostics::error(std::string code, SourceRange range, std::string message) {
  return add(Severity::Error, std::move(code), range, std::move(message));
}

Diagnostic& Diagnostics::warning(std::string code, SourceRange range, std::string message) {
  return add(Severity::Warning, std::move(code), range, std::move(message));
}

namespace {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::string location(const SourceRange& r, const SourceFiles& files) {
  if (!r.valid() || r.file > files.size())
    return "axon";  // a diagnostic about the run as a whole, not a place in a file
  return files.get(r.file).name + ":" + std::to_string(r.line) + ":" + std::to_string(r.col);
}

// The source line and a caret line under the range (clipped to the first line).
void append_excerpt(std::string& out, const SourceRange& r, const SourceFiles& files) {
  if (!r.valid() || r.file > files.size()) return;
  std::string_view line = files.line_text(r.file, r.line);
  std::string gutter = std::to_string(r.line);
  out += " " + gutter + " | " + std::string(line) + "\n";
  out += " " + std::string(gutter.size(), ' ') + " | ";
  size_t begin = r.col > 0 ? r.col - 1 : 0;
  size_t end = (r.end_line == r.line && r.end_col > r.col) ? r.end_col - 1 : begin + 1;
  if (r.end_line > r.line) end = std::max(line.size(), begin + 1);
  // Columns count bytes; the caret line counts characters, so that it lines up in a
  // terminal after non-ASCII text (UTF-8 continuation bytes take no room). Tabs in the
  // prefix keep their width.
  auto continuation = [&](size_t i) { return i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80; };
  for (size_t i = 0; i < begin; ++i)
    if (!continuation(i)) out += (i < line.size() && line[i] == '\t') ? '\t' : ' ';
  out += '^';
  for (size_t i = begin + 1; i < end; ++i)
    if (!continuation(i)) out += '~';
  out += "\n";
}

}  // namespace

std::string render(const Diagnostic& d, const SourceFiles& files) {
  std::string out = location(d.range, files) + ": " + severity_name(d.severity);
  if (!d.code.empty()) out += "[" + d.code + "]";
  out += ": " + d.message + "\n";
  append_excerpt(out, d.range, files);
  for (const DiagnosticNote& n : d.notes) {
    out += location(n.range, files) + ": note: " + n.message + "\n";
    append_excerpt(out, n.range, files);
  }
  if (!d.hint.empty()) out += "  = hint: " + d.hint + "\n";
  return out;
}

std::string render_all(const Diagnostics& diags, const SourceFiles& files) {
  std::string out;
  for (const Diagnostic& d : diags.all()) out += render(d, files);
  if (diags.limit_reached()) out += "note: too many errors; stopped reporting\n";
  return out;
}

}  // namespace axon
