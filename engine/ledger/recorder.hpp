#pragma once
// Deciding with a memory: reads the ledger's figures for each document, evaluates, and
// records every decision in the same transaction. `rulebook serve` and `check --record`
// both decide through here, so a decision is the same bytes whichever way it was taken.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/figures.hpp"
#include "ledger/ledger.hpp"
#include "rulebook/engine.hpp"

namespace rulebook::ledger {

/// A pack as decisions are recorded under it. Immutable once loaded; share it freely.
struct LedgerPack {
  CompiledPack pack;
  std::filesystem::path dir;
  std::string hash;  ///< pack_hash(dir)
  LedgerFigures figures;
  /// What each recorded decision adds to the figures, read once for all who decide under the pack.
  std::shared_ptr<Contributions> contributions = std::make_shared<Contributions>();
};

/// Loads the pack, its ledger figures and its content hash: errors and warnings as load_pack.
struct LedgerPackResult {
  std::optional<LedgerPack> pack;
  std::vector<Error> errors, warnings;
};
LedgerPackResult load_ledger_pack(const std::filesystem::path& dir, const LoadOptions& options = {});

/// Who and what a document is about, where the pack's subject schema says (applicant_of,
/// rulebook/report.hpp). Only non-empty strings count; absent: nullopt (stored as null).
struct Identity {
  std::optional<std::string> applicant_name, credit_code, application_id;
};
Identity identify(const Document& doc, const CompiledPack& pack);
/// What makes the document's identity unfit to be kept as sent by every store (a U+0000, which
/// PostgreSQL cuts a text at), as input errors naming the field; empty when none. Checked before
/// deciding through the ledger (serve, check --record).
std::vector<Error> identity_problems(const Document& doc, const CompiledPack& pack);

/// One validated document to decide, with the bytes it came as.
struct Submission {
  const Document* document;
  std::string_view text;
};

struct Decided {
  Decision decision;
  std::string json;  ///< to_json(decision), as `check --format json` prints it
  Record record;     ///< as stored (id, seq… set), or unset fields when no ledger
};

/// Decides each submission under `pack` on `eval.as_of`. With a ledger, each document first
/// gets its $.ledger figures from the unit's earlier current decisions (and those earlier in
/// this call), and every decision is recorded, all in one transaction: when this returns, they
/// are on disk; when it throws LedgerError, none is. Without a ledger, plain evaluation.
/// `record` false: a preview (the review desk's), decided on the ledger's figures as a recorded
/// decision would be, but nothing is written and the records keep unset ids.
std::vector<Decided> decide(Ledger* ledger, const LedgerPack& pack, const std::vector<Submission>& submissions,
                            const EvalOptions& eval, const std::string& reviewer, bool record = true);

/// Whether a record's decision could be taken again as it was.
enum class Replay {
  same,              ///< decided again, byte for byte the stored decision
  no_input,          ///< recorded before inputs were kept (schema version 3)
  pack_changed,      ///< the pack's content hash is not the record's
  decision_differs,  ///< the same pack decides otherwise now (another engine, other options)
};
struct Replayed {
  Replay status = Replay::no_input;
  std::optional<Document> input;  ///< the document as received (status same)
  Decision decision;              ///< decided again (status same: equal to the stored one)
};
/// Decides a record's input again under `pack` on its review date, with the ledger figures it
/// was decided on, so that the report a reviewer signed can be shown again; `eval` as the
/// service decides. Only a decision equal byte for byte to the stored one is `same`.
Replayed replay(const LedgerPack& pack, const Record& r, EvalOptions eval, const InputLimits& limits = {});

}  // namespace rulebook::ledger
