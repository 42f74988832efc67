// Converts ANTLR's syntax errors into axon diagnostics, saying the expected tokens in
// words ("a name", "a number", "'{'") instead of ANTLR's raw token dumps.
#pragma once

#include <BaseErrorListener.h>
#include <Parser.h>

#include "compiler/diagnostics/diagnostic.h"

namespace axon::parse {

class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(uint32_t file, Diagnostics& diags) : file_(file), diags_(diags) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t col, const std::string& msg, std::exception_ptr e) override;

  size_t count() const { return count_; }

 private:
  uint32_t file_;
  Diagnostics& diags_;
  size_t count_ = 0;
  size_t last_line_ = 0, last_col_ = 0;
};

}  // namespace axon::parse
