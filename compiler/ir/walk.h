// Generic walks over IR expressions (the IRVisitor / IRMutator idea, as functions): the
// passes that ask "does it read X?" or rewrite nodes say only what they look for.
#pragma once

#include <utility>

#include "compiler/ir/ir.h"

namespace axon::ir {

// Calls f on every node of e, parents before their arguments.
template <class F>
void for_each(const Expr& e, F&& f) {
  f(e);
  for (const Expr& a : e.args) for_each(a, f);
}

// Whether any node of e satisfies pred (stops at the first).
template <class P>
bool any_of(const Expr& e, P&& pred) {
  if (pred(e)) return true;
  for (const Expr& a : e.args)
    if (any_of(a, pred)) return true;
  return false;
}

// Rebuilds e bottom-up: f gets each node with its arguments already rewritten and
// returns its replacement.
template <class F>
Expr rewrite(Expr e, F&& f) {
  for (Expr& a : e.args) a = rewrite(std::move(a), f);
  return f(std::move(e));
}

}  // namespace axon::ir
