// Exact cell values: numbers stay decimal text from the XML to the document.

#include "sheet/cells.hpp"

#include <cstdint>
#include <cstdio>

namespace rulebook::detail {

std::optional<std::string> plain_decimal(std::string_view s) {
  std::string sign;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') sign = "-";
    s.remove_prefix(1);
  }
  std::string digits;
  std::int64_t point = -1;  // digits before the decimal point
  std::size_t i = 0;
  for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      if (point >= 0) return std::nullopt;
      point = std::int64_t(digits.size());
    } else {
      digits += s[i];
    }
  }
  if (digits.empty()) return std::nullopt;
  if (point < 0) point = std::int64_t(digits.size());
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return std::nullopt;
    ++i;
    bool negative = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i == s.size()) return std::nullopt;
    std::int64_t e = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9' || e > 400) return std::nullopt;  // beyond any double Excel stores
      e = e * 10 + (s[i] - '0');
    }
    point += negative ? -e : e;
  }
  // Place the point, padding with zeros on either side. Leading zeros go; trailing ones stay,
  // as the scale was written ("6,000,000.00" keeps its cents, like the CSV reader).
  if (point <= 0) {
    digits.insert(0, std::size_t(1 - point), '0');
    point = 1;
  }
  if (point > std::int64_t(digits.size())) digits.append(std::size_t(point - std::int64_t(digits.size())), '0');
  std::string whole = digits.substr(0, std::size_t(point)), frac = digits.substr(std::size_t(point));
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  if (whole == "0" && frac.find_first_not_of('0') == std::string::npos) sign.clear();
  return sign + whole + (frac.empty() ? "" : "." + frac);
}

std::optional<Date> serial_date(std::string_view serial, bool date1904) {
  auto plain = plain_decimal(serial);
  if (!plain || (*plain)[0] == '-') return std::nullopt;
  std::string whole = plain->substr(0, plain->find('.'));
  if (whole.size() > 7) return std::nullopt;
  std::int32_t n = std::stoi(whole);
  if (n > 2958465) return std::nullopt;  // 9999-12-31
  // Day 0 is 1899-12-31 (1900 system) and Excel counts a 1900-02-29 that never was, day 60.
  constexpr std::int32_t day0_1900 = -25568, day0_1904 = -24107;  // in days since 1970-01-01
  if (date1904) return Date::from_days(day0_1904 + n);
  if (n == 0 || n == 60) return std::nullopt;
  return Date::from_days(day0_1900 + n - (n > 60 ? 1 : 0));
}

std::optional<Date> text_date(std::string_view s) {
  if (auto d = Date::parse(s)) return d;
  int parts[3] = {0, 0, 0}, k = 0, width = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= '0' && c <= '9') {
      if (k > 2 || ++width > 4) return std::nullopt;
      parts[k] = parts[k] * 10 + (c - '0');
      ++i;
      continue;
    }
    if (!width) return std::nullopt;
    std::string_view rest = s.substr(i);
    std::size_t step = 0;
    for (std::string_view sep : {"-", "/", ".", "年", "月", "日"})
      if (rest.starts_with(sep)) step = sep.size();
    if (!step) return std::nullopt;
    i += step;
    ++k;
    width = 0;
  }
  if ((k != 2 || !width) && k != 3) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", parts[0], parts[1], parts[2]);
  return Date::parse(buf);
}

}  // namespace rulebook::detail
