#include "compiler/ir/lower_value.h"

#include <cmath>

#include "compiler/builtins/functions.h"
#include "compiler/ir/lower_common.h"

namespace axon::ir {

namespace {

bool is_draw_call(const ast::Expr& e) {
  if (e.kind != ast::ExprKind::Call) return false;
  const builtins::FunctionInfo* f = builtins::find_function(e.name);
  return f && builtins::is_draw(f->id);
}

bool contains_draw(const ast::Expr& e) {
  if (is_draw_call(e)) return true;
  for (const auto& a : e.args)
    if (a && contains_draw(*a)) return true;
  return false;
}

// Folds an operation whose operands are all constants, with the arithmetic the engine's
// evaluator uses (so the folded value is the value the engine would compute).
Expr folded(Expr e) {
  for (const Expr& a : e.args)
    if (!a.is_const()) return e;
  if (auto v = constant_value(e)) return Expr::constant(*v);
  return e;
}

class ValueLowering {
 public:
  ValueLowering(const ValueNames& names, const std::string& what, Diagnostics& diags)
      : names_(names), what_(what), diags_(diags) {}

  bool failed = false;

  Expr value(const ast::Expr& e) {
    if (!contains_draw(e)) return constant(e);
    switch (e.kind) {
      case ast::ExprKind::Call:
        if (is_draw_call(e)) return draw(e);
        break;
      case ast::ExprKind::Unary: {
        if (e.op == ast::Operator::Not) break;
        return unary(e.op, value(*e.args[0]));
      }
      case ast::ExprKind::Binary:
        if (e.op == ast::Operator::Add || e.op == ast::Operator::Sub || e.op == ast::Operator::Mul ||
            e.op == ast::Operator::Div)
          return Expr::make(binary_operator(e.op), {value(*e.args[0]), value(*e.args[1])});
        break;
      default: break;
    }
    return fail(e.range, what_ + ": a distribution can only be scaled, shifted or negated");
  }

  // Numbers, names, operators, `?:` and deterministic functions of them (the operators
  // as every lowering lowers them, then folded where every operand is a constant).
  Expr constant(const ast::Expr& e) {
    const std::string not_a_value = what_ + " must be a constant, an expression of i, or a distribution";
    if (e.kind == ast::ExprKind::Name) {
      if (e.symbol == ast::SymbolKind::Unit || e.symbol == ast::SymbolKind::Constant) return Expr::constant(e.value_si);
      if (auto x = names_(e)) return *x;
      return fail(e.range, not_a_value);
    }
    if (e.kind == ast::ExprKind::Call) {
      // Only functions with a value (no rand(), data(), or anything unknown).
      const builtins::FunctionInfo* f = builtins::find_function(e.name);
      if (!f || !f->evaluate) return fail(e.range, not_a_value);
      for (const auto& a : e.args)
        if (!a) return fail(e.range, not_a_value);
    }
    if (auto x = lower_operator(e, [&](const ast::Expr& a) { return constant(a); })) return folded(std::move(*x));
    return fail(e.range, not_a_value);
  }

 private:
  const ValueNames& names_;
  const std::string& what_;
  Diagnostics& diags_;

  // A distribution or initialiser: its parameters are constants (text for an
  // initialiser's mode and distribution; the listed values for Choice).
  Expr draw(const ast::Expr& e) {
    Expr d;
    d.op = Op::Draw;
    const builtins::FunctionInfo& f = *builtins::find_function(e.name);
    d.fn = f.id;
    d.range = e.range;
    const bool initializer = f.rule == builtins::FnRule::Initializer;
    if (f.id == builtins::Fn::Choice && !e.args.empty() && e.args[0] && e.args[0]->kind == ast::ExprKind::List) {
      for (const auto& item : e.args[0]->args) d.args.push_back(constant(*item));
      return d;
    }
    for (const auto& a : e.args) {
      if (!a) break;
      if (initializer && a->kind == ast::ExprKind::String) {
        Expr text;
        text.op = Op::Text;
        text.text = a->name;
        d.args.push_back(std::move(text));
      } else {
        d.args.push_back(constant(*a));
      }
    }
    return d;
  }

