// The whole back half for one checked program: the driver lowers it (compiler/driver),
// the CPU engine runs it (runtime/engine). `axon run`, `axon build` and the tests call these.
#pragma once

#include <string>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/sema/program.h"
#include "runtime/engine/run_network.h"

namespace axon {

// Lowers and runs the request's network; model errors go to `diags` (ModelError).
engine::RunStatus run_program(sema::Program& program, const engine::RunRequest& request, Diagnostics& diags,
                              engine::RunSummary& summary);

// `axon build --emit=ir|llvm [--after=PASS]`: the IR (after PASS, or after every pass)
// or the optimised LLVM module; "" after diagnostics.
std::string emit_program(sema::Program& program, const std::string& network, const std::string& what,
                         const std::string& after, Diagnostics& diags);

}  // namespace axon
