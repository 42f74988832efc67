// The runtime state of a network: every population's arrays and constants in the layout
// its kernels expect, and every projection's synapses (CSR by source) and values.
// Built once per run from the lowered IR and the run settings.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/codegen/kernel_abi.h"
#include "compiler/codegen/layout.h"
#include "compiler/ir/ir.h"
#include "runtime/engine/build_error.h"
#include "runtime/engine/connectivity.h"

namespace axon::engine {

struct PopulationState {
  const ir::Population* ir = nullptr;
  codegen::PopulationLayout layout;
  int64_t n = 0;
  std::vector<std::vector<double>> doubles;    // per slot holding doubles (else empty)
  std::vector<std::vector<int64_t>> integers;  // per slot holding int64 (else empty)
  std::vector<uint8_t> spiked;
  std::vector<void*> slots;  // the table handed to kernels
  std::vector<double> consts;
  uint64_t object = 0;  // rng stream of its kernels

  double value(int var, int64_t i) const;  // current value of a variable of element i
};

// One projection, or one delay group of a projection with per-synapse delays (each
// group has a single delay and its own synapses; all groups share the kernel).
struct ProjectionState {
  const ir::Projection* ir = nullptr;
  size_t kernel = 0;  // index of the projection in the IR (and of its deliver kernel)
  codegen::SynapseLayout layout;
  rt::Csr csr;
  std::vector<std::vector<double>> doubles;
  std::vector<void*> slots;
  std::vector<double> consts;
  int64_t delay_steps = 0;
  // Synapses by target, built only for `on post`: those onto target j (relative to the
  // target range) are syn_of[col_ptr[j] .. col_ptr[j + 1]), in CSR order; pre_of[s] is
  // the source (relative) of synapse s.
  std::vector<int64_t> col_ptr;
  std::vector<int64_t> syn_of;
  std::vector<int32_t> pre_of;
};

struct NetworkState {
  std::vector<PopulationState> populations;
  std::vector<ProjectionState> projections;
  size_t synapse_count() const;
  size_t memory_bytes() const;
};

struct BuildSettings {
  double dt = 1e-4;
  uint64_t seed = 0;
  const std::vector<codegen::WhereFn>* where = nullptr;  // JIT-compiled `connect where` conditions
};

NetworkState build_network_state(const ir::Network& net, const BuildSettings& settings);

}  // namespace axon::engine
