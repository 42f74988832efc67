#include "compiler/ir/lower_common.h"

#include <stdexcept>

namespace axon::ir {

Op binary_operator(ast::Operator op) {
  using ast::Operator;
  switch (op) {
    case Operator::Add: return Op::Add;
    case Operator::Sub: return Op::Sub;
    case Operator::Mul: return Op::Mul;
    case Operator::Div: return Op::Div;
    case Operator::Mod: return Op::Mod;
    case Operator::Pow: return Op::Pow;
    case Operator::Lt: return Op::Lt;
    case Operator::Le: return Op::Le;
    case Operator::Gt: return Op::Gt;
    case Operator::Ge: return Op::Ge;
    case Operator::Eq: return Op::Eq;
    case Operator::Ne: return Op::Ne;
    case Operator::And: return Op::And;
    case Operator::Or: return Op::Or;
    case Operator::Neg: return Op::Neg;
    case Operator::Not: return Op::Not;
    case Operator::Plus: break;
  }
  throw std::logic_error("unary + has no IR operator");
}

Expr unary(ast::Operator op, Expr a) {
  return op == ast::Operator::Plus ? a : Expr::make(binary_operator(op), {std::move(a)});
}

std::optional<Expr> lower_operator(const ast::Expr& e, const std::function<Expr(const ast::Expr&)>& sub) {
  using ast::ExprKind;
  switch (e.kind) {
    case ExprKind::Number:
    case ExprKind::Bool: return Expr::constant(e.kind == ExprKind::Bool ? e.number : e.value_si);
    case ExprKind::Call: {
      // Random functions lower by context (a draw number within the step).
      const builtins::FunctionInfo* f = builtins::find_function(e.name);
      if (!f || f->rule == builtins::FnRule::Random) return std::nullopt;
      Expr c = Expr::call(f->id, {});
      for (const auto& a : e.args) c.args.push_back(sub(*a));
      return c;
    }
    case ExprKind::Unary: {
      return unary(e.op, sub(*e.args[0]));
    }
    case ExprKind::Binary: return Expr::make(binary_operator(e.op), {sub(*e.args[0]), sub(*e.args[1])});
    case ExprKind::Conditional: return Expr::make(Op::Select, {sub(*e.args[0]), sub(*e.args[1]), sub(*e.args[2])});
    default: return std::nullopt;
  }
}

void lower_statements(const std::vector<ast::Stmt>& body, const BlockLowering& b, std::vector<Assign>& out,
                      const Expr* guard) {
  b.locals->emplace_back();
  for (const ast::Stmt& s : body) {
    if (s.kind == ast::StmtKind::Let) {
      int local = b.add_local(s.name);
      out.push_back(Assign{local, b.lower(*s.value)});
      b.locals->back()[s.name] = Expr::variable(local);
    } else if (s.kind == ast::StmtKind::Assign) {
      const VarRef v = b.target(s);
      if (v.var < 0) continue;
      Expr cur = Expr::variable(v);
      Expr value = b.lower(*s.value);
      switch (s.op) {
        case ast::AssignOp::Set: break;
        case ast::AssignOp::Add: value = Expr::make(Op::Add, {cur, value}); break;
        case ast::AssignOp::Sub: value = Expr::make(Op::Sub, {cur, value}); break;
        case ast::AssignOp::Mul: value = Expr::make(Op::Mul, {cur, value}); break;
        case ast::AssignOp::Div: value = Expr::make(Op::Div, {cur, value}); break;
      }
      if (guard) value = Expr::make(Op::Select, {*guard, value, cur});
      out.push_back(Assign{v.var, value, v.space});
    } else {
      int taken = b.add_local("if");
      Expr cond = b.lower(*s.value);
      if (guard) cond = Expr::make(Op::And, {*guard, cond});
      out.push_back(Assign{taken, cond});
      Expr then_guard = Expr::variable(taken);
      lower_statements(s.then_body, b, out, &then_guard);
      Expr else_guard = Expr::make(Op::Not, {Expr::variable(taken)});
      if (guard) else_guard = Expr::make(Op::And, {*guard, else_guard});
      lower_statements(s.else_body, b, out, &else_guard);
    }
  }
  b.locals->pop_back();
}

}  // namespace axon::ir
