#include "cli/pipeline.h"

#include "compiler/driver/backend.h"

namespace axon {

engine::RunStatus run_program(sema::Program& program, const engine::RunRequest& request, Diagnostics& diags,
                              engine::RunSummary& summary) {
  std::optional<driver::LoweredNetwork> lowered = driver::lower_for_run(program, request, diags);
  if (!lowered) return engine::RunStatus::ModelError;
  return engine::run_network(*lowered, request, diags, summary);
}

std::string emit_program(sema::Program& program, const std::string& network, const std::string& what,
                         const std::string& after, Diagnostics& diags) {
  driver::BackendRequest request;
  request.network = network;
  std::string dumped;
  if (what == "ir" && !after.empty()) {
    request.dump_after = after;
    request.dump_to = &dumped;
  }
  std::optional<driver::LoweredNetwork> lowered = driver::lower_for_build(program, request, diags);
  if (!lowered) return "";
  if (what == "ir") return after.empty() ? ir::dump(lowered->net) : dumped;
  return engine::optimized_llvm_text(*lowered);
}

}  // namespace axon
