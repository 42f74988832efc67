// Reports how long creating the Jit and compiling a small kernel take, and what host it targets.
// Speed is never asserted: the numbers only show up as warnings in the test output.

#include <chrono>
#include <cstdint>

#include <catch2/catch.hpp>

#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"
#include "runtime/jit/jit.h"
#include "tests/jit/ir_build.h"

using namespace axon::jit;
using namespace axon::jit::testing;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// void <name>(double* noalias v, int64_t n) { for (i) v[i] = v[i]*0.5 + 1.0; }
void emit_small_kernel(llvm::Module& m, const std::string& name) {
  llvm::IRBuilder<> b(m.getContext());
  auto* dbl = b.getDoubleTy();
  auto* f = declare_function(m, name, b.getVoidTy(), {b.getPtrTy(), b.getInt64Ty()});
  f->getArg(0)->addAttr(llvm::Attribute::NoAlias);
  b.SetInsertPoint(llvm::BasicBlock::Create(m.getContext(), "entry", f));
  emit_counted_loop(b, f->getArg(1), [&](llvm::Value* i) {
    auto* at = b.CreateGEP(dbl, f->getArg(0), i);
    auto* v = b.CreateLoad(dbl, at);
    b.CreateStore(b.CreateFAdd(b.CreateFMul(v, llvm::ConstantFP::get(dbl, 0.5)), llvm::ConstantFP::get(dbl, 1.0)), at);
  });
  b.CreateRetVoid();
}

// Builds, optimises, adds and looks up one kernel; returns the milliseconds and
// leaves the function pointer in `out`.
double compile_kernel(Jit& jit, const std::string& name, void (*&out)(double*, int64_t)) {
  auto start = Clock::now();
  IrUnit unit(name);
  emit_small_kernel(*unit.module, name);
  jit.optimize(*unit.module);
  require_ok(jit.add_module(std::move(unit.module), std::move(unit.context)));
  out = unwrap(jit.lookup_as<void (*)(double*, int64_t)>(name));
  return ms_since(start);
}

}  // namespace

TEST_CASE("host description and JIT start-up times", "[jit][timing]") {
  auto start = Clock::now();
  auto jit = unwrap(Jit::create());
  const double create_ms = ms_since(start);

  void (*first)(double*, int64_t) = nullptr;
  void (*second)(double*, int64_t) = nullptr;
  const double first_ms = compile_kernel(*jit, "first_kernel", first);
  const double second_ms = compile_kernel(*jit, "second_kernel", second);

  WARN("host " << jit->triple().str() << ", cpu " << jit->cpu_name() << ", vector width " << jit->vector_width_bytes()
               << " bytes");
  WARN("Jit::create " << create_ms << " ms; first kernel (build+O3+codegen+link) " << first_ms << " ms; second kernel "
                      << second_ms << " ms");

  // The checks that can fail here are about the answers, not the times.
  CHECK(!jit->cpu_name().empty());
  const unsigned width = jit->vector_width_bytes();
  CHECK((width == 16 || width == 32 || width == 64));
  double v[3] = {2.0, 4.0, -2.0};
  first(v, 3);
  second(v, 2);
  CHECK(v[0] == 2.0);  // 2 -> 2 -> 2
  CHECK(v[1] == 2.5);  // 4 -> 3 -> 2.5
  CHECK(v[2] == 0.0);  // -2 -> 0, untouched by the second call
}
