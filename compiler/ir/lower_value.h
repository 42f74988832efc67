// Build-time values to IR: parameter values, initial states, synapse values, delays,
// connectivity arguments and ensemble settings, evaluated per element by the engine.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"

namespace axon::ir {

// What a name means in a value: a variable of the element (Var k), an element index, an
// inlined constant; nullopt when the value may not read it.
using ValueNames = std::function<std::optional<Expr>(const ast::Expr& name)>;

// A value is a constant expression of the names, a distribution (Draw), or a
// distribution scaled, shifted or negated by such expressions. Anything else is E082 at
// the offending part, `what` naming the value ("the value of 'w'"). Constant parts are
// folded; the arithmetic is the one the engine does, so folding changes no bit.
std::optional<Expr> lower_value(const ast::Expr& e, const ValueNames& names, const std::string& what,
                                Diagnostics& diags);

// The names of a network's values: i and j (the element, or a synapse's source and
// target) and the network's `let` constants, inlined (they may use i and j, not draws).
ValueNames network_value_names(const ast::Network& net, Diagnostics& diags);

// The values of a population's variables: each model's defaults in its own scope (the
// element's other variables by name, dt, t = 0), the network's overrides in the
// network's. `models` lists the neuron ("" prefix) and its receptors ("exc." ...), each
// with the bindings the network gives it.
struct ModelValues {
  const ast::Model* model;
  std::string prefix;
  const std::vector<ast::Binding>* overrides;
};
void lower_population_values(const std::vector<ModelValues>& models, const ast::Network& net, Population& pop,
                             Diagnostics& diags);

// The values of a projection's synapse variables: the synapse model's defaults may read
// the variables declared before them and the network's names; the projection's
// arguments read the network's names.
void lower_synapse_values(const ast::Model& syn, const ast::Projection& ap, const ast::Network& net, Projection& p,
                          Diagnostics& diags);

}  // namespace axon::ir
