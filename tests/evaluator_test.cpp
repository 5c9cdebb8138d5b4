#include <doctest/doctest.h>

#include <algorithm>

#include "check/functions.hpp"
#include "compile/pack_access.hpp"
#include "support.hpp"
#include "value/calendar.hpp"

using namespace rulebook;
using rulebook::test::TempDir;

TEST_CASE("evaluator: literals and arithmetic are exact") {
  test::check_cases({
      {"0.1 + 0.2 == 0.3", "true"},
      {"5% * 200", "10.00"},
      {"5% * 12345678.91", "617283.9455"},
      {"50万", "500000"},
      {"3亿", "300000000"},
      {"1.5万", "15000"},
      {"7 / 2", "3.5"},
      {"-3 + 1", "-2"},
      {"2 * (3 + 4)", "14"},
      {"round(617283.9455, 2)", "617283.95"},
      {"round(2.5)", "3"},
      {"round(-2.5)", "-3"},
      {"abs(-4.20)", "4.20"},
      {"min(3, 1, 2)", "1"},
      {"max([1, 5, 2])", "5"},
      {"\"申请\" + \"人\"", "\"申请人\""},
      {"len(\"专利服务机构\")", "6"},
      {"contains(\"三方合同\", \"三方\")", "true"},
      {"starts_with(\"abc\", \"ab\")", "true"},
      {"ends_with(\"abc\", \"bc\")", "true"},
      {"2 in [1, 2]", "true"},
      {"\"b\" in \"abc\"", "true"},
      {"4 not in [1, 2]", "true"},
      {"if 1 < 2 then \"yes\" else \"no\"", "\"yes\""},
      {"[1, 2][1]", "2"},
  });
}

TEST_CASE("builtins: the one table says what each function is, consistently") {
  for (const auto& f : ir::all_functions()) {
    CAPTURE(f.name);
    bool takes_lambda = std::any_of(f.args.begin(), f.args.end(),
                                    [](ir::Arg a) { return a == ir::Arg::lambda1 || a == ir::Arg::lambda2; });
    // A lambda runs over the list's elements: the read set must hold their parts.
    if (takes_lambda) CHECK(f.has(ir::iterates));
    if (f.has(ir::iterates)) CHECK(f.args[0] != ir::Arg::number);
    CHECK_FALSE((f.has(ir::rounds) && f.has(ir::keeps_rounding)));
    int result_rules = int(f.has(ir::result_of_lambda)) + int(f.has(ir::result_as_list)) +
                       int(f.has(ir::result_element)) + int(f.has(ir::result_numbers));
    CHECK(result_rules <= 1);
  }
  CHECK(ir::find_function("round")->has(ir::rounds));
  CHECK(ir::find_function("province")->has(ir::needs_divisions));
}

TEST_CASE("evaluator: list functions with lambdas") {
  constexpr const char* doc = R"({"xs": [{"n": 1, "ok": true}, {"n": 2.5, "ok": false}, {"n": 4, "ok": true}]})";
  test::check_cases(
      {
          {"count(xs)", "3"},
          {"count(xs, x -> x.ok)", "2"},
          {"sum(xs, x -> x.n)", "7.5"},
          {"sum(map(filter(xs, x -> x.ok), x -> x.n * 2))", "10"},
          {"any(xs, x -> x.n > 3)", "true"},
          {"all(xs, x -> x.n > 3)", "false"},
          {"map(xs, x -> x.n)", "[1, 2.5, 4]"},
          {"xs[2].n", "4"},
          {"xs[5].n", "unknown"},
          {"sum([])", "0"},
          {"count(xs, x -> any(xs, y -> y.n > x.n))", "2"},
          {"allocate([300, 300, 300], 500, [3, 1, 2])", "[0, 300, 200]"},
          {"allocate([0.005, 0.005, 0.005], 1, [1, 2, 3], 2)", "[0.01, 0.00, 0.01]"},
          // What is left of a cap past the last place paid is not paid: 0.005 gave 0.01.
          {"allocate([1, 1], 0.005, [1, 2], 2)", "[0.00, 0.00]"},
          {"allocate([1, 1], 1.019, [1, 2], 2)", "[1.00, 0.01]"},
          {"allocate([10, 10], 15, [2024-02-01, 2024-01-01])", "[5, 10]"},
          // An open element leaves unknown only the shares it might come before (DS-01 provisional).
          {"allocate([10, xs[9].n, 10], 100, [1, 2, 3])", "[10, unknown, unknown]"},
          {"allocate([10, 10, xs[9].n], 100, [1, 2, 3])", "[10, 10, unknown]"},
          {"allocate([60, 50, xs[9].n], 100, [1, 2, 3])", "[60, 40, 0]"},  // the cap is spent before it
          {"allocate([60, 30, xs[9].n], 100, [1, 2, 3])", "[60, 30, unknown]"},
          {"allocate([60, 50, 10, xs[9].n], 100, [1, 2, 4, 3])", "[60, 40, 0, 0]"},
          {"allocate([10, 10], 100, [xs[9].n, 2])", "[unknown, unknown]"},
          // The cap unknown: a refused element's 0 is granted 0 whatever it is (helper-64: the total
          // of an application whose every transaction was refused was unknown).
          {"allocate([10, 10], xs[9].n, [1, 2])", "[unknown, unknown]"},
          {"allocate([0, 10, -5, xs[9].n], xs[9].n, [1, 2, 3, 4], 2)", "[0.00, unknown, 0.00, unknown]"},
          {"allocate([0, 0], xs[9].n, [1, 2], 2)", "[0.00, 0.00]"},
          {"allocate([0, 0], 100, xs[9].n)", "unknown"},
          // Nor does it, with the cap known, whatever its key: it comes before nothing it could reduce.
          {"allocate([0, 10], 100, [xs[9].n, 1])", "[0, 10]"},
          {"allocate([-5, 10], 100, [xs[9].n, 1], 2)", "[0.00, 10.00]"},
          {"blank(\"\")", "true"},
          {"blank(\" \u3000\\t\")", "true"},
          {"blank(\" 理由 \")", "false"},
      },
      doc);
}

