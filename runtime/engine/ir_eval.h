// Evaluates an IR expression of parameters to a number at build time (propagator
// entries, refractory periods). Not a simulation path: kernels are JIT-compiled.
#pragma once

#include <functional>

#include "compiler/ir/ir.h"

namespace axon::engine {

double eval_ir(const ir::Expr& e, const std::function<double(int var)>& var, double dt);

}  // namespace axon::engine
