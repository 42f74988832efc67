// Dimension algebra over rational exponents, and the readable forms diagnostics print.

#include <catch2/catch.hpp>

#include "compiler/units/dimension.h"
#include "compiler/units/unit.h"

using namespace axon::units;

namespace {

Dimension dim_of(const char* unit_text) {
  UnitParseResult parsed = parse_unit(unit_text);
  INFO("unit: " << unit_text << " error: " << parsed.error);
  REQUIRE(parsed.unit.has_value());
  return parsed.unit->dim;
}

Dimension base(BaseDim b, Rational p = 1) { return Dimension::of(b, p); }

}  // namespace

TEST_CASE("dimensions multiply, divide and take rational powers", "[dimension]") {
  const Dimension m = base(BaseDim::Metre);
  const Dimension kg = base(BaseDim::Kilogram);
  const Dimension s = base(BaseDim::Second);
  const Dimension a = base(BaseDim::Ampere);

  CHECK(Dimension::none().is_dimensionless());
  CHECK_FALSE(s.is_dimensionless());
  CHECK(s.exponent(BaseDim::Second) == Rational(1));
  CHECK(s.exponent(BaseDim::Metre).is_zero());
  CHECK(base(BaseDim::Second, -1).exponent(BaseDim::Second) == Rational(-1));

  // V = kg m^2 s^-3 A^-1
  const Dimension volt = kg * m.pow(2) / s.pow(3) / a;
  CHECK(volt == dims::voltage());
  CHECK(volt.exponent(BaseDim::Kilogram) == Rational(1));
  CHECK(volt.exponent(BaseDim::Metre) == Rational(2));
  CHECK(volt.exponent(BaseDim::Second) == Rational(-3));
  CHECK(volt.exponent(BaseDim::Ampere) == Rational(-1));

  CHECK(dims::conductance() * dims::voltage() == dims::current());
  CHECK(dims::capacitance() / dims::conductance() == dims::time());
  CHECK(dims::resistance() * dims::capacitance() == dims::time());
  CHECK(dims::conductance() == dims::resistance().pow(-1));
  CHECK(dims::charge() == dims::current() * dims::time());
  CHECK(dims::current() / dims::capacitance() == dims::voltage() / dims::time());
  CHECK(dims::voltage() != dims::current());

  // sqrt(s)^2 = s, and s^-1/2 white noise times sqrt(s) is a pure number.
  const Dimension sqrt_s = s.pow(Rational(1, 2));
  CHECK(sqrt_s.exponent(BaseDim::Second) == Rational(1, 2));
  CHECK(sqrt_s * sqrt_s == s);
  CHECK(sqrt_s.pow(2) == s);
  const Dimension xi = base(BaseDim::Second, Rational(-1, 2));
  CHECK((xi * sqrt_s).is_dimensionless());
  CHECK_FALSE((xi * s).is_dimensionless());
  CHECK(xi.pow(-2) == s);
  CHECK(xi == dims::rate().pow(Rational(1, 2)));
  CHECK(s / s == Dimension::none());
}

TEST_CASE("format_dimension prefers named SI units", "[dimension][format]") {
  CHECK(format_dimension(Dimension::none()) == "1");
  CHECK(format_dimension(dims::voltage()) == "V");
  CHECK(format_dimension(dims::current()) == "A");
  CHECK(format_dimension(dims::conductance()) == "S");
  CHECK(format_dimension(dims::capacitance()) == "F");
  CHECK(format_dimension(dims::resistance()) == "ohm");
  CHECK(format_dimension(dims::time()) == "s");
  CHECK(format_dimension(dims::charge()) == "C");
  CHECK(format_dimension(dims::power()) == "W");
  CHECK(format_dimension(dims::energy()) == "J");
  CHECK(format_dimension(dims::force()) == "N");
  CHECK(format_dimension(dims::inductance()) == "H");
  CHECK(format_dimension(dims::flux_density()) == "T");
  CHECK(format_dimension(dims::pressure()) == "Pa");
  CHECK(format_dimension(dims::length()) == "m");
  CHECK(format_dimension(dims::mass()) == "kg");
  CHECK(format_dimension(dims::temperature()) == "K");
  CHECK(format_dimension(dims::amount()) == "mol");
  CHECK(format_dimension(dims::luminosity()) == "cd");
  // Products that reduce to a named unit print as that unit.
  CHECK(format_dimension(dims::resistance() * dims::capacitance()) == "s");
  CHECK(format_dimension(dims::conductance() * dims::voltage()) == "A");
}

