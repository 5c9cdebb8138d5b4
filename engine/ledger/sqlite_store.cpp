#include "ledger/sqlite_store.hpp"

#include <sqlite3.h>

#include <mutex>

#include "ledger/schema_sql.hpp"

namespace rulebook::ledger {
namespace {

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.data(), int(sql.size()), &s_, nullptr) != SQLITE_OK)
      throw LedgerError(std::string("sqlite: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(s_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int i, const std::string& v) { check(sqlite3_bind_text(s_, i, v.data(), int(v.size()), SQLITE_TRANSIENT)); }
  void bind(int i, const std::optional<std::string>& v) {
    if (v) bind(i, *v);
    else check(sqlite3_bind_null(s_, i));
  }
  void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(s_, i, v)); }
  /// true while there is a row.
  bool step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw LedgerError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  std::string text(int col) const {
    auto p = sqlite3_column_text(s_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), std::size_t(sqlite3_column_bytes(s_, col))) : std::string();
  }
  std::optional<std::string> opt_text(int col) const {
    if (sqlite3_column_type(s_, col) == SQLITE_NULL) return std::nullopt;
    return text(col);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(s_, col); }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw LedgerError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

Record read_record(const Statement& s) {
  Record r;
  r.seq = s.integer(0);
  r.id = s.text(1);
  r.recorded_at = s.text(2);
  r.reviewer = s.text(3);
  r.applicant_name = s.opt_text(4);
  r.credit_code = s.opt_text(5);
  r.application_id = s.opt_text(6);
  r.pack_id = s.text(7);
  r.pack_version = s.text(8);
  r.pack_hash = s.text(9);
  r.as_of = s.text(10);
  r.input_hash = s.text(11);
  r.outcome = s.text(12);
  r.decision_json = s.text(13);
  r.engine_version = s.text(14);
  r.supersedes = s.opt_text(15);
  r.superseded_by = s.opt_text(16);
  r.input = s.opt_text(17);
  r.ledger_figures = s.opt_text(18);
  return r;
}

std::string select_records() { return "SELECT " + std::string(record_columns) + " FROM decisions "; }

