#pragma once
// An expression's source: its text, and for each byte of it the line and column in the rule
// file, so that its errors are reported where the drafter wrote them (through YAML quoting).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/error.hpp"

namespace rulebook::expr {

/// A rule file's text with its line starts.
struct SourceFile {
  std::string path;
  std::string text;
  std::vector<std::size_t> line_starts;

  SourceFile(std::string path_, std::string text_);
  /// 1-based line and column (in characters) of a byte offset.
  SourceLoc locate(std::size_t byte) const;
  std::string_view line(int line_no) const;
};

/// Maps each byte of a scalar value to a byte of the file.
class SourceMap {
 public:
  SourceMap() = default;
  /// Aligns `value` with the file text at the scalar's mark, through quotes, escapes,
  /// block indicators, indentation and folded line breaks.
  SourceMap(std::shared_ptr<const SourceFile> file, std::size_t start, std::string_view value);

  /// The file position of byte `offset` of the value (offset == size means just past its end).
  SourceLoc locate(std::size_t offset) const;
  /// An Error at that position, with the source line for the caret.
  Error error_at(std::size_t offset, Error::Code code, std::string message) const;

 private:
  std::shared_ptr<const SourceFile> file_;
  std::vector<std::size_t> bytes_;
};

/// An expression as written in a rule file.
struct Source {
  std::string text;
  SourceMap map;
  SourceLoc loc() const { return map.locate(0); }
};

}  // namespace rulebook::expr
