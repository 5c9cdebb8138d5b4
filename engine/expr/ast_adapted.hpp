#pragma once
#include <boost/fusion/include/adapt_struct.hpp>

#include "expr/ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Number, digits, suffix)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::String, value)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Keyword, word)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::DateLit, text)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Name, name)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Unary, op, operand)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Operation, op, operand)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Chain, first, rest)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Conditional, condition, then_branch, else_branch)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Call, function, args)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Lambda, params, body)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::ListLit, items)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Field, name)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Index, index)
BOOST_FUSION_ADAPT_STRUCT(rulebook::expr::ast::Postfix, base, accesses)
