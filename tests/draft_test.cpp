// The playground's engine: an edit tried in memory (the loader's overlay) is linted at its
// line:col, its cases rerun and its decisions compared with the saved pack's over the examples
// — and the files on disk stay as they were.

#include "draft/draft.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "support.hpp"

namespace rulebook::test {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

const std::filesystem::path ds = source_dir() / "rules/dongsheng-2024";

// Set field by field: GCC 12 warns of a map "maybe uninitialized" in a designated initializer.
draft::EditOptions over_examples() {
  draft::EditOptions o;
  o.examples = draft::examples_of(ds);
  return o;
}

TEST_CASE("rule files and their names") {
  auto files = draft::rule_files(ds);
  REQUIRE(files.size() >= 2);
  CHECK(files.front() == "pack.yaml");
  CHECK(std::find(files.begin(), files.end(), "ds-01.yaml") != files.end());
  struct Case {
    std::string_view name;
    bool ok;
  };
  constexpr Case cases[] = {{"ds-01.yaml", true},    {"pack.yaml", true}, {"../ds-01.yaml", false}, {"a/b.yaml", false},
                            {".hidden.yaml", false}, {"x.yml", false},    {".yaml", false},         {"x y.yaml", false},
                            {"ds-01.yaml\n", false}, {"..yaml", false}};
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(draft::is_rule_file_name(c.name) == c.ok);
  }
  REQUIRE(draft::examples_of(ds));
  CHECK(draft::examples_of(ds)->filename() == "dongsheng-2024");
}

TEST_CASE("an unchanged file changes nothing") {
  auto r = draft::try_edit(ds, "ds-01.yaml", read(ds / "ds-01.yaml"), over_examples());
  CHECK(std::none_of(r.lint.begin(), r.lint.end(), [](const Finding& f) { return f.level == Severity::error; }));
  REQUIRE(r.cases);
  CHECK(std::all_of(r.cases->results.begin(), r.cases->results.end(), [](const CaseResult& c) { return c.passed(); }));
  REQUIRE(r.diff);
  CHECK(r.diff->inputs > 10);
  CHECK(!r.diff->changed());
  CHECK(r.diff->impact.empty());
  CHECK(r.diff->version_note == VersionNote::same_content);
  CHECK(r.as_of.to_string() == "2026-01-01");  // the day after the plan ended
}

TEST_CASE("a syntax error is found at its line and column, and nothing runs or is written") {
  std::string before = read(ds / "ds-01.yaml");
  auto r =
      draft::try_edit(ds, "ds-01.yaml", replaced(before, "value: sum(amounts)", "value: sum(amounts"), over_examples());
  auto error = std::find_if(r.lint.begin(), r.lint.end(), [](const Finding& f) { return f.level == Severity::error; });
  REQUIRE(error != r.lint.end());
  CHECK(std::filesystem::path(error->where.loc.file).filename() == "ds-01.yaml");
  // The line of DS-01's total, found: the file may change.
  auto total = before.find("value: sum(amounts)");
  REQUIRE(total != std::string::npos);
  CHECK(error->where.loc.line == 1 + std::count(before.begin(), before.begin() + long(total), '\n'));
  CHECK(error->where.loc.col > 16);
  CHECK(error->where.source_line.find("sum(amounts") != std::string::npos);  // the edited line, not the saved one
  CHECK(!r.cases);
  CHECK(!r.diff);
  CHECK(read(ds / "ds-01.yaml") == before);
}

TEST_CASE("a doubled rate: the cases that pin 5% fail, and the money moved is the difference of the totals") {
  std::string text =
      replaced(read(ds / "ds-01.yaml"), "t.contract.amount * rate else 0", "t.contract.amount * rate * 2 else 0");
  auto r = draft::try_edit(ds, "ds-01.yaml", text, over_examples());
  REQUIRE(r.cases);
  CHECK(std::any_of(r.cases->results.begin(), r.cases->results.end(), [](const CaseResult& c) { return !c.passed(); }));
  REQUIRE(r.diff);
  CHECK(r.diff->changed());
  CHECK(r.diff->version_note == VersionNote::changed_same_version);  // a draft under the saved version number
  REQUIRE(r.diff->money.size() == 1);  // DS-01's answer, not the cap left or the amounts received
  CHECK(r.diff->money.front() == std::pair<std::string, std::string>{"DS-01", "total"});
  Decimal moved;
  for (const auto& m : r.diff->impact) moved = moved + (m.head - m.base);
  CHECK(moved > Decimal(0));
  auto pc = std::find_if(r.diff->pack_changes.begin(), r.diff->pack_changes.end(),
                         [](const PackChange& c) { return c.kind == "output" && c.name == "DS-01 / requested"; });
  REQUIRE(pc != r.diff->pack_changes.end());
  CHECK(pc->after.find("rate * 2") != std::string::npos);
  std::string html = to_html(*r.diff);
  CHECK(html.find("<svg class=chart") != std::string::npos);
  CHECK(html.find("本次资助合计") != std::string::npos);
  auto totals = html.substr(html.find("<h2>金额合计"));
  totals = totals.substr(0, totals.find("<h2>", 4));
  CHECK(totals.find("本次资助合计") != std::string::npos);
  CHECK(totals.find("剩余资助额度") == std::string::npos);  // a cap left is not totalled
}

TEST_CASE("a rule file drafted in memory joins the pack") {
  LoadOptions o;
  o.overlay[(ds / "zz-draft.yaml").lexically_normal()] =
      "rules:\n  - id: ZZ-1\n    title: {zh: 草稿, en: draft}\n    clause: 一\n    quote: 草稿\n    outputs:\n      "
      "one: 1\n";
  auto loaded = load_pack(ds, o);
  REQUIRE(loaded.pack);
  const auto& ids = loaded.pack->info().rule_ids;
  CHECK(std::find(ids.begin(), ids.end(), "ZZ-1") != ids.end());
  CHECK(!std::filesystem::exists(ds / "zz-draft.yaml"));
}

}  // namespace
}  // namespace rulebook::test
