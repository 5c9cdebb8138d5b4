#include "expr/source.hpp"

#include <algorithm>

#include "value/utf8.hpp"

namespace rulebook::expr {

SourceFile::SourceFile(std::string path_, std::string text_) : path(std::move(path_)), text(std::move(text_)) {
  line_starts.push_back(0);
  for (auto nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', nl + 1)) line_starts.push_back(nl + 1);
}

SourceLoc SourceFile::locate(std::size_t byte) const {
  byte = std::min(byte, text.size());
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), byte);
  std::size_t line_index = std::size_t(it - line_starts.begin()) - 1;
  std::size_t start = line_starts[line_index];
  int col = 1 + int(utf8_length(std::string_view(text).substr(start, byte - start)));
  return {path, int(line_index) + 1, col};
}

std::string_view SourceFile::line(int line_no) const {
  if (line_no < 1 || std::size_t(line_no) > line_starts.size()) return {};
  std::size_t b = line_starts[std::size_t(line_no - 1)];
  std::size_t e = text.find('\n', b);
  std::string_view l = std::string_view(text).substr(b, e == std::string::npos ? std::string::npos : e - b);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

SourceMap::SourceMap(std::shared_ptr<const SourceFile> file, std::size_t start, std::string_view value)
    : file_(std::move(file)) {
  const std::string& raw = file_->text;
  std::size_t r = std::min(start, raw.size());
  if (r < raw.size() && (raw[r] == '|' || raw[r] == '>')) {  // block scalar: content starts on the next line
    r = raw.find('\n', r);
    r = r == std::string::npos ? raw.size() : r + 1;
  } else if (r < raw.size() && (raw[r] == '"' || raw[r] == '\'')) {
    ++r;
  }
  bytes_.reserve(value.size() + 1);
  for (char c : value) {
    // Skip what YAML removed: indentation, escape backslashes, line breaks that folded.
    std::size_t guard = r;
    while (r < raw.size() && raw[r] != c && !(c == ' ' && raw[r] == '\n')) ++r;
    if (r >= raw.size()) r = guard;  // no alignment (an escape such as \n): stay near
    bytes_.push_back(r);
    if (r < raw.size() && c == ' ' && raw[r] == '\n') {
      ++r;
      while (r < raw.size() && (raw[r] == ' ' || raw[r] == '\t')) ++r;
    } else if (r < raw.size()) {
      ++r;
    }
  }
  bytes_.push_back(r);
}

SourceLoc SourceMap::locate(std::size_t offset) const {
  if (!file_) return {};
  if (bytes_.empty()) return file_->locate(0);
  return file_->locate(bytes_[std::min(offset, bytes_.size() - 1)]);
}

Error SourceMap::error_at(std::size_t offset, Error::Code code, std::string message) const {
  Error e;
  e.code = code;
  e.message = std::move(message);
  e.loc = locate(offset);
  if (file_) e.source_line = std::string(file_->line(e.loc.line));
  return e;
}

}  // namespace rulebook::expr
