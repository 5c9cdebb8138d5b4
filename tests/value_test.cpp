#include "rulebook/value.hpp"

#include <doctest/doctest.h>

#include "support.hpp"

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
