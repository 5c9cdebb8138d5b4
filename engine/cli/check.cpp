// rulebook check: evaluate documents against one pack and report each decision.

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"
#include "rulebook/engine.hpp"

namespace rulebook::cli {
namespace {

struct CheckOptions {
  std::string pack;
  std::string as_of;
  std::string format = "text";
  std::string lang = "zh";
  std::vector<std::string> files;
  LoadOptions load;
  InputLimits input;
  EvalOptions eval;
};

std::optional<std::string> slurp(const std::string& file) {
  if (file == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The clock is read here, in the tool, never by a rule: the date is then an input like any other.
Date today() {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(system_clock::now())};
  return *Date::from_ymd(int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())));
}

ExitCode run_check(const CheckOptions& o) {
  Date as_of = today();
  if (!o.as_of.empty()) {
    auto d = Date::parse(o.as_of);
    if (!d) {
      std::cerr << "rulebook check: --as-of expects a date YYYY-MM-DD, got '" << o.as_of << "'\n";
      return ExitCode::bad_input;
    }
    as_of = *d;
  }
  LoadResult loaded = load_pack(o.pack, o.load);
  for (const auto& w : loaded.warnings) std::cerr << w.to_string("warning");
  for (const auto& e : loaded.errors) std::cerr << e.to_string();
  if (!loaded.pack) return ExitCode::bad_input;
  const PackInfo& info = loaded.pack->info();
  // Every rule would be not_applicable: almost always a forgotten --as-of, so say so.
  if (as_of < info.effective_from || info.effective_to < as_of) {
    std::cerr << "rulebook check: the as-of date " << as_of.to_string() << " is outside the effective period "
              << info.effective_from.to_string() << " … " << info.effective_to.to_string() << " of pack " << info.id
              << "; give the decision's date with --as-of\n";
    return ExitCode::bad_input;
  }

  ExitCode code = ExitCode::ok;
  std::vector<Decision> decisions;
  for (const auto& file : o.files) {
    auto text = slurp(file);
    if (!text) {
      std::cerr << file << ": error: cannot read the file\n";
      code = ExitCode::bad_input;
      continue;
    }
    DocumentResult doc = Document::parse(*text, file, o.input);
    if (!doc.document) {
      for (const auto& e : doc.errors) std::cerr << e.to_string();
      code = ExitCode::bad_input;
      continue;
    }
    // Input that breaks the subject's schema is refused before any rule runs.
    if (auto problems = loaded.pack->validate(*doc.document); !problems.empty()) {
      for (const auto& e : problems) std::cerr << e.to_string();
      code = ExitCode::bad_input;
      continue;
    }
    EvalOptions eval = o.eval;
    eval.as_of = as_of;
    decisions.push_back(loaded.pack->evaluate(*doc.document, eval));
    code = worst(code, exit_code_for(decisions.back().outcome));
  }
  if (o.format == "json") {
    std::cout << (decisions.size() == 1 && o.files.size() == 1 ? to_json(decisions[0]) : to_json(decisions));
  } else {
    for (std::size_t i = 0; i < decisions.size(); ++i) std::cout << (i ? "\n" : "") << to_text(decisions[i], o.lang);
  }
  return code;
}

}  // namespace

void add_check(CLI::App& app, std::function<ExitCode()>& run) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "Check documents (JSON files, - for stdin) against a rule pack.");
  cmd->add_option("--pack", o->pack, "the rule pack's folder (e.g. rules/dongsheng-2024)")->required();
  cmd->add_option("--as-of", o->as_of, "the date of the decision, YYYY-MM-DD (default: today)");
  cmd->add_option("--format", o->format, "text (for people) or json (schemas/decision.schema.json)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--lang", o->lang, "language of the text output: zh or en")->check(CLI::IsMember({"zh", "en"}));
  cmd->add_option("files", o->files, "input documents; - reads standard input")->required();
  add_limit_options(*cmd, o->load, o->input, o->eval);
  cmd->footer(
      "Exit status: 0 every rule passes or does not apply; 1 a rule fails or needs information;\n"
      "2 bad input, bad rules, a rule that could not be evaluated, or bad usage.");
  cmd->callback([o, &run] { run = [o] { return run_check(*o); }; });
}

}  // namespace rulebook::cli