TEST_CASE("evaluator: root() is exact to 36 digits, for large ratios too") {
  test::check_cases(
      {
          {"root(4, 2)", "2"},
          {"root(1000000000000000000000000000000, 5)", "1000000"},  // 10^30: Newton used to overflow here
          {"root(2, 2)", "1.41421356237309504880168872420969808"},
          {"root(0.25, 2)", "0.5"},
          {"root(1.61051, 5)", "1.1"},  // 10% a year over 5 years, exactly
          {"root(123456789012345678901234567890, 100) > 1.9", "true"},
          // An exact root is exact; any other is rounded, so a sum may round it further.
          {"root(2, 2) + 100000000000000000000000000000000000 > 0", "true"},
          {"root(2, 2) + 100", "101.414213562373095048801688724209698"},
          // Small and large x keep their digits (helper-61): y^(n−1) was rounded at the 38th place.
          {"root(0.00000000000000000000000000000000000001, 100)", "0.416869383470335401771092128889199762"},
          {"root(0.00000000000000000000000000000000000001, 3)", "0.00000000000021544346900318837217592936"},
          {"root(999999999999999999999999999999999999, 2)", "1000000000000000000"},  // its check overflowed
          {"root(999999999999999999999999999999999999, 36)", "10"},
      },
      "{}");
}

// Each product keeps 36 significant digits however small or large the power gets (helper-61:
// 0.842^821 stuck at 3E-38 instead of an error; 0.5^-53 was 2^53 − 0.00000055…).
TEST_CASE("evaluator: pow() keeps 36 significant digits, and a negative power divides exactly when it can") {
  test::check_cases(
      {
          {"pow(1.1, 3)", "1.331"},
          {"pow(-2, 3)", "-8"},
          {"pow(-2, -3)", "-0.125"},
          {"pow(0, 0)", "1"},
          {"pow(0.5, -53)", "9007199254740992"},
          {"pow(0.2, -41)", "45474735088646411895751953125"},
          {"pow(0.0005, -10)", "1024000000000000000000000000000000"},
          {"pow(0.0027, -14)", "913918148885551009031339822289694471"},
          {"pow(10, -37)", "0.0000000000000000000000000000000000001"},
          {"pow(7.446, -42)", "0.00000000000000000000000000000000000024"},
          {"pow(0.5, 126)", "0.00000000000000000000000000000000000001"},
          {"pow(0.5, 127)", "error: pow: number too small (nonzero, below 10^-38, the smallest decimal place kept)"},
          {"pow(0.842, 821)", "error: pow: number too small (nonzero, below 10^-38, the smallest decimal place kept)"},
          {"pow(10, 36)", "error: pow: number too large (more than 36 digits)"},
          {"pow(0, -1)", "error: pow: zero to a negative power"},
      },
      "{}");
}

TEST_CASE("evaluator: a builtin's error about one element names that element's data") {
  // helper-61: these named the rule's place only, or the whole list.
  test::check_cases(
      {
          {"sum(items, i -> i.n)", "error: sum: sum needs numbers, got string \"t\" (at $.items[1].n)"},
          {"sum(ns)", "error: sum: sum needs numbers, got string \"t\" (at $.ns[1])"},
          {"sum([x, y])", "error: sum: sum needs numbers, got string \"2\" (at $.y)"},
          {"count(items, i -> i.n)",
           "error: count: expected the function to give true or false, got number 1 (at $.items[0].n)"},
          {"all(items, i -> i.n)",
           "error: all: expected the function to give true or false, got number 1 (at $.items[0].n)"},
          {"allocate(ns, 5, [1, 2])", "error: allocate: allocate needs numbers, got string \"t\" (at $.ns[1])"},
          // No data behind the element: the rule's place alone.
          {"sum(map(items, i -> i.n))", "error: sum: sum needs numbers, got string \"t\""},
      },
      R"({"x": 1, "y": "2", "ns": [1, "t"], "items": [{"n": 1}, {"n": "t"}]})");
}

TEST_CASE("evaluator: a sum that would lose an exact digit is an error") {
  test::check_cases(
      {
          {"100000000000000000000000000000000000 + 0.5",
           "error: inexact sum: the exact result needs more than 36 digits"},
          {"999999999999999999999999999999999999 - input_half",
           "error: inexact sum: the exact result needs more than 36 digits"},
          {"root(4, 2) + 100000000000000000000000000000000000 + 0.5",
           "error: inexact sum: the exact result needs more than 36 digits"},
          {"100000000000000000000000000000000000 + round(1 / 3, 2) - 0.33",
           "error: inexact sum: the exact result needs more than 36 digits"},
          // sum() adds exactly, in any order (helper-61: the first was an error).
          {"sum([100000000000000000000000000000000000, input_half, -100000000000000000000000000000000000])", "0.5"},
          {"sum([100000000000000000000000000000000000, -100000000000000000000000000000000000, input_half])", "0.5"},
          {"sum([100000000000000000000000000000000000, input_half])",
           "error: sum: inexact sum: the exact result needs more than 36 digits"},
      },
      R"({"input_half": 0.5})");
}

