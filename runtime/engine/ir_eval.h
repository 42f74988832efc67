// Evaluates IR expressions to numbers at build time: propagator entries, refractory
// periods, and the per-element values of a network (with draws). Not a simulation path.
#pragma once

#include <functional>

#include "compiler/ir/ir.h"

namespace axon::engine {

// Var through `var` (also the element indices, Space::Index / PostIndex), Dt as `dt`,
// Time as 0 (the start of the run); a Draw through `draw`, which is required when the
// expression holds one.
double eval_ir(const ir::Expr& e, const std::function<double(ir::VarRef)>& var, double dt,
               const std::function<double(const ir::Expr& draw)>* draw = nullptr);

// The common case: the element's own variables only.
double eval_ir(const ir::Expr& e, const std::function<double(int var)>& own, double dt);

}  // namespace axon::engine
