// The back half of the pipeline as one call: lower a checked program's network, apply
// --set, classify ODEs, generate and JIT the kernels, build the network, simulate,
// and write the HDF5 file (temp name, renamed on success). Used by `axon run` and tests.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/program.h"

namespace axon::engine {

struct RunRequest {
  std::string network;                  // "" = the run block's or the only one
  std::optional<double> duration;       // seconds; overrides the run block
  std::optional<double> dt;             // seconds
  std::optional<uint64_t> seed;
  std::vector<std::string> sets;        // "POP.PARAM=VALUE", e.g. "P.tau_m=10 ms"
  std::string output;                   // HDF5 path; "" = simulate without writing
  bool float32_reports = false;
  int threads = 0;                      // 0 = automatic: up to every core, ~16k neurons each
  double max_memory_bytes = 0;          // 0 = no limit; the planned memory must fit
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
  double lower_seconds = 0, codegen_seconds = 0, jit_seconds = 0, build_seconds = 0,
         simulate_seconds = 0, write_seconds = 0;
};

enum class RunStatus { Ok, ModelError, RuntimeError };

// Model errors (a bad --set, unsupported features) go to `diags` (the --set text is
// added to program.files so they render with a caret); runtime failures (I/O) throw.
RunStatus run_network(sema::Program& program, const RunRequest& request, Diagnostics& diags,
                      RunSummary& summary);

// The memory a network will need (neurons, synapses, spike buffers, probe buffers),
// estimated from the IR before anything is allocated: random connectivity counts its
// expected number of synapses.
size_t planned_memory(const ir::Network& net, double dt);

// `axon build --emit=ir|llvm`: the lowered IR, or the optimised LLVM module.
std::string emit_network_text(sema::Program& program, const std::string& network,
                              const std::string& what, Diagnostics& diags);

}  // namespace axon::engine
