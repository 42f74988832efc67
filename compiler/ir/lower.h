// Lowering: a checked program's network to the IR. Merges receptors into their
// population, inlines `let`s, expands neuron inputs into their receptor contributions,
// and lowers event blocks to straight-line assignments.
#pragma once

#include <string>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/program.h"

namespace axon::ir {

// The network to lower: `name`, else the first run block's, else the only network.
// Returns nullopt (with diagnostics) when there is none or it uses what the back end
// cannot do yet.
std::optional<Network> lower_network(const sema::Program& program, const std::string& name, Diagnostics& diags);

// The network a program would run: explicit name, run block, or the only network.
const ast::Network* pick_network(const sema::Program& program, const std::string& name, Diagnostics& diags);

// The run block for `network`, if any.
const ast::Run* find_run(const sema::Program& program, const std::string& network);

}  // namespace axon::ir
