#include "compiler/sema/model_scope.h"

namespace axon::sema {

using ast::SymbolKind;
using units::Dimension;

ast::SymbolKind symbol_kind(ast::DeclKind k) {
  switch (k) {
    case ast::DeclKind::Parameter: return SymbolKind::Parameter;
    case ast::DeclKind::State: return SymbolKind::State;
    case ast::DeclKind::Input: return SymbolKind::Input;
    case ast::DeclKind::Let: return SymbolKind::Let;
    case ast::DeclKind::Output: return SymbolKind::Output;
  }
  return SymbolKind::Unresolved;
}

std::string a_kind(ast::DeclKind k) {
  bool vowel = k == ast::DeclKind::Input || k == ast::DeclKind::Output;
  return std::string(vowel ? "an " : "a ") + ast::to_string(k);
}

Ty decl_type(const ast::Declaration& d) { return d.dim_known ? Ty::of(d.dim) : Ty::unknown(); }

std::optional<Symbol> ModelScope::lookup(const std::string& name) const {
  if (const ast::Declaration* d = model_.find(name)) return Symbol{symbol_kind(d->kind), decl_type(*d), d->range};
  if (name == "t") return Symbol{SymbolKind::Time, Ty::of(units::dims::time()), {}};
  if (name == "dt") return Symbol{SymbolKind::Step, Ty::of(units::dims::time()), {}};
  if (name == "xi" && allow_noise)
    return Symbol{SymbolKind::Constant, Ty::of(units::dims::time().pow(units::Rational(-1, 2))), {}};
  return std::nullopt;
}

std::optional<Symbol> ModelScope::lookup_prefixed(const std::string& prefix, const std::string& name,
                                                  std::string& why) const {
  if (resolver) return resolver(prefix, name, why);
  if (model_.kind == ast::ModelKind::Synapse)
    return Symbol{prefix == "pre" ? SymbolKind::PreVar : SymbolKind::PostVar, Ty::unknown(), {}};
  if (model_.kind == ast::ModelKind::Receptor && prefix == "post")
    return Symbol{SymbolKind::HostVar, Ty::unknown(), {}};
  why = model_.kind == ast::ModelKind::Receptor
            ? "'pre.' cannot be used in a receptor; it refers to its neuron as 'post.'"
            : "'" + prefix + ".' can only be used in a synapse or a receptor";
  return std::nullopt;
}

void ModelScope::candidates(std::vector<std::string>& out) const {
  for (const ast::Declaration& d : model_.decls) out.push_back(d.name);
  out.push_back("t");
  out.push_back("dt");
}

std::optional<Symbol> BlockScope::lookup(const std::string& name) const {
  auto it = locals_.find(name);
  if (it != locals_.end()) return it->second;
  return parent_.lookup(name);
}

void BlockScope::candidates(std::vector<std::string>& out) const {
  for (const auto& [n, s] : locals_) out.push_back(n);
  parent_.candidates(out);
}

namespace {

void check_assign(ast::Stmt& s, BlockScope& scope, const ast::Model& model, const AssignRule& assignable,
                  Diagnostics& diags) {
  Ty value = check_expr(*s.value, scope, diags);
  ast::Expr& target = *s.target;
  Ty target_ty = Ty::unknown();
  std::string target_name;
  if (target.kind == ast::ExprKind::Name) {
    target_name = target.name;
    const ast::Declaration* d = model.find(target.name);
    if (d == nullptr) {
      check_expr(target, scope, diags);  // reports the unknown name with a hint
      return;
    }
    std::string why;
    if (!assignable(*d, why)) {
      diags
          .error("E035", target.range,
                 "cannot assign to " + std::string(ast::to_string(d->kind)) + " '" + d->name + "'")
          .hint = why;
      return;
    }
    target.symbol = symbol_kind(d->kind);
    target_ty = decl_type(*d);
    target.dim = target_ty.dim;
  } else if (target.kind == ast::ExprKind::Member) {
    target_ty = check_expr(target, scope, diags);
    target_name = target.args[0]->name + "." + target.name;
  } else {
    diags.error("E035", target.range, "only a variable can be assigned to");
    return;
  }
  if (value.is_bool) {
    diags.error("E024", s.value->range, "cannot assign a true/false value to '" + target_name + "'");
    return;
  }
  if (s.op == ast::AssignOp::Mul || s.op == ast::AssignOp::Div) {
    if (value.known && !value.dim.is_dimensionless())
      diags.error("E020", s.value->range,
                  std::string("'") + ast::text(s.op) + "' needs a dimensionless factor, but it is " +
                      units::describe_dimension(value.dim));
    return;
  }
  if (target_ty.known && value.known && target_ty.dim != value.dim) {
    diags
        .error("E020", s.value->range,
               "cannot assign " + units::describe_dimension(value.dim) + " to '" + target_name + "' of " +
                   units::describe_dimension(target_ty.dim))
        .hint = missing_unit_hint(*s.value, target_ty.dim);
  }
}

void check_stmts(std::vector<ast::Stmt>& body, BlockScope& scope, const ast::Model& model, const AssignRule& assignable,
                 Diagnostics& diags) {
  for (ast::Stmt& s : body) {
    switch (s.kind) {
      case ast::StmtKind::Assign: check_assign(s, scope, model, assignable, diags); break;
      case ast::StmtKind::Let: {
        Ty t = check_expr(*s.value, scope, diags);
        if (s.unit) {
          if (auto dim = check_unit(*s.unit, diags)) {
            require_dim(t, *dim, s.value->range, "the value of '" + s.name + "'", diags, s.value.get());
            t = Ty::of(*dim);
          }
        }
        scope.define(s.name, Symbol{ast::SymbolKind::Let, t, s.range});
        break;
      }
      case ast::StmtKind::If: {
        Ty c = check_expr(*s.value, scope, diags);
        if (!c.is_bool)
          diags.error("E024", s.value->range, "the condition of 'if' must be true or false").hint =
              "compare it with something, e.g. 'x > 0'";
        BlockScope then_scope(scope), else_scope(scope);
        check_stmts(s.then_body, then_scope, model, assignable, diags);
        check_stmts(s.else_body, else_scope, model, assignable, diags);
        break;
      }
    }
  }
}

}  // namespace

void check_block(std::vector<ast::Stmt>& body, const Scope& scope, const ast::Model& model,
                 const AssignRule& assignable, Diagnostics& diags) {
  BlockScope block(scope);
  check_stmts(body, block, model, assignable, diags);
}

}  // namespace axon::sema
