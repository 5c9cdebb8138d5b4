// Pack loading: every problem is reported at its file:line:col, all of them in one pass.
#include <doctest/doctest.h>

#include <algorithm>

#include "pack/yaml_json.hpp"
#include "support.hpp"
#include "yaml/yaml.hpp"

using namespace rulebook;
using rulebook::test::TempDir;

namespace {

std::string rule(const std::string& body) {
  return "rules:\n  - id: R-1\n    title: {zh: 规则, en: rule}\n    clause: 一\n    quote: 测试条款\n" + body;
}

// "file:line:col: message" of every error, with the file name shortened to its last part.
std::vector<std::string> errors_of(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors)
    out.push_back(std::filesystem::path(e.loc.file).filename().string() + ":" + std::to_string(e.loc.line) + ":" +
                  std::to_string(e.loc.col) + ": " + e.message);
  return out;
}

// The one error of loading a pack whose subject schema is `schema` (a pack is not expected).
std::string refused(const std::string& schema) {
  TempDir dir;
  dir.write("subject.json", schema);
  auto r = test::load_pack_text(dir, "subject: subject.json\n", rule("    outputs:\n      x: 1\n"));
  CHECK_FALSE(r.pack);
  auto errs = errors_of(r);
  return errs.size() == 1 ? errs[0] : "errors: " + std::to_string(errs.size());
}

}  // namespace

TEST_CASE("loader: a syntax error inside an expression points into the rule file") {
  TempDir dir;
  auto r = test::load_pack_text(dir, "", rule("    outputs:\n      x: 1 + (2 * 3\n"));
  REQUIRE_FALSE(r.pack);
  CHECK(errors_of(r) == std::vector<std::string>{"rules.yaml:7:20: expected ')'"});
  CHECK(r.errors[0].source_line == "      x: 1 + (2 * 3");
  // The caret stands under the character after "3": two spaces of margin, then 19 columns.
  CHECK(r.errors[0].to_string().ends_with("\n" + std::string(2 + 19, ' ') + "^\n"));
}

TEST_CASE("loader: positions survive block scalars, quotes and Chinese text") {
  TempDir dir;
  auto r = test::load_pack_text(dir, "",
                                rule("    outputs:\n"
                                     "      a: |\n        1 +\n          申请人 +\n          * 2\n"
                                     "      b: \"中文 + )\"\n"));
  auto errs = errors_of(r);
  REQUIRE(errs.size() == 2);
  CHECK(errs[0] == "rules.yaml:10:11: expected an expression");
  CHECK(errs[1] == "rules.yaml:11:16: expected an expression");
}

TEST_CASE("loader: unknown names, functions, arity and static types are load errors") {
  TempDir dir;
  auto r = test::load_pack_text(
      dir, "params:\n  rate: {value: 5%, clause: 一}\n",
      rule("    outputs:\n"
           "      a: rat * 2\n"         // without a subject schema any other name reads as input data: no error
           "      b: summ([1])\n"       // unknown function, with a suggestion
           "      c: round(1, 2, 3)\n"  // arity
           "      d: '\"x\" + 1'\n"     // type
           "      e: 2024-01-01 + 1\n"  // date arithmetic
           "      f: rate and true\n"   // boolean operator on a number
           "      g: 2024-02-30\n"      // not a date
           "      h: map([1], x -> x, 2)\n"
           "      i: rate(1)\n"));  // a value called: not 'unknown function', nor a suggestion of itself
  auto errs = errors_of(r);
  CAPTURE(errs);
  REQUIRE(errs.size() == 8);
  CHECK(errs[0] == "rules.yaml:8:10: unknown function 'summ'; did you mean 'sum'?");
  CHECK(errs[1].starts_with("rules.yaml:9:10: wrong number of arguments to round: 3 given; use round(x, places = 0)"));
  CHECK(errs[2] == "rules.yaml:10:15: cannot add a string and a number");
  CHECK(errs[3].starts_with("rules.yaml:11:21: cannot add to a date"));
  CHECK(errs[4] == "rules.yaml:12:15: 'and' needs booleans, got a number");
  CHECK(errs[5] == "rules.yaml:13:10: '2024-02-30' is not a calendar date");
  CHECK(errs[6].starts_with("rules.yaml:14:10: wrong number of arguments to map"));
  CHECK(errs[7].starts_with("rules.yaml:15:10: 'rate' is a value here, not a function"));
}

