// Code generation: one LLVM module per network with a specialised function per kernel:
// population update (+ threshold) and reset, projection delivery, stimulus injection,
// with the signatures and names of kernel_abi.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/codegen/kernel_abi.h"
#include "compiler/codegen/layout.h"
#include "compiler/ir/ir.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

namespace axon::codegen {

std::unique_ptr<llvm::Module> emit_network(const ir::Network& net, const std::vector<PopulationLayout>& layouts,
                                           const std::vector<SynapseLayout>& synapse_layouts,
                                           llvm::LLVMContext& context);

}  // namespace axon::codegen
