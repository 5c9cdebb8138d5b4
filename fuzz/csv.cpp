// Fuzzes batch's CSV input: the input is a sheet read with the fixed mappings of the tests
// (one row per application, and rows grouped by 申请编号 into one), evaluated by run_batch
// against the DS pack and written as JSON Lines and as CSV. Every JSON line written must parse:
// valid JSON in valid UTF-8, whatever the cells hold.

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "amplify.hpp"
#include "rulebook/batch.hpp"
#include "scratch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rulebook;
  static const std::string source = RULEBOOK_SOURCE_DIR;
  static const CompiledPack pack = *load_pack(source + "/rules/dongsheng-2024").pack;
  static const fuzz::Scratch scratch("csv");
  const std::string sheet =
      scratch.write("sheet.csv", fuzz::amplify({reinterpret_cast<const char*>(data), size})).string();
  for (BatchFormat format : {BatchFormat::jsonl, BatchFormat::csv}) {
    const std::string mapping = source + (format == BatchFormat::jsonl ? "/tests/data/applications.mapping.yaml"
                                                                       : "/tests/data/sheets/grouped.mapping.yaml");
    OpenedInput in = open_input({sheet}, mapping);
    for (const auto& e : in.errors) (void)e.to_string();
    if (!in.source) continue;
    std::ostringstream out;
    BatchOptions options{.eval = {.as_of = *Date::parse("2025-06-30"), .trace = false, .max_steps = 200000},
                         .jobs = 1,
                         .format = format};
    BatchResult r = run_batch(pack, *in.source, options, &out);
    (void)r.summary.to_json();
    if (format == BatchFormat::jsonl) {
      std::istringstream lines(out.str());
      for (std::string line; std::getline(lines, line);)
        if (!nlohmann::json::accept(line)) std::abort();  // a line that is not JSON (or not UTF-8)
    }
  }
  return 0;
}
