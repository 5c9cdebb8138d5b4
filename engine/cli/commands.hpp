#pragma once
// Each subcommand registers itself on the app and returns the exit code it decided.

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/exit_code.hpp"
#include "rulebook/engine.hpp"

namespace rulebook::cli {

/// Adds the --max-* options every command that loads packs and reads input shares.
void add_limit_options(CLI::App& cmd, LoadOptions& load, InputLimits& input, EvalOptions& eval);

/// A pack loaded for a command, with the date its decisions are taken on.
struct Session {
  CompiledPack pack;
  Date as_of;
};
/// Loads the pack (printing its warnings and errors) and reads --as-of (default: today), which
/// must lie in the pack's effective period. nullopt, with the reason printed, otherwise.
std::optional<Session> open_session(const char* command, const std::string& pack_dir, const std::string& as_of,
                                    const LoadOptions& load);

/// Every folder under ./rules that holds a pack.yaml, by name (the default of test and lint).
std::vector<std::string> pack_dirs();

/// Adds `check`; `run` is set to the function to call once parsing succeeded.
void add_check(CLI::App& app, std::function<ExitCode()>& run);
/// Adds `test`.
void add_test(CLI::App& app, std::function<ExitCode()>& run);
/// Adds `batch`.
void add_batch(CLI::App& app, std::function<ExitCode()>& run);
/// Adds `diff`.
void add_diff(CLI::App& app, std::function<ExitCode()>& run);
/// Adds `lint`.
void add_lint(CLI::App& app, std::function<ExitCode()>& run);

}  // namespace rulebook::cli
