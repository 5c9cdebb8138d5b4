#pragma once
// Figures a pack reads from the ledger. A pack declares them in its own `ledger/figures.yaml` (a folder the rule loader
// does not read), so the engine core needs no change: before evaluation they are computed from the unit's earlier
// decisions and placed in the document under $.ledger (replacing whatever the applicant sent
// there); rules read them like any input, and without a ledger $.ledger is simply unknown.
//
//   figures:
//     received: {rule: DS-01, sum: total, outcomes: [pass]}   # a decimal: the output summed
//     paid: {rule: DS-01, paid_items: amounts}                # item keys whose amount was > 0
//     paid: {rule: DS-01, paid_items: amounts, keys: numbers} # the same items named by another list output
//       keys_in_input: "transactions[].contract.number"      # …or, for older decisions, by their input

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/ledger.hpp"
#include "rulebook/engine.hpp"

namespace rulebook::ledger {

struct FigureSpec {
  std::string name;  ///< the member of $.ledger
  std::string rule;  ///< the catalog id whose earlier results count
  std::string sum;   ///< an output to sum (a number), or
  std::string paid_items;  ///< a list output parallel to the rule's items: their keys where > 0
  /// With paid_items, a list output parallel to them that names each item instead of its key
  /// (an item's key names it within its application only: T1 in one is not T1 in another).
  std::string keys;
  /// With keys, where a decision recorded before that output existed finds the names in its
  /// input as received: "transactions[].contract.number", each element of the list the rule's
  /// items are (a ledger kept across an upgrade must not forget what it paid).
  std::string keys_in_input;
  std::vector<std::string> outcomes;  ///< count only these outcomes of the rule (empty: all)
};

/// A pack's ledger figures; empty when the pack declares none. Immutable.
struct LedgerFigures {
  std::vector<FigureSpec> specs;
  bool empty() const { return specs.empty(); }
};

/// Reads `dir/ledger/figures.yaml` when it exists (no file: no figures). Problems go to `errors`
/// with file:line:col.
LedgerFigures load_figures(const std::filesystem::path& dir, std::vector<Error>& errors);

/// What one recorded decision adds to each figure, spec by spec: the amount it adds to a `sum`
/// (none: it adds nothing), or the names it paid, in order, for `paid_items`.
struct Contribution {
  struct Part {
    std::optional<Decimal> amount;
    std::vector<std::string> names;
  };
  std::vector<Part> parts;  ///< one per spec, in LedgerFigures::specs' order
};
/// Reads `r`'s decision (and, for a decision recorded before its `keys` output, its input).
Contribution contribution_of(const LedgerFigures& figures, const Record& r);

/// The contributions of recorded decisions, each read once: a record never changes once stored,
/// and a unit's figures read all its decisions for every new one (with 2,000 a decision took 1 s).
/// Thread-safe; holds at most `limit` records, then starts again.
class Contributions {
 public:
  explicit Contributions(std::size_t limit = 200'000) : limit_(limit) {}
  /// `r`'s, computed on the first call for its id (a record not yet stored, without an id: every time).
  std::shared_ptr<const Contribution> of(const LedgerFigures& figures, const Record& r);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Contribution>> by_id_;
  std::size_t limit_;
};

/// The $.ledger object: each figure over `prior` (what the unit's earlier current decisions under
/// the pack add, oldest first), plus "decisions", how many were counted.
Value compute_figures(const LedgerFigures& figures, const std::vector<const Contribution*>& prior);
/// The same over records, each read here.
Value compute_figures(const LedgerFigures& figures, const std::vector<Record>& prior);

/// `doc` with its root member "ledger" replaced by `ledger` (the root must be an object;
/// otherwise `doc` is returned as is, and the schema has refused it already).
Document with_ledger(const Document& doc, const Value& ledger);

}  // namespace rulebook::ledger
