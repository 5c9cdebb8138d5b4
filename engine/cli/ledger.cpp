// rulebook ledger: list, show and export the decisions kept by serve and check --record.

#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "ledger/ledger.hpp"
#include "ledger/pack_hash.hpp"
#include "ledger/recorder.hpp"

namespace rulebook::cli {
namespace {

struct LedgerCli {
  std::string db = "sqlite:rulebook-ledger.db";
  std::string id;
  std::string format = "jsonl";
  std::string pack, credit_code, application_id;
  bool current = false;
  std::size_t limit = 0;
};

ledger::Query query_of(const LedgerCli& c) {
  ledger::Query q;
  if (!c.pack.empty()) q.pack_id = c.pack;
  if (!c.credit_code.empty()) q.credit_code = c.credit_code;
  if (!c.application_id.empty()) q.application_id = c.application_id;
  q.current_only = c.current;
  q.limit = c.limit;
  return q;
}

std::string opt(const std::optional<std::string>& s) { return s ? *s : "-"; }

ExitCode with_ledger(const LedgerCli& c, const std::function<ExitCode(ledger::Ledger&)>& fn) {
  try {
    auto l = ledger::open_ledger(c.db);
    return fn(*l);
  } catch (const ledger::LedgerError& e) {
    std::cerr << "rulebook ledger: " << e.what() << "\n";
    return ExitCode::bad_input;
  }
}

ExitCode run_list(const LedgerCli& c) {
  return with_ledger(c, [&](ledger::Ledger& l) {
    for (const auto& r : l.list(query_of(c)))
      std::cout << r.seq << "  " << r.id << "  " << r.recorded_at << "  " << r.pack_id << " " << r.pack_version << "  "
                << r.as_of << "  " << r.outcome << "  " << opt(r.application_id) << "  " << opt(r.credit_code) << "  "
                << opt(r.applicant_name) << "  " << r.reviewer
                << (r.superseded_by ? "  superseded by " + *r.superseded_by : std::string()) << "\n";
    return ExitCode::ok;
  });
}

ExitCode run_show(const LedgerCli& c) {
  return with_ledger(c, [&](ledger::Ledger& l) {
    auto r = l.find(c.id);
    if (!r) {
      std::cerr << "rulebook ledger: no record '" << c.id << "' in " << l.describe() << "\n";
      return ExitCode::bad_input;
    }
    std::cout << ledger::to_json(*r) << "\n";
    return ExitCode::ok;
  });
}

ExitCode run_export(const LedgerCli& c) {
  return with_ledger(c, [&](ledger::Ledger& l) {
    if (c.format == "csv") std::cout << ledger::csv_header();
    for (const auto& r : l.list(query_of(c)))
      std::cout << (c.format == "csv" ? ledger::to_csv(r) : ledger::to_json(r) + "\n");
    return ExitCode::ok;
  });
}

void add_filters(CLI::App& cmd, LedgerCli& c) {
  cmd.add_option("--pack", c.pack, "only this pack's decisions");
  cmd.add_option("--credit-code", c.credit_code, "only this unit's decisions");
  cmd.add_option("--application", c.application_id, "only this application's decisions");
  cmd.add_flag("--current", c.current, "leave out superseded decisions");
  cmd.add_option("--limit", c.limit, "at most this many records");
}

class LedgerRecorder final : public CheckRecorder {
 public:
  LedgerRecorder(std::unique_ptr<ledger::Ledger> l, ledger::LedgerPack pack, std::string reviewer)
      : ledger_(std::move(l)), pack_(std::move(pack)), reviewer_(std::move(reviewer)) {}
  std::optional<Decision> decide(const Document& doc, std::string_view text, const EvalOptions& eval) override {
    try {
      auto decided = ledger::decide(ledger_.get(), pack_, {{&doc, text}}, eval, reviewer_);
      const auto& r = decided.front().record;
      std::cerr << doc.name() << ": recorded as " << r.id << " (seq " << r.seq << ")"
                << (r.supersedes ? ", superseding " + *r.supersedes : std::string()) << " in " << ledger_->describe()
                << "\n";
      return std::move(decided.front().decision);
    } catch (const ledger::ApplicationConflict&) {
      throw;  // this document's: the caller refuses it and goes on
    } catch (const ledger::LedgerError& e) {
      std::cerr << "rulebook check: " << e.what() << "\n";
      return std::nullopt;
    }
  }

 private:
  std::unique_ptr<ledger::Ledger> ledger_;
  ledger::LedgerPack pack_;
  std::string reviewer_;
};

}  // namespace

std::unique_ptr<CheckRecorder> open_recorder(const Session& session, const std::string& pack_dir, const std::string& db,
                                             const std::string& reviewer) {
  std::vector<Error> errors;
  ledger::LedgerFigures figures = ledger::load_figures(pack_dir, errors);
  for (const auto& e : errors) std::cerr << e.to_string();
  if (!errors.empty()) return nullptr;
  std::string who = reviewer;
  if (who.empty()) who = std::getenv("USER") ? std::getenv("USER") : "anonymous";
  try {
    ledger::LedgerPack pack{session.pack, pack_dir, ledger::pack_hash(pack_dir), std::move(figures)};
    return std::make_unique<LedgerRecorder>(ledger::open_ledger(db), std::move(pack), who);
  } catch (const std::exception& e) {
    std::cerr << "rulebook check: " << e.what() << "\n";
    return nullptr;
  }
}

void add_ledger(CLI::App& app, std::function<ExitCode()>& run) {
  auto c = std::make_shared<LedgerCli>();
  CLI::App* cmd = app.add_subcommand("ledger", "List, show and export the recorded decisions.");
  cmd->add_option("--db", c->db, "the ledger: sqlite:PATH, a path, or postgresql://…")->capture_default_str();
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "one line per record, oldest first");
  add_filters(*list, *c);
  list->callback([c, &run] { run = [c] { return run_list(*c); }; });
  CLI::App* show = cmd->add_subcommand("show", "one record, with its decision, as JSON");
  show->add_option("id", c->id, "the record's id or seq")->required();
  show->callback([c, &run] { run = [c] { return run_show(*c); }; });
  CLI::App* exp = cmd->add_subcommand("export", "every record: JSON Lines (with the decision) or CSV");
  exp->add_option("--format", c->format, "jsonl or csv")->check(CLI::IsMember({"jsonl", "csv"}))->capture_default_str();
  add_filters(*exp, *c);
  exp->callback([c, &run] { run = [c] { return run_export(*c); }; });
  // --db may come after the subcommand as well.
  for (CLI::App* s : {list, show, exp}) s->add_option("--db", c->db, "the ledger (as above)");
}

}  // namespace rulebook::cli
