// A thin wrapper over LLVM's LLJIT: optimises modules for the host CPU and JIT-compiles them.
// Generated step loops go through optimize() and add_module(); lookup() returns their addresses.
#pragma once

#include <memory>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace llvm {
class DataLayout;
class LLVMContext;
class Module;
class TargetMachine;
class Triple;
namespace orc {
class LLJIT;
}
}  // namespace llvm

namespace axon::jit {

// Notes for code generators that emit IR for this JIT.
//
// Bit-identical results. LLVM's default floating-point model is already IEEE
// round-to-nearest with no reassociation and no contraction: fmul/fadd are only
// fused into an FMA when the instructions carry the `contract` flag or a call to
// llvm.fmuladd is emitted, and the TargetMachine keeps AllowFPOpFusion at
// Standard (never Fast). So emit plain fadd/fmul/fdiv without fast-math flags.
// Note that g++ in GNU mode defaults to -ffp-contract=fast, so a C++ reference
// built with -march=native on an FMA host can differ in the last bit from us.
//
// Vectorising conditional updates (the refractory pattern
// `v = refrac > 0 ? v : v*p + q`). What we measured with LLVM 19:
//  - Constrained FP (IRBuilder::setIsFPConstrained, i.e. the
//    llvm.experimental.constrained.* intrinsics under `strictfp`) keeps every
//    loop scalar: "call instruction cannot be vectorized". It buys nothing for
//    bit-identity (see above); it only exists to honour a non-default rounding
//    mode or observable FP exception flags. Do not use it.
//  - Branch-free form: load v and refrac unconditionally, compute both arms,
//    pick with `select`, store unconditionally. This vectorises under the
//    default (strict IEEE) model with no fast-math flags at all, with an i32 or
//    a double counter, on SSE2, AVX2 and AVX-512 hosts alike. Prefer it.
//  - Branchy form (if/else blocks whose stores sit inside the branches) needs
//    masked loads/stores once if-converted: it vectorises on AVX2/AVX-512 hosts
//    but stays scalar on a plain x86-64 (SSE2) target.
//  - Calls to libm `exp` etc. block vectorisation (they may write errno). Use
//    the intrinsics (llvm.exp.f64, llvm.log.f64, ...): the loop vectorises and
//    the backend lowers the vector intrinsic to one scalar libm call per lane,
//    so each lane gets the same bits as scalar code would.
//  - Without the host TargetMachine handed to the PassBuilder (optimize() does
//    this) the cost model sees no vector registers and nothing vectorises.
//  - No fast-math flags are needed on element-wise selects (clamps included).
//    Only a min/max *reduction* written as fcmp+select across iterations needs
//    `nnan nsz` on both the fcmp and the select ("value that could not be
//    identified as reduction" otherwise). Those flags reorder nothing, but
//    `nnan` makes a NaN operand poison, so use them only where NaNs are
//    excluded or checked beforehand. Never use `reassoc`/`contract`/`fast`.
class Jit {
 public:
  // Initialises the native target (once, thread-safe), detects the host CPU
  // and its features, and builds a TargetMachine and an LLJIT for them.
  static llvm::Expected<std::unique_ptr<Jit>> create();
  ~Jit();
  Jit(const Jit&) = delete;
  Jit& operator=(const Jit&) = delete;

  llvm::TargetMachine& target_machine();
  const llvm::DataLayout& data_layout() const;
  const llvm::Triple& triple() const;
  std::string cpu_name() const;
  // Fixed-width SIMD register width the vectoriser targets on this host, in
  // bytes (16 for SSE, 32 for AVX2 or AVX-512 tuned for 256 bits, 64 for
  // AVX-512). The engine aligns per-thread neuron ranges to it.
  unsigned vector_width_bytes() const;

  // Sets the module's data layout and triple, then runs the new pass manager's
  // default pipeline at -O<level> (0..3) with loop and SLP vectorisation on.
  // The module must be valid (see verify_module()).
  void optimize(llvm::Module& module, int level = 3);

  // Hands a module to the JIT; its functions are compiled on first lookup.
  llvm::Error add_module(std::unique_ptr<llvm::Module> module, std::unique_ptr<llvm::LLVMContext> context);

  // Address of a JIT-compiled function, or an error if no module defines it.
  llvm::Expected<void*> lookup(llvm::StringRef symbol);

  // Typed lookup: `auto f = jit.lookup_as<void (*)(double*, int64_t)>("f")`.
  template <typename FunctionPointer>
  llvm::Expected<FunctionPointer> lookup_as(llvm::StringRef symbol) {
    auto address = lookup(symbol);
    if (!address) return address.takeError();
    return reinterpret_cast<FunctionPointer>(*address);
  }

 private:
  Jit() = default;

  std::unique_ptr<llvm::TargetMachine> machine;
  std::unique_ptr<llvm::orc::LLJIT> lljit;
  unsigned vector_bytes = 16;
};

// The module's textual IR.
std::string print_module(const llvm::Module& m);

// Runs LLVM's verifier; the error lists what is wrong. Optimising or compiling
// an invalid module crashes inside LLVM, so generators should verify first.
llvm::Error verify_module(const llvm::Module& m);

// Consumes the error and returns its message.
std::string to_string(llvm::Error e);

}  // namespace axon::jit
