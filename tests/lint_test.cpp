// Lint's drafting checks, each on a fixture pack under tests/data/lint/ that makes the mistake
// once and also does the right thing once, so a check that fires too often fails as well.

#include "rulebook/lint.hpp"

#include <algorithm>
#include <set>

#include "support.hpp"

namespace rulebook::test {
namespace {

struct Want {
  std::string_view pack, check;
  Severity level;
  std::string_view at, message;  // at: "file:line:col" relative to the pack; message: a part of it
};

// Everything the new checks report on their fixtures; nothing else of those checks may appear.
constexpr Want wants[] = {
    {"quote", "departs-from-quote", Severity::warning, "pack.yaml:17:12",
     "param 'rate' is 6% but rule 'Q-1' quotes the plan at 5%: the rule now departs from the plan"},
    {"quote", "departs-from-quote", Severity::warning, "pack.yaml:20:12",
     "param 'cap' is 60万 but rule 'Q-1' quotes the plan at 50万"},
    {"enum", "enum-value", Severity::error, "pack.yaml:27:33",
     "\"innovation_platfrom\" is not a value of scheme.kind; did you mean \"innovation_platform\"? (the subject schema "
     "allows "
     "\"innovation_platform\", \"patent_navigation\", \"other\")"},
    {"enum", "enum-value", Severity::error, "pack.yaml:30:55",
     "\"typo\" is not a value of scheme.kind (the subject schema allows"},
    {"enum", "enum-value", Severity::error, "pack.yaml:41:39",
     "\"hightech\" is not a value of applicants[].designations[]; did you mean \"high_tech\"?"},
    {"enum", "enum-value", Severity::error, "pack.yaml:41:81",
     "\"specialised_new\" is not a value of applicants[].main; did you mean \"specialized_new\"?"},
    {"applies", "applies-never-holds", Severity::warning, "pack.yaml:24:14",
     "'applies' of rule 'A-1' can never hold: no value of scheme.kind meets scheme.kind == \"innovation_platform\" and "
     "scheme.kind == "
     "\"patent_navigation\""},
    {"applies", "applies-never-holds", Severity::warning, "pack.yaml:31:14",
     "'applies' of rule 'A-2' can never hold: no value of scheme.kind meets"},
    {"applies", "applies-never-holds", Severity::warning, "pack.yaml:38:14",
     "'applies' of rule 'A-3' can never hold: one of its conditions is always false"},
    {"applies", "applies-never-holds", Severity::warning, "pack.yaml:52:14",
     "'applies' of rule 'A-5' can never hold: no value of scheme.kind meets scheme.kind != \"patent_navigation\" and"},
    {"rounded", "rounded-comparison", Severity::warning, "pack.yaml:31:18",
     "a rounded value (round at pack.yaml:31:18) feeds this comparison: compare exact values; round only what is "
     "shown"},
    {"rounded", "rounded-comparison", Severity::warning, "pack.yaml:39:18",
     "a rounded value (round at pack.yaml:22:17)"},
    {"rounded", "rounded-comparison", Severity::warning, "pack.yaml:50:18",
     "a rounded value (round at pack.yaml:46:18)"},
    {"null", "null-comparison", Severity::error, "pack.yaml:21:18",
     "a field compared with null is never true: an absent or null field is unknown; ask not known(x)"},
    {"null", "null-comparison", Severity::error, "pack.yaml:24:18",
     "a field compared with null is never false: an absent or null field is unknown; ask known(x)"},
};

constexpr std::string_view new_checks[] = {"departs-from-quote", "enum-value",      "applies-never-holds",
                                           "rounded-comparison", "null-comparison", "cases"};

TEST_CASE("each drafting mistake of the fixtures is found, where it is written, and nothing else") {
  for (std::string_view pack : {"quote", "enum", "applies", "rounded", "null"}) {
    CAPTURE(pack);
    auto dir = source_dir() / "tests/data/lint" / pack;
    std::vector<Finding> found = lint_pack(dir);
    std::set<std::size_t> matched;
    for (const auto& w : wants) {
      if (w.pack != pack) continue;
      CAPTURE(w.at);
      CAPTURE(w.message);
      auto it = std::find_if(found.begin(), found.end(), [&](const Finding& f) {
        auto rel = std::filesystem::path(f.where.loc.file).filename().string() + ":" +
                   std::to_string(f.where.loc.line) + ":" + std::to_string(f.where.loc.col);
        return f.check == w.check && f.level == w.level && rel == w.at &&
               f.where.message.find(w.message) != std::string::npos;
      });
      CHECK(it != found.end());
      if (it != found.end()) matched.insert(std::size_t(it - found.begin()));
    }
    for (std::size_t i = 0; i < found.size(); ++i) {
      const Finding& f = found[i];
      if (std::find(std::begin(new_checks), std::end(new_checks), f.check) == std::end(new_checks)) continue;
      CAPTURE(f.where.to_string());
      CHECK(matched.count(i) == 1);  // a finding no row expects: a false positive
    }
  }
}

}  // namespace
}  // namespace rulebook::test
