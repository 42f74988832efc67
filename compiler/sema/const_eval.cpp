#include "compiler/sema/const_eval.h"

#include <algorithm>
#include <cmath>

namespace axon::sema {

std::optional<double> apply_function(const std::string& f, const std::vector<double>& a) {
  auto one = [&](double (*fn)(double)) -> std::optional<double> {
    if (a.size() != 1) return std::nullopt;
    return fn(a[0]);
  };
  if (f == "exp") return one(std::exp);
  if (f == "expm1") return one(std::expm1);
  if (f == "log") return one(std::log);
  if (f == "log1p") return one(std::log1p);
  if (f == "log10") return one(std::log10);
  if (f == "log2") return one(std::log2);
  if (f == "sin") return one(std::sin);
  if (f == "cos") return one(std::cos);
  if (f == "tan") return one(std::tan);
  if (f == "asin") return one(std::asin);
  if (f == "acos") return one(std::acos);
  if (f == "atan") return one(std::atan);
  if (f == "sinh") return one(std::sinh);
  if (f == "cosh") return one(std::cosh);
  if (f == "tanh") return one(std::tanh);
  if (f == "floor") return one(std::floor);
  if (f == "ceil") return one(std::ceil);
  if (f == "round") return one(std::round);
  if (f == "sqrt") return one(std::sqrt);
  if (f == "abs") return one(std::fabs);
  if (a.size() == 1 && f == "softplus") return a[0] > 30 ? a[0] : std::log1p(std::exp(a[0]));
  if (a.size() == 1 && f == "sigmoid") return 1.0 / (1.0 + std::exp(-a[0]));
  if (a.size() == 1 && f == "sign") return double((a[0] > 0) - (a[0] < 0));
  if (a.size() == 1 && f == "heaviside") return a[0] > 0 ? 1.0 : 0.0;
  if (a.size() == 2 && f == "min") return std::min(a[0], a[1]);
  if (a.size() == 2 && f == "max") return std::max(a[0], a[1]);
  if (a.size() == 2 && f == "atan2") return std::atan2(a[0], a[1]);
  if (a.size() == 2 && f == "pow") return std::pow(a[0], a[1]);
  if (a.size() == 3 && f == "clip") return std::min(std::max(a[0], a[1]), a[2]);
  return std::nullopt;
}

std::optional<double> eval_const(const ast::Expr& e, const ConstLookup& lookup) {
  using ast::ExprKind;
  switch (e.kind) {
    case ExprKind::Number:
      return e.value_si;
    case ExprKind::Bool:
      return e.number;
    case ExprKind::Name:
      if (e.symbol == ast::SymbolKind::Unit || e.symbol == ast::SymbolKind::Constant)
        return e.value_si;
      if (lookup) return lookup(e);
      return std::nullopt;
    case ExprKind::Unary: {
      auto v = eval_const(*e.args[0], lookup);
      if (!v) return std::nullopt;
      if (e.op == "-") return -*v;
      if (e.op == "not") return *v == 0 ? 1.0 : 0.0;
      return v;
    }
    case ExprKind::Binary: {
      auto a = eval_const(*e.args[0], lookup);
      auto b = eval_const(*e.args[1], lookup);
      if (!a || !b) return std::nullopt;
      const std::string& op = e.op;
      if (op == "+") return *a + *b;
      if (op == "-") return *a - *b;
      if (op == "*") return *a * *b;
      if (op == "/") return *a / *b;
      if (op == "%") return std::fmod(*a, *b);
      if (op == "^") return std::pow(*a, *b);
      if (op == "<") return double(*a < *b);
      if (op == "<=") return double(*a <= *b);
      if (op == ">") return double(*a > *b);
      if (op == ">=") return double(*a >= *b);
      if (op == "==") return double(*a == *b);
      if (op == "!=") return double(*a != *b);
      if (op == "and") return double(*a != 0 && *b != 0);
      if (op == "or") return double(*a != 0 || *b != 0);
      return std::nullopt;
    }
    case ExprKind::Conditional: {
      auto c = eval_const(*e.args[0], lookup);
      if (!c) return std::nullopt;
      return eval_const(*e.args[*c != 0 ? 1 : 2], lookup);
    }
    case ExprKind::Call: {
      std::vector<double> args;
      for (const auto& a : e.args) {
        auto v = eval_const(*a, lookup);
        if (!v) return std::nullopt;
        args.push_back(*v);
      }
      return apply_function(e.name, args);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace axon::sema
