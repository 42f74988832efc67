#include "compiler/sema/check_expr.h"

#include <algorithm>
#include <cmath>

#include "compiler/ast/print.h"
#include "compiler/sema/builtins.h"
#include "compiler/units/unit.h"

namespace axon::sema {

using ast::Expr;
using ast::ExprKind;
using units::describe_dimension;
using units::Dimension;

namespace {

std::string closest_name(const std::string& name, const Scope& scope) {
  std::vector<std::string> names;
  scope.candidates(names);
  std::string best;
  size_t best_d = name.size() <= 3 ? 2 : 3;
  for (const std::string& n : names) {
    size_t d = edit_distance(name, n);
    if (d < best_d && d < name.size()) {  // 't' is no typo of 'v'
      best_d = d;
      best = n;
    }
  }
  return best;
}

// A literal number, possibly negated or built from literals: what `pow` accepts as an
// exponent on a dimensioned base (the result's dimension must be known at compile time).
std::optional<double> literal_value(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Number:
      if (!e.unit_text.empty()) return std::nullopt;
      return e.number;
    case ExprKind::Unary:
      if (e.op == ast::Operator::Neg || e.op == ast::Operator::Plus) {
        auto v = literal_value(*e.args[0]);
        if (v && e.op == ast::Operator::Neg) return -*v;
        return v;
      }
      return std::nullopt;
    case ExprKind::Binary: {
      auto a = literal_value(*e.args[0]);
      auto b = literal_value(*e.args[1]);
      if (!a || !b) return std::nullopt;
      switch (e.op) {
        case ast::Operator::Div: return *a / *b;
        case ast::Operator::Mul: return *a * *b;
        case ast::Operator::Add: return *a + *b;
        case ast::Operator::Sub: return *a - *b;
        default: return std::nullopt;
      }
    }
    default: return std::nullopt;
  }
}

// Exponents become exact fractions with small denominators (1/2, 1/3, 3/2, ...).
std::optional<units::Rational> to_rational(double v) {
  for (int den = 1; den <= 12; ++den) {
    double num = v * den;
    if (std::fabs(num - std::round(num)) < 1e-12) return units::Rational(static_cast<int64_t>(std::round(num)), den);
  }
  return std::nullopt;
}

class Checker {
 public:
  Checker(const Scope& scope, Diagnostics& diags) : scope_(scope), diags_(diags) {}

  Ty check(Expr& e) {
    Ty t = visit(e);
    e.dim = t.dim;
    e.is_bool = t.is_bool;
    return t;
  }

 private:
  const Scope& scope_;
  Diagnostics& diags_;

  // A number where a number is needed; true/false is not a number.
  void require_number(const Ty& t, const Expr& e, const std::string& op) {
    if (t.is_bool) diags_.error("E024", e.range, "'" + op + "' needs a number, not a true/false value");
  }
  void require_bool(const Ty& t, const Expr& e, const std::string& context) {
    if (!t.is_bool && !t.is_list && !t.is_string)
      diags_.error("E024", e.range, context + " must be true or false, not a quantity of " + describe_dimension(t.dim))
          .hint = "compare it with something, e.g. 'x > 0'";
  }

  Ty same_dims(Ty a, Ty b, Expr& e, const char* verb) {
    if (a.known && b.known && a.dim != b.dim) {
      Diagnostic& d = diags_.error(
          "E020", e.range,
          std::string("cannot ") + verb + " " + describe_dimension(a.dim) + " and " + describe_dimension(b.dim));
      d.hint = missing_unit_hint(*e.args[1], a.dim);
      if (d.hint.empty()) d.hint = missing_unit_hint(*e.args[0], b.dim);
      if (d.hint.empty())
        d.hint = "left side is " + units::format_dimension(a.dim) + ", right side is " +
                 units::format_dimension(b.dim) + "; both sides of '" + ast::text(e.op) +
                 "' must have the same dimension";
    }
    return a.known ? a : b;
  }

