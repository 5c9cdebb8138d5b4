#pragma once
// Exact decimal numbers: a 128-bit coefficient and a decimal scale, in portable C++20.

#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook {

/// Thrown by Decimal arithmetic on overflow or division by zero.
class DecimalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An exact decimal number `coefficient × 10^-scale`, fixed-size, no allocation.
///
/// + − × are exact whenever the exact result has at most 36 significant digits and 38 decimal
/// places (every sum of money). Division rounds half-up to 36 significant digits, and so does ×
/// beyond them, both at most to the 38th decimal place; such a value is approximate. A nonzero
/// product or quotient below 10^-38 is an underflow error, never a silent 0. A sum (+ −) of two exact values that needs
/// more than 36 digits (10^35 + 0.5) is an error, never a silent rounding; with an approximate operand its trailing
/// digits round (1 + 1/3). An integer part that needs more than 36 digits is an overflow error, never a wrap. The scale
/// is kept as written ("100.50" stays "100.50"); equality and ordering compare values. A value type: thread-safe to
/// copy.
class Decimal {
 public:
  static constexpr int max_digits = 36;
  static constexpr int max_scale = 38;

  constexpr Decimal() = default;
  constexpr Decimal(std::int64_t v)  // NOLINT: integers convert implicitly
      : lo_(static_cast<std::uint64_t>(v)), hi_(v < 0 ? -1 : 0) {}

  /// Parses "12.5", "-0.05", "1e3", "1.5E-2"; nullopt if not a number or out of range.
  static std::optional<Decimal> parse(std::string_view text);

  /// Digits after the point, as written or as computed ("100.50": 2).
  int scale() const { return scale_; }
  bool is_zero() const { return lo_ == 0 && hi_ == 0; }
  bool is_negative() const { return hi_ < 0; }
  bool is_integer() const;
  /// Whether the value was rounded on the way (a quotient, a root, a long product).
  bool is_approximate() const { return approximate_; }
  /// The same value, marked as rounded or not by a function that knows (root()).
  Decimal marked(bool approximate) const {
    Decimal d = *this;
    d.approximate_ = approximate;
    return d;
  }
  /// The value as int64 if it is an integer in range.
  std::optional<std::int64_t> to_int64() const;

  /// Plain notation, never an exponent: "617283.9455", "-0.05", "500000.00".
  std::string to_string() const;
  /// The text a number names a key or a code by: a whole number without its zero decimals
  /// (years[2025.0] is years["2025"], 230100.00 the division 230100); else to_string().
  std::string to_key() const { return is_integer() ? round(0).to_string() : to_string(); }

  Decimal operator-() const;
  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  friend Decimal operator*(const Decimal& a, const Decimal& b);
  friend Decimal operator/(const Decimal& a, const Decimal& b);
  Decimal abs() const { return is_negative() ? -*this : *this; }

  /// Rounds half away from zero (as Chinese finance rounds) to `places` decimals;
  /// the result has exactly that scale when places >= 0 ("500000.00").
  Decimal round(int places) const;
  /// Multiplies by 10^exponent exactly ("50万" is 50 shifted by 4).
  Decimal shifted(int exponent) const;

  friend bool operator==(const Decimal& a, const Decimal& b);
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);

 private:
  friend struct DecimalRep;  // the arithmetic, which works on the coefficient as one 128-bit integer
  friend class DecimalSum;
  // The coefficient in two's complement, low and high halves.
  std::uint64_t lo_ = 0;
  std::int64_t hi_ = 0;
  std::int8_t scale_ = 0;  // INVARIANT: 0 <= scale_ <= max_scale, |coefficient| < 10^max_digits
  bool approximate_ = false;  // carried by + − ×; round() makes the value exact again
};

/// The sum of many numbers as if every one were added exactly and the total rounded once, so
/// that it does not depend on their order: added one by one, [10^35, 0.5, −10^35] was an inexact
/// sum where [10^35, −10^35, 0.5] was 0.5. total() throws what a single + would: an inexact sum
/// of exact numbers, an integer part past 36 digits. Allocates only once a partial sum does not
/// fit 36 digits.
class DecimalSum {
 public:
  void add(const Decimal& term);
  Decimal total() const;

 private:
  Decimal fast_;  // the exact sum so far, while it fits; then the first of `terms_`
  std::vector<Decimal> terms_;
};

}  // namespace rulebook
