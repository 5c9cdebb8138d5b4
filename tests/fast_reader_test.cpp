// Batch's simdjson reader validates as it reads: it must accept only what Document::parse
// accepts and the pack's schema finds no fault in, and it must accept those (but for strings
// holding control characters, which it leaves to the reference reader).

#include "batch/fast_reader.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compile/pack_access.hpp"
#include "eval/evaluator.hpp"
#include "support.hpp"

using namespace rulebook;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The rules of a pack of one rule, T-1, with the outputs `outputs` (YAML lines).
std::string one_rule(const std::string& outputs) {
  return "rules:\n  - id: T-1\n    title: {zh: 测试, en: test}\n    clause: 一\n    quote: 测试条款\n    outputs:\n" +
         outputs;
}

// What the reference says of `text`: parsed and without a schema violation.
bool reference_valid(const CompiledPack& pack, const std::string& text) {
  auto r = Document::parse(text, "doc.json");
  return r.document && pack.validate(*r.document).empty();
}

// judged(text): whether validate() finds the document valid under `pack`, checking that the fast
// reader passes none that validate() refuses.
auto judge_with(const CompiledPack& pack) {
  return [&pack, reader = std::make_shared<detail::FastReader>(detail::program(pack), InputLimits{})](
             const std::string& text) {
    CAPTURE(text);
    bool valid = reference_valid(pack, text);
    if (reader->read(std::string_view(text), "doc.json")) CHECK(valid);
    return valid;
  };
}

// Both readers on `text`, in place and copied: the fast one accepts only a valid document,
// and every valid one without escapes; returns whether it accepted.
bool fast_accepts(const CompiledPack& pack, const std::string& text) {
  detail::FastReader reader(detail::program(pack), {});
  REQUIRE(reader.validates());
  std::string padded;
  padded.reserve(text.size() + detail::json_padding);
  padded = text;
  bool fast = reader.read(padded, "doc.json").has_value();
  CHECK(reader.read(std::string_view(text), "doc.json").has_value() == fast);
  bool valid = reference_valid(pack, text);
  if (fast) CHECK(valid);
  if (valid && text.find('\\') == std::string::npos) CHECK(fast);
  return fast;
}

}  // namespace

TEST_CASE("fast reader: every example and test document, under every pack, as the reference") {
  std::vector<fs::path> docs;
  for (const char* dir : {"examples", "tests/data"})
    for (const auto& e : fs::recursive_directory_iterator(test::source_dir() / dir))
      if (e.is_regular_file() && e.path().extension() == ".json") docs.push_back(e.path());
  REQUIRE(docs.size() > 20);
  int packs = 0, accepted = 0;
  for (const auto& p : fs::directory_iterator(test::source_dir() / "rules")) {
    auto loaded = load_pack(p.path());
    if (!loaded.pack) continue;
    ++packs;
    for (const auto& d : docs) {
      CAPTURE(p.path().filename().string());
      CAPTURE(d.string());
      accepted += fast_accepts(*loaded.pack, slurp(d));
    }
  }
  CHECK(packs >= 5);
  CHECK(accepted > 10);  // the examples of each pack pass its schema
}

