// The per-element values of a lowered network, evaluated when it is built: parameter
// values, initial states, synapse values, delays, connectivity arguments, ensemble settings.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace axon::engine {

// Evaluates build-time values of one element. Distributions draw from the element's own
// stream (seed, object mixed with the call's place in the source, element index), so a
// value does not depend on the order elements are evaluated in. Errors are BuildErrors
// at the offending call.
class ValueEvaluator {
 public:
  ValueEvaluator(uint64_t seed, double dt) : seed_(seed), dt_(dt) {}

  // Fans of the projection whose weights are being drawn (VarianceScaling, Glorot, He).
  int64_t fan_in = 0, fan_out = 0;

  // `var` reads the element's other variables (Var k); i and j are its indices (a
  // neuron: j = i; a synapse: source and target). `what` names the value in messages.
  double eval(const ir::Expr& e, const std::function<double(int var)>& var, int64_t i, int64_t j, uint64_t object,
              int64_t index, const std::string& what) const;

  double dt() const { return dt_; }

 private:
  uint64_t seed_;
  double dt_;

  double draw(const ir::Expr& d, const std::function<double(ir::VarRef)>& var, uint64_t object, int64_t index,
              const std::string& what) const;
};

// Per-element values of a network value (a constant, an expression of i, a
// distribution) for elements 0..n-1, drawn as population overrides are, from the stream
// keyed by `key`.
std::vector<double> element_values(const ir::Expr& e, int64_t n, const std::string& key, uint64_t seed, double dt);

}  // namespace axon::engine
