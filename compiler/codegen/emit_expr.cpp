#include "compiler/codegen/emit_expr.h"

#include <cmath>
#include <stdexcept>

#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"

namespace axon::codegen {

using ir::Op;
using llvm::Value;

Value* ExprEmitter::to_double(Value* v) {
  if (v->getType()->isIntegerTy(1)) return b_.CreateUIToFP(v, b_.getDoubleTy());
  return v;
}

Value* ExprEmitter::to_bool(Value* v) {
  if (v->getType()->isIntegerTy(1)) return v;
  return b_.CreateFCmpUNE(v, llvm::ConstantFP::get(b_.getDoubleTy(), 0.0));
}

Value* ExprEmitter::number(const ir::Expr& e) { return to_double(emit(e)); }
Value* ExprEmitter::boolean(const ir::Expr& e) { return to_bool(emit(e)); }

Value* ExprEmitter::intrinsic(llvm::Intrinsic::ID id, std::vector<Value*> args) {
  llvm::Function* f = llvm::Intrinsic::getDeclaration(&m_, id, {b_.getDoubleTy()});
  return b_.CreateCall(f, args);
}

Value* ExprEmitter::libm(const char* name, std::vector<Value*> args) {
  std::vector<llvm::Type*> types(args.size(), b_.getDoubleTy());
  auto* type = llvm::FunctionType::get(b_.getDoubleTy(), types, false);
  llvm::FunctionCallee callee = m_.getOrInsertFunction(name, type);
  if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    // Pure for our purposes: we never read errno, so calls may be hoisted and merged.
    f->setDoesNotAccessMemory();
    f->setDoesNotThrow();
    f->setWillReturn();
  }
  return b_.CreateCall(callee, args);
}

Value* ExprEmitter::call(const ir::Expr& e) {
  using builtins::Fn;
  std::vector<Value*> a;
  for (const ir::Expr& arg : e.args) a.push_back(number(arg));
  auto zero = llvm::ConstantFP::get(b_.getDoubleTy(), 0.0);
  auto one = llvm::ConstantFP::get(b_.getDoubleTy(), 1.0);
  switch (e.fn) {
    case Fn::Exp: return intrinsic(llvm::Intrinsic::exp, a);
    case Fn::Log: return intrinsic(llvm::Intrinsic::log, a);
    case Fn::Log10: return intrinsic(llvm::Intrinsic::log10, a);
    case Fn::Log2: return intrinsic(llvm::Intrinsic::log2, a);
    case Fn::Sin: return intrinsic(llvm::Intrinsic::sin, a);
    case Fn::Cos: return intrinsic(llvm::Intrinsic::cos, a);
    case Fn::Sqrt: return intrinsic(llvm::Intrinsic::sqrt, a);
    case Fn::Abs: return intrinsic(llvm::Intrinsic::fabs, a);
    case Fn::Floor: return intrinsic(llvm::Intrinsic::floor, a);
    case Fn::Ceil: return intrinsic(llvm::Intrinsic::ceil, a);
    case Fn::Round: return intrinsic(llvm::Intrinsic::round, a);
    case Fn::Pow: return intrinsic(llvm::Intrinsic::pow, a);
    // min/max/clip as compare + select: exact, and the vectoriser handles them.
    case Fn::Min: return b_.CreateSelect(b_.CreateFCmpOLT(a[1], a[0]), a[1], a[0]);
    case Fn::Max: return b_.CreateSelect(b_.CreateFCmpOGT(a[1], a[0]), a[1], a[0]);
    case Fn::Clip: {
      Value* lo = b_.CreateSelect(b_.CreateFCmpOLT(a[0], a[1]), a[1], a[0]);
      return b_.CreateSelect(b_.CreateFCmpOGT(lo, a[2]), a[2], lo);
    }
    case Fn::Sign: {
      Value* pos = b_.CreateUIToFP(b_.CreateFCmpOGT(a[0], zero), b_.getDoubleTy());
      Value* neg = b_.CreateUIToFP(b_.CreateFCmpOLT(a[0], zero), b_.getDoubleTy());
      return b_.CreateFSub(pos, neg);
    }
    case Fn::Heaviside: return b_.CreateUIToFP(b_.CreateFCmpOGT(a[0], zero), b_.getDoubleTy());
    case Fn::Sigmoid: {
      Value* ex = intrinsic(llvm::Intrinsic::exp, {b_.CreateFNeg(a[0])});
      return b_.CreateFDiv(one, b_.CreateFAdd(one, ex));
    }
    case Fn::Softplus: {
      // log1p(exp(x)) overflows for large x, where it equals x to double precision.
      Value* soft = libm("log1p", {intrinsic(llvm::Intrinsic::exp, a)});
      return b_.CreateSelect(b_.CreateFCmpOGT(a[0], llvm::ConstantFP::get(b_.getDoubleTy(), 30.0)), a[0], soft);
    }
    case Fn::Expm1:
    case Fn::Log1p:
    case Fn::Tan:
    case Fn::Asin:
    case Fn::Acos:
    case Fn::Atan:
    case Fn::Sinh:
    case Fn::Cosh:
    case Fn::Tanh:
    case Fn::Atan2:
      // libm by the table's name, which is libm's.
      return libm(builtins::info(e.fn).name, a);
    default:
      // Random functions are Op::Rand/Randn, distributions are build-time Draws: neither
      // reaches a kernel as a Call.
      throw std::logic_error(std::string("no code for ") + builtins::info(e.fn).name + "()");
  }
}

