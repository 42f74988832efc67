#include "compiler/passes/classify_odes.h"

#include <map>
#include <set>

namespace axon::passes {

using ir::Expr;
using ir::Op;

namespace {

// An expression as sum_k coeff[k] * x_k + constant, coefficients free of states/inputs.
struct Affine {
  std::map<int, Expr> coeff;
  Expr constant = Expr::constant(0);
};

Expr add(Expr a, Expr b) {
  if (a.is_const() && a.value == 0) return b;
  if (b.is_const() && b.value == 0) return a;
  if (a.is_const() && b.is_const()) return Expr::constant(a.value + b.value);
  return Expr::make(Op::Add, {std::move(a), std::move(b)});
}
Expr mul(Expr a, Expr b) {
  if ((a.is_const() && a.value == 0) || (b.is_const() && b.value == 0)) return Expr::constant(0);
  if (a.is_const() && a.value == 1) return b;
  if (b.is_const() && b.value == 1) return a;
  if (a.is_const() && b.is_const()) return Expr::constant(a.value * b.value);
  return Expr::make(Op::Mul, {std::move(a), std::move(b)});
}
Expr neg(Expr a) {
  if (a.is_const()) return Expr::constant(-a.value);
  return Expr::make(Op::Neg, {std::move(a)});
}
Expr div(Expr a, Expr b) {
  if (a.is_const() && a.value == 0) return Expr::constant(0);
  if (b.is_const() && b.value == 1) return a;
  return Expr::make(Op::Div, {std::move(a), std::move(b)});
}

class Decomposer {
 public:
  Decomposer(const ir::Population& pop) : pop_(pop) {}
  std::string failure;  // the first nonlinear term found

  bool dynamic(int v) const {
    if (v < 0 || v >= static_cast<int>(pop_.vars.size())) return false;
    ir::VarKind k = pop_.vars[v].kind;
    return k == ir::VarKind::State || k == ir::VarKind::Input || k == ir::VarKind::Output;
  }

  std::optional<Affine> run(const Expr& e) {
    switch (e.op) {
      case Op::Const: {
        Affine a;
        a.constant = e;
        return a;
      }
      case Op::Dt: {
        Affine a;
        a.constant = e;
        return a;
      }
      case Op::Var: {
        Affine a;
        if (dynamic(e.var)) {
          if (pop_.vars[e.var].kind == ir::VarKind::Output) return fail(e, "a rate output");
          a.coeff[e.var] = Expr::constant(1);
        } else {
          a.constant = e;
        }
        return a;
      }
      case Op::Time: return fail(e, "time-dependent");
      case Op::Rand:
      case Op::Randn: return fail(e, "random");
      case Op::Add:
      case Op::Sub: {
        auto a = run(e.args[0]);
        auto b = run(e.args[1]);
        if (!a || !b) return std::nullopt;
        if (e.op == Op::Sub) b = scale(*b, Expr::constant(-1));
        for (auto& [v, c] : b->coeff) a->coeff[v] = a->coeff.count(v) ? add(a->coeff[v], c) : c;
        a->constant = add(a->constant, b->constant);
        return a;
      }
      case Op::Neg: {
        auto a = run(e.args[0]);
        if (!a) return std::nullopt;
        return scale(*a, Expr::constant(-1));
      }
      case Op::Mul: {
        auto a = run(e.args[0]);
        auto b = run(e.args[1]);
        if (!a || !b) return std::nullopt;
        if (a->coeff.empty()) return scale(*b, a->constant);
        if (b->coeff.empty()) return scale(*a, b->constant);
        return fail(e, "a product of states");
      }
      case Op::Div: {
        auto a = run(e.args[0]);
        auto b = run(e.args[1]);
        if (!a || !b) return std::nullopt;
        if (!b->coeff.empty()) return fail(e, "a division by a state");
        Affine r;
        for (auto& [v, c] : a->coeff) r.coeff[v] = div(c, b->constant);
        r.constant = div(a->constant, b->constant);
        return r;
      }
      default: {
        // Any other operation is fine on constants only.
        for (const Expr& arg : e.args) {
          auto a = run(arg);
          if (!a) return std::nullopt;
          if (!a->coeff.empty()) return fail(e, "a nonlinear function of a state");
        }
        Affine r;
        r.constant = e;
        return r;
      }
    }
  }

 private:
  const ir::Population& pop_;

  std::optional<Affine> fail(const Expr& e, const std::string& why) {
    if (failure.empty()) failure = why + " term " + ir::to_string(e, &pop_);
    return std::nullopt;
  }
  static Affine scale(Affine a, const Expr& k) {
    for (auto& [v, c] : a.coeff) c = k.is_const() && k.value == -1 ? neg(c) : mul(k, c);
    a.constant = k.is_const() && k.value == -1 ? neg(a.constant) : mul(k, a.constant);
    return a;
  }
};

void classify(ir::Population& pop, Diagnostics& diags) {
  if (pop.spike_source || pop.derivatives.empty() || pop.method == ir::Method::Update) {
    if (pop.method_reason.empty() && pop.method == ir::Method::Update) pop.method_reason = "discrete update block";
    return;
  }
  bool declared = !pop.method_reason.empty();
  if (declared && pop.method != ir::Method::Exact) return;

  Decomposer d(pop);
  std::vector<Affine> rows;
  bool linear = true;
  for (const auto& [v, rhs] : pop.derivatives) {
    auto a = d.run(rhs);
    if (!a) {
      linear = false;
      break;
    }
    rows.push_back(std::move(*a));
  }
  // Inputs in the equations are held constant over a step; states must all have one.
  std::set<int> integrated;
  for (const auto& [v, rhs] : pop.derivatives) integrated.insert(v);
  if (linear) {
    for (const Affine& a : rows)
      for (const auto& [v, c] : a.coeff)
        if (pop.vars[v].kind == ir::VarKind::State && !integrated.count(v)) {
          linear = false;
          d.failure = "state " + pop.vars[v].name + " without an equation";
        }
  }
  if (!linear) {
    if (declared) {
      diags.error("E091", pop.vars.empty() ? SourceRange{} : pop.vars[0].range,
                  "model '" + pop.model + "' asks for exact integration, but its equations are not "
                  "linear with constant coefficients: " + d.failure)
          .hint = "use 'method euler', 'rk2' or 'rk4'";
      return;
    }
    pop.method = ir::Method::Euler;
    pop.method_reason = "not linear: " + d.failure + "; euler by default";
    return;
  }
  ir::LinearSystem L;
  for (const auto& [v, rhs] : pop.derivatives) L.states.push_back(v);
  std::set<int> inputs;
  for (const Affine& a : rows)
    for (const auto& [v, c] : a.coeff)
      if (pop.vars[v].kind == ir::VarKind::Input) inputs.insert(v);
  L.inputs.assign(inputs.begin(), inputs.end());
  for (const Affine& a : rows) {
    std::vector<Expr> arow, brow;
    for (int s : L.states) arow.push_back(a.coeff.count(s) ? a.coeff.at(s) : Expr::constant(0));
    for (int u : L.inputs) brow.push_back(a.coeff.count(u) ? a.coeff.at(u) : Expr::constant(0));
    L.A.push_back(std::move(arow));
    L.B.push_back(std::move(brow));
    L.c.push_back(a.constant);
  }
  pop.linear = std::move(L);
  pop.method = ir::Method::Exact;
  if (!declared) pop.method_reason = "linear with constant coefficients";
}

}  // namespace

void classify_odes(ir::Network& net, Diagnostics& diags) {
  for (ir::Population& pop : net.populations) classify(pop, diags);
}

}  // namespace axon::passes
