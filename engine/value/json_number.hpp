#pragma once
// The JSON number grammar (RFC 8259), matched by hand: no regex (which recurses per character)
// and no conversion, so a 200,000-digit number is checked in one pass.

#include <string_view>

namespace rulebook {

/// What Decimal::parse keeps exactly, said where a number is refused for it ("1e36": 37 digits;
/// "0.1e-40": 41 decimal places).
inline constexpr std::string_view number_range = "at most 36 digits from the first nonzero one, and 38 decimal places";
inline constexpr std::string_view number_range_zh = "从第一个非零数字起最多 36 位数字，最多 38 位小数";

inline bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

}  // namespace rulebook