TEST_CASE("evaluator: two dates — the event's date against the plan's period and the review date") {
  TempDir dir;
  auto loaded = test::load_pack_text(
      dir, "",
      "rules:\n  - id: D\n    title: {zh: 日期, en: dated}\n    clause: 一\n    quote: 测试\n"
      "    dated: report.due\n    conditions:\n      - {name: on_time, require: report.filed <= report.due}\n"
      "  - id: E\n    title: {zh: 逐项, en: each}\n    clause: 一\n    quote: 测试\n"
      "    each:\n      in: items\n      as: i\n      name: ok\n      dated: i.on\n"
      "      conditions:\n        - {name: good, require: i.good}\n");
  REQUIRE(loaded.pack);  // the pack's period: 2020-01-01 … 2030-12-31
  auto decide = [&](std::string_view json, std::string_view as_of) {
    auto doc = Document::parse(json, "d.json");
    REQUIRE(doc.document);
    return loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse(as_of)});
  };
  struct Case {
    std::string_view json, as_of;
    Outcome d, e;
  };
  const Case cases[] = {
      // In the period, reviewed inside it or years after it ended: judged.
      {R"({"report": {"due": "2025-04-01", "filed": "2025-03-30"}, "items": [{"on": "2025-01-01", "good": true}]})",
       "2025-06-30", Outcome::pass, Outcome::pass},
      {R"({"report": {"due": "2025-04-01", "filed": "2025-04-02"}, "items": [{"on": "2025-01-01", "good": false}]})",
       "2034-01-01", Outcome::fail, Outcome::fail},
      // Dated before the period: not this plan's to judge.
      {R"({"report": {"due": "2019-12-31", "filed": "2020-03-01"}, "items": [{"on": "2019-05-01", "good": false}]})",
       "2025-06-30", Outcome::not_applicable, Outcome::not_applicable},
      // Dated after the review date: refused.
      {R"({"report": {"due": "2025-07-01", "filed": "2025-06-01"}, "items": [{"on": "2025-07-01", "good": true}]})",
       "2025-06-30", Outcome::fail, Outcome::fail},
      // The date missing: asked for.
      {R"({"report": {"filed": "2025-06-01"}, "items": [{"good": true}]})", "2025-06-30", Outcome::needs_info,
       Outcome::needs_info},
      // Reviewed before the plan took effect.
      {R"({"report": {"due": "2020-04-01", "filed": "2020-03-01"}, "items": []})", "2019-12-31",
       Outcome::not_applicable, Outcome::not_applicable},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    CAPTURE(c.as_of);
    Decision d = decide(c.json, c.as_of);
    CHECK(d.rules[0].outcome == c.d);
    CHECK(d.rules[1].outcome == c.e);
  }
  // Elements outside the period neither qualify nor count as refused; each says why.
  Decision mixed = decide(R"({"report": {"due": "2025-04-01", "filed": "2025-03-01"},
                              "items": [{"on": "2019-05-01", "good": false}, {"on": "2025-01-01", "good": true}]})",
                          "2026-01-01");
  CHECK(mixed.rules[1].outcome == Outcome::pass);
  CHECK(mixed.rules[1].items[0].outcome == Outcome::not_applicable);
  CHECK(mixed.rules[1].items[0].reason.zh == "数据日期 2019-05-01 不在方案有效期 2020-01-01 至 2030-12-31 内");
  Decision future = decide(R"({"report": {"due": "2025-07-01", "filed": "2025-06-01"}, "items": []})", "2025-06-30");
  REQUIRE(future.rules[0].failed.size() == 1);
  CHECK(future.rules[0].failed[0].name == "dated");
  CHECK(future.rules[0].failed[0].message.en ==
        "the data is dated 2025-07-01, after the review date 2025-06-30; it is not accepted");
}