TEST_CASE("fast reader: a document the schema refuses is declined, one the schema accepts is read") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "required": ["id", "amount"], "additionalProperties": false,
    "properties": {
      "id": {"type": "string", "pattern": "^A-[0-9]+$"},
      "amount": {"type": "number", "minimum": 0, "exclusiveMaximum": 1000},
      "count": {"type": "integer"},
      "kind": {"enum": ["a", "b"]},
      "signed": {"type": "string", "format": "date"},
      "code": {"type": "string", "format": "credit-code"},
      "name": {"type": "string", "minLength": 2, "maxLength": 4},
      "either": {"anyOf": [{"type": "number"}, {"type": "string", "const": "none"}]},
      "one": {"oneOf": [{"type": "object"}, {"type": "array"}]},
      "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
      "owner": {"$ref": "#/$defs/owner"},
      "years": {"type": "object", "additionalProperties": {"type": "number"}}
    },
    "$defs": {"owner": {"allOf": [{"type": "object", "required": ["name"]},
                                  {"properties": {"name": {"type": "string"}}}]}}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: amount + 1\n"));
  REQUIRE(loaded.pack);
  const CompiledPack& pack = *loaded.pack;

  for (std::string ok : {
           R"({"id": "A-1", "amount": 5})",
           R"({"id": "A-1", "amount": 0, "count": 3, "kind": "b", "signed": "2025-03-01", "name": "张三"})",
           R"({"id": "A-1", "amount": 5, "either": 3, "tags": ["x", "y"], "owner": {"name": "n"}})",
           R"({"id": "A-1", "amount": 5, "either": "none", "years": {"2024": 1, "2025": 2}})",
           R"({"id": "A-1", "amount": 5, "kind": null, "count": null, "owner": null})",  // null is no error
           R"({"id": "A-1", "amount": 5, "code": "91350100M000100Y43"})",
       }) {
    CAPTURE(ok);
    CHECK(reference_valid(pack, ok));
    CHECK(fast_accepts(pack, ok));
  }
  for (std::string bad : {
           R"({"id": 7, "amount": 5})",                                    // wrong type
           R"({"id": "A-1", "amount": "5"})",                              // wrong type
           R"({"id": "A-1", "amount": 5, "count": 1.5})",                  // not an integer
           R"({"id": "A-1"})",                                             // missing required
           R"({"id": "A-1", "amount": 5, "kind": "c"})",                   // enum out of range
           R"({"id": "A-1", "amount": -1})",                               // below minimum
           R"({"id": "A-1", "amount": 1000})",                             // not below the exclusive maximum
           R"({"id": "B-1", "amount": 5})",                                // pattern mismatch
           R"({"id": "A-1", "amount": 5, "extra": 1})",                    // a property the schema forbids
           R"({"id": "A-1", "amount": 5, "signed": "2025-02-30"})",        // not a date
           R"({"id": "A-1", "amount": 5, "code": "91350100M000100Y44"})",  // check character
           R"({"id": "A-1", "amount": 5, "name": "张"})",                  // too short
           R"({"id": "A-1", "amount": 5, "either": "some"})",              // matches no alternative
           R"({"id": "A-1", "amount": 5, "tags": ["x", "y", "z"]})",       // too many items
           R"({"id": "A-1", "amount": 5, "tags": [1]})",                   // an item of the wrong type
           R"({"id": "A-1", "amount": 5, "owner": {}})",                   // required through $ref and allOf
           R"({"id": "A-1", "amount": 5, "owner": {"name": 1}})",          // typed through allOf
           R"({"id": "A-1", "amount": 5, "years": {"2024": "x"}})",        // additionalProperties' schema
           R"({"id": "A-1", "amount": 5, "kind": {"a": 1}})",              // an object is no enum value
           R"([{"id": "A-1", "amount": 5}])",                              // not an object
       }) {
    CAPTURE(bad);
    CHECK_FALSE(reference_valid(pack, bad));
    CHECK_FALSE(fast_accepts(pack, bad));
  }
  // A long text is matched like a short one (std::regex, which matched by recursion, a level a
  // character, overflowed the stack at 50,000), by both readers.
  std::string long_id = R"({"id": "A-)" + std::string(1'000'000, '7') + R"(", "amount": 5})";
  CHECK(fast_accepts(pack, long_id));
  CHECK(reference_valid(pack, long_id));
  std::string long_bad = R"({"id": "A-)" + std::string(1'000'000, '7') + R"(x", "amount": 5})";
  CHECK_FALSE(fast_accepts(pack, long_bad));
  auto errors = pack.validate(*Document::parse(long_bad, "doc.json").document);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("does not match the pattern ^A-[0-9]+$") != std::string::npos);
  // A list or an object under oneOf is left to validate(): declined, valid or not.
  detail::FastReader reader(detail::program(pack), {});
  std::string one = R"({"id": "A-1", "amount": 5, "one": {}})";
  CHECK(reference_valid(pack, one));
  CHECK_FALSE(reader.read(std::string_view(one), "doc.json"));
}

// The read set follows a def's value to its uses: a def that is input data (a filter of a
// list) is read only as far as its uses read it, and read whole where one uses it whole,
// directly or through another def or a list. Each pack decides the document read by the fast
// reader as it decides the one Document::parse reads whole.
TEST_CASE("fast reader: a def whose value is input data is read as far as its uses read it") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {"patents": {"type": "array",
    "items": {"type": "object", "properties": {"kind": {"type": "string"}, "country": {"type": "string"}}}}}})");
  const std::string doc = R"({"patents": [{"kind": "invention", "country": "CN", "note": "未在模式中"},
    {"kind": "design", "country": "US", "note": "另一项"}]})";
  auto dom = Document::parse(doc, "doc.json");
  REQUIRE(dom.document);
  const std::string defs = "defs:\n  granted: filter(patents, p -> p.kind == \"invention\")\n  again: granted\n";
  struct Case {
    const char* output;
    bool items_whole;  ///< whether each patent is read whole (its `note` too)
  };
  for (Case c : {Case{"count(granted)", false}, Case{"count(again, p -> p.country == \"CN\")", false},
                 Case{"granted", true}, Case{"again", true}, Case{"count([granted])", true},
                 Case{"map(granted, p -> p)", true}}) {
    CAPTURE(c.output);
    auto loaded = test::load_pack_text(dir, "subject: subject.json\n" + defs,
                                       std::string("rules:\n  - id: T-1\n    title: {zh: 测试, en: test}\n"
                                                   "    clause: 一\n    quote: 测试条款\n    outputs:\n      value: ") +
                                           c.output + "\n");
    REQUIRE(loaded.pack);
    const ReadSet& reads = detail::program(*loaded.pack).reads;
    const ReadSet* patents = reads.field("patents");
    REQUIRE(patents);
    CHECK((reads.whole || patents->reads_all() || patents->items->reads_all()) == c.items_whole);
    detail::FastReader reader(detail::program(*loaded.pack), {});
    auto fast = reader.read(std::string_view(doc), "doc.json");
    REQUIRE(fast);
    EvalOptions options{.as_of = *Date::parse("2025-06-30")};
    CHECK(to_json(loaded.pack->evaluate(*fast, options)) == to_json(loaded.pack->evaluate(*dom.document, options)));
  }
}

