#include "rulebook/date.hpp"

#include <cstdio>

namespace rulebook {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days, exact for the proleptic Gregorian calendar.
std::int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Ymd {
  int y, m, d;
};

Ymd civil_from_days(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int month_length(int y, int m) {
  static constexpr int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : len[m - 1];
}

const std::int32_t min_days = days_from_civil(1, 1, 1);
const std::int32_t max_days = days_from_civil(9999, 12, 31);

}  // namespace

std::optional<Date> Date::from_ymd(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > month_length(y, m)) return std::nullopt;
  return Date(days_from_civil(y, m, d));
}

std::optional<Date> Date::parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int v[3] = {0, 0, 0};
  const int start[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f)
    for (int i = 0; i < len[f]; ++i) {
      char c = s[std::size_t(start[f] + i)];
      if (c < '0' || c > '9') return std::nullopt;
      v[f] = v[f] * 10 + (c - '0');
    }
  return from_ymd(v[0], v[1], v[2]);
}

int Date::year() const { return civil_from_days(days_).y; }
int Date::month() const { return civil_from_days(days_).m; }
int Date::day() const { return civil_from_days(days_).d; }
int Date::weekday() const { return int(((std::int64_t(days_) % 7) + 7 + 3) % 7); }  // 1970-01-01 was a Thursday

std::string Date::to_string() const {
  auto [y, m, d] = civil_from_days(days_);
  if (y >= 0 && y <= 9999) {  // the common case, without printf: decisions print dates often
    std::string out = "0000-00-00";
    for (int i = 3, v = y; i >= 0; --i, v /= 10) out[std::size_t(i)] = char('0' + v % 10);
    out[5] = char('0' + m / 10), out[6] = char('0' + m % 10);
    out[8] = char('0' + d / 10), out[9] = char('0' + d % 10);
    return out;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

std::optional<Date> Date::add_days(std::int64_t n) const {
  std::int64_t r = std::int64_t(days_) + n;
  if (n > max_days - min_days || n < min_days - max_days || r < min_days || r > max_days) return std::nullopt;
  return Date(std::int32_t(r));
}

std::optional<Date> Date::add_months(std::int64_t n) const {
  if (n > 120000 || n < -120000) return std::nullopt;
  auto [y, m, d] = civil_from_days(days_);
  std::int64_t total = std::int64_t(y) * 12 + (m - 1) + n;
  std::int64_t ny = total / 12;
  int nm = int(total % 12) + 1;
  if (ny < 1 || ny > 9999) return std::nullopt;
  int nd = d < month_length(int(ny), nm) ? d : month_length(int(ny), nm);
  return Date(days_from_civil(int(ny), nm, nd));
}

std::int64_t Date::months_between(Date a, Date b) {
  if (b < a) return -months_between(b, a);
  auto pa = civil_from_days(a.days_), pb = civil_from_days(b.days_);
  std::int64_t n = std::int64_t(pb.y - pa.y) * 12 + (pb.m - pa.m);
  // Step back while a + n months overshoots b (day-of-month not yet reached).
  while (n > 0 && *a.add_months(n) > b) --n;
  return n;
}

}  // namespace rulebook
