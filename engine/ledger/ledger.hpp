#pragma once
// The ledger: every decision taken through `rulebook serve` or `check --record`, append-only.
// Two stores share this interface: an embedded SQLite file (the default) and PostgreSQL for an
// office with several reviewers. A re-review (same pack and application id) is a new record
// that supersedes the current one; the old record stays, marked superseded_by.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rulebook::ledger {

/// A store could not be opened, read or written: infrastructure, not the user's input.
struct LedgerError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A decision names an application the ledger holds for another unit (another credit code): an
/// application number belongs to one unit, so this is neither a re-review nor a new application,
/// and nothing is recorded (taking it for a re-review would erase the other unit's grant).
/// (Inline: the PostgreSQL store, a module loaded at run time, throws it too.)
struct ApplicationConflict : LedgerError {
  ApplicationConflict(const std::string& application, const std::string& recorded_code, const std::string& code)
      : LedgerError("application " + application + " is recorded for the unit with credit code " + recorded_code +
                    (code.empty() ? ", and this decision names no unit" : ", not " + code) +
                    ": an application number belongs to one unit (a re-review names the same unit; another unit's "
                    "application is recorded under its own number)"),
        message_zh("申请编号 " + application + " 已记录为统一社会信用代码 " + recorded_code + " 的单位的申请，" +
                   (code.empty() ? "而本次材料未写明统一社会信用代码" : "而非 " + code) +
                   "：一个申请编号只属于一个单位（复审须为同一单位；其他单位的申请请使用其自己的编号）"),
        application_id(application),
        credit_code(code) {}
  std::string message_zh;
  /// The application refused and the unit the refused decision named ("" none): a batch names its item by them.
  std::string application_id, credit_code;
};

/// One decision as kept.
struct Record {
  std::string id;           ///< assigned on append: a UUID (version 7, time-ordered)
  std::int64_t seq = 0;     ///< assigned on append: the store's order of arrival
  std::string recorded_at;  ///< assigned on append: UTC, RFC 3339 with milliseconds
  std::string reviewer;
  std::optional<std::string> applicant_name, credit_code, application_id;
  std::string pack_id, pack_version, pack_hash;
  std::string as_of;       ///< the review date
  std::string input_hash;  ///< SHA-256 of the input document's bytes as received
  std::string outcome;     ///< the decision's outcome, for listing without parsing the JSON
  std::string decision_json;
  std::string engine_version;
  std::optional<std::string> supersedes;     ///< the record this one replaced (set by append)
  std::optional<std::string> superseded_by;  ///< the record that replaced this one
  /// The input document's bytes as received (input_hash is their SHA-256), and the $.ledger
  /// figures it was decided on (JSON; none when the pack reads no figures): what replay() needs
  /// to show the report again. Both absent in records written before schema version 3.
  std::optional<std::string> input, ledger_figures;
};

/// Which records `list` returns, oldest first.
struct Query {
  std::optional<std::string> pack_id, credit_code, application_id;
  bool current_only = false;  ///< skip superseded records
  std::int64_t after_seq = 0;
  std::size_t limit = 0;  ///< 0: no limit
};

/// What a decision taken inside `Ledger::transact` may read of the earlier ones.
class History {
 public:
  virtual ~History() = default;
  /// Current (non-superseded) records of a unit under a pack, oldest first.
  virtual std::vector<Record> current(const std::string& pack_id, const std::string& credit_code) = 0;
};

/// A ledger store. Thread-safe: every method may be called from many threads at once.
class Ledger {
 public:
  virtual ~Ledger() = default;
  /// Appends the records `decide` returns, in one transaction that also holds whatever lock
  /// makes the history `decide` read stay true until the commit (SQLite's write lock; in
  /// PostgreSQL an advisory lock per key in `locks`, see unit_key and application_key, taken
  /// in sorted order before `decide` runs). Each record with an application id supersedes the
  /// current record of the same pack and application; one recorded for a unit that `r` does not
  /// name (another credit code, or none) throws ApplicationConflict. Fills id, seq, recorded_at and
  /// supersedes. Nothing is written when `decide` throws.
  virtual std::vector<Record> transact(const std::vector<std::string>& locks,
                                       const std::function<std::vector<Record>(History&)>& decide) = 0;
  /// Records matching `q`, in order of arrival.
  virtual std::vector<Record> list(const Query& q) = 0;
  /// The record with this id (or, when `id` is all digits, this seq).
  virtual std::optional<Record> find(const std::string& id) = 0;
  /// The schema version the store is at (the latest migration applied).
  virtual int schema_version() = 0;
  /// "sqlite:PATH" or the PostgreSQL URL without its password.
  virtual std::string describe() const = 0;

  /// Appends records that read no history.
  std::vector<Record> append(std::vector<Record> records) {
    return transact({}, [&](History&) { return std::move(records); });
  }
};

/// The lock key of a unit's history under a pack (what a rule reading the ledger depends on).
inline std::string unit_key(const std::string& pack_id, const std::string& credit_code) {
  return "unit\n" + pack_id + "\n" + credit_code;
}
/// The lock key of an application under a pack (what a re-review supersedes).
inline std::string application_key(const std::string& pack_id, const std::string& application_id) {
  return "application\n" + pack_id + "\n" + application_id;
}

/// For a store's append: throws ApplicationConflict when `r` re-reviews an application whose
/// current record names a unit (`recorded_code`) and `r` names another, or none (decided as no
/// unit's, it was capped by no history, and it would drop the unit's grant from its figures).
/// An application recorded without a credit code takes the unit named now.
inline void refuse_another_unit(const Record& r, const std::optional<std::string>& recorded_code) {
  if (recorded_code && r.credit_code != recorded_code)
    throw ApplicationConflict(r.application_id.value_or(""), *recorded_code, r.credit_code.value_or(""));
}

/// The latest schema version; stores created by older versions are migrated when opened.
inline constexpr int current_schema_version = 3;

/// Opens (creating and migrating as needed) the store a URL names: "sqlite:PATH", a plain
/// path (SQLite), or "postgresql://…" / "postgres://…" (libpq's URI syntax). Throws LedgerError.
std::unique_ptr<Ledger> open_ledger(const std::string& url);

/// The engine version recorded with every decision.
const char* engine_version();

/// A fresh record id: a UUID version 7 (48-bit Unix milliseconds, then random bits).
std::string new_record_id();
/// The current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string utc_now();

/// The record's columns without its decision: what a search lists (GET /ledger) and the head
/// of to_json().
nlohmann::ordered_json summary_json(const Record& r);
/// The record's columns as one JSON object (the decision embedded as JSON), for export.
std::string to_json(const Record& r);
/// The header line of the CSV export, and one record as a CSV line (RFC 4180 quoting).
std::string csv_header();
std::string to_csv(const Record& r);

}  // namespace rulebook::ledger