// Whether a rule applies is asked before anything it finds counts: an unknown date may lie
// outside the period (then nothing is judged), and a justification answers a failure (or a
// condition still open), not whether the rule applies.
TEST_CASE("evaluator: an open date or applies is asked for, whatever fails and whatever justifies") {
  TempDir dir;
  auto loaded = test::load_pack_text(
      dir, "",
      "rules:\n  - id: D\n    title: {zh: 日期, en: dated}\n    clause: 一\n    quote: 测试\n"
      "    severity: warning\n    applies: report.kind == \"annual\"\n    dated: report.due\n"
      "    justification: report.why\n    conditions:\n      - {name: signed, require: report.signed}\n"
      "  - id: E\n    title: {zh: 逐项, en: each}\n    clause: 一\n    quote: 测试\n"
      "    each:\n      in: items\n      as: i\n      name: ok\n      dated: i.on\n"
      "      conditions:\n        - {name: good, require: i.good}\n");
  REQUIRE(loaded.pack);  // the pack's period: 2020-01-01 … 2030-12-31
  auto decide = [&](std::string_view json) {
    auto doc = Document::parse(json, "d.json");
    REQUIRE(doc.document);
    return loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")});
  };
  // Failing, but without its date: needs_info, asking for the date; the failure is still listed.
  Decision d = decide(
      R"({"report": {"kind": "annual", "signed": false}, "items": [{"good": false}, {"on": "2025-01-01", "good": false}]})");
  CHECK(d.rules[0].outcome == Outcome::needs_info);
  CHECK(d.rules[0].missing == std::vector<std::string>{"$.report.due"});
  REQUIRE(d.rules[0].failed.size() == 1);
  CHECK(d.rules[0].failed[0].name == "signed");
  // The element without its date is asked for it, but it cannot qualify whatever the date, and
  // the other is refused within the period: no element qualifies (helper-64: was needs_info).
  CHECK(d.rules[1].outcome == Outcome::fail);
  CHECK(d.rules[1].items[0].outcome == Outcome::needs_info);
  CHECK(d.rules[1].items[0].missing == std::vector<std::string>{"$.items[0].on"});
  CHECK(d.rules[1].items[1].outcome == Outcome::fail);
  // Alone, it may lie outside the period: the rule waits for its date.
  Decision alone = decide(R"({"report": {"kind": "annual", "signed": true}, "items": [{"good": false}]})");
  CHECK(alone.rules[1].outcome == Outcome::needs_info);
  // With the date, the same failure fails (and an element dated outside the period is not judged).
  Decision dated = decide(
      R"({"report": {"kind": "annual", "due": "2025-04-01", "signed": false}, "items": [{"on": "2019-01-01", "good": false}, {"on": "2025-01-01", "good": false}]})");
  CHECK(dated.rules[0].outcome == Outcome::fail);
  CHECK(dated.rules[1].outcome == Outcome::fail);
  CHECK(dated.rules[1].items[0].outcome == Outcome::not_applicable);
  // A justification clears a failure of a rule that applies, and nothing while it is open.
  CHECK(decide(R"({"report": {"kind": "annual", "due": "2025-04-01", "signed": false, "why": "原因"}, "items": []})")
            .rules[0]
            .outcome == Outcome::pass);
  Decision open = decide(R"({"report": {"due": "2025-04-01", "signed": false, "why": "原因"}, "items": []})");
  CHECK(open.rules[0].outcome == Outcome::needs_info);
  CHECK(open.rules[0].missing == std::vector<std::string>{"$.report.kind"});
  CHECK(open.rules[0].justification.empty());
  CHECK(decide(R"({"report": {"kind": "annual", "signed": false, "why": "原因"}, "items": []})").rules[0].outcome ==
        Outcome::needs_info);
  // A condition still open is cleared as a failure is: failing or not, the rule passes, and its
  // data is not asked for. Without the reason, it is asked for.
  Decision unsigned_ = decide(R"({"report": {"kind": "annual", "due": "2025-04-01", "why": "原因"}, "items": []})");
  CHECK(unsigned_.rules[0].outcome == Outcome::pass);
  CHECK(unsigned_.rules[0].missing.empty());
  CHECK(unsigned_.rules[0].justification == "原因");
  Decision unreasoned = decide(R"({"report": {"kind": "annual", "due": "2025-04-01"}, "items": []})");
  CHECK(unreasoned.rules[0].outcome == Outcome::needs_info);
  CHECK(unreasoned.rules[0].missing == std::vector<std::string>{"$.report.signed"});
  // While whether it applies (or its date) is open, the reason given makes the open condition's
  // data needless: only what decides whether it applies is asked for (helper-54's QJ-03 case).
  Decision both_open = decide(R"({"report": {"due": "2025-04-01", "why": "原因"}, "items": []})");
  CHECK(both_open.rules[0].outcome == Outcome::needs_info);
  CHECK(both_open.rules[0].missing == std::vector<std::string>{"$.report.kind"});
  Decision undated = decide(R"({"report": {"kind": "annual", "why": "原因"}, "items": []})");
  CHECK(undated.rules[0].missing == std::vector<std::string>{"$.report.due"});
  CHECK(decide(R"({"report": {"due": "2025-04-01"}, "items": []})").rules[0].missing ==
        std::vector<std::string>{"$.report.kind", "$.report.signed"});
  // Dated outside the period, the rule does not apply whatever `applies` would say: nothing is
  // asked (helper-58's QJ-03 and helper-59's BZ-10 and HL-04 cases). Both open: both are asked.
  Decision before = decide(R"({"report": {"due": "2019-12-31", "signed": false}, "items": []})");
  CHECK(before.rules[0].outcome == Outcome::not_applicable);
  CHECK(before.rules[0].missing.empty());
  CHECK(before.rules[0].reason.en.find("outside the plan's period") != std::string::npos);
  CHECK(decide(R"({"report": {}, "items": []})").rules[0].missing ==
        std::vector<std::string>{"$.report.kind", "$.report.due", "$.report.signed"});
  // Dated after the review date, whether it applies is still asked first (it may not apply).
  Decision future = decide(R"({"report": {"due": "2025-07-01", "signed": true}, "items": []})");
  CHECK(future.rules[0].outcome == Outcome::needs_info);
  CHECK(future.rules[0].missing == std::vector<std::string>{"$.report.kind"});
}

TEST_CASE("evaluator: dates") {
  constexpr const char* doc = R"({"signed": "2023-08-31", "text": "2024-02-30"})";
  test::check_cases(
      {
          {"add_months(signed, 6)", "2024-02-29"},
          {"add_days(2024-02-28, 1)", "2024-02-29"},
          {"add_years(2024-02-29, 1)", "2025-02-28"},
          {"days_between(2024-01-01, 2025-01-01)", "366"},
          {"months_between(signed, 2024-02-29)", "6"},
          {"years_between(2021-06-30, 2024-06-30)", "3"},
          {"year(signed) * 100 + month(signed)", "202308"},
          {"signed < 2024-01-01", "true"},
          {"date(\"2024-05-01\") == 2024-05-01", "true"},
          {"as_of", "2025-06-30"},
          {"text", "\"2024-02-30\""},  // not a calendar date, so it stays text
      },
      doc);
}