class SqliteLedger final : public Ledger, History {
 public:
  explicit SqliteLedger(const std::string& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw LedgerError("cannot open the ledger " + path + ": " + why);
    }
    try {
      // Another process (check --record beside serve) may hold the write lock for a moment.
      sqlite3_busy_timeout(db_, 10000);
      // WAL: readers never block the writer. FULL: a commit is on disk before the service
      // answers 200, so a decision answered is a decision kept, even across a power cut.
      exec("PRAGMA journal_mode=WAL");
      exec("PRAGMA synchronous=FULL");
      exec("PRAGMA foreign_keys=ON");
      migrate();
    } catch (...) {
      sqlite3_close(db_);
      throw;
    }
  }
  ~SqliteLedger() override { sqlite3_close(db_); }

  std::vector<Record> transact(const std::vector<std::string>&,
                               const std::function<std::vector<Record>(History&)>& decide) override {
    std::lock_guard lock(mutex_);
    // IMMEDIATE takes the write lock now: the history `decide` reads cannot change before commit.
    exec("BEGIN IMMEDIATE");
    try {
      // A re-review marks the old record superseded by the new one before inserting it (the
      // one-current-record-per-application index needs that order): check references at commit.
      exec("PRAGMA defer_foreign_keys = ON");
      std::vector<Record> records = decide(*this);
      for (auto& r : records) insert(r);
      exec("COMMIT");
      return records;
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::vector<Record> current(const std::string& pack_id, const std::string& credit_code) override {
    // Called inside transact, under mutex_.
    Statement s(db_, select_records() + "WHERE pack_id = ?1 AND credit_code = ?2 AND " + std::string(unit_current) +
                         " ORDER BY seq");
    s.bind(1, pack_id);
    s.bind(2, credit_code);
    std::vector<Record> out;
    while (s.step()) out.push_back(read_record(s));
    return out;
  }

  std::vector<Record> list(const Query& q) override {
    std::lock_guard lock(mutex_);
    std::string sql = select_records() + "WHERE seq > ?1";
    if (q.pack_id) sql += " AND pack_id = ?2";
    if (q.credit_code) sql += " AND credit_code = ?3";
    if (q.application_id) sql += " AND application_id = ?4";
    if (q.current_only) sql += " AND superseded_by IS NULL";
    sql += " ORDER BY seq";
    if (q.limit) sql += " LIMIT " + std::to_string(q.limit);
    Statement s(db_, sql);
    s.bind(1, q.after_seq);
    if (q.pack_id) s.bind(2, *q.pack_id);
    if (q.credit_code) s.bind(3, *q.credit_code);
    if (q.application_id) s.bind(4, *q.application_id);
    std::vector<Record> out;
    while (s.step()) out.push_back(read_record(s));
    return out;
  }

  std::optional<Record> find(const std::string& id) override {
    std::lock_guard lock(mutex_);
    bool digits = !id.empty() && id.size() < 19 && id.find_first_not_of("0123456789") == std::string::npos;
    Statement s(db_, select_records() + (digits ? "WHERE seq = ?1" : "WHERE id = ?1"));
    if (digits) s.bind(1, std::int64_t(std::stoll(id)));
    else s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_record(s);
  }

  int schema_version() override {
    std::lock_guard lock(mutex_);
    return version();
  }

  std::string describe() const override { return "sqlite:" + path_; }

 private:
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string why = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw LedgerError("ledger " + path_ + ": " + why);
    }
  }

  int version() {
    Statement s(db_, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    s.step();
    return int(s.integer(0));
  }

  void migrate() {
    exec("BEGIN IMMEDIATE");
    try {
      exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
           "description TEXT NOT NULL DEFAULT '')");
      int at = version();
      if (at > current_schema_version)
        throw LedgerError("the ledger " + path_ + " is at schema version " + std::to_string(at) +
                          ", newer than this rulebook's " + std::to_string(current_schema_version) +
                          ": upgrade rulebook");
      for (const auto& m : sqlite_migrations()) {
        if (m.version <= at) continue;
        exec(std::string(m.sql));
        Statement s(db_, "INSERT INTO schema_migrations (version, applied_at, description) VALUES (?1, ?2, ?3)");
        s.bind(1, std::int64_t(m.version));
        s.bind(2, utc_now());
        s.bind(3, std::string(m.description));
        s.step();
      }
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void insert(Record& r) {
    r.id = new_record_id();
    r.recorded_at = utc_now();
    r.supersedes.reset();
    r.superseded_by.reset();
    if (r.application_id) {
      Statement s(db_,
                  "SELECT id, credit_code FROM decisions WHERE pack_id = ?1 AND application_id = ?2 AND "
                  "superseded_by IS NULL");
      s.bind(1, r.pack_id);
      s.bind(2, *r.application_id);
      if (s.step()) {
        r.supersedes = s.text(0);
        refuse_another_unit(r, s.opt_text(1));
      }
    }
    // The old record leaves the unique index of current applications before the new one enters it.
    if (r.supersedes) {
      Statement u(db_, "UPDATE decisions SET superseded_by = ?1 WHERE id = ?2");
      u.bind(1, r.id);
      u.bind(2, *r.supersedes);
      u.step();
    }
    Statement s(db_,
                "INSERT INTO decisions (id, recorded_at, reviewer, applicant_name, credit_code, application_id, "
                "pack_id, pack_version, pack_hash, as_of, input_hash, outcome, decision_json, engine_version, "
                "supersedes, input, ledger_figures) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    s.bind(1, r.id);
    s.bind(2, r.recorded_at);
    s.bind(3, r.reviewer);
    s.bind(4, r.applicant_name);
    s.bind(5, r.credit_code);
    s.bind(6, r.application_id);
    s.bind(7, r.pack_id);
    s.bind(8, r.pack_version);
    s.bind(9, r.pack_hash);
    s.bind(10, r.as_of);
    s.bind(11, r.input_hash);
    s.bind(12, r.outcome);
    s.bind(13, r.decision_json);
    s.bind(14, r.engine_version);
    s.bind(15, r.supersedes);
    s.bind(16, r.input);
    s.bind(17, r.ledger_figures);
    s.step();
    r.seq = sqlite3_last_insert_rowid(db_);
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  std::mutex mutex_;  ///< one connection, one user at a time: SQLite has one writer anyway
};

}  // namespace

std::unique_ptr<Ledger> open_sqlite(const std::string& path) { return std::make_unique<SqliteLedger>(path); }

}  // namespace rulebook::ledger