  Ty visit(Expr& e) {
    switch (e.kind) {
      case ExprKind::Number: return number(e);
      case ExprKind::Bool: return Ty::boolean();
      case ExprKind::String: {
        Ty t = Ty::unknown();
        t.is_string = true;
        return t;
      }
      case ExprKind::Name: return name(e);
      case ExprKind::PrePost:
        diags_.error("E041", e.range, "'" + e.name + "' must be followed by '.' and a variable").hint =
            "write e.g. '" + e.name + ".v'";
        return Ty::unknown();
      case ExprKind::Member: return member(e);
      case ExprKind::Index:
        diags_.error("E050", e.range, "indexing is only allowed on populations in a network");
        return Ty::unknown();
      case ExprKind::Call: return call(e);
      case ExprKind::Unary: return unary(e);
      case ExprKind::Binary: return binary(e);
      case ExprKind::Conditional: {
        Ty c = check(*e.args[0]);
        require_bool(c, *e.args[0], "the condition of '?:'");
        Ty a = check(*e.args[1]);
        Ty b = check(*e.args[2]);
        if (a.is_bool != b.is_bool) {
          diags_.error("E024", e.range, "both branches of '?:' must be numbers or both true/false");
          return a;
        }
        if (a.known && b.known && a.dim != b.dim) {
          diags_.error("E020", e.range,
                       "the branches of '?:' have different dimensions: " + describe_dimension(a.dim) + " and " +
                           describe_dimension(b.dim));
        }
        return a.known ? a : b;
      }
      case ExprKind::List: {
        Ty first = Ty::unknown();
        for (auto& a : e.args) {
          Ty t = check(*a);
          if (!first.known && t.known)
            first = t;
          else if (t.known && first.known && t.dim != first.dim)
            diags_.error("E020", a->range,
                         "list elements must share one dimension: " + describe_dimension(first.dim) + " and " +
                             describe_dimension(t.dim));
        }
        first.is_list = true;
        return first;
      }
    }
    return Ty::unknown();
  }

  Ty number(Expr& e) {
    if (e.unit_text.empty()) {
      e.value_si = e.number;
      // A bare zero fits any dimension: `v = 0` for a voltage is unambiguous.
      if (e.number == 0) return Ty::unknown();
      return Ty::of(Dimension::none());
    }
    units::UnitParseResult u = units::parse_unit(e.unit_text);
    if (!u.unit) {
      diags_.error("E012", e.range, "unknown unit '" + e.unit_text + "'").hint =
          "units are SI symbols with an optional prefix, e.g. mV, ms, nS, pF, Mohm, Hz";
      return Ty::unknown();
    }
    e.value_si = e.number * u.unit->scale;
    return Ty::of(u.unit->dim);
  }

  Ty name(Expr& e) {
    if (auto s = scope_.lookup(e.name)) {
      e.symbol = s->kind;
      return s->ty;
    }
    if (e.name == "pi" || e.name == "e") {
      e.symbol = ast::SymbolKind::Constant;
      e.value_si = e.name == "pi" ? M_PI : M_E;
      return Ty::of(Dimension::none());
    }
    if (auto u = units::lookup_unit_symbol(e.name)) {
      e.symbol = ast::SymbolKind::Unit;
      e.value_si = u->scale;
      return Ty::of(u->dim);
    }
    Diagnostic& d = diags_.error("E010", e.range, "unknown name '" + e.name + "'");
    std::string near = closest_name(e.name, scope_);
    if (!near.empty()) d.hint = "did you mean '" + near + "'?";
    return Ty::unknown();
  }

  Ty member(Expr& e) {
    Expr& base = *e.args[0];
    if (base.kind != ExprKind::PrePost) {
      diags_.error("E041", e.range, "'.' can only follow 'pre' or 'post' here");
      return Ty::unknown();
    }
    std::string why;
    if (auto s = scope_.lookup_prefixed(base.name, e.name, why)) {
      e.symbol = s->kind;
      return s->ty;
    }
    bool misused = why.rfind("'" + base.name + ".'", 0) == 0;
    diags_.error(misused ? "E041" : "E040", e.range, why);
    return Ty::unknown();
  }

