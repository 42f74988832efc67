#include "compiler/sema/const_eval.h"

#include <algorithm>
#include <cmath>

#include "compiler/builtins/functions.h"

namespace axon::sema {

std::optional<double> apply_function(const std::string& f, const std::vector<double>& a) {
  return builtins::apply(f, a);
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
