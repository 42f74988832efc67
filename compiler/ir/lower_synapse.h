// Lowering of one projection's synapse model: its variables, its `on pre` and `on post`
// blocks, and its event-driven equations (brought up to date exactly at each event).
#pragma once

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"

namespace axon::ir {

// Fills p.synapse_vars, p.on_pre, p.on_post, p.event_driven and p.lastupdate_var from
// `syn` with the bindings of `ap`; p.target_var and the populations of `net` are set.
void lower_synapse(const ast::Model& syn, const ast::Projection& ap, const Network& net, Projection& p,
                   Diagnostics& diags);

}  // namespace axon::ir
