#pragma once
// The values of cells, exact: a date from Excel's day count (numbers as decimal text: csv.hpp).

#include <optional>
#include <string>
#include <string_view>

#include "batch/csv.hpp"  // plain_decimal and text_date, which CSV cells share
#include "rulebook/date.hpp"

namespace rulebook::detail {

/// Excel's day number (integer part of `serial`; the time of day is dropped) as a date, in the
/// 1900 system (with its phantom 1900-02-29, refused) or the 1904 one.
std::optional<Date> serial_date(std::string_view serial, bool date1904);

/// A number an xlsx cell stores ("59.999999999999993", what =64.1-4.1 leaves) as Excel shows it:
/// rounded to 15 significant digits, Excel's precision, trailing zeros after the point dropped
/// ("60"). Written with 15 significant digits or fewer, it is returned as stored ("1.5E-7").
std::string excel_digits(std::string_view stored);

}  // namespace rulebook::detail

namespace rulebook {
using detail::excel_digits;
using detail::plain_decimal;
using detail::serial_date;
}  // namespace rulebook
