// JUnit XML of case runs (rulebook test --junit), for CI systems.

#include "rulebook/cases.hpp"

#include "report/markup.hpp"

namespace rulebook {

void JUnitReport::add(const std::string& id, const CaseRun& run, double seconds) {
  std::size_t failed = 0;
  std::string cases;
  for (const auto& r : run.results) {
    cases += "    <testcase classname=\"" + markup_escape(id + "." + r.rule) + "\" name=\"" + markup_escape(r.name) +
             "\" file=\"" + markup_escape(r.at.file) + "\" line=\"" + std::to_string(r.at.line) + "\"";
    if (r.passed()) {
      cases += "/>\n";
      continue;
    }
    ++failed;
    std::string body;
    for (const auto& p : r.problems) body += p + "\n";
    if (r.actual)
      for (const auto& t : r.actual->trace) body += "trace: " + t.kind + " " + t.name + " = " + t.value + "\n";
    cases += ">\n      <failure message=\"" + markup_escape(r.problems.empty() ? "" : r.problems[0]) + "\">" +
             markup_escape(body) + "</failure>\n    </testcase>\n";
  }
  for (const auto& e : run.errors)
    cases += "    <testcase classname=\"" + markup_escape(id) + "\" name=\"" + markup_escape(e.loc.to_string()) +
             "\">\n      <error message=\"" + markup_escape(e.message) + "\"/>\n    </testcase>\n";
  suites_ += "  <testsuite name=\"" + markup_escape(id) + "\" tests=\"" +
             std::to_string(run.results.size() + run.errors.size()) + "\" failures=\"" + std::to_string(failed) +
             "\" errors=\"" + std::to_string(run.errors.size()) + "\" time=\"" + std::to_string(seconds) + "\">\n" +
             cases + "  </testsuite>\n";
  tests_ += run.results.size() + run.errors.size();
  failures_ += failed;
  errors_ += run.errors.size();
}

std::string JUnitReport::document() const {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rulebook test\" tests=\"" +
         std::to_string(tests_) + "\" failures=\"" + std::to_string(failures_) + "\" errors=\"" +
         std::to_string(errors_) + "\">\n" + suites_ + "</testsuites>\n";
}

}  // namespace rulebook
