// What the back-half driver hands to a back end: a finished, lowered network with its run
// settings and memory layouts (no syntax tree), and the request that made it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/codegen/layout.h"
#include "compiler/ir/ir.h"

namespace axon::driver {

struct BackendRequest {
  std::string network;             // "" = the run block's or the only one
  std::optional<double> duration;  // seconds; overrides the run block
  std::optional<double> dt;        // seconds
  std::optional<uint64_t> seed;
  std::vector<std::string> sets;  // "POP.PARAM=VALUE", e.g. "P.tau_m=10 ms"
  // Print the IR after this pass (lower, set, classify) to `dump_to`, as
  // `axon build --emit=ir --after=PASS` and AXON_DUMP_IR=PASS,... do.
  std::string dump_after;
  std::string* dump_to = nullptr;
};

// A finished, lowered network with everything a back end needs to build and run it.
struct LoweredNetwork {
  ir::Network net;
  double dt = 1e-4;
  int64_t steps = 0;
  uint64_t seed = 0;
  std::vector<codegen::PopulationLayout> layouts;       // per population
  std::vector<codegen::SynapseLayout> synapse_layouts;  // per projection
  std::string model_source;                             // every file of the program, for /axon/model_source
  double lower_seconds = 0;
};

}  // namespace axon::driver
