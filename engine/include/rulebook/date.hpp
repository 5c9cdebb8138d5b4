#pragma once
// Calendar dates (proleptic Gregorian), no time of day and no time zone.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rulebook {

/// A calendar date between 0001-01-01 and 9999-12-31, stored as a day number.
/// A value type: thread-safe to copy.
class Date {
 public:
  constexpr Date() = default;
  /// nullopt unless y-m-d is a real calendar date in range.
  static std::optional<Date> from_ymd(int year, int month, int day);
  /// Parses exactly "YYYY-MM-DD".
  static std::optional<Date> parse(std::string_view text);
  static constexpr Date from_days(std::int32_t days_since_epoch) { return Date(days_since_epoch); }

  int year() const;
  int month() const;
  int day() const;
  std::int32_t days() const { return days_; }  ///< days since 1970-01-01
  /// 0 = Monday … 6 = Sunday.
  int weekday() const;
  std::string to_string() const;

  /// These return nullopt when the result leaves 0001-01-01 … 9999-12-31.
  std::optional<Date> add_days(std::int64_t n) const;
  /// Month ends clamp: 2024-01-31 plus 1 month is 2024-02-29, 2023-08-31 plus 6 is 2024-02-29.
  std::optional<Date> add_months(std::int64_t n) const;
  std::optional<Date> add_years(std::int64_t n) const { return add_months(n * 12); }

  /// Signed day count from `a` to `b`.
  static std::int64_t days_between(Date a, Date b) { return std::int64_t(b.days_) - a.days_; }
  /// Whole months from `a` to `b`: the largest n with a + n months <= b (for b >= a).
  static std::int64_t months_between(Date a, Date b);
  static std::int64_t years_between(Date a, Date b) { return months_between(a, b) / 12; }

  friend constexpr bool operator==(Date, Date) = default;
  friend constexpr std::strong_ordering operator<=>(Date, Date) = default;

 private:
  explicit constexpr Date(std::int32_t d) : days_(d) {}
  std::int32_t days_ = 0;
};

}  // namespace rulebook
