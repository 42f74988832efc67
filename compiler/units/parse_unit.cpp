// parse_unit and parse_quantity: a recursive-descent reader for unit expressions and
// the number-plus-unit literals of axon source.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>

#include "compiler/units/unit.h"

namespace axon::units {

namespace {

// Thrown inside the parser only; parse_unit turns it into a UnitParseResult, so that the
// grammar functions read as the grammar and not as error plumbing.
struct ParseError {
  std::string message;
  std::size_t offset;
};

// Exponents beyond this are typos, and would overflow the scale anyway.
constexpr int64_t max_exponent_part = 1000;

constexpr std::string_view middle_dot = "\u00B7";
constexpr std::string_view dot_operator = "\u22C5";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Not std::isalpha: unit symbols must not depend on the C locale.
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

class UnitParser {
 public:
  explicit UnitParser(std::string_view text) : text_(text) {}

  Unit parse_all() {
    skip_space();
    if (at_end()) fail("empty unit", pos_);
    Unit unit = parse_expr();
    skip_space();
    if (!at_end()) {
      if (starts_atom()) fail("missing '*' or '/' between units", pos_);
      fail("unexpected '" + current_char() + "' in unit", pos_);
    }
    if (!std::isfinite(unit.scale) || unit.scale == 0.0) fail("unit scale out of range", 0);
    return unit;
  }

 private:
  // expr := term (('*' | '/' | '·' | '⋅') term)*
  Unit parse_expr() {
    Unit unit = parse_term();
    for (;;) {
      skip_space();
      if (accept("*") || accept(middle_dot) || accept(dot_operator)) {
        unit = unit * parse_term();
      } else if (accept("/")) {
        unit = unit / parse_term();
      } else {
        return unit;
      }
    }
  }

  // term := atom (('^' | '**') exponent)?
  Unit parse_term() {
    Unit unit = parse_atom();
    skip_space();
    std::size_t op_at = pos_;
    if (accept("^") || accept("**")) {
      std::string op(text_.substr(op_at, pos_ - op_at));
      unit = unit.pow(parse_exponent(op));
      skip_space();
      if (peek_is("^") || peek_is("**")) fail("a unit takes one exponent; use parentheses, as in (m^2)^3", pos_);
    }
    return unit;
  }

  // atom := SYMBOL | '1' | 'sqrt' '(' expr ')' | '(' expr ')'
  Unit parse_atom() {
    skip_space();
    std::size_t start = pos_;
    if (at_end()) fail("expected a unit", pos_);
    if (accept("(")) {
      Unit inner = parse_expr();
      expect_close(start);
      return inner;
    }
    if (is_digit(text_[pos_])) {
      std::string number = read_while([](char c) { return is_digit(c) || c == '.'; });
      if (number != "1") fail("'" + number + "' is not a unit; only 1 may stand for a pure number", start);
      return Unit{};
    }
    if (starts_symbol()) {
      std::string symbol = read_symbol();
      if (symbol == "sqrt") {
        skip_space();
        std::size_t open_at = pos_;
        if (!accept("(")) fail("expected '(' after sqrt", pos_);
        Unit inner = parse_expr();
        expect_close(open_at);
        return inner.pow(Rational(1, 2));
      }
      if (std::optional<Unit> unit = lookup_unit_symbol(symbol)) return *unit;
      fail("unknown unit '" + symbol + "'", start);
    }
    fail("expected a unit, found '" + current_char() + "'", start);
  }

  // exponent := sign? NUMBER | '(' sign? NUMBER ('/' INTEGER)? ')'
  Rational parse_exponent(const std::string& op) {
    skip_space();
    std::size_t start = pos_;
    Rational value;
    if (accept("(")) {
      skip_space();
      value = read_signed_number(op);
      skip_space();
      if (accept("/")) {
        skip_space();
        std::size_t den_at = pos_;
        Rational den = read_number(op);
        if (!den.is_integer()) fail("exponent denominator must be an integer", den_at);
        if (den.is_zero()) fail("exponent denominator must not be zero", den_at);
        value = value / den;
      }
      skip_space();
      if (!accept(")")) fail("expected ')' to close the exponent", pos_);
      return value;
    }
    value = read_signed_number(op);
    // "s^-1/2" would otherwise read as (s^-1)/2; say what was probably meant. A
    // following "/1" is a legal division by the pure number 1.
    std::size_t after = pos_;
    skip_space();
    if (accept("/")) {
      skip_space();
      std::string den = read_while(is_digit);
      if (!den.empty() && den != "1") {
        std::string num(text_.substr(start, after - start));
        fail("a fractional exponent needs parentheses: write '" + op + "(" + num + "/" + den + ")'", start);
      }
    }
    pos_ = after;
    return value;
  }

