// Fuzzes the JSON input reader and schema validation (against the DS-01 subject schema).

#include <cstdint>
#include <string_view>

#include "rulebook/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rulebook;
  static const CompiledPack pack = *load_pack(std::string(RULEBOOK_SOURCE_DIR) + "/rules/dongsheng-2024").pack;
  auto r = Document::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (r.document) {
    (void)r.document->root().to_display();
    for (const auto& e : pack.validate(*r.document)) (void)e.to_string();
  }
  for (const auto& e : r.errors) (void)e.to_string();
  return 0;
}
