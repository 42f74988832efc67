// format_dimension: a small search for the most readable way to write a dimension.
//
// A diagnostic that says "kg*m^2/(s^3*A)" where the user wrote mV is useless, so the
// search tries a named SI unit first ("V", "C"), then every product of one or two named
// units to half-integer powers ("1/s", "S/V", "V*s", "V/s^(1/2)"), and only then base
// units. Among the products, those made of the units a neuroscientist reads daily win
// over those that need mechanics: "A/s" rather than "V/H" for pA/ms.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/units/dimension.h"

namespace axon::units {

namespace {

struct NamedUnit {
  const char* symbol;
  Dimension dim;
  // 1: electrophysiology (V, S, A, F, ohm, s); 2: the other base units; 3: the other
  // derived units. A product is as familiar as its least familiar unit.
  int tier;
  // S and ohm are each other's inverse: "ohm*m" (axial resistivity) reads better than
  // "m/S", so neither should sit below the line when the other can sit above it.
  bool has_named_inverse = false;
};

// In order of preference. Hz is left out on purpose: "1/s" says what a rate is in the
// same units as time constants. Wb is left out because V*s (the integral of a voltage
// trace) is how the field reads that dimension.
const std::vector<NamedUnit>& named_units() {
  static const std::vector<NamedUnit> units = {
      {"V", dims::voltage(), 1},
      {"S", dims::conductance(), 1, true},
      {"A", dims::current(), 1},
      {"F", dims::capacitance(), 1},
      {"ohm", dims::resistance(), 1, true},
      {"s", dims::time(), 1},
      {"m", dims::length(), 2},
      {"kg", dims::mass(), 2},
      {"K", dims::temperature(), 2},
      {"mol", dims::amount(), 2},
      {"cd", dims::luminosity(), 2},
      {"C", dims::charge(), 3},
      {"W", dims::power(), 3},
      {"J", dims::energy(), 3},
      {"N", dims::force(), 3},
      {"H", dims::inductance(), 3},
      {"T", dims::flux_density(), 3},
      {"Pa", dims::pressure(), 3},
  };
  return units;
}

const char* const base_symbols[base_dim_count] = {"m", "kg", "s", "A", "K", "mol", "cd"};

struct Factor {
  std::string symbol;
  Rational power;
};

// A candidate product; the search keeps the best one.
struct Form {
  std::vector<Factor> factors;
  int tier = 0;            // the highest tier among the units used
  int inverted = 0;        // S or ohm with a negative power
  Rational total_power;    // sum of |power|
  std::vector<int> ranks;  // preference ranks of the units used, ascending

  bool better_than(const Form& o) const {
    if (tier != o.tier) return tier < o.tier;
    if (factors.size() != o.factors.size()) return factors.size() < o.factors.size();
    if (inverted != o.inverted) return inverted < o.inverted;
    // Small powers first ("S/s" over "S^2/F"), then familiar units ("V/s" over "A/F").
    if (total_power != o.total_power) return total_power < o.total_power;
    return ranks < o.ranks;
  }
};

// Powers a readable form may use: half-integers up to 4 in magnitude. Half-integers
// cover noise (s^-1/2) and its products; anything stranger falls back to base units.
bool readable_power(const Rational& p) { return !p.is_zero() && p.den() <= 2 && p.abs() <= Rational(4); }

const std::vector<Rational>& readable_powers() {
  static const std::vector<Rational> powers = [] {
    std::vector<Rational> out;
    for (int twice = -8; twice <= 8; ++twice)
      if (twice != 0) out.emplace_back(twice, 2);
    return out;
  }();
  return powers;
}

// The p with base^p == target, if there is one.
std::optional<Rational> power_of(const Dimension& target, const Dimension& base) {
  for (std::size_t i = 0; i < base_dim_count; ++i) {
    if (base.exponents[i].is_zero()) continue;
    Rational p = target.exponents[i] / base.exponents[i];
    if (base.pow(p) == target) return p;
    return std::nullopt;
  }
  return std::nullopt;
}

std::string power_suffix(const Rational& p) {
  if (p == Rational(1)) return "";
  if (p.is_integer()) return "^" + p.to_string();
  return "^(" + p.to_string() + ")";
}

// Numerator factors first, in the order given, then "/" and the denominator with
// positive powers; "1/..." when nothing is left above the line.
std::string render(const std::vector<Factor>& factors) {
  std::vector<std::string> above;
  std::vector<std::string> below;
  for (const Factor& f : factors) {
    if (f.power.is_zero()) continue;
    if (f.power > Rational(0))
      above.push_back(f.symbol + power_suffix(f.power));
    else
      below.push_back(f.symbol + power_suffix(-f.power));
  }
  auto join = [](const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& part : parts) out += (out.empty() ? "" : "*") + part;
    return out;
  };
  std::string out = above.empty() ? "1" : join(above);
  if (below.size() == 1) out += "/" + below.front();
  if (below.size() > 1) out += "/(" + join(below) + ")";
  return out;
}

// A form from (index into named_units(), power) pairs, listed in ascending index.
Form make_form(const std::vector<std::pair<int, Rational>>& parts) {
  Form form;
  for (const auto& [index, power] : parts) {
    const NamedUnit& unit = named_units()[index];
    form.factors.push_back({unit.symbol, power});
    if (unit.has_named_inverse && power < Rational(0)) ++form.inverted;
    form.ranks.push_back(index);
    form.tier = std::max(form.tier, unit.tier);
    form.total_power += power.abs();
  }
  return form;
}

void consider(std::optional<Form>& best, Form candidate) {
  if (!best || candidate.better_than(*best)) best = std::move(candidate);
}

// The best product of one or two named units to readable powers, if any.
std::optional<Form> best_product(const Dimension& d) {
  std::optional<Form> best;
  const auto& units = named_units();
  const int n = static_cast<int>(units.size());
  for (int i = 0; i < n; ++i) {
    std::optional<Rational> p = power_of(d, units[i].dim);
    if (p && readable_power(*p)) consider(best, make_form({{i, *p}}));
    for (int j = i + 1; j < n; ++j) {
      for (const Rational& a : readable_powers()) {
        std::optional<Rational> b = power_of(d / units[i].dim.pow(a), units[j].dim);
        if (b && readable_power(*b)) consider(best, make_form({{i, a}, {j, *b}}));
      }
    }
  }
  return best;
}

}  // namespace

std::string format_dimension(const Dimension& d) {
  if (d.is_dimensionless()) return "1";
  for (const NamedUnit& unit : named_units())
    if (unit.dim == d) return unit.symbol;
  if (std::optional<Form> product = best_product(d)) return render(product->factors);

  std::vector<Factor> base;
  for (std::size_t i = 0; i < base_dim_count; ++i) base.push_back({base_symbols[i], d.exponents[i]});
  return render(base);
}

}  // namespace axon::units
