// Test support: a neuron that fires exactly when told to. A jump of v above 1 (from a
// generator one step earlier; delivery follows the threshold test) makes it spike in
// the next step; a plastic synapse writes into u, which nothing reads.
#pragma once

inline constexpr const char* kRelay = R"(
neuron Relay {
  state v = 0
  state u = 0
  v' = 0 / ms
  u' = 0 / ms
  on spike when v > 1 { v = 0 }
}
)";
