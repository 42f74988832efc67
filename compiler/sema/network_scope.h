// What names mean inside a network: populations, views (named slices), constants from
// `let`, and, where allowed, the element indices i, j and the time t.
#pragma once

#include <map>

#include "compiler/sema/check_expr.h"
#include "compiler/sema/const_eval.h"

namespace axon::sema {

// The built-in spike source population: `population G = SpikeTimes[1] { times = [...] }`.
inline constexpr const char* kSpikeTimes = "SpikeTimes";

class NetworkScope : public Scope {
 public:
  explicit NetworkScope(const ast::Network& net) : net_(&net) {}
  NetworkScope(const NetworkScope& parent, bool indices, bool time) : NetworkScope(parent) {
    indices_ = indices;
    time_ = time;
  }

  std::optional<Symbol> lookup(const std::string& name) const override;
  bool allows_network_functions() const override { return true; }
  void candidates(std::vector<std::string>& out) const override;

  void add_population(const ast::Population& p);
  void add_view(const ast::NetworkLet& l);
  void add_constant(const ast::NetworkLet& l, const Ty& t);

  bool is_neurons(const std::string& name) const { return neurons(name) != nullptr; }
  const ast::TargetRef* neurons(const std::string& name) const;
  const ast::Population* population(const std::string& name) const;
  ConstLookup const_lookup() const;

 private:
  const ast::Network* net_;
  std::map<std::string, const ast::Population*> populations_;
  std::map<std::string, ast::TargetRef> views_;
  // A constant's value is folded when it is added, from the constants before it, so
  // that `let a = a + 1` cannot make folding recurse forever.
  struct Constant {
    Ty ty;
    const ast::Expr* expr = nullptr;
    std::optional<double> value;
  };
  std::map<std::string, Constant> constants_;
  bool indices_ = false;
  bool time_ = false;
};

}  // namespace axon::sema
