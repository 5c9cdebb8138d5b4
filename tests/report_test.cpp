// The JSON report keeps to schemas/decision.schema.json: every key it writes is declared
// there, and every key the schema requires is written.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

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