// A raw control character (JSON allows it only escaped) is refused wherever it stands in a
// key or a string, as Document::parse refuses it; bytes just above, and UTF-8, are not.
TEST_CASE("fast reader: a raw control character at any offset of a key or a string is declined") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object"})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: count([1])\n"));
  REQUIRE(loaded.pack);
  detail::FastReader reader(detail::program(*loaded.pack), {});
  for (std::size_t length : {1u, 7u, 8u, 9u, 16u, 23u}) {
    for (std::size_t at = 0; at < length; ++at) {
      for (char c : {'\x01', '\x1f', '\t', '\n'}) {
        std::string text(length, 'a');
        text[at] = c;
        CAPTURE(length);
        CAPTURE(at);
        CAPTURE(int(c));
        CHECK_FALSE(reader.read(std::string_view(R"({"k": ")" + text + "\"}"), "doc.json"));
        CHECK_FALSE(reader.read(std::string_view("{\"" + text + "\": 1}"), "doc.json"));
        CHECK_FALSE(Document::parse(R"({"k": ")" + text + "\"}", "doc.json").document);
      }
      std::string text(length, 'a');
      text[at] = ' ';  // 0x20, the first byte allowed
      CHECK(reader.read(std::string_view(R"({"k": ")" + text + "\", \"名\": \"专利\"}"), "doc.json"));
    }
  }
}

// A key written without escapes is matched as it lies in the text, against the names the plan
// knows; one written with them is unescaped first. Both spell the same member: the reading is
// the same, a second spelling of a name is a duplicate, and a name that only begins like (or
// extends) a known one is another member, here forbidden.
TEST_CASE("fast reader: a key is the same member whether it is written with escapes or without") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "required": ["amount"], "additionalProperties": false,
    "properties": {"amount": {"type": "number"}, "id": {"type": "string"}, "名称": {"type": "string"}}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: amount + 1\n"));
  REQUIRE(loaded.pack);
  const CompiledPack& pack = *loaded.pack;
  detail::FastReader reader(detail::program(pack), {});
  for (int round = 0; round < 2; ++round) {  // the first document teaches the plan; the second uses it
    CAPTURE(round);
    for (std::string text : {R"({"id": "A-1", "amount": 5, "名称": "甲"})", R"({"\u0069d": "A-1", "amount": 5})",
                             R"({"id": "A-1", "am\u006Funt": 5})", R"({"\u540d\u79f0": "甲", "amount": 5})"}) {
      CAPTURE(text);
      CHECK(reference_valid(pack, text));
      auto doc = reader.read(std::string_view(text), "doc.json");
      REQUIRE(doc);
      const Value* amount = doc->root().as_object().find("amount");
      REQUIRE(amount);
      CHECK(amount->as_number() == Decimal(5));
    }
    for (std::string text :
         {R"({"amount": 5, "am\u006Funt": 6})", R"({"am\u006Funt": 5, "amount": 6})", R"({"amount": 5, "amoun": 6})",
          R"({"amount": 5, "amounts": 6})", R"({"amount": 5, "名": "甲"})", R"({"amount": 5, "amount\"": 6})",
          R"({"amoun": 5})", R"({"amount)",
          // A string followed by a colon, not a comma (found by fuzz_document).
          R"({"id": "A-1": 5, "amount": 5})", R"({"名称": "甲": "2024-09-27", "amount": 5})"}) {
      CAPTURE(text);
      CHECK_FALSE(reference_valid(pack, text));
      CHECK_FALSE(reader.read(std::string_view(text), "doc.json"));
    }
  }
  // A key at the very end of the text, cut short: nothing is read past it.
  for (std::size_t cut = 1; cut < 12; ++cut) {
    std::string text = std::string(R"({"amount": 5})").substr(0, cut);
    CAPTURE(text);
    CHECK_FALSE(reader.read(std::string_view(text), "doc.json"));
  }
}

// A plan learns a bounded number of names per place; an object with more is read and judged
// name by name past them, the same way: its id still read, a late duplicate or a missing
// required member still refused, on the first document as on later ones.
TEST_CASE("fast reader: an object with more names than its plan holds is read as one with few") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "required": ["amount"],
    "properties": {"amount": {"type": "number"}, "id": {"type": "string"}}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: amount + 1\n"));
  REQUIRE(loaded.pack);
  std::string many;
  for (int k = 0; k < 100; ++k) many += "\"x" + std::to_string(k) + "\": 1, ";
  detail::FastReader reader(detail::program(*loaded.pack), {});
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    auto doc = reader.read(std::string_view("{" + many + R"("id": "A-7", "amount": 5})"), "doc.json");
    REQUIRE(doc);
    const Value* id = doc->root().as_object().find("id");
    REQUIRE(id);
    CHECK(id->as_string() == "A-7");
    CHECK_FALSE(reader.read(std::string_view("{" + many + R"("x99": 2, "amount": 5})"), "doc.json"));
    CHECK_FALSE(reader.read(std::string_view("{" + many + R"("id": "A-7"})"), "doc.json"));
  }
}

