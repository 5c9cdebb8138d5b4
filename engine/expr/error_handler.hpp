#pragma once
// Records where a parse failed and what was expected, and the source span of every
// tagged node. X3's annotate_on_success calls tag(); rules' on_error calls fail().

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <cstddef>
#include <string>
#include <vector>

namespace rulebook::expr {
namespace x3 = boost::spirit::x3;

class ErrorHandler {
 public:
  using iterator = const char*;

  ErrorHandler(iterator first, iterator last) : first_(first), positions_(first, last) {}

  template <typename Ast>
  void tag(Ast& ast, iterator first, iterator last) {
    positions_.annotate(ast, first, last);
  }

  /// Keeps the first failure only: later ones are consequences of backtracking.
  void fail(iterator where, std::string expected) {
    if (failed_) return;
    failed_ = true;
    offset_ = static_cast<std::size_t>(where - first_);
    expected_ = std::move(expected);
  }

  bool failed() const { return failed_; }
  std::size_t offset() const { return offset_; }
  const std::string& expected() const { return expected_; }
  /// Byte offsets of node `id_first`/`id_last` positions.
  std::vector<std::size_t> offsets() const {
    std::vector<std::size_t> out;
    for (iterator it : positions_.get_positions()) out.push_back(static_cast<std::size_t>(it - first_));
    return out;
  }

 private:
  iterator first_;
  x3::position_cache<std::vector<iterator>> positions_;
  bool failed_ = false;
  std::size_t offset_ = 0;
  std::string expected_;
};

}  // namespace rulebook::expr