  Ty call(Expr& e) {
    const FunctionInfo* f = find_function(e.name);
    if (f == nullptr || (f->network_only && !scope_.allows_network_functions())) {
      Diagnostic& d = diags_.error(
          "E023", e.range, f ? "'" + e.name + "' can only be used in a network" : "unknown function '" + e.name + "'");
      std::string near = f ? "" : closest_function(e.name);
      if (!near.empty()) d.hint = "did you mean '" + near + "'?";
      for (auto& a : e.args) check(*a);
      return Ty::unknown();
    }
    int n = static_cast<int>(e.args.size());
    if (n < f->min_args || n > f->max_args) {
      std::string count = f->min_args == f->max_args
                              ? std::to_string(f->min_args)
                              : std::to_string(f->min_args) + " to " + std::to_string(f->max_args);
      diags_.error("E023", e.range,
                   "'" + e.name + "' takes " + count + " argument" + (f->max_args == 1 ? "" : "s") + ", " +
                       std::to_string(n) + " given");
      for (auto& a : e.args) check(*a);
      return Ty::unknown();
    }
    for (size_t i = 0; i < e.arg_names.size(); ++i) {
      const std::string& an = e.arg_names[i];
      if (an.empty()) continue;
      bool ok = false;
      for (const std::string& p : f->params) ok = ok || p == an;
      if (!ok) diags_.error("E023", e.args[i]->range, "'" + e.name + "' has no argument named '" + an + "'");
    }
    if (!reorder_named(e, *f)) {
      for (auto& a : e.args) check(*a);
      return Ty::unknown();
    }
    std::vector<Ty> args;
    for (auto& a : e.args) {
      args.push_back(check(*a));
      if (args.back().is_bool) diags_.error("E024", a->range, "argument of '" + e.name + "' must be a number");
    }
    switch (f->rule) {
      case FnRule::Dimensionless:
        for (size_t i = 0; i < args.size(); ++i) {
          if (args[i].known && !args[i].dim.is_dimensionless()) {
            diags_
                .error("E022", e.args[i]->range,
                       "the argument of '" + e.name + "' must be dimensionless, but it is " +
                           describe_dimension(args[i].dim))
                .hint = "divide it by a quantity of the same dimension, e.g. " + e.name + "(" +
                        ast::to_string(*e.args[i]) + " / 1 " + units::format_dimension(args[i].dim) + ")";
          }
        }
        return Ty::of(Dimension::none());
      case FnRule::SameAsFirst:
      case FnRule::Distribution:
      case FnRule::ToDimensionless: {
        Ty first = Ty::unknown();
        for (size_t i = 0; i < args.size(); ++i) {
          if (!args[i].known) continue;
          if (!first.known) {
            first = args[i];
          } else if (args[i].dim != first.dim) {
            diags_.error("E020", e.args[i]->range,
                         "arguments of '" + e.name + "' must share one dimension: " + describe_dimension(first.dim) +
                             " and " + describe_dimension(args[i].dim));
          }
        }
        if (f->rule == FnRule::ToDimensionless) return Ty::of(Dimension::none());
        if (e.name == "Choice") {
          if (!first.is_list) diags_.error("E023", e.range, "Choice takes a list of values, e.g. Choice([1 mV, 2 mV])");
          first.is_list = false;  // one of the values
        }
        return first;
      }
      case FnRule::Sqrt:
        if (!args[0].known) return Ty::unknown();
        return Ty::of(args[0].dim.pow(units::Rational(1, 2)));
      case FnRule::Pow: return power(e, args[0], *e.args[0], args[1], *e.args[1]);
      case FnRule::Random: return Ty::of(Dimension::none());
      case FnRule::Initializer:
        for (size_t i = 0; i < args.size(); ++i)
          if (args[i].known && !args[i].dim.is_dimensionless())
            diags_.error("E022", e.args[i]->range, "the arguments of '" + e.name + "' must be dimensionless");
        return Ty::of(Dimension::none());
    }
    return Ty::unknown();
  }

  // Puts named arguments in their parameter's place, so later stages read arguments by
  // position: Uniform(high = 2, low = 1) becomes Uniform(1, 2).
  bool reorder_named(Expr& e, const FunctionInfo& f) {
    bool any_named = false;
    for (const std::string& n : e.arg_names) any_named = any_named || !n.empty();
    if (!any_named) return true;
    // First where each argument goes; nothing moves unless all of them have a place.
    std::vector<size_t> place(e.args.size());
    std::vector<bool> taken(f.params.size(), false);
    size_t next = 0;
    for (size_t i = 0; i < e.args.size(); ++i) {
      size_t at = next;
      if (!e.arg_names[i].empty()) {
        at = std::find(f.params.begin(), f.params.end(), e.arg_names[i]) - f.params.begin();
        if (at >= f.params.size()) return false;  // reported by the caller
      } else {
        ++next;
      }
      if (at >= f.params.size() || taken[at]) {
        diags_.error("E023", e.args[i]->range,
                     "argument '" + (at < f.params.size() ? f.params[at] : std::string("?")) + "' of '" + e.name +
                         "' is given twice");
        return false;
      }
      taken[at] = true;
      place[i] = at;
    }
    size_t count = 0;
    while (count < taken.size() && taken[count]) ++count;
    for (size_t k = count; k < taken.size(); ++k) {
      if (taken[k]) {
        diags_.error("E023", e.range, "'" + e.name + "' needs its argument '" + f.params[count] + "' too");
        return false;
      }
    }
    std::vector<ast::ExprPtr> slots(count);
    for (size_t i = 0; i < e.args.size(); ++i) slots[place[i]] = std::move(e.args[i]);
    e.args = std::move(slots);
    e.arg_names.assign(count, "");
    return true;
  }