TEST_CASE("evaluator: params, defs with parameters, and earlier outputs") {
  TempDir dir;
  auto loaded = test::load_pack_text(
      dir,
      "params:\n  rate: {value: 5%, clause: 一}\n  open: {clause: 二}\n"
      "defs:\n  base: amount * rate\n  'twice(x)': x * 2\n",
      "rules:\n  - id: R\n    title: {zh: 规则, en: rule}\n    clause: 一\n    quote: 测试\n"
      "    outputs:\n      a: twice(base)\n      b: a + 1\n"
      "    conditions:\n      - name: big\n        require: b > 100\n"
      "  - id: UNSET\n    title: {zh: 未定, en: unset}\n    clause: 二\n    quote: 测试\n"
      "    answer: [x]\n    outputs:\n      x: amount * open\n"
      "  - id: SHOWN\n    title: {zh: 展示, en: shown}\n    clause: 二\n    quote: 测试\n"
      "    outputs:\n      y: amount * open\n    conditions:\n      - {name: some, require: amount > 0}\n");
  REQUIRE(loaded.pack);
  auto doc = Document::parse(R"({"amount": 2000})", "d.json");
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-01-01")});
  CHECK(d.rules[0].outputs[0].second.to_display() == "200.00");
  CHECK(d.rules[0].outputs[1].second.to_display() == "201.00");
  CHECK(d.rules[0].outcome == Outcome::pass);
  // An unset param is never invented: the rule says what it is missing.
  CHECK(d.rules[1].outcome == Outcome::needs_info);
  CHECK(d.rules[1].missing == std::vector<std::string>{"param open"});
  // An output that is not the rule's answer may stay unknown in a decided rule.
  CHECK(d.rules[2].outcome == Outcome::pass);
  CHECK(d.rules[2].outputs[0].second.is_unknown());
  CHECK(d.rules[2].missing.empty());
}

TEST_CASE("evaluator: a runtime error is that rule's error, located, and leaves the others alone") {
  TempDir dir;
  auto loaded = test::load_pack_text(dir, "",
                                     "rules:\n"
                                     "  - id: DIV\n    title: {zh: 除, en: div}\n    clause: 一\n    quote: 测试\n"
                                     "    outputs:\n      x: 1 / zero\n"
                                     "  - id: TYPE\n    title: {zh: 类型, en: type}\n    clause: 一\n    quote: 测试\n"
                                     "    outputs:\n      y: item.amount * 2\n"
                                     "  - id: OK\n    title: {zh: 好, en: ok}\n    clause: 一\n    quote: 测试\n"
                                     "    outputs:\n      z: 1 + 1\n");
  REQUIRE(loaded.pack);
  auto doc = Document::parse(R"({"zero": 0, "item": {"amount": "12元"}})", "d.json");
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-01-01")});
  REQUIRE(d.rules.size() == 3);
  CHECK(d.rules[0].outcome == Outcome::error);
  CHECK(d.rules[0].error->message == "division by zero");
  CHECK(d.rules[0].error->loc.line == 7);
  CHECK(d.rules[0].error->loc.col == 10);
  CHECK(d.rules[1].outcome == Outcome::error);
  CHECK(d.rules[1].error->json_path == "$.item.amount");
  CHECK(d.rules[1].error->message.find("got string \"12元\"") != std::string::npos);
  CHECK(d.rules[2].outcome == Outcome::pass);
  CHECK(d.outcome == Outcome::error);
}

TEST_CASE("lowering: count(filter(xs, p)) runs in one walk, with filter's answers, errors and charges (#15)") {
  TempDir dir;
  auto loaded = test::load_pack_text(dir, "",
                                     "rules:\n  - id: C\n    title: {zh: 计数, en: count}\n    clause: 一\n"
                                     "    quote: 测试\n    outputs:\n      n: count(filter(xs, x -> x > 1))\n"
                                     "  - id: PLACE\n    title: {zh: 位置, en: place}\n    clause: 一\n"
                                     "    quote: 测试\n    outputs:\n      n: len(count(filter(xs, x -> true)))\n");
  REQUIRE(loaded.pack);
  const detail::Code& code = detail::program(*loaded.pack).rules[0].outputs[0].expr.code;
  CHECK(code.size() == 6);  // filter's call, xs, the lambda and its body's three: count's own is gone
  CHECK(code.root().fused);
  CHECK(code.root().name == "filter");
  // What filter then count gave, unfused (the budgets are the least each took, found by bisection
  // with the build before the lowering fused them): the same answer, error and steps.
  struct Case {
    const char* json;
    const char* answer;
    std::uint64_t least_budget;
  };
  // An error about its value points at count, as it did unfused (helper-90 found it at filter).
  auto numbers = Document::parse(R"({"xs": [1, 2]})", "d.json");
  REQUIRE(numbers.document);
  const RuleDecision place = loaded.pack->evaluate(*numbers.document, {.as_of = *Date::parse("2025-01-01")}).rules[1];
  REQUIRE(place.error);
  CHECK(place.error->message == "len: expected a string or a list, got number 2");
  CHECK(place.error->loc.col == 14);  // count; filter is at 20
  for (const Case& c : std::initializer_list<Case>{
           {R"({"xs": [1, 2, 3]})", "2", 21},
           {R"({"xs": [1, null, 3, 4]})", "unknown", 22},
           {R"({"xs": [1, 2, {"a": 1}]})", "error: cannot order object {a: 1} and number 1", 17},
       }) {
    CAPTURE(c.json);
    auto doc = Document::parse(c.json, "d.json");
    REQUIRE(doc.document);
    auto run = [&](std::uint64_t budget) {
      const RuleDecision r =
          loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-01-01"), .max_steps = budget}).rules[0];
      return r.error ? "error: " + r.error->message : r.outputs.at(0).second.to_display();
    };
    CHECK(run(c.least_budget) == c.answer);
    CHECK(run(c.least_budget - 1).find("evaluation budget exceeded") != std::string::npos);
  }
}

