// Checks one model on its own (generic parts of synapses and receptors are checked
// again where a network binds them; see check_network.cpp).
// Allowed:      state v = -65 mV;  v' = (E_L - v) / tau;  on spike when v > v_th { v = v_reset }
// Not allowed:  v' = (E_L - v)          (E021: a derivative needs dimension V/s)
//               tau' = ...              (E030: tau is a parameter, not a state)
//               refractory 2 ms clamps q (E032: q is not a state)
#include <map>
#include <set>

#include "compiler/sema/model_scope.h"
#include "compiler/sema/sema.h"

namespace axon::sema {

using ast::DeclKind;
using ast::ModelKind;
using units::describe_dimension;

namespace {

const std::set<std::string> kMethods = {"exact", "euler", "rk2", "rk4", "exponential_euler"};

void not_allowed(Diagnostics& diags, const ast::Model& m, const SourceRange& r, const std::string& what,
                 const std::string& hint) {
  diags.error("E033", r, what + " is not allowed in a " + ast::to_string(m.kind)).hint = hint;
}

void check_member_kinds(ast::Model& m, Diagnostics& diags) {
  if (!m.modifier.name.empty() && (m.modifier.name != "rate" || m.kind != ModelKind::Neuron))
    diags
        .error("E033", m.modifier.range, "unexpected '" + m.modifier.name + "' before '" + ast::to_string(m.kind) + "'")
        .hint = "only 'rate neuron' has a modifier";
  for (ast::Declaration& d : m.decls) {
    if (d.per_synapse && m.kind != ModelKind::Synapse)
      not_allowed(diags, m, d.range, "'per synapse'", "per-synapse values belong in a synapse");
    if (d.kind == DeclKind::Input && m.kind == ModelKind::Synapse)
      not_allowed(diags, m, d.range, "an input", "a synapse writes into its target with post.x += ...");
  }
  if (m.kind != ModelKind::Neuron) {
    for (auto& o : m.on_spike) not_allowed(diags, m, o.range, "'on spike'", "spikes are emitted by neurons");
    for (auto& r : m.refractory) not_allowed(diags, m, r.range, "'refractory'", "refractoriness belongs to a neuron");
  }
  if (m.kind != ModelKind::Synapse) {
    for (auto& h : m.handlers)
      not_allowed(diags, m, h.range, h.on_post ? "'on post'" : "'on pre'", "event handlers belong in a synapse");
    for (auto& o : m.odes)
      if (o.event_driven)
        not_allowed(diags, m, o.range, "an event-driven equation", "only synapse states are event driven");
  }
  if (m.kind != ModelKind::Receptor) {
    for (auto& c : m.contributions)
      not_allowed(diags, m, c.range, "'contributes'", "receptors contribute to their neuron's inputs");
  }
  if (m.on_spike.size() > 1) {
    Diagnostic& d = diags.error("E033", m.on_spike[1].range, "a neuron has one 'on spike' block");
    d.notes.push_back({m.on_spike[0].range, "the first one is here"});
  }
  if (m.rate && !m.on_spike.empty())
    diags.error("E033", m.on_spike[0].range, "a rate neuron does not spike").hint =
        "declare its rate with 'output r = ...'";
}

bool is_bare_zero(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::Unary && (e.op == ast::Operator::Neg || e.op == ast::Operator::Plus))
    return is_bare_zero(*e.args[0]);
  return e.kind == ast::ExprKind::Number && e.unit_text.empty() && e.number == 0;
}

void check_declarations_of(ast::Model& m, Diagnostics& diags) {
  // Annotated declarations are known everywhere, even before their line.
  for (ast::Declaration& d : m.decls) {
    if (!d.unit) continue;
    if (auto dim = check_unit(*d.unit, diags)) {
      d.dim = *dim;
      d.dim_known = true;
    }
  }
  ModelScope scope(m);
  for (ast::Declaration& d : m.decls) {
    if (d.kind == DeclKind::Input) {
      if (!d.unit) {
        d.dim = units::Dimension::none();
        d.dim_known = true;
      }
      continue;
    }
    if (!d.value) {
      if (d.kind == DeclKind::Let || d.kind == DeclKind::Output)
        diags.error("E033", d.range, std::string(ast::to_string(d.kind)) + " '" + d.name + "' needs a value");
      if (!d.unit && d.kind == DeclKind::State) {
        d.dim = units::Dimension::none();
        d.dim_known = true;
      }
      continue;  // a synapse parameter without unit or default is generic
    }
    Ty t = check_expr(*d.value, scope, diags);
    if (t.is_bool) {
      diags.error("E024", d.value->range, "the value of '" + d.name + "' must be a number");
      continue;
    }
    if (d.unit) {
      if (d.dim_known)
        require_dim(t, d.dim, d.value->range,
                    "the value of " + std::string(ast::to_string(d.kind)) + " '" + d.name + "'", diags, d.value.get());
    } else if (t.known) {
      d.dim = t.dim;
      d.dim_known = true;
    } else if ((d.kind == DeclKind::State || d.kind == DeclKind::Parameter) &&
               (m.kind == ModelKind::Synapse || is_bare_zero(*d.value))) {
      // `state x = 0`: a bare zero, dimensionless unless annotated.
      d.dim = units::Dimension::none();
      d.dim_known = m.kind != ModelKind::Synapse || d.kind == DeclKind::State;
    }
    // Otherwise the value had an error (reported): its dimension stays unknown, so that
    // the uses of `d` are not reported again.
  }
}

void check_odes(ast::Model& m, Diagnostics& diags) {
  ModelScope scope(m);
  scope.allow_noise = true;
  std::map<std::string, SourceRange> seen;
  for (ast::Ode& o : m.odes) {
    Ty rhs = check_expr(*o.rhs, scope, diags);
    const ast::Declaration* d = m.find(o.state);
    if (d == nullptr) {
      diags.error("E010", o.range, "unknown name '" + o.state + "'").hint =
          "declare it first: state " + o.state + " = ...";
      continue;
    }
    if (d->kind != DeclKind::State) {
      Diagnostic& e = diags.error(
          "E030", o.range, "'" + o.state + "' is " + a_kind(d->kind) + ", not a state; only states have derivatives");
      e.notes.push_back({d->range, "declared here"});
      continue;
    }
    auto [it, fresh] = seen.emplace(o.state, o.range);
    if (!fresh) {
      Diagnostic& e = diags.error("E036", o.range, "'" + o.state + "' has two equations");
      e.notes.push_back({it->second, "the first one is here"});
    }
    if (rhs.is_bool) {
      diags.error("E024", o.rhs->range, "the right side of " + o.state + "' must be a number");
      continue;
    }
    if (d->dim_known && rhs.known) {
      units::Dimension want = d->dim / units::dims::time();
      if (rhs.dim != want) {
        Diagnostic& e =
            diags.error("E021", o.rhs->range,
                        "the right side of " + o.state + "' must have dimension " + units::format_dimension(want) +
                            " (" + o.state + " per time), but it is " + describe_dimension(rhs.dim));
        if (rhs.dim == d->dim) e.hint = "did you forget to divide by a time constant?";
      }
    }
  }
  if (!m.method.name.empty() && !kMethods.count(m.method.name))
    diags.error("E034", m.method.range, "unknown integration method '" + m.method.name + "'").hint =
        "use one of exact, euler, rk2, rk4, exponential_euler";
}

void check_events(ast::Model& m, Diagnostics& diags) {
  ModelScope scope(m);
  // Events change states; parameters are constants of the run.
  AssignRule states_only = [&](const ast::Declaration& d, std::string& why) {
    if (d.kind == DeclKind::State) return true;
    why = "only states change during a run; '" + d.name + "' is " + a_kind(d.kind);
    return false;
  };
  for (ast::OnSpike& o : m.on_spike) {
    Ty c = check_expr(*o.condition, scope, diags);
    if (!c.is_bool)
      diags.error("E024", o.condition->range, "the spike condition must be true or false").hint =
          "compare a state with a threshold, e.g. 'v > v_th'";
    check_block(o.body, scope, m, states_only, diags);
  }
  for (ast::EventHandler& h : m.handlers) check_block(h.body, scope, m, states_only, diags);
  for (ast::Refractory& r : m.refractory) {
    Ty p = check_expr(*r.period, scope, diags);
    require_dim(p, units::dims::time(), r.period->range, "the refractory period", diags, r.period.get());
    for (ast::NameRef& n : r.clamped) {
      const ast::Declaration* d = m.find(n.name);
      if (d == nullptr || d->kind != DeclKind::State) {
        Diagnostic& e = diags.error("E032", n.range,
                                    "refractory can only clamp states; '" + n.name + "' " +
                                        (d ? "is " + a_kind(d->kind) : std::string("is not declared")));
        if (d) e.notes.push_back({d->range, "declared here"});
      }
    }
  }
  // Update blocks: a state is either integrated (ODE) or stepped here, not both.
  std::map<std::string, SourceRange> ode_of;
  for (const ast::Ode& o : m.odes) ode_of.emplace(o.state, o.range);
  AssignRule update_rule = [&](const ast::Declaration& d, std::string& why) {
    if (d.kind == DeclKind::State || d.kind == DeclKind::Output) return true;
    why = "an update block changes states and outputs; '" + d.name + "' is " + a_kind(d.kind);
    return false;
  };
  for (auto& body : m.update_blocks) {
    check_block(body, scope, m, update_rule, diags);
    std::function<void(const std::vector<ast::Stmt>&)> find_conflicts = [&](const std::vector<ast::Stmt>& stmts) {
      for (const ast::Stmt& s : stmts) {
        if (s.kind == ast::StmtKind::If) {
          find_conflicts(s.then_body);
          find_conflicts(s.else_body);
        }
        if (s.kind != ast::StmtKind::Assign || s.target->kind != ast::ExprKind::Name) continue;
        auto it = ode_of.find(s.target->name);
        if (it == ode_of.end()) continue;
        Diagnostic& e = diags.error("E031", s.target->range,
                                    "'" + s.target->name + "' has an equation and is also set in an update block");
        e.notes.push_back({it->second, "its equation is here"});
        e.hint = "a state is either integrated from " + s.target->name + "' = ... or stepped in 'update', not both";
        ode_of.erase(it);  // once per state is enough
      }
    };
    find_conflicts(body);
  }
  for (ast::Contribution& c : m.contributions) check_expr(*c.value, scope, diags);
  if (m.rate) {
    bool has_output = false;
    for (const ast::Declaration& d : m.decls) has_output = has_output || d.kind == DeclKind::Output;
    if (!has_output)
      diags.error("E033", m.range, "rate neuron '" + m.name + "' has no output").hint =
          "declare its rate, e.g. 'output r = max(J, 0) * 1 Hz'";
  }
}

}  // namespace

void check_model(ast::Model& model, Diagnostics& diags) {
  check_member_kinds(model, diags);
  check_declarations_of(model, diags);
  check_odes(model, diags);
  check_events(model, diags);
}

}  // namespace axon::sema
