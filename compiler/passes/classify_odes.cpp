#include "compiler/passes/classify_odes.h"

#include <functional>
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

// Splits an expression into an affine function of the "dynamic" variables. By default
// those are the states and inputs (the linear test for exact integration); with a
// predicate, only the variables it names (one state for exponential Euler, the noise
// placeholders for Euler-Maruyama), everything else, t and random draws included, being
// a coefficient.
class Decomposer {
 public:
  explicit Decomposer(const ir::Population& pop) : pop_(pop) {}
  Decomposer(const ir::Population& pop, std::function<bool(int)> only, std::string name)
      : pop_(pop), only_(std::move(only)), name_(std::move(name)) {}
  std::string failure;  // the first nonlinear term found

  bool dynamic(int v) const {
    if (only_) return only_(v);
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
          if (!only_ && pop_.vars[e.var].kind == ir::VarKind::Output) return fail(e, "a rate output");
          a.coeff[e.var] = Expr::constant(1);
        } else {
          a.constant = e;
        }
        return a;
      }
      case Op::Time:
      case Op::Rand:
      case Op::Randn: {
        if (!only_) return fail(e, e.op == Op::Time ? "time-dependent" : "random");
        Affine a;
        a.constant = e;
        return a;
      }
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
        return fail(e, "a product of " + name_);
      }
      case Op::Div: {
        auto a = run(e.args[0]);
        auto b = run(e.args[1]);
        if (!a || !b) return std::nullopt;
        if (!b->coeff.empty()) return fail(e, "a division by " + (only_ ? name_ : "a state"));
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
          if (!a->coeff.empty()) return fail(e, "a nonlinear function of " + (only_ ? name_ : "a state"));
        }
        Affine r;
        r.constant = e;
        return r;
      }
    }
  }

 private:
  const ir::Population& pop_;
  std::function<bool(int)> only_;
  std::string name_ = "states";

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

// The range to point at for an equation of `state`: its declaration.
SourceRange where(const ir::Population& pop, int state) {
  if (state >= 0 && state < static_cast<int>(pop.vars.size())) return pop.vars[state].range;
  return pop.vars.empty() ? SourceRange{} : pop.vars[0].range;
}

bool has_noise(const Expr& e) {
  if (e.op == Op::Var && ir::is_noise_var(e.var)) return true;
  for (const Expr& a : e.args)
    if (has_noise(a)) return true;
  return false;
}

// White noise: each x' = f + g * xi becomes x' = f plus a noise term g (one normal draw
// per noise source, neuron or receptor, and step). False when there is none; an `xi`
// that does not enter linearly is E091.
bool split_noise(ir::Population& pop, Diagnostics& diags) {
  bool any = false;
  std::map<int, int> draw_of;  // noise source -> draw number
  for (auto& [v, rhs] : pop.derivatives) {
    if (!has_noise(rhs)) continue;
    any = true;
    Decomposer d(pop, ir::is_noise_var, "xi");
    auto a = d.run(rhs);
    if (!a) {
      diags.error("E091", where(pop, v), "the equation of " + pop.vars[v].name + " in model '" + pop.model +
                                             "' is not of the form f + g * xi: " + d.failure)
          .hint = "white noise must enter linearly, e.g. v' = (v_rest - v) / tau + sigma * xi / sqrt(tau)";
      continue;
    }
    for (const auto& [source, g] : a->coeff) {
      auto it = draw_of.find(source);
      if (it == draw_of.end()) it = draw_of.emplace(source, pop.rand_draws++).first;
      pop.noise.push_back(ir::NoiseTerm{v, it->second, g});
    }
    rhs = a->constant;
  }
  return any;
}

// Exponential Euler: every equation must be x' = a * x + b with a, b free of x.
void classify_exponential_euler(ir::Population& pop, Diagnostics& diags) {
  for (const auto& [v, rhs] : pop.derivatives) {
    int x = v;
    Decomposer d(pop, [x](int var) { return var == x; }, pop.vars[x].name);
    auto a = d.run(rhs);
    if (!a) {
      diags.error("E091", where(pop, v), "model '" + pop.model + "' asks for exponential_euler, but the equation of " +
                                             pop.vars[v].name + " is not conditionally linear in " + pop.vars[v].name +
                                             ": " + d.failure)
          .hint = "exponential_euler needs each x' = a * x + b with a and b free of x; use 'method euler', 'rk2' or 'rk4'";
      continue;
    }
    pop.exp_euler.push_back(ir::ConditionallyLinear{v, a->coeff.count(v) ? a->coeff.at(v) : Expr::constant(0), a->constant});
  }
}

void classify(ir::Population& pop, Diagnostics& diags) {
  if (pop.spike_source || pop.derivatives.empty() || pop.method == ir::Method::Update) {
    if (pop.method_reason.empty() && pop.method == ir::Method::Update) pop.method_reason = "discrete update block";
    return;
  }
  bool declared = !pop.method_reason.empty();
  if (split_noise(pop, diags)) {
    if (declared && pop.method != ir::Method::Euler) {
      diags.error("E091", where(pop, pop.derivatives[0].first),
                  "model '" + pop.model + "' asks for " + ir::to_string(pop.method) +
                      ", but its equations have white noise 'xi', which only euler (Euler-Maruyama) integrates")
          .hint = "use 'method euler' or leave the method out";
      return;
    }
    pop.method = ir::Method::EulerMaruyama;
    pop.method_reason = "white noise xi: Euler-Maruyama";
    return;
  }
  if (declared && pop.method == ir::Method::ExponentialEuler) {
    classify_exponential_euler(pop, diags);
    return;
  }
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