  Expr fail(const SourceRange& r, const std::string& message) {
    if (!failed) diags_.error("E082", r, message);
    failed = true;
    return Expr::constant(0);
  }
};

}  // namespace

std::optional<Expr> lower_value(const ast::Expr& e, const ValueNames& names, const std::string& what,
                                Diagnostics& diags) {
  ValueLowering lx(names, what, diags);
  Expr v = lx.value(e);
  if (lx.failed) return std::nullopt;
  return v;
}

ValueNames network_value_names(const ast::Network& net, Diagnostics& diags) {
  return [&net, &diags](const ast::Expr& n) -> std::optional<Expr> {
    if (n.name == "i") return Expr::variable(-1, Space::Index);
    if (n.name == "j") return Expr::variable(-1, Space::PostIndex);
    for (const ast::NetworkLet& l : net.lets) {
      if (l.name != n.name || !l.value || l.view.valid) continue;
      // A let is a constant of the network: no draws (each use would be a new one).
      if (contains_draw(*l.value)) return std::nullopt;
      return lower_value(*l.value, network_value_names(net, diags), "'" + l.name + "'", diags);
    }
    return std::nullopt;
  };
}

void lower_population_values(const std::vector<ModelValues>& models, const ast::Network& net, Population& pop,
                             Diagnostics& diags) {
  const ValueNames network = network_value_names(net, diags);
  for (const ModelValues& m : models) {
    const ValueNames model_scope = [&](const ast::Expr& n) -> std::optional<Expr> {
      if (n.name == "dt") return Expr::make(Op::Dt, {});
      if (n.name == "t") return Expr::make(Op::Time, {});
      int other = pop.find(m.prefix + n.name);
      if (other < 0 || pop.vars[other].kind == VarKind::Local) return std::nullopt;
      return Expr::variable(other);
    };
    for (const ast::Declaration& d : m.model->decls) {
      if (d.kind == ast::DeclKind::Let) continue;
      Var& v = pop.vars[pop.find(m.prefix + d.name)];
      const ast::Expr* over = nullptr;
      for (const ast::Binding& b : *m.overrides)
        if (b.name == d.name) over = b.value.get();
      v.value_dim = over ? over->dim : v.dim;
      v.value_from_network = over != nullptr;
      if (over)
        v.value = lower_value(*over, network, "the value of '" + v.name + "'", diags);
      else if (d.value)
        v.value = lower_value(*d.value, model_scope, "the initial value of '" + v.name + "'", diags);
    }
  }
}

void lower_synapse_values(const ast::Model& syn, const ast::Projection& ap, const ast::Network& net, Projection& p,
                          Diagnostics& diags) {
  const ValueNames network = network_value_names(net, diags);
  size_t v = 0;
  for (const ast::Declaration& d : syn.decls) {
    if (d.kind == ast::DeclKind::Let) continue;
    Var& var = p.synapse_vars[v];
    const ast::Expr* over = nullptr;
    for (const ast::Binding& b : ap.synapse_args)
      if (b.name == d.name) over = b.value.get();
    var.value_dim = over ? over->dim : var.dim;
    var.value_from_network = over != nullptr;
    const std::string what = "the value of '" + var.name + "'";
    if (over) {
      var.value = lower_value(*over, network, what, diags);
    } else if (d.value) {
      // A default may read the synapse's variables declared before it (`state u = U`).
      const ValueNames earlier = [&, v](const ast::Expr& n) -> std::optional<Expr> {
        for (size_t u = 0; u < v; ++u)
          if (p.synapse_vars[u].name == n.name) return Expr::variable(static_cast<int>(u));
        return network(n);
      };
      var.value = lower_value(*d.value, earlier, what, diags);
    }
    ++v;
  }
}

}  // namespace axon::ir
