// The back half of compilation as one call: the checked program's network lowered to IR,
// `--set` applied, integrators chosen, run settings fixed and memory layouts made, once.
// Every back end (the CPU engine today) runs the result; none looks at the AST again.
#pragma once

#include <optional>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/lowered_network.h"
#include "compiler/sema/program.h"

namespace axon::driver {

// The passes in the order they run, for --after.
inline const char* const kPasses[] = {"lower", "set", "classify"};

// nullopt after diagnostics (E070, E080, E081, E09x). `program` gains one source file per
// --set text, so its diagnostics render with a caret.
std::optional<LoweredNetwork> lower_for_run(sema::Program& program, const BackendRequest& request, Diagnostics& diags);

// Lowering and integrator choice only (`axon build --emit=ir|llvm`: no run settings needed).
std::optional<LoweredNetwork> lower_for_build(sema::Program& program, const BackendRequest& request,
                                              Diagnostics& diags);

}  // namespace axon::driver
