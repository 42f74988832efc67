// Evaluates IR expressions to numbers at build time: propagator entries, refractory
// periods, and the per-element values of a network (with draws). Not a simulation path.
#pragma once

#include <functional>

#include "compiler/ir/ir.h"

namespace axon::engine {

// Var(k) through `var` (also for the element indices kIndexVar / kPostIndexVar), Dt as
// `dt`, Time as 0 (the start of the run); a Draw through `draw`, which is required when
// the expression holds one.
double eval_ir(const ir::Expr& e, const std::function<double(int var)>& var, double dt,
               const std::function<double(const ir::Expr& draw)>* draw = nullptr);

}  // namespace axon::engine
