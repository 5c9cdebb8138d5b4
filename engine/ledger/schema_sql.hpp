#pragma once
// The ledger's schema, one migration per version, for each store. A store records the
// versions applied in schema_migrations and applies the missing ones in order when opened,
// so a ledger written by an older rulebook opens in a newer one.
//
// INVARIANT: a migration, once released, never changes; a change is a new migration.

#include <string_view>
#include <vector>

namespace rulebook::ledger {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;  ///< statements separated by ';' at the end of a line (SQLite) or run whole (PostgreSQL)
};

/// The columns every store selects, in the order records are read.
inline constexpr std::string_view record_columns =
    "seq, id, recorded_at, reviewer, applicant_name, credit_code, application_id, pack_id, pack_version, "
    "pack_hash, as_of, input_hash, outcome, decision_json, engine_version, supersedes, superseded_by, input, "
    "ledger_figures";

/// Which of a unit's records count as its current decisions (History::current), after "WHERE
/// pack_id = … AND credit_code = … AND": those not superseded, and those an earlier rulebook let
/// another unit's application under the same number supersede (an application number is one
/// unit's: that record was never this unit's re-review, and its grant still counts).
inline constexpr std::string_view unit_current =
    "(superseded_by IS NULL OR EXISTS (SELECT 1 FROM decisions later WHERE later.id = decisions.superseded_by "
    "AND later.credit_code IS NOT NULL AND later.credit_code <> decisions.credit_code))";

inline const std::vector<Migration>& sqlite_migrations() {
  static const std::vector<Migration> m = {
      {1, "decisions",
       R"(CREATE TABLE decisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  recorded_at TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  applicant_name TEXT,
  credit_code TEXT,
  application_id TEXT,
  pack_id TEXT NOT NULL,
  pack_version TEXT NOT NULL,
  as_of TEXT NOT NULL,
  input_hash TEXT NOT NULL,
  outcome TEXT NOT NULL,
  decision_json TEXT NOT NULL,
  superseded_by TEXT REFERENCES decisions(id)
))"},
      {2, "pack hash, engine version, supersedes; one current record per application; append-only triggers",
       R"(ALTER TABLE decisions ADD COLUMN pack_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN engine_version TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN supersedes TEXT REFERENCES decisions(id);
CREATE INDEX decisions_unit ON decisions(pack_id, credit_code) WHERE superseded_by IS NULL;
CREATE UNIQUE INDEX decisions_current_application ON decisions(pack_id, application_id)
  WHERE superseded_by IS NULL AND application_id IS NOT NULL;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: records are never deleted'); END;
CREATE TRIGGER decisions_frozen BEFORE UPDATE ON decisions
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.recorded_at IS NOT OLD.recorded_at
  OR NEW.reviewer IS NOT OLD.reviewer OR NEW.applicant_name IS NOT OLD.applicant_name
  OR NEW.credit_code IS NOT OLD.credit_code OR NEW.application_id IS NOT OLD.application_id
  OR NEW.pack_id IS NOT OLD.pack_id OR NEW.pack_version IS NOT OLD.pack_version OR NEW.pack_hash IS NOT OLD.pack_hash
  OR NEW.as_of IS NOT OLD.as_of OR NEW.input_hash IS NOT OLD.input_hash OR NEW.outcome IS NOT OLD.outcome
  OR NEW.decision_json IS NOT OLD.decision_json OR NEW.engine_version IS NOT OLD.engine_version
  OR NEW.supersedes IS NOT OLD.supersedes
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: a record only gains its superseded_by, once'); END)"},
      {3, "the input as received and the ledger figures it was decided on, so that a record shows its report again",
       R"(ALTER TABLE decisions ADD COLUMN input TEXT;
ALTER TABLE decisions ADD COLUMN ledger_figures TEXT;
DROP TRIGGER decisions_frozen;
CREATE TRIGGER decisions_frozen BEFORE UPDATE ON decisions
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.recorded_at IS NOT OLD.recorded_at
  OR NEW.reviewer IS NOT OLD.reviewer OR NEW.applicant_name IS NOT OLD.applicant_name
  OR NEW.credit_code IS NOT OLD.credit_code OR NEW.application_id IS NOT OLD.application_id
  OR NEW.pack_id IS NOT OLD.pack_id OR NEW.pack_version IS NOT OLD.pack_version OR NEW.pack_hash IS NOT OLD.pack_hash
  OR NEW.as_of IS NOT OLD.as_of OR NEW.input_hash IS NOT OLD.input_hash OR NEW.outcome IS NOT OLD.outcome
  OR NEW.decision_json IS NOT OLD.decision_json OR NEW.engine_version IS NOT OLD.engine_version
  OR NEW.supersedes IS NOT OLD.supersedes OR NEW.input IS NOT OLD.input OR NEW.ledger_figures IS NOT OLD.ledger_figures
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: a record only gains its superseded_by, once'); END)"},
  };
  return m;
}

inline const std::vector<Migration>& postgres_migrations() {
  static const std::vector<Migration> m = {
      {1, "decisions",
       R"(CREATE TABLE decisions (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  recorded_at TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  applicant_name TEXT,
  credit_code TEXT,
  application_id TEXT,
  pack_id TEXT NOT NULL,
  pack_version TEXT NOT NULL,
  as_of TEXT NOT NULL,
  input_hash TEXT NOT NULL,
  outcome TEXT NOT NULL,
  decision_json TEXT NOT NULL,
  superseded_by TEXT REFERENCES decisions(id) DEFERRABLE INITIALLY DEFERRED
))"},
      {2, "pack hash, engine version, supersedes; one current record per application; append-only triggers",
       R"(ALTER TABLE decisions ADD COLUMN pack_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN engine_version TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN supersedes TEXT REFERENCES decisions(id);
CREATE INDEX decisions_unit ON decisions(pack_id, credit_code) WHERE superseded_by IS NULL;
CREATE UNIQUE INDEX decisions_current_application ON decisions(pack_id, application_id)
  WHERE superseded_by IS NULL AND application_id IS NOT NULL;
CREATE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the ledger is append-only: records are never deleted';
  END IF;
  IF OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
     OR (to_jsonb(NEW) - 'superseded_by') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_by') THEN
    RAISE EXCEPTION 'the ledger is append-only: a record only gains its superseded_by, once';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
  FOR EACH ROW EXECUTE FUNCTION decisions_append_only())"},
      // The append-only trigger compares whole rows (to_jsonb), so it guards the new columns too.
      {3, "the input as received and the ledger figures it was decided on, so that a record shows its report again",
       R"(ALTER TABLE decisions ADD COLUMN input TEXT;
ALTER TABLE decisions ADD COLUMN ledger_figures TEXT)"},
  };
  return m;
}

}  // namespace rulebook::ledger
