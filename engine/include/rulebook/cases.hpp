#pragma once
// Test cases stored with a pack (rules/<pack>/cases/*.yaml): an input, an as-of date, and
// the outcome and outputs a rule must give. They pin a pack's reading of its plan.

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "rulebook/engine.hpp"

namespace rulebook {

struct CaseResult {
  SourceLoc at;      ///< where the case is written
  std::string name;  ///< the case's name
  std::string rule;  ///< the rule it checks
  std::vector<std::string> problems;  ///< what differed from the expectation; empty when it passed
  std::vector<std::string> problems_zh;  ///< the same, one for one, in Chinese (the playground shows them)
  std::optional<RuleDecision> actual;  ///< the rule's decision, for the trace
  std::optional<Decision> decision;    ///< the whole decision on the case's input (proof of sameness)
  bool passed() const { return problems.empty(); }
};

struct CaseRun {
  std::vector<CaseResult> results;
  std::vector<Error> errors;  ///< case files that could not be read
};

/// Runs every case under `pack_dir`/cases against `pack`. Thread-safe; never throws.
CaseRun run_cases(const CompiledPack& pack, const std::filesystem::path& pack_dir);

/// Which outcomes of a rule its cases exercise, and which it can give at all: pass always;
/// fail when it has conditions or an `each:`; needs_info always (data can be missing);
/// not_applicable when it has `applies:`. An error is counted when seen, never required.
struct RuleCoverage {
  std::string rule;
  std::array<bool, 5> possible{}, exercised{};  ///< indexed by Outcome
  std::size_t cases = 0;
};
std::vector<RuleCoverage> coverage(const CompiledPack& pack, const CaseRun& run);

/// Case runs as JUnit XML, for CI systems: one <testsuite> per pack, one <testcase> per case
/// (classname pack.rule), failures with their problems and trace, unreadable case files as errors.
class JUnitReport {
 public:
  void add(const std::string& pack_id, const CaseRun& run, double seconds);
  std::string document() const;

 private:
  std::string suites_;
  std::size_t tests_ = 0, failures_ = 0, errors_ = 0;
};

}  // namespace rulebook