TEST_CASE("loader: with a subject schema, unknown fields are caught with a suggestion") {
  TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {
      "applicant": {"type": "object", "properties": {"type": {"type": "string"}, "name": {"type": "string"}}},
      "amount": {"type": "number"}, "signed": {"type": "string", "format": "date"}}})");
  auto r = test::load_pack_text(dir, "subject: subject.json\n",
                                rule("    outputs:\n"
                                     "      a: applicant.tpye == \"x\"\n"
                                     "      b: amont + 1\n"
                                     "      c: amount + applicant.name\n"
                                     "      d: signed + 1\n"));
  auto errs = errors_of(r);
  CAPTURE(errs);
  REQUIRE(errs.size() == 4);
  CHECK(errs[0] == "rules.yaml:7:19: unknown field 'tpye'; did you mean 'type'? (fields: name, type)");
  CHECK(errs[1] ==
        "rules.yaml:8:10: unknown name 'amont': not a param, def or field of the subject; did you mean 'amount'?");
  CHECK(errs[2] == "rules.yaml:9:17: cannot add a number and a string");
  CHECK(errs[3].starts_with("rules.yaml:10:17: cannot add to a date"));
  // As == is, `in` between kinds that never meet is refused: 1 in ["1"] was silently false.
  auto in = test::load_pack_text(dir, "subject: subject.json\n",
                                 rule("    outputs:\n      a: amount in [\"1\", \"2\"]\n      b: amount in [1, 2]\n"
                                      "      c: applicant.name in [\"x\"]\n      d: 1 in \"abc\"\n"));
  auto in_errs = errors_of(in);
  CAPTURE(in_errs);
  REQUIRE(in_errs.size() == 2);
  CHECK(in_errs[0] == "rules.yaml:7:17: 'in' is never true: a number is never among strings");
  CHECK(in_errs[1] == "rules.yaml:10:12: 'in' is never true: a number is never among a string's characters");
}

// A field of two types (["string", "number"]) is either: neither comparison is refused at load,
// where the last type listed once made `code == "A1"` "never true"; one type and null is that type.
TEST_CASE("loader: a field the schema gives two types is checked as either") {
  TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {"code": {"type": ["string", "number"]},
      "staff": {"type": ["integer", "null"]}}})");
  auto r =
      test::load_pack_text(dir, "subject: subject.json\n",
                           rule("    outputs:\n      a: code == \"A1\"\n      b: code == 3\n      c: staff + 1\n"));
  CAPTURE(errors_of(r));
  CHECK(errors_of(r).empty());
  auto wrong = test::load_pack_text(dir, "subject: subject.json\n", rule("    outputs:\n      c: staff + \"x\"\n"));
  CAPTURE(errors_of(wrong));
  REQUIRE(errors_of(wrong).size() == 1);
  CHECK(errors_of(wrong)[0].find("cannot add a number and a string") != std::string::npos);
}

TEST_CASE("loader: structure errors in YAML") {
  TempDir dir;
  auto r = test::load_pack_text(dir, "colour: blue\n",
                                "rules:\n  - id: R-1\n    title: {zh: 规则, en: rule}\n    clause: 一\n"
                                "    severity: fatal\n    outputs:\n      a: 1\n      a: 2\n");
  auto errs = errors_of(r);
  CAPTURE(errs);
  REQUIRE(errs.size() == 4);
  CHECK(errs[0].starts_with("pack.yaml:6:1: unknown key 'colour' in pack.yaml; expected one of: id, version"));
  CHECK(errs[1] == "rules.yaml:2:5: a rule needs 'quote'");
  CHECK(errs[2] == "rules.yaml:5:15: severity must be error, warning or info");
  CHECK(errs[3] == "rules.yaml:8:7: duplicate key 'a' in 'outputs'");
}

// A label gives a value's words and, for a code naming a row, the row's unit; nothing else.
TEST_CASE("loader: an output's label takes words and a unit, and refuses any other key where it stands") {
  TempDir dir;
  std::string labels =
      "    outputs:\n      k:\n        value: '\"a\"'\n        labels:\n"
      "          a: {zh: 甲, en: A, unit: yuan}\n"
      "          c: 丙\n";
  CHECK(test::load_pack_text(dir, "", rule(labels)).pack);
  auto r = test::load_pack_text(dir, "", rule(labels + "          b: {zh: B, units: yuan}\n"));
  CHECK_FALSE(r.pack);
  auto errs = errors_of(r);
  CAPTURE(errs);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0] == "rules.yaml:12:22: unknown key 'units' in a label; expected one of: zh, en, unit");
  CHECK(r.errors[0].message_zh == "标签 中有未知的键「units」；可用的键：zh, en, unit");
}

