// What the model and synapse lowerings share: the operators of an expression, and
// statement blocks lowered to ordered assignments (let and if conditions into locals).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/ir/ir.h"

namespace axon::ir {

// The IR operator of an AST operator, the one mapping every lowering uses (also Neg and
// Not; unary + has none, and `unary` drops it).
Op binary_operator(ast::Operator op);
Expr unary(ast::Operator op, Expr a);  // -a, not a, +a (= a)

// Numbers, booleans, calls (except rand/randn), unary and binary operators and `?:`,
// with `sub` lowering the operands; nullopt for anything else (names, members, draws),
// which the caller lowers in its own way.
std::optional<Expr> lower_operator(const ast::Expr& e, const std::function<Expr(const ast::Expr&)>& sub);

// How one lowering sees a block: its expressions (which read `locals`), the variable an
// assignment writes, and a new temporary.
struct BlockLowering {
  std::function<Expr(const ast::Expr&)> lower;
  std::function<VarRef(const ast::Stmt&)> target;
  std::function<int(const std::string&)> add_local;
  std::vector<std::map<std::string, Expr>>* locals = nullptr;  // `let` names, innermost last
};

// A block as assignments executed in order. `let` values and `if` conditions are
// evaluated once, into locals, so later assignments do not change what they saw:
// `if v > 1 { v = 0; n += 1 }` increments n. A target with var < 0 is skipped (its
// error is reported by `target`).
void lower_statements(const std::vector<ast::Stmt>& body, const BlockLowering& b, std::vector<Assign>& out,
                      const Expr* guard);

}  // namespace axon::ir
