#include "compiler/units/dimension.h"

#include <array>
#include <ostream>

namespace axon::units {

Dimension Dimension::none() { return Dimension{}; }

Dimension Dimension::of(BaseDim b, Rational power) {
  Dimension d;
  d.exponents[static_cast<std::size_t>(b)] = power;
  return d;
}

Dimension Dimension::operator*(const Dimension& o) const {
  Dimension r;
  for (std::size_t i = 0; i < base_dim_count; ++i) r.exponents[i] = exponents[i] + o.exponents[i];
  return r;
}

Dimension Dimension::operator/(const Dimension& o) const {
  Dimension r;
  for (std::size_t i = 0; i < base_dim_count; ++i) r.exponents[i] = exponents[i] - o.exponents[i];
  return r;
}

Dimension Dimension::pow(Rational p) const {
  Dimension r;
  for (std::size_t i = 0; i < base_dim_count; ++i) r.exponents[i] = exponents[i] * p;
  return r;
}

bool Dimension::is_dimensionless() const {
  for (const Rational& e : exponents)
    if (!e.is_zero()) return false;
  return true;
}

namespace dims {

namespace {
// Every derived unit below needs only the metre, kilogram, second and ampere.
Dimension mksa(int m, int kg, int s, int a) {
  return Dimension::of(BaseDim::Metre, m) * Dimension::of(BaseDim::Kilogram, kg) * Dimension::of(BaseDim::Second, s) *
         Dimension::of(BaseDim::Ampere, a);
}
}  // namespace

Dimension length() { return Dimension::of(BaseDim::Metre); }
Dimension mass() { return Dimension::of(BaseDim::Kilogram); }
Dimension time() { return Dimension::of(BaseDim::Second); }
Dimension current() { return Dimension::of(BaseDim::Ampere); }
Dimension temperature() { return Dimension::of(BaseDim::Kelvin); }
Dimension amount() { return Dimension::of(BaseDim::Mole); }
Dimension luminosity() { return Dimension::of(BaseDim::Candela); }
Dimension rate() { return Dimension::of(BaseDim::Second, -1); }
Dimension voltage() { return mksa(2, 1, -3, -1); }
Dimension conductance() { return mksa(-2, -1, 3, 2); }
Dimension resistance() { return mksa(2, 1, -3, -2); }
Dimension capacitance() { return mksa(-2, -1, 4, 2); }
Dimension charge() { return mksa(0, 0, 1, 1); }
Dimension power() { return mksa(2, 1, -3, 0); }
Dimension energy() { return mksa(2, 1, -2, 0); }
Dimension force() { return mksa(1, 1, -2, 0); }
Dimension inductance() { return mksa(2, 1, -2, -2); }
Dimension flux_density() { return mksa(0, 1, -2, -1); }
Dimension flux() { return mksa(2, 1, -2, -1); }
Dimension pressure() { return mksa(-1, 1, -2, 0); }

}  // namespace dims

namespace {

struct NamedDimension {
  const char* name;
  Dimension dim;
};

// The quantities a model of neurons and synapses mentions, plus the SI base quantities.
// Densities are here because membrane parameters are often given per area (uS/cm^2).
const std::array<NamedDimension, 22>& named_dimensions() {
  static const std::array<NamedDimension, 22> table = {{
      {"dimensionless", Dimension::none()},
      {"voltage", dims::voltage()},
      {"current", dims::current()},
      {"conductance", dims::conductance()},
      {"capacitance", dims::capacitance()},
      {"resistance", dims::resistance()},
      {"time", dims::time()},
      {"rate", dims::rate()},
      {"charge", dims::charge()},
      {"length", dims::length()},
      {"area", dims::length().pow(2)},
      {"volume", dims::length().pow(3)},
      {"mass", dims::mass()},
      {"temperature", dims::temperature()},
      {"amount of substance", dims::amount()},
      {"luminous intensity", dims::luminosity()},
      {"power", dims::power()},
      {"energy", dims::energy()},
      {"concentration", dims::amount() / dims::length().pow(3)},
      {"current density", dims::current() / dims::length().pow(2)},
      {"conductance density", dims::conductance() / dims::length().pow(2)},
      {"capacitance density", dims::capacitance() / dims::length().pow(2)},
  }};
  return table;
}

}  // namespace

std::string describe_dimension(const Dimension& d) {
  std::string formatted = format_dimension(d);
  for (const NamedDimension& named : named_dimensions())
    if (named.dim == d) return std::string(named.name) + " (" + formatted + ")";
  return formatted;
}

std::ostream& operator<<(std::ostream& os, const Dimension& d) { return os << format_dimension(d); }

}  // namespace axon::units
