// Helpers shared by the JIT tests: Expected unwrapping, context+module pairs, loops, IR scans.
// The loop has the shape of axon's generated step loops, so the vectoriser sees the real pattern.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <regex>
#include <string>

#include <catch2/catch.hpp>

#include "llvm/IR/Attributes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/jit/jit.h"

namespace axon::jit::testing {

struct IrUnit {
  std::unique_ptr<llvm::LLVMContext> context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module;

  explicit IrUnit(const std::string& name) : module(std::make_unique<llvm::Module>(name, *context)) {}
};

// Unwraps an Expected, failing the test with LLVM's message instead of aborting.
template <typename T>
T unwrap(llvm::Expected<T> value) {
  if (!value) FAIL(to_string(value.takeError()));
  return std::move(*value);
}

inline void require_ok(llvm::Error err) {
  if (err) FAIL(to_string(std::move(err)));
}

inline llvm::Function* declare_function(llvm::Module& module, const std::string& name, llvm::Type* result,
                                        llvm::ArrayRef<llvm::Type*> params) {
  auto* type = llvm::FunctionType::get(result, params, false);
  return llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
}

// Emits `for (int64_t i = 0; i < n; ++i) body(i)` at the builder's position and
// leaves the builder in the exit block. The test sits at the top, as a
// generator's while-loop would put it; LLVM rotates the loop itself.
inline void emit_counted_loop(llvm::IRBuilder<>& b, llvm::Value* n, const std::function<void(llvm::Value*)>& body) {
  llvm::Function* f = b.GetInsertBlock()->getParent();
  llvm::LLVMContext& ctx = f->getContext();
  llvm::BasicBlock* entry = b.GetInsertBlock();
  auto* head = llvm::BasicBlock::Create(ctx, "loop.head", f);
  auto* loop = llvm::BasicBlock::Create(ctx, "loop.body", f);
  auto* exit = llvm::BasicBlock::Create(ctx, "loop.exit", f);
  b.CreateBr(head);

  b.SetInsertPoint(head);
  llvm::PHINode* i = b.CreatePHI(b.getInt64Ty(), 2, "i");
  i->addIncoming(b.getInt64(0), entry);
  b.CreateCondBr(b.CreateICmpSLT(i, n), loop, exit);

  b.SetInsertPoint(loop);
  body(i);
  // The body may have opened blocks of its own; the increment goes wherever it ended.
  llvm::Value* next = b.CreateAdd(i, b.getInt64(1), "i.next", true, true);
  i->addIncoming(next, b.GetInsertBlock());
  b.CreateBr(head);

  b.SetInsertPoint(exit);
}

inline std::string print_function(const llvm::Function& f) {
  std::string text;
  llvm::raw_string_ostream out(text);
  f.print(out);
  out.flush();
  return text;
}

// Widest `<N x double>` in the text, 0 when the IR holds no double vectors.
inline unsigned widest_double_vector(const std::string& ir) {
  static const std::regex vector_type("<([0-9]+) x double>");
  unsigned widest = 0;
  for (auto it = std::sregex_iterator(ir.begin(), ir.end(), vector_type); it != std::sregex_iterator(); ++it) {
    widest = std::max(widest, static_cast<unsigned>(std::stoul((*it)[1].str())));
  }
  return widest;
}

}  // namespace axon::jit::testing
