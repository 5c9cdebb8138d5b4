// Fuzzes `batch --merge`: the input is a summary (schemas/summary.schema.json) read back with
// Summary::from_json, printed, and merged both ways with a summary of the DS examples and with
// itself. What the reader accepts must write back to the same text, and a merge that succeeds
// must leave a summary the reader accepts: merging never makes counts that do not add up.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "amplify.hpp"
#include "rulebook/batch.hpp"

namespace {

using namespace rulebook;

// The summary's JSON must read back to itself.
void round_trip(const Summary& s) {
  std::vector<Error> errors;
  const std::string json = s.to_json();
  auto again = Summary::from_json(json, "again.json", errors);
  if (!again || again->to_json() != json) std::abort();
}

void merge(Summary into, const Summary& other) {
  std::string why;
  if (into.merge(other, why)) round_trip(into);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path source = RULEBOOK_SOURCE_DIR;
  static const Summary examples = [] {
    const CompiledPack pack = *load_pack(source / "rules/dongsheng-2024").pack;
    Summary s(pack, "2025-06-30");
    for (const auto& e : std::filesystem::directory_iterator(source / "examples/dongsheng-2024")) {
      std::ifstream in(e.path(), std::ios::binary);
      auto doc = Document::parse(std::string(std::istreambuf_iterator<char>(in), {}), e.path().string());
      if (doc.document && pack.validate(*doc.document).empty())
        s.add(pack.evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30"), .trace = false}));
      else
        s.add_invalid();
    }
    return s;
  }();
  std::vector<Error> errors;
  auto s = Summary::from_json(fuzz::amplify({reinterpret_cast<const char*>(data), size}), "fuzz.json", errors);
  for (const auto& e : errors) (void)e.to_string();
  if (!s) return 0;
  (void)s->overflowed();
  (void)s->to_text("zh");
  (void)s->to_text("en");
  round_trip(*s);
  merge(examples, *s);
  merge(*s, examples);
  merge(*s, *s);
  return 0;
}
