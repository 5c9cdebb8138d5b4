// Fuzzes the JSON input reader.

#include <cstdint>
#include <string_view>

#include "rulebook/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = rulebook::Document::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (r.document) (void)r.document->root().to_display();
  for (const auto& e : r.errors) (void)e.to_string();
  return 0;
}
