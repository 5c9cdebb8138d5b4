#pragma once
// A rule pack as the drafter wrote it: metadata, params, defs and rules, with every
// expression still text and every item knowing where it stands in its file.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "expr/source.hpp"
#include "rulebook/decision.hpp"
#include "rulebook/engine.hpp"

namespace rulebook::pack {

/// A value a param takes from a given day on (a plan amended mid-period).
struct DatedValue {
  expr::Source value;
  std::string clause;  ///< the amendment's clause
  SourceLoc loc;
};

struct Param {
  std::string name;
  std::optional<expr::Source> value;  ///< nullopt: the plan leaves it open (unset), or it has `values:`
  std::vector<std::pair<Date, DatedValue>> dated;  ///< `values: {day: value}`, by day; empty when undated
  std::string unit, clause;
  Text title;
  SourceLoc loc;
};

/// `name: expr` or, with parameters, `name(a, b): expr`.
struct Def {
  std::string name;
  std::vector<std::string> params;
  expr::Source body;
  SourceLoc loc;
};

struct Condition {
  std::string name;
  expr::Source require;
  Text message;
  SourceLoc loc;
};

/// Conditions checked for each element of a list, each element with its own verdict.
struct Each {
  expr::Source in;
  std::string as;                 ///< the element's name in the conditions
  std::optional<expr::Source> key;  ///< identifies the element in the decision
  std::string name;               ///< the predicate `name(x)` usable in outputs
  bool all = false;               ///< require: all — every element must comply (default: at least one)
  std::optional<expr::Source> dated;  ///< the date of the event each element records (see Rule::dated)
  std::vector<Condition> conditions;
  SourceLoc loc;
};

/// What a report shows for one text value of an output: its words, and for a code that names a
/// row of figures (XJ-01's pledge_financing_yuan) the unit of that row.
struct Label {
  Text words;
  std::string unit;  ///< as Output::unit; empty: each figure in its column's unit
};

struct Output {
  std::string name;
  expr::Source expr;
  Text title;        ///< what a report calls it; empty: the name
  std::string unit;  ///< "yuan" (money: separators and 元), "percent", "ratio", "days", or free text
  std::map<std::string, Label> labels;  ///< what a report shows for a text value ("ledger" → 台账)
};

struct Rule {
  std::string id;
  Text title;
  std::string clause, quote;
  Text note;  ///< the reading the rule follows, in both languages
  Severity severity = Severity::error;
  std::optional<expr::Source> applies;
  /// The document's date that selects the values of dated params (default: the as-of date):
  /// when the policy changed and when the applicant acted are separate axes.
  std::optional<expr::Source> param_date;
  std::optional<expr::Source> justification;  ///< for warnings: a recorded reason that clears a failure
  /// The date of the event the rule judges (a contract signed, a report due): outside the
  /// plan's period the rule does not apply; after the review date the data is refused.
  std::optional<expr::Source> dated;
  /// The outputs that are the rule's answer (an amount, a level): while one is unknown the
  /// rule needs information. Other outputs may stay unknown without changing the outcome.
  std::vector<std::string> answer;
  SourceLoc answer_loc;
  std::vector<Condition> conditions;
  std::optional<Each> each;
  std::vector<Output> outputs;
  SourceLoc loc;
};

/// Folders searched, before RULEBOOK_PATH, for what a pack cannot find beside it (LoadOptions::search_path).
using SearchPath = std::vector<std::filesystem::path>;

struct Pack {
  PackInfo info;
  std::filesystem::path dir;
  SearchPath search;  ///< LoadOptions::search_path, for the files the pack names
  std::string source_text;  ///< the plan's text, for checking quotes
  std::optional<std::filesystem::path> subject_schema;
  std::optional<std::filesystem::path> calendar;  ///< CM-03 working days (from the pack or an import)
  std::optional<std::filesystem::path> divisions;  ///< GB/T 2260 provinces (from the pack or an import)
  bool names_calendar = false, names_divisions = false;  ///< pack.yaml names its own (even one not found)
  std::vector<std::string> imports;             ///< packs whose params and defs this one uses
  std::vector<Param> params;
  std::vector<Def> defs;
  std::vector<Rule> rules;
};

struct ReadResult {
  std::optional<Pack> pack;
  std::vector<Error> errors;
  std::vector<Error> warnings;
};

/// A file a pack names by a path relative to its folder (subject schema, calendar): found
/// there, or else as if the pack stood in the rules/ of a published tree (`search`, then
/// RULEBOOK_PATH, RULEBOOK_HOME or the working folder), so a pack copied into a draft folder
/// still finds what it shares.
std::optional<std::filesystem::path> beside_pack(const std::filesystem::path& dir, const std::string& relative,
                                                 const SearchPath& search = {});
/// The folder of pack `name` that the pack in `dir` imports: beside it, or in a published rules/.
std::optional<std::filesystem::path> imported_dir(const std::filesystem::path& dir, const std::string& name,
                                                  const SearchPath& search = {});

/// Reads pack.yaml and every other *.yaml beside it (in name order), the text of a file in
/// `overlay` (by its path, lexically normal) instead of the file's. Never throws.
ReadResult read_pack(const std::filesystem::path& dir, const FileOverlay& overlay = {}, const SearchPath& search = {});

/// A rule file's path and text.
struct RuleFile {
  std::filesystem::path path;
  std::string text;
};
/// The same from files already in memory (pack.yaml first); `dir` still locates the plan's
/// text and the subject schema. For tests and fuzzing.
ReadResult parse_pack(const std::filesystem::path& dir, std::vector<RuleFile> files, const SearchPath& search = {});

}  // namespace rulebook::pack