TEST_CASE("evaluator: the budget stops a rule that does too much work") {
  TempDir dir;
  auto loaded =
      test::load_pack_text(dir, "",
                           "rules:\n  - id: BIG\n    title: {zh: 大, en: big}\n    clause: 一\n    quote: 测试\n"
                           "    outputs:\n      n: count(xs, a -> any(xs, b -> any(xs, c -> false)))\n");
  REQUIRE(loaded.pack);
  std::string json = "{\"xs\": [";
  for (int i = 0; i < 300; ++i) json += (i ? "," : "") + std::to_string(i);
  json += "]}";
  auto doc = Document::parse(json, "d.json");
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-01-01"), .max_steps = 100000});
  REQUIRE(d.rules[0].outcome == Outcome::error);
  CHECK(d.rules[0].error->message.find("evaluation budget exceeded") != std::string::npos);
}

TEST_CASE("evaluator: work and size are charged; a def reused by a later rule costs it the same (#14)") {
  TempDir dir;
  std::string doubling = "defs:\n  s0: text\n";
  for (int i = 1; i <= 40; ++i)
    doubling += "  s" + std::to_string(i) + ": s" + std::to_string(i - 1) + " + s" + std::to_string(i - 1) + "\n";
  doubling += "  heavy: sum(map(xs, x -> x * 2 + 1))\n";
  auto loaded = test::load_pack_text(
      dir, doubling,
      "rules:\n"
      "  - {id: DOUBLE, title: {zh: 倍, en: doubling}, clause: 一, quote: 测试, outputs: {n: len(s40)}}\n"
      "  - id: FIND\n    title: {zh: 找, en: find}\n    clause: 一\n    quote: 测试\n"
      "    outputs:\n      found: contains(text, needle)\n"
      "  - {id: LIGHT, title: {zh: 轻, en: light}, clause: 一, quote: 测试, outputs: {n: heavy}}\n"
      "  - id: EXTRA\n    title: {zh: 重, en: extra}\n    clause: 一\n    quote: 测试\n"
      "    outputs:\n      n: heavy + sum(map(ys, y -> y * 2 + 1))\n");
  REQUIRE(loaded.pack);
  std::string xs, ys;
  for (int i = 0; i < 2000; ++i) xs += (i ? "," : "") + std::to_string(i);
  for (int i = 0; i < 1000; ++i) ys += (i ? "," : "") + std::to_string(i);
  auto doc = Document::parse("{\"text\": \"" + std::string(1 << 20, 'a') + "\", \"needle\": \"" +
                             std::string(1 << 19, 'a') + "b\", \"xs\": [" + xs + "], \"ys\": [" + ys + "]}");
  REQUIRE(doc.document);
  auto rule = [](const Decision& d, std::string_view id) -> const RuleDecision& {
    return *std::find_if(d.rules.begin(), d.rules.end(), [&](auto& r) { return r.id == id; });
  };
  EvalOptions o{.as_of = *Date::parse("2025-01-01")};
  o.max_value_bytes = 1 << 20;  // the doubling stops at a MiB, long before the budget of steps
  Decision d = loaded.pack->evaluate(*doc.document, o);
  REQUIRE(rule(d, "DOUBLE").error);
  CHECK(rule(d, "DOUBLE").error->message.find("builds values of more than 1048576 bytes") != std::string::npos);
  CHECK(rule(d, "DOUBLE").error->loc.known());  // names where, as any rule error does
  o.max_value_bytes = EvalOptions{}.max_value_bytes;
  d = loaded.pack->evaluate(*doc.document, o);
  REQUIRE(rule(d, "DOUBLE").error);                 // by default the budget of steps stops it first
  CHECK(rule(d, "FIND").outcome == Outcome::pass);  // linear: 1.5 MB searched, in no time
  o.max_steps = 20000;                              // 1.5 MB of text is 24,000 steps
  CHECK(loaded.pack->evaluate(*doc.document, o).rules[1].error->message.find("budget exceeded") != std::string::npos);

  // Find a budget that LIGHT (the def) fits and EXTRA (the def and more) does not; then the same
  // holds without a trace, where EXTRA reuses the def LIGHT computed.
  std::uint64_t low = 1, high = 10'000'000;
  while (low + 1 < high) {
    o.max_steps = (low + high) / 2;
    (rule(loaded.pack->evaluate(*doc.document, o), "LIGHT").outcome == Outcome::error ? low : high) = o.max_steps;
  }
  o.max_steps = high;
  for (bool trace : {true, false}) {
    CAPTURE(trace);
    o.trace = trace;
    Decision t = loaded.pack->evaluate(*doc.document, o);
    CHECK(rule(t, "LIGHT").outcome == Outcome::pass);
    CHECK(rule(t, "EXTRA").outcome == Outcome::error);
  }
}

