// Emits LLVM IR for one IR expression, given how to read variables. Booleans are i1,
// numbers double; libm functions go through LLVM intrinsics where one exists, so that
// loops calling them still vectorise.
#pragma once

#include <functional>

#include "compiler/ir/ir.h"
#include "llvm/IR/IRBuilder.h"

namespace axon::codegen {

struct EmitEnv {
  // A variable's current value (double): the element's own, or in a synapse kernel also
  // the target's and source's (Space::Post / Pre).
  std::function<llvm::Value*(ir::VarRef)> load;
  llvm::Value* t = nullptr;             // double
  llvm::Value* dt = nullptr;            // double
  llvm::Value* index = nullptr;         // i64 element index (rand streams, Space::Index)
  llvm::Value* post_index = nullptr;    // i64 target index (Space::PostIndex, connect where)
  llvm::Value* counter_base = nullptr;  // i64: step * draws per step, for rand()
  llvm::Value* seed = nullptr;          // i64
  llvm::Value* object = nullptr;        // i64
};

class ExprEmitter {
 public:
  ExprEmitter(llvm::IRBuilder<>& b, llvm::Module& m, const EmitEnv& env) : b_(b), m_(m), env_(env) {}

  llvm::Value* number(const ir::Expr& e);   // as double
  llvm::Value* boolean(const ir::Expr& e);  // as i1

 private:
  llvm::IRBuilder<>& b_;
  llvm::Module& m_;
  const EmitEnv& env_;

  llvm::Value* emit(const ir::Expr& e);
  llvm::Value* call(const ir::Expr& e);
  llvm::Value* intrinsic(llvm::Intrinsic::ID id, std::vector<llvm::Value*> args);
  llvm::Value* libm(const char* name, std::vector<llvm::Value*> args);
  llvm::Value* to_double(llvm::Value* v);
  llvm::Value* to_bool(llvm::Value* v);
};

// The counter-based random stream used by rand()/randn() in kernels (also callable
// from C++ so tests can pin it): uniform in [0, 1).
llvm::Value* emit_random_uniform(llvm::IRBuilder<>& b, llvm::Value* seed, llvm::Value* object, llvm::Value* index,
                                 llvm::Value* counter);

}  // namespace axon::codegen
