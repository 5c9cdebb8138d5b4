// The JSON report keeps to schemas/decision.schema.json: every key it writes is declared
// there, and every key the schema requires is written.
#include "rulebook/report.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "report/json_lines.hpp"
#include "report/json_writer.hpp"
#include "report/present.hpp"
#include "support.hpp"

using namespace rulebook;
using nlohmann::json;

namespace {

const json& schema() {
  static const json s = json::parse(std::ifstream(test::source_dir() / "schemas/decision.schema.json"));
  return s;
}

// Checks `value` against the object definition `def`: required keys present, no undeclared keys.
void conforms(const json& value, const json& def, const std::string& where) {
  CAPTURE(where);
  REQUIRE(value.is_object());
  for (const auto& key : def.value("required", json::array())) CHECK(value.contains(key.get<std::string>()));
  if (def.value("additionalProperties", true) == false)
    for (const auto& [key, v] : value.items()) {
      CAPTURE(key);
      CHECK(def["properties"].contains(key));
    }
}

json decision_for(const std::string& example) {
  auto loaded = load_pack(test::source_dir() / "rules/dongsheng-2024");
  std::ifstream in(test::source_dir() / "examples/dongsheng-2024" / example);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto doc = Document::parse(text, example);
  return json::parse(to_json(loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")})));
}

}  // namespace

TEST_CASE("report: JSON decisions follow the decision schema") {
  const json& defs = schema()["$defs"];
  for (const char* example : {"eligible.json", "multi.json", "ineligible.json", "needs-info.json"}) {
    json d = decision_for(example);
    conforms(d, defs["decision"], example);
    for (const auto& r : d["rules"]) {
      conforms(r, defs["rule"], std::string(example) + " rule");
      conforms(r["citation"], defs["rule"]["properties"]["citation"], "citation");
      for (const auto& f : r["failed"]) conforms(f, defs["failed"]["items"], "failed");
      for (const auto& i : r.value("items", json::array()))
        conforms(i, defs["rule"]["properties"]["items"]["items"], "item");
      for (const auto& t : r["trace"]) conforms(t, defs["rule"]["properties"]["trace"]["items"], "trace");
    }
  }
}

TEST_CASE("report: numbers are written with exactly their digits") {
  auto loaded = load_pack(test::source_dir() / "rules/dongsheng-2024");
  std::ifstream in(test::source_dir() / "examples/dongsheng-2024/multi.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::string out =
      to_json(loaded.pack->evaluate(*Document::parse(text).document, {.as_of = *Date::parse("2025-06-30")}));
  CHECK(out.find("\"amounts\": [200000.00, 238271.61, 61728.39, 0.00]") != std::string::npos);
  CHECK(out.find("\"total\": 500000.00") != std::string::npos);
}

TEST_CASE("report: text in Chinese by default, English on request") {
  auto loaded = load_pack(test::source_dir() / "rules/dongsheng-2024");
  std::ifstream in(test::source_dir() / "examples/dongsheng-2024/ineligible.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  Decision d = loaded.pack->evaluate(*Document::parse(text).document, {.as_of = *Date::parse("2025-06-30")});
  std::string zh = to_text(d), en = to_text(d, "en");
  CHECK(zh.find("结论: 不通过") != std::string::npos);
  CHECK(zh.find("申请人不是专利服务机构") != std::string::npos);
  CHECK(en.find("result: fail") != std::string::npos);
  CHECK(en.find("the applicant is not a patent service agency") != std::string::npos);
}

namespace {

struct Rendered {
  std::string text, html;
};

Rendered render(const std::string& example, const std::string& lang, const char* as_of = "2025-06-30",
                const std::string& pack = "dongsheng-2024") {
  auto loaded = load_pack(test::source_dir() / "rules" / pack);
  REQUIRE(loaded.pack);
  std::ifstream in(test::source_dir() / "examples" / pack / example);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto doc = Document::parse(text, example);
  REQUIRE(doc.document);
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse(as_of)});
  ReportOptions o{lang, &*loaded.pack, &*doc.document, "abc123", "张三"};
  return {to_text(d, o), to_html(d, o)};
}

}  // namespace

TEST_CASE("report: what a reviewer signs, in Chinese by default and in English") {
  auto zh = render("multi.json", "zh");
  for (const auto* page : {&zh.text, &zh.html}) {
    CHECK(page->find("东胜区科创技术转移服务中心") != std::string::npos);  // the applicant
    CHECK(page->find("52150602MJ0000123G") != std::string::npos);          // its credit code
    CHECK(page->find("核定资助") != std::string::npos);                    // outputs by title
    CHECK(page->find("238,271.61 元") != std::string::npos);               // money with separators and 元
    CHECK(page->find("未签订三方合同") != std::string::npos);              // the reason in words
    CHECK(page->find("对同一单位给予最高 50万元资助") != std::string::npos);  // the clause quoted
    CHECK(page->find("解读（目录 DS-01）") != std::string::npos);          // the note in Chinese
    CHECK(page->find("Reading (CATALOG") == std::string::npos);
    CHECK(page->find("applies") == std::string::npos);
  }
  // Rules that do not apply: one line, with their one reason.
  CHECK(zh.text.find("[不适用] DS-02、DS-03、DS-04、DS-05、DS-05-register、DS-06 — 本条款的适用条件不成立") != std::string::npos);
  CHECK(zh.html.find("<h2>DS-02") == std::string::npos);
  // The page stands alone: no scripts, no links out; the cut by the cap is explained.
  CHECK(zh.html.find("<script") == std::string::npos);
  CHECK(zh.html.find("http") == std::string::npos);
  CHECK(zh.html.find("@page { size: A4") != std::string::npos);
  CHECK(zh.html.find("超出资助上限，核减 <span class=\"whole\">161,728.39 元</span>") != std::string::npos);
  CHECK(zh.html.find("abc123") != std::string::npos);
  CHECK(zh.html.find("张三") != std::string::npos);

  auto en = render("multi.json", "en");
  CHECK(en.text.find("granted: 238,271.61 yuan") != std::string::npos);
  CHECK(en.html.find("over the cap, reduced by <span class=\"whole\">161,728.39 yuan</span>") != std::string::npos);
  CHECK(en.html.find("Reading (CATALOG DS-01)") != std::string::npos);
  CHECK(en.text.find("[not applicable] DS-02, DS-03") != std::string::npos);
}

// A warning's failure leaves the document passing: shown as a bare 不通过 under 结论：通过 it read as a
// contradiction (helper-80). An output's codes are shown in words, in a list too.
TEST_CASE("report: a warning's failure says it warns, and codes are shown in words") {
  auto zh = render("application-warning.json", "zh", "2029-01-01", "bayingolin-2026");
  CHECK(zh.text.find("结论: 通过") != std::string::npos);
  CHECK(zh.text.find("[不通过（警告）] BZ-10") != std::string::npos);
  CHECK(zh.html.find("不通过（警告）") != std::string::npos);
  CHECK(render("application-warning.json", "en", "2029-01-01", "bayingolin-2026").text.find("[fail (warning)] BZ-10") !=
        std::string::npos);
  // A figure the plan leaves open is named as the plan names it, and said to be the plan's gap, not
  // the applicant's (it read 参数未设定：subsidy_rate).
  CHECK(render("transaction-needs-info.json", "zh", "2026-01-01", "heilongjiang-2023")
            .text.find("需补充: 参数「补助比例」未设定（方案未规定）") != std::string::npos);
  CHECK(render("transaction-needs-info.json", "en", "2026-01-01", "heilongjiang-2023")
            .text.find("param \"subsidy rate\" is not set (the plan leaves it open)") != std::string::npos);
  // A refused transaction's grant, unknown while the plan leaves the rate open: nothing is due, and
  // nothing to ask for (it read 补助金额 = 未知); still unknown while the rule needs information.
  CHECK(render("transaction-fail.json", "zh", "2026-01-01", "heilongjiang-2023").text.find("补助金额 = 无（未通过）") !=
        std::string::npos);
  CHECK(render("transaction-fail.json", "en", "2026-01-01", "heilongjiang-2023").html.find("none (the rule fails)") !=
        std::string::npos);
  CHECK(render("transaction-needs-info.json", "zh", "2026-01-01", "heilongjiang-2023").text.find("补助金额 = 未知") !=
        std::string::npos);
  CHECK(render("inventor-fail.json", "zh", "2025-01-01", "qianjiang-2022")
            .text.find("可申报的职称级别 = 无（不符合条件）") != std::string::npos);

  test::TempDir dir;
  auto loaded =
      test::load_pack_text(dir, "",
                           "rules:\n  - id: L\n    title: {zh: 列表, en: list}\n    clause: 一\n    quote: 测试\n"
                           "    outputs:\n      measures:\n        value: '[\"a\", \"b\", \"c\"]'\n"
                           "        labels: {a: {zh: 甲, en: A}, b: {zh: 乙, en: B}}\n");
  REQUIRE(loaded.pack);
  auto doc = Document::parse("{}", "d.json");
  REQUIRE(doc.document);
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")});
  ReportOptions o{"zh", &*loaded.pack, &*doc.document, "", ""};
  CHECK(to_text(d, o).find("甲、乙、c") != std::string::npos);  // a code without words stays as written
}

// A transaction that qualifies while its grant is still unknown (what the unit received before is
// not given): nothing was cut, so no "核减" line (the money columns known were once compared, the
// contract's amount with the 5% asked for, and their difference shown as a cut).
TEST_CASE("report: a grant still unknown is not shown as a cut") {
  auto loaded = load_pack(test::source_dir() / "rules/dongsheng-2024");
  REQUIRE(loaded.pack);
  auto doc = Document::parse(
      R"({"applicant": {"type": "patent_service_agency"}, "transactions": [{"id": "a", "concluded": true,
          "contract": {"amount": 100, "signed_on": "2024-03-01", "tripartite": true}, "transformation": {"succeeded": true}}]})",
      "d.json");
  REQUIRE(doc.document);
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")});
  REQUIRE(d.rules[0].outcome == Outcome::needs_info);
  for (const char* lang : {"zh", "en"}) {
    std::string html = to_html(d, ReportOptions{lang, &*loaded.pack, &*doc.document, "abc123", "张三"});
    CAPTURE(lang);
    CHECK(html.find("核减") == std::string::npos);
    CHECK(html.find("reduced by") == std::string::npos);
  }
}