// Batch gives each document back once decided, and the next is built in its memory: documents
// of changing shapes read that way decide as fresh ones do (values, missing paths), and a value
// a decision still holds is never written over by a later document.
TEST_CASE("fast reader: documents built in the memory of those given back decide as fresh ones") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {"name": {"type": "string"},
    "patents": {"type": "array", "items": {"type": "object",
      "properties": {"kind": {"type": "string"}, "country": {"type": "string"}}}}}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n",
                                     "rules:\n  - id: T-1\n    title: {zh: 测试, en: test}\n    clause: 一\n"
                                     "    quote: 测试条款\n    conditions:\n"
                                     "      - name: cn\n        require: all(patents, p -> p.country == \"CN\")\n"
                                     "        message: {zh: 有境外专利, en: a foreign patent}\n"
                                     "    outputs:\n      name: name\n      patents: patents\n"
                                     "      inventions: count(filter(patents, p -> p.kind == \"invention\"))\n");
  REQUIRE(loaded.pack);
  detail::FastReader reader(detail::program(*loaded.pack), {});
  EvalOptions options{.as_of = *Date::parse("2025-06-30")};
  std::vector<Decision> kept;  // decisions holding documents' values, as an xlsx sheet's records do
  std::vector<std::string> kept_json;
  const char* kinds[] = {"invention", "design", "一种用于专利转化运用的长名称发明类型说明文字"};
  for (int i = 0; i < 40; ++i) {
    CAPTURE(i);
    std::string text =
        R"({"name": ")" + std::string(std::size_t(i % 7) * 6, 'n') + std::to_string(i) + R"(", "patents": [)";
    for (int k = 0; k < (i * 5) % 6; ++k) {
      text += k ? ", {" : "{";
      if ((i + k) % 4) text += R"("kind": ")" + std::string(kinds[(i + k) % 3]) + R"(", )";  // else missing
      text += R"("country": ")" + std::string((i * k) % 3 ? "CN" : "US") + R"("})";
    }
    text += "]}";
    auto fresh = Document::parse(text, "doc.json");
    REQUIRE(fresh.document);
    auto fast = reader.read(std::string_view(text), "doc.json");
    REQUIRE(fast);
    Decision d = loaded.pack->evaluate(*fast, options);
    CHECK(to_json(d) == to_json(loaded.pack->evaluate(*fresh.document, options)));
    if (i % 3 == 0) {
      kept_json.push_back(to_json(d));
      kept.push_back(std::move(d));
    }
    reader.recycle(std::move(*fast));
  }
  for (std::size_t k = 0; k < kept.size(); ++k) CHECK(to_json(kept[k]) == kept_json[k]);
}

// The reader keeps, in each place of its plans, the plan of the objects found there and of those
// in lists there. One reader over documents whose same member is an object, a list of objects
// or a list of lists, under a recursive schema (nested objects share their parent's plan),
// accepts and reads each as a fresh reader and the reference do.
TEST_CASE("fast reader: a place whose value changes shape from one document to the next") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {
      "x": {"items": {"$ref": "#/$defs/node"}, "properties": {"kind": {"enum": ["a", "b"]}}},
      "tree": {"$ref": "#/$defs/node"}},
    "$defs": {"node": {"type": ["object", "array"], "items": {"$ref": "#/$defs/node"},
      "properties": {"kind": {"enum": ["a", "b"]}, "child": {"$ref": "#/$defs/node"}}}}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      x: x\n      tree: tree\n"));
  REQUIRE(loaded.pack);
  const CompiledPack& pack = *loaded.pack;
  detail::FastReader reader(detail::program(pack), {});
  EvalOptions options{.as_of = *Date::parse("2025-06-30")};
  const std::vector<std::string> xs = {
      R"({"kind": "a"})",
      R"([{"kind": "b"}, {"kind": "a", "child": {"kind": "b"}}])",
      R"([[{"kind": "a"}], [{"kind": "b", "child": [{"kind": "a"}]}]])",
      R"({"kind": "c"})",
      R"([{"kind": "a"}, {"kind": "c"}])",
      R"([[{"kind": "a"}], [{"child": {"kind": "c"}}]])",
      R"([[[{"kind": "b"}]], 5])",
      R"("text")",
  };
  const std::vector<std::string> trees = {
      R"({"kind": "a", "child": {"kind": "b", "child": {"kind": "a"}}})",
      R"({"child": {"child": {"child": {"kind": "z"}}}})",
      R"([{"kind": "a"}, [{"child": {"kind": "b"}}]])",
  };
  int accepted = 0, declined = 0;
  for (int round = 0; round < 3; ++round)
    for (std::size_t i = 0; i < xs.size(); ++i)
      for (const auto& tree : trees) {
        std::string text = R"({"x": )" + xs[i] + R"(, "tree": )" + tree + "}";
        CAPTURE(text);
        auto fast = reader.read(std::string_view(text), "doc.json");
        const bool valid = reference_valid(pack, text);
        CHECK(fast.has_value() == valid);
        CHECK(fast_accepts(pack, text) == valid);
        ++(valid ? accepted : declined);
        if (!fast || !valid) continue;
        auto fresh = Document::parse(text, "doc.json");
        CHECK(to_json(pack.evaluate(*fast, options)) == to_json(pack.evaluate(*fresh.document, options)));
        reader.recycle(std::move(*fast));
      }
  CHECK(accepted > 10);
  CHECK(declined > 10);
}

