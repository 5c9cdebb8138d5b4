// The YAML tree (yaml/yaml.hpp): what the loaders rely on.

#include "yaml/yaml.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "support.hpp"

using namespace rulebook;

TEST_CASE("yaml: plain and quoted scalars, nulls, block scalars, comments") {
  auto p = yaml::parse(
      "a: true\nb: \"true\"\nc: ~\nd:\ne: null\nf: |\n  x\n  y\ng: >-\n  p\n  q # not a comment\nh: 'it''s' # a "
      "comment\n");
  REQUIRE_FALSE(p.error);
  auto r = p.document.root();
  REQUIRE(r.is_map());
  CHECK(r["a"].is_scalar());
  CHECK(r["a"].plain());
  CHECK(r["b"].text() == "true");
  CHECK_FALSE(r["b"].plain());
  CHECK(r["c"].is_null());
  CHECK(r["d"].is_null());
  CHECK(r["e"].is_null());
  CHECK(r["f"].text() == "x\ny\n");
  CHECK_FALSE(r["f"].plain());
  CHECK(r["g"].text() == "p q # not a comment");
  CHECK(r["h"].text() == "it's");
  CHECK_FALSE(r["missing"]);
  CHECK_FALSE(r["a"]["x"]);  // a scalar has no keys
}

TEST_CASE("yaml: keys in order, duplicates kept, the first found") {
  auto p = yaml::parse("z: 1\na: 2\nz: 3\n");
  REQUIRE_FALSE(p.error);
  auto pairs = p.document.root().pairs();
  REQUIRE(pairs.size() == 3);
  CHECK(pairs[0].key.text() == "z");
  CHECK(pairs[1].key.text() == "a");
  CHECK(pairs[2].key.text() == "z");
  CHECK(pairs[2].key.mark().line == 2);
  CHECK(p.document.root()["z"].text() == "1");
}

TEST_CASE("yaml: marks are bytes from 0, at the quote, the block indicator or the anchor") {
  std::string text = "k: \"中文\"\nv: >-\n  folded\n中: &a [1]\nw: *a\n";
  auto p = yaml::parse(text);
  REQUIRE_FALSE(p.error);
  auto r = p.document.root();
  CHECK(r["k"].mark().offset == 3);
  CHECK(text[r["v"].mark().offset] == '>');
  CHECK(r["v"].mark().line == 1);
  CHECK(r["v"].mark().column == 3);
  auto zh = r.pairs()[2];
  CHECK(zh.value.mark().column == 5);  // after 3 bytes of 中, ':' and a space
  CHECK(text[zh.value.mark().offset] == '&');
  CHECK(r["w"].mark().offset == zh.value.mark().offset);  // an alias is its anchor's node
  CHECK(r["w"].elements().at(0).text() == "1");
}

TEST_CASE("yaml: a byte order mark, an empty text, the first document only") {
  auto bom = yaml::parse("\xEF\xBB\xBFk: v\n");
  REQUIRE_FALSE(bom.error);
  CHECK(bom.document.root()["k"].text() == "v");
  CHECK(bom.document.root().mark().offset == 3);
  auto empty = yaml::parse("# nothing\n");
  REQUIRE_FALSE(empty.error);
  CHECK(empty.document.root().is_null());
  auto two = yaml::parse("a: 1\n---\nb: 2\n");
  REQUIRE_FALSE(two.error);
  CHECK(two.document.root()["a"].text() == "1");
  CHECK_FALSE(two.document.root()["b"]);
}

// libfyaml looped for ever on a `%` directive line with a stray 0xC2 (found by fuzzing the cases
// reader): text that is not UTF-8 is refused before it reaches libfyaml.
TEST_CASE("yaml: text that is not UTF-8 is an error at the first bad byte") {
  auto p = yaml::parse("a: 1\n% of each \xC2\xC2.\ncases:\n");
  REQUIRE(p.error);
  CHECK(p.error->message == "invalid UTF-8");
  CHECK(p.error->mark.line == 1);
  CHECK(p.error->mark.column == 10);
}

TEST_CASE("yaml: a syntax error comes back with its line and column, nothing printed") {
  // stderr redirected to a pipe: libfyaml must write nothing there.
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::fflush(stderr);
  int saved = dup(2);
  dup2(fds[1], 2);
  auto p = yaml::parse("a: [1, 2\nb: 3\n");
  auto q = yaml::parse("a: *nowhere\n");
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(fds[1]);
  char buf[256];
  auto n = read(fds[0], buf, sizeof buf);
  close(fds[0]);
  CHECK(n == 0);
  REQUIRE(p.error);
  CHECK_FALSE(p.error->message.empty());
  CHECK(p.error->mark.line == 2);  // where the bracket should have closed: at the end
  REQUIRE(q.error);
  CHECK(q.error->mark.line == 0);
  CHECK(q.error->mark.column == 3);
}

TEST_CASE("yaml: an alias inside its own anchor is a cycle, not a hang") {
  auto p = yaml::parse("input: &a {x: *a}\n");
  REQUIRE_FALSE(p.error);
  auto in = p.document.root()["input"];
  CHECK(in["x"]["x"]["x"].mark().offset == in.mark().offset);
  std::string deep(3000, '[');
  CHECK(yaml::parse(deep).error);
}

// Aliases repeat their anchor's node, so a few hundred bytes can stand for gigabytes ("billion
// laughs"). Every reader of the tree would expand them: the parser refuses the document where
// its nodes, expanded, pass 64 MiB (or 16 times a longer text), at the node that passes it.
TEST_CASE("yaml: aliases that stand for more than 64 MiB are refused where they expand") {
  auto bomb = yaml::parse(test::nested_aliases(9));  // 9^9 strings
  REQUIRE(bomb.error);
  CHECK(bomb.error->message.find("64 MiB once its aliases are expanded") != std::string::npos);
  CHECK(bomb.error->mark.line == 7);   // a7 stands for 9^8 strings of 11 bytes: the first past it
  auto fine = yaml::parse(test::nested_aliases(6));  // 9^6 strings, some 10 MiB expanded
  REQUIRE_FALSE(fine.error);
  CHECK(fine.document.root()["a5"].size() == 9);
  // A long text without aliases is never refused for its size, however many nodes it has.
  std::string many = "[";
  for (int i = 0; i < 200000; ++i) many += "1,";
  many += "1]";
  CHECK_FALSE(yaml::parse(many).error);
}
