// The checker's view of the built-in functions: the one table lives in
// compiler/builtins/functions.h; sema adds the "did you mean" hints.
#pragma once

#include <string>

#include "compiler/builtins/functions.h"

namespace axon::sema {

using builtins::find_function;
using builtins::FnRule;
using builtins::FunctionInfo;

// Closest known function name, for "did you mean" hints ("" if nothing is close).
std::string closest_function(const std::string& name);

// Edit distance, used for every "did you mean" hint.
size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace axon::sema