// A rule that reaches the values below by two ways (allOf: [#, #] in additionalProperties)
// once doubled the rules in force at each level, and alternatives that both recurse tried the
// levels below twice at each: a document 30 levels deep stood for 2^30 checks. Both readers
// now judge each value by each rule at a depth once, and still agree on what passes. (30: two
// schema levels a document level, within the 64 that validation looks down.)
TEST_CASE("fast reader: a rule reached twice at every level is applied once, by both readers") {
  auto nested = [](const std::string& leaf) {
    std::string doc = leaf;
    for (int i = 0; i < 30; ++i) doc = "{\"a\": " + doc + ", \"n\": " + std::to_string(i) + "}";
    return doc;
  };
  const std::string good = nested("{}"), bad = nested("7");  // 7: not an object
  auto load = [](test::TempDir& dir, const std::string& schema) {
    dir.write("subject.json", schema);
    return test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: 1\n"));
  };
  for (std::string parts : {"allOf", "anyOf"}) {
    CAPTURE(parts);
    test::TempDir dir;
    auto loaded = load(dir, R"({"type": "object", "properties": {"n": {"type": "integer"}},
                                "additionalProperties": {")" +
                                parts + R"(": [{"$ref": "#"}, {"$ref": "#"}]}})");
    REQUIRE(loaded.pack);
    CHECK(reference_valid(*loaded.pack, good));
    CHECK_FALSE(reference_valid(*loaded.pack, bad));
    if (parts == "allOf") {  // the fast reader says the same (an object under anyOf is validate()'s)
      CHECK(fast_accepts(*loaded.pack, good));
      CHECK_FALSE(fast_accepts(*loaded.pack, bad));
    }
  }
  // Many rules in force at one place (here 40 at each element) are kept once each, by hashing.
  {
    std::string parts;
    for (int i = 0; i < 40; ++i) parts += std::string(i ? ", " : "") + R"({"items": {"type": "number"}})";
    test::TempDir many;
    auto loaded = load(
        many, R"({"type": "object", "properties": {"xs": {"type": "array", "items": {"allOf": [)" + parts + "]}}}}");
    REQUIRE(loaded.pack);
    CHECK(fast_accepts(*loaded.pack, R"({"xs": [[1, 2], [], [3]]})"));
    CHECK_FALSE(fast_accepts(*loaded.pack, R"({"xs": [[1, 2], ["x"]]})"));
  }
  // Both alternatives look at every level below; the second then fails on its own (no "z"),
  // so a good document matches exactly one.
  test::TempDir dir;
  auto loaded = load(dir, R"({"oneOf": [
      {"type": "object", "properties": {"n": {"type": "integer"}}, "additionalProperties": {"$ref": "#"}},
      {"type": "object", "required": ["z"], "additionalProperties": {"$ref": "#"}}]})");
  REQUIRE(loaded.pack);
  CHECK(reference_valid(*loaded.pack, good));
  auto doc = Document::parse(bad, "doc.json");
  auto errors = loaded.pack->validate(*doc.document);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].json_path == "$");
  // The root's value is shown cut short (whole, it is 351 bytes).
  CHECK(errors[0].message.find("…") != std::string::npos);
  CHECK(errors[0].message.size() < 260);
}

// The reader judges most scalars by the keywords in force compiled once per place
// (Schema::ScalarCheck: type, enum, minimum, maximum, the date format), and the rest by
// scalar_passes(). Here two rules are in force at each member (from allOf's two parts), so the
// types, enums and bounds of both must hold, as validate() holds them.
TEST_CASE("validate and the fast reader: the keywords compiled for a place judge as validate() does") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {"p": {"allOf": [
      {"properties": {"x": {"type": ["number", "string"], "minimum": 0},
                      "k": {"enum": ["a", "b", "2025-01-01", 3, true]},
                      "d": {"format": "date"}, "n": {"type": "integer"}}},
      {"properties": {"x": {"type": ["number", "boolean"], "exclusiveMaximum": 10},
                      "k": {"enum": ["b", "2025-01-01", 3, true, false]},
                      "d": {"type": "string"}, "n": {"maximum": 5}}}]}}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: 1\n"));
  REQUIRE(loaded.pack);
  auto doc = [](const std::string& member) { return R"({"p": {)" + member + "}}"; };
  for (std::string ok :
       {R"("x": 0)", R"("x": 9.99)", R"("x": null)", R"("k": "b")", R"("k": "2025-01-01")", R"("k": 3)", R"("k": 3.0)",
        R"("k": true)", R"("d": "2025-01-31")", R"("n": 5)", R"("n": -2)"}) {
    CAPTURE(ok);
    CHECK(reference_valid(*loaded.pack, doc(ok)));
    CHECK(fast_accepts(*loaded.pack, doc(ok)));
  }
  for (std::string bad :
       {R"("x": 10)", R"("x": -0.01)", R"("x": "5")", R"("x": true)", R"("k": "a")", R"("k": false)", R"("k": 4)",
        R"("k": "2025-01-02")", R"("d": "2025-02-30")", R"("d": 5)", R"("n": 1.5)", R"("n": 6)"}) {
    CAPTURE(bad);
    CHECK_FALSE(reference_valid(*loaded.pack, doc(bad)));
    CHECK_FALSE(fast_accepts(*loaded.pack, doc(bad)));
  }
}

