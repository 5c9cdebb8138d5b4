#pragma once
// What every report of a decision shares: the words in each language, fields named by their
// labels, outputs by their titles, money with separators and 元.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/report.hpp"

namespace rulebook::detail {
struct Program;
struct CompiledOutput;
}  // namespace rulebook::detail
namespace rulebook::pack {
struct Label;
}  // namespace rulebook::pack

namespace rulebook::report {

struct Words {
  const char *title, *document, *pack, *as_of, *result, *outputs, *failed, *missing, *items, *error, *citation, *reason,
      *note, *justification, *applicant, *credit_code, *application, *reviewer, *hash, *not_applicable, *item, *outcome,
      *sign, *date, *unknown, *yes, *no, *yuan, *reduced, *param_unset, *none, *generated, *not_due;
  const char* outcome_words[5];  // pass fail needs_info not_applicable error
  const char* failed_as[2];      // a warning's, an info rule's failure: it does not fail the document
};
const Words& words(std::string_view lang);
std::string_view word(const Words& w, Outcome o);
/// A rule's outcome in words, a failure saying when it only warns (不通过（警告）): under a document
/// that passes, a bare 不通过 reads as a contradiction.
std::string word(const Words& w, const RuleDecision& r);

/// Text from the data made safe for a terminal: control characters (ESC, CR, C1…) and the
/// bidirectional ones (U+202A–U+202E, U+2066–U+2069) shown as \u001b rather than obeyed, so a
/// transaction id cannot erase or reorder the verdict printed beside it.
std::string printable(std::string_view s);

/// 1234567.8 → "1,234,567.80" (two places for money, as written otherwise).
std::string with_separators(const Decimal& d, bool money);

class Presenter {
 public:
  Presenter(const Decision& d, const ReportOptions& o);
  const Words& w() const { return words_; }
  const std::string& lang() const { return options_.lang; }
  const ReportOptions& options() const { return options_; }
  const detail::Program* program() const { return program_; }

  /// A missing datum in words: 转化是否成功（第3笔交易）, or the path when no label is known.
  std::string missing(const std::string& path) const;
  std::string output_title(const std::string& rule, const std::string& name) const;
  /// An output's value as a reviewer reads it (money, percent, yes/no, unknown).
  std::string value(const std::string& rule, const std::string& name, const Value& v) const;
  /// The same for an output of `r`: one left unknown by a rule that refuses reads 无（未通过）, not
  /// 未知, which asks for something (HL-06's grant while the plan leaves its rate open): nothing is due.
  std::string value(const RuleDecision& r, const std::string& name, const Value& v) const;
  bool is_money(const std::string& rule, const std::string& name) const;

  /// List outputs whose elements are named (XJ-01's indicators): `names` is a list output of codes,
  /// each with a label, and `columns` the rule's other list outputs of its length, one value per
  /// code, in order (values, targets, gaps). A code's label may give its row's unit (`unit: yuan`).
  struct Rows {
    std::size_t names;
    std::vector<std::size_t> columns;
  };
  std::optional<Rows> rows(const RuleDecision& r) const;
  /// Row k's name: its code's label.
  std::string row_name(const RuleDecision& r, const Rows& rows, std::size_t k) const;
  /// Row k's value in `column`, in the row's unit (else the column's; a `points` column's in points
  /// where the row is a percent), large numbers with separators.
  std::string row_value(const RuleDecision& r, const Rows& rows, std::size_t column, std::size_t k) const;
  /// The file the decided document came from, or "" when it came from none (standard input or
  /// the desk's form are named "-"): a report says nothing rather than "文件 -".
  static std::string document_name(const Decision& d) { return d.document == "-" ? std::string() : d.document; }
  /// The plan's title in the report's language, else the citation's document.
  std::string plan_title(const Decision& d) const;
  /// The list outputs with one value per element of the rule's `each`: columns of its items.
  static std::vector<std::size_t> item_columns(const RuleDecision& r);
  /// The rules that apply, and those folded into one line.
  static bool folded(const RuleDecision& r) { return r.outcome == Outcome::not_applicable; }

 private:
  const detail::CompiledOutput* output(const std::string& rule, const std::string& name) const;
  /// `unit`: yuan, percent (the number is in percent), ratio (shown as a percent), points (a
  /// difference of percents), else none;
  /// `labels`: what the output's codes say in words (a list's codes too); null: none.
  std::string show(const Value& v, std::string_view unit, const std::map<std::string, pack::Label>* labels = nullptr,
                   bool separators = false) const;

  ReportOptions options_;
  const Words& words_;
  const detail::Program* program_ = nullptr;
};

}  // namespace rulebook::report
