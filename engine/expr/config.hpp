#pragma once
// The one place that fixes the grammar's iterator and context types; grammar.cpp
// instantiates the grammar for exactly these, so a mismatch is a link error.

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/error_reporting.hpp>

#include "expr/error_handler.hpp"

namespace rulebook::expr {
namespace x3 = boost::spirit::x3;

using iterator_type = const char*;
// ASCII white space and the ideographic space U+3000 that Chinese input methods type.
inline const auto skipper = x3::ascii::space | x3::lit("\u3000");
using skipper_type = std::remove_cv_t<decltype(skipper)>;
using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type = x3::context<x3::error_handler_tag, std::reference_wrapper<ErrorHandler>, phrase_context_type>;

}  // namespace rulebook::expr