TEST_CASE("report: money keeps its separators, signs and fen") {
  struct Case {
    const char *number, *want;
  };
  constexpr Case cases[] = {{"0", "0.00"},         {"5", "5.00"},           {"999.5", "999.50"},
                            {"1000", "1,000.00"},  {"617283.9455", "617,283.95"}, {"-1234567.891", "-1,234,567.89"},
                            {"100000000", "100,000,000.00"}};
  for (const auto& c : cases) {
    CAPTURE(c.number);
    auto d = Decimal::parse(c.number);
    REQUIRE(d);
    CHECK(report::with_separators(*d, true) == c.want);
  }
}

namespace {
// JSON string escaping one byte at a time, the plain way: what the writer's word-at-a-time
// scans must come to.
std::string quoted_slowly(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      auto cp = decode_utf8(s.substr(i));
      out += cp ? std::string(s.substr(i, cp->length)) : "\\ufffd";
      i += cp ? cp->length : 1;
      continue;
    }
    char buf[8];
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += char(c);
        }
    }
    ++i;
  }
  return out + "\"";
}
}  // namespace

TEST_CASE("report: JSON strings are escaped alike wherever the byte to escape falls") {
  // Runs of 16 and 8 plain bytes are passed whole: each special piece at every offset of strings
  // up to 40 bytes crosses those boundaries.
  const std::string pieces[] = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "é", "转", "😀",
                                "\xff", "\x80", "\xe4\xb8", "\xed\xa0\x80", "\xc0\xaf"};
  for (std::size_t length = 0; length <= 40; ++length)
    for (std::size_t at = 0; at <= length; ++at)
      for (const auto& piece : pieces) {
        std::string s = std::string(at, 'a') + piece + std::string(length - at, 'b');
        CAPTURE(s);
        CHECK(json_quote(s) == quoted_slowly(s));
      }
}