TEST_CASE("loader: YAML syntax errors and missing packs") {
  TempDir dir;
  auto r = test::load_pack_text(dir, "", "rules: [\n  - id: x\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].loc.file.ends_with("rules.yaml"));
  CHECK(r.errors[0].loc.line >= 2);
  CHECK(r.errors[0].message.starts_with("YAML: "));

  auto none = load_pack(dir.path / "no-such-pack");
  REQUIRE(none.errors.size() == 1);
  CHECK(none.errors[0].message == "no rule pack here: not a folder");
}

TEST_CASE("loader: defs that refer to themselves, duplicate ids, quotes not in the text") {
  TempDir dir;
  auto r = test::load_pack_text(dir, "defs:\n  a: b + 1\n  b: a + 1\n",
                                "rules:\n"
                                "  - id: R\n    title: {zh: 一, en: one}\n    clause: 一\n    quote: 测试条款\n"
                                "    outputs: {x: a}\n"
                                "  - id: R\n    title: {zh: 二, en: two}\n    clause: 一\n    quote: 计划里没有这句话\n"
                                "    outputs: {x: 1}\n");
  auto errs = errors_of(r);
  REQUIRE(errs.size() == 2);
  CHECK(errs[0].find("def 'a' refers to itself") != std::string::npos);
  CHECK(errs[1].find("duplicate rule id 'R'") != std::string::npos);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].message == "the quote of rule 'R' does not occur verbatim in the plan's text");
}

TEST_CASE("loader: a quote of several passages joins them with …… and each occurs in order") {
  TempDir dir;
  std::string said;
  auto quoting = [&](std::string quote) {
    auto r =
        test::load_pack_text(dir, "",
                             "rules:\n  - id: R\n    title: {zh: 一, en: one}\n    clause: 一\n    quote: " + quote +
                                 "\n    outputs: {x: 1}\n");
    REQUIRE(r.pack);
    said = r.warnings.empty() ? "" : r.warnings[0].message;
    return r.warnings.size();
  };
  CHECK(quoting("测试……全文") == 0);  // "测试条款全文。": two passages, in order
  CHECK(quoting("测试……条款……文。") == 0);
  CHECK(quoting("全文……测试") == 1);  // both occur, but not in this order
  CHECK(quoting("测试……没有") == 1);  // the second is not in the text
  CHECK(said ==
        "the quote of rule 'R': its passage '没有' does not occur verbatim in the plan's text after the "
        "passages before it");
  CHECK(quoting("测试……") == 1);
  CHECK(said.find("empty passage") != std::string::npos);
  CHECK(quoting("测试……") == 1);      // an empty passage quotes nothing
  CHECK(quoting("……测试") == 1);
}

TEST_CASE("loader: a param value must be a literal; an unset param is allowed") {
  TempDir dir;
  auto r = test::load_pack_text(dir, "params:\n  a: {value: 1 + x, clause: 一}\n  b: {clause: 二}\n",
                                rule("    outputs: {x: 1}\n"));
  auto errs = errors_of(r);
  CAPTURE(errs);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].starts_with("pack.yaml:7:14: a param's value must be a literal"));
}

TEST_CASE("YAML data as JSON: exact numbers, every control character kept, cycles and expansions bounded") {
  // The text parsed, then written as JSON (the parsed document lives to the end of the call).
  auto yaml_to_json = [](const std::string& text) {
    auto parsed = rulebook::yaml::parse(text);
    REQUIRE_FALSE(parsed.error);
    return rulebook::pack::yaml_to_json(parsed.document.root());
  };
  CHECK(yaml_to_json("{a: 1.50, b: -0, c: 1e3, d: 01, e: 1.}") == R"({"a":1.50,"b":-0,"c":1e3,"d":"01","e":"1."})");
  CHECK(yaml_to_json("x: \"a\\tb\\rc\\x01\"") == R"({"x":"a\u0009b\u000dc\u0001"})");
  std::string digits(200000, '7');  // a regex would recurse per digit
  CHECK(yaml_to_json("n: " + digits) == "{\"n\":" + digits + "}");
  // An alias inside its own anchor is said at once, not written 256 levels deep (each case of a
  // file using it took 0.75 s to be refused).
  CHECK_THROWS_WITH_AS(yaml_to_json("input: &a {x: [1, *a]}"),
                       "an alias inside the node it names (line 1), which would never end",
                       rulebook::pack::YamlTooLarge);
  CHECK(yaml_to_json("a: &a {x: 1}\nb: [*a, *a]") == R"({"a":{"x":1},"b":[{"x":1},{"x":1}]})");  // no cycle
  // Aliases repeat their anchor: 729 strings from three levels of nine. Converted under the
  // document limit, refused past a smaller one.
  auto parsed = rulebook::yaml::parse(test::nested_aliases(3));
  REQUIRE_FALSE(parsed.error);
  CHECK(rulebook::pack::yaml_to_json(parsed.document.root()).size() > 729 * 5);
  CHECK_THROWS_WITH_AS(rulebook::pack::yaml_to_json(parsed.document.root(), 1000),
                       doctest::Contains("once its aliases are expanded"), rulebook::pack::YamlTooLarge);
}

