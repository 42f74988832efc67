// Semantic analysis: the checks that turn a parsed program into a checked one, one
// check per file. check_program() runs them in order and reports every error found.
#pragma once

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/sema/program.h"

namespace axon::sema {

// Duplicate models, networks and members (E011, with a note on the first definition);
// fills program.models and program.networks.
void check_declarations(Program& program, Diagnostics& diags);

// Names, units, ODE targets, events, refractoriness and update blocks of one model.
void check_model(ast::Model& model, Diagnostics& diags);

// Populations, slices, receptors, projections, stimuli and probes of one network.
void check_network(ast::Network& network, const Program& program, Diagnostics& diags);

// The run blocks: a known network, and valid duration, dt, seed.
void check_runs(Program& program, Diagnostics& diags);

// All of the above; returns true when there were no errors.
bool check_program(Program& program, Diagnostics& diags);

}  // namespace axon::sema
