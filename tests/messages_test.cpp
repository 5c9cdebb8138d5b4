// The messages a reviewer or drafter meets on the review desk, in Chinese (Error::message_zh):
// each family has its Chinese wording, naming fields by their labels, and no English sentence
// left in it; `message` stays English for the CLI, logs and integrators.

#include <fstream>
#include <regex>
#include <sstream>

#include "batch/csv.hpp"
#include "rulebook/engine.hpp"
#include "rulebook/lint.hpp"
#include "rulebook/report.hpp"
#include "support.hpp"
#include "value/utf8.hpp"

namespace rulebook::test {
namespace {

// Three English words in a row: a sentence left untranslated (quoted values and keys are single words).
bool english_sentence(const std::string& s) {
  static const std::regex words("[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}");
  return std::regex_search(s, words);
}

void chinese(const Error& e) {
  CAPTURE(e.message);
  CAPTURE(e.message_zh);
  CHECK_FALSE(e.message_zh.empty());
  CHECK_FALSE(english_sentence(e.message_zh));
  CHECK(e.message_in("zh") == e.message_zh);
  CHECK(e.message_in("en") == e.message);
}

TEST_CASE("message_in falls back to English where no Chinese is written") {
  Error e;
  e.message = "cannot read the file";
  CHECK(e.message_in("zh") == "cannot read the file");
  e.say("cannot read the file", "无法读取该文件");
  CHECK(e.message_in("zh") == "无法读取该文件");
  CHECK(e.message_in("en") == "cannot read the file");
}

TEST_CASE("malformed JSON and broken limits are told in Chinese") {
  struct Case {
    std::string_view json, zh;
  };
  const Case cases[] = {
      {"{\n  \"applicant\": {\n    \"type\": tru\n}",
       "JSON 格式有误：此处不是有效的值（文本须加英文双引号，其他值为数字、true、false 或 null）"},
      {"{\"a\": 1", "JSON 格式有误：内容在此意外结束，应为逗号 , 或 }（对象未结束）"},
      {"{\"a\": 1, \"a\": 2}", "$ 中的键 \"a\" 重复"},
      {"[1]", "文档顶层应为一个 JSON 对象（{…}），实际为列表"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    DocumentResult r = Document::parse(c.json, "upload.json");
    REQUIRE_FALSE(r.errors.empty());
    chinese(r.errors.front());
    CHECK(r.errors.front().message_zh == c.zh);
  }
  InputLimits small;
  small.max_bytes = 10;
  DocumentResult big = Document::parse("{\"a\": \"0123456789\"}", "big.json", small);
  REQUIRE_FALSE(big.errors.empty());
  chinese(big.errors.front());
  CHECK(big.errors.front().message_zh == "文档大小 19 字节，超过上限 10 字节");
}

TEST_CASE("schema violations name the field by its label, in Chinese") {
  LoadResult loaded = load_pack(source_dir() / "rules/dongsheng-2024");
  REQUIRE(loaded.pack);
  DocumentResult doc = Document::parse(
      R"({"applicant": {"type": 5, "subsidies_received": -5}, "transactions": [{"contract": {"amount": "abc"}}]})",
      "-");
  REQUIRE(doc.document);
  std::vector<Error> problems = loaded.pack->validate(*doc.document);
  REQUIRE(problems.size() == 3);
  for (const auto& p : problems) chinese(p);
  auto at = [&](std::string_view path) {
    auto it = std::find_if(problems.begin(), problems.end(), [&](const Error& e) { return e.json_path == path; });
    REQUIRE(it != problems.end());
    return *it;
  };
  Error type = at("$.applicant.type");
  CHECK(type.message == "expected string, got number 5");  // the English one unchanged
  CHECK(type.message_zh == "「申请人类型」应为文本，实际为数字 5");
  CHECK(at("$.applicant.subsidies_received").message_zh == "「此前已获本项资助」为 -5，不得小于 0");
  CHECK(at("$.transactions[0].contract.amount").message_zh ==
        "「合同技术交易额（第1笔交易）」应为数字，实际为文本 \"abc\"");

  // A choice not offered: the choices by their words (x-enum-labels), as the form and template
  // offer them; the English message keeps the codes an integrator sends (helper-80).
  DocumentResult odd = Document::parse(R"({"applicant": {"type": "agency"}})", "-");
  REQUIRE(odd.document);
  problems = loaded.pack->validate(*odd.document);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message_zh ==
        "「申请人类型」应为以下之一：专利服务机构、企业、高等院校、科研院所，实际为 \"agency\"");
  CHECK(problems[0].message ==
        "expected one of \"patent_service_agency\", \"enterprise\", \"university\", \"research_institute\", got "
        "\"agency\"");
}

TEST_CASE("CSV errors say the column and what is wrong, in Chinese") {
  std::istringstream in("名称,合同金额\n\"某公司\"x,100\nab\"c,1\n");
  detail::CsvReader csv(in, "upload.csv", 1 << 20);
  detail::CsvReader::Row row;
  REQUIRE(csv.next(row));  // the header
  REQUIRE(csv.next(row));
  REQUIRE(row.error);
  chinese(*row.error);
  CHECK(row.error->message_zh ==
        "「名称」列：右引号之后还有文字（带引号的单元格在右引号处结束；单元格内的引号须写两次：\"a\"\"b\"）：“\"某公司"
        "\"x”");
  REQUIRE(csv.next(row));
  REQUIRE(row.error);
  chinese(*row.error);
  CHECK(row.error->message_zh.starts_with("「名称」列：单元格中间出现引号"));

  std::istringstream open_quote("a,b\n1,\"never closed\n2,3\n");
  detail::CsvReader unclosed(open_quote, "upload.csv", 1 << 20);
  REQUIRE(unclosed.next(row));
  REQUIRE(unclosed.next(row));
  REQUIRE(row.error);
  chinese(*row.error);
  CHECK(row.error->message_zh ==
        "「b」列：第 2 行开始的引号没有闭合，第 2 至 3 行都被读成了这一个单元格：“never closed\n2,3\n”");

  std::string json, why, why_zh;
  CHECK_FALSE(detail::text_cell_json("number", "1,5", json, why, &why_zh));
  CHECK(why_zh == "数字（逗号只用于每三位分隔，如 1,500,000.00；小数用小数点，不用逗号）");
  CHECK_FALSE(detail::text_cell_json("date", "next week", json, why, &why_zh));
  CHECK(why_zh == "日期（如 2024-05-20）");
}

TEST_CASE("a column mapping's mistakes are told in Chinese") {
  auto file = std::filesystem::temp_directory_path() / "rulebook-messages-mapping.yaml";
  std::ofstream(file)
      << "columns:\n  金额: {path: contract.amount, type: money}\n  名称: applicant.name\nignore: [名称]\n";
  std::vector<Error> errors;
  detail::read_mapping(file.string(), errors);
  std::filesystem::remove(file);
  REQUIRE(errors.size() == 2);
  for (const auto& e : errors) chinese(e);
  CHECK(errors[0].message_zh == "列映射有误：类型应为 string、number、boolean 或 date，实际为「money」");
}

// A path longer than any document may nest is refused before its prefixes are compared with
// every other column's (quadratic) or a row is written through it (recursive: 60,000 steps
// overflowed the stack).
TEST_CASE("a column mapping's path deeper than a document may nest is refused, in Chinese") {
  auto file = std::filesystem::temp_directory_path() / "rulebook-messages-deep-mapping.yaml";
  std::string deep = "a";
  for (int i = 0; i < 60000; ++i) deep += ".b";
  std::ofstream(file) << "columns:\n  深: " << deep << "\n  浅: a.c\n";
  std::vector<Error> errors;
  auto mapping = detail::read_mapping(file.string(), errors);
  std::filesystem::remove(file);
  REQUIRE(errors.size() == 1);
  chinese(errors[0]);
  CHECK(errors[0].message_zh == "列映射有误：路径至多 256 步");
  CHECK(errors[0].loc.line == 2);
}

TEST_CASE("every lint finding of the fixtures has its Chinese wording") {
  for (std::string_view pack : {"quote", "enum", "applies", "rounded"}) {
    CAPTURE(pack);
    for (const Finding& f : lint_pack(source_dir() / "tests/data/lint" / pack)) {
      CAPTURE(f.check);
      chinese(f.where);
    }
  }
  auto enums = lint_pack(source_dir() / "tests/data/lint/enum");
  CHECK(std::any_of(enums.begin(), enums.end(), [](const Finding& f) {
    return f.where.message_zh.starts_with(
        "\"innovation_platfrom\" 不是 scheme.kind 的可取值；是否应为 \"innovation_platform\"？");
  }));
}

TEST_CASE("expression errors in a drafted rule file are told in Chinese") {
  auto dir = source_dir() / "rules/dongsheng-2024";
  auto file = (dir / "ds-01.yaml").lexically_normal();
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  struct Case {
    std::string_view from, to, zh;
  };
  const Case cases[] = {
      {"value: sum(amounts)", "value: sum(amounts", "此处应为「)」"},
      {"value: sum(amounts)", "value: sun(amounts)", "未知函数「sun」；是否应为「sum」？"},
      {"value: sum(amounts)", "value: sum(amounts) + \"元\"", "数字与文本不能相加"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.to);
    std::string edited = text;
    auto at = edited.find(c.from);
    REQUIRE(at != std::string::npos);
    edited.replace(at, c.from.size(), c.to);
    LoadOptions options;
    options.overlay[file] = edited;
    LoadResult r = load_pack(dir, options);
    REQUIRE_FALSE(r.errors.empty());
    chinese(r.errors.front());
    CHECK(r.errors.front().message_zh.starts_with(c.zh));
  }
}

TEST_CASE("the source line quoted under an error is printable UTF-8, the caret under the column shown") {
  // A document with a byte that is not UTF-8 ("\xff") and a control character: the C API hands the
  // message to programs as UTF-8, and a terminal would obey the control.
  Error e;
  e.loc = {"d.json", 1, 12};
  e.message = "expected a value";
  e.source_line = "{\"a\": \"\xff\", !\x01}";
  std::string text = e.to_string();
  CHECK(valid_utf8(text));
  CHECK(text.find("  {\"a\": \"\\ufffd\", !\\u0001}\n") != std::string::npos);
  // Seven characters, the six of \ufffd, then three: the caret under the '!'.
  CHECK(text.ends_with("\n  " + std::string(7 + 6 + 3, ' ') + "^\n"));
  // A CRLF file's line keeps its \r in source_line: the line end, not shown (helper-72).
  e.source_line = "  \"b\": !\r";
  e.loc.col = 8;
  CHECK(e.to_string().ends_with("\n    \"b\": !\n         ^\n"));
}

// What the CLI prints for a reviewer's document (to_text of an Error): in Chinese by default,
// the field by its label with its path kept beside it, and in English exactly Error::to_string.
TEST_CASE("input errors are printed for a reviewer in their language, fields by their labels") {
  LoadResult loaded = load_pack(source_dir() / "rules/dongsheng-2024");
  REQUIRE(loaded.pack);
  ReportOptions zh, en;
  zh.pack = en.pack = &*loaded.pack;
  en.lang = "en";

  DocumentResult doc = Document::parse(R"({"applicant": {"type": 5}})", "bad.json");
  REQUIRE(doc.document);
  std::vector<Error> problems = loaded.pack->validate(*doc.document);
  REQUIRE(problems.size() == 1);
  for (auto& e : problems) e.loc.file = "bad.json";  // as the CLI names a document's violations
  // The schema's Chinese message names the field by its label: the path alone beside it.
  CHECK(to_text(problems[0], zh) == "bad.json：$.applicant.type：错误：「申请人类型」应为文本，实际为数字 5\n");
  CHECK(to_text(problems[0], en) == "bad.json: $.applicant.type: error: expected string, got number 5\n");
  CHECK(to_text(problems[0], en) == problems[0].to_string());

  // A message that does not name its field: the label is added, the path kept for reference.
  Error nul;
  nul.loc.file = "a.json";
  nul.json_path = "$.transactions[1].contract.amount";
  nul.say("must not contain U+0000", "不得含有 U+0000");
  CHECK(to_text(nul, zh) ==
        "a.json：合同技术交易额（第2笔交易）（$.transactions[1].contract.amount）：错误：不得含有 U+0000\n");
  CHECK(to_text(nul, zh, Severity::warning).starts_with("a.json：合同技术交易额（第2笔交易）（$.transactions[1]"));
  CHECK(to_text(nul, zh, Severity::warning).find("：警告：") != std::string::npos);
  CHECK(to_text(nul, en, Severity::warning) == nul.to_string("warning"));
  // Without the pack, or where the schema labels nothing, the path.
  CHECK(to_text(nul, ReportOptions{}) == "a.json：$.transactions[1].contract.amount：错误：不得含有 U+0000\n");
  nul.json_path = "$.unlabelled";
  CHECK(to_text(nul, zh) == "a.json：$.unlabelled：错误：不得含有 U+0000\n");

  // Malformed JSON keeps file, line and column, said in words (standard input by name), the line
  // and its caret; the caret display is the same. English keeps file:line:col for scripts.
  DocumentResult bad = Document::parse("{\"a\": }", "-");
  REQUIRE(bad.errors.size() == 1);
  std::string text = to_text(bad.errors[0], zh);
  CAPTURE(text);
  CHECK(text.starts_with("标准输入 第 1 行第 7 列：错误：JSON 格式有误：此处应为一个值"));
  CHECK(text.ends_with("\n  {\"a\": }\n        ^\n"));
  CHECK(to_text(bad.errors[0], en) == bad.errors[0].to_string());

  // Not written in Chinese: the English message, in the Chinese frame.
  Error untranslated;
  untranslated.loc.file = "x.json";
  untranslated.message = "cannot read the file";
  CHECK(to_text(untranslated, zh) == "x.json：错误：cannot read the file\n");

  // A document that is not an object names its file; the path $ (the whole of it) is not repeated.
  DocumentResult list = Document::parse("[1]", "a.jsonl");
  REQUIRE(list.errors.size() == 1);
  CHECK(to_text(list.errors[0], zh) == "a.jsonl：错误：文档顶层应为一个 JSON 对象（{…}），实际为列表\n");
  CHECK(to_text(list.errors[0], en) ==
        "a.jsonl: $: error: expected a JSON object at the top of the document, got list\n");
}

}  // namespace
}  // namespace rulebook::test
