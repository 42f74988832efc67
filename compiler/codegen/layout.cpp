#include "compiler/codegen/layout.h"

#include <functional>

#include "compiler/ir/walk.h"

namespace axon::codegen {

bool depends_on_per_element(const ir::Expr& e, const ir::Population& pop) {
  return ir::any_of(e, [&pop](const ir::Expr& x) {
    return x.op == ir::Op::Var && x.space == ir::Space::Own && x.var >= 0 &&
           x.var < static_cast<int>(pop.vars.size()) && pop.vars[x.var].per_element;
  });
}

PopulationLayout make_layout(const ir::Population& pop) {
  PopulationLayout L;
  int n = static_cast<int>(pop.vars.size());
  L.slot_of.assign(n, -1);
  L.const_of.assign(n, -1);
  for (int v = 0; v < n; ++v) {
    const ir::Var& var = pop.vars[v];
    if (var.kind == ir::VarKind::Local) continue;
    if ((var.kind == ir::VarKind::Parameter && !var.per_element) || (var.kind == ir::VarKind::Input && !var.written))
      L.const_of[v] = L.n_consts++;
    else
      L.slot_of[v] = L.n_slots++;
  }
  L.spiked_slot = L.n_slots++;
  if (pop.refractory) {
    L.last_spike_slot = L.n_slots++;
    // One period for every neuron (the common case) is one constant, not an array read
    // every step.
    const bool draws =
        ir::any_of(*pop.refractory, [](const ir::Expr& e) { return e.op == ir::Op::Rand || e.op == ir::Op::Randn; });
    if (depends_on_per_element(*pop.refractory, pop) || draws)
      L.ref_steps_slot = L.n_slots++;
    else
      L.ref_steps_const = L.n_consts++;
  } else if (pop.threshold) {
    L.last_spike_slot = L.n_slots++;
  }
  if (pop.linear) {
    const ir::LinearSystem& S = *pop.linear;
    size_t ns = S.states.size(), ni = S.inputs.size();
    L.propagator_entries = static_cast<int>(ns * ns + ns * ni + ns);
    for (const auto& row : S.A)
      for (const ir::Expr& e : row) L.propagator_per_element |= depends_on_per_element(e, pop);
    for (const auto& row : S.B)
      for (const ir::Expr& e : row) L.propagator_per_element |= depends_on_per_element(e, pop);
    for (const ir::Expr& e : S.c) L.propagator_per_element |= depends_on_per_element(e, pop);
    if (L.propagator_per_element) {
      L.propagator_base = L.n_slots;
      L.n_slots += L.propagator_entries;
    } else {
      L.propagator_base = L.n_consts;
      L.n_consts += L.propagator_entries;
    }
  }
  return L;
}

SynapseLayout make_synapse_layout(const ir::Projection& proj) {
  SynapseLayout L;
  int n = static_cast<int>(proj.synapse_vars.size());
  L.slot_of.assign(n, -1);
  L.const_of.assign(n, -1);
  for (int v = 0; v < n; ++v) {
    const ir::Var& var = proj.synapse_vars[v];
    // Per-synapse states always need an array; parameters only when they vary.
    if (var.kind == ir::VarKind::State || var.per_element)
      L.slot_of[v] = L.n_slots++;
    else
      L.const_of[v] = L.n_consts++;
  }
  return L;
}

}  // namespace axon::codegen
