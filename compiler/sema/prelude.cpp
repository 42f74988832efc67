#include "compiler/sema/prelude.h"

namespace axon::sema {

const char* const kPreludeName = "<prelude>";

const char* const kPreludeText = R"axon(// Models every axon program sees.

// The default synapse of a projection: one weight per synapse, added to the target
// variable when a presynaptic spike arrives. The weight's unit is the target's.
synapse Static {
  per synapse parameter w
  on pre { post.target += w }
}

// Independent Poisson spike trains: each neuron spikes in a step with probability rate*dt.
neuron PoissonSource {
  parameter rate = 10 Hz
  on spike when rand() < rate * dt { }
}
)axon";

}  // namespace axon::sema
