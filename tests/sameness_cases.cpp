// Prints a SHA-256 of the whole JSON decision each stored case's input gets, one line per
// case in sha256sum's format ("digest  label"), for tests/sameness_test.sh.

#include <filesystem>
#include <iostream>

#include "ledger/sha256.hpp"
#include "rulebook/cases.hpp"
#include "rulebook/decision.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    fs::path dir = argv[i];
    auto loaded = rulebook::load_pack(dir);
    if (!loaded.pack) {
      std::cerr << dir.string() << ": the pack does not load\n";
      status = 2;
      continue;
    }
    rulebook::CaseRun run = rulebook::run_cases(*loaded.pack, dir);
    for (const auto& e : run.errors) std::cerr << e.to_string(), status = 2;
    for (const auto& r : run.results)
      if (r.decision)
        std::cout << rulebook::ledger::sha256_hex(rulebook::to_json(*r.decision)) << "  case " << r.at.to_string()
                  << " " << r.name << "\n";
  }
  return status;
}
