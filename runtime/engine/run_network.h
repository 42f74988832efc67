// The CPU engine as one call: generate and JIT the kernels of a lowered network, build
// it, simulate, and write the HDF5 file (temp name, renamed on success).
// compiler/driver/backend.h makes the lowered network; pipeline/ chains the two.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/lowered_network.h"
#include "compiler/ir/ir.h"

namespace axon::engine {

// What to lower (the driver's part) and how to run it (the engine's).
struct RunRequest : driver::BackendRequest {
  std::string output;  // HDF5 path; "" = simulate without writing
  bool float32_reports = false;
  int threads = 0;              // 0 = automatic: up to every core, ~16k neurons each
  double max_memory_bytes = 0;  // 0 = no limit; the planned memory must fit
  std::string command_line;
  double parse_seconds = 0, check_seconds = 0;  // measured by the caller, recorded in /axon/timing
  const std::atomic<bool>* stop = nullptr;
  void (*progress)(int64_t done, int64_t total, void* user) = nullptr;
};

struct PopulationSummary {
  std::string name;
  std::string model;
  int64_t size = 0;
  uint64_t spikes = 0;
};

struct RunSummary {
  std::string network;
  std::vector<PopulationSummary> populations;
  size_t synapses = 0;
  size_t memory_bytes = 0;
  size_t planned_bytes = 0;  // estimated before building
  int64_t steps = 0;
  int64_t steps_done = 0;
  double dt = 0;
  int threads = 1;
  bool complete = false;
  double lower_seconds = 0, codegen_seconds = 0, jit_seconds = 0, build_seconds = 0, simulate_seconds = 0,
         write_seconds = 0;
};

enum class RunStatus { Ok, ModelError, RuntimeError };

// Model errors found while building (a bad file, a drawn value out of range, more
// memory than --max-memory) go to `diags`; runtime failures (I/O) throw.
RunStatus run_network(const driver::LoweredNetwork& lowered, const RunRequest& request, Diagnostics& diags,
                      RunSummary& summary);

// The memory a network will need (neurons, synapses, spike buffers, probe buffers),
// estimated from the IR before anything is allocated: random connectivity counts its
// expected number of synapses.
size_t planned_memory(const ir::Network& net, double dt);

// `axon build --emit=llvm`: the optimised LLVM module of a lowered network.
std::string optimized_llvm_text(const driver::LoweredNetwork& lowered);

}  // namespace axon::engine
