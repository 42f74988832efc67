// ODE classification: a population whose equations are linear with constant
// coefficients in its states and inputs is integrated exactly; else by its method.
#pragma once

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"

namespace axon::passes {

// Sets method, method_reason and (for exact) the linear system of each population.
// A model that demands `exact` for nonlinear equations gets E091 naming the term.
void classify_odes(ir::Network& net, Diagnostics& diags);

}  // namespace axon::passes