TEST_CASE("report: a key written in the code and the same key from data are written alike") {
  for (bool one_line : {true, false}) {
    JsonWriter literal(one_line), data(one_line);
    const std::string id = "id", name = "名称 \"x\"";
    literal.open('{');
    literal.field("id", "A-1");
    literal.key("amount");
    literal.out += "1";
    literal.close('}');
    data.open('{');
    data.field(id, "A-1");
    data.key(std::string("amount"));
    data.out += "1";
    data.close('}');
    CHECK(literal.out == data.out);
    JsonWriter escaped(one_line);
    escaped.key(name);  // from data: escaped
    CHECK(escaped.out.ends_with("\"名称 \\\"x\\\"\": "));
  }
}

// Batch writes what repeats from one line to the next (titles, citations, failed conditions,
// notes, a rule's whole record but its outputs) once per worker and copies it after: only while
// it is the same text. Each change below is written anew, byte for byte as a line written
// without the memo.
TEST_CASE("report: JSON lines reuse a rule's repeated texts and records only while they are the same") {
  auto loaded = load_pack(test::source_dir() / "rules/dongsheng-2024");
  REQUIRE(loaded.pack);
  std::vector<Decision> ds;
  for (const char* example : {"assessment-fail.json", "multi.json", "assessment-fail.json"}) {
    std::ifstream in(test::source_dir() / "examples/dongsheng-2024" / example);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    ds.push_back(
        loaded.pack->evaluate(*Document::parse(text, example).document, {.as_of = *Date::parse("2025-06-30")}));
  }
  REQUIRE(std::any_of(ds[0].rules.begin(), ds[0].rules.end(), [](const auto& r) { return !r.failed.empty(); }));
  Decision changed = ds[0];
  for (auto& r : changed.rules) {
    r.title.zh += "（修订）";
    r.citation.quote += " \"amended\"";
    r.note.en = "a note";
    for (auto& f : r.failed) f.message.en += "!", f.at.line += 1;
  }
  ds.push_back(changed);
  ds.push_back(ds[0]);
  Decision fewer = ds[1];
  fewer.rules.resize(1);
  ds.push_back(fewer);
  ds.push_back(ds[1]);
  // A rule's record is kept whole but for its outputs: new values in the same frame, then a
  // change to each other part of the record, each alone, then more frames than are kept.
  Decision values = ds[0];
  for (auto& r : values.rules) {
    r.outputs.emplace_back("added", Value(*Decimal::parse("1234.5")));
    for (auto& [name, v] : r.outputs) v = Value("值 \"" + name + "\"");
  }
  ds.push_back(values);
  for (int part = 0; part < 8; ++part) {
    Decision d = ds[0];
    for (auto& r : d.rules) {
      if (part == 0) r.outcome = r.outcome == Outcome::pass ? Outcome::fail : Outcome::pass;
      if (part == 1) r.severity = Severity::warning;
      if (part == 2) r.id += "x";
      if (part == 3) r.reason = {"不适用", "not applicable"};
      if (part == 4) r.justification = "已说明";
      if (part == 5) r.missing.push_back("$.applicant.name");
      if (part == 6) r.trace.push_back({"input", "$.applicant.name", "\"甲\""});
      if (part == 7 && !r.failed.empty()) r.failed.pop_back();
    }
    ds.push_back(d);
    ds.push_back(values);
  }
  for (int n = 0; n < 2 * int(detail::JsonLineMemo::most_frames); ++n) {
    Decision d = ds[0];
    for (auto& r : d.rules) r.justification = std::to_string(n);
    ds.push_back(d);
  }
  ds.push_back(ds[0]);
  detail::JsonLineMemo memo;
  for (int round = 0; round < 2; ++round)
    for (std::size_t i = 0; i < ds.size(); ++i) {
      CAPTURE(round);
      CAPTURE(i);
      std::string plain, reused;
      append_json_line(plain, ds[i], i + 1, "A-1");
      detail::append_json_line(reused, ds[i], i + 1, "A-1", {}, memo);
      CHECK(reused == plain);
    }
}

