// A projection's synapses as the engine keeps them: made by its connectivity rule (or
// read from a file), with per-synapse values and delays, split into one group per delay.
#pragma once

#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/engine/network_state.h"
#include "runtime/engine/value_eval.h"

namespace axon::engine {

// The synapses of projection `index` of `net`: one ProjectionState, or one per distinct
// delay when delays vary per synapse. Throws BuildError on bad files or values.
std::vector<ProjectionState> build_projection(const ir::Network& net, size_t index, const ValueEvaluator& ev,
                                              const BuildSettings& settings);

}  // namespace axon::engine
