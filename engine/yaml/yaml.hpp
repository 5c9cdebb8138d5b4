#pragma once
// The project's own YAML tree, read by libfyaml: what the loader, case files, CSV mappings and
// figures need of a YAML document (maps with their keys in order, duplicates kept; sequences;
// scalars, plain or not; where each node starts), and nothing of an emitter. Immutable once read.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook::yaml {

/// Where a node starts: byte offset, line and column, both from 0 (columns count bytes).
struct Mark {
  std::size_t offset = 0;
  int line = 0;
  int column = 0;
};

/// A plain `~`, `null`, `Null`, `NULL` or nothing at all is null (YAML 1.2's core schema).
enum class Kind : std::uint8_t { null, scalar, sequence, map };

namespace detail {
struct Tree;
struct NodeData;
}  // namespace detail

struct Pair;

/// A node of a Document, or no node at all (a key the map lacks): a view, valid while its
/// Document lives. Immutable, so safe to share between threads.
class Node {
 public:
  Node() = default;

  /// Whether there is a node (false for a missing key or index).
  explicit operator bool() const { return data_ != nullptr; }
  Kind kind() const;
  bool is_null() const { return data_ && kind() == Kind::null; }
  bool is_scalar() const { return data_ && kind() == Kind::scalar; }
  bool is_sequence() const { return data_ && kind() == Kind::sequence; }
  bool is_map() const { return data_ && kind() == Kind::map; }
  /// A scalar written without quotes, block indicator or tag: only these read as numbers, booleans or null.
  bool plain() const;
  /// A scalar's text; empty for anything else.
  const std::string& text() const;
  /// Where the node starts (its anchor or tag if it has one); for an alias, where its anchor's node starts.
  Mark mark() const;
  /// Whether two views are of one node (an alias and its anchor are).
  bool same(const Node& other) const { return data_ == other.data_; }

  /// The elements of a sequence, or the pairs of a map (0 for anything else).
  std::size_t size() const;
  /// The elements of a sequence (empty for anything else).
  std::vector<Node> elements() const;
  /// The pairs of a map in document order, duplicate keys included (empty for anything else).
  std::vector<Pair> pairs() const;
  /// The value of the first pair whose key is the scalar `key`; no node if none or not a map.
  Node operator[](std::string_view key) const;

 private:
  friend struct detail::Tree;
  Node(const detail::Tree* tree, std::uint32_t index);
  const detail::Tree* tree_ = nullptr;
  const detail::NodeData* data_ = nullptr;
};

struct Pair {
  Node key, value;
};

/// A YAML syntax error (or a file that cannot be read): the parser's words and where.
struct Error {
  std::string message;
  Mark mark;
};

/// What a caller already knows of a text it parses: that it is well-formed UTF-8 (the pack
/// loader checks that first, to say so in its own words) spares a second reading of it.
enum class Known : std::uint8_t { nothing, valid_utf8 };

/// The first document of a YAML text, aliases resolved to their anchor's node (an alias
/// inside its own anchor makes a cycle: readers bound their depth). Thread-compatible.
class Document {
 public:
  Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  /// The root node; null for an empty text.
  Node root() const;

 private:
  friend struct Parsed parse(std::string_view text, Known known);
  std::unique_ptr<detail::Tree> tree_;
};

/// A document, or the parser's error (then `document` is empty, its root null).
struct Parsed {
  Document document;
  std::optional<Error> error;
};

/// Parses `text` (a UTF-8 byte order mark allowed); libfyaml prints nothing, its error comes back.
Parsed parse(std::string_view text, Known known = Known::nothing);
/// parse() of a file's content; a file that cannot be read is an Error "bad file: <path>".
Parsed parse_file(const std::filesystem::path& path);

}  // namespace rulebook::yaml
