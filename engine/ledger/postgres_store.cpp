#include "ledger/postgres_store.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <type_traits>

#include "ledger/schema_sql.hpp"

namespace rulebook::ledger {
namespace {

// A URL's part as libpq reads it: percent-decoded (`p%61ssword` is `password`).
std::string percent_decoded(std::string_view key) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = char(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] == '%' && i + 2 < key.size() && hex(key[i + 1]) >= 0 && hex(key[i + 2]) >= 0) {
      out += char(hex(key[i + 1]) * 16 + hex(key[i + 2]));
      i += 2;
    } else {
      out += key[i];
    }
  }
  return out;
}

// Where a URL's passwords are written, in order: user:password@ in the authority, and libpq's
// password=… among the query's parameters (postgresql:///db?host=…&password=…), a key compared as
// libpq reads it, percent-decoded and in any case. The user's password runs to the last @ of the
// authority: a password may hold @ or / unescaped, and libpq then misreads the URL.
struct Span {
  std::size_t at, size;
};
std::vector<Span> password_spans(std::string_view url) {
  std::vector<Span> spans;
  const auto scheme = url.find("://");
  const auto query = url.find('?');
  if (scheme != std::string_view::npos && (query == std::string_view::npos || scheme < query)) {
    const std::size_t from = scheme + 3;
    const std::string_view authority = url.substr(from, query == std::string_view::npos ? query : query - from);
    const auto at = authority.rfind('@'), colon = authority.find(':');
    if (at != std::string_view::npos && colon < at) spans.push_back({from + colon + 1, at - colon - 1});
  }
  for (std::size_t start = query; start != std::string_view::npos && start < url.size();) {
    const auto end = std::min(url.find('&', start + 1), url.size());
    const std::string_view param = url.substr(start + 1, end - start - 1);
    const auto eq = param.find('=');
    std::string key = percent_decoded(param.substr(0, eq));
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    if (eq != std::string_view::npos && key == "password") spans.push_back({start + 1 + eq + 1, end - start - eq - 2});
    start = end;
  }
  return spans;
}

// The URL without its passwords, for messages and logs (/health showed it to anyone who asked).
std::string redact_url(const std::string& url) {
  std::string out;
  std::size_t written = 0;
  for (const auto& span : password_spans(url)) {
    out.append(url, written, span.at - written) += "***";
    written = span.at + span.size;
  }
  return out.append(url, written);
}

// The passwords a URL holds, as written and as libpq reads them, and the pieces of each that libpq
// may quote alone when it misreads the URL (`u:S3C/RET@host`: the port "S3C"). Shorter than 3
// characters, a piece is not told apart from the rest of a message.
std::vector<std::string> passwords(const std::string& url) {
  std::vector<std::string> found;
  for (const auto& span : password_spans(url)) {
    const std::string_view secret = std::string_view(url).substr(span.at, span.size);
    for (std::string s : {std::string(secret), percent_decoded(secret)}) {
      found.push_back(s);
      for (std::size_t start = 0, end; start < s.size(); start = end + 1) {
        end = std::min(s.find_first_of("/@:?#%", start), s.size());
        found.push_back(s.substr(start, end - start));
      }
    }
  }
  std::erase_if(found, [](const std::string& s) { return s.size() < 3; });
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return found;
}

// A message without the URL's passwords: libpq quotes what it cannot read ("invalid
// percent-encoded token: \"S3C%zz\""), the password among it.
std::string without_passwords(std::string message, const std::string& url) {
  for (const auto& secret : passwords(url))
    for (auto at = message.find(secret); at != std::string::npos; at = message.find(secret, at + 3))
      message.replace(at, secret.size(), "***");
  return message;
}

// A random constant: the advisory lock that serialises migrations of one database.
constexpr std::int64_t migration_lock = 0x72756c65626f6f6bLL;

std::optional<std::string> opt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str(), f.size());
}

