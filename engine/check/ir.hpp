#pragma once
// The checked, resolved form of an expression: every name bound (param, def, local,
// input field), every function found, static types known where they can be.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "expr/op.hpp"
#include "rulebook/error.hpp"
#include "rulebook/value.hpp"

namespace rulebook::ir {

enum class TypeKind { any, boolean, number, date, string, list, object, null };
std::string_view type_name(TypeKind k);

/// The shape of input data, from the subject's JSON Schema.
struct Shape {
  TypeKind kind = TypeKind::any;
  std::map<std::string, std::unique_ptr<Shape>, std::less<>> properties;
  std::unique_ptr<Shape> items;
};

struct Type {
  TypeKind kind = TypeKind::any;
  const Shape* shape = nullptr;   ///< for object and list kinds from the schema
  TypeKind elem = TypeKind::any;  ///< for lists: the elements' kind when known
  static Type of(TypeKind k) { return Type{k, nullptr, TypeKind::any}; }
  static Type from(const Shape* s);
  Type element() const;
};

struct FunctionSpec;

/// A param's values by the day each takes effect, in day order.
using DatedValues = std::vector<std::pair<Date, Value>>;

enum class Node {
  constant,   ///< a literal; `value`
  param,      ///< a pack param; `name`, `value` (unknown when unset), or `dated` values
  as_of,      ///< the evaluation date
  input,      ///< a top-level field of the document; `name`
  local,      ///< a lambda or def parameter; `slot`
  output,     ///< an earlier output of the same rule; `slot`
  def,        ///< a parameterless def; `slot` = def index
  def_call,   ///< a def with parameters; `slot` = def index, kids = args
  item_call,  ///< the rule's `each` predicate; kids = [element]
  member,     ///< kids[0].name
  index,      ///< kids[0][kids[1]]
  unary,      ///< op kids[0]
  binary,     ///< kids[0] op kids[1] (arithmetic and comparison)
  logical,    ///< and/or, three-valued, short-circuit
  cond,       ///< if kids[0] then kids[1] else kids[2]
  call,       ///< builtin `fn`, kids = args (lambdas as Node::lambda)
  lambda,     ///< params in `slots`, body kids[0]
  list,       ///< [kids...]
};

struct Expr {
  Node node = Node::constant;
  expr::Op op{};
  Type type;
  Value value;
  std::string name;
  int slot = -1;
  std::vector<int> slots;
  const FunctionSpec* fn = nullptr;
  std::shared_ptr<const DatedValues> dated;  ///< for a param with values by date; `value` otherwise
  std::vector<std::unique_ptr<Expr>> kids;
  SourceLoc loc;
};
using ExprPtr = std::unique_ptr<Expr>;

}  // namespace rulebook::ir
