#include "rulebook/value.hpp"

#include <doctest/doctest.h>

#include "support.hpp"
#include "value/credit_code.hpp"
#include "value/divisions.hpp"
#include "value/recycler.hpp"
#include "value/same_text.hpp"
#include "value/utf8.hpp"

using rulebook::Date;
using rulebook::Decimal;
using rulebook::Kind;
using rulebook::normalize_id;
using rulebook::same_text;
using rulebook::Value;

TEST_CASE("value: unknown carries the missing paths, merged and sorted") {
  Value a = Value::missing("$.b");
  Value b = Value::missing("$.a");
  Value u = Value::unknown_of(a, b);
  CHECK(u.is_unknown());
  CHECK(u.missing_paths() == std::vector<std::string>{"$.a", "$.b"});
  CHECK(Value::unknown_of(u, a).missing_paths().size() == 2);
  CHECK(Value(3).missing_paths().empty());
}

TEST_CASE("value: equality is by value and deep") {
  CHECK(Value(*rulebook::Decimal::parse("1.50")) == Value(*rulebook::Decimal::parse("1.5")));
  CHECK(Value::list({Value(1), Value("a")}) == Value::list({Value(1), Value("a")}));
  CHECK_FALSE(Value::list({Value(1)}) == Value::list({Value(2)}));
  CHECK(Value::object({{"x", Value(1)}, {"y", Value(true)}}) == Value::object({{"y", Value(true)}, {"x", Value(1)}}));
  CHECK_FALSE(Value() == Value());  // unknown equals nothing, not even unknown
  CHECK_FALSE(Value(1) == Value("1"));
}

// A node given back is reused only when nothing else holds it: what a value still shares is
// never written over.
TEST_CASE("value: the recycler reuses the nodes no one else holds, and no other") {
  rulebook::Recycler recycler;
  const std::string long_text(100, 'x');
  Value list = Value::list({Value(long_text), Value::list({Value(1)}, "$.a[0]")}, "$.a");
  const rulebook::List* node = &list.as_list();
  const rulebook::List* inner = &list.as_list().items[1].as_list();
  const std::string* text = &list.as_list().items[0].as_string();
  recycler.give(std::move(list));
  auto first = recycler.list();  // the outer one first, as a reader builds them
  CHECK(first.get() == node);
  CHECK(first->items.empty());
  CHECK(first->items.capacity() >= 2);
  CHECK(first->path.empty());
  CHECK(recycler.list().get() == inner);
  Value again = recycler.string("short");
  CHECK(&again.as_string() == text);
  CHECK(again.as_string() == "short");

  // Held elsewhere too: let go, not kept; the holder's value unchanged.
  Value shared = Value::list({Value(long_text)}, "$.b");
  Value holder = shared;
  recycler.give(std::move(shared));
  CHECK(recycler.list().get() != &holder.as_list());
  CHECK(holder.as_list().items.at(0).as_string() == long_text);
  CHECK(holder.as_list().path == "$.b");

  // Memory kept is bounded: a list of 100,000 items is let go.
  std::vector<Value> many(100000, Value(1));
  recycler.give(Value::list(std::move(many)));
  CHECK(recycler.list()->items.capacity() == 0);  // a new list, not that one

  // Written in place only where the value is its string's one holder.
  Value alone("abc");
  const std::string* at = &alone.as_string();
  recycler.assign(alone, "defg");
  CHECK(&alone.as_string() == at);
  CHECK(alone.as_string() == "defg");
  Value copy = alone;
  recycler.assign(alone, "hij");
  CHECK(copy.as_string() == "defg");
  CHECK(alone.as_string() == "hij");
}

TEST_CASE("credit code: the GB 32100-2015 check character (CM-02)") {
  for (const char* ok : {"91350100M000100Y43", "91110108551385082Q", "52150602MJ0000123G"}) {
    CAPTURE(ok);
    CHECK(rulebook::credit_code_valid(ok));
  }
  for (const char* bad : {"91350100M000100Y44",    // wrong check character
                          "91350100M000100Y4",     // 17 characters
                          "91350100M000100Y433",   // 19
                          "91350100MO00100Y43",    // O is not in the character set
                          "91350100m000100Y43",    // lower case
                          ""}) {
    CAPTURE(bad);
    CHECK_FALSE(rulebook::credit_code_valid(bad));
  }
}

