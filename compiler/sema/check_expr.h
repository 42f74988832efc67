// Name resolution and dimension checking of one expression, given a scope that says
// what names mean. Annotates the AST in place (symbol, dim, value_si) and reports errors.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"

namespace axon::sema {

// The type of an expression: a dimension, or "unknown" (a polymorphic bare 0, or a
// name whose dimension is only fixed where a generic model is instantiated); unknown
// values are accepted wherever a dimension is asked for.
struct Ty {
  units::Dimension dim;
  bool known = true;
  bool is_bool = false;
  bool is_list = false;
  bool is_string = false;

  static Ty of(units::Dimension d) { return Ty{d, true, false}; }
  static Ty unknown() { return Ty{units::Dimension::none(), false, false}; }
  static Ty boolean() { return Ty{units::Dimension::none(), true, true}; }
};

struct Symbol {
  ast::SymbolKind kind = ast::SymbolKind::Unresolved;
  Ty ty;
  SourceRange where;  // its declaration, for notes
};

// What names mean where an expression stands. `pre.x` / `post.x` go to lookup_prefixed,
// which explains a failure in *why*: a reason that starts with the prefix in quotes
// ("'pre.' cannot be used in a receptor ...") says the prefix is misused here (E041); any
// other reason ("the target neuron model 'LIF' has no variable 'q'") that x is missing (E040).
class Scope {
 public:
  virtual ~Scope() = default;
  virtual std::optional<Symbol> lookup(const std::string& name) const = 0;
  virtual std::optional<Symbol> lookup_prefixed(const std::string& prefix, const std::string& name,
                                                std::string& why) const {
    why = "'" + prefix + ".' can only be used in a synapse or a receptor";
    return std::nullopt;
  }
  // Network expressions may call distributions and connectivity generators.
  virtual bool allows_network_functions() const { return false; }
  // Names visible here, for "did you mean" hints.
  virtual void candidates(std::vector<std::string>& out) const {}
};

// Checks `e` and returns its type; errors go to `diags`. Unit symbols (ms, mV, ...) are
// resolved as values when no declared name matches.
Ty check_expr(ast::Expr& e, const Scope& scope, Diagnostics& diags);

// Checks a unit annotation's text and returns its dimension (E012 when unknown).
std::optional<units::Dimension> check_unit(const ast::UnitAnnotation& u, Diagnostics& diags);

// Reports E020 when `have` is known and differs from `want`. `what` says where, e.g.
// "the initial value of state 'v'"; `value`, when given, is the checked expression, so
// that a bare number gets a hint to write its unit.
bool require_dim(const Ty& have, const units::Dimension& want, const SourceRange& where, const std::string& what,
                 Diagnostics& diags, const ast::Expr* value = nullptr);

// For a bare number (`-50`, `0.1`) where a quantity of dimension `want` is needed: a hint
// to write its unit ("'-50' has no unit; write it with a unit of V, e.g. '-50 V'").
// "" for anything else.
std::string missing_unit_hint(const ast::Expr& value, const units::Dimension& want);

}  // namespace axon::sema
