// JIT compilation of a network's kernels: emits the LLVM module (compiler/codegen),
// optimises it for the host CPU and returns callable kernel addresses.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/codegen/kernel_abi.h"
#include "compiler/codegen/layout.h"

namespace axon::jit {
class Jit;
}

namespace axon::engine {

// The kernels of one network: callers see only the kernel ABI, never LLVM.
struct CompiledKernels {
  CompiledKernels();
  ~CompiledKernels();
  CompiledKernels(CompiledKernels&&) noexcept;
  CompiledKernels& operator=(CompiledKernels&&) noexcept;

  std::unique_ptr<jit::Jit> jit;          // owns the code the pointers point into
  std::vector<codegen::UpdateFn> update;  // per population (null for spike sources)
  std::vector<codegen::ResetFn> reset;
  std::vector<codegen::DeliverFn> deliver;               // per projection
  std::vector<codegen::OnPostFn> on_post;                // per projection (null without `on post`)
  std::vector<codegen::SynapseUpdateFn> synapse_update;  // per projection (null without `update`)
  std::vector<codegen::StimulusFn> stimulus;
  std::vector<codegen::StimulusFn> node;  // per Nengo node: its value into a buffer
  std::vector<codegen::WhereFn> where;    // per projection (null unless `connect where`)
  double codegen_seconds = 0;
  double jit_seconds = 0;
};

// Throws std::runtime_error on an internal code generation failure.
CompiledKernels compile_kernels(const ir::Network& net, const std::vector<codegen::PopulationLayout>& layouts,
                                const std::vector<codegen::SynapseLayout>& synapse_layouts);

// The optimised LLVM IR of a network's kernels (`axon build --emit=llvm`).
std::string optimized_llvm_ir(const ir::Network& net, const std::vector<codegen::PopulationLayout>& layouts,
                              const std::vector<codegen::SynapseLayout>& synapse_layouts);

}  // namespace axon::engine
