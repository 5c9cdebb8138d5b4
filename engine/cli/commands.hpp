#pragma once
// Each subcommand registers itself on the app and returns the exit code it decided.

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/exit_code.hpp"
#include "rulebook/batch.hpp"
#include "rulebook/engine.hpp"
#include "rulebook/report.hpp"
#include "sheet/sheet.hpp"

namespace rulebook::cli {

/// Adds the --max-* options every command that loads packs and reads input shares.
void add_limit_options(CLI::App& cmd, LoadOptions& load, InputLimits& input, EvalOptions& eval);

/// A pack loaded for a command, with the date its decisions are taken on.
struct Session {
  CompiledPack pack;
  Date as_of;
};
/// Loads the pack (printing its warnings and errors) and reads --as-of (default: today; a review
/// may come after the plan's period). nullopt, with the reason printed, otherwise.
std::optional<Session> open_session(const char* command, const std::string& pack_dir, const std::string& as_of,
                                    const LoadOptions& load);

/// Refuses an --as-of that is not a date YYYY-MM-DD; an empty one too, which would otherwise
/// silently mean today.
CLI::Validator date_text();

/// The packs `command` works on: those given, else every folder under ./rules holding a
/// pack.yaml, by name (the default of test and lint). Empty, after saying so on stderr, when
/// there is nothing to do.
std::vector<std::string> pack_dirs(const char* command, const std::vector<std::string>& given);

/// Adds `check`; `run` is set to the function to call once parsing succeeded.
void add_check(CLI::App& app, std::function<ExitCode()>& run);
/// check --stream: answers each JSON line of standard input with a line of decision JSON, flushed.
ExitCode run_stream(const std::string& pack_dir, const std::string& as_of, const LoadOptions& load,
                    const InputLimits& limits, const EvalOptions& eval);
/// Adds `test`.
void add_test(CLI::App& app, std::function<ExitCode()>& run);
/// Adds `batch`.
void add_batch(CLI::App& app, std::function<ExitCode()>& run);
/// Prints what opening the inputs found on stderr, in `report`'s language: its errors (fields by
/// their labels in its pack), and each folder entry skipped (a warning).
void report_opened(const OpenedInput& in, const ReportOptions& report);
/// The inputs of batch and diff as records, and what opening them found on stderr: JSON and CSV
/// files and folders, an xlsx workbook (`inputs` ending in .xlsx, or `xlsx`) or a CSV whose
/// mapping groups rows into applications through `sheet.mapping`, one sheet without a mapping as
/// `pack`'s sheet template. A null source when they cannot be read. Errors are said in `lang`:
/// a reviewer's batch in theirs, a drafter's diff in English.
OpenedInput open_records(const char* command, std::vector<std::string> inputs, SheetOptions sheet,
                         const std::string& xlsx, const InputLimits& limits, const CompiledPack& pack,
                         std::string_view lang = "en");
/// Adds `diff`.
void add_diff(CLI::App& app, std::function<ExitCode()>& run);
/// Adds `lint`.
void add_lint(CLI::App& app, std::function<ExitCode()>& run);
/// Adds `serve`.
void add_serve(CLI::App& app, std::function<ExitCode()>& run);
/// Adds `ledger`.
void add_ledger(CLI::App& app, std::function<ExitCode()>& run);

/// check --record: decides through the ledger (reading the figures a pack declares in its
/// ledger/figures.yaml) and records each decision before it is printed.
class CheckRecorder {
 public:
  virtual ~CheckRecorder() = default;
  /// The decision, recorded; nullopt (the reason printed) when the ledger could not keep it.
  /// Throws ledger::ApplicationConflict when the document names an application of another unit.
  virtual std::optional<Decision> decide(const Document& doc, std::string_view text, const EvalOptions& eval) = 0;
};
/// Opens the ledger `db` for the session's pack; nullptr, with the reason printed, when it cannot.
std::unique_ptr<CheckRecorder> open_recorder(const Session& session, const std::string& pack_dir, const std::string& db,
                                             const std::string& reviewer);

}  // namespace rulebook::cli