// Compiled by recursion cut 64 levels down, a part first reached that deep (through 63 allOf)
// was kept cut short, and a shallow $ref to it then checked nothing below: every part is now
// compiled whole, once, whatever reaches it first.
TEST_CASE("fast reader: a part first reached 64 levels down is validated in full where a shallow $ref reaches it") {
  std::string chain = R"({"$ref": "#/$defs/X"})";
  for (int i = 0; i < 63; ++i) chain = R"({"allOf": [)" + chain + "]}";
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {"a": )" + chain + R"(, "b": {"$ref": "#/$defs/X"}},
    "$defs": {"X": {"type": "object", "properties": {"n": {"type": "object", "properties": {"m": {"type": "number"}}}}}}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: 1\n"));
  REQUIRE(loaded.pack);
  CHECK_FALSE(reference_valid(*loaded.pack, R"({"b": {"n": {"m": "not a number"}}})"));
  CHECK_FALSE(fast_accepts(*loaded.pack, R"({"b": {"n": {"m": "not a number"}}})"));
  CHECK(fast_accepts(*loaded.pack, R"({"b": {"n": {"m": 1}}})"));
}

// Keywords that once were read past, so that a document they refuse passed: each judged by
// validate(), and the fast reader accepts none of what validate() refuses (a list or object
// under a keyword that needs it whole is left to validate()).
TEST_CASE(
    "validate and the fast reader: multipleOf, uniqueItems, not, if/then/else, false, properties counted and named") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object",
    "properties": {
      "amount": {"type": "number", "multipleOf": 0.01},
      "lots": {"type": "integer", "multipleOf": 100},
      "patents": {"type": "array", "uniqueItems": true},
      "kind": {"type": "string", "not": {"enum": ["个人", "person"]}},
      "code": {"type": "string"},
      "extra": {"type": "object", "minProperties": 1, "maxProperties": 2},
      "years": {"type": "object", "propertyNames": {"pattern": "^[0-9]{4}$"}},
      "retired": false,
      "name": {"type": "string", "minLength": 2.0},
      "days": {"type": "object", "propertyNames": {"format": "date"}},
      "none": {"type": "array", "items": false}
    },
    "if": {"properties": {"kind": {"const": "企业"}}, "required": ["kind"]},
    "then": {"required": ["code"]},
    "dependentRequired": {"code": ["kind"]}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: amount + 1\n"));
  REQUIRE(loaded.pack);
  const CompiledPack& pack = *loaded.pack;
  auto judged = judge_with(pack);
  for (std::string ok : {
           R"({"amount": 12345.67, "lots": 300})", R"({"amount": 1e2, "lots": 0})",
           R"({"patents": ["ZL1", "ZL2", 1, 1.5, [1], {"a": 1}]})", R"({"kind": "企业", "code": "91110000MA01"})",
           R"({"kind": "科研院所"})", R"({"extra": {"a": 1, "b": null}})", R"({"years": {"2024": 1, "2025": 2}})",
           R"({"retired": null, "none": []})", R"({"name": "张三", "days": {"2025-01-01": 1}})",
           R"({"patents": [null, null], "code": null, "extra": {"a": 1, "b": 2, "c": null}})",  // nulls are absent
       })
    CHECK(judged(ok));
  for (std::string bad : {
           R"({"amount": 0.001})",
           R"({"lots": 150})",
           R"({"patents": ["ZL1", "ZL2", "ZL1"]})",
           R"({"patents": [1, 1.0]})",
           R"({"patents": [{"a": 1, "b": [2]}, {"b": [2.00], "a": 1}]})",
           R"({"kind": "个人"})",
           R"({"kind": "企业"})",
           R"({"code": "91110000MA01"})",
           R"({"extra": {}})",
           R"({"extra": {"a": 1, "b": 2, "c": 3}})",
           R"({"years": {"2024": 1, "二〇二五": 2}})",
           R"({"retired": 1})",
           R"({"name": "张"})",
           R"({"days": {"2025-02-30": 1}})",
           R"({"retired": {}})",
           R"({"none": [1]})",
       })
    CHECK_FALSE(judged(bad));

  auto errors = pack.validate(*Document::parse(R"({"amount": 0.001, "patents": ["a", "b", "a"],
    "kind": "个人", "code": "x"})",
                                               "doc.json")
                                   .document);
  std::vector<std::string> said, said_zh;
  for (const auto& e : errors) {
    said.push_back(e.json_path + ": " + e.message);
    said_zh.push_back(e.message_zh);
  }
  CHECK(said == std::vector<std::string>{
                    "$.amount: 0.001 is not a multiple of 0.01",
                    "$.patents: elements 1 and 3 are the same, and the elements must differ",
                    "$.kind: string \"个人\" has a form the schema rules out (not)",
                });
  CHECK(said_zh[1] == "「$.patents」第 1 项与第 3 项重复，各项不得相同");
}

