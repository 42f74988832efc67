// The functions and constants an axon expression may use, with their dimension rules.
// Shared by the checker (sema) and code generation (which must implement each one).
#pragma once

#include <string>
#include <vector>

namespace axon::sema {

enum class FnRule {
  Dimensionless,   // every argument dimensionless, result dimensionless: exp, log, tanh
  SameAsFirst,     // every argument the dimension of the first, result too: min, clip
  Sqrt,            // result is the argument's dimension to the power 1/2
  ToDimensionless, // arguments share one dimension, result dimensionless: sign, atan2
  Pow,             // pow(x, p): p a dimensionless constant
  Random,          // no arguments, dimensionless: rand(), randn()
  Distribution,    // network only: numeric arguments share one dimension, result too
  Initializer,     // network only: VarianceScaling / Glorot / He: dimensionless, strings
};

struct FunctionInfo {
  const char* name;
  int min_args;
  int max_args;
  FnRule rule;
  std::vector<std::string> params;  // names for named arguments, in order
  bool network_only = false;
};

// nullptr when `name` is not a function axon knows.
const FunctionInfo* find_function(const std::string& name);

// Closest known function name, for "did you mean" hints ("" if nothing is close).
std::string closest_function(const std::string& name);

// Edit distance, used for every "did you mean" hint.
size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace axon::sema
