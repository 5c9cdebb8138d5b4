#pragma once
// Each subcommand registers itself on the app and returns the exit code it decided.

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/exit_code.hpp"
#include "rulebook/engine.hpp"

namespace rulebook::cli {

/// Adds the --max-* options every command that loads packs and reads input shares.
void add_limit_options(CLI::App& cmd, LoadOptions& load, InputLimits& input, EvalOptions& eval);

/// Adds `check`; `run` is set to the function to call once parsing succeeded.
void add_check(CLI::App& app, std::function<ExitCode()>& run);
/// Adds `test`.
void add_test(CLI::App& app, std::function<ExitCode()>& run);

}  // namespace rulebook::cli
