#pragma once
// The builtin functions: one table gives the checker their arity and argument kinds and
// the evaluator their implementation, so a function is defined in one place.

#include <array>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "check/ir.hpp"
#include "value/calendar.hpp"
#include "value/divisions.hpp"

namespace rulebook::ir {

/// A language error raised while evaluating (a wrong type in the data, a date out of
/// range...): it makes the rule's outcome `error`, located at the node that raised it.
struct EvalError : std::runtime_error {
  SourceLoc loc;
  std::string json_path;
  EvalError(std::string message, SourceLoc where = {}, std::string path = {})
      : std::runtime_error(std::move(message)), loc(std::move(where)), json_path(std::move(path)) {}
};

/// What a function implementation sees of its call.
class Args {
 public:
  virtual ~Args() = default;
  virtual std::size_t size() const = 0;
  /// Argument i, evaluated once (never unknown unless the function handles unknowns).
  virtual const Value& get(std::size_t i) = 0;
  /// Applies the lambda given as argument i.
  virtual Value apply(std::size_t i, std::span<const Value> params) = 0;
  /// Throws an EvalError located at argument i.
  [[noreturn]] virtual void fail(std::size_t i, const std::string& message) = 0;
  /// Throws an EvalError about element k of argument i, a list (or, for a lambda, of the list it
  /// is applied to, argument 0), naming that element's data when it is the document's.
  [[noreturn]] virtual void fail_item(std::size_t i, std::size_t k, const std::string& message) = 0;
  /// The pack's working-day calendar (CM-03); never null for a function that needs_calendar.
  virtual const Calendar& calendar() const = 0;
  /// China's administrative divisions; never null for a function that needs_divisions.
  virtual const Divisions& divisions() const = 0;
  /// Accounts for iterating a list of n elements: the list-length limit and the budget.
  virtual void iterate(std::size_t n) = 0;
  /// Accounts for reading `bytes` of text (searching, comparing): the budget.
  virtual void scan(std::size_t bytes) = 0;
  /// Accounts for a result of `bytes` (a string, a list's elements): the value-size limit and the budget.
  virtual void produce(std::size_t bytes) = 0;
  /// An empty list to fill as a result, in memory an earlier document's result gave back when there is some.
  virtual std::shared_ptr<List> new_list() { return std::make_shared<List>(); }

  const Decimal& number(std::size_t i);
  Date date(std::size_t i);
  const std::string& string(std::size_t i);
  const List& list(std::size_t i);
  /// v, the lambda's result for element k, as a boolean; an error if it is none.
  bool boolean_result(std::size_t lambda, std::size_t k, const Value& v);
};

enum class Arg { any, number, date, string, boolean, list, lambda1, lambda2 };

/// What a builtin is beyond its arguments' kinds, for every pass that reads the table.
enum Trait : unsigned {
  handles_unknown = 1u << 0,  ///< sees unknown arguments; otherwise any unknown one makes the result unknown
  iterates = 1u << 1,         ///< reads its first argument element by element (the read set needs its parts)
  needs_calendar = 1u << 2,   ///< the pack must have a working-day calendar (CM-03)
  needs_divisions = 1u << 3,  ///< the pack must have China's administrative divisions
  rounds = 1u << 4,           ///< its result is rounded (lint: a rounded value must not feed a comparison)
  keeps_rounding = 1u << 5,   ///< its result is rounded when an argument is (min, sum, pow...)
  // How the result's type follows the arguments, beyond `result`:
  result_of_lambda = 1u << 6,  ///< a list of what the lambda gives (map)
  result_as_list = 1u << 7,    ///< the type of its list argument (filter)
  result_element = 1u << 8,    ///< the list's element type for one argument, else the arguments' type (min, max)
  result_numbers = 1u << 9,    ///< a list of numbers (allocate)
};

struct FunctionSpec {
  std::string_view name;
  std::string_view signature;  ///< for messages and the reference: "round(x, places = 0)"
  int min_args, max_args;      ///< max_args -1: variadic
  std::array<Arg, 4> args;     ///< kinds of the first arguments; variadic ones repeat the last
  TypeKind result;
  Value (*impl)(Args&);
  unsigned traits = 0;  ///< Trait flags
  bool has(Trait t) const { return (traits & t) != 0; }
};

/// nullptr when there is no such function.
const FunctionSpec* find_function(std::string_view name);
std::span<const FunctionSpec> all_functions();

/// What runs `outer(inner(…))`, when `outer` takes `outer_args` arguments, in one walk over
/// inner's arguments without the list inner builds, with the same answer, errors and charges
/// (count(filter(xs, p))); nullptr when the two are not fused. The lowering calls it.
const FunctionSpec* fused_call(const FunctionSpec& outer, std::size_t outer_args, const FunctionSpec& inner);

/// Whether `text` holds `part`, in time linear in their lengths (std::string::find is not:
/// a long run of one letter made `contains` take minutes).
bool text_contains(std::string_view text, std::string_view part);

/// Element i of a list, where it lies; a null element of an input list reads as missing, a
/// value built into `scratch` (named by its path).
const Value& element(const List& list, std::size_t i, Value& scratch);

/// What a value a result holds once more weighs, beyond its own slot: a text its bytes, a list
/// or object its entries and theirs, all the way down. A copy shares them, but writing the result
/// out does not: `map(xs, x -> s)` over 2,000 items and a text of 1 MB is 2 GB of answer, and is
/// charged so (produce()). Linear in the value's nodes, as writing it out would be.
std::size_t shared_size(const Value& v);

/// Two values of different kinds met where equal() compares (neither null): an error, as `1 == "1"`
/// is, which the caller names with its place.
struct KindMismatch {
  Value a, b;
};

/// Equality as `==` and `in` have it, three-valued: lists and objects compare by their items and
/// members, where a null or absent one of input data is missing data (named by its path); they are
/// unequal when a known part differs, unknown when no known part differs but one is unknown.
/// Throws KindMismatch when two known parts it compares differ in kind (neither null): `1 in ["1"]`
/// of input data is an error, not false.
Value equal(const Value& a, const Value& b);

}  // namespace rulebook::ir