TEST_CASE("evaluator: what many open items lack is gathered once, each path once, in the order met (#14)") {
  // 20,000 items lacking a field: the rule asks for each field once, in document order. Folding
  // the unknowns pair by pair, or searching the list once per item, was quadratic: a hang.
  TempDir dir;
  auto loaded = test::load_pack_text(
      dir, "",
      "rules:\n  - id: E\n    title: {zh: 逐项, en: each}\n    clause: 一\n    quote: 测试\n"
      "    each:\n      in: items\n      as: i\n      name: ok\n      require: all\n"
      "      conditions:\n        - {name: good, require: i.good}\n        - {name: same, require: i.good or i.fine}\n"
      "    outputs:\n      shares: allocate(map(items, i -> if i.good then 1 else 0), 5000, map(items, i -> i.on))\n");
  REQUIRE(loaded.pack);
  std::string json = R"({"items": [)";
  constexpr int n = 20000;
  for (int i = 0; i < n; ++i) json += std::string(i ? "," : "") + (i % 2 ? R"({"on": 1, "good": true})" : "{}");
  auto doc = Document::parse(json + "]}", "d.json");
  REQUIRE(doc.document);
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")});
  REQUIRE(d.rules.size() == 1);
  CHECK(d.rules[0].outcome == Outcome::needs_info);
  REQUIRE(d.rules[0].missing.size() == n);  // fine and good of each of the 10,000 items without data
  CHECK(d.rules[0].missing[0] == "$.items[0].fine");
  CHECK(d.rules[0].missing[1] == "$.items[0].good");
  CHECK(d.rules[0].missing[2] == "$.items[2].fine");
  // An open item could take the cap first, so the 5,000 granted shares are open too, and so are
  // the open items' own; the 5,000 after the cap is spent get nothing, whatever the open ones are.
  const List& shares = d.rules[0].outputs[0].second.as_list();
  auto open = std::count_if(shares.items.begin(), shares.items.end(), [](const Value& v) { return v.is_unknown(); });
  CHECK(open == 15000);
  CHECK(shares.items[1].missing_paths().size() == n / 2);  // what all 10,000 open items lack
}

TEST_CASE("evaluator: comparing two lists costs by their elements, as iterating them does (#14)") {
  // 2,000 comparisons of a 2,000-element list with itself: 4 million element steps, past a budget
  // of 1 million; counted as one step each, they would pass unseen.
  TempDir dir;
  auto loaded = test::load_pack_text(dir, "",
                                     "rules:\n  - id: L\n    title: {zh: 比较, en: compare}\n    clause: 一\n    quote: 测试\n"
                                     "    outputs:\n      same: count(xs, x -> xs == xs)\n");
  REQUIRE(loaded.pack);
  std::string json = R"({"xs": [)";
  for (int i = 0; i < 2000; ++i) json += std::string(i ? "," : "") + "1";
  auto doc = Document::parse(json + "]}", "d.json");
  REQUIRE(doc.document);
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30"), .max_steps = 1'000'000});
  REQUIRE(d.rules.size() == 1);
  CHECK(d.rules[0].outcome == Outcome::error);
  REQUIRE(d.rules[0].error);
  CHECK(d.rules[0].error->message.starts_with("evaluation budget exceeded"));
}

