#include "compiler/ir/lower_common.h"

namespace axon::ir {

Op binary_operator(const std::string& text) {
  static const std::map<std::string, Op> ops = {
      {"+", Op::Add}, {"-", Op::Sub}, {"*", Op::Mul}, {"/", Op::Div}, {"%", Op::Mod},
      {"^", Op::Pow}, {"<", Op::Lt}, {"<=", Op::Le}, {">", Op::Gt}, {">=", Op::Ge},
      {"==", Op::Eq}, {"!=", Op::Ne}, {"and", Op::And}, {"or", Op::Or}};
  return ops.at(text);
}

std::optional<Expr> lower_operator(const ast::Expr& e, const std::function<Expr(const ast::Expr&)>& sub) {
  using ast::ExprKind;
  switch (e.kind) {
    case ExprKind::Number:
    case ExprKind::Bool:
      return Expr::constant(e.kind == ExprKind::Bool ? e.number : e.value_si);
    case ExprKind::Call: {
      if (e.name == "rand" || e.name == "randn") return std::nullopt;
      Expr c;
      c.op = Op::Call;
      c.fn = e.name;
      for (const auto& a : e.args) c.args.push_back(sub(*a));
      return c;
    }
    case ExprKind::Unary: {
      Expr a = sub(*e.args[0]);
      if (e.op == "-") return Expr::make(Op::Neg, {a});
      if (e.op == "not") return Expr::make(Op::Not, {a});
      return a;
    }
    case ExprKind::Binary:
      return Expr::make(binary_operator(e.op), {sub(*e.args[0]), sub(*e.args[1])});
    case ExprKind::Conditional:
      return Expr::make(Op::Select, {sub(*e.args[0]), sub(*e.args[1]), sub(*e.args[2])});
    default:
      return std::nullopt;
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
      int v = b.target(s);
      if (v < 0) continue;
      Expr cur = Expr::variable(v);
      Expr value = b.lower(*s.value);
      if (s.op == "+=") value = Expr::make(Op::Add, {cur, value});
      if (s.op == "-=") value = Expr::make(Op::Sub, {cur, value});
      if (s.op == "*=") value = Expr::make(Op::Mul, {cur, value});
      if (s.op == "/=") value = Expr::make(Op::Div, {cur, value});
      if (guard) value = Expr::make(Op::Select, {*guard, value, cur});
      out.push_back(Assign{v, value});
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