Value* ExprEmitter::emit(const ir::Expr& e) {
  auto d = [&](double v) { return llvm::ConstantFP::get(b_.getDoubleTy(), v); };
  switch (e.op) {
    case Op::Const: return d(e.value);
    case Op::Var:
      if (e.space == ir::Space::Index) return b_.CreateSIToFP(env_.index, b_.getDoubleTy());
      if (e.space == ir::Space::PostIndex) return b_.CreateSIToFP(env_.post_index, b_.getDoubleTy());
      // classify_odes takes white noise out of every equation before code generation.
      if (e.space == ir::Space::Noise) throw std::logic_error("white noise reached code generation");
      return env_.load(e.ref());
    case Op::Time: return env_.t;
    case Op::Dt: return env_.dt;
    case Op::Add: return b_.CreateFAdd(number(e.args[0]), number(e.args[1]));
    case Op::Sub: return b_.CreateFSub(number(e.args[0]), number(e.args[1]));
    case Op::Mul: return b_.CreateFMul(number(e.args[0]), number(e.args[1]));
    case Op::Div: return b_.CreateFDiv(number(e.args[0]), number(e.args[1]));
    case Op::Mod: return b_.CreateFRem(number(e.args[0]), number(e.args[1]));
    case Op::Neg: return b_.CreateFNeg(number(e.args[0]));
    case Op::Pow: {
      // Small integer powers as products: exact and cheap (v^2 in Izhikevich).
      if (e.args[1].is_const() && (e.args[1].value == 2 || e.args[1].value == 3)) {
        Value* x = number(e.args[0]);
        Value* sq = b_.CreateFMul(x, x);
        return e.args[1].value == 2 ? sq : b_.CreateFMul(sq, x);
      }
      return intrinsic(llvm::Intrinsic::pow, {number(e.args[0]), number(e.args[1])});
    }
    case Op::Call: return call(e);
    case Op::Lt: return b_.CreateFCmpOLT(number(e.args[0]), number(e.args[1]));
    case Op::Le: return b_.CreateFCmpOLE(number(e.args[0]), number(e.args[1]));
    case Op::Gt: return b_.CreateFCmpOGT(number(e.args[0]), number(e.args[1]));
    case Op::Ge: return b_.CreateFCmpOGE(number(e.args[0]), number(e.args[1]));
    case Op::Eq: return b_.CreateFCmpOEQ(number(e.args[0]), number(e.args[1]));
    case Op::Ne: return b_.CreateFCmpUNE(number(e.args[0]), number(e.args[1]));
    case Op::And: return b_.CreateAnd(boolean(e.args[0]), boolean(e.args[1]));
    case Op::Or: return b_.CreateOr(boolean(e.args[0]), boolean(e.args[1]));
    case Op::Not: return b_.CreateNot(boolean(e.args[0]));
    case Op::Select: {
      Value* c = boolean(e.args[0]);
      Value* x = emit(e.args[1]);
      Value* y = emit(e.args[2]);
      if (x->getType() != y->getType()) {
        x = to_double(x);
        y = to_double(y);
      }
      return b_.CreateSelect(c, x, y);
    }
    case Op::Rand:
    case Op::Randn: {
      auto* i64 = b_.getInt64Ty();
      Value* counter = b_.CreateAdd(env_.counter_base, llvm::ConstantInt::get(i64, static_cast<uint64_t>(e.value) * 2));
      Value* u1 = emit_random_uniform(b_, env_.seed, env_.object, env_.index, counter);
      if (e.op == Op::Rand) return u1;
      // Box-Muller from two uniforms; 1 - u1 lies in (0, 1], so the log is finite.
      Value* u2 = emit_random_uniform(b_, env_.seed, env_.object, env_.index,
                                      b_.CreateAdd(counter, llvm::ConstantInt::get(i64, 1)));
      Value* r = intrinsic(llvm::Intrinsic::sqrt,
                           {b_.CreateFMul(d(-2.0), intrinsic(llvm::Intrinsic::log, {b_.CreateFSub(d(1.0), u1)}))});
      return b_.CreateFMul(r, intrinsic(llvm::Intrinsic::cos, {b_.CreateFMul(d(6.283185307179586476925), u2)}));
    }
    case Op::Draw:
    case Op::Text:
      // Build-time values only: lowering never puts them in a kernel's expressions.
      throw std::logic_error("internal error: a build-time draw in a kernel expression");
  }
  return d(0);
}

}  // namespace axon::codegen

namespace axon::codegen {

// The same function as rt::random_bits (runtime/engine/rng.h), in IR:
//   h = init; for w in (seed, object, index, counter): h = mix64(h ^ (w * gamma))
// then the top 53 bits as a double in [0, 1). Integer-only, so it vectorises.
llvm::Value* emit_random_uniform(llvm::IRBuilder<>& b, llvm::Value* seed, llvm::Value* object, llvm::Value* index,
                                 llvm::Value* counter) {
  auto c = [&](uint64_t v) { return llvm::ConstantInt::get(b.getInt64Ty(), v); };
  auto mix = [&](llvm::Value* z) {
    z = b.CreateXor(z, b.CreateLShr(z, 30));
    z = b.CreateMul(z, c(0xbf58476d1ce4e5b9ULL));
    z = b.CreateXor(z, b.CreateLShr(z, 27));
    z = b.CreateMul(z, c(0x94d049bb133111ebULL));
    return b.CreateXor(z, b.CreateLShr(z, 31));
  };
  llvm::Value* h = c(0x243f6a8885a308d3ULL);
  for (llvm::Value* w : {seed, object, index, counter})
    h = mix(b.CreateXor(h, b.CreateMul(w, c(0x9e3779b97f4a7c15ULL))));
  llvm::Value* top = b.CreateUIToFP(b.CreateLShr(h, 11), b.getDoubleTy());
  return b.CreateFMul(top, llvm::ConstantFP::get(b.getDoubleTy(), 0x1.0p-53));
}

}  // namespace axon::codegen
