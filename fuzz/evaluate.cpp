// Fuzzes evaluation and what people read of it: a fixed pack (DS-01) against fuzzed documents,
// each decision rendered as JSON, text and an HTML page in Chinese and English. Text from the
// data must reach a terminal as text: the text report holds no control character but newlines.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "amplify.hpp"
#include "rulebook/engine.hpp"
#include "rulebook/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rulebook;
  static const CompiledPack pack = *load_pack(std::string(RULEBOOK_SOURCE_DIR) + "/rules/dongsheng-2024").pack;
  auto r = Document::parse(fuzz::amplify({reinterpret_cast<const char*>(data), size}), "fuzz.json");
  if (!r.document) return 0;
  (void)pack.validate(*r.document);  // evaluated either way (validate off): rules must not crash on input of the wrong shape
  Decision d = pack.evaluate(*r.document, {.as_of = *Date::parse("2025-06-30"), .max_steps = 200000, .validate = false});
  (void)to_json(d);
  (void)to_text(d, "en");
  for (const char* lang : {"zh", "en"}) {
    ReportOptions options{.lang = lang, .pack = &pack, .input = &*r.document, .pack_hash = "", .reviewer = "审核人"};
    const std::string text = to_text(d, options);
    if (std::any_of(text.begin(), text.end(), [](char c) { return (c >= 0 && c < 0x20 && c != '\n') || c == 0x7F; }))
      std::abort();  // ESC[2K\r from a transaction id would erase the verdict on a terminal
    (void)to_html(d, options);
  }
  return 0;
}
