#include <doctest/doctest.h>

#include <chrono>
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

// A file saved twice as "UTF-8 with BOM" starts with two marks: one is skipped, the second was
// called an invalid value (此处不是有效的值), which sent the reviewer looking for a typo.
TEST_CASE("document: a second byte-order mark is named as such") {
  auto one = Document::parse("\xEF\xBB\xBF{\"a\": 1}", "x.json");
  CHECK(one.document);
  auto r = Document::parse("\xEF\xBB\xBF\xEF\xBB\xBF{\"a\": 1}", "x.json");
  REQUIRE_FALSE(r.document);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].loc.to_string() == "x.json:1:2");
  CHECK(r.errors[0].message.starts_with("a second byte-order mark (BOM)"));
  CHECK(r.errors[0].message_zh.starts_with("文件开头有第二个字节顺序标记（BOM）"));
}

// Each kind of syntax error nlohmann reports, told in Chinese as what was expected where the
// reading stopped and what was found there (the place is the error's loc, shown by to_text); the
// English message stays nlohmann's reason. Found ']' once read as expected ']' ("unexpected ']'"
// holds "expected ']'").
TEST_CASE("document: a JSON syntax error says in Chinese what was expected and what was found") {
  struct Case {
    std::string_view json, loc, zh;
  };
  const Case cases[] = {
      {"", "x.json:1:1", "JSON 格式有误：文档是空的，应为一个 JSON 对象（{…}）"},
      {" \n ", "x.json:1:1", "JSON 格式有误：文档是空的，应为一个 JSON 对象（{…}）"},
      {"{\"a\": 1,\n \"b\": ]\n}", "x.json:2:7",
       "JSON 格式有误：此处应为一个值（{…}、[…]、加英文双引号的文本、数字、true、false 或 null），实际为 ]"},
      {"{\"a\": 1 \"b\": 2}", "x.json:1:11",
       "JSON 格式有误：此处应为逗号 , 或 }（对象未结束），实际为加英文双引号的文本"},
      {"{\"a\": [1, 2}", "x.json:1:12", "JSON 格式有误：此处应为逗号 , 或 ]（列表未结束），实际为 }"},
      {"{\"a\": [1 2]}", "x.json:1:10", "JSON 格式有误：此处应为逗号 , 或 ]（列表未结束），实际为数字"},
      {"{\"a\": 1,}", "x.json:1:9", "JSON 格式有误：此处应为加英文双引号的键名（最后一项之后不应有逗号），实际为 }"},
      {"{\"a\" 1}", "x.json:1:6", "JSON 格式有误：此处应为冒号 :（键名之后），实际为数字"},
      {"{a: 1}", "x.json:1:2", "JSON 格式有误：此处应为加英文双引号的键名"},
      {"{\"a\": 1", "x.json:1:7", "JSON 格式有误：内容在此意外结束，应为逗号 , 或 }（对象未结束）"},
      {"{\"a\": 1}\n}", "x.json:2:1", "JSON 格式有误：JSON 文档已在此前结束，其后不应再有内容，实际还有 }"},
      {"{\"a\": tru}", "x.json:1:10",
       "JSON 格式有误：此处不是有效的值（文本须加英文双引号，其他值为数字、true、false 或 null）"},
      {"{\"a\": \"abc", "x.json:1:10", "JSON 格式有误：文本缺少结尾的英文双引号 \""},
      {"{\"a\": \"x\ny\"}", "x.json:1:9",
       "JSON 格式有误：文本中有未转义的控制字符 U+000A (LF)（须写作 \\u000A 或 \\n）"},
      {"{\"a\": \"\\q\"}", "x.json:1:9",
       "JSON 格式有误：文本中反斜杠 \\ 之后只能是 \"、\\、/、b、f、n、r、t 或 u（反斜杠本身须写作 \\\\）"},
      {"{\"a\": \"\\u12\"}", "x.json:1:12", "JSON 格式有误：文本中的 \\u 之后须有 4 位十六进制数字"},
      {"{\"a\": \"\xff\"}", "x.json:1:8", "JSON 格式有误：文本中有不是 UTF-8 的字节（文件须以 UTF-8 编码保存）"},
      {"{\"a\": -x}", "x.json:1:8", "JSON 格式有误：数字无效：负号 - 之后应为数字"},
      {"{\"a\": 1.x}", "x.json:1:9", "JSON 格式有误：数字无效：小数点 . 之后应为数字"},
      {"{\"a\": 1ex}", "x.json:1:9", "JSON 格式有误：数字无效：指数 e 之后应为 +、- 或数字"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    auto r = Document::parse(c.json, "x.json");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].loc.to_string() == c.loc);
    CHECK(r.errors[0].message_zh == c.zh);
    CHECK(r.errors[0].message.starts_with("malformed JSON: syntax error while parsing "));
  }
}

