#pragma once
// Deciding with a memory: reads the ledger's figures for each document, evaluates, and
// records every decision in the same transaction. `rulebook serve` and `check --record`
// both decide through here, so a decision is the same bytes whichever way it was taken.

#include <filesystem>
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

}  // namespace rulebook::ledger
