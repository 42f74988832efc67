#include "runtime/engine/ir_eval.h"

#include <cmath>
#include <stdexcept>

#include "compiler/builtins/functions.h"

namespace axon::engine {

double eval_ir(const ir::Expr& e, const std::function<double(int)>& own, double dt) {
  return eval_ir(e, std::function<double(ir::VarRef)>([&](ir::VarRef r) {
                   if (r.space != ir::Space::Own) throw std::runtime_error("an element index cannot be evaluated here");
                   return own(r.var);
                 }),
                 dt);
}

double eval_ir(const ir::Expr& e, const std::function<double(ir::VarRef)>& var, double dt,
               const std::function<double(const ir::Expr&)>* draw) {
  using ir::Op;
  auto a = [&](size_t k) { return eval_ir(e.args[k], var, dt, draw); };
  switch (e.op) {
    case Op::Const: return e.value;
    case Op::Var: return var(e.ref());
    case Op::Dt: return dt;
    case Op::Time: return 0;
    case Op::Add: return a(0) + a(1);
    case Op::Sub: return a(0) - a(1);
    case Op::Mul: return a(0) * a(1);
    case Op::Div: return a(0) / a(1);
    case Op::Mod: return std::fmod(a(0), a(1));
    case Op::Neg: return -a(0);
    case Op::Pow: return std::pow(a(0), a(1));
    case Op::Lt: return a(0) < a(1);
    case Op::Le: return a(0) <= a(1);
    case Op::Gt: return a(0) > a(1);
    case Op::Ge: return a(0) >= a(1);
    case Op::Eq: return a(0) == a(1);
    case Op::Ne: return a(0) != a(1);
    case Op::And: return a(0) != 0 && a(1) != 0;
    case Op::Or: return a(0) != 0 || a(1) != 0;
    case Op::Not: return a(0) == 0;
    case Op::Select: return a(0) != 0 ? a(1) : a(2);
    case Op::Call: {
      std::vector<double> args;
      for (size_t k = 0; k < e.args.size(); ++k) args.push_back(a(k));
      if (auto v = builtins::apply(e.fn, args)) return *v;
      throw std::runtime_error(std::string("cannot evaluate '") + builtins::info(e.fn).name + "' at build time");
    }
    case Op::Draw:
      if (draw) return (*draw)(e);
      throw std::runtime_error("a distribution cannot be evaluated here");
    case Op::Rand:
    case Op::Randn: throw std::runtime_error("a random draw cannot be evaluated at build time");
    case Op::Text: throw std::runtime_error("'" + e.text + "' is text, not a number");
  }
  return 0;
}

}  // namespace axon::engine