// An enum or const of lists or objects once matched no value, so that a document holding exactly
// the value named was refused; they compare as JSON Schema says (1.0 is 1, members in any order).
TEST_CASE("validate and the fast reader: enum and const of lists and objects") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object",
    "properties": {
      "range": {"type": "array", "const": [1, 2.5]},
      "site": {"enum": [{"city": "东胜", "on": "2025-01-01"}, [], "其他"]},
      "mixed": {"enum": [[{"a": [true, null]}]]},
      "place": {"type": "object", "const": {"a": 1, "b": null}, "properties": {"a": {}, "b": {}},
        "additionalProperties": false, "propertyNames": {"maxLength": 1}}
    }})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: 1\n"));
  REQUIRE(loaded.pack);
  const CompiledPack& pack = *loaded.pack;
  auto judged = judge_with(pack);
  for (std::string ok :
       {R"({"range": [1, 2.5]})", R"({"range": [1.0, 2.50]})", R"({"site": {"on": "2025-01-01", "city": "东胜"}})",
        R"({"site": []})", R"({"site": "其他"})", R"({"mixed": [{"a": [true, null]}]})",
        // a null member is an absent one: for const, additionalProperties and propertyNames
        R"({"place": {"a": 1}})", R"({"place": {"a": 1, "b": null, "zz": null}})"})
    CHECK(judged(ok));
  for (std::string bad : {R"({"range": [2.5, 1]})", R"({"range": [1, 2.5, 3]})", R"({"range": [1, "2.5"]})",
                          R"({"site": {"city": "东胜"}})", R"({"site": {"city": "东胜", "on": "2025-01-02"}})",
                          R"({"site": {"city": "东胜", "on": "2025-01-01", "x": 1}})", R"({"site": [1]})",
                          R"({"mixed": [{"a": [true, false]}]})", R"({"mixed": [{"a": [true]}]})",
                          R"({"place": {"a": 1, "b": 2}})", R"({"place": {"b": null}})"})
    CHECK_FALSE(judged(bad));
  auto errors = pack.validate(*Document::parse(R"({"range": [2.5, 1]})", "doc.json").document);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].json_path + ": " + errors[0].message == "$.range: expected [1,2.5], got [2.5, 1]");
}

// A $ref to an $anchor ("#money", "parts.json#money") was refused as naming no schema.
TEST_CASE("validate and the fast reader: a $ref by $anchor, within the file and beside it") {
  test::TempDir dir;
  dir.write("parts.json", R"({"$defs": {"code": {"$anchor": "code", "type": "string", "minLength": 3}}})");
  dir.write("subject.json", R"({"type": "object",
    "properties": {"amount": {"$ref": "#money"}, "code": {"$ref": "parts.json#code"}},
    "$defs": {"m": {"$anchor": "money", "type": "number", "maximum": 500000}}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: 1\n"));
  REQUIRE(loaded.pack);
  const CompiledPack& pack = *loaded.pack;
  auto judged = judge_with(pack);
  CHECK(judged(R"({"amount": 500000, "code": "ZL1"})"));
  CHECK_FALSE(judged(R"({"amount": 500001})"));
  CHECK_FALSE(judged(R"({"amount": "5"})"));
  CHECK_FALSE(judged(R"({"code": "ZL"})"));
  // One name for two schema objects of a file leaves a $ref to it ambiguous: refused at load.
  dir.write("subject.json", R"({"properties": {"a": {"$ref": "#x"}}, "$defs": {"p": {"$anchor": "x"},
    "q": {"$anchor": "x", "type": "string"}}})");
  auto twice = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: 1\n"));
  REQUIRE(twice.errors.size() == 1);
  CHECK(twice.errors[0].message ==
        "subject.json#/$defs/q: `$anchor` \"x\" names two schema objects of this file: a $ref to it is ambiguous");
}

// Validation follows 64 schema levels. A value deeper than that under a schema that asserts
// something was once left unchecked, and passed: it is now said to be past the levels checked,
// by validate(), and the fast reader leaves it to validate().
TEST_CASE("validate and the fast reader: a value past the levels validation follows is not passed unchecked") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {"n": {"type": "number"}, "child": {"$ref": "#"},
    "note": true}})");
  auto loaded = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: n\n"));
  REQUIRE(loaded.pack);
  const CompiledPack& pack = *loaded.pack;
  detail::FastReader reader(detail::program(pack), {});
  auto nested = [](int levels, const std::string& inner) {
    std::string text;
    for (int i = 0; i < levels; ++i) text += R"({"n": 1, "child": )";
    text += inner;
    for (int i = 0; i < levels; ++i) text += "}";
    return text;
  };
  std::string shallow = nested(60, R"({"n": 2})");
  CHECK(reference_valid(pack, shallow));
  CHECK(reader.read(std::string_view(shallow), "doc.json"));
  CHECK_FALSE(reference_valid(pack, nested(60, R"({"n": "two"})")));

  std::string deep = nested(70, R"({"n": "two"})");
  CHECK_FALSE(reader.read(std::string_view(deep), "doc.json"));
  auto errors = pack.validate(*Document::parse(deep, "doc.json").document);
  REQUIRE(errors.size() == 2);  // the members of the last object within the levels: n and child
  for (const auto& e : errors) {
    CHECK(e.message == "lies deeper than the 64 schema levels validation follows, and cannot be checked");
    CHECK(e.json_path.starts_with("$.child.child"));
    CHECK(e.json_path.size() > 64 * 6);  // $.child.child… past the levels
  }
  // Nor does a trial that reaches too deep decide a `not`: it is said, not read as a fail.
  dir.write("subject.json", R"({"type": "object", "properties": {"n": {"type": "number"}, "child": {"$ref": "#"}},
    "not": {"$ref": "#/$defs/all_ones"},
    "$defs": {"all_ones": {"properties": {"n": {"const": 1}, "child": {"$ref": "#/$defs/all_ones"}}}}})");
  auto negated = test::load_pack_text(dir, "subject: subject.json\n", one_rule("      value: n\n"));
  REQUIRE(negated.pack);
  auto said = negated.pack->validate(*Document::parse(nested(70, R"({"n": 1})"), "doc.json").document);
  CHECK(std::any_of(said.begin(), said.end(), [](const Error& e) {
    return e.json_path == "$" && e.message.find("cannot be checked: its anyOf, oneOf, not or if reach past") == 0;
  }));
  // A fault found within the levels decides the trial: one n of 2 near the top, and `not` holds.
  said = negated.pack->validate(
      *Document::parse(R"({"n": 2, "child": )" + nested(70, R"({"n": 1})") + "}", "doc.json").document);
  CHECK(std::none_of(said.begin(), said.end(), [](const Error& e) { return e.json_path == "$"; }));
  // Under `true`, nothing is asserted: nothing to say, however deep.
  CHECK(reference_valid(pack, R"({"note": )" + std::string(100, '[') + "1" + std::string(100, ']') + "}"));
}

