// rulebook test: runs the cases stored with packs, reports every difference and which rule
// outcomes no case exercises, and writes JUnit XML for CI systems.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "rulebook/cases.hpp"

namespace rulebook::cli {
namespace {

struct TestOptions {
  std::vector<std::string> packs;
  std::string junit;
  double min_coverage = -1;
};

ExitCode run_test(const TestOptions& o) {
  auto packs = pack_dirs("test", o.packs);
  if (packs.empty()) return ExitCode::bad_input;
  ExitCode code = ExitCode::ok;
  std::size_t passed = 0, failed = 0, file_errors = 0, not_loaded = 0, possible = 0, exercised = 0;
  JUnitReport junit;
  std::string gaps;
  for (const auto& dir : packs) {
    LoadResult loaded = load_pack(dir);
    for (const auto& w : loaded.warnings) std::cerr << w.to_string("warning");
    for (const auto& e : loaded.errors) std::cerr << e.to_string();
    if (!loaded.pack) {
      code = ExitCode::bad_input;
      ++not_loaded;
      continue;
    }
    auto start = std::chrono::steady_clock::now();
    CaseRun run = run_cases(*loaded.pack, dir);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string& id = loaded.pack->info().id;
    junit.add(id, run, seconds);
    for (const auto& e : run.errors) std::cerr << e.to_string();
    if (!run.errors.empty()) code = ExitCode::bad_input;
    file_errors += run.errors.size();
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
        for (const auto& t : r.actual->trace)
          std::cout << "      " << t.kind << " " << t.name << " = " << t.value << "\n";
      }
    }
    std::cout << id << ": " << run.results.size() << " cases, " << pack_failed << " failed\n";
    for (const auto& c : coverage(*loaded.pack, run)) {
      std::string missing;
      for (std::size_t k = 0; k < c.possible.size(); ++k) {
        if (!c.possible[k]) continue;
        ++possible;
        if (c.exercised[k])
          ++exercised;
        else
          missing += (missing.empty() ? "" : ", ") + std::string(to_string(Outcome(k)));
      }
      if (!missing.empty()) gaps += "  " + id + " " + c.rule + ": no case gives " + missing + "\n";
    }
  }
  // Coverage of cases that did not run is unknown, not 100%: a pack that failed to load or a
  // cases file in error is said, and no percentage is claimed.
  bool measured = !not_loaded && !file_errors;
  double percent = possible ? 100.0 * double(exercised) / double(possible) : 100.0;
  std::ostringstream line;
  line.precision(1);
  if (measured)
    line << std::fixed << "coverage: " << exercised << " of " << possible << " rule outcomes exercised (" << percent
         << "%)\n";
  else
    line << "coverage: not measured: " << (not_loaded ? std::to_string(not_loaded) + " pack(s) did not load" : "")
         << (not_loaded && file_errors ? ", " : "")
         << (file_errors ? std::to_string(file_errors) + " error(s) in cases files" : "") << "\n";
  std::cout << line.str() << gaps;
  // A case the runner refused is neither passed nor failed: say so, or "0 failed" would mislead.
  std::cout << passed << " passed, " << failed << " failed";
  if (file_errors) std::cout << ", " << file_errors << " errors in cases files (not run)";
  std::cout << "\n";
  if (!o.junit.empty()) {
    std::ofstream out(o.junit, std::ios::binary);
    out << junit.document();
    if (!out.flush()) {
      std::cerr << o.junit << ": error: cannot write the JUnit report\n";
      code = ExitCode::bad_input;
    }
  }
  if (failed) code = worst(code, ExitCode::attention);
  if (o.min_coverage >= 0 && !measured) {
    std::cout << "coverage is not measured, so not shown to reach --min-coverage " << o.min_coverage << "%\n";
    code = worst(code, ExitCode::attention);
  } else if (o.min_coverage >= 0 && percent < o.min_coverage) {
    std::cout << "coverage "
              << line.str().substr(line.str().find('(') + 1, line.str().find(')') - line.str().find('(') - 1)
              << " is below --min-coverage " << o.min_coverage << "%\n";
    code = worst(code, ExitCode::attention);
  }
  return code;
}

}  // namespace

void add_test(CLI::App& app, std::function<ExitCode()>& run) {
  auto o = std::make_shared<TestOptions>();
  CLI::App* cmd = app.add_subcommand("test", "Run the cases stored with rule packs (PACK_DIR/cases/*.yaml).");
  cmd->add_option("packs", o->packs, "pack folders (default: every pack under ./rules)");
  cmd->add_option("--junit", o->junit, "also write the results as JUnit XML to this file (for CI systems)");
  cmd->add_option("--min-coverage", o->min_coverage,
                  "fail (exit 1) when fewer than this percentage of the outcomes rules can give are exercised")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            // A percentage written as a plain number: nan and inf pass a range check, and must not.
            char* end = nullptr;
            double v = std::strtod(text.c_str(), &end);
            bool plain = !text.empty() && text.find_first_not_of("0123456789.") == std::string::npos;
            if (!plain || *end != '\0' || !(v >= 0 && v <= 100))
              return "expected a percentage from 0 to 100, got '" + text + "'";
            return {};
          },
          "PCT in [0, 100]"));
  cmd->footer(
      "Coverage: per rule, the outcomes it can give (pass; fail with conditions or each; needs_info;\n"
      "not_applicable with applies) and whether a case gives each.\n"
      "A cases file with a key the runner does not know, or a case that expects nothing, is an error\n"
      "of the file (a case that cannot fail is no test).\n"
      "Exit status: 0 every case passes; 1 a case fails or coverage is below --min-coverage; 2 a pack or\n"
      "case file cannot be read or is wrong.");
  cmd->callback([o, &run] { run = [o] { return run_test(*o); }; });
}

}  // namespace rulebook::cli
