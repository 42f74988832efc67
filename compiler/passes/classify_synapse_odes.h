// Synapse equation classification: an `event driven` equation linear in its own state,
// with coefficients constant between events, is solved exactly at each event.
#pragma once

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"

namespace axon::passes {

// Fills each projection's `event_driven` from its `odes`. An equation that is not
// event-driven is E090 (not integrated between events yet); one that is not linear in
// its state, or whose coefficients change between events (t, the neurons' variables,
// another event-driven state), or whose state an update block writes, is E091.
void classify_synapse_odes(ir::Network& net, Diagnostics& diags);

}  // namespace axon::passes
