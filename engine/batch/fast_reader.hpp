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

/// One per thread: it keeps the parser and caches between documents. The documents it returns
/// may be used and destroyed on any thread; the values it shares among them are immutable.
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
  /// Takes back a document read() returned, once its caller is done with it: the memory of its
  /// values that nothing else holds (a decision may keep some) goes to the next documents read.
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
