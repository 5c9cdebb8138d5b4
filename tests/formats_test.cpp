// The formats rulebook documents with JSON Schemas: the pack format (schemas/pack.schema.json,
// rules.schema.json, cases.schema.json), which YAML language servers use, validates every pack,
// rule file and cases file in the repository and refuses typos; batch summaries and diff reports
// are what summary.schema.json and diff.schema.json say.

#include <doctest/doctest.h>

#include <fstream>

#include "pack/yaml_json.hpp"
#include "rulebook/diff.hpp"
#include "schema/schema.hpp"
#include "support.hpp"
#include "yaml/yaml.hpp"

namespace fs = std::filesystem;
using namespace rulebook;
using test::source_dir;

namespace {

std::shared_ptr<const schema::Schema> format_schema(const char* name) {
  std::vector<Error> errors;
  auto s = schema::Schema::load(source_dir() / "schemas" / name, errors);
  for (const auto& e : errors) FAIL(e.to_string());
  return s;
}

// The schema's complaints about a YAML text, one line each.
std::string problems(const schema::Schema& s, const std::string& yaml, const std::string& name) {
  auto doc = Document::parse(pack::yaml_to_json(rulebook::yaml::parse(yaml).document.root()), name);
  if (!doc.document) return doc.errors[0].to_string();
  std::string out;
  for (const auto& e : s.validate(doc.document->root())) out += name + ": " + e.json_path + ": " + e.message + "\n";
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("every pack, rule file and cases file in the repository validates against the pack-format schemas") {
  auto pack = format_schema("pack.schema.json"), rules = format_schema("rules.schema.json"),
       cases = format_schema("cases.schema.json");
  std::vector<fs::path> dirs{source_dir() / "bench/pack", source_dir() / "tests/data/packs/dated"};
  for (const auto& e : fs::directory_iterator(source_dir() / "rules"))
    if (fs::exists(e.path() / "pack.yaml")) dirs.push_back(e.path());
  std::size_t files = 0;
  for (const auto& dir : dirs) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".yaml") continue;
      const auto& s = e.path().filename() == "pack.yaml" ? *pack : *rules;
      CHECK_MESSAGE(problems(s, slurp(e.path()), e.path().string()) == "", e.path().string());
      ++files;
    }
    if (fs::exists(dir / "cases"))
      for (const auto& e : fs::directory_iterator(dir / "cases")) {
        CHECK_MESSAGE(problems(*cases, slurp(e.path()), e.path().string()) == "", e.path().string());
        ++files;
      }
  }
  CHECK(files > 20);
}

TEST_CASE("the pack-format schemas refuse what the loader refuses") {
  auto pack = format_schema("pack.schema.json"), rules = format_schema("rules.schema.json");
  std::string good = slurp(source_dir() / "tests/data/packs/dated/pack.yaml");
  CHECK(problems(*pack, good, "pack.yaml") == "");
  // A misspelt key, a rule without its quote, a severity that does not exist, a dated value's typo.
  CHECK(problems(*pack, good + "\nissuer_name: x\n", "pack.yaml") == "pack.yaml: $.issuer_name: unknown field 'issuer_name'\n");
  CHECK(problems(*rules, "rules:\n  - {id: X, title: {zh: 试}, clause: 一}\n", "r.yaml") ==
        "r.yaml: $.rules[0]: missing required field 'quote'\n");
  CHECK(problems(*rules, "rules:\n  - {id: X, title: {zh: 试}, clause: 一, quote: q, severity: fatal}\n", "r.yaml") ==
        "r.yaml: $.rules[0].severity: expected one of \"error\", \"warning\", \"info\", got \"fatal\"\n");
  CHECK(problems(*rules, "params:\n  cap: {values: {2025-07-01: {value: 80万, clauses: x}}}\n", "r.yaml") ==
        "r.yaml: $.params.cap.values.2025-07-01: object {value: \"80万\", clauses: \"x\"} matches none of the allowed forms\n");
}

TEST_CASE("batch summaries and diff reports are what their schemas document") {
  auto summary_schema = format_schema("summary.schema.json"), diff_schema = format_schema("diff.schema.json");
  auto base = load_pack(source_dir() / "rules/dongsheng-2024");
  REQUIRE(base.pack);
  auto validate = [](const schema::Schema& s, const std::string& json) {
    auto doc = Document::parse(json, "out.json");
    REQUIRE(doc.document);
    std::string out;
    for (const auto& e : s.validate(doc.document->root())) out += e.json_path + ": " + e.message + "\n";
    return out;
  };
  Date day = *Date::parse("2025-06-30");
  auto in = open_input({(source_dir() / "examples/dongsheng-2024").string()});
  REQUIRE(in.source);
  BatchResult batch = run_batch(*base.pack, *in.source, {.eval = {.as_of = day, .trace = false}}, nullptr);
  std::size_t files = 0;  // one record per example document
  for (const auto& f : std::filesystem::directory_iterator(source_dir() / "examples/dongsheng-2024"))
    files += f.path().extension() == ".json";
  CHECK(batch.summary.records() == files);
  CHECK(validate(*summary_schema, batch.summary.to_json()) == "");

  // The dated demo pack against the same pack with one cap: a param change, changed outputs, totals.
  fs::path dated = source_dir() / "tests/data/packs/dated";
  test::TempDir undated;
  std::string manifest = slurp(dated / "pack.yaml");
  manifest.replace(manifest.find("    values:"), manifest.find("    unit:") - manifest.find("    values:"), "    value: 50万\n");
  undated.write("pack.yaml", manifest);
  undated.write("source.txt", slurp(dated / "source.txt"));
  undated.write("subject.schema.json", slurp(dated / "subject.schema.json"));
  undated.write("in.jsonl", "{\"id\": \"late\", \"contract\": {\"amount\": 20000000, \"signed_on\": \"2025-07-01\"}}\n{\"contract\": 1}\n");
  auto before = load_pack(undated.path), after = load_pack(dated);
  REQUIRE(before.pack);
  REQUIRE(after.pack);
  auto inputs = open_input({(undated.path / "in.jsonl").string()});
  DiffReport report = diff_packs({undated.path, *before.pack}, {dated, *after.pack}, *inputs.source, {.as_of = day});
  CHECK(report.changed());
  CHECK(report.pack_changes.size() == 1);
  CHECK(report.outputs.size() == 1);
  CHECK(report.invalid.size() == 1);
  CHECK(validate(*diff_schema, to_json(report)) == "");
}

TEST_CASE("a document with millions of violations lists the first hundred and says there are more (#14)") {
  auto base = load_pack(source_dir() / "rules/dongsheng-2024");
  REQUIRE(base.pack);
  std::string json = R"({"applicant": {"type": "patent_service_agency"}, "transactions": [)";
  for (int i = 0; i < 100000; ++i) json += i ? ",1" : "1";  // numbers where transactions belong
  auto doc = Document::parse(json + "]}", "many.json");
  REQUIRE(doc.document);
  auto errors = base.pack->validate(*doc.document);
  REQUIRE(errors.size() == schema::Schema::max_errors + 1);
  CHECK(errors[0].json_path == "$.transactions[0]");
  CHECK(errors[99].json_path == "$.transactions[99]");
  CHECK(errors[100].json_path == "$");
  CHECK(errors[100].message == "more errors were found; only the first 100 are listed");
}
