// Generated code calls libm, either by name or through LLVM's math intrinsics; both must resolve
// in the JIT and give exactly the values the same libm gives to C++.

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "llvm/IR/Intrinsics.h"
#include "runtime/jit/jit.h"
#include "tests/jit/ir_build.h"

using namespace axon::jit;
using namespace axon::jit::testing;

namespace {

using Unary = double (*)(double);
using Binary = double (*)(double, double);

// double <name>(double x) { return callee(x); } where callee is a libm declaration.
void emit_unary_call(llvm::Module& m, const std::string& name, const std::string& libm_name) {
  llvm::IRBuilder<> b(m.getContext());
  auto* dbl = b.getDoubleTy();
  auto callee = m.getOrInsertFunction(libm_name, dbl, dbl);
  auto* f = declare_function(m, name, dbl, {dbl});
  b.SetInsertPoint(llvm::BasicBlock::Create(m.getContext(), "entry", f));
  b.CreateRet(b.CreateCall(callee, {f->getArg(0)}));
}

// double <name>(double x[, double y]) { return llvm.<id>.f64(x[, y]); }
void emit_intrinsic_call(llvm::Module& m, const std::string& name, llvm::Intrinsic::ID id, unsigned arity) {
  llvm::IRBuilder<> b(m.getContext());
  auto* dbl = b.getDoubleTy();
  std::vector<llvm::Type*> params(arity, dbl);
  auto* f = declare_function(m, name, dbl, params);
  b.SetInsertPoint(llvm::BasicBlock::Create(m.getContext(), "entry", f));
  std::vector<llvm::Value*> args;
  for (unsigned a = 0; a < arity; ++a) args.push_back(f->getArg(a));
  auto* intrinsic = llvm::Intrinsic::getDeclaration(&m, id, {dbl});
  b.CreateRet(b.CreateCall(intrinsic, args));
}

// Arguments spread over a range that includes tiny and negative values, where
// expm1 and log1p differ from exp(x)-1 and log(1+x).
const std::vector<double> kArgs = {-3.5, -0.75, -1e-9, 0.0, 3e-12, 0.1, 0.5, 1.0, 2.25, 17.0};

}  // namespace

TEST_CASE("libm functions declared by name resolve and match C++", "[jit][libm]") {
  auto jit = unwrap(Jit::create());
  IrUnit unit("libm_names");
  for (const char* fn : {"exp", "log1p", "expm1", "log", "tanh", "sin", "cos"})
    emit_unary_call(*unit.module, std::string("call_") + fn, fn);
  {
    llvm::Module& m = *unit.module;
    llvm::IRBuilder<> b(m.getContext());
    auto* dbl = b.getDoubleTy();
    auto pow = m.getOrInsertFunction("pow", dbl, dbl, dbl);
    auto* f = declare_function(m, "call_pow", dbl, {dbl, dbl});
    b.SetInsertPoint(llvm::BasicBlock::Create(m.getContext(), "entry", f));
    b.CreateRet(b.CreateCall(pow, {f->getArg(0), f->getArg(1)}));
  }
  require_ok(verify_module(*unit.module));
  jit->optimize(*unit.module);
  require_ok(jit->add_module(std::move(unit.module), std::move(unit.context)));

  auto call_exp = unwrap(jit->lookup_as<Unary>("call_exp"));
  auto call_log1p = unwrap(jit->lookup_as<Unary>("call_log1p"));
  auto call_expm1 = unwrap(jit->lookup_as<Unary>("call_expm1"));
  auto call_log = unwrap(jit->lookup_as<Unary>("call_log"));
  auto call_tanh = unwrap(jit->lookup_as<Unary>("call_tanh"));
  auto call_sin = unwrap(jit->lookup_as<Unary>("call_sin"));
  auto call_cos = unwrap(jit->lookup_as<Unary>("call_cos"));
  auto call_pow = unwrap(jit->lookup_as<Binary>("call_pow"));

  for (double x : kArgs) {
    INFO("x = " << x);
    CHECK(call_exp(x) == std::exp(x));
    CHECK(call_expm1(x) == std::expm1(x));
    CHECK(call_tanh(x) == std::tanh(x));
    CHECK(call_sin(x) == std::sin(x));
    CHECK(call_cos(x) == std::cos(x));
    CHECK(call_pow(std::fabs(x), 0.37) == std::pow(std::fabs(x), 0.37));
    if (x > -1.0) CHECK(call_log1p(x) == std::log1p(x));
    if (x > 0.0) CHECK(call_log(x) == std::log(x));
  }
  // Spot values that do not depend on the C++ side's libm either.
  CHECK(call_exp(0.0) == 1.0);
  CHECK(call_expm1(1e-300) == 1e-300);
  CHECK(call_log1p(0.0) == 0.0);
}

