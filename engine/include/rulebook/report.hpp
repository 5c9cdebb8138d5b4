#pragma once
// Reports a reviewer reads and signs: the decision in words, in Chinese (default) or English,
// with fields named by their labels, money with separators and 元, and each clause quoted.

#include <string>
#include <string_view>

#include "rulebook/decision.hpp"
#include "rulebook/engine.hpp"

namespace rulebook {

/// What a report shows beside the decision. Everything is optional: without the pack, fields
/// are named by their JSON paths and outputs by their names.
struct ReportOptions {
  std::string lang = "zh";               ///< "zh" or "en": every word of the report
  const CompiledPack* pack = nullptr;    ///< labels of fields and outputs, the plan's title
  const Document* input = nullptr;       ///< the applicant's name, credit code and application id
  std::string pack_hash;                 ///< the content hash of the pack's files, for audit
  std::string reviewer;                  ///< who signs
};

/// The applicant as the input names it (well-known paths; empty when absent).
struct Applicant {
  std::string name, credit_code, application_id;
};
/// $.applicant.name / $.name, $.applicant.credit_code / $.credit_code, $.application_id / $.id.
Applicant applicant_of(const Document& input);

/// The decision for people, as text.
std::string to_text(const Decision& d, const ReportOptions& options);
/// One self-contained HTML page (no network, printable on A4) that a reviewer can sign.
std::string to_html(const Decision& d, const ReportOptions& options);

}  // namespace rulebook
