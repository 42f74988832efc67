// Constant folding of checked expressions to SI values: population sizes, slice bounds,
// parameter values, run settings. Names are looked up through a callback.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "compiler/ast/ast.h"

namespace axon::sema {

using ConstLookup = std::function<std::optional<double>(const ast::Expr& name)>;

// The value of a checked expression in SI units, or nullopt when it is not a constant
// (it depends on a state, t, a random draw, or a name the lookup does not know).
std::optional<double> eval_const(const ast::Expr& e, const ConstLookup& lookup = nullptr);

// Applies a named built-in function to evaluated arguments (shared with the back end's
// per-element evaluation). nullopt for unknown or non-deterministic functions.
std::optional<double> apply_function(const std::string& name, const std::vector<double>& args);

}  // namespace axon::sema
