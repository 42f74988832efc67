#include "compiler/sema/builtins.h"

#include <algorithm>

namespace axon::sema {

namespace {

const std::vector<FunctionInfo>& table() {
  static const std::vector<FunctionInfo> functions = {
      {"exp", 1, 1, FnRule::Dimensionless, {"x"}},
      {"expm1", 1, 1, FnRule::Dimensionless, {"x"}},
      {"log", 1, 1, FnRule::Dimensionless, {"x"}},
      {"log1p", 1, 1, FnRule::Dimensionless, {"x"}},
      {"log10", 1, 1, FnRule::Dimensionless, {"x"}},
      {"log2", 1, 1, FnRule::Dimensionless, {"x"}},
      {"sin", 1, 1, FnRule::Dimensionless, {"x"}},
      {"cos", 1, 1, FnRule::Dimensionless, {"x"}},
      {"tan", 1, 1, FnRule::Dimensionless, {"x"}},
      {"asin", 1, 1, FnRule::Dimensionless, {"x"}},
      {"acos", 1, 1, FnRule::Dimensionless, {"x"}},
      {"atan", 1, 1, FnRule::Dimensionless, {"x"}},
      {"sinh", 1, 1, FnRule::Dimensionless, {"x"}},
      {"cosh", 1, 1, FnRule::Dimensionless, {"x"}},
      {"tanh", 1, 1, FnRule::Dimensionless, {"x"}},
      {"softplus", 1, 1, FnRule::Dimensionless, {"x"}},
      {"sigmoid", 1, 1, FnRule::Dimensionless, {"x"}},
      {"floor", 1, 1, FnRule::Dimensionless, {"x"}},
      {"ceil", 1, 1, FnRule::Dimensionless, {"x"}},
      {"round", 1, 1, FnRule::Dimensionless, {"x"}},
      {"sqrt", 1, 1, FnRule::Sqrt, {"x"}},
      {"abs", 1, 1, FnRule::SameAsFirst, {"x"}},
      {"min", 2, 2, FnRule::SameAsFirst, {"a", "b"}},
      {"max", 2, 2, FnRule::SameAsFirst, {"a", "b"}},
      {"clip", 3, 3, FnRule::SameAsFirst, {"x", "low", "high"}},
      {"sign", 1, 1, FnRule::ToDimensionless, {"x"}},
      {"heaviside", 1, 1, FnRule::ToDimensionless, {"x"}},
      {"atan2", 2, 2, FnRule::ToDimensionless, {"y", "x"}},
      {"pow", 2, 2, FnRule::Pow, {"x", "p"}},
      {"rand", 0, 0, FnRule::Random, {}},
      {"randn", 0, 0, FnRule::Random, {}},
      {"Uniform", 2, 2, FnRule::Distribution, {"low", "high"}, true},
      {"Gaussian", 2, 2, FnRule::Distribution, {"mean", "stddev"}, true},
      {"Normal", 2, 2, FnRule::Distribution, {"mean", "stddev"}, true},
      {"TruncatedNormal", 2, 3, FnRule::Distribution, {"mean", "stddev", "limit"}, true},
      {"Exponential", 1, 1, FnRule::Distribution, {"mean"}, true},
      {"Constant", 1, 1, FnRule::Distribution, {"value"}, true},
      {"LogNormal", 2, 2, FnRule::Dimensionless, {"mu", "sigma"}, true},
      {"Choice", 1, 1, FnRule::Distribution, {"values"}, true},
      {"VarianceScaling", 0, 3, FnRule::Initializer, {"scale", "mode", "distribution"}, true},
      {"Glorot", 0, 2, FnRule::Initializer, {"scale", "distribution"}, true},
      {"He", 0, 2, FnRule::Initializer, {"scale", "distribution"}, true},
  };
  return functions;
}

}  // namespace

const FunctionInfo* find_function(const std::string& name) {
  for (const FunctionInfo& f : table())
    if (name == f.name) return &f;
  return nullptr;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_function(const std::string& name) {
  std::string best;
  size_t best_d = 3;  // farther than two edits is not a typo
  for (const FunctionInfo& f : table()) {
    size_t d = edit_distance(name, f.name);
    if (d < best_d && d < name.size()) {
      best_d = d;
      best = f.name;
    }
  }
  return best;
}

}  // namespace axon::sema
