// A schema's `pattern`: ECMA-262's meaning over characters, matched in linear time (RE2).
#include "schema/pattern.hpp"

#include <doctest/doctest.h>

#include <variant>

#include "support.hpp"

using namespace rulebook;
using rulebook::schema::Pattern;
using rulebook::schema::PatternRefusal;
using rulebook::test::TempDir;

namespace {

// Whether `pattern` matches somewhere in `text`; a refused pattern fails the test.
bool matches(std::string_view pattern, std::string_view text) {
  auto p = Pattern::compile(pattern);
  if (auto* refused = std::get_if<PatternRefusal>(&p)) FAIL("refused: " << refused->why);
  return std::get<Pattern>(p).search(text);
}

std::string refusal_of(std::string_view pattern) {
  auto p = Pattern::compile(pattern);
  auto* refused = std::get_if<PatternRefusal>(&p);
  return refused ? refused->why : "accepted";
}

}  // namespace

TEST_CASE("pattern: characters, not bytes (std::regex counted 张三 as six and refused \\u ranges)") {
  CHECK(matches("^.{2,4}$", "张三"));
  CHECK_FALSE(matches("^.{2,4}$", "张"));
  CHECK(matches("^[张李]三$", "张三"));
  CHECK_FALSE(matches("^[张李]三$", "王三"));
  CHECK(matches("^[\\u4e00-\\u9fa5]{2,20}$", "欧阳修"));
  CHECK_FALSE(matches("^[\\u4e00-\\u9fa5]{2,20}$", "Ouyang"));
  CHECK(matches("^\\p{Script=Han}+$", "发明专利"));
  CHECK(matches("^\\p{sc=Hani}+$", "发明专利"));
  CHECK_FALSE(matches("^\\p{Script=Han}+$", "发明 专利"));
  CHECK(matches("^\\p{Letter}{2}\\p{Nd}$", "张三1"));
  CHECK_FALSE(matches("^\\p{L}+$", "张三1"));
  CHECK(matches("^\\u{0000041}$", "A"));
  CHECK(matches("^\\u{1F600}$", "😀"));
  CHECK(matches("^\\uD83D\\uDE00$", "😀"));  // a surrogate pair is one character
}

TEST_CASE("pattern: ECMA-262's spaces, dots and anchors") {
  CHECK(matches("^\\S+$", "张三"));
  CHECK_FALSE(matches("^\\S+$", "张\u3000三"));  // the ideographic space is white space in ECMA-262
  CHECK(matches("^[\\s]$", "\u00a0"));
  CHECK(matches("^a.b$", "a中b"));
  CHECK_FALSE(matches("^a.b$", "a\rb"));  // `.` is no line terminator
  CHECK_FALSE(matches("^a.b$", "a\u2028b"));
  CHECK_FALSE(matches("^ab$", "ab\n"));  // `$` is the end of the text, not of a line
  CHECK(matches("b", "abc"));            // found anywhere, as RegExp.test
  CHECK(matches("^[^]$", "\n"));
  CHECK_FALSE(matches("[]", "a"));
  CHECK(matches("^[[:a]+$", "[:a"));  // brackets in brackets are themselves, as in ECMA-262
  CHECK(matches("^[\\s\\S]*$", "任何\n文本"));     // the idiom for any character
  CHECK(matches("^[^\\S\\r\\n]+$", " \t\u3000"));  // spaces but line ends
  CHECK_FALSE(matches("^[^\\S\\r\\n]+$", " \n"));
  CHECK_FALSE(matches("^[^\\S\\r\\n]+$", "a"));
  CHECK(matches("^[a\\S]$", "b"));
  CHECK_FALSE(matches("^[\\d\\S]$", " "));
  CHECK(matches("^[\\-\\]\\\\]+$", "-]\\"));
  CHECK(matches("^\\x41\\u0042$", "AB"));
  CHECK(matches("^(?<year>\\d{4})-\\d{2}$", "2025-06"));
  CHECK(matches("^[\\b]$", "\b"));
  CHECK(matches("^\\d{18}|\\d{17}X$", "11010519491231002X"));
}

