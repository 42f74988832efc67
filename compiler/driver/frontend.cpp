#include "compiler/driver/frontend.h"

#include <chrono>

#include "compiler/sema/sema.h"

namespace axon {

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void check(FrontendResult& r, bool parsed) {
  auto t1 = std::chrono::steady_clock::now();
  // A partially parsed program would report names as unknown that are merely
  // unparsed, so semantic checks run only when every file parsed.
  if (parsed) sema::check_program(r.program, r.diags);
  r.check_seconds = since(t1);
  r.ok = parsed && !r.diags.has_errors();
}

}  // namespace

void run_frontend(const std::vector<std::string>& paths, FrontendResult& r) {
  auto t0 = std::chrono::steady_clock::now();
  bool parsed = sema::load_program(paths, sema::default_load_options(), r.program, r.diags);
  r.parse_seconds = since(t0);
  check(r, parsed);
}

void run_frontend_text(const std::string& name, const std::string& text, FrontendResult& r) {
  auto t0 = std::chrono::steady_clock::now();
  bool parsed = sema::load_program_text(name, text, sema::default_load_options(), r.program, r.diags);
  r.parse_seconds = since(t0);
  check(r, parsed);
}

}  // namespace axon