// A `YYYY-MM-DD` string is a date unless the schema types its place as text: a contract numbered
// "2024-01-01" was read as a day, so `code in ["2024-01-01"]` failed and `code == "2024-01-01"`
// was an error. Both readers and the API type it alike, wherever the place is and however much
// of its part the rules read.
TEST_CASE("fast reader and evaluate: a date-like string is text where the schema says text") {
  test::TempDir dir;
  dir.write("subject.json", R"({"type": "object", "properties": {
    "code": {"type": "string"}, "maybe": {"type": ["string", "null"]},
    "codes": {"type": "array", "items": {"type": "string"}},
    "contract": {"type": "object", "properties": {"number": {"type": "string"},
                                                  "signed": {"type": "string", "format": "date"}}},
    "items": {"type": "array", "items": {"type": "object", "properties": {"ref": {"type": "string"}}}},
    "nullable": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "dayish": {"type": "string", "allOf": [{"format": "date"}]},
    "mixed": {"type": ["array", "string"]},
    "merged": {"type": "string"},
    "loose": {}}, "allOf": [{"properties": {"merged": {"maxLength": 20}}}]})");
  const std::string doc = R"({"code": "2024-01-01", "maybe": "2024-01-02", "codes": ["2024-01-03", "A"],
    "contract": {"number": "2024-01-04", "signed": "2024-01-05"}, "items": [{"ref": "2024-01-06"}],
    "nullable": "2024-01-08", "dayish": "2024-01-09", "mixed": ["2024-01-10"], "merged": "2024-01-11",
    "loose": "2024-01-07"})";
  const std::string outputs =
      "      code: code == \"2024-01-01\"\n"
      "      maybe: maybe == \"2024-01-02\"\n"
      "      listed: '\"2024-01-03\" in codes'\n"
      "      number: contract.number == \"2024-01-04\"\n"
      "      signed: contract.signed == 2024-01-05\n"
      "      ref: all(items, i -> i.ref == \"2024-01-06\")\n"
      "      loose: loose == 2024-01-07\n"
      // The anyOf idiom for a nullable text; a date format said in an allOf part is a date; a text
      // an allOf part says more of stays text; a list's elements where the schema types the list
      // or a text, and not its elements, stay dates.
      "      nullable: nullable == \"2024-01-08\"\n"
      "      dayish: dayish == 2024-01-09\n"
      "      merged: merged == \"2024-01-11\"\n"
      "      mixed: as_is(mixed)[0] == 2024-01-10\n";
  // The same outputs, and the contract also used whole: its part is then read whole.
  for (const std::string& extra : {std::string(), std::string("      whole: contract\n")}) {
    CAPTURE(extra);
    auto loaded =
        test::load_pack_text(dir, "subject: subject.json\ndefs:\n  'as_is(v)': v\n", one_rule(outputs + extra));
    REQUIRE(loaded.pack);
    EvalOptions options{.as_of = *Date::parse("2025-06-30")};
    CHECK(fast_accepts(*loaded.pack, doc));
    auto dom = Document::parse(doc, "doc.json");
    REQUIRE(dom.document);
    Decision by_api = loaded.pack->evaluate(*dom.document, options);
    REQUIRE(by_api.rules.size() == 1);
    const auto& out = by_api.rules[0].outputs;
    for (const char* name :
         {"code", "maybe", "listed", "number", "signed", "ref", "loose", "nullable", "dayish", "merged", "mixed"}) {
      CAPTURE(name);
      auto it = std::find_if(out.begin(), out.end(), [&](const auto& o) { return o.first == name; });
      REQUIRE(it != out.end());
      CHECK(it->second == Value(true));
    }
    if (!extra.empty()) {  // the whole contract keeps its text a string and its day a date
      auto it = std::find_if(out.begin(), out.end(), [](const auto& o) { return o.first == "whole"; });
      REQUIRE(it != out.end());
      CHECK(it->second.as_object().find("number")->kind() == Kind::string);
      CHECK(it->second.as_object().find("signed")->kind() == Kind::date);
    }
    detail::FastReader reader(detail::program(*loaded.pack), {});
    auto fast = reader.read(std::string_view(doc), "doc.json");
    REQUIRE(fast);
    // Its own typing, not evaluate()'s: the evaluator as batch runs it.
    CHECK(to_json(detail::Evaluator(detail::program(*loaded.pack), options).run(*fast)) == to_json(by_api));
  }
}
