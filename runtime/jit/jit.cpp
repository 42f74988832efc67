#include "runtime/jit/jit.h"

#include <mutex>

#include "llvm/Analysis/TargetTransformInfo.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

namespace axon::jit {
namespace {

llvm::Error init_native_target() {
  // LLVM's target registry is global; several engines may start at once.
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = !llvm::InitializeNativeTarget() && !llvm::InitializeNativeTargetAsmPrinter(); });
  if (!ok) return llvm::createStringError(llvm::inconvertibleErrorCode(), "cannot initialise the native LLVM target");
  return llvm::Error::success();
}

// The vectoriser asks TargetTransformInfo for the register width, which folds in
// CPU tuning (some AVX-512 parts prefer 256-bit vectors); the feature list alone
// would overstate it. TTI answers per function, so ask about an empty one.
unsigned detect_vector_bytes(llvm::TargetMachine& machine) {
  llvm::LLVMContext context;
  llvm::Module module("axon.probe", context);
  module.setDataLayout(machine.createDataLayout());
  module.setTargetTriple(machine.getTargetTriple().str());
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context), false);
  auto* probe = llvm::Function::Create(type, llvm::Function::ExternalLinkage, "probe", module);
  llvm::TargetTransformInfo tti = machine.getTargetTransformInfo(*probe);
  auto bits = tti.getRegisterBitWidth(llvm::TargetTransformInfo::RGK_FixedWidthVector).getFixedValue();
  return bits >= 128 ? static_cast<unsigned>(bits / 8) : 16;
}

llvm::OptimizationLevel to_optimization_level(int level) {
  switch (level) {
    case 0: return llvm::OptimizationLevel::O0;
    case 1: return llvm::OptimizationLevel::O1;
    case 2: return llvm::OptimizationLevel::O2;
    default: return llvm::OptimizationLevel::O3;
  }
}

}  // namespace

llvm::Expected<std::unique_ptr<Jit>> Jit::create() {
  if (llvm::Error err = init_native_target()) return err;

  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  // Standard fuses only what the IR asks for (`contract`, llvm.fmuladd); Fast
  // would turn a*b + c into an FMA and change results against the references.
  builder->getOptions().AllowFPOpFusion = llvm::FPOpFusion::Standard;

  std::unique_ptr<Jit> jit(new Jit());
  auto machine = builder->createTargetMachine();
  if (!machine) return machine.takeError();
  jit->machine = std::move(*machine);
  jit->vector_bytes = detect_vector_bytes(*jit->machine);

  // Math functions such as exp and log1p, and the libm calls the backend emits
  // for llvm.exp.* and friends, are found among the process's own symbols.
  auto lljit = llvm::orc::LLJITBuilder()
                   .setJITTargetMachineBuilder(std::move(*builder))
                   .setProcessSymbolsJITDylibSetup([](llvm::orc::LLJIT& j) -> llvm::Expected<llvm::orc::JITDylibSP> {
                     auto generator = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
                         j.getDataLayout().getGlobalPrefix());
                     if (!generator) return generator.takeError();
                     auto& dylib = j.getExecutionSession().createBareJITDylib("<Process Symbols>");
                     dylib.addGenerator(std::move(*generator));
                     return &dylib;
                   })
                   .create();
  if (!lljit) return lljit.takeError();
  jit->lljit = std::move(*lljit);
  return jit;
}

Jit::~Jit() = default;

llvm::TargetMachine& Jit::target_machine() { return *machine; }

const llvm::DataLayout& Jit::data_layout() const { return lljit->getDataLayout(); }

const llvm::Triple& Jit::triple() const { return lljit->getTargetTriple(); }

std::string Jit::cpu_name() const { return machine->getTargetCPU().str(); }

unsigned Jit::vector_width_bytes() const { return vector_bytes; }

void Jit::optimize(llvm::Module& module, int level) {
  module.setDataLayout(data_layout());
  module.setTargetTriple(triple().str());

  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;

  // PassBuilder leaves both vectorisers off unless told; clang and opt switch
  // them on from -O2 the same way.
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = level >= 2;
  tuning.SLPVectorization = level >= 2;
  tuning.LoopUnrolling = level >= 2;
  tuning.LoopInterleaving = level >= 2;

  // With the TargetMachine the cost models see the host's vector registers.
  llvm::PassBuilder passes(machine.get(), tuning);
  passes.registerModuleAnalyses(modules);
  passes.registerCGSCCAnalyses(cgscc);
  passes.registerFunctionAnalyses(functions);
  passes.registerLoopAnalyses(loops);
  passes.crossRegisterProxies(loops, functions, cgscc, modules);

  auto opt_level = to_optimization_level(level);
  llvm::ModulePassManager pipeline = opt_level == llvm::OptimizationLevel::O0
                                         ? passes.buildO0DefaultPipeline(opt_level)
                                         : passes.buildPerModuleDefaultPipeline(opt_level);
  pipeline.run(module, modules);
}

llvm::Error Jit::add_module(std::unique_ptr<llvm::Module> module, std::unique_ptr<llvm::LLVMContext> context) {
  // LLJIT rejects a module whose layout differs from its own, but adopts an empty one.
  if (module->getDataLayout().isDefault()) module->setDataLayout(data_layout());
  if (module->getTargetTriple().empty()) module->setTargetTriple(triple().str());
  return lljit->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)));
}

llvm::Expected<void*> Jit::lookup(llvm::StringRef symbol) {
  auto address = lljit->lookup(symbol);
  if (!address) return address.takeError();
  return address->toPtr<void*>();
}

std::string print_module(const llvm::Module& m) {
  std::string text;
  llvm::raw_string_ostream out(text);
  m.print(out, nullptr);
  out.flush();
  return text;
}

llvm::Error verify_module(const llvm::Module& m) {
  std::string problems;
  llvm::raw_string_ostream out(problems);
  if (!llvm::verifyModule(m, &out)) return llvm::Error::success();
  out.flush();
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "invalid module '%s': %s",
                                 m.getModuleIdentifier().c_str(), problems.c_str());
}

std::string to_string(llvm::Error e) { return llvm::toString(std::move(e)); }

}  // namespace axon::jit
