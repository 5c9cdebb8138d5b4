#include "ledger/recorder.hpp"

#include <map>

#include "ledger/pack_hash.hpp"
#include "ledger/sha256.hpp"
#include "report/json_writer.hpp"
#include "rulebook/report.hpp"

namespace rulebook::ledger {

LedgerPackResult load_ledger_pack(const std::filesystem::path& dir, const LoadOptions& options) {
  LedgerPackResult out;
  LoadResult loaded = load_pack(dir, options);
  out.errors = std::move(loaded.errors);
  out.warnings = std::move(loaded.warnings);
  LedgerFigures figures = load_figures(dir, out.errors);
  if (!loaded.pack || !out.errors.empty()) return out;
  try {
    out.pack = LedgerPack{*loaded.pack, dir, pack_hash(dir), std::move(figures)};
  } catch (const std::exception& e) {
    Error err;
    err.code = Error::Code::io;
    err.message = e.what();
    err.loc.file = dir.string();
    out.errors.push_back(std::move(err));
  }
  return out;
}

namespace {

// The JSON path of a text member equal to `text` (where applicant_of found it); empty: none.
std::string path_of_text(const Value& v, const std::string& text) {
  if (v.kind() == Kind::object) {
    for (const auto& [key, m] : v.as_object().members) {
      if (m.kind() == Kind::string && m.as_string() == text) return v.as_object().path + "." + key;
      if (auto p = path_of_text(m, text); !p.empty()) return p;
    }
  } else if (v.kind() == Kind::list) {
    for (const auto& m : v.as_list().items)
      if (auto p = path_of_text(m, text); !p.empty()) return p;
  }
  return {};
}

}  // namespace

// Who a document names is what the ledger finds a unit's and an application's decisions by, so it
// must be kept as sent by every store: PostgreSQL cuts a text at U+0000, so that applications
// "A\u0000x" and "A\u0000y" were one application ("A") there, the second superseding the first and
// dropping its grant from the unit's figures (SQLite kept them apart). Refused, naming the field.
std::vector<Error> identity_problems(const Document& doc, const CompiledPack& pack) {
  Applicant a = applicant_of(doc, &pack);
  std::vector<Error> out;
  for (const std::string* text : {&a.name, &a.credit_code, &a.application_id}) {
    if (text->find('\0') == std::string::npos) continue;
    Error e;
    e.code = Error::Code::input;
    e.loc.file = doc.name();  // as a schema violation is named
    e.json_path = path_of_text(doc.root(), *text);
    if (e.json_path.empty()) e.json_path = "$";
    e.say("a text naming the applicant or the application must not contain U+0000 (the ledger finds decisions by it)",
          "申请人或申请编号的文本中不得含有 U+0000（台账据此查找判定）");
    out.push_back(std::move(e));
  }
  return out;
}

Identity identify(const Document& doc, const CompiledPack& pack) {
  Applicant a = applicant_of(doc, &pack);
  auto given = [](std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(std::move(s)); };
  return {given(a.name), given(a.credit_code), given(a.application_id)};
}

std::vector<Decided> decide(Ledger* ledger, const LedgerPack& pack, const std::vector<Submission>& submissions,
                            const EvalOptions& options, const std::string& reviewer, bool record) {
  const PackInfo& info = pack.pack.info();
  EvalOptions eval = options;
  eval.validate = false;  // submissions come validated; the $.ledger figures added here are ours
  std::vector<Identity> ids;
  for (const auto& s : submissions) ids.push_back(identify(*s.document, pack.pack));

  // What the figures read of earlier decisions, each read once per call: a unit's stored ones
  // (fetched at its first submission; its lock keeps them as they are) and this call's own, with
  // the last submission of this call reviewing each application number. Read again for every
  // submission, one request of 1,000 documents of one unit took six minutes.
  struct Counted {
    Record record;
    std::shared_ptr<const Contribution> adds;
  };
  struct Earlier {
    std::map<std::string, std::vector<Counted>> stored;  // by credit code
    std::vector<Counted> made;                           // this call's, as `out`
    std::map<std::string, std::size_t> last_review;      // application number → its last in `made`
  };
  auto decide_one = [&](std::size_t i, History* history, Earlier* earlier) {
    const Identity& who = ids[i];
    Decision d;
    std::optional<std::string> figures_json;
    if (history && !pack.figures.empty()) {
      // The unit's earlier current decisions: from the store, then this call's own, leaving out
      // those of an application this document (a re-review) or a later one in this call reviews
      // again. (An application number is one unit's: the store refuses another unit's re-review.)
      std::vector<const Contribution*> prior;
      if (who.credit_code) {
        // Whether this document, or one of this call's from `made[from]` on, reviews r's application again.
        auto reviewed_again = [&](const Record& r, std::size_t from) {
          if (!r.application_id) return false;
          if (r.application_id == who.application_id) return true;
          auto last = earlier->last_review.find(*r.application_id);
          return last != earlier->last_review.end() && last->second >= from;
        };
        auto [stored, fetch] = earlier->stored.try_emplace(*who.credit_code);
        if (fetch)
          for (auto& r : history->current(info.id, *who.credit_code)) {
            auto adds = pack.contributions->of(pack.figures, r);
            stored->second.push_back({std::move(r), std::move(adds)});
          }
        for (const auto& p : stored->second)
          if (!reviewed_again(p.record, 0)) prior.push_back(p.adds.get());
        for (std::size_t j = 0; j < earlier->made.size(); ++j) {
          const Record& r = earlier->made[j].record;
          if (r.credit_code == who.credit_code && !reviewed_again(r, j + 1))
            prior.push_back(earlier->made[j].adds.get());
        }
      }
      // No credit code: no unit to look up, so the figures are those of a unit with no history.
      Value figures = compute_figures(pack.figures, prior);
      JsonWriter w(true);
      w.value(figures);
      figures_json = std::move(w.out);
      d = pack.pack.evaluate(with_ledger(*submissions[i].document, figures), eval);
    } else {
      d = pack.pack.evaluate(*submissions[i].document, eval);
    }
    Decided out;
    out.json = to_json(d);
    Record& r = out.record;
    r.reviewer = reviewer;
    r.applicant_name = who.applicant_name;
    r.credit_code = who.credit_code;
    r.application_id = who.application_id;
    r.pack_id = info.id;
    r.pack_version = info.version;
    r.pack_hash = pack.hash;
    r.as_of = eval.as_of.to_string();
    r.input_hash = sha256_hex(submissions[i].text);
    r.input = std::string(submissions[i].text);
    r.ledger_figures = std::move(figures_json);
    r.outcome = std::string(to_string(d.outcome));
    r.decision_json = out.json;
    r.engine_version = engine_version();
    out.decision = std::move(d);
    return out;
  };

  std::vector<Decided> out;
  if (!ledger) {
    for (std::size_t i = 0; i < submissions.size(); ++i) out.push_back(decide_one(i, nullptr, nullptr));
    return out;
  }
  std::vector<std::string> locks;
  for (const auto& who : ids) {
    if (who.credit_code && !pack.figures.empty()) locks.push_back(unit_key(info.id, *who.credit_code));
    if (who.application_id) locks.push_back(application_key(info.id, *who.application_id));
  }
  std::vector<Record> stored = ledger->transact(locks, [&](History& history) {
    out.clear();  // a store may retry the transaction
    Earlier earlier;
    for (std::size_t i = 0; i < submissions.size(); ++i) {
      out.push_back(decide_one(i, &history, &earlier));
      if (pack.figures.empty()) continue;
      const Record& made = out.back().record;
      earlier.made.push_back({made, pack.contributions->of(pack.figures, made)});
      if (const auto& app = out.back().record.application_id) earlier.last_review[*app] = i;
    }
    std::vector<Record> records;
    if (record)
      for (const auto& d : out) records.push_back(d.record);
    return records;
  });
  for (std::size_t i = 0; i < out.size() && i < stored.size(); ++i) out[i].record = std::move(stored[i]);
  return out;
}

Replayed replay(const LedgerPack& pack, const Record& r, EvalOptions eval, const InputLimits& limits) {
  Replayed out;
  if (!r.input) return out.status = Replay::no_input, out;
  if (pack.pack.info().id != r.pack_id || pack.hash != r.pack_hash) return out.status = Replay::pack_changed, out;
  auto as_of = Date::parse(r.as_of);
  if (!as_of) return out.status = Replay::decision_differs, out;
  // The document keeps the name it was decided under (a decision states it).
  std::string name = "-";
  try {
    auto stored = nlohmann::json::parse(r.decision_json);
    if (stored.is_object() && stored.contains("document") && stored["document"].is_string()) name = stored["document"];
  } catch (const nlohmann::json::exception&) {
    return out.status = Replay::decision_differs, out;
  }
  DocumentResult input = Document::parse(*r.input, name, limits);
  if (!input.document) return out.status = Replay::decision_differs, out;
  eval.as_of = *as_of;
  eval.validate = false;  // as decide() evaluates: validated when it was received
  if (r.ledger_figures) {
    // Read as the member it was, so that its values keep their paths ($.ledger.received).
    DocumentResult figures = Document::parse("{\"ledger\":" + *r.ledger_figures + "}", name, limits);
    if (!figures.document) return out.status = Replay::decision_differs, out;
    out.decision =
        pack.pack.evaluate(with_ledger(*input.document, *figures.document->root().as_object().find("ledger")), eval);
  } else {
    out.decision = pack.pack.evaluate(*input.document, eval);
  }
  out.input = std::move(input.document);
  out.status = to_json(out.decision) == r.decision_json ? Replay::same : Replay::decision_differs;
  return out;
}

}  // namespace rulebook::ledger
