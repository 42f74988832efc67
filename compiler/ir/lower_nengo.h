// Lowering of the Nengo layer of a network (ensembles, nodes, connections, probes of
// decoded values) to the IR's NEF part; the engine draws and solves the rest at build.
#pragma once

#include <functional>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"

namespace axon::ir {

// `lower_node_value` lowers a network expression of t and the element index i (node values).
void lower_nengo(const ast::Network& an, Network& net, const std::function<Expr(const ast::Expr&)>& lower_node_value,
                 Diagnostics& diags);

}  // namespace axon::ir
