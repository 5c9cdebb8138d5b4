#include "rulebook/date.hpp"

#include <doctest/doctest.h>

#include "support.hpp"

using rulebook::Date;

namespace {
Date d(std::string_view s) { return *Date::parse(s); }
}  // namespace

TEST_CASE("date: parse accepts only real calendar dates") {
  CHECK(d("2024-02-29").to_string() == "2024-02-29");
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "24-01-01", "2024-1-01", "2024/01/01",
                          "0000-01-01", "1900-02-29"})
    CHECK_FALSE(Date::parse(bad));
  CHECK(Date::parse("2000-02-29"));  // divisible by 400
}

TEST_CASE("date: add months clamps to the month's end") {
  struct Case {
    std::string_view from;
    int months;
    std::string_view to;
  };
  constexpr Case cases[] = {{"2024-01-31", 1, "2024-02-29"},  {"2023-01-31", 1, "2023-02-28"},
                            {"2023-08-31", 6, "2024-02-29"},  {"2022-08-31", 6, "2023-02-28"},
                            {"2024-03-31", -1, "2024-02-29"}, {"2024-12-15", 1, "2025-01-15"},
                            {"2024-02-29", 12, "2025-02-28"}, {"2024-05-10", -17, "2022-12-10"}};
  for (const auto& c : cases) {
    CAPTURE(c.from);
    CAPTURE(c.months);
    CHECK(d(c.from).add_months(c.months)->to_string() == c.to);
  }
  CHECK(d("2024-02-29").add_years(4)->to_string() == "2028-02-29");
  CHECK(d("2024-02-29").add_years(1)->to_string() == "2025-02-28");
  CHECK_FALSE(d("9999-12-01").add_months(1));
}

TEST_CASE("date: differences in days, months and years") {
  CHECK(Date::days_between(d("2024-01-01"), d("2024-12-31")) == 365);
  CHECK(Date::days_between(d("2023-01-01"), d("2023-12-31")) == 364);
  CHECK(Date::days_between(d("2024-03-01"), d("2024-02-28")) == -2);
  CHECK(Date::months_between(d("2023-08-31"), d("2024-02-29")) == 6);
  CHECK(Date::months_between(d("2024-01-31"), d("2024-02-29")) == 1);
  CHECK(Date::months_between(d("2024-01-15"), d("2024-02-14")) == 0);
  CHECK(Date::months_between(d("2024-02-14"), d("2024-01-15")) == 0);
  CHECK(Date::years_between(d("2021-06-30"), d("2024-06-30")) == 3);
  CHECK(Date::years_between(d("2021-06-30"), d("2024-06-29")) == 2);
  CHECK(Date::years_between(d("2020-02-29"), d("2021-02-28")) == 1);
  CHECK(d("2024-11-23").weekday() == 5);  // a Saturday
  CHECK(d("1970-01-01").weekday() == 3);  // a Thursday
  CHECK(d("2024-03-01").add_days(-1)->to_string() == "2024-02-29");
}
