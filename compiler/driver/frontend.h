// The front half of the pipeline as one call: read files, parse, resolve imports, run
// every semantic check. Used by `axon check`, `axon build` and `axon run`.
#pragma once

#include <string>
#include <vector>

#include "compiler/sema/program.h"

namespace axon {

struct FrontendResult {
  sema::Program program;
  Diagnostics diags;
  bool ok = false;
  double parse_seconds = 0;
  double check_seconds = 0;
};

// Throws std::runtime_error when a named file cannot be read (an I/O error).
void run_frontend(const std::vector<std::string>& paths, FrontendResult& result);
void run_frontend_text(const std::string& name, const std::string& text, FrontendResult& result);

}  // namespace axon
