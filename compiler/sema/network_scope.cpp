#include "compiler/sema/network_scope.h"

namespace axon::sema {

std::optional<Symbol> NetworkScope::lookup(const std::string& name) const {
  auto c = constants_.find(name);
  if (c != constants_.end()) return Symbol{ast::SymbolKind::Let, c->second.ty, c->second.expr->range};
  if (populations_.count(name)) return Symbol{ast::SymbolKind::Population, Ty::unknown(), {}};
  if (views_.count(name)) return Symbol{ast::SymbolKind::View, Ty::unknown(), {}};
  if (indices_ && (name == "i" || name == "j"))
    return Symbol{ast::SymbolKind::Index, Ty::of(units::Dimension::none()), {}};
  if (time_ && name == "t") return Symbol{ast::SymbolKind::Time, Ty::of(units::dims::time()), {}};
  return std::nullopt;
}

void NetworkScope::candidates(std::vector<std::string>& out) const {
  for (const auto& [n, v] : constants_) out.push_back(n);
  for (const auto& [n, v] : populations_) out.push_back(n);
  for (const auto& [n, v] : views_) out.push_back(n);
}

void NetworkScope::add_population(const ast::Population& p) {
  populations_[p.name] = &p;
  ast::TargetRef r;
  r.population = p.name;
  r.begin = 0;
  r.end = p.n;
  r.valid = p.n > 0;
  views_[p.name] = r;
}

void NetworkScope::add_view(const ast::NetworkLet& l) {
  // A view whose slice was wrong is kept, invalid, so that its uses are not reported as
  // unknown names (as for a population whose size was wrong).
  views_[l.name] = l.view;
}

void NetworkScope::add_constant(const ast::NetworkLet& l, const Ty& t) {
  std::optional<double> value = eval_const(*l.value, const_lookup());
  constants_[l.name] = Constant{t, l.value.get(), value};
}

const ast::TargetRef* NetworkScope::neurons(const std::string& name) const {
  auto it = views_.find(name);
  return it == views_.end() ? nullptr : &it->second;
}

const ast::Population* NetworkScope::population(const std::string& name) const {
  auto it = populations_.find(name);
  return it == populations_.end() ? nullptr : it->second;
}

ConstLookup NetworkScope::const_lookup() const {
  return [this](const ast::Expr& e) -> std::optional<double> {
    auto c = constants_.find(e.name);
    if (c == constants_.end()) return std::nullopt;
    return c->second.value;
  };
}

}  // namespace axon::sema