TEST_CASE("normalize_id: the spellings of one identifier are one, others stay apart") {
  // Full-width forms, lower case, the dashes an input method or a word processor types.
  for (std::string_view typed : {"JS24-107", "js24-107", "ＪＳ２４－１０７", "Js24–107", "JS24—107", "JS24−107",
                                 " JS24-107\u3000", "\u3000ｊｓ24‐107 "})
    CHECK(normalize_id(typed) == "JS24-107");
  CHECK(normalize_id("鄂技合（2024）第 107 号") == "鄂技合(2024)第 107 号");  // Chinese kept; brackets as ASCII
  CHECK(normalize_id("HT  2024\t 7") == "HT 2024 7");                         // spaces inside: one
  CHECK(normalize_id("JS24-107") != normalize_id("JS24-1070"));
  CHECK(normalize_id("JS24-107") != normalize_id("JS24_107"));
  CHECK(normalize_id("") == "");
  // A malformed byte is kept, not dropped ("\xfe" "ab": a hex escape would take the letters too).
  CHECK(normalize_id("\xff\xfe"
                     "ab") ==
        "\xff\xfe"
        "AB");
}

TEST_CASE("divisions: provinces compare as regions (HL-06), from common's GB/T 2260 data") {
  std::vector<rulebook::Error> errors;
  auto d = rulebook::Divisions::load(rulebook::test::source_dir() / "rules/common/divisions.json", errors);
  REQUIRE(d);
  CHECK(errors.empty());
  for (const char* same : {"黑龙江", "黑龙江省", "230000", "230100", "230103", " 黑龙江省\u3000", "２３０１００"}) {
    CAPTURE(same);
    CHECK(d->province(same) == "230000");
  }
  CHECK(d->province("内蒙古") == "150000");
  CHECK(d->province("新疆维吾尔自治区") == "650000");
  for (const char* bad : {"黑龙", "990000", "23000", "2300000", "", "Heilongjiang", "23 0100"}) {
    CAPTURE(bad);
    CHECK_FALSE(d->province(bad));
  }
}

TEST_CASE("value: a long rendering stops at a whole character and says it was cut") {
  rulebook::List l;
  for (int i = 0; i < 100; ++i) l.items.push_back(rulebook::Value(std::string("合同")));
  rulebook::Value v(std::make_shared<const rulebook::List>(std::move(l)));
  std::string whole = v.to_display();
  CHECK(whole.size() == 1 + 100 * 8 + 99 * 2 + 1);
  CHECK(v.to_display(whole.size()) == whole);
  CHECK(v.to_display(20) == "[\"合同\", \"合同\",…");
  CHECK(v.to_display(4) == "[\"…");  // 4 bytes would end inside 合
  CHECK(rulebook::Value(std::string(1000000, 'x')).to_display(10) == "\"xxxxxxxxx…");
}

TEST_CASE("value: copies, moves and assignments of every kind, from itself and from its own parts") {
  const std::vector<Value> kinds = {Value(),
                                    Value::missing("$.a"),
                                    Value(nullptr),
                                    Value(true),
                                    Value(*Decimal::parse("1.50")),
                                    Value(*Date::parse("2024-02-29")),
                                    Value("文本"),
                                    Value::list({Value(1), Value("x")}),
                                    Value::object({{"a", Value(2)}}, "$.o")};
  for (const auto& a : kinds)
    for (const auto& b : kinds) {
      CAPTURE(a.to_display());
      CAPTURE(b.to_display());
      Value x = a;
      x = b;  // over each kind, from each kind
      CHECK(x.kind() == b.kind());
      CHECK(x.to_display() == b.to_display());
      Value y = a;
      Value z = b;
      y = std::move(z);
      CHECK(y.to_display() == b.to_display());
      // A value whose node moved is left unknown (no paths); a scalar is left as it was.
      CHECK(z.is_unknown() == (b.is_unknown() || b.kind() >= Kind::string));
      CHECK(z.missing_paths().empty());
    }
  Value self = Value::list({Value("a")});
  const Value& alias = self;
  self = alias;  // to itself
  CHECK(self.as_list().items.at(0).as_string() == "a");
  // From a part of itself: the part is taken before the node that holds it is let go.
  Value list = Value::list({Value::list({Value("inner")})});
  list = list.as_list().items[0];
  CHECK(list.as_list().items.at(0).as_string() == "inner");
  Value object = Value::object({{"k", Value("v")}});
  object = Value(object.as_object().members[0].second);
  CHECK(object.as_string() == "v");
  Value moved = Value::list({Value("m")});
  moved = std::move(const_cast<Value&>(moved.as_list().items[0]));
  CHECK(moved.as_string() == "m");
}

TEST_CASE("same_text: equal and unequal texts of every length a word comparison splits") {
  for (std::size_t n = 0; n <= 40; ++n) {
    CAPTURE(n);
    std::string a(n, 'x'), b(n, 'x');
    CHECK(same_text(a, b));
    for (std::size_t i = 0; i < n; ++i) {
      b[i] = 'y';
      CHECK_FALSE(same_text(a, b));
      b[i] = 'x';
    }
    CHECK_FALSE(same_text(a, a + "x"));
  }
}