TEST_CASE("pattern: linear in the text whatever the pattern") {
  // Exponential for a backtracking matcher (2^10000 ways to split the a's); RE2 answers at once.
  std::string text(10'000, 'a');
  text += '!';
  CHECK_FALSE(matches("^(a+)+$", text));
  CHECK_FALSE(matches("^(a|aa)*$", text));
  CHECK(matches("^(a+)+!$", text));
  // A long text is matched (std::regex recursed a level a character and overflowed the stack).
  CHECK(matches("^[0-9]+$", std::string(1'000'000, '7')));
  // Past its memory, RE2's automaton runs at text × pattern size ({200} of an alternative: 2 s for
  // 2 MB): patterns past 10,000 steps are refused, and a text past the bound is not matched.
  CHECK(refusal_of("^.{999}#").find("too large to match in bounded time") == 0);
  auto p = Pattern::compile("(?:a|b)*a(?:a|b){200}c");
  REQUIRE(std::holds_alternative<Pattern>(p));
  const Pattern& big = std::get<Pattern>(p);
  CHECK(big.within_bound(std::string(100'000, 'a')));
  CHECK_FALSE(big.within_bound(std::string(1'000'000, 'a')));
}

TEST_CASE("pattern: what needs backtracking, or is not ECMA-262, is refused with the reason") {
  CHECK(refusal_of("^(?=.*\\d).{8,}$").find("lookahead and lookbehind") == 0);
  CHECK(refusal_of("(?<!a)b").find("lookahead and lookbehind") == 0);
  CHECK(refusal_of("^(a)\\1$").find("back-references (\\1, \\k<name>)") == 0);
  CHECK(refusal_of("(?<n>a)\\k<n>").find("back-references (\\1, \\k<name>)") == 0);
  // RE2's own escapes and names, which mean something else or nothing in ECMA-262.
  for (std::string_view re2_only : {"^\\z$", "\\Aa", "^\\Qa.b\\E$", "^\\C$", "^\\a$", "[\\a]", "\\e"}) {
    CAPTURE(re2_only);
    CHECK(refusal_of(re2_only).find("is not an escape ECMA-262 knows") != std::string::npos);
  }
  for (std::string_view unknown : {"\\p{Han}", "\\p{^Greek}", "\\p{scx=Han}", "\\p{Script_Extensions=Han}", "\\pL",
                                   "\\p{Script=L}", "\\p{Cased_Letter}", "\\p{digit}"}) {
    CAPTURE(unknown);
    CHECK(refusal_of(unknown).find("\\p must name a general category") == 0);
  }
  CHECK(refusal_of("(?i)abc") == "(?i is not ECMA-262 syntax");
  CHECK(refusal_of("abc\\") == "it ends in a lone backslash");
  CHECK(refusal_of("\\u12") == "\\u must be followed by 4 hex digits of a character");
  CHECK(refusal_of("\\uDC00") == "\\u must be followed by 4 hex digits of a character");  // half a pair
  CHECK(refusal_of("(ab") != "accepted");                                                 // RE2's syntax error
}

TEST_CASE("pattern: in a subject schema, a reviewer's Chinese name passes and a refused pattern names itself") {
  TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {
    "name": {"type": "string", "pattern": "^[\\u4e00-\\u9fa5]{2,4}$"}}})");
  auto r =
      test::load_pack_text(dir, "subject: subject.json\n",
                           "rules:\n  - id: R-1\n    title: {zh: 规则, en: rule}\n    clause: 一\n    quote: 测试条款\n"
                           "    outputs:\n      name: name\n");
  REQUIRE(r.pack);
  CHECK(r.pack->validate(*Document::parse(R"({"name": "张三"})", "d.json").document).empty());
  auto errors = r.pack->validate(*Document::parse(R"({"name": "Zhang San"})", "d.json").document);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].json_path == "$.name");
  CHECK(errors[0].message == "\"Zhang San\" does not match the pattern ^[\\u4e00-\\u9fa5]{2,4}$");

  dir.write("subject.json", R"({"type": "object", "properties": {
    "password": {"type": "string", "pattern": "^(?=.*[0-9]).{8,}$"}}})");
  auto refused = test::load_pack_text(dir, "subject: subject.json\n",
                                      "rules:\n  - id: R-1\n    title: {zh: 规则, en: rule}\n    clause: 一\n"
                                      "    quote: 测试条款\n    outputs:\n      x: 1\n");
  CHECK_FALSE(refused.pack);
  REQUIRE(refused.errors.size() == 1);
  CHECK(refused.errors[0].message.find(
            "subject.json#/properties/password: invalid pattern ^(?=.*[0-9]).{8,}$ (lookahead") == 0);
  CHECK(refused.errors[0].message_zh.find("不支持先行与后行断言") != std::string::npos);

  // A field may be called like a keyword whose value is data (default, enum, examples): its
  // schema is a schema, its pattern compiled.
  dir.write("subject.json", R"({"type": "object", "properties": {
    "default": {"type": "string", "pattern": "^[0-9]+$"}}})");
  auto named = test::load_pack_text(dir, "subject: subject.json\n",
                                    "rules:\n  - id: R-1\n    title: {zh: 规则, en: rule}\n    clause: 一\n"
                                    "    quote: 测试条款\n    outputs:\n      x: 1\n");
  CAPTURE(named.errors.size());
  REQUIRE(named.pack);
  CHECK_FALSE(named.pack->validate(*Document::parse(R"({"default": "12a"})", "d.json").document).empty());
}
