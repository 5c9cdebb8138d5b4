// Fuzzes the JSON input readers and schema validation (against the DS-01 subject schema), and
// checks batch's simdjson reader against Document::parse: it must accept exactly what the
// reference reader accepts, and the decisions on what it accepts must be the same bytes.

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

  // The fast reader may decline a document the reference accepts (batch then uses the
  // reference), never the other way round; where both accept, they must decide alike.
  auto fast = detail::FastReader(detail::program(pack), {}).read(text, "fuzz.json");
  if (fast && !r.document) std::abort();  // accepted what JSON (or a limit) refuses
  if (fast && r.document) {
    EvalOptions o{.as_of = *Date::parse("2025-06-30")};
    bool valid = pack.validate(*r.document).empty();
    if (valid != pack.validate(*fast).empty()) std::abort();
    if (valid && to_json(pack.evaluate(*r.document, o)) != to_json(pack.evaluate(*fast, o))) std::abort();
  }
  return 0;
}
