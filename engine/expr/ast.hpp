#pragma once
// The syntax tree the X3 grammar produces. Every node carries its source span
// through x3::position_tagged; the checker turns it into the resolved ir::Expr.

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>
#include <string>
#include <vector>

#include "expr/op.hpp"

namespace rulebook::expr::ast {
namespace x3 = boost::spirit::x3;

using Op = expr::Op;

struct Number : x3::position_tagged {
  std::string digits;  // as written: "12.5"
  std::string suffix;  // "", "%", "万" or "亿"
};
struct String : x3::position_tagged {
  std::string value;  // escapes already decoded
};
struct Keyword : x3::position_tagged {
  std::string word;  // "true", "false" or "null"
};
struct DateLit : x3::position_tagged {
  std::string text;  // "2024-01-01"
};
struct Name : x3::position_tagged {
  std::string name;
};

struct Unary;
struct Chain;
struct Conditional;
struct Call;
struct Lambda;
struct ListLit;
struct Postfix;

struct Operand : x3::variant<Number, String, Keyword, DateLit, Name, x3::forward_ast<Unary>, x3::forward_ast<Chain>,
                             x3::forward_ast<Conditional>, x3::forward_ast<Call>, x3::forward_ast<Lambda>,
                             x3::forward_ast<ListLit>, x3::forward_ast<Postfix>> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Unary : x3::position_tagged {
  Op op;
  Operand operand;
};
struct Operation : x3::position_tagged {
  Op op;
  Operand operand;
};
/// `first op1 x1 op2 x2 …` at one precedence level, folded left by the checker.
struct Chain : x3::position_tagged {
  Operand first;
  std::vector<Operation> rest;
};
struct Conditional : x3::position_tagged {
  Operand condition, then_branch, else_branch;
};
struct Call : x3::position_tagged {
  std::string function;
  std::vector<Operand> args;
};
struct Lambda : x3::position_tagged {
  std::vector<std::string> params;
  Operand body;
};
struct ListLit : x3::position_tagged {
  std::vector<Operand> items;
};
struct Field : x3::position_tagged {
  std::string name;
};
struct Index : x3::position_tagged {
  Operand index;
};
struct Access : x3::variant<Field, Index> {
  using base_type::base_type;
  using base_type::operator=;
};
/// `base.name[index]…`
struct Postfix : x3::position_tagged {
  Operand base;
  std::vector<Access> accesses;
};

}  // namespace rulebook::expr::ast
