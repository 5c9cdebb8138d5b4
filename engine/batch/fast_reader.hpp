#pragma once
// Batch's document reader: simdjson On-Demand, building Values only for the parts of the
// document the pack reads (Program::reads) and checking the rest without building it, in
// the same walk as it validates the document against the pack's schema. It accepts only
// what Document::parse accepts and Schema::validate finds no fault in; for anything else
// it declines, and the caller asks Document::parse and the schema for the errors, so that
// error records read the same.

#include <optional>
#include <string>
#include <string_view>
#include <memory>

#include "compile/program.hpp"
#include "rulebook/engine.hpp"

namespace rulebook::detail {

/// Spare capacity past a text's end that lets read() parse it in place (simdjson's padding).
inline constexpr std::size_t json_padding = 64;

/// One per thread: it keeps the parser and caches between documents. A document's values
/// borrow their nodes from the reader's arena (value/arena.hpp), which the next read() writes
/// over once no document read into it is held: a document may be used and destroyed on any
/// thread, and its values copied while it is held; a value kept past it is made owned.
class FastReader {
 public:
  FastReader(const Program& program, const InputLimits& limits);
  ~FastReader();
  FastReader(const FastReader&) = delete;
  FastReader& operator=(const FastReader&) = delete;

  /// The document, or nullopt when the text is not one Document::parse would accept or the
  /// pack's schema finds a violation in (or, rarely, one the walk leaves to them, such as a
  /// string with a raw control character). Copies the text to pad it.
  std::optional<Document> read(std::string_view json, std::string_view name);
  /// The same, parsing the text in place when it has json_padding bytes of spare capacity.
  std::optional<Document> read(const std::string& json, std::string_view name);
  /// Takes back a document read() returned, once its caller is done with it: its memory goes to
  /// the next document read (as it would when the document is dropped; its name's too).
  void recycle(Document&& doc);

  /// True: a document read() returns has passed the pack's schema (CompiledPack::validate
  /// would return no error), so the caller need not validate it again.
  bool validates() const;

 private:
  std::optional<Document> read_padded(const char* json, std::size_t size, std::size_t capacity, std::string_view name);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rulebook::detail
