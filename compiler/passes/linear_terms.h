// The one linear-term decomposer: writes an IR expression as sum_k c_k * x_k + c_0 over
// chosen variables x_k, or says which term is not linear. Every linearity test uses it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "compiler/ir/ir.h"

namespace axon::passes {

struct LinearTerms {
  std::map<ir::VarRef, ir::Expr> coeff;  // free of the chosen variables
  ir::Expr constant = ir::Expr::constant(0);

  ir::Expr coefficient(ir::VarRef x) const {
    auto it = coeff.find(x);
    return it == coeff.end() ? ir::Expr::constant(0) : it->second;
  }
};

// What to be linear in, and how messages name it.
struct LinearIn {
  std::function<bool(ir::VarRef)> is_variable;
  std::string many = "states";  // "a product of <many>"
  std::string one = "a state";  // "a division by <one>", "a nonlinear function of <one>"
  // Exact integration needs constant coefficients: t and random draws are then not
  // linear terms but failures. Elsewhere they are coefficients like any other.
  bool time_and_draws_fail = false;
  // A variable that may not appear at all, and why ("a rate output"); empty: it may.
  std::function<std::string(ir::VarRef)> refuse;
  std::function<std::string(const ir::Expr&)> print;  // for the failing term
};

class LinearDecomposer {
 public:
  explicit LinearDecomposer(LinearIn in) : in_(std::move(in)) {}
  std::optional<LinearTerms> run(const ir::Expr& e);
  std::string failure;  // the first term that is not linear, e.g. "a product of states term (v * w)"

 private:
  LinearIn in_;
  std::optional<LinearTerms> fail(const ir::Expr& e, const std::string& why);
};

}  // namespace axon::passes
