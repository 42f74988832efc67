// Converts ANTLR's syntax errors into axon diagnostics, saying the expected tokens in
// words ("a name", "a number", "'{'") instead of ANTLR's raw token dumps.
#pragma once

#include <BaseErrorListener.h>
#include <Parser.h>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/parse/utf8.h"

namespace axon::parse {

class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(uint32_t file, const ColumnMap& columns, Diagnostics& diags)
      : file_(file), columns_(columns), diags_(diags) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line, size_t col,
                   const std::string& msg, std::exception_ptr e) override;

  size_t count() const { return count_; }

 private:
  uint32_t file_;
  const ColumnMap& columns_;
  Diagnostics& diags_;
  size_t count_ = 0;
  size_t last_line_ = 0, last_col_ = 0;
  size_t last_index_ = 0;  // token index of the last error, reported or not
};

}  // namespace axon::parse
