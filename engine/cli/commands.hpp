#pragma once
// Each subcommand registers itself on the app and returns the exit code it decided.

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/exit_code.hpp"

namespace rulebook::cli {

/// Adds `check`; `run` is set to the function to call once parsing succeeded.
void add_check(CLI::App& app, std::function<ExitCode()>& run);

}  // namespace rulebook::cli
