// The memory layout a population's kernels and the engine agree on: which variables
// are arrays (slots) and which are single values (consts), and where the exact
// propagator's entries, the spike flags and the refractory counters live.
#pragma once

#include <vector>

#include "compiler/ir/ir.h"

namespace axon::codegen {

struct PopulationLayout {
  // Per variable: its slot (an array of n doubles) or -1; its const index or -1.
  std::vector<int> slot_of;
  std::vector<int> const_of;
  int last_spike_slot = -1;  // int64_t[n]: step of the last spike (a large negative value before any)
  int spiked_slot = -1;      // uint8_t[n]: 1 when the neuron spiked this step
  int ref_steps_slot = -1;   // int64_t[n]: round(t_ref / dt) per neuron, when it varies
  int ref_steps_const = -1;  // else a const (a double holding the whole number of steps)
  // Exact propagator entries: Phi (ns x ns, row-major), Gamma (ns x ni), gamma (ns).
  bool propagator_per_element = false;
  int propagator_base = -1;  // first slot (per element) or const index (uniform)
  int propagator_entries = 0;
  int n_slots = 0;
  int n_consts = 0;
};

PopulationLayout make_layout(const ir::Population& pop);

// Whether an expression reads a per-element parameter (then values derived from it,
// like propagators, are per element too).
bool depends_on_per_element(const ir::Expr& e, const ir::Population& pop);

// Per-synapse values of a projection: slot per per-synapse var, or a const.
struct SynapseLayout {
  std::vector<int> slot_of;
  std::vector<int> const_of;
  int n_slots = 0;
  int n_consts = 0;
};

SynapseLayout make_synapse_layout(const ir::Projection& proj);

}  // namespace axon::codegen
