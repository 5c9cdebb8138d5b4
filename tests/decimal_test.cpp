#include "rulebook/decimal.hpp"

#include <doctest/doctest.h>

#include "support.hpp"

using rulebook::Decimal;
using rulebook::DecimalError;
using rulebook::DecimalSum;

namespace {
Decimal D(std::string_view s) { return *Decimal::parse(s); }
}  // namespace

TEST_CASE("decimal: parse keeps the digits written") {
  struct Case {
    std::string_view in, out;
  };
  constexpr Case cases[] = {{"0", "0"},
                            {"100.50", "100.50"},
                            {"-0.05", "-0.05"},
                            {"1e3", "1000"},
                            {"1.5E-2", "0.015"},
                            {"007", "7"},
                            {"12345678.91", "12345678.91"},
                            {"123456789012345678901234567890123456", "123456789012345678901234567890123456"},
                            // Around the 18 digits read in a machine word before 128 bits take over.
                            {"999999999999999999", "999999999999999999"},
                            {"1000000000000000000", "1000000000000000000"},
                            {"-9223372036854775809", "-9223372036854775809"},
                            {"00012345678901234567.89", "12345678901234567.89"},
                            {"0.0000123456789012345678901", "0.0000123456789012345678901"},
                            {"18446744073709551616e2", "1844674407370955161600"}};
  for (const auto& c : cases) {
    CAPTURE(c.in);
    auto d = Decimal::parse(c.in);
    REQUIRE(d);
    CHECK(d->to_string() == c.out);
  }
  for (const char* bad : {"", "-", "1.2.3", "abc", "1e", "1234567890123456789012345678901234567", "1e-50", "1x"}) {
    CAPTURE(bad);
    CHECK_FALSE(Decimal::parse(bad));
  }
}

TEST_CASE("decimal: + - * are exact") {
  CHECK(D("0.1") + D("0.2") == D("0.3"));
  CHECK((D("0.1") + D("0.2")).to_string() == "0.3");
  CHECK((D("0.05") * D("12345678.91")).to_string() == "617283.9455");
  CHECK((D("1.10") + D("2.20")).to_string() == "3.30");
  CHECK((D("100") - D("0.01")).to_string() == "99.99");
  CHECK((D("-3") * D("0.5")).to_string() == "-1.5");
  CHECK(D("1.50") == D("1.5"));
  CHECK(D("2") > D("1.999999999999999999999"));
  CHECK(D("-2") < D("-1.5"));
}

// Operands of different scales are aligned in 128 bits when they fit, in 256 otherwise: both
// ways give the same answers.
TEST_CASE("decimal: + and ordering across scales, aligned in 128 bits or not") {
  CHECK((D("-1") + D("0.001")).to_string() == "-0.999");
  CHECK((D("500000") + D("0.05")).to_string() == "500000.05");
  CHECK(D("-0.5") < D("-0.25"));
  CHECK(D("0") <= D("0.00"));
  CHECK(D("0.10") == D("0.1"));
  // 36 digits against a 38th decimal: aligned, the first needs 74 digits.
  Decimal big = D("123456789012345678901234567890123456");
  Decimal tiny = D("0.00000000000000000000000000000000000001");
  CHECK(big > tiny);
  CHECK(-big < tiny);
  CHECK(tiny < big);
  CHECK_FALSE(big == tiny);
  CHECK((tiny + tiny).to_string() == "0.00000000000000000000000000000000000002");
  CHECK_THROWS_AS(big + tiny, DecimalError);
  CHECK((big + D("0.0")).to_string() == "123456789012345678901234567890123456");
}

TEST_CASE("decimal: a sum of exact values is exact or an error, never rounded") {
  Decimal e35 = Decimal(1).shifted(35);
  CHECK_THROWS_WITH_AS(e35 + D("0.5"), "inexact sum: the exact result needs more than 36 digits", DecimalError);
  CHECK_THROWS_AS(D("999999999999999999999999999999999999") - D("0.5"), DecimalError);
  CHECK((e35 - D("0.5")).to_string() == "99999999999999999999999999999999999.5");  // 36 digits: exact
  CHECK_THROWS_AS(D("0.5") + e35, DecimalError);
  CHECK_THROWS_AS(D("1") + D("0." + std::string(36, '0') + "1"), DecimalError);   // 1 + 10^-37
  CHECK((e35 + D("0.0")).to_string() == "100000000000000000000000000000000000");  // no digit lost
  CHECK((e35 + Decimal(1)).to_string() == "100000000000000000000000000000000001");
  CHECK_FALSE((D("0.1") + D("0.2")).is_approximate());
  // A rounded operand (a quotient) may round further: 1 + 1/3 is a rate in use.
  Decimal third = D("1") / D("3");
  CHECK(third.is_approximate());
  CHECK((Decimal(1) + third).to_string() == "1." + std::string(35, '3'));
  CHECK((Decimal(1) + third).is_approximate());
  CHECK((e35 + third + D("0.5")).is_approximate());
  CHECK_FALSE((D("1") / D("4")).is_approximate());
  // round() is what the rule asked for: exact again.
  CHECK_FALSE(third.round(2).is_approximate());
  CHECK_THROWS_AS(e35 + third.round(2), DecimalError);
  // A long product rounds and says so.
  CHECK((third * third).is_approximate());
  CHECK((D("1.000000000000000001") * D("1.000000000000000001")).is_approximate());
}

