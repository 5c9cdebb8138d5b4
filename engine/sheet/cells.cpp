// Exact cell values: numbers stay decimal text from the XML to the document.

#include "sheet/cells.hpp"

#include <cstdint>
#include <string>

namespace rulebook::detail {

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

}  // namespace rulebook::detail
