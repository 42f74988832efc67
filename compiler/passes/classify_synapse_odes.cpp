#include "compiler/passes/classify_synapse_odes.h"

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/ir/walk.h"
#include "compiler/passes/linear_terms.h"

namespace axon::passes {

using ir::Expr;
using ir::Space;
using ir::VarRef;

namespace {

// Why the coefficients of x' = rhs may change between events ("" when they do not): a
// value of the neurons, t, or another event-driven state.
std::string coupling(const ir::Projection& p, const Expr& rhs, int x, const std::vector<int>& driven) {
  std::string coupled;
  ir::for_each(rhs, [&](const Expr& e) {
    if (e.op != ir::Op::Var || (e.space == Space::Own && e.var == x)) return;
    if (e.space == Space::Post || e.space == Space::Pre)
      coupled = "a variable of the neurons";
    else if (e.space == Space::Own && std::count(driven.begin(), driven.end(), e.var))
      coupled = "'" + p.synapse_vars[e.var].name + "'";
  });
  if (ir::any_of(rhs, [](const Expr& e) { return e.op == ir::Op::Time; })) coupled = "t";
  return coupled;
}

void classify(ir::Projection& p, Diagnostics& diags) {
  std::vector<int> driven;
  for (const ir::Projection::Ode& o : p.odes)
    if (o.event_driven) driven.push_back(o.state);
  for (const ir::Projection::Ode& o : p.odes) {
    const std::string& state = p.synapse_vars[o.state].name;
    if (!o.event_driven) {
      diags.error("E090", o.range, "the back end integrates synapse equations only between events yet").hint =
          "write 'event driven " + state + "' = ...' (solved exactly at each event)";
      continue;
    }
    const std::string coupled = coupling(p, o.rhs, o.state, driven);
    LinearIn in;
    const VarRef x{Space::Own, o.state};
    in.is_variable = [x](VarRef r) { return r == x; };
    in.many = in.one = state;
    std::optional<LinearTerms> terms;
    if (coupled.empty()) terms = LinearDecomposer(in).run(o.rhs);
    if (!terms) {
      diags
          .error("E091", o.range,
                 "an event-driven equation must be linear in its own state, with "
                 "coefficients that do not change between events")
          .hint = coupled.empty() ? "write it as " + state + "' = p + q * " + state + ", with p and q free of " + state
                                  : "'" + state + "'' depends on " + coupled;
      continue;
    }
    p.event_driven.push_back({o.state, terms->constant, terms->coefficient(x)});
  }
  // An event-driven state is stored as it was at the last event; an `update` block that
  // wrote it would be decayed again from that event at the next one.
  for (const ir::Assign& a : p.update)
    for (const ir::Projection::EventDriven& e : p.event_driven)
      if (a.space == Space::Own && a.var == e.var) {
        diags
            .error("E091", p.synapse_range,
                   "synapse '" + p.synapse + "' changes the event-driven state '" + p.synapse_vars[e.var].name +
                       "' in an update block")
            .hint = "change it in 'on pre' / 'on post', or make it a plain state";
        return;
      }
}

}  // namespace

void classify_synapse_odes(ir::Network& net, Diagnostics& diags) {
  for (ir::Projection& p : net.projections) classify(p, diags);
}

}  // namespace axon::passes