// XJ-01's indicators were three lists of eleven numbers (2.4、21、12.47…): which was which could not
// be read. A list of labelled codes names the elements of the lists of its length, a row each, in
// the unit its code names (helper-80's walkthrough).
TEST_CASE("report: list outputs named by a list of codes are rows, each in its unit") {
  struct Case {
    const char* lang;
    std::vector<std::string> text, html;
  };
  const Case cases[] = {
      {"zh",
       {"主要指标:", "专利权质押融资金额: 实际值：320,000,000.00 元；目标值：300,000,000.00 元；差距：20,000,000.00 元",
        "专利申请受理量年均增长: 实际值：12.47%；目标值：15.00%；差距：-2.53 个百分点",
        "每万人口发明专利拥有量（件）: 实际值：2.4；目标值：2.5；差距：-0.1", "专利申请量年均增长 = 12.47%"},
       {"<table class=\"rows\"><thead><tr><th>主要指标</th><th>实际值</th><th>目标值</th><th>差距</th></tr>",
        "<tr><td>专利权质押融资金额</td><td class=\"num\">320,000,000.00 元</td>"}},
      {"en",
       {"patent pledge financing: value: 320,000,000.00 yuan; target: 300,000,000.00 yuan; gap: 20,000,000.00 yuan",
        "electronic filing rate: value: 97.2%; target: 90%; gap: 7.2 pp"},
       {"<th class=\"wraps\">indicator</th><th>value</th><th>target</th><th>gap</th>"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.lang);
    auto r = render("statistics-fail.json", c.lang, "2021-01-01", "xinjiang-13fyp");
    for (const auto& want : c.text) {
      CAPTURE(want);
      CHECK(r.text.find(want) != std::string::npos);
    }
    for (const auto& want : c.html) {
      CAPTURE(want);
      CHECK(r.html.find(want) != std::string::npos);
    }
    CHECK(r.text.find("320000000") == std::string::npos);  // no list of bare numbers left
  }
  // A long heading may wrap, a short one is kept whole: BZ-01's eight columns ran off the printed
  // page while every Chinese heading was kept on one line.
  auto bz = render("statistics-fail.json", "zh", "2028-12-31", "bayingolin-2026");
  CHECK(bz.html.find("<th class=\"wraps\">高价值发明专利增速与目标之差</th>") != std::string::npos);
  CHECK(bz.html.find("<th>评价年度</th>") != std::string::npos);
  // A count beside money is grouped too; a ratio reads as a percent.
  auto hl = render("statistics-fail.json", "zh", "2026-03-01", "heilongjiang-2023");
  CHECK(hl.text.find("2023—2025年发明专利授权量（件）: 实际值：39,000；目标值：40,000；差距：-1,000") !=
        std::string::npos);
  auto five = render("cm-01-fail.json", "zh", "2025-06-30", "common");
  CHECK(five.text.find("在海外有同族专利权: 是否符合：否") != std::string::npos);
  CHECK(five.text.find("否、否、否") == std::string::npos);
}

// A row's unit is said by its code's label, once, where its words are: the code's spelling says
// nothing (it once did: a code ending in _pct was a percent, in _yuan money).
TEST_CASE("report: a row's unit is its label's") {
  test::TempDir dir;
  auto loaded = test::load_pack_text(
      dir, "",
      "rules:\n  - id: R\n    title: {zh: 指标, en: indicators}\n    clause: 一\n    quote: 测试\n    outputs:\n"
      "      indicators:\n        value: '[\"pledge\", \"share\", \"count_pct\"]'\n"
      "        labels:\n"
      "          pledge: {zh: 质押融资金额, en: pledge financing, unit: yuan}\n"
      "          share: {zh: 企业占比, en: enterprises' share, unit: percent}\n"
      "          count_pct: {zh: 机构数（家）, en: institutions}\n"
      "      values: '[1234567.5, 12.5, 7]'\n"
      "      gaps:\n        value: '[-1000, -2.5, 1]'\n        unit: points\n");
  REQUIRE(loaded.pack);
  auto doc = Document::parse("{}", "d.json");
  REQUIRE(doc.document);
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")});
  struct Case {
    const char *lang, *want;
  };
  constexpr Case cases[] = {
      {"zh", "质押融资金额: values：1,234,567.50 元；gaps：-1,000.00 元"},
      {"zh", "企业占比: values：12.5%；gaps：-2.5 个百分点"},
      {"zh", "机构数（家）: values：7；gaps：1\n"},  // no unit, whatever its code ends with
      {"en", "pledge financing: values: 1,234,567.50 yuan; gaps: -1,000.00 yuan"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.want);
    ReportOptions o{c.lang, &*loaded.pack, &*doc.document, "", ""};
    CHECK(to_text(d, o).find(c.want) != std::string::npos);
  }
  std::string html = to_html(d, ReportOptions{"zh", &*loaded.pack, &*doc.document, "", ""});
  CHECK(html.find("<tr><td>质押融资金额</td><td class=\"num\">1,234,567.50 元</td>") != std::string::npos);
}

// An output that says nothing of its codes' words shows them by the subject schema's x-enum-labels
// (BZ-05 showed invention_output_scale to a reviewer): through a member, list elements, filter and
// map, and either branch of an if; what is computed, or was never a choice of the field, as it is.
TEST_CASE("report: codes an output reads from the document are shown by the schema's labels") {
  auto bz = render("major-project-pass.json", "zh", "2029-01-01", "bayingolin-2026");
  CHECK(bz.text.find("核心评价指标衡量的内容 = 自主发明专利产出规模、专利布局质量、专利转化效益") != std::string::npos);
  CHECK(bz.html.find("<td>自主发明专利产出规模、专利布局质量、专利转化效益</td>") != std::string::npos);

  test::TempDir dir;
  dir.write("s.schema.json", R"({"type": "object", "properties": {
      "kind": {"enum": ["a", "b"], "x-enum-labels": {"a": {"zh": "甲类", "en": "kind A"}, "b": {"zh": "乙类", "en": "kind B"}}},
      "items": {"type": "array", "items": {"type": "object", "properties": {
        "measures": {"enum": ["x", "y"], "x-enum-labels": {"x": {"zh": "规模", "en": "scale"}, "y": {"zh": "质量", "en": "quality"}}},
        "core": {"type": "boolean"}}}}}})");
  auto loaded = test::load_pack_text(
      dir, "subject: s.schema.json\n",
      "rules:\n  - id: E\n    title: {zh: 代码, en: codes}\n    clause: 一\n    quote: 测试\n    outputs:\n"
      "      kind: kind\n"
      "      measures: map(filter(items, i -> i.core), i -> i.measures)\n"
      "      first: 'if kind == \"a\" then items[0].measures else \"z\"'\n"
      "      computed: 'if kind == \"a\" then \"b\" else \"a\"'\n"
      "      own:\n        value: kind\n        labels: {a: {zh: 自定}}\n");
  REQUIRE(loaded.pack);
  auto doc = Document::parse(
      R"({"kind": "a", "items": [{"measures": "x", "core": true}, {"measures": "y", "core": false}, {"measures": "y", "core": true}]})",
      "d.json");
  REQUIRE(doc.document);
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")});
  std::string zh = to_text(d, ReportOptions{"zh", &*loaded.pack, &*doc.document, "", ""});
  constexpr const char* wants[] = {"kind = 甲类", "measures = 规模、质量", "first = 规模", "computed = b",
                                   "own = 自定"};
  for (const char* want : wants) {
    CAPTURE(want);
    CHECK(zh.find(want) != std::string::npos);
  }
  CHECK(to_text(d, ReportOptions{"en", &*loaded.pack, &*doc.document, "", ""}).find("measures = scale, quality") !=
        std::string::npos);
}

