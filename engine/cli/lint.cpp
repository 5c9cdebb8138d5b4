// rulebook lint: what a drafter gets wrong, with file:line:col, as text or SARIF 2.1.0.

#include <iostream>

#include "cli/commands.hpp"
#include "rulebook/lint.hpp"

namespace rulebook::cli {
namespace {

struct LintCommand {
  std::vector<std::string> packs;
  std::string format = "text";
  LoadOptions load;
  InputLimits input;
  EvalOptions eval;
};

ExitCode run_lint(const LintCommand& o) {
  std::vector<Finding> all;
  auto packs = pack_dirs("lint", o.packs);
  if (packs.empty()) return ExitCode::bad_input;
  for (const auto& dir : packs) {
    auto findings = lint_pack(dir, o.load);
    all.insert(all.end(), findings.begin(), findings.end());
  }
  std::size_t errors = 0, warnings = 0;
  for (const auto& f : all) ++(f.level == Severity::error ? errors : warnings);
  if (o.format == "sarif") {
    std::cout << to_sarif(all);
  } else {
    for (const auto& f : all) {
      std::string text = f.where.to_string(f.level == Severity::error ? "error" : "warning");
      auto end = text.find('\n');  // the check's id after the message, before any caret lines
      std::cout << text.substr(0, end) << " [" << f.check << "]" << text.substr(end);
    }
    std::cout << errors << " errors, " << warnings << " warnings\n";
  }
  return errors ? ExitCode::bad_input : warnings ? ExitCode::attention : ExitCode::ok;
}

}  // namespace

void add_lint(CLI::App& app, std::function<ExitCode()>& run) {
  auto o = std::make_shared<LintCommand>();
  std::string checks;
  for (const auto& [id, text] : lint_checks()) checks += "  " + id + ": " + text + "\n";
  CLI::App* cmd = app.add_subcommand("lint", "Find what a drafter gets wrong in rule packs, with file:line:col.");
  cmd->add_option("packs", o->packs, "pack folders (default: every pack under ./rules)");
  cmd->add_option("--format", o->format, "text (default) or sarif (SARIF 2.1.0, for editors and code hosts)")
      ->check(CLI::IsMember({"text", "sarif"}));
  add_limit_options(*cmd, o->load, o->input, o->eval);
  cmd->footer("Checks:\n" + checks +
              "Exit status: 0 nothing found; 1 warnings only; 2 errors (a pack does not load) or bad usage.");
  cmd->callback([o, &run] { run = [o] { return run_lint(*o); }; });
}

}  // namespace rulebook::cli
