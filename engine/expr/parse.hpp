#pragma once
// parse(text) -> ParseResult: the only door to the X3 grammar, so that few translation
// units pay its compile cost.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/ast.hpp"

namespace rulebook::expr {

/// Byte offsets [begin, end) into the expression text.
struct Span {
  std::size_t begin = 0, end = 0;
};

struct SyntaxError {
  std::size_t offset;   ///< byte offset of the offending character
  std::string message;  ///< "expected X" (or a limit that was exceeded)
  std::string message_zh = {};  ///< the same in Chinese
};

struct Limits {
  std::size_t max_length = 16 * 1024;  ///< bytes of one expression
  std::size_t max_depth = 64;          ///< nesting of brackets and prefix operators
  std::size_t max_tree_depth = 512;    ///< depth of the checked tree (a chain a+b+… is as deep as it is long)
};

struct ParseResult {
  ast::Operand tree;
  std::optional<SyntaxError> error;
  std::vector<std::size_t> positions;  // INVARIANT: indexed by position_tagged ids
  Span span_of(const boost::spirit::x3::position_tagged& node) const;
};

/// Parses one expression. Never throws for bad input: errors come back in `error`.
ParseResult parse(std::string_view text, const Limits& limits = {});

}  // namespace rulebook::expr
