#pragma once
// A drafter's edit tried before it is saved: the edited text of one rule file, read in memory
// over the saved pack (LoadOptions::overlay), then linted, its cases rerun, and its decisions
// over the pack's examples compared with the saved version's. Nothing is written to disk.
//
//   auto tried = rulebook::draft::try_edit(pack_dir, "ds-01.yaml", edited_text, {.examples = examples_dir});
//   for (auto& f : tried.lint) std::cerr << f.where.to_string();

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rulebook/cases.hpp"
#include "rulebook/diff.hpp"
#include "rulebook/lint.hpp"

namespace rulebook::draft {

/// The files a drafter edits: pack.yaml first, then the other *.yaml beside it, by name.
std::vector<std::string> rule_files(const std::filesystem::path& pack_dir);

/// A name a rule file may have: "x.yaml" with letters, digits, '.', '_' or '-' only (no folder,
/// no "..", nothing hidden), so that a name from a request never leaves the pack's folder.
bool is_rule_file_name(std::string_view name);

/// The examples of a pack beside the published rules: <packs>/../examples/<folder name>.
std::optional<std::filesystem::path> examples_of(const std::filesystem::path& pack_dir);

/// The day examples are reviewed: the day after the plan ended (its last year's figures are
/// final), or the plan's last day when it never ends — as tests/examples_test.sh reviews them.
Date review_day(const PackInfo& info);

struct EditOptions {
  LoadOptions load = {};
  InputLimits limits = {};
  std::optional<std::filesystem::path> examples = {};  ///< inputs to compare decisions over; none: no diff
  std::optional<Date> as_of = {};                      ///< default: review_day of the saved pack
  std::optional<CompiledPack> saved = {};              ///< the saved pack already loaded (a server's); else loaded here
  std::string saved_hash = {};                         ///< its content hash, shown beside its version
};

struct EditResult {
  std::vector<Finding> lint;       ///< of the edited pack: errors first, each at file:line:col
  std::optional<CaseRun> cases;    ///< its cases, when the edited pack loads
  std::optional<DiffReport> diff;  ///< saved → edited over the examples, when both load and there are examples
  std::vector<Error> errors;       ///< why there is no diff although the edited pack loads (unreadable examples)
  Date as_of;
};

/// Lints the pack in `pack_dir` with `file` (a rule file name) read as `text`, reruns its cases and
/// diffs it against the saved files. Never throws; never writes.
EditResult try_edit(const std::filesystem::path& pack_dir, const std::string& file, std::string text,
                    const EditOptions& options);

}  // namespace rulebook::draft
