#include "compiler/passes/linear_terms.h"

namespace axon::passes {

using ir::Expr;
using ir::Op;

namespace {

// Folding the zeros and ones the decomposition produces keeps the coefficients as
// written (and the kernels free of multiplications by one).
Expr add(Expr a, Expr b) {
  if (a.is_const() && a.value == 0) return b;
  if (b.is_const() && b.value == 0) return a;
  if (a.is_const() && b.is_const()) return Expr::constant(a.value + b.value);
  return Expr::make(Op::Add, {std::move(a), std::move(b)});
}
Expr mul(Expr a, Expr b) {
  if ((a.is_const() && a.value == 0) || (b.is_const() && b.value == 0)) return Expr::constant(0);
  if (a.is_const() && a.value == 1) return b;
  if (b.is_const() && b.value == 1) return a;
  if (a.is_const() && b.is_const()) return Expr::constant(a.value * b.value);
  return Expr::make(Op::Mul, {std::move(a), std::move(b)});
}
Expr neg(Expr a) {
  if (a.is_const()) return Expr::constant(-a.value);
  return Expr::make(Op::Neg, {std::move(a)});
}
Expr div(Expr a, Expr b) {
  if (a.is_const() && a.value == 0) return Expr::constant(0);
  if (b.is_const() && b.value == 1) return a;
  return Expr::make(Op::Div, {std::move(a), std::move(b)});
}

LinearTerms scale(LinearTerms a, const Expr& k) {
  const bool minus = k.is_const() && k.value == -1;
  for (auto& [v, c] : a.coeff) c = minus ? neg(c) : mul(k, c);
  a.constant = minus ? neg(a.constant) : mul(k, a.constant);
  return a;
}

LinearTerms constant(const Expr& e) {
  LinearTerms t;
  t.constant = e;
  return t;
}

}  // namespace

std::optional<LinearTerms> LinearDecomposer::fail(const Expr& e, const std::string& why) {
  if (failure.empty()) failure = why + " term " + (in_.print ? in_.print(e) : ir::to_string(e, nullptr));
  return std::nullopt;
}

std::optional<LinearTerms> LinearDecomposer::run(const Expr& e) {
  switch (e.op) {
    case Op::Const:
    case Op::Dt: return constant(e);
    case Op::Var: {
      if (!in_.is_variable(e.ref())) return constant(e);
      if (in_.refuse) {
        std::string why = in_.refuse(e.ref());
        if (!why.empty()) return fail(e, why);
      }
      LinearTerms t;
      t.coeff[e.ref()] = Expr::constant(1);
      return t;
    }
    case Op::Time:
    case Op::Rand:
    case Op::Randn:
      if (in_.time_and_draws_fail) return fail(e, e.op == Op::Time ? "time-dependent" : "random");
      return constant(e);
    case Op::Add:
    case Op::Sub: {
      auto a = run(e.args[0]);
      auto b = run(e.args[1]);
      if (!a || !b) return std::nullopt;
      if (e.op == Op::Sub) b = scale(*b, Expr::constant(-1));
      for (auto& [v, c] : b->coeff) a->coeff[v] = a->coeff.count(v) ? add(a->coeff[v], c) : c;
      a->constant = add(a->constant, b->constant);
      return a;
    }
    case Op::Neg: {
      auto a = run(e.args[0]);
      if (!a) return std::nullopt;
      return scale(*a, Expr::constant(-1));
    }
    case Op::Mul: {
      auto a = run(e.args[0]);
      auto b = run(e.args[1]);
      if (!a || !b) return std::nullopt;
      if (a->coeff.empty()) return scale(*b, a->constant);
      if (b->coeff.empty()) return scale(*a, b->constant);
      return fail(e, "a product of " + in_.many);
    }
    case Op::Div: {
      auto a = run(e.args[0]);
      auto b = run(e.args[1]);
      if (!a || !b) return std::nullopt;
      if (!b->coeff.empty()) return fail(e, "a division by " + in_.one);
      LinearTerms r;
      for (auto& [v, c] : a->coeff) r.coeff[v] = div(c, b->constant);
      r.constant = div(a->constant, b->constant);
      return r;
    }
    default: {
      // Any other operation is fine on coefficients only.
      for (const Expr& arg : e.args) {
        auto a = run(arg);
        if (!a) return std::nullopt;
        if (!a->coeff.empty()) return fail(e, "a nonlinear function of " + in_.one);
      }
      return constant(e);
    }
  }
}

}  // namespace axon::passes
