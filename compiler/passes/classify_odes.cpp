#include "compiler/passes/classify_odes.h"

#include <functional>
#include <map>
#include <set>

#include "compiler/ir/walk.h"
#include "compiler/passes/linear_terms.h"

namespace axon::passes {

using ir::Expr;
using ir::Op;

namespace {

using ir::Space;
using ir::VarRef;

// Linear in the population's states and inputs, with constant coefficients: the test
// for exact integration.
LinearIn states_and_inputs(const ir::Population& pop) {
  LinearIn in;
  in.is_variable = [&pop](VarRef r) {
    if (r.space != Space::Own || r.var < 0 || r.var >= static_cast<int>(pop.vars.size())) return false;
    ir::VarKind k = pop.vars[r.var].kind;
    return k == ir::VarKind::State || k == ir::VarKind::Input || k == ir::VarKind::Output;
  };
  in.time_and_draws_fail = true;
  in.refuse = [&pop](VarRef r) {
    return pop.vars[r.var].kind == ir::VarKind::Output ? std::string("a rate output") : std::string();
  };
  in.print = [&pop](const Expr& e) { return ir::to_string(e, &pop); };
  return in;
}

// Linear in the variables `is_variable` names only, everything else a coefficient.
LinearIn only(const ir::Population& pop, std::function<bool(VarRef)> is_variable, const std::string& name) {
  LinearIn in;
  in.is_variable = std::move(is_variable);
  in.many = in.one = name;
  in.print = [&pop](const Expr& e) { return ir::to_string(e, &pop); };
  return in;
}

// The range to point at for an equation of `state`: its declaration.
SourceRange where(const ir::Population& pop, int state) {
  if (state >= 0 && state < static_cast<int>(pop.vars.size())) return pop.vars[state].range;
  return pop.vars.empty() ? SourceRange{} : pop.vars[0].range;
}

bool has_noise(const Expr& e) {
  return ir::any_of(e, [](const Expr& x) { return x.op == Op::Var && x.space == Space::Noise; });
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
    LinearDecomposer d(only(
        pop, [](VarRef r) { return r.space == Space::Noise; }, "xi"));
    auto a = d.run(rhs);
    if (!a) {
      diags
          .error("E091", where(pop, v),
                 "the equation of " + pop.vars[v].name + " in model '" + pop.model +
                     "' is not of the form f + g * xi: " + d.failure)
          .hint = "white noise must enter linearly, e.g. v' = (v_rest - v) / tau + sigma * xi / sqrt(tau)";
      continue;
    }
    for (const auto& [noise, g] : a->coeff) {
      const int source = noise.var;
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
    LinearDecomposer d(only(
        pop,
        [x](VarRef r) {
          return r == VarRef{Space::Own, x};
        },
        pop.vars[x].name));
    auto a = d.run(rhs);
    if (!a) {
      diags
          .error("E091", where(pop, v),
                 "model '" + pop.model + "' asks for exponential_euler, but the equation of " + pop.vars[v].name +
                     " is not conditionally linear in " + pop.vars[v].name + ": " + d.failure)
          .hint =
          "exponential_euler needs each x' = a * x + b with a and b free of x; use 'method euler', 'rk2' or 'rk4'";
      continue;
    }
    pop.exp_euler.push_back(ir::ConditionallyLinear{v, a->coefficient({Space::Own, v}), a->constant});
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
      diags
          .error("E091", where(pop, pop.derivatives[0].first),
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

  LinearDecomposer d(states_and_inputs(pop));
  std::vector<LinearTerms> rows;
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
    for (const LinearTerms& a : rows)
      for (const auto& [r, c] : a.coeff)
        if (pop.vars[r.var].kind == ir::VarKind::State && !integrated.count(r.var)) {
          linear = false;
          d.failure = "state " + pop.vars[r.var].name + " without an equation";
        }
  }
  if (!linear) {
    if (declared) {
      diags
          .error("E091", pop.vars.empty() ? SourceRange{} : pop.vars[0].range,
                 "model '" + pop.model +
                     "' asks for exact integration, but its equations are not "
                     "linear with constant coefficients: " +
                     d.failure)
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
  for (const LinearTerms& a : rows)
    for (const auto& [r, c] : a.coeff)
      if (pop.vars[r.var].kind == ir::VarKind::Input) inputs.insert(r.var);
  L.inputs.assign(inputs.begin(), inputs.end());
  for (const LinearTerms& a : rows) {
    std::vector<Expr> arow, brow;
    for (int s : L.states) arow.push_back(a.coefficient({Space::Own, s}));
    for (int u : L.inputs) brow.push_back(a.coefficient({Space::Own, u}));
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
