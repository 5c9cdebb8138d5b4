// Three-valued logic: unknown is data not supplied. false and unknown is false, true or
// unknown is true; otherwise unknown propagates.
#include <doctest/doctest.h>

#include "support.hpp"

namespace {
// `u` is a field the document does not have.
constexpr const char* doc = R"({"t": true, "f": false})";
}  // namespace

TEST_CASE("logic: truth table of and") {
  rulebook::test::check_cases({{"t and t", "true"},
                               {"t and f", "false"},
                               {"f and t", "false"},
                               {"f and f", "false"},
                               {"t and u", "unknown"},
                               {"u and t", "unknown"},
                               {"f and u", "false"},
                               {"u and f", "false"},
                               {"u and u", "unknown"}},
                              doc);
}

TEST_CASE("logic: truth table of or") {
  rulebook::test::check_cases({{"t or t", "true"},
                               {"t or f", "true"},
                               {"f or t", "true"},
                               {"f or f", "false"},
                               {"t or u", "true"},
                               {"u or t", "true"},
                               {"f or u", "unknown"},
                               {"u or f", "unknown"},
                               {"u or u", "unknown"}},
                              doc);
}

TEST_CASE("logic: not, comparisons and arithmetic propagate unknown") {
  rulebook::test::check_cases({{"not t", "false"},
                               {"not u", "unknown"},
                               {"u == 1", "unknown"},
                               {"u + 1 > 2", "unknown"},
                               {"if u then 1 else 2", "unknown"},
                               {"if t then 1 else u", "1"},
                               {"known(u)", "false"},
                               {"known(t)", "true"},
                               {"u in [1, 2]", "unknown"},
                               {"1 in [u, 1]", "true"},
                               {"3 in [u, 1]", "unknown"},
                               {"any([u, t], x -> x)", "true"},
                               {"all([u, f], x -> x)", "false"},
                               {"any([u, f], x -> x)", "unknown"},
                               {"sum([1, u])", "unknown"}},
                              doc);
}

// A list or object holding missing data equals another only if that data could not change the
// answer: `[1, null, 3] != [1, 2, 3]` passed a rule that had its second item to ask for.
TEST_CASE("logic: lists and objects with missing parts compare as unknown, unless a known part differs") {
  rulebook::test::check_cases({{"xs == [1, 2, 3]", "unknown"},
                               {"xs != [1, 2, 3]", "unknown"},
                               {"xs == [1, 2, 4]", "false"},
                               {"xs == [1, 2]", "false"},
                               {"xs == xs", "unknown"},
                               {"ys == [1, 2]", "true"},
                               {"[u] == [1]", "unknown"},
                               {"[1, 2, 3] in [xs, [5]]", "unknown"},
                               {"[9, 9, 9] in [xs]", "false"},
                               {"o == p", "unknown"},
                               {"o == q", "false"},
                               {"p == p", "true"},
                               {"r == p", "unknown"},
                               {"p == r", "unknown"},
                               {"r == q", "false"},
                               {"p == s", "true"},
                               {"s == o", "unknown"}},
                              R"({"xs": [1, null, 3], "ys": [1, 2], "o": {"k": null, "j": 2}, "p": {"k": 1, "j": 2},
                                  "q": {"j": 3}, "r": {"j": 2}, "s": {"j": 2, "k": 1}})");
}

// Input data of another kind than what it is compared with is an error, as `1 == "1"` is, also
// inside lists and objects and for `in` (helper-61: `x in ys` with 1 and ["1", "2"] answered false).
TEST_CASE("logic: comparing different kinds of input data is an error, inside lists, objects and in") {
  rulebook::test::check_cases(
      {{"x in ys", "error: cannot compare string \"1\" and number 1 (at $.x)"},
       {"s in xs", "error: cannot compare number 1 and string \"1\" (at $.s)"},
       {"x in [s]", "error: cannot compare string \"1\" and number 1 (at $.x)"},
       {"xs == ys", "error: cannot compare number 1 and string \"1\" (at $.xs)"},
       {"xs != ys", "error: cannot compare number 1 and string \"1\" (at $.xs)"},
       {"o == p", "error: cannot compare number 1 and string \"1\" (at $.o)"},
       {"x in xs", "true"},  // the same kinds, and null, compare as before
       {"n in xs", "unknown"},
       {"[1, null] == [1, null]", "true"},
       {"xs == [1]", "false"}},
      R"({"x": 1, "s": "1", "n": null, "xs": [1, 2], "ys": ["1", "2"], "o": {"a": 1}, "p": {"a": "1"}})");
}

namespace {
// One rule L of `conditions` (YAML list items) decided on `json` as of 2025-06-30.
rulebook::RuleDecision decide_rule(const char* conditions, const char* json) {
  rulebook::test::TempDir dir;
  auto loaded = rulebook::test::load_pack_text(
      dir, "",
      std::string(
          "rules:\n  - id: L\n    title: {zh: 规则, en: rule}\n    clause: 一\n    quote: 测试\n    conditions:\n") +
          conditions);
  REQUIRE(loaded.pack);
  auto parsed = rulebook::Document::parse(json, "d.json");
  REQUIRE(parsed.document);
  auto d = loaded.pack->evaluate(*parsed.document, {.as_of = *rulebook::Date::parse("2025-06-30")});
  REQUIRE(d.rules.size() == 1);
  return d.rules[0];
}
}  // namespace

// The data that would decide is named: the item or member missing, on either side.
TEST_CASE("logic: an unknown comparison of lists or objects names what is missing") {
  auto r = decide_rule(
      "      - {name: a, require: 'xs != [1, 2, 3]', message: {zh: 相同, en: same}}\n"
      "      - {name: b, require: r == p, message: {zh: 不同, en: different}}\n",
      R"({"xs": [1, null, 3], "p": {"k": 1}, "r": {}})");
  CHECK(r.outcome == rulebook::Outcome::needs_info);
  CHECK(r.missing == std::vector<std::string>{"$.xs[1]", "$.r.k"});
}

// An undecided `if` asks for what either branch would need as well: asked only for the condition,
// an applicant came back with it and was then asked for the amount (helper-76). A branch that would
// fail (here a text times a number) is no error while it is not taken, and one known adds nothing.
TEST_CASE("logic: an undecided if asks at once for what its branches would need") {
  const char* conditions =
      "      - {name: a, require: '(if eligible then amount * 5% else 0) >= 0', message: {zh: 甲, en: a}}\n"
      "      - {name: b, require: '(if eligible then name * 2 else rate) >= 0', message: {zh: 乙, en: b}}\n"
      "      - {name: c, require: 'if eligible then eligible else true', message: {zh: 丙, en: c}}\n";
  auto r = decide_rule(conditions, R"({"name": "x"})");
  CHECK(r.outcome == rulebook::Outcome::needs_info);
  CHECK(r.missing == std::vector<std::string>{"$.amount", "$.eligible", "$.rate"});
  // Decided, only the branch taken counts.
  r = decide_rule(conditions, R"({"name": "x", "eligible": false, "rate": 1})");
  CHECK(r.outcome == rulebook::Outcome::pass);
  CHECK(r.missing.empty());
}
