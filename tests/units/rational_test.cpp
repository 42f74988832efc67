// Rational: exact fractions stay normalised, so equal values compare equal, and
// overflow or division by zero is reported rather than wrapped.

#include <cstdint>
#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "compiler/units/rational.h"

using axon::units::Rational;

TEST_CASE("rational values are normalised on construction", "[rational]") {
  Rational half(2, 4);
  CHECK(half.num() == 1);
  CHECK(half.den() == 2);

  Rational negative(3, -6);
  CHECK(negative.num() == -1);
  CHECK(negative.den() == 2);

  Rational both_negative(-4, -2);
  CHECK(both_negative.num() == 2);
  CHECK(both_negative.den() == 1);

  Rational zero(0, -7);
  CHECK(zero.num() == 0);
  CHECK(zero.den() == 1);
  CHECK(zero == Rational());

  CHECK(Rational(5) == Rational(10, 2));
  CHECK(Rational(1, 3) != Rational(1, 2));
  CHECK_THROWS_AS(Rational(1, 0), std::domain_error);
}

TEST_CASE("rational arithmetic is exact", "[rational]") {
  CHECK(Rational(1, 2) + Rational(1, 3) == Rational(5, 6));
  CHECK(Rational(1, 2) - Rational(3, 4) == Rational(-1, 4));
  CHECK(Rational(2, 3) * Rational(9, 4) == Rational(3, 2));
  CHECK(Rational(1, 2) / Rational(1, 4) == Rational(2));
  CHECK(-Rational(1, 2) == Rational(-1, 2));
  CHECK(Rational(-3, 7).abs() == Rational(3, 7));

  // Results are normalised too, not only constructed values.
  Rational sum = Rational(1, 6) + Rational(1, 3);
  CHECK(sum.num() == 1);
  CHECK(sum.den() == 2);
  Rational cancelled = Rational(1, 2) - Rational(1, 2);
  CHECK(cancelled.is_zero());
  CHECK(cancelled.den() == 1);

  Rational r(1, 2);
  r += Rational(1, 2);
  CHECK(r == Rational(1));
  r *= Rational(-3);
  CHECK(r == Rational(-3));
  r /= Rational(6);
  CHECK(r == Rational(-1, 2));
  r -= Rational(1, 2);
  CHECK(r == Rational(-1));

  CHECK_THROWS_AS(Rational(1) / Rational(0), std::domain_error);
}

TEST_CASE("rational predicates, order and conversions", "[rational]") {
  CHECK(Rational(0, 5).is_zero());
  CHECK_FALSE(Rational(1, 5).is_zero());
  CHECK(Rational(6, 3).is_integer());
  CHECK_FALSE(Rational(1, 2).is_integer());

  CHECK(Rational(1, 3) < Rational(1, 2));
  CHECK(Rational(-1, 2) < Rational(-1, 3));
  CHECK_FALSE(Rational(1, 2) < Rational(1, 2));
  CHECK(Rational(3, 2) > Rational(1));
  CHECK(Rational(1, 2) <= Rational(2, 4));
  CHECK(Rational(1, 2) >= Rational(2, 4));

  CHECK(Rational(2).to_string() == "2");
  CHECK(Rational(-1, 2).to_string() == "-1/2");
  CHECK(Rational(0).to_string() == "0");
  CHECK(Rational(6, -4).to_string() == "-3/2");

  CHECK(Rational(-1, 2).to_double() == -0.5);
  CHECK(Rational(1, 3).to_double() == Approx(1.0 / 3.0));
}

TEST_CASE("rational overflow is reported, not wrapped", "[rational]") {
  const int64_t big = std::numeric_limits<int64_t>::max();
  CHECK_THROWS_AS(Rational(big) + Rational(1), std::overflow_error);
  CHECK_THROWS_AS(Rational(big) * Rational(2), std::overflow_error);
  CHECK_THROWS_AS(Rational(1, big) * Rational(1, 2), std::overflow_error);
  // -INT64_MIN does not fit in int64_t, so moving the sign to the numerator must fail.
  CHECK_THROWS_AS(Rational(1, std::numeric_limits<int64_t>::min()), std::overflow_error);
  // Intermediate products may exceed 64 bits as long as the reduced result fits.
  CHECK(Rational(big, 2) * Rational(2, big) == Rational(1));
}
