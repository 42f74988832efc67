// The one table of the functions an axon expression may call: name, arity, dimension
// rule, named parameters and, for the deterministic ones, how to evaluate them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace axon::builtins {

// Every built-in function. Code generation switches on this id (compiler/codegen/
// emit_expr.cpp), build-time evaluation calls `evaluate`, sema checks by `rule`.
enum class Fn {
  Exp,
  Expm1,
  Log,
  Log1p,
  Log10,
  Log2,
  Sin,
  Cos,
  Tan,
  Asin,
  Acos,
  Atan,
  Sinh,
  Cosh,
  Tanh,
  Softplus,
  Sigmoid,
  Floor,
  Ceil,
  Round,
  Sqrt,
  Abs,
  Min,
  Max,
  Clip,
  Sign,
  Heaviside,
  Atan2,
  Pow,
  Rand,
  Randn,
  Uniform,
  Gaussian,
  Normal,
  TruncatedNormal,
  Exponential,
  Constant,
  LogNormal,
  Choice,
  VarianceScaling,
  Glorot,
  He,
};

enum class FnRule {
  Dimensionless,    // every argument dimensionless, result dimensionless: exp, log, tanh
  SameAsFirst,      // every argument the dimension of the first, result too: min, clip
  Sqrt,             // result is the argument's dimension to the power 1/2
  ToDimensionless,  // arguments share one dimension, result dimensionless: sign, atan2
  Pow,              // pow(x, p): p a dimensionless constant
  Random,           // no arguments, dimensionless: rand(), randn()
  Distribution,     // network only: numeric arguments share one dimension, result too
  Initializer,      // network only: VarianceScaling / Glorot / He: dimensionless, strings
};

struct FunctionInfo {
  Fn id;
  const char* name;
  int min_args;
  int max_args;
  FnRule rule;
  std::vector<std::string> params;                   // names for named arguments, in order
  bool network_only = false;                         // distributions and initialisers: build-time values
  double (*evaluate)(const double* args) = nullptr;  // null: random (no value to fold)
};

// nullptr when `name` is not a function axon knows.
const FunctionInfo* find_function(const std::string& name);
const FunctionInfo& info(Fn id);

// Every function, in table order (for "did you mean" hints).
const std::vector<FunctionInfo>& all_functions();

// The value of a deterministic function at `args`; nullopt for unknown or random
// functions and a wrong argument count.
std::optional<double> apply(const std::string& name, const std::vector<double>& args);
std::optional<double> apply(Fn id, const std::vector<double>& args);

// Distributions and weight initialisers: drawn once per element when the network is built.
inline bool is_draw(Fn id) { return info(id).network_only; }

}  // namespace axon::builtins
