// Compound unit expressions and quantity literals: scales, dimensions, and errors that
// say what is wrong and where.

#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "compiler/units/unit.h"

using namespace axon::units;

namespace {

// Scales multiply several doubles (prefix per factor, sqrt), so they are compared with
// a relative tolerance far below any prefix step but above rounding.
void check_unit(const char* text, double scale, const Dimension& dim) {
  INFO("unit: " << text);
  UnitParseResult parsed = parse_unit(text);
  INFO("error: " << parsed.error);
  REQUIRE(parsed.unit.has_value());
  CHECK(parsed.error.empty());
  CHECK(parsed.unit->scale == Approx(scale).epsilon(1e-12));
  CHECK(parsed.unit->dim == dim);
}

void check_unit_error(const char* text, const std::string& message, std::size_t offset) {
  INFO("unit: " << text);
  UnitParseResult parsed = parse_unit(text);
  CHECK_FALSE(parsed.unit.has_value());
  CHECK(parsed.error == message);
  CHECK(parsed.error_offset == offset);
}

void check_quantity(const char* text, double value_si, const Dimension& dim) {
  INFO("quantity: " << text);
  QuantityParseResult parsed = parse_quantity(text);
  INFO("error: " << parsed.error);
  REQUIRE(parsed.value_si.has_value());
  CHECK(parsed.error.empty());
  CHECK(*parsed.value_si == Approx(value_si).epsilon(1e-12).margin(0));
  CHECK(parsed.dim == dim);
}

void check_quantity_error(const char* text, const std::string& message, std::size_t offset) {
  INFO("quantity: " << text);
  QuantityParseResult parsed = parse_quantity(text);
  CHECK_FALSE(parsed.value_si.has_value());
  CHECK(parsed.error == message);
  CHECK(parsed.error_offset == offset);
}

}  // namespace

TEST_CASE("compound units combine scales and dimensions", "[unit][parse]") {
  const Dimension v = dims::voltage();
  const Dimension s = dims::time();
  check_unit("nS/mV", 1e-6, dims::conductance() / v);
  check_unit("1/ms", 1e3, dims::rate());
  check_unit("mV/sqrt(ms)", 1e-3 / std::sqrt(1e-3), v / s.pow(Rational(1, 2)));
  check_unit("mV^2", 1e-6, v.pow(2));
  check_unit("m/s^2", 1, dims::length() / s.pow(2));
  check_unit("(mV*ms)/nA", 1e-3 * 1e-3 / 1e-9, v * s / dims::current());
  check_unit("Mohm", 1e6, dims::resistance());
  check_unit("kohm", 1e3, dims::resistance());
  check_unit("uS/cm^2", 1e-6 / 1e-4, dims::conductance() / dims::length().pow(2));
  check_unit("s^(-1/2)", 1, s.pow(Rational(-1, 2)));
  check_unit("Hz", 1, dims::rate());
  check_unit("1", 1, Dimension::none());
  check_unit("ms/ms", 1, Dimension::none());
}

TEST_CASE("unit grammar: operators, exponents, spacing", "[unit][parse]") {
  const Dimension v = dims::voltage();
  const Dimension s = dims::time();
  // Division and multiplication are left-associative: a/b*c is (a/b)*c.
  check_unit("m/s/s", 1, dims::length() / s.pow(2));
  check_unit("mV/ms*ms", 1e-3, v);
  check_unit("mV/(ms*ms)", 1e3, v / s.pow(2));
  // Whitespace between tokens, and the middle dot as a product.
  check_unit("  nS / mV ", 1e-6, dims::conductance() / v);
  check_unit("mV \u00B7 ms", 1e-6, v * s);
  check_unit("mV\u00B7ms", 1e-6, v * s);
  check_unit("M\u03A9*pF", 1e-6, s);
  // Exponent forms: signed integers, decimals, parenthesised fractions, Python's **.
  check_unit("s^-1", 1, dims::rate());
  check_unit("s^+2", 1, s.pow(2));
  check_unit("s ^ 2", 1, s.pow(2));
  check_unit("ms^0.5", std::sqrt(1e-3), s.pow(Rational(1, 2)));
  check_unit("ms^(1/2)", std::sqrt(1e-3), s.pow(Rational(1, 2)));
  check_unit("ms^( -3 / 2 )", std::pow(1e-3, -1.5), s.pow(Rational(-3, 2)));
  check_unit("ms^(-1.5)", std::pow(1e-3, -1.5), s.pow(Rational(-3, 2)));
  check_unit("ms**2", 1e-6, s.pow(2));
  check_unit("(mV/ms)^2", 1, v.pow(2) / s.pow(2));
  check_unit("sqrt(mV^2)", 1e-3, v);
  check_unit("sqrt( ms )", std::sqrt(1e-3), s.pow(Rational(1, 2)));
  // White noise xi has s^-1/2; multiplied by sqrt(s) it is a pure number.
  check_unit("s^(-1/2)*sqrt(s)", 1, Dimension::none());
  // A division by the pure number 1 is legal after an exponent.
  check_unit("s^2/1", 1, s.pow(2));
}

