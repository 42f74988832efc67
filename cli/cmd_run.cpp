#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "compiler/driver/frontend.h"

namespace axon::cli {

#ifndef AXON_HAVE_ENGINE
CLI::App* add_run_command(CLI::App&, RunOptions&) { return nullptr; }
int run_run(const RunOptions&) { return kExitUsage; }
int emit_backend(const BuildOptions& options, FrontendResult&) {
  std::cerr << "axon: error: --emit=" << options.emit << " needs the back end, which this build lacks\n";
  return kExitUsage;
}
#endif

}  // namespace axon::cli