// "Billion laughs": 400 bytes of YAML that stand for 9^9 strings. A draft posted to the service is
// loaded like any pack, so the loader must not copy them: the YAML is refused where it expands.
TEST_CASE("a pack whose aliases stand for gigabytes is refused at line:column, not expanded") {
  TempDir dir;
  auto r = test::load_pack_text(dir, test::nested_aliases(9, "x-a"), rule("    outputs: {x: 1}\n"));
  auto errs = errors_of(r);
  CAPTURE(errs);
  REQUIRE_FALSE(errs.empty());
  CHECK(errs[0].starts_with("pack.yaml:"));
  CHECK(errs[0].find("MiB once its aliases are expanded") != std::string::npos);
}

TEST_CASE("a pack copied out of its tree finds its schema and common through LoadOptions::search_path (#16)") {
  namespace fs = std::filesystem;
  TempDir dir;
  fs::copy(test::source_dir() / "rules/heilongjiang-2023", dir.path / "heilongjiang-2023", fs::copy_options::recursive);
  // Run from a folder with no rules/ of its own, so only the search path can supply what is shared.
  struct Cwd {
    fs::path was = fs::current_path();
    ~Cwd() { fs::current_path(was); }
  } cwd;
  fs::current_path(dir.path);
  auto alone = load_pack(dir.path / "heilongjiang-2023");
  CHECK_FALSE(alone.pack);
  auto found = load_pack(dir.path / "heilongjiang-2023", {.search_path = {test::source_dir()}});
  CHECK(found.errors.empty());
  REQUIRE(found.pack);
  CHECK(found.pack->info().id == "heilongjiang-2023");
}

// A schema within itself twice over (a node whose items and child are nodes) stands for a tree
// of 2^64 fields at the 64 levels the checker's types and the read set once went: they now stop
// where a schema object recurs, with any type below and the value read whole.
TEST_CASE("a subject schema that refers to itself in two places loads at once") {
  TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {"tree": {"$ref": "#/$defs/node"}},
    "$defs": {"node": {"type": "object", "properties": {
      "kind": {"type": "string"}, "left": {"$ref": "#/$defs/node"}, "right": {"$ref": "#/$defs/node"}}}}})");
  auto r = test::load_pack_text(dir, "subject: subject.json\n",
                                rule("    outputs:\n      deep: tree.left.right.left.kind\n"
                                     "      kind: tree.kind + \"!\"\n"));
  CAPTURE(errors_of(r));
  REQUIRE(r.pack);
  auto doc = Document::parse(R"({"tree": {"kind": "a", "left": {"right": {"left": {"kind": "b"}}}}})", "d.json");
  auto d = r.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")});
  REQUIRE(d.rules.size() == 1);
  CHECK(d.rules[0].output("deep")->as_string() == "b");
  CHECK(d.rules[0].output("kind")->as_string() == "a!");
}

