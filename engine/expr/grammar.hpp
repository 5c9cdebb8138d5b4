#pragma once
// Declaration of the expression grammar; its definition is compiled once, in grammar.cpp.

#include <boost/spirit/home/x3.hpp>

#include "expr/ast.hpp"

namespace rulebook::expr {
namespace x3 = boost::spirit::x3;

namespace grammar {
struct expression_top_class;
using expression_top_type = x3::rule<expression_top_class, ast::Operand>;
BOOST_SPIRIT_DECLARE(expression_top_type)
}  // namespace grammar

/// A whole expression followed by the end of input.
grammar::expression_top_type const& expression();

}  // namespace rulebook::expr
