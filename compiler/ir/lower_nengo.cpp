#include "compiler/ir/lower_nengo.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "compiler/ir/lower_common.h"
#include "compiler/ir/lower_value.h"
#include "compiler/sema/const_eval.h"

namespace axon::ir {

namespace {

double constant(const ast::Expr* e, double fallback) {
  if (!e) return fallback;
  return sema::eval_const(*e).value_or(fallback);
}

const ast::Expr* arg(const std::vector<ast::Binding>& args, const std::string& name) {
  for (const ast::Binding& b : args)
    if (b.name == name) return b.value.get();
  return nullptr;
}

// A synapse setting: T, Lowpass(T) or Alpha(T).
void synapse(const ast::Expr* e, double fallback, double& tau, bool& alpha) {
  tau = fallback;
  alpha = false;
  if (!e) return;
  if (e->kind == ast::ExprKind::Call) {
    alpha = e->name == "Alpha";
    e = e->args[0].get();
  }
  tau = constant(e, fallback);
}

// A connection function of x at one point: numbers as written (function bodies carry
// no units), x (its first component) and x[k] as Var(k), pi and e, operators and the
// math functions sema allows there.
Expr lower_function_of_x(const ast::Expr& e) {
  using ast::ExprKind;
  auto arg = [&](size_t k) { return lower_function_of_x(*e.args[k]); };
  auto call = [&](builtins::Fn fn) {
    Expr c = Expr::call(fn, {});
    for (size_t k = 0; k < e.args.size(); ++k) c.args.push_back(arg(k));
    return c;
  };
  switch (e.kind) {
    case ExprKind::Number: return Expr::constant(e.number);
    case ExprKind::Name:
      if (e.name == "x") return Expr::variable(0);
      return Expr::constant(e.name == "pi" ? M_PI : M_E);
    case ExprKind::Index: return Expr::variable(static_cast<int>(e.args[1]->number));
    case ExprKind::Unary: return unary(e.op, arg(0));
    case ExprKind::Binary: return Expr::make(binary_operator(e.op), {arg(0), arg(1)});
    case ExprKind::Call:
      // sema allows only deterministic built-ins here (check_nengo.cpp).
      return call(builtins::find_function(e.name)->id);
    default: return Expr::constant(0);
  }
}

}  // namespace

void lower_nengo(const ast::Network& an, Network& net, const std::function<Expr(const ast::Expr&)>& lower_node_value,
                 Diagnostics& diags) {
  std::map<std::string, int> ensemble_of, node_of;
  for (const ast::Population& ap : an.populations) {
    if (!ap.ensemble) continue;
    Ensemble e;
    e.population = net.find(ap.name);
    const Population& pop = net.populations[e.population];
    e.model = ap.model.name;
    e.dims = static_cast<int64_t>(constant(arg(ap.nef_args, "dimensions"), 1));
    e.radius = constant(arg(ap.nef_args, "radius"), 1);
    const ValueNames names = network_value_names(an, diags);
    auto value = [&](const char* name) -> std::optional<Expr> {
      const ast::Expr* v = arg(ap.nef_args, name);
      if (!v) return std::nullopt;
      std::optional<Expr> lowered = lower_value(*v, names, "the value of '" + ap.name + "." + name + "'", diags);
      return lowered ? lowered : std::optional<Expr>(Expr::constant(0));
    };
    e.max_rates = value("max_rates");
    e.intercepts = value("intercepts");
    e.gain = value("gain");
    e.bias = value("bias");
    if (const ast::Expr* s = arg(ap.nef_args, "seed")) e.seed = static_cast<uint64_t>(constant(s, 0));
    e.input_var = pop.find("J");
    for (size_t v = 0; v < pop.vars.size(); ++v)
      if (pop.vars[v].kind == VarKind::Output) e.output_var = static_cast<int>(v);
    if (e.input_var < 0 || e.output_var < 0) {
      diags.error("E090", ap.model.range, "an ensemble's neuron type needs an input J and an output");
      continue;
    }
    ensemble_of[ap.name] = static_cast<int>(net.ensembles.size());
    net.ensembles.push_back(e);
  }
  if (ensemble_of.size() != static_cast<size_t>(std::count_if(an.populations.begin(), an.populations.end(),
                                                              [](const ast::Population& p) { return p.ensemble; })))
    return;  // an ensemble without J or an output (E090 above)
  for (const ast::Node& an_node : an.nodes) {
    NefNode n;
    n.name = an_node.name;
    n.size = an_node.n;
    n.passthrough = !an_node.value;
    n.value = !an_node.value || ast::data_source(*an_node.value) ? Expr::constant(0) : lower_node_value(*an_node.value);
    node_of[n.name] = static_cast<int>(net.nodes.size());
    net.nodes.push_back(std::move(n));
  }
  std::map<std::string, int> connection_of;
  for (size_t k = 0; k < an.connections.size(); ++k)
    if (!an.connections[k].name.empty()) connection_of[an.connections[k].name] = static_cast<int>(k);
  for (const ast::Connection& ac : an.connections) {
    NefConnection c;
    c.source_kind = static_cast<EndpointKind>(ac.source_kind);
    c.target_kind = static_cast<EndpointKind>(ac.target_kind);
    c.source = ac.source_kind == ast::EndpointKind::Node ? node_of.at(ac.source_name) : ensemble_of.at(ac.source_name);
    c.target = ac.target_kind == ast::EndpointKind::Error  ? connection_of.at(ac.target_name)
               : ac.target_kind == ast::EndpointKind::Node ? node_of.at(ac.target_name)
                                                           : ensemble_of.at(ac.target_name);
    c.name = !ac.name.empty() ? ac.name
                              : ac.source_name + (ac.source_kind == ast::EndpointKind::Neurons ? ".neurons" : "") +
                                    "_to_" + ac.target_name +
                                    (ac.target_kind == ast::EndpointKind::Neurons ? ".neurons"
                                     : ac.target_kind == ast::EndpointKind::Error ? ".error"
                                                                                  : "");
    for (const NefConnection& other : net.connections)
      if (other.name == c.name) c.name += "_" + std::to_string(net.connections.size());
    c.source_size = ac.source_size;
    c.out_size = ac.out_size;
    c.target_size = ac.target_size;
    if (const ast::Expr* f = arg(ac.args, "function")) {
      if (f->kind == ast::ExprKind::List)
        for (const auto& item : f->args) c.function.push_back(lower_function_of_x(*item));
      else
        c.function.push_back(lower_function_of_x(*f));
    }
    synapse(arg(ac.args, "synapse"), 0.005, c.tau, c.alpha);
    if (const ast::Expr* rule = arg(ac.args, "learning_rule")) {
      c.pes = true;
      for (size_t k = 0; k < rule->args.size(); ++k) {
        bool rate = rule->arg_names[k] == "learning_rate" || (rule->arg_names[k].empty() && k == 0);
        (rate ? c.pes_rate : c.pes_tau) = constant(rule->args[k].get(), rate ? 1e-4 : 0.005);
      }
    }
    c.transform.assign(c.target_size * c.out_size, 0.0);
    const ast::Expr* t = arg(ac.args, "transform");
    if (t && t->kind == ast::ExprKind::List) {
      for (int64_t r = 0; r < c.target_size; ++r)
        for (int64_t k = 0; k < c.out_size; ++k)
          c.transform[r * c.out_size + k] = sema::eval_const(*t->args[r]->args[k]).value_or(0);
    } else {
      double scale = constant(t, 1);
      for (int64_t r = 0; r < std::min(c.target_size, c.out_size); ++r) c.transform[r * c.out_size + r] = scale;
    }
    net.connections.push_back(std::move(c));
  }
  for (const ast::Probe& ap : an.probes) {
    if (ap.nengo.empty()) continue;
    NefProbe p;
    p.name = ap.nengo;
    p.node = node_of.count(ap.nengo) > 0;
    p.neurons = ap.nengo_neurons;
    p.index = p.node ? node_of.at(ap.nengo) : ensemble_of.at(ap.nengo);
    synapse(arg(ap.args, "synapse"), 0, p.tau, p.alpha);
    p.every = constant(ap.every.get(), 0);
    p.from = constant(ap.from.get(), 0);
    p.to = constant(ap.to.get(), -1);
    net.nef_probes.push_back(p);
  }
}

}  // namespace axon::ir
