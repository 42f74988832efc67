// Several modules live side by side in one Jit, and every failure comes back as an llvm::Error.
// Covers lookup of missing symbols, duplicate definitions and invalid IR.

#include <cstdint>

#include <catch2/catch.hpp>

#include "runtime/jit/jit.h"
#include "tests/jit/ir_build.h"

using namespace axon::jit;
using namespace axon::jit::testing;

namespace {

// int64_t <name>(int64_t x) { return x * factor; }
void emit_scale(llvm::Module& m, const std::string& name, int64_t factor) {
  llvm::IRBuilder<> b(m.getContext());
  auto* f = declare_function(m, name, b.getInt64Ty(), {b.getInt64Ty()});
  b.SetInsertPoint(llvm::BasicBlock::Create(m.getContext(), "entry", f));
  b.CreateRet(b.CreateMul(f->getArg(0), b.getInt64(factor)));
}

}  // namespace

TEST_CASE("modules added one after another are all callable", "[jit][modules]") {
  auto jit = unwrap(Jit::create());

  IrUnit first("first");
  emit_scale(*first.module, "times_three", 3);
  jit->optimize(*first.module);
  require_ok(jit->add_module(std::move(first.module), std::move(first.context)));
  auto times_three = unwrap(jit->lookup_as<int64_t (*)(int64_t)>("times_three"));
  CHECK(times_three(14) == 42);

  // The second module also calls into the first one, as a later kernel may
  // call a helper compiled earlier.
  IrUnit second("second");
  emit_scale(*second.module, "times_five", 5);
  {
    llvm::Module& m = *second.module;
    llvm::IRBuilder<> b(m.getContext());
    auto* helper = declare_function(m, "times_three", b.getInt64Ty(), {b.getInt64Ty()});
    auto* f = declare_function(m, "times_fifteen", b.getInt64Ty(), {b.getInt64Ty()});
    b.SetInsertPoint(llvm::BasicBlock::Create(m.getContext(), "entry", f));
    auto* five = b.CreateCall(m.getFunction("times_five"), {f->getArg(0)});
    b.CreateRet(b.CreateCall(helper, {five}));
  }
  require_ok(verify_module(*second.module));
  jit->optimize(*second.module);
  require_ok(jit->add_module(std::move(second.module), std::move(second.context)));

  auto times_five = unwrap(jit->lookup_as<int64_t (*)(int64_t)>("times_five"));
  auto times_fifteen = unwrap(jit->lookup_as<int64_t (*)(int64_t)>("times_fifteen"));
  CHECK(times_five(-7) == -35);
  CHECK(times_fifteen(2) == 30);
  CHECK(times_three(-1) == -3);  // the first module's code is still there
}

TEST_CASE("looking up a symbol nobody defines is an error, not a crash", "[jit][modules]") {
  auto jit = unwrap(Jit::create());
  IrUnit unit("only");
  emit_scale(*unit.module, "defined_here", 2);
  require_ok(jit->add_module(std::move(unit.module), std::move(unit.context)));

  auto missing = jit->lookup("no_such_kernel");
  REQUIRE_FALSE(static_cast<bool>(missing));
  const std::string message = to_string(missing.takeError());
  INFO(message);
  CHECK_THAT(message, Catch::Contains("no_such_kernel"));

  // The failed lookup leaves the JIT usable.
  auto defined = unwrap(jit->lookup_as<int64_t (*)(int64_t)>("defined_here"));
  CHECK(defined(21) == 42);
}

TEST_CASE("a second definition of the same symbol is refused", "[jit][modules]") {
  auto jit = unwrap(Jit::create());
  IrUnit first("first");
  emit_scale(*first.module, "kernel", 2);
  require_ok(jit->add_module(std::move(first.module), std::move(first.context)));

  IrUnit again("again");
  emit_scale(*again.module, "kernel", 3);
  llvm::Error err = jit->add_module(std::move(again.module), std::move(again.context));
  REQUIRE(static_cast<bool>(err));
  const std::string message = to_string(std::move(err));
  INFO(message);
  CHECK_THAT(message, Catch::Contains("kernel"));

  auto kernel = unwrap(jit->lookup_as<int64_t (*)(int64_t)>("kernel"));
  CHECK(kernel(5) == 10);
}

TEST_CASE("verify_module names what is wrong with invalid IR", "[jit][modules]") {
  IrUnit unit("broken");
  llvm::IRBuilder<> b(*unit.context);
  auto* f = declare_function(*unit.module, "unterminated", b.getVoidTy(), {});
  llvm::BasicBlock::Create(*unit.context, "entry", f);  // a block with no terminator
  llvm::Error err = verify_module(*unit.module);
  REQUIRE(static_cast<bool>(err));
  const std::string message = to_string(std::move(err));
  INFO(message);
  CHECK_THAT(message, Catch::Contains("broken"));
  CHECK_THAT(message, Catch::Contains("terminator"));
}