TEST_CASE("decimal: a sum of many does not depend on their order") {
  // helper-61: sum([10^35, 0.5, -10^35]) was an inexact sum, sum([10^35, -10^35, 0.5]) 0.5.
  Decimal e35 = Decimal(1).shifted(35);
  auto sum = [](const std::vector<Decimal>& terms) {
    DecimalSum s;
    for (const Decimal& t : terms) s.add(t);
    return s.total();
  };
  for (const auto& terms : {std::vector{e35, D("0.5"), -e35}, {e35, -e35, D("0.5")}, {D("0.5"), e35, -e35}}) {
    CHECK(sum(terms).to_string() == "0.5");
    CHECK_FALSE(sum(terms).is_approximate());
  }
  // Past 36 digits along the way only: 9×10^35 twice less itself.
  Decimal big = D("900000000000000000000000000000000000");
  CHECK(sum({big, big, -big}).to_string() == "900000000000000000000000000000000000");
  CHECK_THROWS_WITH_AS(sum({big, big}), "number too large (more than 36 digits)", DecimalError);
  CHECK_THROWS_WITH_AS(sum({e35, D("0.5"), D("0.25")}), "inexact sum: the exact result needs more than 36 digits",
                       DecimalError);
  // A rounded term rounds the total once: 10^35 + 1/3 − 10^35 is 1/3, not 0.
  Decimal third = D("1") / D("3");
  CHECK(sum({e35, third, -e35}) == third);
  CHECK(sum({e35, third, -e35}).is_approximate());
  CHECK(sum({D("0.1"), D("0.2")}).to_string() == "0.3");
  CHECK(sum({}).to_string() == "0");
}

TEST_CASE("decimal: division rounds half-up to 36 significant digits") {
  CHECK((D("1") / D("4")).to_string() == "0.25");
  CHECK((D("10") / D("2")).to_string() == "5");
  CHECK((D("1") / D("3")).to_string() == "0." + std::string(36, '3'));
  CHECK((D("2") / D("3")).to_string() == "0." + std::string(35, '6') + "7");
  CHECK((D("-2") / D("3")).to_string() == "-0." + std::string(35, '6') + "7");
  CHECK(D("1") / D("3") * D("3") == D("1") - D("0." + std::string(35, '0') + "1"));
  CHECK_THROWS_AS(D("1") / D("0"), DecimalError);
}

// A nonzero product or quotient below the 38th decimal place is an error: as 0, `x * x > 0` was
// false for x = 10^-20; rounded up, 10^-38 * 0.5 == 10^-38.
TEST_CASE("decimal: a nonzero product or quotient below 10^-38 is an underflow, not 0") {
  const Decimal tiny = D("0.00000000000000000001");
  CHECK_THROWS_WITH_AS(tiny * tiny, doctest::Contains("number too small"), DecimalError);
  CHECK_THROWS_WITH_AS(D("0.000000000000000000000000000000000001") / D("1000"), doctest::Contains("too small"),
                       DecimalError);
  CHECK((D("0.0000000000000000001") * D("0.0000000000000000001")).to_string() ==
        "0.00000000000000000000000000000000000001");
  CHECK((D("0.00000000000000000000000000000000000003") / D("3")).to_string() ==
        "0.00000000000000000000000000000000000001");
  // Below the last place, rounding up to it is no better than rounding down to 0.
  CHECK_THROWS_AS(D("0.00000000000000000000000000000000000002") / D("3"), DecimalError);
  CHECK_THROWS_AS(D("0.00000000000000000000000000000000000001") * D("0.5"), DecimalError);
  CHECK((Decimal(0) * tiny).to_string() == "0.00000000000000000000");
  CHECK((Decimal(0) / D("3")).is_zero());
}

TEST_CASE("decimal: round is half away from zero") {
  struct Case {
    std::string_view in;
    int places;
    std::string_view out;
  };
  constexpr Case cases[] = {{"617283.9455", 2, "617283.95"},
                            {"0.125", 2, "0.13"},
                            {"0.124", 2, "0.12"},
                            {"-0.125", 2, "-0.13"},
                            {"2.5", 0, "3"},
                            {"-2.5", 0, "-3"},
                            {"500000", 2, "500000.00"},
                            {"1234.5", -2, "1200"},
                            {"1250", -2, "1300"},
                            {"0.005", 2, "0.01"},
                            {"0.0049", 2, "0.00"},
                            {"9.995", 2, "10.00"}};
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CAPTURE(c.places);
    CHECK(D(c.in).round(c.places).to_string() == c.out);
  }
}

TEST_CASE("decimal: magnitudes and overflow") {
  CHECK(D("50").shifted(4).to_string() == "500000");
  CHECK(D("3").shifted(8).to_string() == "300000000");
  CHECK(D("1.5").shifted(4).to_string() == "15000");
  CHECK(D("5").shifted(-2).to_string() == "0.05");
  Decimal big = D("999999999999999999999999999999999999");
  CHECK_THROWS_AS(big + Decimal(1), DecimalError);
  CHECK_THROWS_AS(big * Decimal(10), DecimalError);
  // A product with too many fraction digits is rounded, not an error.
  Decimal third = D("1") / D("3");
  CHECK((third * third).to_string().starts_with("0.1111111111"));
  CHECK(D("12.5").to_int64() == std::optional<std::int64_t>(std::nullopt));
  CHECK(D("12.0").to_int64() == 12);
}
