#include "runtime/engine/kernels.h"

#include <chrono>
#include <stdexcept>

#include "compiler/codegen/kernels.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "runtime/jit/jit.h"

namespace axon::engine {

CompiledKernels::CompiledKernels() = default;
CompiledKernels::~CompiledKernels() = default;
CompiledKernels::CompiledKernels(CompiledKernels&&) noexcept = default;
CompiledKernels& CompiledKernels::operator=(CompiledKernels&&) noexcept = default;

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::unique_ptr<jit::Jit> make_jit() {
  auto j = jit::Jit::create();
  if (!j) throw std::runtime_error("cannot start the JIT: " + jit::to_string(j.takeError()));
  return std::move(*j);
}

template <typename Fn>
Fn find(jit::Jit& j, const std::string& name) {
  auto f = j.lookup_as<Fn>(name);
  if (!f) throw std::runtime_error("internal error: kernel '" + name + "' missing: " + jit::to_string(f.takeError()));
  return *f;
}

}  // namespace

CompiledKernels compile_kernels(const ir::Network& net, const std::vector<codegen::PopulationLayout>& layouts,
                                const std::vector<codegen::SynapseLayout>& synapse_layouts) {
  CompiledKernels k;
  auto t0 = std::chrono::steady_clock::now();
  k.jit = make_jit();
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module = codegen::emit_network(net, layouts, synapse_layouts, *context);
  if (llvm::Error e = jit::verify_module(*module))
    throw std::runtime_error("internal error: invalid kernel code: " + jit::to_string(std::move(e)));
  k.jit->optimize(*module, 3);
  k.codegen_seconds = since(t0);
  auto t1 = std::chrono::steady_clock::now();
  if (llvm::Error e = k.jit->add_module(std::move(module), std::move(context)))
    throw std::runtime_error("internal error: " + jit::to_string(std::move(e)));
  for (const ir::Population& p : net.populations) {
    k.update.push_back(p.spike_source ? nullptr : find<codegen::UpdateFn>(*k.jit, codegen::update_name(p)));
    k.reset.push_back(p.spike_source ? nullptr : find<codegen::ResetFn>(*k.jit, codegen::reset_name(p)));
  }
  for (size_t i = 0; i < net.projections.size(); ++i)
    k.deliver.push_back(find<codegen::DeliverFn>(*k.jit, codegen::deliver_name(i)));
  for (size_t i = 0; i < net.projections.size(); ++i)
    k.on_post.push_back(net.projections[i].on_post.empty() ? nullptr
                                                           : find<codegen::OnPostFn>(*k.jit, codegen::on_post_name(i)));
  for (size_t i = 0; i < net.projections.size(); ++i)
    k.synapse_update.push_back(net.projections[i].update.empty()
                                   ? nullptr
                                   : find<codegen::SynapseUpdateFn>(*k.jit, codegen::synapse_update_name(i)));
  for (size_t i = 0; i < net.nodes.size(); ++i)
    k.node.push_back(find<codegen::StimulusFn>(*k.jit, codegen::node_name(i)));
  for (size_t i = 0; i < net.stimuli.size(); ++i)
    k.stimulus.push_back(find<codegen::StimulusFn>(*k.jit, codegen::stimulus_name(i)));
  for (size_t i = 0; i < net.projections.size(); ++i)
    k.where.push_back(net.projections[i].connect.kind == ir::ConnectKind::Where
                          ? find<codegen::WhereFn>(*k.jit, codegen::where_name(i))
                          : nullptr);
  k.jit_seconds = since(t1);
  return k;
}

std::string optimized_llvm_ir(const ir::Network& net, const std::vector<codegen::PopulationLayout>& layouts,
                              const std::vector<codegen::SynapseLayout>& synapse_layouts) {
  std::unique_ptr<jit::Jit> j = make_jit();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = codegen::emit_network(net, layouts, synapse_layouts, context);
  if (llvm::Error e = jit::verify_module(*module))
    throw std::runtime_error("internal error: invalid kernel code: " + jit::to_string(std::move(e)));
  j->optimize(*module, 3);
  return jit::print_module(*module);
}

}  // namespace axon::engine
