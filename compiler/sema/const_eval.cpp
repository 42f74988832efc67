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
    case ExprKind::Number: return e.value_si;
    case ExprKind::Bool: return e.number;
    case ExprKind::Name:
      if (e.symbol == ast::SymbolKind::Unit || e.symbol == ast::SymbolKind::Constant) return e.value_si;
      if (lookup) return lookup(e);
      return std::nullopt;
    case ExprKind::Unary: {
      auto v = eval_const(*e.args[0], lookup);
      if (!v) return std::nullopt;
      if (e.op == ast::Operator::Neg) return -*v;
      if (e.op == ast::Operator::Not) return *v == 0 ? 1.0 : 0.0;
      return v;
    }
    case ExprKind::Binary: {
      auto a = eval_const(*e.args[0], lookup);
      auto b = eval_const(*e.args[1], lookup);
      if (!a || !b) return std::nullopt;
      using ast::Operator;
      switch (e.op) {
        case Operator::Add: return *a + *b;
        case Operator::Sub: return *a - *b;
        case Operator::Mul: return *a * *b;
        case Operator::Div: return *a / *b;
        case Operator::Mod: return std::fmod(*a, *b);
        case Operator::Pow: return std::pow(*a, *b);
        case Operator::Lt: return double(*a < *b);
        case Operator::Le: return double(*a <= *b);
        case Operator::Gt: return double(*a > *b);
        case Operator::Ge: return double(*a >= *b);
        case Operator::Eq: return double(*a == *b);
        case Operator::Ne: return double(*a != *b);
        case Operator::And: return double(*a != 0 && *b != 0);
        case Operator::Or: return double(*a != 0 || *b != 0);
        default: return std::nullopt;
      }
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
    default: return std::nullopt;
  }
}

}  // namespace axon::sema
