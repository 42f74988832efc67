// User-facing diagnostics: errors and warnings about a model, with a location, a stable
// code, notes pointing at related places and an optional hint. Rendered by render().
#pragma once

#include <string>
#include <vector>

#include "compiler/diagnostics/source.h"

namespace axon {

enum class Severity { Error, Warning, Note };

struct DiagnosticNote {
  SourceRange range;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;  // e.g. "E012"; stable, documented in docs/diagnostics.md
  std::string message;
  SourceRange range;
  std::vector<DiagnosticNote> notes;
  std::string hint;
};

// Collects diagnostics of one compilation. Stops recording errors after `max_errors`
// so that a cascade does not bury the first, real one.
class Diagnostics {
 public:
  explicit Diagnostics(size_t max_errors = 50) : max_errors_(max_errors) {}

  Diagnostic& error(std::string code, SourceRange range, std::string message);
  Diagnostic& warning(std::string code, SourceRange range, std::string message);

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  bool limit_reached() const { return error_count_ >= max_errors_; }
  const std::vector<Diagnostic>& all() const { return list_; }

 private:
  Diagnostic& add(Severity s, std::string code, SourceRange range, std::string message);
  std::vector<Diagnostic> list_;
  Diagnostic overflow_;  // target of writes once the limit is reached
  size_t max_errors_;
  size_t error_count_ = 0;
};

// `file:line:col: error[CODE]: message`, the source line, a caret under the range,
// then notes (each with its own location and line) and `  = hint: ...`.
std::string render(const Diagnostic& d, const SourceFiles& files);
std::string render_all(const Diagnostics& diags, const SourceFiles& files);

}  // namespace axon
