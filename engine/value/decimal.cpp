#include "rulebook/decimal.hpp"

#include <algorithm>
#include <array>
#include <boost/multiprecision/cpp_int.hpp>

namespace rulebook {
namespace {

using i128 = __int128;
using u128 = unsigned __int128;
// Exact intermediates: aligned sums need up to 74 digits, products 72.
using Wide = boost::multiprecision::int256_t;

constexpr std::array<i128, 39> make_pow10() {
  std::array<i128, 39> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr auto pow10 = make_pow10();
constexpr i128 coef_limit = pow10[Decimal::max_digits];

}  // namespace

// The coefficient as the 128-bit integer it is: the public header keeps it as two halves, so
// that it needs no compiler extension.
struct DecimalRep {
  static i128 coef(const Decimal& d) { return i128((u128(std::uint64_t(d.hi_)) << 64) | d.lo_); }
  static void set(Decimal& d, i128 c) {
    d.lo_ = std::uint64_t(u128(c));
    d.hi_ = std::int64_t(std::uint64_t(u128(c) >> 64));
  }
  /// coefficient × 10^-scale, rounded into range (and marked approximate) when it is not.
  static Decimal make(i128 coefficient, int scale);
  /// The coefficients of a and b at the larger of their scales, when both fit 128 bits (most
  /// often: 100 and 0.05 are 10000 and 5 at scale 2), so that + and <=> need no wide integers.
  static bool aligned(const Decimal& a, const Decimal& b, i128& ca, i128& cb);
};

namespace {

i128 coef_of(const Decimal& d) { return DecimalRep::coef(d); }

Wide wide(i128 v) {
  // int256 has no constructor from __int128: go through two halves.
  bool neg = v < 0;
  u128 m = neg ? u128(0) - u128(v) : u128(v);
  Wide w = Wide(std::uint64_t(m >> 64));
  w <<= 64;
  w += Wide(std::uint64_t(m));
  return neg ? Wide(-w) : w;
}

i128 narrow(const Wide& w) {
  bool neg = w < 0;
  Wide m = neg ? Wide(-w) : w;
  u128 hi = std::uint64_t(m >> 64);
  u128 lo = std::uint64_t(m & Wide(~std::uint64_t(0)));
  i128 v = i128((hi << 64) | lo);
  return neg ? -v : v;
}

Wide wide_pow10(int n) {
  Wide w = 1;
  for (int i = 0; i < n; ++i) w *= 10;
  return w;
}

int digits(const Wide& magnitude) {
  int n = 1;
  Wide p = 10;
  while (magnitude >= p) {
    ++n;
    p *= 10;
  }
  return n;
}

// Rounds half-up (away from zero) until the coefficient has at most max_digits digits and
// the scale at most max_scale; an integer part that does not fit is an overflow. `dropped`
// tells whether a nonzero digit went.
Decimal from_wide(Wide w, int scale, bool& dropped) {
  if (scale < 0) {
    w *= wide_pow10(-scale);
    scale = 0;
  }
  bool neg = w < 0;
  Wide mag = neg ? Wide(-w) : w;
  int drop = std::max(0, scale - Decimal::max_scale);
  drop = std::min(std::max(drop, digits(mag) - Decimal::max_digits), scale);
  if (drop > 0) {
    Wide p = wide_pow10(drop);
    Wide q = mag / p, r = mag % p;
    if (r * 2 >= p) q += 1;
    if (r != 0) dropped = true;
    mag = q;
    scale -= drop;
    if (mag >= wide(coef_limit) && scale > 0) {  // rounding carried into a new digit
      mag /= 10;
      --scale;
    }
  }
  if (mag >= wide(coef_limit)) throw DecimalError("number too large (more than 36 digits)");
  // INVARIANT: now in the fast range of from_parts, which therefore does not recurse.
  return DecimalRep::make(narrow(neg ? Wide(-mag) : mag), scale);
}

// A product or quotient of nonzero numbers below the last decimal place kept (10^-38) is an error,
// as one past the first is: rounded, it was 0 (x * x > 0 was false for x = 10^-20) or 10^-38.
[[noreturn]] void throw_underflow() {
  throw DecimalError("number too small (nonzero, below 10^-38, the smallest decimal place kept)");
}

}  // namespace

Decimal DecimalRep::make(i128 coefficient, int scale) {
  if (scale >= 0 && scale <= Decimal::max_scale && coefficient > -coef_limit && coefficient < coef_limit) {
    Decimal d;
    set(d, coefficient);
    d.scale_ = static_cast<std::int8_t>(scale);
    return d;
  }
  bool dropped = false;
  Decimal d = from_wide(wide(coefficient), scale, dropped);
  d.approximate_ = dropped;
  return d;
}

std::optional<Decimal> Decimal::parse(std::string_view s) {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  i128 coef = 0;
  std::uint64_t head = 0;  // the first 18 significant digits, in a machine word (most numbers: all)
  int sig = 0, frac = 0;
  bool any = false, dot = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any = true;
    if (dot) ++frac;
    if (sig == 0 && c == '0') continue;  // leading zeros are not significant
    if (++sig > max_digits) return std::nullopt;
    if (sig <= 18)
      head = head * 10 + std::uint64_t(c - '0');
    else
      coef = (sig == 19 ? i128(head) : coef) * 10 + (c - '0');
  }
  if (sig <= 18) coef = i128(head);
  if (!any) return std::nullopt;
  long exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    if (i == s.size()) return std::nullopt;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
      exp = std::min(exp * 10 + (s[i] - '0'), 100'000L);  // saturates: far out of range either way
    if (eneg) exp = -exp;
  }
  if (i != s.size()) return std::nullopt;
  // Zero is zero at any exponent (0e37 is in range); only its scale is bounded.
  if (coef == 0) return DecimalRep::make(0, static_cast<int>(std::clamp(long(frac) - exp, 0L, long(max_scale))));
  if (exp > 1000 || exp < -1000) return std::nullopt;
  long scale = frac - exp;
  if (scale > max_scale) return std::nullopt;
  if (scale < 0) {
    if (-scale + sig > max_digits) return std::nullopt;
    coef *= pow10[static_cast<std::size_t>(-scale)];
    scale = 0;
  }
  return DecimalRep::make(neg ? -coef : coef, static_cast<int>(scale));
}

bool Decimal::is_integer() const { return coef_of(*this) % pow10[static_cast<std::size_t>(scale_)] == 0; }

std::optional<std::int64_t> Decimal::to_int64() const {
  if (!is_integer()) return std::nullopt;
  i128 v = coef_of(*this) / pow10[static_cast<std::size_t>(scale_)];
  if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::string Decimal::to_string() const {
  u128 m = coef_of(*this) < 0 ? u128(0) - u128(coef_of(*this)) : u128(coef_of(*this));
  std::string digits_text;
  do {
    digits_text.push_back(char('0' + int(m % 10)));
    m /= 10;
  } while (m != 0);
  while (digits_text.size() <= std::size_t(scale_)) digits_text.push_back('0');
  std::reverse(digits_text.begin(), digits_text.end());
  if (scale_ > 0) digits_text.insert(digits_text.size() - std::size_t(scale_), 1, '.');
  if (coef_of(*this) < 0) digits_text.insert(0, 1, '-');
  return digits_text;
}

Decimal Decimal::operator-() const {
  Decimal d = *this;
  DecimalRep::set(d, -coef_of(*this));
  return d;
}

bool DecimalRep::aligned(const Decimal& a, const Decimal& b, i128& ca, i128& cb) {
  int s = std::max(a.scale_, b.scale_);
  return !__builtin_mul_overflow(coef(a), pow10[std::size_t(s - a.scale_)], &ca) &&
         !__builtin_mul_overflow(coef(b), pow10[std::size_t(s - b.scale_)], &cb);
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  bool approximate = a.approximate_ || b.approximate_;
  int s = std::max(a.scale_, b.scale_);
  i128 ca, cb, r;
  if (DecimalRep::aligned(a, b, ca, cb) && !__builtin_add_overflow(ca, cb, &r) && r < coef_limit && r > -coef_limit) {
    Decimal d = DecimalRep::make(r, s);
    d.approximate_ = approximate;
    return d;
  }
  Wide w = wide(coef_of(a)) * wide_pow10(s - a.scale_) + wide(coef_of(b)) * wide_pow10(s - b.scale_);
  bool dropped = false;
  Decimal d = from_wide(w, s, dropped);
  // Rounding an already rounded operand further is fine; losing a digit of two exact ones is not.
  if (dropped && !approximate) throw DecimalError("inexact sum: the exact result needs more than 36 digits");
  d.approximate_ = approximate || dropped;
  return d;
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }

void DecimalSum::add(const Decimal& term) {
  i128 ca, cb, r;
  if (terms_.empty() && DecimalRep::aligned(fast_, term, ca, cb) && !__builtin_add_overflow(ca, cb, &r) &&
      r < coef_limit && r > -coef_limit) {
    bool approximate = fast_.approximate_ || term.approximate_;
    fast_ = DecimalRep::make(r, std::max(fast_.scale_, term.scale_));
    fast_.approximate_ = approximate;
    return;
  }
  if (terms_.empty()) terms_.push_back(fast_);
  terms_.push_back(term);
}

Decimal DecimalSum::total() const {
  if (terms_.empty()) return fast_;
  using boost::multiprecision::cpp_int;  // unbounded: any number of terms at 38 places
  int scale = 0;
  bool approximate = false;
  for (const Decimal& t : terms_) scale = std::max(scale, int(t.scale_)), approximate |= t.approximate_;
  cpp_int exact = 0;
  for (const Decimal& t : terms_) exact += cpp_int(wide(coef_of(t))) * pow(cpp_int(10), unsigned(scale - t.scale_));
  // An integer part past 36 digits fails as from_wide would; below that, the sum fits 256 bits.
  if (abs(exact) >= pow(cpp_int(10), unsigned(scale + Decimal::max_digits)))
    throw DecimalError("number too large (more than 36 digits)");
  bool dropped = false;
  Decimal d = from_wide(Wide(exact), scale, dropped);
  if (dropped && !approximate) throw DecimalError("inexact sum: the exact result needs more than 36 digits");
  d.approximate_ = approximate || dropped;
  return d;
}

Decimal operator*(const Decimal& a, const Decimal& b) {
  i128 r;
  int s = a.scale_ + b.scale_;
  bool dropped = false;
  if (s > Decimal::max_scale && coef_of(a) != 0 && coef_of(b) != 0) {  // below the last place kept?
    Wide exact = wide(coef_of(a)) * wide(coef_of(b));
    if ((exact < 0 ? Wide(-exact) : exact) < wide_pow10(s - Decimal::max_scale)) throw_underflow();
  }
  Decimal d =
      !__builtin_mul_overflow(coef_of(a), coef_of(b), &r) && r < coef_limit && r > -coef_limit && s <= Decimal::max_scale
          ? DecimalRep::make(r, s)
          : from_wide(wide(coef_of(a)) * wide(coef_of(b)), s, dropped);
  d.approximate_ = a.approximate_ || b.approximate_ || dropped;
  return d;
}

Decimal operator/(const Decimal& a, const Decimal& b) {
  if (coef_of(b) == 0) throw DecimalError("division by zero");
  bool neg = (coef_of(a) < 0) != (coef_of(b) < 0);
  u128 ua = coef_of(a) < 0 ? u128(0) - u128(coef_of(a)) : u128(coef_of(a));
  u128 ub = coef_of(b) < 0 ? u128(0) - u128(coef_of(b)) : u128(coef_of(b));
  // INVARIANT: ub < 10^36, so r * 10 below cannot overflow 128 bits.
  u128 q = ua / ub, r = ua % ub;
  int scale = a.scale_ - b.scale_;
  const u128 stop = u128(pow10[Decimal::max_digits - 1]);
  while (r != 0 && q < stop && scale < Decimal::max_scale) {
    r *= 10;
    q = q * 10 + r / ub;
    r %= ub;
    ++scale;
  }
  if (q == 0 && ua != 0) throw_underflow();  // the quotient is below the last place kept
  if (r != 0 && r * 10 / ub >= 5) ++q;       // half-up on the first dropped digit
  Wide w = wide(i128(q));
  bool dropped = r != 0;
  Decimal d = from_wide(neg ? Wide(-w) : w, scale, dropped);
  d.approximate_ = a.approximate_ || b.approximate_ || dropped;
  return d;
}

Decimal Decimal::round(int places) const {
  if (places >= scale_) {
    int target = std::min(places, int(max_scale));
    int up = target - scale_;
    i128 r;
    if (up <= max_digits && !__builtin_mul_overflow(coef_of(*this), pow10[std::size_t(up)], &r) && r < coef_limit &&
        r > -coef_limit)
      return DecimalRep::make(r, target);
    Decimal d = *this;  // the value is kept; only the printed scale could not grow
    d.approximate_ = false;
    return d;
  }
  places = std::max(places, -max_digits - 1);  // coarser than that rounds every value to 0
  // Round the magnitude so that half-way goes away from zero for negatives too.
  Wide p = wide_pow10(scale_ - places);
  Wide mag = wide(coef_of(*this) < 0 ? -coef_of(*this) : coef_of(*this));
  Wide q = mag / p;
  if ((mag % p) * 2 >= p) q += 1;
  bool dropped = false;  // what the rule asked for: exact from here on
  return from_wide(coef_of(*this) < 0 ? Wide(-q) : q, places, dropped);
}

Decimal Decimal::shifted(int exponent) const {
  bool dropped = false;
  Decimal d = from_wide(wide(coef_of(*this)), scale_ - exponent, dropped);
  d.approximate_ = approximate_ || dropped;
  return d;
}

bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  if (i128 ca, cb; DecimalRep::aligned(a, b, ca, cb)) return ca <=> cb;
  int s = std::max(a.scale_, b.scale_);
  Wide wa = wide(coef_of(a)) * wide_pow10(s - a.scale_);
  Wide wb = wide(coef_of(b)) * wide_pow10(s - b.scale_);
  return wa < wb ? std::strong_ordering::less : (wa > wb ? std::strong_ordering::greater : std::strong_ordering::equal);
}

}  // namespace rulebook
