#pragma once
// What a drafter gets wrong, found before any document is checked: every load error (syntax,
// unknown names, type errors against the subject schema, duplicate ids), and warnings about
// drafting — params and defs never used, a quote not in the plan's text, params without a
// clause, conditions that are always or never true, rules no case tests, a param that departs
// from the number its rule quotes, an 'applies' no input meets, a rounded value in a comparison;
// and errors no load catches: a value the subject schema's enum does not allow, a cases file
// the runner cannot use.

#include <filesystem>
#include <string>
#include <vector>

#include "rulebook/engine.hpp"

namespace rulebook {

struct Finding {
  std::string check;  ///< "unused-param", "quote-not-verbatim", … or the error kind ("syntax", "name", "type", …)
  Severity level = Severity::warning;  ///< error: the pack does not load; warning: it loads but says something doubtful
  Error where;                          ///< message and file:line:col
};

/// Every finding for the pack in `dir`, errors first, then in file order. Never throws.
std::vector<Finding> lint_pack(const std::filesystem::path& dir, const LoadOptions& options = {});

/// The checks lint runs, with a line each on what they find (for --help and SARIF's rule list).
const std::vector<std::pair<std::string, std::string>>& lint_checks();

/// SARIF 2.1.0, one run, for editors and code hosts that show findings inline.
std::string to_sarif(const std::vector<Finding>& findings);

}  // namespace rulebook
