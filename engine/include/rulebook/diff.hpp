#pragma once
// The impact of a rule change: the same inputs decided under two versions of a pack, and
// what changed — outcomes by rule and direction, output values, the totals of the money
// outputs (the fiscal cost of a new rate or cap) and that money by change of outcome — and
// what changed in the pack itself.
//
//   auto report = rulebook::diff_packs({base_dir, *base}, {head_dir, *head}, *inputs.source, {.as_of = day});
//   std::cout << rulebook::to_html(report);

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rulebook/batch.hpp"

namespace rulebook {

/// A pack version: its folder (for what changed in its files), its compiled form, and the
/// files it was loaded with from memory (LoadOptions::overlay: a draft not yet saved).
struct PackVersion {
  std::filesystem::path dir;
  CompiledPack pack;
  FileOverlay overlay = {};
};

struct DiffOptions {
  Date as_of = EvalOptions::unset_date;  ///< the review date, required
  InputLimits limits = {};
  /// The content hashes of the two packs' files (ledger::pack_hash), shown beside their
  /// versions; empty when not known (the pack's own changes then tell whether it changed).
  std::string base_hash = {}, head_hash = {};
  /// A pack's files could not be hashed (a draft whose schemas are found through RULEBOOK_HOME):
  /// equal rules then do not show equal contents (a schema, the ledger figures, the plan's text).
  bool unhashed = false;
  /// The limits of evaluation (max_steps, max_list_length, max_value_bytes), as `check` takes
  /// them; as_of, trace and validate are diff_packs' own.
  EvalOptions eval = {};
};

/// Which input: file, line (0 for a whole file), its "id" member when it has one, and the
/// applicant it names (applicant_of).
struct CaseRef {
  std::string source;
  std::size_t line = 0;
  std::string id;
  std::string applicant;
  std::string to_string() const;  ///< "APP-7 东胜科技 (corpus.jsonl:7)" or "corpus.jsonl:7"
};

/// Inputs whose outcome for `rule` went from `from` to `to`. `rule` "" is the whole document.
/// `from_invalid` (`to_invalid`): the base (head) refused the input, its subject schema broken, so
/// it decided nothing (`from`, `to` then not_applicable) — a schema change that refuses what the
/// other version pays moves that money.
struct OutcomeChange {
  std::string rule;
  Outcome from, to;
  std::vector<CaseRef> cases;
  bool from_invalid = false, to_invalid = false;
};

/// An output whose value changed for one input.
struct OutputChange {
  std::string rule, output;
  CaseRef at;
  Value before, after;
};

/// One difference between the two packs' files: a param's value, a condition, a quote…
struct PackChange {
  std::string kind;  ///< "param", "def", "rule", "condition", "message", "output", "unit", "answer", "title", "dated", "key", "applies", "quote", "clause", "severity", "each", "period"
  std::string name;  ///< "cap", "DS-01", "DS-01 / in_period"
  std::string before, after;  ///< the text as written; empty when added or removed
  SourceLoc at;               ///< where it stands in the head version (or the base when removed)
};

/// The money of the inputs for which rule `rule` went from `from` to `to` (from == to: the
/// outcome stayed, the amount changed), under each version: the sums of its money outputs.
/// By the rule that grants the money, not the whole application's outcome, which another
/// rule's failure may decide.
/// An amount still unknown (needs_info on missing data) is in no sum: it is counted apart, so a
/// change that makes amounts unknown is never read as money saved.
struct MoneyImpact {
  std::string rule;
  Outcome from, to;
  std::uint64_t inputs = 0;
  Decimal base, head;
  std::uint64_t base_unknown = 0, head_unknown = 0;  ///< of `inputs`, those whose amount is unknown under each
  bool from_invalid = false, to_invalid = false;     ///< as OutcomeChange's: that version refused the inputs (0 paid)
};

/// How the two versions' numbers compare with their contents.
enum class VersionNote {
  same_content,              ///< equal files (a version against itself)
  changed,                   ///< different files, different version numbers
  changed_same_version,      ///< different files under one version number: a reviewer cannot tell them apart
  same_content_new_version,  ///< a new number on unchanged files
  different_packs,           ///< two packs of different ids: not versions of one pack (a wrong --base or --head?)
  rules_alike,               ///< equal rules, but not every file could be compared (DiffOptions::unhashed)
};

struct DiffReport {
  std::string base, head;  ///< "dongsheng-2024 1.0.0"
  std::string base_version, head_version, base_hash, head_hash;
  VersionNote version_note = VersionNote::same_content;
  /// The outputs totalled, by (rule, output): money (`unit: yuan`) and, when the rule names its
  /// `answer:`, among the answer — a remaining cap or a per-transaction list is not spending.
  std::vector<std::pair<std::string, std::string>> money;
  std::vector<MoneyImpact> impact;  ///< by rule (pack order) and change of its outcome
  std::optional<CompiledPack> base_pack, head_pack;  ///< for titles and labels in reports
  std::string as_of;
  std::uint64_t inputs = 0;
  /// Inputs one version or both refused (each error says which: "base: …", "head: …"); those the
  /// other version decides are in its totals and in the changes of outcome too.
  std::vector<std::pair<CaseRef, std::vector<Error>>> invalid;
  std::vector<OutcomeChange> outcomes;  ///< by rule (pack order, document first), then direction
  std::vector<OutputChange> outputs;    ///< in input order
  Summary base_totals, head_totals;     ///< outcome counts and output sums under each version (reports show the money ones)
  std::vector<PackChange> pack_changes;
  /// The rule whose money moved (MoneyImpact's sums) passes what a decimal holds (36 digits), as
  /// a total may (Summary::overflowed): there is then no impact to give. Empty when none did.
  std::string overflowed;
  bool changed() const { return !outcomes.empty() || !outputs.empty(); }
};

/// Decides every input of `in` under both versions. Never throws.
DiffReport diff_packs(const PackVersion& base, const PackVersion& head, InputSource& in, const DiffOptions& options);

/// For people, in zh or en.
std::string to_text(const DiffReport& r, std::string_view lang = "zh");
/// For machines: documented by schemas/diff.schema.json.
std::string to_json(const DiffReport& r);
/// One self-contained HTML page (no scripts, no external files) to open or attach to a memo.
std::string to_html(const DiffReport& r, std::string_view lang = "zh");

}  // namespace rulebook
