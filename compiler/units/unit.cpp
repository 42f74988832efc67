#include "compiler/units/unit.h"

#include <cmath>
#include <ostream>
#include <sstream>
#include <vector>

namespace axon::units {

namespace {

struct SymbolEntry {
  std::string_view symbol;
  double scale;
  Dimension dim;
  // Units whose prefixed forms nobody writes, or which would collide with prefixes
  // ("kmin", "m1"), take no prefix.
  bool prefixable;
};

const std::vector<SymbolEntry>& symbol_table() {
  static const std::vector<SymbolEntry> table = {
      {"1", 1.0, Dimension::none(), false},
      {"m", 1.0, dims::length(), true},
      // The kilogram is the SI base unit, but the prefixes attach to the gram.
      {"g", 1e-3, dims::mass(), true},
      {"s", 1.0, dims::time(), true},
      {"A", 1.0, dims::current(), true},
      {"K", 1.0, dims::temperature(), true},
      {"mol", 1.0, dims::amount(), true},
      {"cd", 1.0, dims::luminosity(), true},
      {"V", 1.0, dims::voltage(), true},
      {"S", 1.0, dims::conductance(), true},
      {"F", 1.0, dims::capacitance(), true},
      {"ohm", 1.0, dims::resistance(), true},
      {"Ohm", 1.0, dims::resistance(), true},
      {"\u03A9", 1.0, dims::resistance(), true},  // Greek capital omega
      {"\u2126", 1.0, dims::resistance(), true},  // ohm sign
      {"Hz", 1.0, dims::rate(), true},
      {"N", 1.0, dims::force(), true},
      {"J", 1.0, dims::energy(), true},
      {"W", 1.0, dims::power(), true},
      {"C", 1.0, dims::charge(), true},
      {"H", 1.0, dims::inductance(), true},
      {"T", 1.0, dims::flux_density(), true},
      {"Wb", 1.0, dims::flux(), true},
      {"Pa", 1.0, dims::pressure(), true},
      {"min", 60.0, dims::time(), false},
      // Litre and molar, for ion concentrations ("2 mM" of calcium).
      {"L", 1e-3, dims::length().pow(3), true},
      {"l", 1e-3, dims::length().pow(3), true},
      {"M", 1e3, dims::amount() / dims::length().pow(3), true},
  };
  return table;
}

struct Prefix {
  std::string_view text;
  double scale;
};

// "da" comes before "d" so that "daN" is a decanewton; no other prefix is a prefix of
// another, so the order does not matter otherwise.
const std::vector<Prefix>& prefixes() {
  static const std::vector<Prefix> table = {
      {"Y", 1e24},  {"Z", 1e21},  {"E", 1e18},      {"P", 1e15},      {"T", 1e12}, {"G", 1e9},
      {"M", 1e6},   {"k", 1e3},   {"h", 1e2},       {"da", 1e1},      {"d", 1e-1}, {"c", 1e-2},
      {"m", 1e-3},  {"u", 1e-6},  {"\u00B5", 1e-6}, {"\u03BC", 1e-6}, {"n", 1e-9}, {"p", 1e-12},
      {"f", 1e-15}, {"a", 1e-18}, {"z", 1e-21},     {"y", 1e-24},
  };
  return table;
}

const SymbolEntry* find_symbol(std::string_view symbol) {
  for (const SymbolEntry& entry : symbol_table())
    if (entry.symbol == symbol) return &entry;
  return nullptr;
}

// The prefix whose scale is `ratio`, compared with a relative tolerance because the
// ratio comes out of floating-point division.
const Prefix* prefix_for_ratio(double ratio) {
  for (const Prefix& prefix : prefixes())
    if (std::fabs(ratio - prefix.scale) <= 1e-9 * prefix.scale) return &prefix;
  return nullptr;
}

bool is_plain_symbol(const std::string& text) {
  return text != "1" && text.find_first_of("*/^()") == std::string::npos;
}

std::string format_number(double v) {
  std::ostringstream out;
  out.precision(6);
  out << v;
  return out.str();
}

}  // namespace

Unit Unit::pow(Rational p) const { return {std::pow(scale, p.to_double()), dim.pow(p)}; }

std::optional<Unit> lookup_unit_symbol(std::string_view symbol) {
  if (const SymbolEntry* exact = find_symbol(symbol)) return Unit{exact->scale, exact->dim};
  for (const Prefix& prefix : prefixes()) {
    if (symbol.size() <= prefix.text.size() || symbol.substr(0, prefix.text.size()) != prefix.text) continue;
    const SymbolEntry* entry = find_symbol(symbol.substr(prefix.text.size()));
    if (entry && entry->prefixable) return Unit{prefix.scale * entry->scale, entry->dim};
  }
  return std::nullopt;
}

std::string format_unit(const Unit& u) {
  std::string dim = format_dimension(u.dim);
  if (u.scale == 1.0) return dim;
  // Mass is named by the gram so that 1e-3 kg prints as "g", not "mkg".
  std::string symbol = dim == "kg" ? "g" : dim;
  double base_scale = dim == "kg" ? 1e-3 : 1.0;
  if (symbol == "g" && u.scale == base_scale) return symbol;
  if (is_plain_symbol(symbol)) {
    if (const Prefix* prefix = prefix_for_ratio(u.scale / base_scale)) return std::string(prefix->text) + symbol;
  }
  // Rates: 1e3 per second is "1/ms", the way time constants are written.
  if (dim.rfind("1/", 0) == 0 && is_plain_symbol(dim.substr(2))) {
    if (const Prefix* prefix = prefix_for_ratio(1.0 / u.scale)) return "1/" + std::string(prefix->text) + dim.substr(2);
  }
  return format_number(u.scale) + " " + dim;
}

std::ostream& operator<<(std::ostream& os, const Unit& u) { return os << format_unit(u); }

}  // namespace axon::units
