// The rulebook executable: a thin layer over the public library API.

#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  using rulebook::cli::ExitCode;
  CLI::App app{
      "rulebook: checks data against the rules of patent-policy plans.\n"
      "Exit status: 0 every rule passes or does not apply; 1 a rule fails or needs information;\n"
      "2 bad input, bad rules, a rule that could not be evaluated, or bad usage.\n"
      "Reference: docs/reference.md",
      "rulebook"};
  app.set_version_flag("--version", "rulebook 0.1.0");
  app.require_subcommand(1);
  std::function<ExitCode()> run;
  rulebook::cli::add_check(app, run);
  rulebook::cli::add_test(app, run);
  rulebook::cli::add_batch(app, run);
  rulebook::cli::add_diff(app, run);
  rulebook::cli::add_lint(app, run);
  rulebook::cli::add_serve(app, run);
  rulebook::cli::add_ledger(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ExitCode::bad_input);
  }
  try {
    return static_cast<int>(run ? run() : ExitCode::bad_input);
  } catch (const std::exception& e) {
    std::cerr << "rulebook: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::bad_input);
  }
}