Record read_record(const pqxx::row& row) {
  Record r;
  r.seq = row[0].as<std::int64_t>();
  r.id = row[1].c_str();
  r.recorded_at = row[2].c_str();
  r.reviewer = row[3].c_str();
  r.applicant_name = opt(row[4]);
  r.credit_code = opt(row[5]);
  r.application_id = opt(row[6]);
  r.pack_id = row[7].c_str();
  r.pack_version = row[8].c_str();
  r.pack_hash = row[9].c_str();
  r.as_of = row[10].c_str();
  r.input_hash = row[11].c_str();
  r.outcome = row[12].c_str();
  r.decision_json = std::string(row[13].c_str(), row[13].size());
  r.engine_version = row[14].c_str();
  r.supersedes = opt(row[15]);
  r.superseded_by = opt(row[16]);
  r.input = opt(row[17]);
  r.ledger_figures = opt(row[18]);
  return r;
}

std::string select_records() { return "SELECT " + std::string(record_columns) + " FROM decisions "; }

class PostgresLedger;

class WorkHistory final : public History {
 public:
  explicit WorkHistory(pqxx::work& w) : w_(w) {}
  std::vector<Record> current(const std::string& pack_id, const std::string& credit_code) override {
    pqxx::result res = w_.exec_params(
        select_records() + "WHERE pack_id = $1 AND credit_code = $2 AND " + std::string(unit_current) + " ORDER BY seq",
        pack_id, credit_code);
    std::vector<Record> out;
    for (const auto& row : res) out.push_back(read_record(row));
    return out;
  }

 private:
  pqxx::work& w_;
};

class PostgresLedger final : public Ledger {
 public:
  explicit PostgresLedger(std::string url, std::size_t pool_size) : url_(std::move(url)), max_(pool_size) {
    auto c = connect();
    migrate(*c);
    idle_.push_back(std::move(c));
    open_ = 1;
  }

  std::vector<Record> transact(const std::vector<std::string>& locks,
                               const std::function<std::vector<Record>(History&)>& decide) override {
    return with_connection([&](pqxx::connection& c) {
      pqxx::work w(c);
      std::vector<std::string> keys = locks;
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      // Sorted, so two transactions over overlapping units never wait on each other in a cycle.
      for (const auto& k : keys) w.exec_params("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", k);
      WorkHistory history(w);
      std::vector<Record> records = decide(history);
      for (auto& r : records) insert(w, r);
      w.commit();
      return records;
    });
  }

  std::vector<Record> list(const Query& q) override {
    return with_connection([&](pqxx::connection& c) {
      pqxx::read_transaction w(c);
      std::string sql = select_records() + "WHERE seq > $1";
      sql += q.pack_id ? " AND pack_id = $2" : " AND $2::text IS NULL";
      sql += q.credit_code ? " AND credit_code = $3" : " AND $3::text IS NULL";
      sql += q.application_id ? " AND application_id = $4" : " AND $4::text IS NULL";
      if (q.current_only) sql += " AND superseded_by IS NULL";
      sql += " ORDER BY seq";
      if (q.limit) sql += " LIMIT " + std::to_string(q.limit);
      pqxx::result res = w.exec_params(sql, q.after_seq, q.pack_id, q.credit_code, q.application_id);
      std::vector<Record> out;
      for (const auto& row : res) out.push_back(read_record(row));
      return out;
    });
  }

  std::optional<Record> find(const std::string& id) override {
    return with_connection([&](pqxx::connection& c) -> std::optional<Record> {
      pqxx::read_transaction w(c);
      bool digits = !id.empty() && id.size() < 19 && id.find_first_not_of("0123456789") == std::string::npos;
      pqxx::result res = digits ? w.exec_params(select_records() + "WHERE seq = $1", std::int64_t(std::stoll(id)))
                                : w.exec_params(select_records() + "WHERE id = $1", id);
      if (res.empty()) return std::nullopt;
      return read_record(res[0]);
    });
  }

  int schema_version() override {
    return with_connection([&](pqxx::connection& c) {
      pqxx::read_transaction w(c);
      return w.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
    });
  }

  std::string describe() const override { return redact_url(url_); }

 private:
  LedgerError failure(const std::string& message) const { return LedgerError(without_passwords(message, url_)); }

  std::unique_ptr<pqxx::connection> connect() {
    try {
      return std::make_unique<pqxx::connection>(url_);
    } catch (const std::exception& e) {
      throw failure("cannot connect to the ledger " + redact_url(url_) + ": " + e.what());
    }
  }

