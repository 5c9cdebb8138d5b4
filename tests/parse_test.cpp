#include "expr/parse.hpp"

#include <doctest/doctest.h>

#include "support.hpp"

using rulebook::expr::parse;

TEST_CASE("parse: every construct of the language is accepted") {
  const char* ok[] = {
      "1 + 2 * 3 - 4 / 5",
      "5% * 200",
      "50万 + 3亿 + 1.5万",
      "2024-01-01 <= contract.signed_on",
      "\"text\" == 'text'",
      "\"escaped \\\" quote\"",
      "true and not false or null == null",
      "a.b[0].c[i + 1]",
      "if x > 0 then x else -x",
      "if a then if b then 1 else 2 else 3",
      "x in [1, 2, 3] and y not in []",
      "min(a, b) + max([1, 2]) + abs(-1) + round(x, 2)",
      "count(xs) + count(xs, x -> x.ok) + sum(xs, x -> x.n)",
      "any(xs, x -> x > 1) or all(xs, x -> x < 1)",
      "map(filter(xs, x -> x.ok), x -> x.amount * rate)",
      "add_months(d, 6) > add_days(d, 1)",
      "f((a, b) -> a + b)",
      "申请人.类型 == \"专利服务机构\"",
      "x ≥ 1 and x ≤ 2 and x ≠ 3",
      "a × b ÷ c",
      "android + notes + iffy + orders",
      "-(-(1))",
      "  1\n  +\n  2  ",
      "1\u3000+\u30002",
  };
  for (const char* text : ok) {
    CAPTURE(text);
    auto r = parse(text);
    CHECK_FALSE(r.error);
    if (r.error) MESSAGE(r.error->message << " at " << r.error->offset);
  }
}

TEST_CASE("parse: errors point at the offending character and say what was expected") {
  struct Case {
    std::string_view text;
    std::size_t offset;
    std::string_view expected;
  };
  constexpr Case cases[] = {
      {"1 +", 3, "expected an expression"},
      {"(1 + 2", 6, "expected ')'"},
      {"a b", 2, "expected an operator or the end of the expression"},
      {"if a then b", 11, "expected 'else'"},
      {"if a b", 5, "expected 'then'"},
      {"\"abc", 4, "expected '\"'"},
      {"[1,,2]", 3, "expected an expression"},
      {"f(1,)", 4, "expected an argument"},
      {"a.", 2, "expected a name"},
      {"a.1", 2, "expected a name"},
      {"x = 1", 2, "expected an operator or the end of the expression"},
      {"", 0, "expected an expression"},
      {"not", 3, "expected an expression"},
      {"1 + * 2", 4, "expected an expression"},
      {"\"caf\\u00e9\"", 5, "expected an escape: \\\", \\', \\\\, \\n or \\t"},  // not X3's type name
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto r = parse(c.text);
    REQUIRE(r.error);
    CHECK(r.error->offset == c.offset);
    CHECK(r.error->message == c.expected);
  }
}

TEST_CASE("parse: nesting and length are bounded before the grammar recurses") {
  std::string deep(100, '(');
  deep += "1" + std::string(100, ')');
  auto r = parse(deep);
  REQUIRE(r.error);
  CHECK(r.error->message.find("nested deeper than 64") != std::string::npos);
  auto nots = parse(std::string(5000, '-') + "1");
  REQUIRE(nots.error);
  auto long_text = parse(std::string(20000, '1'));
  REQUIRE(long_text.error);
  CHECK(long_text.error->message.find("longer than") != std::string::npos);
  CHECK_FALSE(parse(std::string(60, '(') + "1" + std::string(60, ')')).error);
}

TEST_CASE("parse: malformed UTF-8 in a name is an error, not a crash") {
  for (const char* text : {"1>\xfd\x8f\x8e\x8e\x80", "a\xf4\x90\x80\x80", "\xed\xa0\x80", "\xc0\x80", "\xe4\xb8"}) {
    CAPTURE(std::string_view(text));
    CHECK(parse(text).error);
  }
  CHECK_FALSE(parse("\xe4\xb8\xad + 1").error);  // 中 + 1
}

TEST_CASE("parse: node spans cover their source") {
  auto r = parse("abc + de");
  REQUIRE_FALSE(r.error);
  CHECK(r.positions.size() >= 4);
}

TEST_CASE("a chain as long as the length limit allows is refused, not a stack overflow") {
  // 1+1+…+1 (8,000 terms) and a.a.a… fit in 16 KB with no bracket at all: the checked tree
  // would be 8,000 levels deep, and every pass over it recurses.
  std::string sum = "1";
  for (int i = 0; i < 7999; ++i) sum += "+1";
  std::string fields = "a";
  for (int i = 0; i < 3000; ++i) fields += ".a";
  std::string indexes = "xs";
  for (int i = 0; i < 3000; ++i) indexes += "[0]";
  for (const auto& e : {sum, fields, indexes}) {
    CAPTURE(e.substr(0, 20));
    std::string got = rulebook::test::eval_str(e, R"({"a": 1, "xs": [1]})");
    CHECK(got.find("nested too deeply") != std::string::npos);
  }
  CHECK(rulebook::test::eval_str("1+1+1+1", "{}") == "4");  // short chains as before
}
