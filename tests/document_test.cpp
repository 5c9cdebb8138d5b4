#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "eval/document_json.hpp"
#include "rulebook/engine.hpp"

using namespace rulebook;

TEST_CASE("document: numbers keep their digits, dates are dates, paths are known") {
  auto r = Document::parse(R"({"a": 100.50, "big": 123456789012345678901234567890, "d": "2024-02-29",
                               "s": "2024-02-30", "xs": [{"k": 1}]})");
  REQUIRE(r.document);
  const Object& root = r.document->root().as_object();
  CHECK(root.find("a")->as_number().to_string() == "100.50");
  CHECK(root.find("big")->as_number().to_string() == "123456789012345678901234567890");
  CHECK(root.find("d")->kind() == Kind::date);
  CHECK(root.find("s")->kind() == Kind::string);
  CHECK(root.find("xs")->as_list().path == "$.xs");
  CHECK(root.find("xs")->as_list().items[0].as_object().path == "$.xs[0]");
}

TEST_CASE("document: malformed JSON is reported at line and column") {
  auto r = Document::parse("{\n  \"a\": 1,\n  \"b\": tru\n}", "x.json");
  REQUIRE_FALSE(r.document);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].loc.to_string() == "x.json:3:11");  // just past the invalid literal "tru"
  CHECK(r.errors[0].message.starts_with("malformed JSON"));
}

TEST_CASE("document: unusable input is named by its JSON path") {
  struct Case {
    std::string_view json, path, message;
  };
  constexpr Case cases[] = {
      {R"({"a": {"b": 1, "b": 2}})", "$.a", "duplicate key \"b\" in $.a"},
      {R"({"n": 1e400})", "$.n", "number 1e400 is out of range (at most 36 significant digits)"},
      {R"([1, 2])", "$", "expected a JSON object at the top of the document, got list"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    auto r = Document::parse(c.json);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].json_path == c.path);
    CHECK(r.errors[0].message == c.message);
  }
  std::string deep(300, '[');
  CHECK_FALSE(Document::parse("{\"a\": " + deep + std::string(300, ']') + "}").document);
  CHECK_FALSE(Document::parse("{\"a\": \"\xff\"}").document);  // invalid UTF-8
}

TEST_CASE("document: from an nlohmann::json value") {
  auto j = nlohmann::json::parse(R"({"amount": 0.1, "n": 3, "d": "2025-01-01"})");
  auto r = detail::document_from_json(j);
  REQUIRE(r.document);
  CHECK(r.document->root().as_object().find("amount")->as_number().to_string() == "0.1");
  CHECK(r.document->root().as_object().find("d")->kind() == Kind::date);
}
