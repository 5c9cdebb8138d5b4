#pragma once
// The values of cells, exact: a number as decimal text, a date from Excel's day count.

#include <optional>
#include <string>
#include <string_view>

#include "rulebook/date.hpp"

namespace rulebook::detail {

/// "1.5E+6" → "1500000", "-0.050" → "-0.050", "+7" → "7": the digits of a stored number without
/// an exponent, moved by string shifting so no digit is lost (nor the scale written); nullopt
/// when `s` is not a number.
std::optional<std::string> plain_decimal(std::string_view s);

/// Excel's day number (integer part of `serial`; the time of day is dropped) as a date, in the
/// 1900 system (with its phantom 1900-02-29, refused) or the 1904 one.
std::optional<Date> serial_date(std::string_view serial, bool date1904);

/// A date written as text: 2024-05-20, 2024/5/20, 2024.5.20 or 2024年5月20日.
std::optional<Date> text_date(std::string_view s);

}  // namespace rulebook::detail

namespace rulebook {
using detail::plain_decimal;
using detail::serial_date;
}  // namespace rulebook
