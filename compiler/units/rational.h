// Exact fractions for the exponents of physical dimensions.
// White noise has dimension s^-1/2, so exponents cannot be plain integers or doubles.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace axon::units {

/// An exact fraction num/den, always normalised: den > 0 and gcd(num, den) == 1, so
/// that equal values compare equal member by member.
///
/// Arithmetic is exact; a result that does not fit in int64_t throws
/// std::overflow_error, and a zero denominator or a division by zero throws
/// std::domain_error. Exponents of real units are small, so either one is a bug or a
/// pathological input, never a rounding question.
class Rational {
 public:
  Rational(int64_t n = 0, int64_t d = 1);

  int64_t num() const { return num_; }
  int64_t den() const { return den_; }

  Rational operator+(const Rational& o) const;
  Rational operator-(const Rational& o) const;
  Rational operator*(const Rational& o) const;
  Rational operator/(const Rational& o) const;
  Rational operator-() const;
  Rational& operator+=(const Rational& o) { return *this = *this + o; }
  Rational& operator-=(const Rational& o) { return *this = *this - o; }
  Rational& operator*=(const Rational& o) { return *this = *this * o; }
  Rational& operator/=(const Rational& o) { return *this = *this / o; }

  // Normalisation makes member-wise comparison exact.
  bool operator==(const Rational& o) const { return num_ == o.num_ && den_ == o.den_; }
  bool operator!=(const Rational& o) const { return !(*this == o); }
  bool operator<(const Rational& o) const;
  bool operator>(const Rational& o) const { return o < *this; }
  bool operator<=(const Rational& o) const { return !(o < *this); }
  bool operator>=(const Rational& o) const { return !(*this < o); }

  bool is_zero() const { return num_ == 0; }
  bool is_integer() const { return den_ == 1; }
  Rational abs() const { return num_ < 0 ? -*this : *this; }

  /// "2", "-1/2", "0".
  std::string to_string() const;
  double to_double() const { return static_cast<double>(num_) / static_cast<double>(den_); }

 private:
  int64_t num_ = 0;
  int64_t den_ = 1;
};

std::ostream& operator<<(std::ostream& os, const Rational& r);

}  // namespace axon::units
