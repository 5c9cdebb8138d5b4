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

/// The applicant as the input names it (empty when absent).
struct Applicant {
  std::string name, credit_code, application_id;
};
/// Found where the pack's subject schema says (`x-applicant`: lists of dotted paths, the first
/// string found); without a pack or a declaration, at $.applicant.name, $.enterprise.name, $.name
/// (and so for credit_code), $.application_id, $.id. The ledger, reports, diff and the desk all
/// name applicants through here.
Applicant applicant_of(const Document& input, const CompiledPack* pack = nullptr);

/// The decision for people, as text.
std::string to_text(const Decision& d, const ReportOptions& options);
/// One self-contained HTML page (no network, printable on A4) that a reviewer can sign.
std::string to_html(const Decision& d, const ReportOptions& options);
/// An error in the reviewer's input for people, in `options.lang`: in Chinese its Chinese wording
/// and the field by its label with the JSON path beside it ("a.json：申请人名称（$.applicant.name）：
/// 错误：…"); in English exactly Error::to_string. The file:line:col and caret are kept.
std::string to_text(const Error& e, const ReportOptions& options, Severity severity = Severity::error);

}  // namespace rulebook
