// Units as written in axon source (mV, nS/mV, mV/sqrt(ms)) and quantity literals (-65 mV).
// A unit is a dimension plus the factor that converts a value in it to SI.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/units/dimension.h"
#include "compiler/units/rational.h"

namespace axon::units {

/// A value v in this unit is v * scale in SI units of dimension `dim`: mV is
/// {1e-3, voltage}, kHz is {1e3, 1/s}.
struct Unit {
  double scale = 1.0;
  Dimension dim;

  Unit operator*(const Unit& o) const { return {scale * o.scale, dim * o.dim}; }
  Unit operator/(const Unit& o) const { return {scale / o.scale, dim / o.dim}; }
  Unit pow(Rational p) const;
};

/// One unit symbol with an optional SI prefix: "mV", "Mohm", "µs", "kg", "1".
/// Symbols: m g s A K mol cd V S F ohm (Ohm, Ω) Hz N J W C H T Wb Pa, min (60 s), L (l)
/// and M (mol/L, for "mM" concentrations). Prefixes Y..y, with u, µ and μ for micro.
/// Unprefixed symbols are matched first, so "m" is metre, "mol" mole, "cd" candela, "Pa"
/// pascal, "min" minute and "T" tesla, while "ms" is a millisecond and "TV" a teravolt.
/// There is no hour: "h" is the hecto prefix. Returns nullopt for anything else.
std::optional<Unit> lookup_unit_symbol(std::string_view symbol);

struct UnitParseResult {
  std::optional<Unit> unit;      // set on success
  std::string error;             // e.g. "unknown unit 'xyz'"; empty on success
  std::size_t error_offset = 0;  // byte offset into the parsed text
};

/// Parses a unit expression:
///   expr     := term (('*' | '/' | '·' | '⋅') term)*  left to right: a/b*c is (a/b)*c
///   term     := atom (('^' | '**') exponent)?
///   atom     := SYMBOL | '1' | 'sqrt' '(' expr ')' | '(' expr ')'
///   exponent := ['-'|'+'] (INTEGER | DECIMAL) | '(' ['-'|'+'] NUMBER ['/' INTEGER] ')'
/// Whitespace may separate tokens. A fractional exponent needs parentheses: "s^(-1/2)";
/// "s^-1/2" is rejected rather than read as (s^-1)/2.
UnitParseResult parse_unit(std::string_view text);

struct QuantityParseResult {
  std::optional<double> value_si;  // the value in SI units; set on success
  Dimension dim;
  std::string error;             // empty on success
  std::size_t error_offset = 0;  // byte offset into the parsed text
};

/// Parses a literal: a number followed by an optional unit, with or without space:
/// "10 ms" -> 0.01 s, "-65 mV", "0.5" (dimensionless), "1e-3 s", "2.5 nS/mV".
QuantityParseResult parse_quantity(std::string_view text);

/// The unit for messages: format_dimension's form when the scale is 1 ("V/s"); a prefixed
/// symbol when the scale is an SI prefix of one named unit ("mV", "Mohm", or "1/ms" for a
/// rate); else the scale and the SI form ("1e-06 S/V").
std::string format_unit(const Unit& u);

std::ostream& operator<<(std::ostream& os, const Unit& u);

}  // namespace axon::units
