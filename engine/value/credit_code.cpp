#include "value/credit_code.hpp"

namespace rulebook {

bool credit_code_valid(std::string_view code) {
  static constexpr std::string_view charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};  // 3^i mod 31
  if (code.size() != 18) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    auto at = charset.find(code[i]);
    if (at == std::string_view::npos) return false;
    sum += int(at) * weights[i];
  }
  auto check = charset.find(code[17]);
  return check != std::string_view::npos && int(check) == (31 - sum % 31) % 31;
}

}  // namespace rulebook
