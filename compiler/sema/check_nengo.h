// Checks of the Nengo layer of a network: ensembles and their NEF settings, nodes,
// connections (endpoints, function, transform, synapse), probes of decoded values.
#pragma once

#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/sema/network_scope.h"

namespace axon::sema {

// The neuron models an ensemble may use (stdlib Nengo neuron types, input J).
const std::vector<std::string>& ensemble_models();

// A probe's `every`, `from` and `to`: times, every > 0, 0 <= from < to (E020, E060).
void check_probe_times(ast::Probe& p, const NetworkScope& scope, Diagnostics& diags);

// Ensembles (after their populations are checked), nodes and connections.
void check_nengo(ast::Network& net, const NetworkScope& scope, Diagnostics& diags);

// A probe of an ensemble (its decoded value) or a node: checks it and sets p.nengo;
// false when the probe is of something else.
bool nengo_probe(ast::Probe& p, const ast::Network& net, const NetworkScope& scope, Diagnostics& diags);

}  // namespace axon::sema
