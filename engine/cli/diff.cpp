// rulebook diff: the impact of a rule change on a corpus of past inputs, before publishing it.

#include "rulebook/diff.hpp"

#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "ledger/pack_hash.hpp"

namespace rulebook::cli {
namespace {

// The content hash a reviewer sees beside the version; empty when a file cannot be read.
std::string hash_of(const std::string& dir) {
  try {
    return ledger::pack_hash(dir);
  } catch (const std::exception&) {
    return {};
  }
}

struct DiffCommand {
  std::string base, head, as_of, format = "text", lang = "zh", output, csv_mapping;
  std::vector<std::string> inputs;
  LoadOptions load;
  InputLimits input;
  EvalOptions eval;
};

ExitCode run_diff(const DiffCommand& o) {
  auto base = open_session("diff", o.base, o.as_of, o.load);
  if (!base) return ExitCode::bad_input;
  auto head = open_session("diff", o.head, o.as_of, o.load);
  if (!head) return ExitCode::bad_input;
  // As batch reads them (a grouped sheet's rows are one application), the published pack's template.
  OpenedInput in = open_records("diff", o.inputs, {.mapping = o.csv_mapping}, {}, o.input, base->pack);
  if (!in.source) return ExitCode::bad_input;
  std::string base_hash = hash_of(o.base), head_hash = hash_of(o.head);
  DiffReport report = diff_packs({o.base, base->pack}, {o.head, head->pack}, *in.source,
                                 {.as_of = base->as_of,
                                  .limits = o.input,
                                  .base_hash = base_hash,
                                  .head_hash = head_hash,
                                  .unhashed = base_hash.empty() || head_hash.empty(),
                                  .eval = o.eval});
  if (report.version_note == VersionNote::different_packs)
    std::cerr << "rulebook diff: warning: --base " << report.base << " and --head " << report.head
              << " are different packs, not two versions of one; the report compares them all the same\n";
  for (const Summary* totals : {&report.base_totals, &report.head_totals})
    if (auto which = totals->overflowed(); !which.empty()) {
      std::cerr << "rulebook diff: error: the total of " << which << " passes what a decimal holds (36 digits)\n";
      return ExitCode::bad_input;
    }
  if (!report.overflowed.empty()) {
    std::cerr << "rulebook diff: error: the money " << report.overflowed
              << " moves passes what a decimal holds (36 digits)\n";
    return ExitCode::bad_input;
  }
  std::string text = o.format == "json"   ? to_json(report)
                     : o.format == "html" ? to_html(report, o.lang)
                                          : to_text(report, o.lang);
  if (o.output.empty()) {
    std::cout << text;
  } else {
    std::ofstream out(o.output, std::ios::binary);
    out << text;
    if (!out.flush()) {
      std::cerr << o.output << ": error: cannot write the report\n";
      return ExitCode::bad_input;
    }
  }
  for (const auto& [ref, errors] : report.invalid)
    for (const auto& e : errors)
      std::cerr << ref.to_string() << ": " << (e.json_path.empty() ? "" : e.json_path + ": ") << e.message << "\n";
  if (!report.invalid.empty()) return ExitCode::bad_input;
  return report.changed() ? ExitCode::attention : ExitCode::ok;
}

}  // namespace

void add_diff(CLI::App& app, std::function<ExitCode()>& run) {
  auto o = std::make_shared<DiffCommand>();
  CLI::App* cmd = app.add_subcommand(
      "diff",
      "Decide the same inputs under two versions of a pack and report what changes: outcomes by rule and\n"
      "direction, output values, the money moved by each change of outcome, the totals of the money outputs,\n"
      "the changes in the pack itself, and whether a changed pack kept its version number.");
  cmd->add_option("--base", o->base, "the pack as published")->required();
  cmd->add_option("--head", o->head, "the pack as changed")->required();
  cmd->add_option("--as-of", o->as_of, "the date of the decisions, YYYY-MM-DD (default: today)")->check(date_text());
  cmd->add_option("--format", o->format,
                  "text (default), json (schemas/diff.schema.json) or html (a self-contained page)")
      ->check(CLI::IsMember({"text", "json", "html"}));
  cmd->add_option("--lang", o->lang, "language of text and html: zh or en")->check(CLI::IsMember({"zh", "en"}));
  cmd->add_option("--output,-o", o->output, "write the report to this file instead of standard output");
  cmd->add_option("--csv-mapping", o->csv_mapping,
                  "read CSV or xlsx inputs; this YAML file maps columns to document paths (and may group rows)");
  cmd->add_option("inputs", o->inputs,
                  "past inputs: JSON Lines files, folders of .json files, CSV, an xlsx sheet (read as batch reads "
                  "them; one sheet without a mapping as the base pack's template); - for stdin")
      ->required();
  add_limit_options(*cmd, o->load, o->input, o->eval);
  cmd->footer(
      "Exit status: 0 no decision changes; 1 some outcome or output changes (the report says which);\n"
      "2 a pack or an input cannot be read (inputs refused by either version are listed in the report).");
  cmd->callback([o, &run] { run = [o] { return run_diff(*o); }; });
}

}  // namespace rulebook::cli
