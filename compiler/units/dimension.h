// Physical dimensions as exponents of the seven SI base units, checked at compile time.
// Also how a dimension is printed in diagnostics ("S/V", "voltage (V)").
#pragma once

#include <array>
#include <cstddef>
#include <iosfwd>
#include <string>

#include "compiler/units/rational.h"

namespace axon::units {

/// The SI base units, in the order of Dimension::exponents.
enum class BaseDim { Metre, Kilogram, Second, Ampere, Kelvin, Mole, Candela };

inline constexpr std::size_t base_dim_count = 7;

/// A dimension is a product of base units raised to rational powers; rational because
/// white noise xi has dimension s^-1/2 and sqrt() must stay exact.
struct Dimension {
  std::array<Rational, base_dim_count> exponents{};

  /// The dimension of a pure number.
  static Dimension none();
  /// A single base unit raised to `power`: of(BaseDim::Second, -1) is 1/s.
  static Dimension of(BaseDim b, Rational power = 1);

  Rational exponent(BaseDim b) const { return exponents[static_cast<std::size_t>(b)]; }

  Dimension operator*(const Dimension& o) const;
  Dimension operator/(const Dimension& o) const;
  /// Raises every exponent by `p`; sqrt is pow(Rational(1, 2)).
  Dimension pow(Rational p) const;

  bool operator==(const Dimension& o) const { return exponents == o.exponents; }
  bool operator!=(const Dimension& o) const { return !(*this == o); }
  bool is_dimensionless() const;
};

/// The derived dimensions the compiler and its messages talk about.
namespace dims {
Dimension length();        // m
Dimension mass();          // kg
Dimension time();          // s
Dimension current();       // A
Dimension temperature();   // K
Dimension amount();        // mol
Dimension luminosity();    // cd
Dimension rate();          // 1/s
Dimension voltage();       // V = kg m^2 s^-3 A^-1
Dimension conductance();   // S = 1/ohm
Dimension resistance();    // ohm
Dimension capacitance();   // F = C/V
Dimension charge();        // C = A s
Dimension power();         // W
Dimension energy();        // J
Dimension force();         // N
Dimension inductance();    // H
Dimension flux_density();  // T
Dimension flux();          // Wb = V s
Dimension pressure();      // Pa
}  // namespace dims

/// The dimension as a neuroscientist writes it: "1", "V", "S/V", "1/s", "V*s",
/// "V/s^(1/2)". Named SI units are preferred, then the simplest product of one or two
/// of them, then base units ("m^2*kg/(s^3*A)").
std::string format_dimension(const Dimension& d);

/// A name with its unit for messages: "voltage (V)", "rate (1/s)", "dimensionless (1)";
/// just format_dimension(d) for dimensions without a common name ("V/s").
std::string describe_dimension(const Dimension& d);

/// Prints format_dimension(d), so that test failures show readable dimensions.
std::ostream& operator<<(std::ostream& os, const Dimension& d);

}  // namespace axon::units