TEST_CASE("math intrinsics lower to libm calls that resolve", "[jit][libm]") {
  auto jit = unwrap(Jit::create());
  IrUnit unit("libm_intrinsics");
  emit_intrinsic_call(*unit.module, "intr_exp", llvm::Intrinsic::exp, 1);
  emit_intrinsic_call(*unit.module, "intr_log", llvm::Intrinsic::log, 1);
  emit_intrinsic_call(*unit.module, "intr_sqrt", llvm::Intrinsic::sqrt, 1);
  emit_intrinsic_call(*unit.module, "intr_sin", llvm::Intrinsic::sin, 1);
  emit_intrinsic_call(*unit.module, "intr_cos", llvm::Intrinsic::cos, 1);
  emit_intrinsic_call(*unit.module, "intr_pow", llvm::Intrinsic::pow, 2);
  require_ok(verify_module(*unit.module));
  jit->optimize(*unit.module);
  require_ok(jit->add_module(std::move(unit.module), std::move(unit.context)));

  auto intr_exp = unwrap(jit->lookup_as<Unary>("intr_exp"));
  auto intr_log = unwrap(jit->lookup_as<Unary>("intr_log"));
  auto intr_sqrt = unwrap(jit->lookup_as<Unary>("intr_sqrt"));
  auto intr_sin = unwrap(jit->lookup_as<Unary>("intr_sin"));
  auto intr_cos = unwrap(jit->lookup_as<Unary>("intr_cos"));
  auto intr_pow = unwrap(jit->lookup_as<Binary>("intr_pow"));
  for (double x : kArgs) {
    INFO("x = " << x);
    CHECK(intr_exp(x) == std::exp(x));
    CHECK(intr_sin(x) == std::sin(x));
    CHECK(intr_cos(x) == std::cos(x));
    if (x > 0.0) {
      CHECK(intr_log(x) == std::log(x));
      CHECK(intr_sqrt(x) == std::sqrt(x));
      CHECK(intr_pow(x, -1.5) == std::pow(x, -1.5));
    }
  }
}

TEST_CASE("a loop over llvm.exp vectorises and still matches scalar exp", "[jit][libm][vectorise]") {
  // The vector intrinsic is lowered to one libm call per lane, so vectorising
  // the loop around it does not change a single bit.
  auto jit = unwrap(Jit::create());
  IrUnit unit("exp_loop");
  llvm::Function* f = nullptr;
  {
    llvm::Module& m = *unit.module;
    llvm::IRBuilder<> b(m.getContext());
    auto* dbl = b.getDoubleTy();
    auto* ptr = b.getPtrTy();
    // void decay(double* noalias v, const double* noalias x, int64_t n): v[i] *= exp(x[i])
    f = declare_function(m, "decay", b.getVoidTy(), {ptr, ptr, b.getInt64Ty()});
    f->getArg(0)->addAttr(llvm::Attribute::NoAlias);
    f->getArg(1)->addAttr(llvm::Attribute::NoAlias);
    auto* exp = llvm::Intrinsic::getDeclaration(&m, llvm::Intrinsic::exp, {dbl});
    b.SetInsertPoint(llvm::BasicBlock::Create(m.getContext(), "entry", f));
    emit_counted_loop(b, f->getArg(2), [&](llvm::Value* i) {
      auto* v_at = b.CreateGEP(dbl, f->getArg(0), i);
      auto* x_at = b.CreateGEP(dbl, f->getArg(1), i);
      auto* e = b.CreateCall(exp, {b.CreateLoad(dbl, x_at)});
      b.CreateStore(b.CreateFMul(b.CreateLoad(dbl, v_at), e), v_at);
    });
    b.CreateRetVoid();
  }
  require_ok(verify_module(*unit.module));
  jit->optimize(*unit.module);
  const std::string ir = print_function(*f);
  INFO(ir);
  CHECK(widest_double_vector(ir) >= 2);
  require_ok(jit->add_module(std::move(unit.module), std::move(unit.context)));
  auto decay = unwrap(jit->lookup_as<void (*)(double*, const double*, int64_t)>("decay"));

  const int64_t n = 1003;
  std::mt19937_64 engine(11);
  std::uniform_real_distribution<double> dist(-5.0, 1.0);
  std::vector<double> v(n), x(n);
  for (int64_t i = 0; i < n; ++i) {
    v[i] = dist(engine);
    x[i] = dist(engine);
  }
  std::vector<double> want = v;
  for (int64_t i = 0; i < n; ++i) want[i] *= std::exp(x[i]);
  decay(v.data(), x.data(), n);
  int64_t mismatches = 0;
  for (int64_t i = 0; i < n; ++i) mismatches += v[i] != want[i];
  CHECK(mismatches == 0);
}
