// Fuzzes the pack loader: the input is a rule file loaded beside the DS pack's real pack.yaml.

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include "amplify.hpp"
#include "compile/compiler.hpp"
#include "pack/pack.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rulebook;
  static const std::filesystem::path dir = std::filesystem::path(RULEBOOK_SOURCE_DIR) / "rules/dongsheng-2024";
  static const std::string header = [] {
    std::ifstream in(dir / "pack.yaml", std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }();
  std::vector<pack::RuleFile> files{{dir / "pack.yaml", header},
                                    {dir / "fuzz.yaml", fuzz::amplify({reinterpret_cast<const char*>(data), size})}};
  auto read = pack::parse_pack(dir, std::move(files));
  std::vector<Error> errors = read.errors, warnings = read.warnings;
  if (read.pack) (void)detail::compile(*read.pack, {}, errors, warnings);
  for (const auto& e : errors) (void)e.to_string();
  return 0;
}
