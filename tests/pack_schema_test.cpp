// The pack format's JSON Schemas (schemas/pack.schema.json, rules.schema.json, cases.schema.json),
// which YAML language servers use for completion and validation: every pack, rule file and
// cases file in the repository validates against them, and a typo does not.

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>

#include "pack/yaml_json.hpp"
#include "schema/schema.hpp"
#include "support.hpp"

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
  auto doc = Document::parse(pack::yaml_to_json(YAML::Load(yaml)), name);
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