// Schemas that would never finish: validation applies a rule's allOf, anyOf and oneOf parts to
// the same value, so parts that lead back to themselves apply themselves without end;
// parts reused at many levels build the checker's types and the read set 2^levels times over.
// Each is refused at load, saying where; a schema file nested too deep for any walk is too.
TEST_CASE("a subject schema whose parts would apply without end is refused at load, saying where") {
  // Parts that lead back to themselves for the same value, once or twice, directly or not.
  for (std::string ring : {R"({"allOf": [{"$ref": "#"}, {"$ref": "#"}]})", R"({"allOf": [{"$ref": "#"}]})",
                           R"({"not": {"$ref": "#/$defs/a"}, "$defs": {"a": {"anyOf": [{"$ref": "#"}]}}})",
                           R"({"if": {"$ref": "#"}, "then": true})"}) {
    CAPTURE(ring);
    CHECK(refused(ring) ==
          "subject.json:0:0: subject.json#: allOf, anyOf, oneOf, not and if here lead back here for the same value, "
          "and validation would never end");
  }
  // Sharing without a cycle: d0 is d1 or d1, d1 is d2 or d2, … 2^20 alternatives on one value.
  std::string defs;
  for (int i = 0; i < 20; ++i)
    defs += "\"d" + std::to_string(i) + "\": {\"anyOf\": [{\"$ref\": \"#/$defs/d" + std::to_string(i + 1) +
            "\"}, {\"$ref\": \"#/$defs/d" + std::to_string(i + 1) + "\"}]}, ";
  CHECK(refused("{\"properties\": {\"x\": {\"$ref\": \"#/$defs/d0\"}}, \"$defs\": {" + defs +
                "\"d20\": {\"type\": \"string\"}}}") ==
        "subject.json:0:0: subject.json#/$defs/d0: allOf, anyOf, oneOf, not and if here apply more than 10000 schemas "
        "to one "
        "value (parts that lead back to themselves, or reuse parts at many levels)");
  // Fields reused: d_i has members a and b, both d_{i+1}, 24 levels down: 2^24 fields.
  defs.clear();
  for (int i = 0; i < 24; ++i)
    defs += "\"d" + std::to_string(i) + "\": {\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/$defs/d" +
            std::to_string(i + 1) + "\"}, \"b\": {\"$ref\": \"#/$defs/d" + std::to_string(i + 1) + "\"}}}, ";
  CHECK(refused("{\"$ref\": \"#/$defs/d0\", \"$defs\": {" + defs + "\"d24\": {\"type\": \"string\"}}}") ==
        "subject.json:0:0: the schema's parts expand to more than 100000 fields (a part used twice at each of many "
        "levels)");
  CHECK(refused(std::string(200000, '[') + std::string(200000, ']')) ==
        "subject.json:1:257: the schema nests more than 256 levels deep");
  // One rule reached twice is no blow-up: the same parts at 12 levels load.
  defs.clear();
  for (int i = 0; i < 12; ++i)
    defs += "\"d" + std::to_string(i) + "\": {\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/$defs/d" +
            std::to_string(i + 1) + "\"}, \"b\": {\"$ref\": \"#/$defs/d" + std::to_string(i + 1) + "\"}}}, ";
  TempDir dir;
  dir.write("subject.json", "{\"$ref\": \"#/$defs/d0\", \"$defs\": {" + defs + "\"d12\": {\"type\": \"string\"}}}");
  auto r =
      test::load_pack_text(dir, "subject: subject.json\n", rule("    outputs:\n      x: a.b.a.b.a.b.a.b.a.b.a.b\n"));
  CAPTURE(errors_of(r));
  CHECK(r.pack);
}

// Expressions' mistakes are capped for the whole pack as the YAML's are per file: 300 aliased
// conditions whose `require` does not parse are 300 syntax errors (and 299 duplicate names).
TEST_CASE("a pack of many expression mistakes lists the first 100 of them, then says there are more") {
  TempDir dir;
  std::string many = "    conditions:\n      - &c {name: c, require: \"1 +\"}\n";
  for (int i = 1; i < 300; ++i) many += "      - *c\n";
  auto r = test::load_pack_text(dir, "", rule(many));
  CHECK_FALSE(r.pack);
  auto errs = errors_of(r);
  REQUIRE(errs.size() == 101);
  CHECK(errs[0].starts_with("rules.yaml:7:"));
  CHECK(errs[100].ends_with("more than 100 errors in this pack; the first 100 are listed"));
  CHECK(r.errors[100].message_zh == "本规则包错误超过 100 处，仅列出前 100 处");
}

// A file of many mistakes (aliases repeat one at no cost) says the first 100 and that there
// were more: each error carries its source line, and 200,000 of them took gigabytes.
TEST_CASE("a rule file of many mistakes lists the first 100 of them, then says there are more") {
  TempDir dir;
  std::string many = "    conditions: [x";
  for (int i = 1; i < 300; ++i) many += ", x";
  many += "]\n";
  auto r = test::load_pack_text(dir, "", rule(many));
  auto errs = errors_of(r);
  CAPTURE(errs.size());
  auto count = [&](std::string_view part) {
    return std::count_if(errs.begin(), errs.end(), [&](const auto& e) { return e.find(part) != std::string::npos; });
  };
  CHECK(count("expected a condition (a mapping)") == 100);
  CHECK(count("more than 100 errors in this file; the first 100 are listed") == 1);
  CHECK(errs.size() < 110);  // and the few the rule's other parts have (it has no condition left)
}

// A keyword rulebook does not check, left unsaid, would let pass what its author meant to refuse.
TEST_CASE("a subject schema with an assertion rulebook does not check is refused at load, saying where") {
  CHECK(
      refused(R"({"properties": {"years": {"patternProperties": {"^2": {"type": "number"}}}}})") ==
      "subject.json:0:0: subject.json#/properties/years: rulebook does not check `patternProperties`, and a "
      "document it should refuse would pass: say it with the keywords rulebook checks (README, Limits), or in a rule");
  CHECK(refused(R"({"properties": {"list": {"type": "array", "contains": {"const": 1}}}})").find("`contains`") !=
        std::string::npos);
  CHECK(refused(R"({"properties": {"pair": {"items": [{"type": "number"}, {"type": "string"}]}}})")
            .find("`items (a list)`") != std::string::npos);
  CHECK(refused(R"({"properties": {"x": {"type": "number", "multipleOf": 0}}})")
            .find("`multipleOf` must be more than 0") != std::string::npos);
  CHECK(refused(R"({"properties": {"amount": {"$ref": "#/$defs/money", "maximum": 500000}},
                   "$defs": {"money": {"type": "number"}}})") ==
        "subject.json:0:0: subject.json#/properties/amount: `maximum` beside `$ref` (#/$defs/money) would not be "
        "checked: put the $ref in an allOf beside it");
  // A keyword's value of the wrong form checks nothing; nor does a $ref to nothing, or in a ring.
  CHECK(refused(R"({"properties": {"amount": {"type": "number", "maximum": "500000"}}})") ==
        "subject.json:0:0: subject.json#/properties/amount: `maximum` must be a number of at most 36 digits, not "
        "\"500000\": as written, it checks nothing");
  CHECK(
      refused(R"({"properties": {"name": {"minLength": -1}}})").find("`minLength` must be a whole number, 0 or more") !=
      std::string::npos);
  CHECK(refused(R"({"required": "name"})").find("`required` must be a list of names") != std::string::npos);
  // A schema that is no JSON is said at the line and column where reading it stopped.
  CHECK(refused("{\"type\": \"object\",\n  \"properties\": {\"a\": {\"type\": \"string\",}}}") ==
        "subject.json:2:41: the schema is not valid JSON: syntax error while parsing object key - unexpected '}'; "
        "expected string literal");
  // A number past a double's range is no number nlohmann/json keeps: said where it is, not thrown.
  CHECK(refused(R"({"default": 1e400})") ==
        "subject.json:1:17: the schema is not valid JSON: number overflow parsing '1e400'");
  // A $ref into an annotation's or data's value names no schema: it was compiled from numbers
  // that the exactness check leaves alone there.
  CHECK(
      refused(
          R"({"x-shared": {"m": {"maximum": 0.1000000000000000000001}}, "properties": {"a": {"$ref": "#/x-shared/m"}}})") ==
      "subject.json:0:0: subject.json#/properties/a: `$ref` names no schema: #/x-shared/m");
  CHECK(
      refused(R"({"examples": [{}], "properties": {"a": {"$ref": "#/examples/0"}}})").find("`$ref` names no schema") !=
      std::string::npos);
  CHECK(refused(R"({"enum": [[0, {"a": 1e40}]]})").find("`enum` holds 1e+40") != std::string::npos);
  CHECK(refused(R"({"tpye": "string"})").find("(did you mean `type`?)") != std::string::npos);
  // Schemas read past, that once let every document through: not an object (a file of 3, a $ref
  // to a list), a member written twice (JSON keeps the last), text after a NUL byte, a lone `then`.
  CHECK(refused("3") == "subject.json:0:0: subject.json#: a schema is an object, true or false, not 3");
  CHECK(refused(R"({"properties": {"v": {"$ref": "#/required"}}, "required": ["v"]})") ==
        "subject.json:0:0: subject.json#/properties/v: a schema is an object, true or false, not [\"v\"]");
  CHECK(refused(R"({"properties": {"v": {"maximum": 10, "maximum": 100000}}})") ==
        "subject.json:1:38: subject.json#/properties/v/maximum: this member's name is written twice in one object: "
        "JSON keeps the last, and which one was meant is unclear");
  CHECK(refused("{\"a\\\"b\": \"x: y\",\n \"c\": {\"x\": 1, \"x\": 2}}")
            .starts_with("subject.json:2:16: subject.json#/c/x:"));
  CHECK(refused(R"({"enum": [[0, {"a": 1, "a": 2}]]})").find("subject.json#/enum/0/1/a: this member") !=
        std::string::npos);
  CHECK(refused(std::string("{\"type\": \"object\"}\0{{{", 21)) ==
        "subject.json:1:19: a NUL byte (U+0000) is not allowed in JSON text");
  CHECK(refused(R"({"then": {"maxlength": 1}})") ==
        "subject.json:0:0: subject.json#: `then` without `if` beside it checks nothing");
  CHECK(refused(R"({"enum": [1e40, 1]})").find("`enum` holds 1e+40, past the numbers a document holds") !=
        std::string::npos);
  // A keyword JSON Schema does not have would be an annotation there, and a slip checks nothing:
  // maxlength meant as maxLength let a 300-character name pass.
  CHECK(refused(R"({"properties": {"name": {"type": "string", "maxlength": 10}}})") ==
        "subject.json:0:0: subject.json#/properties/name: `maxlength` is no JSON Schema keyword (did you mean "
        "`maxLength`?): as written, it checks nothing; name an annotation of your own x-…");
  CHECK(refused(R"({"properties": {"n": {"minimun": 0}}})").find("(did you mean `minimum`?)") != std::string::npos);
  CHECK(refused(R"({"properties": {"n": {"requried": ["a"]}}})").find("(did you mean `required`?)") !=
        std::string::npos);
  CHECK(refused(R"({"nullable": true})") ==
        "subject.json:0:0: subject.json#: `nullable` is no JSON Schema keyword: as written, it checks nothing; name "
        "an annotation of your own x-…");
  CHECK(refused(R"({"properties": {"n": {"MAXLENGTH": 1}}})").find("(did you mean `maxLength`?)") != std::string::npos);
  CHECK(refused(R"({"a": 1})").find("`a` is no JSON Schema keyword: as") != std::string::npos);  // not "if"
  CHECK(refused(R"({"max\nLength": 1})").find("`max\\nLength` is no JSON Schema keyword (did you mean") !=
        std::string::npos);
  CHECK(refused(R"({"properties": {"kind": {"type": "strng"}}})") ==
        "subject.json:0:0: subject.json#/properties/kind: `type` names no JSON type: \"strng\"");
  CHECK(refused(R"({"properties": {"x": {"$ref": "#/$defs/nope"}}})") ==
        "subject.json:0:0: subject.json#/properties/x: `$ref` names no schema: #/$defs/nope");
  CHECK(refused(R"({"properties": {"x": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"$ref": "#/$defs/b"},
                   "b": {"$ref": "#/$defs/a"}}})")
            .find("`$ref` leads through more than 64 $refs in a row") != std::string::npos);
  // Numbers past exact reading, and values of a form that was read past.
  CHECK(
      refused(R"({"properties": {"a": {"minimum": 1e40}}})").find("`minimum` must be a number of at most 36 digits") !=
      std::string::npos);
  CHECK(refused(R"({"properties": {"a": {"type": "number",
    "minimum": 5.00000000000000000001}}})") ==
        "subject.json:2:16: this number has more digits than a schema's numbers keep exactly (15 significant, or a "
        "whole number of 19): write it with fewer");
  for (std::string inexact : {
           R"({"const": 12345678901234567890123})",
           R"({"const": -9300000000000000000})",
           R"({"minimum": 1e-400})",
           R"({"examples": [3.14159265358979323], "enum": [{"examples": 1.00000000000000000001}]})",
           R"({"properties": {"examples": {"maximum": 2.00000000000000000001}}})",
           R"({"$defs": {"default": {"not": {"const": 91110000600037341900}}}})",
       }) {
    CAPTURE(inexact);
    CHECK(refused(inexact).find("this number has more digits") != std::string::npos);
  }
  for (std::string bad : {R"({"additionalProperties": [false]})", R"({"propertyNames": [{"maxLength": 3}]})",
                          R"({"if": true, "then": [{"required": ["q"]}]})", R"({"not": [{"type": "string"}]})",
                          R"({"properties": {"b": "number"}})", R"({"dependentRequired": {"a": "b"}})",
                          R"({"properties": {"t": {"$ref": ["#/$defs/a"]}}, "$defs": {"a": {}}})"}) {
    CAPTURE(bad);
    CHECK(refused(bad).find(" must be ") != std::string::npos);
  }
  CHECK(refused(R"({"properties": {"d": {"$ref": "#/$defs/d", "format": "date"}}, "$defs": {"d": {}}})")
            .find("`format` beside `$ref`") != std::string::npos);
  // A typo copied to many fields is said for the first 100, then that there are more.
  std::string many = R"({"properties": {)";
  for (int i = 0; i < 5000; ++i)
    many += (i ? ", " : "") + std::string("\"p") + std::to_string(i) + R"(": {"type": "strin"})";
  TempDir crowded;
  crowded.write("subject.json", many + "}}");
  auto lots = test::load_pack_text(crowded, "subject: subject.json\n", rule("    outputs:\n      x: 1\n"));
  REQUIRE(lots.errors.size() == 101);
  CHECK(lots.errors[99].message.find("`type` names no JSON type") != std::string::npos);
  CHECK(lots.errors[100].message.starts_with("more than 100 "));
  // Annotations beside a $ref, and a field named like a keyword, are fine; so are keywords
  // inside data (examples, const), whole numbers written as 2.0, and formats not checked.
  for (std::string fine : {R"({"properties": {"a": {"$ref": "#/$defs/a", "format": "email", "contentMediaType": "x"}},
                             "$defs": {"a": {"type": "string"}}})",
                           R"({"properties": {"a": {"$ref": "#/$defs/a%20b"}}, "$defs": {"a b": {"type": "string"}}})",
                           R"J({"properties": {"a": {"type": "string", "minLength": 2.0, "maxLength": 1e3,
                             "examples": [{"pattern": "(?=x)", "$ref": "#/nothing"}], "const": {"$ref": "#/x", "y": 1}}}})J"}) {
    TempDir dir;
    dir.write("subject.json", fine);
    auto r = test::load_pack_text(dir, "subject: subject.json\n", rule("    outputs:\n      x: 1\n"));
    CAPTURE(errors_of(r));
    CHECK(r.pack);
  }
  TempDir dir;
  // Whole numbers nlohmann holds (20 digits below 2^64, 19 below zero) are counted with the rest.
  CHECK(refused(R"({"examples": [12345678901234567890, -9000000000000000000], "maximum": 1.00000000000000000001})")
            .starts_with("subject.json:1:71: this number has more digits"));
  // A $ref through names that are keywords elsewhere (a field or part called default, examples)
  // reaches the schema.
  for (std::string fine :
       {R"({"properties": {"a": {"$ref": "#/properties/default"}, "default": {"type": "string"}}})",
        R"({"$defs": {"examples": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/examples"}}})",
        R"({"allOf": [{"type": "object"}], "properties": {"a": {"$ref": "#/allOf/0"}}})"}) {
    TempDir at;
    at.write("subject.json", fine);
    auto r = test::load_pack_text(at, "subject: subject.json\n", rule("    outputs:\n      x: 1\n"));
    CAPTURE(fine);
    CAPTURE(errors_of(r));
    CHECK(r.pack);
  }
  // Every annotation JSON Schema 2020-12 names, and an author's own x-…, load; their values are
  // no part of validation, and may hold numbers of any length.
  TempDir annotated;
  annotated.write("subject.json", R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "s",
    "$comment": "c", "$anchor": "a", "$dynamicAnchor": "d", "$vocabulary": {}, "title": "t", "description": "d",
    "deprecated": false, "readOnly": true, "writeOnly": false, "examples": [], "default": {}, "x-label": {"zh": "标签"},
    "contentMediaType": "text/plain", "contentEncoding": "base64", "definitions": {}, "$defs": {},
    "properties": {"code": {"examples": [91110000600037341900, 3.14159265358979323], "default": 1e-400,
      "x-sample": {"n": [12345678901234567890123]}, "maximum": 3}}})");
  auto plain = test::load_pack_text(annotated, "subject: subject.json\n", rule("    outputs:\n      x: 1\n"));
  CAPTURE(errors_of(plain));
  CHECK(plain.pack);
  dir.write("subject.json", R"({"properties": {"amount": {"$ref": "#/$defs/money", "description": "合同金额",
    "x-label": {"zh": "合同金额"}}, "contains": {"type": "string"}}, "$defs": {"money": {"type": "number"}}})");
  auto r = test::load_pack_text(dir, "subject: subject.json\n", rule("    outputs:\n      x: amount\n"));
  CAPTURE(errors_of(r));
  CHECK(r.pack);
}
