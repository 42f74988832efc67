#include "compiler/builtins/functions.h"

#include <algorithm>
#include <cmath>

namespace axon::builtins {

namespace {

// The evaluators fold constants at compile time and evaluate values at build time; the
// generated kernels compute the same functions (libm or LLVM intrinsics of the same
// libm), so a folded value and a computed one agree.
double softplus(const double* a) { return a[0] > 30 ? a[0] : std::log1p(std::exp(a[0])); }
double sigmoid(const double* a) { return 1.0 / (1.0 + std::exp(-a[0])); }
double sign(const double* a) { return double((a[0] > 0) - (a[0] < 0)); }
double heaviside(const double* a) { return a[0] > 0 ? 1.0 : 0.0; }
double min2(const double* a) { return std::min(a[0], a[1]); }
double max2(const double* a) { return std::max(a[0], a[1]); }
double clip(const double* a) { return std::min(std::max(a[0], a[1]), a[2]); }
double atan2_(const double* a) { return std::atan2(a[0], a[1]); }
double pow_(const double* a) { return std::pow(a[0], a[1]); }

#define AXON_UNARY(fn) [](const double* a) { return fn(a[0]); }

const std::vector<FunctionInfo>& table() {
  using R = FnRule;
  static const std::vector<FunctionInfo> functions = {
      {Fn::Exp, "exp", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::exp)},
      {Fn::Expm1, "expm1", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::expm1)},
      {Fn::Log, "log", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::log)},
      {Fn::Log1p, "log1p", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::log1p)},
      {Fn::Log10, "log10", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::log10)},
      {Fn::Log2, "log2", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::log2)},
      {Fn::Sin, "sin", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::sin)},
      {Fn::Cos, "cos", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::cos)},
      {Fn::Tan, "tan", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::tan)},
      {Fn::Asin, "asin", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::asin)},
      {Fn::Acos, "acos", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::acos)},
      {Fn::Atan, "atan", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::atan)},
      {Fn::Sinh, "sinh", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::sinh)},
      {Fn::Cosh, "cosh", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::cosh)},
      {Fn::Tanh, "tanh", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::tanh)},
      {Fn::Softplus, "softplus", 1, 1, R::Dimensionless, {"x"}, false, softplus},
      {Fn::Sigmoid, "sigmoid", 1, 1, R::Dimensionless, {"x"}, false, sigmoid},
      {Fn::Floor, "floor", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::floor)},
      {Fn::Ceil, "ceil", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::ceil)},
      {Fn::Round, "round", 1, 1, R::Dimensionless, {"x"}, false, AXON_UNARY(std::round)},
      {Fn::Sqrt, "sqrt", 1, 1, R::Sqrt, {"x"}, false, AXON_UNARY(std::sqrt)},
      {Fn::Abs, "abs", 1, 1, R::SameAsFirst, {"x"}, false, AXON_UNARY(std::fabs)},
      {Fn::Min, "min", 2, 2, R::SameAsFirst, {"a", "b"}, false, min2},
      {Fn::Max, "max", 2, 2, R::SameAsFirst, {"a", "b"}, false, max2},
      {Fn::Clip, "clip", 3, 3, R::SameAsFirst, {"x", "low", "high"}, false, clip},
      {Fn::Sign, "sign", 1, 1, R::ToDimensionless, {"x"}, false, sign},
      {Fn::Heaviside, "heaviside", 1, 1, R::ToDimensionless, {"x"}, false, heaviside},
      {Fn::Atan2, "atan2", 2, 2, R::ToDimensionless, {"y", "x"}, false, atan2_},
      {Fn::Pow, "pow", 2, 2, R::Pow, {"x", "p"}, false, pow_},
      {Fn::Rand, "rand", 0, 0, R::Random, {}},
      {Fn::Randn, "randn", 0, 0, R::Random, {}},
      {Fn::Uniform, "Uniform", 2, 2, R::Distribution, {"low", "high"}, true},
      {Fn::Gaussian, "Gaussian", 2, 2, R::Distribution, {"mean", "stddev"}, true},
      {Fn::Normal, "Normal", 2, 2, R::Distribution, {"mean", "stddev"}, true},
      {Fn::TruncatedNormal, "TruncatedNormal", 2, 3, R::Distribution, {"mean", "stddev", "limit"}, true},
      {Fn::Exponential, "Exponential", 1, 1, R::Distribution, {"mean"}, true},
      {Fn::Constant, "Constant", 1, 1, R::Distribution, {"value"}, true},
      {Fn::LogNormal, "LogNormal", 2, 2, R::Dimensionless, {"mu", "sigma"}, true},
      {Fn::Choice, "Choice", 1, 1, R::Distribution, {"values"}, true},
      {Fn::VarianceScaling, "VarianceScaling", 0, 3, R::Initializer, {"scale", "mode", "distribution"}, true},
      {Fn::Glorot, "Glorot", 0, 2, R::Initializer, {"scale", "distribution"}, true},
      {Fn::He, "He", 0, 2, R::Initializer, {"scale", "distribution"}, true},
  };
  return functions;
}

#undef AXON_UNARY

}  // namespace

const std::vector<FunctionInfo>& all_functions() { return table(); }

const FunctionInfo* find_function(const std::string& name) {
  for (const FunctionInfo& f : table())
    if (name == f.name) return &f;
  return nullptr;
}

const FunctionInfo& info(Fn id) {
  // The table lists the functions in enum order.
  return table()[static_cast<size_t>(id)];
}

std::optional<double> apply(Fn id, const std::vector<double>& args) {
  const FunctionInfo& f = info(id);
  if (!f.evaluate || static_cast<int>(args.size()) < f.min_args || static_cast<int>(args.size()) > f.max_args)
    return std::nullopt;
  return f.evaluate(args.data());
}

std::optional<double> apply(const std::string& name, const std::vector<double>& args) {
  const FunctionInfo* f = find_function(name);
  if (!f) return std::nullopt;
  return apply(f->id, args);
}

}  // namespace axon::builtins