// A value a result repeats is charged each time: sharing makes the copies cheap to hold, not to
// write out. `map(xs, x -> s)` over 200 items of a 10 KB text is 2 MB of answer.
TEST_CASE("evaluator: a text or list repeated into a result is charged at every repetition") {
  TempDir dir;
  std::string text = std::string(10'000, 'a');
  std::string json = R"({"s": ")" + text + R"(", "o": {"t": ")" + text + R"("}, "ys": [")" + text + R"("], "xs": [)";
  for (int i = 0; i < 200; ++i) json += std::string(i ? "," : "") + "1";
  auto doc = Document::parse(json + "]}", "d.json");
  REQUIRE(doc.document);
  // The map (2 MB) past a limit of 1 MB, repeating a text or one held by an object or a list
  // (charged by their whole size); a list of three (30 KB) past one of 20 KB.
  for (auto [output, limit] : {std::pair{"map(xs, x -> s)", 1'000'000u}, std::pair{"map(xs, x -> o)", 1'000'000u},
                               std::pair{"map(xs, x -> ys)", 1'000'000u}, std::pair{"'[s, s, s]'", 20'000u}}) {
    CAPTURE(output);
    auto loaded =
        test::load_pack_text(dir, "",
                             "rules:\n  - id: L\n    title: {zh: 重复, en: repeat}\n    clause: 一\n    quote: 测试\n"
                             "    outputs:\n      v: " +
                                 std::string(output) + "\n");
    REQUIRE(loaded.pack);
    EvalOptions o{.as_of = *Date::parse("2025-06-30")};
    o.max_value_bytes = limit;
    Decision d = loaded.pack->evaluate(*doc.document, o);
    REQUIRE(d.rules.size() == 1);
    CHECK(d.rules[0].outcome == Outcome::error);
    REQUIRE(d.rules[0].error);
    CHECK(d.rules[0].error->message.starts_with("the rule builds values of more than"));
    o.max_value_bytes = 3 * limit;
    CHECK(loaded.pack->evaluate(*doc.document, o).rules[0].outcome == Outcome::pass);
  }
}

TEST_CASE("evaluator: a chain of fields of any length reads the field, or names it when it is missing") {
  // The evaluator walks up to eight nodes of a chain at once (Evaluator::place); longer ones
  // are read in parts. Around that length the answer must be the same (ASan found a write past
  // the walk's room for a chain of exactly eight fields over the document).
  for (int n = 1; n <= 20; ++n) {
    std::string expr = "f0", json = "7", path = "$.f0";
    for (int i = 1; i < n; ++i) {
      expr += ".f" + std::to_string(i);
      path += ".f" + std::to_string(i);
    }
    for (int i = n - 1; i >= 0; --i) json = "{\"f" + std::to_string(i) + "\": " + json + "}";
    CAPTURE(expr);
    CHECK(test::eval_str(expr, json) == "7");
    CHECK(test::eval_str(expr + ".more", json).find("expected an object") != std::string::npos);
    // Missing from the second field on: the field read is asked for by its whole path.
    TempDir dir;
    auto loaded =
        test::load_pack_text(dir, "",
                             "rules:\n  - id: T\n    title: {zh: 测试, en: test}\n    clause: 一\n    quote: 测试\n"
                             "    conditions:\n      - {name: seven, require: " +
                                 expr + " == 7}\n");
    REQUIRE(loaded.pack);
    auto doc = Document::parse(n > 1 ? R"({"f0": {}})" : "{}", "d.json");
    REQUIRE(doc.document);
    Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")});
    CHECK(d.rules[0].outcome == Outcome::needs_info);
    CHECK(d.rules[0].missing == std::vector<std::string>{path});
  }
}

TEST_CASE("evaluator: a whole number names a key by its integer text, whatever its decimals") {
  // years[2025.0] is years["2025"] (helper-55 found province(230100.00) refused as no division).
  const std::string json = R"({"years": {"2025": {"n": 7}}})";
  CHECK(test::eval_str("years[2025].n", json) == "7");
  CHECK(test::eval_str("years[2025.00].n", json) == "7");
  CHECK(test::eval_str("years[2024 + 1.0].n", json) == "7");
  CHECK(test::eval_str("years[2025.5]", json) == "unknown");
}

TEST_CASE("evaluator: a date outside the working-day calendar is named where it is (CM-03)") {
  auto loaded = load_pack(test::source_dir() / "rules/common");
  REQUIRE(loaded.pack);
  auto cm03 = [&](std::string_view json) {
    auto doc = Document::parse(json, "d.json");
    REQUIRE(doc.document);
    Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2026-12-31")});
    for (const auto& r : d.rules)
      if (r.id == "CM-03") return r.error ? r.error->json_path : std::string("no error");
    return std::string("no CM-03");
  };
  // helper-56: the span's end past the calendar was blamed on its start.
  CHECK(cm03(R"({"span": {"from": "2026-12-30", "to": "2027-01-08"}})") == "$.span.to");
  CHECK(cm03(R"({"span": {"from": "2015-12-30", "to": "2016-01-08"}})") == "$.span.from");
  CHECK(cm03(R"({"span": {"from": "2016-01-08", "to": "2015-12-30"}})") == "$.span.to");
  CHECK(cm03(R"({"span": {"from": "9999-12-31", "to": "2016-01-08"}})") == "$.span.from");
  // The days counted are (from, to], but CM-03 also asks whether `from` is a working day.
  CHECK(cm03(R"({"span": {"from": "2015-12-31", "to": "2016-01-05"}})") == "$.span.from");
}

TEST_CASE("calendar: only the days an answer looks at must be on it") {
  // helper-61: the day before the calendar starts counted as off it, so (2015-12-31, 2016-01-05]
  // was an error though every day in it is on the calendar.
  std::vector<Error> errors;
  auto c = Calendar::load(test::source_dir() / "rules/common/calendar.json", errors);
  REQUIRE(c);
  auto day = [](const char* s) { return *Date::parse(s); };
  CHECK(c->working_days_between(day("2015-12-31"), day("2016-01-05")) == 2);  // 1–3 Jan off, 4–5 work
  CHECK(c->working_days_between(day("2016-01-05"), day("2015-12-31")) == -2);
  CHECK_FALSE(c->working_days_between(day("2015-12-30"), day("2016-01-05")));
  CHECK_FALSE(c->working_days_between(day("2026-12-30"), day("2027-01-01")));
  CHECK(c->working_days_between(day("1990-05-05"), day("1990-05-05")) == 0);  // no day counted
  CHECK(c->add_working_days(day("2015-12-31"), 1) == day("2016-01-04"));
  CHECK(c->add_working_days(day("1990-05-05"), 0) == day("1990-05-05"));
  CHECK_FALSE(c->add_working_days(day("2015-12-30"), 1));
  CHECK_FALSE(c->add_working_days(day("2026-12-30"), 5));
  CHECK_FALSE(c->add_working_days(day("9999-12-31"), 1));
}

// The review desk asks first for what read_paths lists: an object whose presence alone decides a
// rule (known(patent)) was left out, and its section folded away as unread.
TEST_CASE("read_paths: an object of which only the presence is read is listed, unless a part of it is") {
  test::TempDir dir;
  dir.write("s.schema.json", R"({"type": "object", "properties": {
      "patent": {"type": "object", "properties": {"no": {"type": "string"}}},
      "t": {"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "number"}}}}})");
  auto loaded =
      test::load_pack_text(dir, "subject: s.schema.json\n",
                           "rules:\n  - id: P\n    title: {zh: 在, en: present}\n    clause: 一\n    quote: 测试\n"
                           "    conditions:\n      - {name: has, require: known(patent)}\n"
                           "      - {name: t, require: known(t) and t.x > 0}\n");
  REQUIRE(loaded.pack);
  CHECK(loaded.pack->read_paths() == std::vector<std::string>{"$.patent", "$.t.x"});
}