  void migrate(pqxx::connection& c) {
    try {
      pqxx::work w(c);
      // Two servers starting at once: one migrates, the other waits and finds it done.
      w.exec_params("SELECT pg_advisory_xact_lock($1)", migration_lock);
      w.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
          "description TEXT NOT NULL DEFAULT '')");
      int at = w.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
      if (at > current_schema_version)
        throw LedgerError("the ledger " + redact_url(url_) + " is at schema version " + std::to_string(at) +
                          ", newer than this rulebook's " + std::to_string(current_schema_version) +
                          ": upgrade rulebook");
      for (const auto& m : postgres_migrations()) {
        if (m.version <= at) continue;
        w.exec(std::string(m.sql));
        w.exec_params("INSERT INTO schema_migrations (version, applied_at, description) VALUES ($1, $2, $3)",
                      m.version, utc_now(), std::string(m.description));
      }
      w.commit();
    } catch (const LedgerError&) {
      throw;
    } catch (const std::exception& e) {
      throw failure("ledger " + redact_url(url_) + ": migration failed: " + e.what());
    }
  }

  void insert(pqxx::work& w, Record& r) {
    r.id = new_record_id();
    r.recorded_at = utc_now();
    r.supersedes.reset();
    r.superseded_by.reset();
    if (r.application_id) {
      w.exec_params("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", application_key(r.pack_id, *r.application_id));
      pqxx::result cur = w.exec_params(
          "SELECT id, credit_code FROM decisions WHERE pack_id = $1 AND application_id = $2 AND superseded_by IS NULL",
          r.pack_id, *r.application_id);
      if (!cur.empty()) {
        r.supersedes = cur[0][0].c_str();
        refuse_another_unit(r, cur[0][1].is_null() ? std::nullopt : std::optional<std::string>(cur[0][1].c_str()));
      }
    }
    // The old record leaves the unique index of current applications before the new one enters it.
    if (r.supersedes) w.exec_params("UPDATE decisions SET superseded_by = $1 WHERE id = $2", r.id, *r.supersedes);
    pqxx::result res = w.exec_params(
        "INSERT INTO decisions (id, recorded_at, reviewer, applicant_name, credit_code, application_id, pack_id, "
        "pack_version, pack_hash, as_of, input_hash, outcome, decision_json, engine_version, supersedes, input, "
        "ledger_figures) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
        "RETURNING seq",
        r.id, r.recorded_at, r.reviewer, r.applicant_name, r.credit_code, r.application_id, r.pack_id, r.pack_version,
        r.pack_hash, r.as_of, r.input_hash, r.outcome, r.decision_json, r.engine_version, r.supersedes, r.input,
        r.ledger_figures);
    r.seq = res[0][0].as<std::int64_t>();
  }

  // Runs `fn` on a pooled connection; a connection that broke is dropped, not returned.
  template <class Fn>
  std::invoke_result_t<Fn&, pqxx::connection&> with_connection(Fn&& fn) {
    std::unique_ptr<pqxx::connection> c;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
      if (!idle_.empty()) {
        c = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++open_;
      }
    }
    auto give_back = [&](bool keep) {
      std::lock_guard lock(mutex_);
      if (keep && c && c->is_open()) idle_.push_back(std::move(c));
      else --open_;
      cv_.notify_one();
    };
    try {
      if (!c) c = connect();
      auto result = fn(*c);
      give_back(true);
      return result;
    } catch (const LedgerError&) {
      give_back(c && c->is_open());
      throw;
    } catch (const std::exception& e) {
      give_back(c && c->is_open());
      throw failure("ledger " + redact_url(url_) + ": " + e.what());
    }
  }

  std::string url_;
  std::size_t max_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::size_t open_ = 0;  ///< connections in use or idle
};

}  // namespace

}  // namespace rulebook::ledger

// What postgres_module.cpp looks up in this module: a new ledger the caller owns. C++
// exceptions (LedgerError) pass through, as caller and module are built by the same compiler.
extern "C" __attribute__((visibility("default"))) rulebook::ledger::Ledger* rulebook_open_postgres(
    const std::string& url) {
  return new rulebook::ledger::PostgresLedger(url, 8);
}

// The rulebook this module was built with: a module of another version is refused, as the two
// share C++ types that may have changed.
extern "C" __attribute__((visibility("default"))) const char* rulebook_postgres_version() { return RULEBOOK_VERSION; }
