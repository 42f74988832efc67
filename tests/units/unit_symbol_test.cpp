// Single unit symbols: SI prefixes scale them, and the symbols that look like a prefix
// plus a unit (m, mol, cd, Pa, min, T) resolve the way a neuroscientist means them.

#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "compiler/units/unit.h"

using namespace axon::units;

namespace {

// Scales are products of two doubles (prefix and unit), so compare with a relative
// tolerance a few ulps wide rather than exactly.
void check_symbol(const char* symbol, double scale, const Dimension& dim) {
  INFO("symbol: " << symbol);
  std::optional<Unit> unit = lookup_unit_symbol(symbol);
  REQUIRE(unit.has_value());
  CHECK(unit->scale == Approx(scale).epsilon(1e-12));
  CHECK(unit->dim == dim);
}

}  // namespace

TEST_CASE("unprefixed symbols have SI scale", "[unit][symbol]") {
  check_symbol("m", 1, dims::length());
  check_symbol("g", 1e-3, dims::mass());
  check_symbol("kg", 1, dims::mass());
  check_symbol("s", 1, dims::time());
  check_symbol("A", 1, dims::current());
  check_symbol("K", 1, dims::temperature());
  check_symbol("mol", 1, dims::amount());
  check_symbol("cd", 1, dims::luminosity());
  check_symbol("V", 1, dims::voltage());
  check_symbol("S", 1, dims::conductance());
  check_symbol("F", 1, dims::capacitance());
  check_symbol("ohm", 1, dims::resistance());
  check_symbol("Ohm", 1, dims::resistance());
  check_symbol("\u03A9", 1, dims::resistance());
  check_symbol("Hz", 1, dims::rate());
  check_symbol("N", 1, dims::force());
  check_symbol("J", 1, dims::energy());
  check_symbol("W", 1, dims::power());
  check_symbol("C", 1, dims::charge());
  check_symbol("H", 1, dims::inductance());
  check_symbol("T", 1, dims::flux_density());
  check_symbol("Wb", 1, dims::flux());
  check_symbol("Pa", 1, dims::pressure());
  check_symbol("min", 60, dims::time());
  check_symbol("1", 1, Dimension::none());
}

TEST_CASE("SI prefixes scale a unit", "[unit][symbol]") {
  check_symbol("mV", 1e-3, dims::voltage());
  check_symbol("Mohm", 1e6, dims::resistance());
  check_symbol("kohm", 1e3, dims::resistance());
  check_symbol("M\u03A9", 1e6, dims::resistance());
  check_symbol("pF", 1e-12, dims::capacitance());
  check_symbol("nA", 1e-9, dims::current());
  check_symbol("pA", 1e-12, dims::current());
  check_symbol("nS", 1e-9, dims::conductance());
  check_symbol("uS", 1e-6, dims::conductance());
  check_symbol("kHz", 1e3, dims::rate());
  check_symbol("ms", 1e-3, dims::time());
  check_symbol("\u00B5s", 1e-6, dims::time());  // micro sign
  check_symbol("\u03BCs", 1e-6, dims::time());  // Greek small mu
  check_symbol("us", 1e-6, dims::time());
  check_symbol("mg", 1e-6, dims::mass());
  check_symbol("cm", 1e-2, dims::length());
  check_symbol("dam", 1e1, dims::length());
  check_symbol("hPa", 1e2, dims::pressure());
  check_symbol("GV", 1e9, dims::voltage());
  check_symbol("fF", 1e-15, dims::capacitance());
  check_symbol("mmol", 1e-3, dims::amount());
  check_symbol("mM", 1.0, dims::amount() / dims::length().pow(3));
  check_symbol("YV", 1e24, dims::voltage());
  check_symbol("yV", 1e-24, dims::voltage());
}

TEST_CASE("ambiguous symbols resolve to the unprefixed unit first", "[unit][symbol]") {
  check_symbol("m", 1, dims::length());        // metre, not a bare milli
  check_symbol("mm", 1e-3, dims::length());    // millimetre
  check_symbol("mol", 1, dims::amount());      // mole, not milli-"ol"
  check_symbol("cd", 1, dims::luminosity());   // candela, not centi-"d"
  check_symbol("Pa", 1, dims::pressure());     // pascal, not peta-"a"
  check_symbol("min", 60, dims::time());       // minute, not milli-"in"
  check_symbol("T", 1, dims::flux_density());  // tesla alone
  check_symbol("TV", 1e12, dims::voltage());   // tera before another unit
  check_symbol("Ms", 1e6, dims::time());       // megasecond, not a unit "Ms"
}

TEST_CASE("unknown symbols and forbidden prefixes are rejected", "[unit][symbol]") {
  CHECK_FALSE(lookup_unit_symbol("xyz").has_value());
  CHECK_FALSE(lookup_unit_symbol("").has_value());
  // No hours: "h" is the hecto prefix, and a bare prefix is not a unit.
  CHECK_FALSE(lookup_unit_symbol("h").has_value());
  CHECK_FALSE(lookup_unit_symbol("k").has_value());
  CHECK_FALSE(lookup_unit_symbol("da").has_value());
  // Minutes and the pure number take no prefix.
  CHECK_FALSE(lookup_unit_symbol("kmin").has_value());
  CHECK_FALSE(lookup_unit_symbol("m1").has_value());
  // One prefix only.
  CHECK_FALSE(lookup_unit_symbol("mmV").has_value());
  CHECK_FALSE(lookup_unit_symbol("kkg").has_value());
  // Case matters: "mv" is not a millivolt.
  CHECK_FALSE(lookup_unit_symbol("mv").has_value());
}
