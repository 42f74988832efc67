#include "compiler/units/rational.h"

#include <limits>
#include <ostream>
#include <stdexcept>

namespace axon::units {

namespace {

// Intermediate results are computed in 128 bits so that only a final value that truly
// does not fit in 64 bits is an overflow; n1*d2 + n2*d1 of two valid rationals always
// fits in 128 bits.
using Wide = __int128;

Wide wide_gcd(Wide a, Wide b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    Wide t = a % b;
    a = b;
    b = t;
  }
  return a;
}

int64_t narrow(Wide v) {
  if (v > std::numeric_limits<int64_t>::max() || v < std::numeric_limits<int64_t>::min())
    throw std::overflow_error("rational arithmetic overflow");
  return static_cast<int64_t>(v);
}

struct Reduced {
  int64_t num;
  int64_t den;
};

// The one owner of the invariant (den > 0, gcd 1); every constructor and operator ends
// here.
Reduced reduce(Wide n, Wide d) {
  if (d == 0) throw std::domain_error("rational with zero denominator");
  if (d < 0) {
    n = -n;
    d = -d;
  }
  Wide g = wide_gcd(n, d);
  if (g > 1) {
    n /= g;
    d /= g;
  }
  if (n == 0) d = 1;
  // Negating INT64_MIN is one way a reduced fraction can leave 64 bits.
  return {narrow(n), narrow(d)};
}

Rational from_wide(Wide n, Wide d) {
  Reduced r = reduce(n, d);
  return Rational(r.num, r.den);
}

}  // namespace

Rational::Rational(int64_t n, int64_t d) {
  Reduced r = reduce(n, d);
  num_ = r.num;
  den_ = r.den;
}

Rational Rational::operator+(const Rational& o) const {
  return from_wide(Wide(num_) * o.den_ + Wide(o.num_) * den_, Wide(den_) * o.den_);
}

Rational Rational::operator-(const Rational& o) const {
  return from_wide(Wide(num_) * o.den_ - Wide(o.num_) * den_, Wide(den_) * o.den_);
}

Rational Rational::operator*(const Rational& o) const { return from_wide(Wide(num_) * o.num_, Wide(den_) * o.den_); }

Rational Rational::operator/(const Rational& o) const {
  if (o.num_ == 0) throw std::domain_error("rational division by zero");
  return from_wide(Wide(num_) * o.den_, Wide(den_) * o.num_);
}

Rational Rational::operator-() const { return from_wide(-Wide(num_), den_); }

bool Rational::operator<(const Rational& o) const {
  // Denominators are positive, so cross-multiplication keeps the order.
  return Wide(num_) * o.den_ < Wide(o.num_) * den_;
}

std::string Rational::to_string() const {
  if (den_ == 1) return std::to_string(num_);
  return std::to_string(num_) + "/" + std::to_string(den_);
}

std::ostream& operator<<(std::ostream& os, const Rational& r) { return os << r.to_string(); }

}  // namespace axon::units
