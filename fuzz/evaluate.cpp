// Fuzzes evaluation: a fixed pack (DS-01) against fuzzed documents.

#include <cstdint>
#include <string_view>

#include "amplify.hpp"
#include "rulebook/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rulebook;
  static const CompiledPack pack = *load_pack(std::string(RULEBOOK_SOURCE_DIR) + "/rules/dongsheng-2024").pack;
  auto r = Document::parse(fuzz::amplify({reinterpret_cast<const char*>(data), size}), "fuzz.json");
  if (!r.document) return 0;
  (void)pack.validate(*r.document);  // evaluated either way (validate off): rules must not crash on input of the wrong shape
  Decision d = pack.evaluate(*r.document, {.as_of = *Date::parse("2025-06-30"), .max_steps = 200000, .validate = false});
  (void)to_json(d);
  (void)to_text(d, "en");
  return 0;
}