  Ty power(Expr& e, Ty base, const Expr& base_e, Ty exp, const Expr& exp_e) {
    if (exp.known && !exp.dim.is_dimensionless()) {
      diags_.error("E025", exp_e.range, "an exponent must be dimensionless, but it is " + describe_dimension(exp.dim));
      return Ty::unknown();
    }
    if (!base.known || base.dim.is_dimensionless()) return base.known ? base : Ty::unknown();
    auto v = literal_value(exp_e);
    auto r = v ? to_rational(*v) : std::nullopt;
    if (!r) {
      diags_
          .error("E025", exp_e.range,
                 "the exponent of a quantity of " + describe_dimension(base.dim) + " must be a constant number")
          .hint = "the result's dimension must be known when the model is compiled";
      return Ty::unknown();
    }
    return Ty::of(base.dim.pow(*r));
  }

  Ty unary(Expr& e) {
    Ty a = check(*e.args[0]);
    if (e.op == ast::Operator::Not) {
      require_bool(a, *e.args[0], "the operand of 'not'");
      return Ty::boolean();
    }
    require_number(a, e, ast::text(e.op));
    return a;
  }

  Ty binary(Expr& e) {
    Ty a = check(*e.args[0]);
    Ty b = check(*e.args[1]);
    using ast::Operator;
    const std::string op = ast::text(e.op);
    if (e.op == Operator::And || e.op == Operator::Or) {
      require_bool(a, *e.args[0], "the left operand of '" + op + "'");
      require_bool(b, *e.args[1], "the right operand of '" + op + "'");
      return Ty::boolean();
    }
    require_number(a, *e.args[0], op);
    require_number(b, *e.args[1], op);
    if (ast::is_comparison(e.op)) {
      same_dims(a, b, e, "compare");
      return Ty::boolean();
    }
    switch (e.op) {
      case Operator::Add: return same_dims(a, b, e, "add");
      case Operator::Sub: return same_dims(a, b, e, "subtract");
      case Operator::Mul:
        if (!a.known || !b.known) return Ty::unknown();
        return Ty::of(a.dim * b.dim);
      case Operator::Div:
        if (!a.known || !b.known) return Ty::unknown();
        return Ty::of(a.dim / b.dim);
      case Operator::Mod: return same_dims(a, b, e, "take the remainder of");
      case Operator::Pow: return power(e, a, *e.args[0], b, *e.args[1]);
      default: return Ty::unknown();
    }
  }
};

}  // namespace

Ty check_expr(ast::Expr& e, const Scope& scope, Diagnostics& diags) { return Checker(scope, diags).check(e); }

std::optional<units::Dimension> check_unit(const ast::UnitAnnotation& u, Diagnostics& diags) {
  units::UnitParseResult r = units::parse_unit(u.text);
  if (!r.unit) {
    diags.error("E012", u.range, r.error.empty() ? "unknown unit '" + u.text + "'" : r.error).hint =
        "units are SI symbols with an optional prefix, e.g. mV, ms, nS, pF, Mohm, Hz";
    return std::nullopt;
  }
  return r.unit->dim;
}

bool require_dim(const Ty& have, const units::Dimension& want, const SourceRange& where, const std::string& what,
                 Diagnostics& diags, const ast::Expr* value) {
  if (!have.known || have.dim == want) return true;
  Diagnostic& d = diags.error(
      "E020", where,
      what + " must have dimension " + describe_dimension(want) + ", but it is " + describe_dimension(have.dim));
  if (value) d.hint = missing_unit_hint(*value, want);
  return false;
}

std::string missing_unit_hint(const ast::Expr& value, const units::Dimension& want) {
  const Expr* number = &value;
  std::string sign;
  if (value.kind == ExprKind::Unary && (value.op == ast::Operator::Neg || value.op == ast::Operator::Plus)) {
    number = value.args[0].get();
    sign = value.op == ast::Operator::Neg ? "-" : "";
  }
  if (number->kind != ExprKind::Number || !number->unit_text.empty() || want.is_dimensionless()) return "";
  std::string text = sign + ast::to_string(*number);
  std::string unit = units::format_dimension(want);
  bool symbol = unit.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
  return "'" + text + "' has no unit; write it with a unit of " + unit +
         (symbol ? ", e.g. '" + text + " " + unit + "'" : "");
}

}  // namespace axon::sema