TEST_CASE("format_dimension writes other dimensions as short products", "[dimension][format]") {
  // Rates are 1/s, not Hz, to read like the time constants beside them.
  CHECK(format_dimension(dims::rate()) == "1/s");
  CHECK(format_dimension(dim_of("Hz")) == "1/s");
  CHECK(format_dimension(dim_of("nS/mV")) == "S/V");
  CHECK(format_dimension(dim_of("mV/ms")) == "V/s");
  CHECK(format_dimension(dim_of("A/F")) == "V/s");
  CHECK(format_dimension(dim_of("mV*ms")) == "V*s");
  CHECK(format_dimension(dims::flux()) == "V*s");
  CHECK(format_dimension(dim_of("s^(-1/2)")) == "1/s^(1/2)");
  CHECK(format_dimension(dim_of("mV/sqrt(ms)")) == "V/s^(1/2)");
  CHECK(format_dimension(dim_of("sqrt(s)")) == "s^(1/2)");
  CHECK(format_dimension(dim_of("mV^2")) == "V^2");
  CHECK(format_dimension(dim_of("mV^2/ms")) == "V^2/s");
  CHECK(format_dimension(dim_of("m/s^2")) == "m/s^2");
  CHECK(format_dimension(dim_of("N/kg")) == "m/s^2");
  CHECK(format_dimension(dim_of("pA/ms")) == "A/s");
  CHECK(format_dimension(dim_of("nS/ms")) == "S/s");
  CHECK(format_dimension(dim_of("1/(mV*ms)")) == "1/(V*s)");
  CHECK(format_dimension(dim_of("uS/cm^2")) == "S/m^2");
  CHECK(format_dimension(dim_of("uF/cm^2")) == "F/m^2");
  CHECK(format_dimension(dim_of("mM")) == "mol/m^3");
  // Resistivities keep ohm above the line rather than S below it.
  CHECK(format_dimension(dim_of("ohm*cm")) == "ohm*m");
  CHECK(format_dimension(dim_of("1/(S*m)")) == "ohm/m");
  CHECK(format_dimension(dim_of("1/ohm^2")) == "S^2");
}

TEST_CASE("format_dimension falls back to base units", "[dimension][format]") {
  // Three named factors are beyond the search; base units still say what it is.
  CHECK(format_dimension(dim_of("J/(mol*K)")) == "m^2*kg/(s^2*K*mol)");
  // A third-root exponent is not a readable power of any named unit.
  CHECK(format_dimension(dim_of("s^(1/3)")) == "s^(1/3)");
  CHECK(format_dimension(dim_of("V^(1/3)")) == "m^(2/3)*kg^(1/3)/(s*A^(1/3))");
}

TEST_CASE("describe_dimension names common quantities", "[dimension][describe]") {
  CHECK(describe_dimension(dims::voltage()) == "voltage (V)");
  CHECK(describe_dimension(dims::current()) == "current (A)");
  CHECK(describe_dimension(dims::conductance()) == "conductance (S)");
  CHECK(describe_dimension(dims::capacitance()) == "capacitance (F)");
  CHECK(describe_dimension(dims::resistance()) == "resistance (ohm)");
  CHECK(describe_dimension(dims::time()) == "time (s)");
  CHECK(describe_dimension(dims::rate()) == "rate (1/s)");
  CHECK(describe_dimension(dims::charge()) == "charge (C)");
  CHECK(describe_dimension(dims::length()) == "length (m)");
  CHECK(describe_dimension(dims::mass()) == "mass (kg)");
  CHECK(describe_dimension(Dimension::none()) == "dimensionless (1)");
  CHECK(describe_dimension(dim_of("uS/cm^2")) == "conductance density (S/m^2)");
  // Without a common name the readable form is all there is.
  CHECK(describe_dimension(dim_of("V/s")) == "V/s");
  CHECK(describe_dimension(dim_of("nS/mV")) == "S/V");
}