  Rational read_signed_number(const std::string& op) {
    bool negative = false;
    if (accept("-"))
      negative = true;
    else
      accept("+");
    Rational magnitude = read_number(op);
    return negative ? -magnitude : magnitude;
  }

  // An unsigned integer or decimal, converted exactly: 0.5 is 1/2.
  Rational read_number(const std::string& op) {
    std::size_t start = pos_;
    if (at_end() || !is_digit(text_[pos_])) fail("expected an exponent after '" + op + "'", pos_);
    int64_t num = 0;
    int64_t den = 1;
    bool after_point = false;
    while (!at_end() && (is_digit(text_[pos_]) || (!after_point && text_[pos_] == '.'))) {
      char c = text_[pos_++];
      if (c == '.') {
        after_point = true;
        continue;
      }
      num = num * 10 + (c - '0');
      if (after_point) den *= 10;
      if (num > max_exponent_part * den || den > 1000000) fail("exponent too large or too precise", start);
    }
    return Rational(num, den);
  }

  void expect_close(std::size_t open_at) {
    skip_space();
    if (!accept(")")) fail("expected ')' to match the '(' at offset " + std::to_string(open_at), pos_);
  }

  bool starts_symbol() const {
    if (at_end() || peek_is(middle_dot) || peek_is(dot_operator)) return false;
    return is_ascii_letter(text_[pos_]) || is_non_ascii(text_[pos_]);
  }

  bool starts_atom() const { return starts_symbol() || is_digit(text_[pos_]) || text_[pos_] == '('; }

  // Letters and non-ASCII bytes, so that "µs" and "MΩ" are single symbols.
  std::string read_symbol() {
    std::size_t start = pos_;
    while (starts_symbol()) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  template <typename Pred>
  std::string read_while(Pred pred) {
    std::size_t start = pos_;
    while (!at_end() && pred(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  // The whole UTF-8 character at pos_, for messages.
  std::string current_char() const {
    std::size_t len = 1;
    while (pos_ + len < text_.size() && (static_cast<unsigned char>(text_[pos_ + len]) & 0xC0) == 0x80) ++len;
    return std::string(text_.substr(pos_, len));
  }

  void skip_space() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  bool peek_is(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }
  bool accept(std::string_view s) {
    if (!peek_is(s)) return false;
    pos_ += s.size();
    return true;
  }
  [[noreturn]] void fail(std::string message, std::size_t offset) const {
    throw ParseError{std::move(message), offset};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

UnitParseResult parse_unit(std::string_view text) {
  UnitParseResult result;
  try {
    result.unit = UnitParser(text).parse_all();
  } catch (const ParseError& e) {
    result.error = e.message;
    result.error_offset = e.offset;
  } catch (const std::overflow_error&) {
    // Only absurd chains of fractional exponents get here.
    result.error = "unit exponent out of range";
    result.error_offset = 0;
  }
  return result;
}

QuantityParseResult parse_quantity(std::string_view text) {
  QuantityParseResult result;
  auto fail = [&](std::string message, std::size_t offset) {
    result.error = std::move(message);
    result.error_offset = offset;
    return result;
  };

  std::size_t pos = 0;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';

  // The number's extent is found here rather than by from_chars, which would also take
  // "inf" and "nan" and a hexadecimal form that axon does not have.
  std::size_t number_start = pos;
  std::size_t digits = 0;
  while (pos < text.size() && is_digit(text[pos])) ++pos, ++digits;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos, ++digits;
  }
  if (digits == 0) return fail("expected a number", number_start);
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    std::size_t exp = pos + 1;
    if (exp < text.size() && (text[exp] == '-' || text[exp] == '+')) ++exp;
    if (exp < text.size() && is_digit(text[exp])) {
      pos = exp;
      while (pos < text.size() && is_digit(text[pos])) ++pos;
    }
  }

  double value = 0.0;
  auto [end, ec] = std::from_chars(text.data() + number_start, text.data() + pos, value);
  if (ec == std::errc::result_out_of_range || end != text.data() + pos)
    return fail("number out of range", number_start);
  if (negative) value = -value;

  std::size_t unit_start = pos;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  if (pos == text.size()) {
    result.value_si = value;
    return result;
  }

  UnitParseResult unit = parse_unit(text.substr(unit_start));
  if (!unit.unit) return fail(unit.error, unit_start + unit.error_offset);
  double si = value * unit.unit->scale;
  if (!std::isfinite(si)) return fail("value out of range in SI units", number_start);
  result.value_si = si;
  result.dim = unit.unit->dim;
  return result;
}

}  // namespace axon::units
