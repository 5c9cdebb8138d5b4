// rulebook test: runs the cases stored with packs and reports every difference.

#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "rulebook/cases.hpp"

namespace rulebook::cli {
namespace {

struct TestOptions {
  std::vector<std::string> packs;
};

// Every folder under ./rules that holds a pack.yaml.
std::vector<std::string> all_packs() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("rules", ec))
    if (std::filesystem::exists(e.path() / "pack.yaml")) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

ExitCode run_test(const TestOptions& o) {
  auto packs = o.packs.empty() ? all_packs() : o.packs;
  if (packs.empty()) {
    std::cerr << "rulebook test: no packs given and none under ./rules\n";
    return ExitCode::bad_input;
  }
  ExitCode code = ExitCode::ok;
  std::size_t passed = 0, failed = 0;
  for (const auto& dir : packs) {
    LoadResult loaded = load_pack(dir);
    for (const auto& w : loaded.warnings) std::cerr << w.to_string("warning");
    for (const auto& e : loaded.errors) std::cerr << e.to_string();
    if (!loaded.pack) {
      code = ExitCode::bad_input;
      continue;
    }
    CaseRun run = run_cases(*loaded.pack, dir);
    for (const auto& e : run.errors) std::cerr << e.to_string();
    if (!run.errors.empty()) code = ExitCode::bad_input;
    std::size_t pack_failed = 0;
    for (const auto& r : run.results) {
      if (r.passed()) {
        ++passed;
        continue;
      }
      ++failed, ++pack_failed;
      std::cout << "FAIL " << r.at.to_string() << ": " << r.rule << " — " << r.name << "\n";
      for (const auto& p : r.problems) std::cout << "    " << p << "\n";
      if (r.actual && !r.actual->trace.empty()) {
        std::cout << "    trace:\n";
        for (const auto& t : r.actual->trace) std::cout << "      " << t.kind << " " << t.name << " = " << t.value << "\n";
      }
    }
    std::cout << loaded.pack->info().id << ": " << run.results.size() << " cases, " << pack_failed << " failed\n";
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  if (failed) code = worst(code, ExitCode::attention);
  return code;
}

}  // namespace

void add_test(CLI::App& app, std::function<ExitCode()>& run) {
  auto o = std::make_shared<TestOptions>();
  CLI::App* cmd = app.add_subcommand("test", "Run the cases stored with rule packs (PACK_DIR/cases/*.yaml).");
  cmd->add_option("packs", o->packs, "pack folders (default: every pack under ./rules)");
  cmd->footer("Exit status: 0 every case passes; 1 a case fails; 2 a pack or case file cannot be read.");
  cmd->callback([o, &run] { run = [o] { return run_test(*o); }; });
}

}  // namespace rulebook::cli