TEST_CASE("document: unusable input is named by its JSON path") {
  struct Case {
    std::string_view json, path, message;
  };
  constexpr Case cases[] = {
      {R"({"a": {"b": 1, "b": 2}})", "$.a", "duplicate key \"b\" in $.a"},
      {R"({"n": 1e400})", "$.n",
       "number 1e400 is out of range (at most 36 digits from the first nonzero one, and 38 decimal places)"},
      {R"([1, 2])", "$", "expected a JSON object at the top of the document, got list"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    auto r = Document::parse(c.json);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].json_path == c.path);
    CHECK(r.errors[0].message == c.message);
  }
  // A document that is not an object names its file, as its other errors do.
  CHECK(Document::parse("[1, 2]", "a.jsonl").errors.at(0).loc.file == "a.jsonl");
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

TEST_CASE("document: zero at any exponent, long data cut in messages, duplicate keys in linear time (#14)") {
  auto zero = Document::parse(R"({"a": 0e37, "b": -0.0e-60, "c": 0E+999999})");
  REQUIRE(zero.document);
  for (const char* k : {"a", "b", "c"}) {
    CAPTURE(k);
    CHECK(zero.document->root().as_object().find(k)->as_number().is_zero());
  }
  CHECK_FALSE(Document::parse(R"({"a": 1e37})").document);  // 37 digits

  auto digits = Document::parse("{\"n\": " + std::string(200000, '7') + "}");
  REQUIRE(digits.errors.size() == 1);
  CHECK(digits.errors[0].message.size() < 200);
  CHECK(digits.errors[0].message.find("…") != std::string::npos);

  // 200,000 keys (2.3 MB took 77 s with a scan per key); one duplicate, the last.
  std::string many = "{";
  for (int i = 0; i < 200000; ++i) many += "\"k" + std::to_string(i) + "\": 1, ";
  auto start = std::chrono::steady_clock::now();
  auto unique = Document::parse(many + "\"z\": 1}");
  auto dup = Document::parse(many + "\"k7\": 1}");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(unique.document);
  REQUIRE(dup.errors.size() == 1);
  CHECK(dup.errors[0].message == "duplicate key \"k7\" in $");
}

TEST_CASE("document: a long line is shown around the error, not whole (#14)") {
  std::string line = "{\"a\": [" + std::string(100000, ' ') + "tru]}";
  auto r = Document::parse(line, "long.json");
  REQUIRE(r.errors.size() == 1);
  std::string shown = r.errors[0].to_string();
  CHECK(shown.size() < 400);
  auto first = shown.find('\n'), second = shown.find('\n', first + 1);
  std::string source = shown.substr(first + 1, second - first - 1), caret = shown.substr(second + 1);
  CHECK(source.starts_with("  ..."));
  // The caret stands under the character the error names, the "t" past "tru".
  CHECK(source[caret.find('^')] == ']');
}

TEST_CASE("document: values are bounded by the byte limit, one per 8 bytes (#14)") {
  std::string dense = "{\"a\": [0";
  for (int i = 1; i < 80000; ++i) dense += ",0";
  dense += "]}";
  InputLimits limits{.max_bytes = 600000};  // 75,000 values
  auto r = Document::parse(dense, "dense.json", limits);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "the document holds more than 75000 values (one for every 8 bytes of the byte limit)");
  CHECK(Document::parse(dense, "dense.json").document);  // 64 MiB: 8 million values
}
