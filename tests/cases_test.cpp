// The cases runner: a case that can never fail (no expectation, a key the runner would skip)
// is an error of the cases file, at its line and column, never a pass.

#include "rulebook/cases.hpp"

#include "support.hpp"

namespace rulebook::test {
namespace {

constexpr std::string_view rules = R"(rules:
  - id: T-1
    title: {zh: 测试, en: test}
    clause: 一
    quote: 测试条款
    outputs:
      value: x + 1
)";

// The cases file's text after `cases:\n  - name: n\n    rule: T-1\n    as_of: 2025-01-01\n`.
struct Case {
  std::string_view name, text, want;  // want: "line:col: start of the message"
};

CaseRun run(std::string_view cases_file) {
  TempDir dir;
  auto loaded = load_pack_text(dir, "", rules);
  REQUIRE(loaded.pack);
  std::filesystem::create_directories(dir.path / "cases");
  dir.write("cases/t.yaml", cases_file);
  return run_cases(*loaded.pack, dir.path);
}

constexpr std::string_view head = "cases:\n  - name: n\n    rule: T-1\n    as_of: 2025-01-01\n";

TEST_CASE("a case that compares nothing or names an unknown key is an error of the file") {
  constexpr Case cases[] = {
      {"no expect", "    input: {x: 1}\n", "2:5: a case needs 'expect'"},
      {"empty expect", "    input: {x: 1}\n    expect: {}\n",
       "6:13: 'expect' compares nothing, so the case could never fail"},
      {"null expect", "    input: {x: 1}\n    expect:\n", "6:5: 'expect' compares nothing"},
      {"misspelt expect key", "    input: {x: 1}\n    expect: {outcom: pass}\n",
       "6:14: unknown key 'outcom' in 'expect'; expected one of: outcome, outputs, missing, failed, items, invalid; "
       "did you mean 'outcome'?"},
      {"misspelt case key", "    input: {x: 1}\n    expcet: {outcome: pass}\n",
       "6:5: unknown key 'expcet' in a case; expected one of: name, rule, as_of, input, input_file, expect; did you "
       "mean 'expect'?"},
      {"unknown outcome", "    input: {x: 1}\n    expect: {outcome: passed}\n",
       "6:23: unknown outcome 'passed'; expected one of: "},
      {"missing is not a list", "    input: {x: 1}\n    expect: {missing: $.x}\n",
       "6:23: expected 'missing' to be a list"},
      {"outputs is not a mapping", "    input: {x: 1}\n    expect: {outputs: 2}\n",
       "6:23: expected 'outputs' to be a mapping"},
      {"invalid without outcome invalid", "    input: {x: 1}\n    expect: {invalid: [$.x]}\n",
       "6:23: 'invalid' names the paths the schema refuses"},
      {"no input", "    expect: {outcome: pass}\n", "2:5: a case needs 'input' (the document) or 'input_file'"},
      {"both inputs", "    input: {x: 1}\n    input_file: x.json\n    expect: {outcome: pass}\n",
       "6:17: a case has 'input' or 'input_file', not both"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CaseRun r = run(std::string(head) + std::string(c.text));
    CHECK(r.results.empty());
    REQUIRE(!r.errors.empty());
    const Error& e = r.errors[0];
    std::string got = e.loc.to_string() + ": " + e.message;
    CAPTURE(got);
    CHECK(got.find(c.want) != std::string::npos);
    CHECK(e.loc.file.ends_with("t.yaml"));
    CHECK(!e.source_line.empty());
  }
}

TEST_CASE("the file's own structure") {
  struct File {
    std::string_view name, text, want;
  };
  constexpr File files[] = {
      {"no cases key", "case:\n  - name: n\n", "1:1: expected 'cases:', a list of cases"},
      {"an empty list", "cases: []\n", "1:8: 'cases' is empty: the file tests nothing"},
      {"an unknown key beside cases",
       "cases:\n  - {name: n, rule: T-1, as_of: 2025-01-01, input: {x: 1}, expect: {outcome: pass}}\ncasse: []\n",
       "3:1: unknown key 'casse' in a cases file; expected only: cases; did you mean 'cases'?"},
      {"YAML syntax", "cases: [\n", "YAML: "},
      {"a bad as_of", "cases:\n  - {name: n, rule: T-1, as_of: 2025-02-30, input: {x: 1}, expect: {outcome: pass}}\n",
       "2:33: expected a date YYYY-MM-DD for 'as_of', got '2025-02-30'"},
  };
  for (const auto& f : files) {
    CAPTURE(f.name);
    CaseRun r = run(f.text);
    REQUIRE(!r.errors.empty());
    std::string got = r.errors[0].loc.to_string() + ": " + r.errors[0].message;
    CAPTURE(got);
    CHECK(got.find(f.want) != std::string::npos);
  }
}

TEST_CASE("columns count characters, not bytes") {
  CaseRun r = run("cases:\n  - {name: 专利, rule: T-1, as_of: 2025-01-01, input: {x: 1}, expect: {outcom: pass}}\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].loc.line == 2);
  CHECK(r.errors[0].loc.col == 70);  // 74 in bytes
}

TEST_CASE("a well-formed case still runs, passes and fails") {
  CaseRun r = run(std::string(head) + "    input: {x: 1}\n    expect: {outcome: pass, outputs: {value: 2}}\n" +
                  "  - {name: m, rule: T-1, as_of: 2025-01-01, input: {x: 1}, expect: {outputs: {value: 3}}}\n");
  CHECK(r.errors.empty());
  REQUIRE(r.results.size() == 2);
  CHECK(r.results[0].passed());
  CHECK(!r.results[1].passed());
  CHECK(r.results[1].problems.at(0) == "output value: expected 3, got 2");
  CHECK(r.results[1].problems_zh.at(0) == "输出项 value：应为 3，实际为 2");  // as the playground shows it
}

// An expected `2024-01-01` is read as a date; an output the schema types as text matches it as
// its characters, and a date output still matches it as a day.
TEST_CASE("an expected date-like value matches a text output of those characters") {
  TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {"code": {"type": "string"},
    "signed": {"type": "string", "format": "date"}}})");
  auto loaded = load_pack_text(dir, "subject: subject.json\n", R"(rules:
  - id: T-1
    title: {zh: 测试, en: test}
    clause: 一
    quote: 测试条款
    outputs:
      code: code
      signed: signed
)");
  REQUIRE(loaded.pack);
  std::filesystem::create_directories(dir.path / "cases");
  dir.write("cases/t.yaml", std::string(head) +
                                "    input: {code: '2024-01-01', signed: '2024-01-02'}\n"
                                "    expect: {outputs: {code: '2024-01-01', signed: 2024-01-02}}\n"
                                "  - {name: m, rule: T-1, as_of: 2025-01-01, input: {code: '2024-01-01', signed: "
                                "'2024-01-02'}, expect: {outputs: {code: '2024-01-03'}}}\n");
  CaseRun r = run_cases(*loaded.pack, dir.path);
  CHECK(r.errors.empty());
  REQUIRE(r.results.size() == 2);
  CHECK(r.results[0].passed());
  CHECK(!r.results[1].passed());
}

}  // namespace
}  // namespace rulebook::test
