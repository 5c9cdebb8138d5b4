// rulebook check: evaluate documents against one pack and report each decision.

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"
#include "ledger/ledger.hpp"
#include "ledger/pack_hash.hpp"
#include "ledger/recorder.hpp"
#include "rulebook/engine.hpp"
#include "rulebook/report.hpp"

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
  bool record = false;  ///< --record: keep each decision in the ledger --db
  bool stream = false;  ///< --stream: a co-process answering one document a line (cli/stream.cpp)
  std::string db = "sqlite:rulebook-ledger.db";
  std::string reviewer;
};

ExitCode run_check(const CheckOptions& o) {
  auto session = open_session("check", o.pack, o.as_of, o.load);
  if (!session) return ExitCode::bad_input;
  const CompiledPack* pack = &session->pack;
  Date as_of = session->as_of;
  std::unique_ptr<CheckRecorder> recorder;
  if (o.record && !(recorder = open_recorder(*session, o.pack, o.db, o.reviewer))) return ExitCode::bad_input;

  // The reviewer's report, and what is wrong with a document, in their language, fields by label.
  ReportOptions report;
  report.lang = o.lang;
  report.pack = pack;
  auto refuse = [&](const std::vector<Error>& errors) {
    for (const auto& e : errors) std::cerr << to_text(e, report);
  };

  ExitCode code = ExitCode::ok;
  std::vector<Decision> decisions;
  std::vector<Document> inputs;  // for the reports: who applied
  for (const auto& file : o.files) {
    InputText input = read_input(file, o.input);
    if (input.error) {
      refuse({*input.error});
      code = ExitCode::bad_input;
      continue;
    }
    const std::string* text = &input.text;
    DocumentResult doc = Document::parse(*text, file, o.input);
    if (!doc.document) {
      refuse(doc.errors);
      code = ExitCode::bad_input;
      continue;
    }
    // Input that breaks the subject's schema is refused before any rule runs.
    if (auto problems = pack->validate(*doc.document); !problems.empty()) {
      refuse(problems);
      code = ExitCode::bad_input;
      continue;
    }
    EvalOptions eval = o.eval;
    eval.as_of = as_of;
    eval.validate = false;  // just done
    if (recorder) {
      if (auto problems = ledger::identity_problems(*doc.document, *pack); !problems.empty()) {
        refuse(problems);
        code = ExitCode::bad_input;
        continue;
      }
      std::optional<Decision> d;
      try {
        d = recorder->decide(*doc.document, *text, eval);
      } catch (const ledger::ApplicationConflict& e) {  // this document refused, nothing recorded; the others go on
        Error conflict;
        conflict.loc.file = doc.document->name();
        refuse({conflict.say(e.what(), e.message_zh)});
        code = ExitCode::bad_input;
        continue;
      }
      if (!d) return ExitCode::bad_input;
      decisions.push_back(std::move(*d));
    } else {
      decisions.push_back(pack->evaluate(*doc.document, eval));
    }
    inputs.push_back(std::move(*doc.document));
    code = worst(code, exit_code_for(decisions.back().outcome));
  }
  if (decisions.empty()) return code;  // every input refused: its errors are on stderr, nothing to show
  if (o.format == "json") {
    std::cout << (decisions.size() == 1 && o.files.size() == 1 ? to_json(decisions[0]) : to_json(decisions));
    return code;
  }
  if (o.format == "html") {
    try {
      report.pack_hash = ledger::pack_hash(o.pack);
    } catch (const std::exception& e) {
      std::cerr << "rulebook check: " << e.what() << "\n";
      return ExitCode::bad_input;
    }
    report.reviewer = o.reviewer;
  }
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    report.input = &inputs[i];
    std::cout << (i ? "\n" : "") << (o.format == "html" ? to_html(decisions[i], report) : to_text(decisions[i], report));
  }
  return code;
}

}  // namespace

void add_check(CLI::App& app, std::function<ExitCode()>& run) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "Check documents (JSON files, - for stdin) against a rule pack.");
  cmd->add_option("--pack", o->pack, "the rule pack's folder (e.g. rules/dongsheng-2024)")->required();
  cmd->add_option("--as-of", o->as_of, "the date of the decision, YYYY-MM-DD (default: today)")->check(date_text());
  cmd->add_option("--format", o->format,
                  "text or html (for people: html is one self-contained page to print and sign) or json "
                  "(schemas/decision.schema.json)")
      ->check(CLI::IsMember({"text", "html", "json"}));
  cmd->add_option("--lang", o->lang,
                  "language of the text and html reports and of what is wrong with a document: zh or en")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->add_option("files", o->files, "input documents; - reads standard input");
  cmd->add_flag("--record", o->record, "record each decision in the ledger (see --db), reading the figures it keeps");
  cmd->add_option("--db", o->db, "the ledger for --record: sqlite:PATH, a path, or postgresql://…")
      ->capture_default_str();
  cmd->add_option("--reviewer", o->reviewer, "who decides, recorded with --record (default: $USER)");
  cmd->add_flag("--stream", o->stream,
                "a co-process: one JSON document a line on standard input, one line of decision JSON out for\n"
                "each (flushed), until the input ends; a bad line gets an \"invalid\" line and the stream goes on")
      ->excludes("files")
      ->excludes("--format")
      ->excludes("--record");
  add_limit_options(*cmd, o->load, o->input, o->eval);
  cmd->footer(
      "Exit status: 0 every rule passes or does not apply; 1 a rule fails or needs information;\n"
      "2 bad input, bad rules, a rule that could not be evaluated, or bad usage.");
  cmd->callback([o, &run] {
    if (!o->stream && o->files.empty()) throw CLI::RequiredError("files");
    run = [o] { return o->stream ? run_stream(o->pack, o->as_of, o->load, o->input, o->eval) : run_check(*o); };
  });
}

}  // namespace rulebook::cli
