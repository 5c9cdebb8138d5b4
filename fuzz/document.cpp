// Fuzzes the JSON input readers and schema validation (against the DS-01 subject schema), and
// checks batch's simdjson reader, which validates as it reads, against Document::parse and
// Schema::validate: it must accept exactly what they accept (but for strings it leaves to
// them), and the decisions on what it accepts must be the same bytes.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "amplify.hpp"
#include "batch/fast_reader.hpp"
#include "compile/pack_access.hpp"
#include "rulebook/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rulebook;
  static const CompiledPack pack = *load_pack(std::string(RULEBOOK_SOURCE_DIR) + "/rules/dongsheng-2024").pack;
  const std::string input = fuzz::amplify({reinterpret_cast<const char*>(data), size});
  std::string_view text = input;
  auto r = Document::parse(text, "fuzz.json");
  if (r.document) {
    (void)r.document->root().to_display();
    for (const auto& e : pack.validate(*r.document)) (void)e.to_string();
  }
  for (const auto& e : r.errors) (void)e.to_string();

  // The fast reader validates as it reads: it accepts only a document the reference reader
  // accepts and the schema finds no violation in, and then decides alike. It may decline such
  // a document (batch then uses the reference), but only for a string that holds a control
  // character, which it leaves to the reference, so a text without escapes it must accept.
  detail::FastReader reader(detail::program(pack), {});
  auto fast = reader.read(text, "fuzz.json");
  bool valid = r.document && pack.validate(*r.document).empty();
  // Accepted what JSON, a limit or the schema refuses:
  if (fast && !(reader.validates() ? valid : bool(r.document))) std::abort();
  if (!fast && valid && text.find('\\') == std::string_view::npos) std::abort();  // declined for no reason
  if (fast) {
    EvalOptions o{.as_of = *Date::parse("2025-06-30")};
    if (to_json(pack.evaluate(*r.document, o)) != to_json(pack.evaluate(*fast, o))) std::abort();
  }
  // In place, from a text with spare capacity, as batch's JSON Lines give it: the same answer.
  std::string padded;
  padded.reserve(text.size() + detail::json_padding);
  padded.assign(text);
  if (reader.read(padded, "fuzz.json").has_value() != fast.has_value()) std::abort();
  return 0;
}
