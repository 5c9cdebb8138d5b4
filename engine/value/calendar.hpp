#pragma once
// CM-03: China's working-day calendar, as data (statutory holidays and adjusted working
// weekends), for rules that count working days.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <vector>

#include "rulebook/date.hpp"
#include "rulebook/error.hpp"

namespace rulebook {

/// Immutable once loaded; thread-safe to read. Every answer is nullopt when a day it must look
/// at lies outside the calendar's range, which callers report as an error: a guess would be a
/// wrong answer. Only the days looked at count: the 1st working day after the day before `from`
/// is known.
class Calendar {
 public:
  /// Reads {"from", "to", "holidays": {date: name}, "workdays": {date: name}}.
  static std::optional<Calendar> load(const std::filesystem::path& file, std::vector<Error>& errors);

  Date from() const { return from_; }
  Date to() const { return to_; }
  std::optional<bool> is_working_day(Date d) const;
  /// The n-th working day after d (n >= 0; 0 gives d itself).
  std::optional<Date> add_working_days(Date d, std::int64_t n) const;
  /// Working days in (a, b]: how many working days after `a` it takes to reach `b`.
  std::optional<std::int64_t> working_days_between(Date a, Date b) const;

 private:
  Date from_, to_;
  std::set<std::int32_t> holidays_, workdays_;
};

}  // namespace rulebook