TEST_CASE("unit parse errors say what and where", "[unit][parse][error]") {
  check_unit_error("xyz", "unknown unit 'xyz'", 0);
  check_unit_error("nS/xyz", "unknown unit 'xyz'", 3);
  check_unit_error("mv", "unknown unit 'mv'", 0);
  check_unit_error("", "empty unit", 0);
  check_unit_error("   ", "empty unit", 3);
  check_unit_error("mV/", "expected a unit", 3);
  check_unit_error("mV*(ms", "expected ')' to match the '(' at offset 3", 6);
  check_unit_error("sqrt ms", "expected '(' after sqrt", 5);
  check_unit_error("sqrt(ms", "expected ')' to match the '(' at offset 4", 7);
  check_unit_error("mV ms", "missing '*' or '/' between units", 3);
  check_unit_error("mV)", "unexpected ')' in unit", 2);
  check_unit_error("m%", "unexpected '%' in unit", 1);
  check_unit_error("mV/*ms", "expected a unit, found '*'", 3);
  check_unit_error("2/s", "'2' is not a unit; only 1 may stand for a pure number", 0);
  check_unit_error("m^", "expected an exponent after '^'", 2);
  check_unit_error("m**", "expected an exponent after '**'", 3);
  check_unit_error("m^x", "expected an exponent after '^'", 2);
  check_unit_error("m^2^3", "a unit takes one exponent; use parentheses, as in (m^2)^3", 3);
  check_unit_error("s^(1/0)", "exponent denominator must not be zero", 5);
  check_unit_error("s^(1/2.5)", "exponent denominator must be an integer", 5);
  check_unit_error("s^(1/2", "expected ')' to close the exponent", 6);
  check_unit_error("s^10000", "exponent too large or too precise", 2);
  // s^-1/2 could mean s^(-1/2) or (s^-1)/2; the grammar asks for parentheses.
  check_unit_error("s^-1/2", "a fractional exponent needs parentheses: write '^(-1/2)'", 2);
  check_unit_error("mV/s^1/2", "a fractional exponent needs parentheses: write '^(1/2)'", 5);
  // 1e24000 does not fit in a double.
  check_unit_error("Ym^1000", "unit scale out of range", 0);
}

TEST_CASE("quantities parse to SI values", "[unit][quantity]") {
  check_quantity("10 ms", 0.01, dims::time());
  check_quantity("-65 mV", -0.065, dims::voltage());
  check_quantity("0.5", 0.5, Dimension::none());
  check_quantity("1e-3 s", 1e-3, dims::time());
  check_quantity("2.5 nS/mV", 2.5e-6, dims::conductance() / dims::voltage());
  check_quantity("200 pF", 200e-12, dims::capacitance());
  check_quantity("500 pA", 500e-12, dims::current());
  check_quantity("10 Mohm", 10e6, dims::resistance());
  check_quantity("20 Hz", 20, dims::rate());
  check_quantity("+3mV", 3e-3, dims::voltage());
  check_quantity("1e3s", 1e3, dims::time());
  check_quantity("1.5E2 ms", 0.15, dims::time());
  check_quantity("  .5 ms ", 5e-4, dims::time());
  check_quantity("5.", 5, Dimension::none());
  check_quantity("10 1/ms", 1e4, dims::rate());
  check_quantity("-0", 0, Dimension::none());
  check_quantity("3 mV/sqrt(ms)", 3e-3 / std::sqrt(1e-3), dims::voltage() / dims::time().pow(Rational(1, 2)));
}

TEST_CASE("quantity errors carry offsets into the literal", "[unit][quantity][error]") {
  check_quantity_error("", "expected a number", 0);
  check_quantity_error("mV", "expected a number", 0);
  check_quantity_error("- 5 mV", "expected a number", 1);
  check_quantity_error("1e400 s", "number out of range", 0);
  check_quantity_error("3 xyz", "unknown unit 'xyz'", 2);
  check_quantity_error("-65 mV/", "expected a unit", 7);
  // "2e" has no exponent digits, so "eV" is read as a unit, which axon does not have.
  check_quantity_error("2eV", "unknown unit 'eV'", 1);
  check_quantity_error("1e300 Ym", "value out of range in SI units", 0);
}

TEST_CASE("format_unit names prefixed units", "[unit][format]") {
  CHECK(format_unit(*parse_unit("mV").unit) == "mV");
  CHECK(format_unit(*parse_unit("Mohm").unit) == "Mohm");
  CHECK(format_unit(*parse_unit("us").unit) == "us");
  CHECK(format_unit(*parse_unit("V").unit) == "V");
  CHECK(format_unit(*parse_unit("g").unit) == "g");
  CHECK(format_unit(*parse_unit("mg").unit) == "mg");
  CHECK(format_unit(*parse_unit("kHz").unit) == "1/ms");
  CHECK(format_unit(*parse_unit("nS/mV").unit) == "1e-06 S/V");
  CHECK(format_unit(*parse_unit("min").unit) == "60 s");
  CHECK(format_unit(Unit{}) == "1");
}
