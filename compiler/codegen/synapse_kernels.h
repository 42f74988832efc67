// Code generation for projections: the `on pre` delivery kernel and the `on post`
// kernel of a synapse model, with its event-driven states brought up to date per event.
#pragma once

#include <functional>
#include <string>

#include "compiler/codegen/layout.h"
#include "compiler/ir/ir.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

namespace axon::codegen {

// Emits deliver_name(k) and, when the synapse has `on post`, on_post_name(k).
void emit_projection(const ir::Network& net, size_t k, const PopulationLayout& post, const PopulationLayout& pre,
                     const SynapseLayout& syn, llvm::Module& m);

// A counted loop `for (i = begin; i < end; ++i) body(i)` at the builder's position;
// leaves the builder after the loop (shared by all kernels).
void emit_loop(llvm::IRBuilder<>& b, llvm::Value* begin, llvm::Value* end, const std::string& name,
               const std::function<void(llvm::Value* i)>& body);

}  // namespace axon::codegen