TEST_CASE("report: a ratio reads as a percent") {
  auto r = render("register-fail.json", "zh", "2025-06-30");
  CHECK(r.text.find("备案覆盖率 = 66.67%") != std::string::npos);  // was 0.6667
}

// The printed report: identifiers and headers kept on one line (ZX-2025- / 01 read as two), each
// page naming the applicant and the verdict with its number, and the lines to sign kept with them.
TEST_CASE("report: what is printed keeps identifiers whole and each page named") {
  auto zh = render("needs-info.json", "zh");
  CHECK(zh.html.find("<td class=\"id\">ZX-2025-01</td>") != std::string::npos);
  CHECK(zh.html.find("<td class=\"id\">JS25-034</td>") != std::string::npos);
  CHECK(zh.html.find("thead th, .rows th { word-break: keep-all; }") != std::string::npos);
  CHECK(zh.html.find("封顶前资助（5%）") != std::string::npos);
  CHECK(zh.html.find("counter(page) \" 页 / 共 \" counter(pages)") != std::string::npos);
  CHECK(zh.html.find("content: \"专利政策合规审查报告 · 东胜区知行专利服务有限公司 · 结论：需补充材料\"") !=
        std::string::npos);
  CHECK(zh.html.find("<div class=\"closing\"><p>申请人：东胜区知行专利服务有限公司 · ") != std::string::npos);
  auto en = render("multi.json", "en");
  CHECK(en.html.find("\"page \" counter(page) \" of \" counter(pages)") != std::string::npos);
}
