// Fuzzes a pack's cases file (what `rulebook test` and `lint` read): the input is the text of
// cases/fuzz.yaml in a folder standing for the fixed DS pack, run through the public
// run_cases and coverage, and every error put into words.

#include <cstdint>

#include "amplify.hpp"
#include "rulebook/cases.hpp"
#include "scratch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rulebook;
  static const CompiledPack pack = *load_pack(std::string(RULEBOOK_SOURCE_DIR) + "/rules/dongsheng-2024").pack;
  static const fuzz::Scratch scratch("cases");
  // Named like the pack, so that input_file resolves as it does for rules/dongsheng-2024.
  static const std::filesystem::path dir = scratch.root() / "dongsheng-2024";
  scratch.write(dir / "cases/fuzz.yaml", fuzz::amplify({reinterpret_cast<const char*>(data), size}));
  CaseRun run = run_cases(pack, dir);
  for (const auto& e : run.errors) (void)e.to_string();
  (void)coverage(pack, run);
  return 0;
}
