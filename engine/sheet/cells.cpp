// Exact cell values (numbers stay decimal text from the XML to the document) and cells named as
// the sheet names them: the program's side of sheets, which the xlsx module (xlsx.hpp) shares.

#include "sheet/cells.hpp"
#include "sheet/sheet.hpp"

#include <algorithm>
#include <cctype>
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

std::string excel_digits(std::string_view stored) {
  auto plain = plain_decimal(stored);
  if (!plain) return std::string(stored);
  bool negative = (*plain)[0] == '-';
  std::string digits = plain->substr(negative);
  std::size_t dot = digits.find('.'), point = dot == digits.npos ? digits.size() : dot;
  if (dot != digits.npos) digits.erase(dot, 1);
  std::size_t first = digits.find_first_not_of('0');
  constexpr std::size_t precision = 15;
  if (first == digits.npos || digits.size() - first <= precision ||
      digits.find_first_not_of('0', first + precision) == digits.npos)
    return std::string(stored);
  std::size_t keep = first + precision;
  bool up = digits[keep] >= '5';
  digits.resize(keep);
  for (std::size_t i = keep; up && i-- > 0;) {
    up = digits[i] == '9';
    digits[i] = up ? '0' : char(digits[i] + 1);
  }
  if (up) {  // 999… carried into a new leading digit
    digits.insert(digits.begin(), '1');
    ++point;
  }
  if (digits.size() < point) digits.resize(point, '0');  // the whole part's digits past the 15th
  std::string whole = digits.substr(0, point), frac = digits.substr(point);
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  frac.erase(frac.find_last_not_of('0') + 1);
  if (whole.empty()) whole = "0";
  return (negative ? "-" : "") + whole + (frac.empty() ? "" : "." + frac);
}

}  // namespace rulebook::detail

namespace rulebook {

const SheetCell* SheetRow::at(std::uint32_t column) const {
  auto it =
      std::lower_bound(cells.begin(), cells.end(), column, [](const auto& c, std::uint32_t k) { return c.first < k; });
  return it != cells.end() && it->first == column ? &it->second : nullptr;
}

std::string cell_ref(std::size_t column, std::uint32_t row) {
  std::string letters;
  for (std::size_t c = column + 1; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), char('A' + (c - 1) % 26));
  return letters + std::to_string(row);
}

// Whether `path` ends in `ext` (".xlsx"), in any case.
static bool has_extension(const std::string& path, std::string_view ext) {
  if (path.size() < ext.size()) return false;
  std::string end = path.substr(path.size() - ext.size());
  std::transform(end.begin(), end.end(), end.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return end == ext;
}

bool is_xlsx(const std::string& path) { return has_extension(path, ".xlsx"); }
bool is_csv(const std::string& path) { return has_extension(path, ".csv"); }

}  // namespace rulebook
